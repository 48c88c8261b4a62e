"""Nothing a child sees is cut off or covered (issue 14, item 5): every child-facing scene in
every state (tests/play/gallery.py), in English and Bahasa Indonesia, on the real game. Each
frame's texts must be on the screen, whole (not shortened with "…"), apart from each other,
wholly inside or outside each button and camera view, off the areas a scene keeps clear (the
celebration star, the gauge) and above the caption box.

A screenshot of each state at 1280x720, 1280x800 and 1920x1080 goes to
EMOTION_GAME_SHOTS_DIR (default: the test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.play.gallery import STATES, look_at_states


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_child_screen_shows_its_words_whole_and_uncovered(lang, tmp_path):
    drawn, found = look_at_states(STATES, lang, tmp_path)
    for state in STATES:
        assert drawn[state.name], state.name
    assert not found, "\n".join(found)
    seen_keys = {frame.key for frames in drawn.values() for frame in frames}
    # the tour reached what it meant to (a state that silently showed something else proves nothing)
    assert {"welcome", "choose-empty", "choose", "calibrate", "calibrate-thanks", "map", "round-intro",
            "round-play", "round-holding", "round-no-face", "round-many-faces", "round-looking-away",
            "round-encourage", "celebrate", "summary", "loading"} <= seen_keys, seen_keys
