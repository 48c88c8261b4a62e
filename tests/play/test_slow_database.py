"""The progress database is slow or away while a child starts, calibrates and plays, and a
teacher opens the teacher area: the UI never waits on it (frames keep coming, measured on the
real clock), the child sees "just a moment" and then plays, the teacher sees "loading" and
that progress is kept, a calibration the database refused is kept and stored once it is back,
and nothing is lost.

- SQLite locked by another program (an exclusive transaction): every write waits out the
  1 s busy timeout and is refused.
- A school PostgreSQL server that does not answer (a socket that accepts and stays silent, as
  a host behind a dropping firewall): every call waits out the 3 s connect timeout.

The game runs on SDL's dummy drivers with its real store threads; only the camera is made up
(a calm or smiling face, stamped with the real clock).
"""

from __future__ import annotations

import socket
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import pygame
import pytest

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.play.app import Game
from game.play.scenes.teacher import TeacherScene
from game.progress import Child, open_store
from tests.play.harness import make_game, write_levels
from tests.play.observations import obs

#: Generous: a frame that waited for the database would take at least the 1 s busy timeout
#: (SQLite) or the 3 s connect timeout (PostgreSQL); a slow CI frame takes tens of ms.
MAX_FRAME_GAP_S = 1.0
CALM = {"happy": 0.3, "sad": 0.4, "fear": 0.3}


@dataclass
class RealClock:
    """Steps a Game on time.monotonic() at about 60 fps and keeps the gap between frames."""

    game: Game
    camera: Callable[[float], object] = field(default=lambda now: obs(now, probs=CALM))
    gaps: list[float] = field(default_factory=list)
    scenes: list[str] = field(default_factory=list)
    _last: float | None = None

    def step(self, events: list | None = None) -> None:
        now = time.monotonic()
        self.game.mailbox.put(self.camera(now))
        self.game.step(list(events or []), now)
        done = time.monotonic()
        if self._last is not None:
            self.gaps.append(done - self._last)
        self._last = done
        key = self.game.scene.screenshot_key
        if not self.scenes or self.scenes[-1] != key:
            self.scenes.append(key)

    def run(self, seconds: float, until=None) -> bool:
        deadline = time.monotonic() + seconds
        while True:
            self.step()
            if until is not None and until(self.game):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(1 / 60)

    def drawn_text(self) -> str:
        """Every text drawn in the next frame."""
        res, seen = self.game.res, []
        text, wrapped = res.text, res.wrapped
        res.text = lambda value, *a, **k: (seen.append(str(value)), text(value, *a, **k))[1]
        res.wrapped = lambda value, *a, **k: (seen.append(str(value)), wrapped(value, *a, **k))[1]
        try:
            self.step()
        finally:
            res.text, res.wrapped = text, wrapped
        return "\n".join(seen)


def key(k: int, unicode: str = "") -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode=unicode, scancode=0)


@pytest.fixture
def levels(tmp_path):
    level_set = load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR)
    assert level_set.ok, level_set.problems
    return list(level_set.levels)


def test_sqlite_locked_while_a_child_starts_calibrates_plays_and_a_teacher_looks(tmp_path, levels):
    db = tmp_path / "progress.sqlite3"
    store = open_store(f"sqlite:///{db}", journal_dir=tmp_path / "journal")
    ana = store.add_child("Ana", "cat")
    game = make_game(store, levels)
    clock = RealClock(game)
    blocker = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        game.replace("welcome")
        clock.run(0.3)
        blocker.execute("BEGIN EXCLUSIVE")                 # another program holds the database
        locked_at = time.monotonic()
        clock.step([key(pygame.K_RETURN)])                 # welcome -> "which one is you?"
        assert clock.run(5, until=lambda g: g.scene.screenshot_key == "choose")
        picture = game.scene.buttons.buttons[0].rect.center
        clock.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=picture, button=1)])   # Ana
        assert clock.run(10, until=lambda g: g.scene.name == "calibrate"), clock.scenes
        assert max(clock.gaps) < MAX_FRAME_GAP_S, f"a frame waited {max(clock.gaps):.2f} s for the session to start"
        assert "loading" in clock.scenes                   # "just a moment" meanwhile
        assert game.session.session_id is not None
        assert clock.run(15, until=lambda g: g.session.unsaved_calibrations and not g.session.saving_calibration), clock.scenes
        baseline = game.session.calibration
        assert game.session.unsaved_calibrations == {ana.id: baseline}          # refused, kept, used
        assert "busy" in game.session.calibration_note and game.store.writer.error is None

        game.open_teacher()                                # the teacher looks while it is locked
        assert clock.run(5, until=lambda g: isinstance(g.scene, TeacherScene) and g.scene.status_known)
        teacher = game.scene
        assert teacher.pending >= 1 and "busy" in teacher.store_note   # the session start waits on the kiosk
        shown = clock.drawn_text()
        assert game.phrases.get("teacher.pending", "en", n=teacher.pending) in shown
        assert game.phrases.get("teacher.calibration_pending", "en", n=1) in shown
        pygame.image.save(game.canvas, str(tmp_path / "teacher-locked.png"))
        # adding a child needs the database: the teacher is told, the screen never stops
        teacher.row = 1                                    # "Add a child"
        clock.step([key(pygame.K_RETURN)])
        form = game.scene                                   # the add-a-child form
        clock.step([pygame.event.Event(pygame.TEXTINPUT, text="Budi")])
        clock.step([key(pygame.K_RETURN)])
        assert form.saving and form.message == "Saving…"
        assert clock.run(5, until=lambda g: not form.saving)
        assert "Budi" in form.message and "busy" in form.message, form.message
        clock.step([key(pygame.K_ESCAPE)])                 # the form closes, back in the teacher area
        clock.step([key(pygame.K_ESCAPE)])                 # back to the game: the level map

        game.start_level(levels[0])
        clock.camera = lambda now: obs(now, "happy", 0.95)
        assert clock.run(15, until=lambda g: g.scene.name == "celebrate"), clock.scenes
        assert time.monotonic() - locked_at > 5.0
        blocker.execute("ROLLBACK")                        # the other program lets go
        clock.camera = lambda now: obs(now, probs=CALM)
        assert clock.run(40, until=lambda g: not g.session.unsaved_calibrations), game.session.calibration_note
        assert store.get_calibration(ana.id) == pytest.approx(baseline)   # stored once it could be
    finally:
        blocker.close()
        game.close()
        store.close()

    worst = max(clock.gaps)
    print(f"\nSQLite locked: {len(clock.gaps)} frames, longest gap {worst * 1000:.0f} ms; scenes {clock.scenes}")
    assert worst < MAX_FRAME_GAP_S, f"the UI waited {worst:.2f} s for the database"
    with sqlite3.connect(db) as conn:
        sessions = conn.execute("SELECT child_id, ended_at IS NOT NULL FROM sessions").fetchall()
        attempts = conn.execute("SELECT child_id, round_index, outcome FROM attempts").fetchall()
        children = [row[0] for row in conn.execute("SELECT name FROM children")]
    assert sessions == [(ana.id, 1)]                       # started while locked, ended at close
    assert attempts == [(ana.id, 0, "matched")]            # the round played while locked
    assert children == ["Ana"]                             # Budi was refused, and the teacher told so


class SilentServer:
    """A TCP port that accepts connections and never answers: a database host that is not
    there as far as the client can tell (connecting waits out its timeout)."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]

    def close(self) -> None:
        self.socket.close()


def test_school_postgres_not_answering_while_a_child_starts_and_a_teacher_looks(tmp_path, levels):
    server = SilentServer()
    began = time.monotonic()
    store = open_store(f"postgresql://kiosk@127.0.0.1:{server.port}/progress", journal_dir=tmp_path / "journal")
    connect_wait = time.monotonic() - began
    assert connect_wait >= 2.5, "the silent server should make every connection wait out its timeout"
    game = make_game(store, levels)
    game.settings.calibrate = False
    clock = RealClock(game)
    child = Child(id=7, name="Ana", avatar="cat", created_at=datetime.now(timezone.utc))
    try:
        game.replace("welcome")
        clock.run(0.3)
        game.choose_child(child)                           # as the child's picture does when touched
        assert clock.run(20, until=lambda g: g.scene.name == "map"), clock.scenes
        assert max(clock.gaps) < MAX_FRAME_GAP_S, f"a frame waited {max(clock.gaps):.2f} s for the session to start"
        assert clock.scenes[:3] == ["welcome", "loading", "map"] and game.session.session_id is not None
        game.open_teacher()
        clock.run(1.5)
        assert max(clock.gaps) < MAX_FRAME_GAP_S, f"a frame waited {max(clock.gaps):.2f} s for the teacher area"
        teacher = game.scene
        shown = clock.drawn_text()
        pygame.image.save(game.canvas, str(tmp_path / "teacher-waiting.png"))
        # the store no longer waits on the silent server for its answers (it knows the server is
        # not answering and says so at once): the teacher sees the truth, the screen never stops
        assert clock.run(30, until=lambda g: teacher.status_known), "the store never answered"
        assert teacher.pending == 1 and "cannot be reached" in teacher.store_note
        assert game.phrases.get("teacher.pending", "en", n=1) in clock.drawn_text()
    finally:
        game.close()
        pending = store.pending_count()
        store.close(flush_timeout_s=0.1)
        server.close()
    worst = max(clock.gaps)
    print(f"\nPostgreSQL silent: {len(clock.gaps)} frames, longest gap {worst * 1000:.0f} ms; scenes {clock.scenes}")
    assert worst < MAX_FRAME_GAP_S, f"the UI waited {worst:.2f} s for the database"
    journal = sum(p.read_text(encoding="utf-8").count("\n") for p in (tmp_path / "journal").glob("pending-*.jsonl"))
    assert pending == 2 and journal == 2          # the session's start and end, kept safely on the kiosk
