"""The bounds check of tests/play/test_child_screens.py for the other scenes: the recognise
round, the practice plan, the teacher area and the gate, in English and Bahasa Indonesia."""

from __future__ import annotations

import pytest

from tests.play.gallery import State, Tour, camera, look_at_states


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
    drawn, found = look_at_states(MORE_STATES, lang, tmp_path, first=lambda tour: tour.go("welcome"))
    assert not found, "\n".join(found)
    seen = {frame.key for frames in drawn.values() for frame in frames}
    assert {"teacher", "gate"} <= {key.split("-")[0] for key in seen}, seen
