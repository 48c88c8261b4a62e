"""Nothing a child sees is cut off or covered (issue 14, item 5): every child-facing scene in
every state (tests/play/gallery.py), in English and Bahasa Indonesia, on the real game. Each
frame's texts must be on the screen, whole (not shortened with "…"), apart from each other,
wholly inside or outside each button and camera view, off the areas a scene keeps clear (the
celebration star, the gauge) and above the caption box.

A screenshot of each state at 1280x720, 1280x800 and 1920x1080 goes to
EMOTION_GAME_SHOTS_DIR (default: the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.levels import load_levels
from game.progress import open_store
from game.resources import assets_dir, levels_dir
from tests.play.gallery import STATES, Recorder, Tour, problems, save_screens
from tests.play.harness import make_game


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_child_screen_shows_its_words_whole_and_uncovered(lang, tmp_path):
    shots = Path(os.environ.get("EMOTION_GAME_SHOTS_DIR") or tmp_path / "shots") / lang
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    levels = load_levels(levels_dir(), assets_dir()).levels
    game = make_game(store, levels, lang=lang)
    recorder = Recorder(game)
    tour = Tour(game, store)
    found: dict[str, None] = {}
    seen_keys = set()
    try:
        for state in STATES:
            recorder.frames.clear()
            state.setup(tour)
            tour.driver.run(state.seconds)
            assert recorder.frames, state.name
            for frame in recorder.frames:
                seen_keys.add(frame.key)
                for problem in problems(frame, game.size):
                    found.setdefault(f"[{state.name}] {problem}")
            save_screens(game, shots, state.name)
    finally:
        game.close()
        store.close()
    assert not found, "\n".join(found)
    # the tour reached what it meant to (a state that silently showed something else proves nothing)
    assert {"welcome", "choose-empty", "choose", "calibrate", "calibrate-thanks", "map", "round-intro",
            "round-play", "round-holding", "round-no-face", "round-many-faces", "round-looking-away",
            "round-encourage", "celebrate", "summary", "loading"} <= seen_keys, seen_keys
