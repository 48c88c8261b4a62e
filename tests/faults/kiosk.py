"""A kiosk for fault tests: the real Game (tests/play harness, SDL dummy drivers) on a real
SQLite progress store, a child who copies every prompt, and what the database holds after."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.progress import open_store
from game.speech import Speech
from tests.play.harness import FPS, Driver, make_game, write_levels
from tests.play.observations import obs
from tools.soak import CountingStore

CALM = {"happy": 0.34, "sad": 0.33, "fear": 0.33}


def two_levels(folder: Path) -> list:
    """The play tests' two levels (test-one: happy then sad, 5 s limit; test-two: fear)."""
    level_set = load_levels(write_levels(folder), DEFAULT_ASSETS_DIR)
    assert level_set.ok, level_set.problems
    return list(level_set.levels)


def copying_child(game):
    """A camera showing a child who makes whatever face the round asks for (calm elsewhere)."""
    def source(now: float):
        emotion = getattr(getattr(game.scene, "round", None), "emotion", None)
        return obs(now, emotion, 0.92) if emotion else obs(now, probs=CALM)
    return source


class Kiosk:
    """A Game with a counting store; `stored()` reads the database file.

    By default a fake-clock driver feeds it the copying child. With `real_time=True` the game
    steps on time.monotonic() (the clock the vision worker stamps frames with) and only a real
    worker writes to the mailbox.
    """

    def __init__(self, db: Path, levels: list, *, speech: Speech | None = None, store=None,
                 real_time: bool = False):
        self.db = db
        self.store = CountingStore(store or open_store(f"sqlite:///{db}"))
        self.levels = levels
        self.game = make_game(self.store, levels, speech=speech)
        self.game.settings.calibrate = False
        self.driver = Driver(self.game)
        self.driver.source = copying_child(self.game)
        self.step_wall_s: list[float] = []
        self.real_time = real_time

    def start(self, name: str = "Budi"):
        child = self.store.get_or_create_child(name)
        self.game.choose_child(child)
        self.run(0.2)
        assert self.game.scene.name == "map", self.game.scene.screenshot_key
        return child

    def run(self, seconds: float, until=None) -> bool:
        """Step the game `seconds` of game time, timing each frame's work on the wall clock.
        True when `until` came true."""
        if self.real_time:
            deadline = time.monotonic() + seconds
            while True:
                began = time.perf_counter()
                self.game.step([], time.monotonic())
                self.step_wall_s.append(time.perf_counter() - began)
                if until is not None and until(self.game):
                    return True
                if time.monotonic() >= deadline:
                    return False
                time.sleep(1 / 60)
        for _ in range(max(1, int(round(seconds * FPS)))):
            began = time.perf_counter()
            self.driver.run(1 / FPS)
            self.step_wall_s.append(time.perf_counter() - began)
            if until is not None and until(self.game):
                return True
        return False

    def play_level(self, level, timeout_s: float = 60.0) -> None:
        """Start `level` and play it to its summary, then back to the map."""
        self.game.start_level(level)
        self.run(timeout_s, until=lambda g: g.scene.name == "summary")
        assert self.game.scene.name == "summary", self.game.scene.screenshot_key
        self.run(0.1)
        self.game.replace("map")
        self.run(0.1)

    def close(self) -> None:
        self.game.close()
        self.store.close()

    def stored(self) -> list[tuple[str, int, str]]:
        return stored_attempts(self.db)


def stored_attempts(db: Path) -> list[tuple[str, int, str]]:
    with sqlite3.connect(db) as conn:
        return [tuple(row) for row in conn.execute(
            "SELECT level_id, round_index, outcome FROM attempts ORDER BY started_at, id")]


def journal_lines(folder: Path) -> int:
    return sum(p.read_text(encoding="utf-8").count("\n") for p in folder.glob("pending-*.jsonl"))


def drawn_text(kiosk: Kiosk, frames: int = 2) -> str:
    """Every text the game draws over the next frames (what a teacher or child can read)."""
    res = kiosk.game.res
    seen: list[str] = []
    text, wrapped = res.text, res.wrapped

    def recording_text(value, *args, **kwargs):
        seen.append(str(value))
        return text(value, *args, **kwargs)

    def recording_wrapped(value, *args, **kwargs):
        seen.append(str(value))
        return wrapped(value, *args, **kwargs)

    res.text, res.wrapped = recording_text, recording_wrapped
    try:
        for _ in range(frames):
            kiosk.run(0)
    finally:
        res.text, res.wrapped = text, wrapped
    return "\n".join(seen)
