"""The bounds check of tests/play/test_child_screens.py for the other scenes: the recognise
round, the practice plan, the teacher area and the gate, in English and Bahasa Indonesia."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from game.levels import load_levels
from game.progress import open_store
from game.resources import assets_dir, levels_dir
from tests.play.gallery import State, Recorder, Tour, camera, problems, save_screens
from tests.play.harness import make_game


def _recognise(tour: Tour) -> None:
    tour.driver.source = camera()
    tour.session()
    tour.go("recognise", level=tour.levels["find-the-feeling"], round_index=0)


def _practice(tour: Tour) -> None:
    tour.session()
    tour.go("practice")


def _teacher(tour: Tour) -> None:
    tour.session()
    tour.go("map")
    tour.game.push("teacher")


def _gate(tour: Tour) -> None:
    tour.go("welcome")
    tour.game.push("gate")


MORE_STATES = [State("recognise", _recognise, 3.0), State("practice", _practice, 2.0),
               State("teacher", _teacher, 2.0), State("gate", _gate, 1.0)]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_other_screens_show_their_words_whole_and_uncovered(lang, tmp_path):
    shots = Path(os.environ.get("EMOTION_GAME_SHOTS_DIR") or tmp_path / "shots") / lang
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    game = make_game(store, load_levels(levels_dir(), assets_dir()).levels, lang=lang)
    recorder = Recorder(game)
    tour = Tour(game, store)
    found: dict[str, None] = {}
    seen = set()
    try:
        tour.go("welcome")
        for state in MORE_STATES:
            recorder.frames.clear()
            state.setup(tour)
            tour.driver.run(state.seconds)
            for frame in recorder.frames:
                seen.add(frame.key)
                for problem in problems(frame, game.size):
                    found.setdefault(f"[{state.name}] {problem}")
            save_screens(game, shots, state.name)
    finally:
        game.close()
        store.close()
    assert not found, "\n".join(found)
    assert {"teacher", "gate"} <= {key.split("-")[0] for key in seen}, seen
