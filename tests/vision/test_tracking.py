"""game.vision.tracking: stable ids and friends' sides from boxes alone (no camera, no model)."""

from __future__ import annotations

import pytest

from game.vision.analyze import IouTracker as AnalyzeTracker
from game.vision.tracking import LEFT, RIGHT, FriendSides, IouTracker, screen_centre_x

WIDTH = 640
# raw-frame boxes: a face on the raw right shows on the LEFT of the mirrored screen
RAW_RIGHT = (400, 120, 160, 160)
RAW_LEFT = (80, 130, 160, 160)
RAW_MIDDLE_RIGHT = (330, 120, 150, 150)


def moved(box, dx=0, dy=0):
    x, y, w, h = box
    return (x + dx, y + dy, w, h)


def test_analyze_uses_the_shared_tracker():
    assert AnalyzeTracker is IouTracker


def test_screen_centre_is_mirrored():
    assert screen_centre_x(RAW_RIGHT, WIDTH) == WIDTH - 480
    assert screen_centre_x(RAW_RIGHT, WIDTH) < WIDTH / 2 < screen_centre_x(RAW_LEFT, WIDTH)


# each case: frames of boxes in, the sides (side per box, None: no side) out, frame by frame
CASES = {
    "two at once, in the order they stand on the mirrored screen": (
        [[RAW_LEFT, RAW_RIGHT], [moved(RAW_LEFT, 3), moved(RAW_RIGHT, -3)]],
        [[RIGHT, LEFT], [RIGHT, LEFT]]),
    "a face alone takes the side of the screen it is in": (
        [[RAW_RIGHT]], [[LEFT]]),
    "the one who came alone is put in order when the friend arrives": (
        [[RAW_MIDDLE_RIGHT], [RAW_MIDDLE_RIGHT, moved(RAW_RIGHT, 140)]],
        [[LEFT], [RIGHT, LEFT]]),
    "a face missed for a frame keeps its side": (
        [[RAW_LEFT, RAW_RIGHT], [RAW_RIGHT], [RAW_LEFT, RAW_RIGHT]],
        [[RIGHT, LEFT], [LEFT], [RIGHT, LEFT]]),
    "a third face gets no side while both are taken": (
        [[RAW_LEFT, RAW_RIGHT], [RAW_LEFT, RAW_RIGHT, (250, 20, 60, 60)]],
        [[RIGHT, LEFT], [RIGHT, LEFT, None]]),
    "the larger of two newcomers fills the one free side": (
        [[RAW_LEFT, RAW_RIGHT], [RAW_LEFT, RAW_RIGHT]] + [[RAW_RIGHT]] * 4
        + [[RAW_RIGHT, (60, 300, 60, 60), (100, 100, 150, 150)]],
        [[RIGHT, LEFT], [RIGHT, LEFT]] + [[LEFT]] * 4 + [[LEFT, None, RIGHT]]),
}


@pytest.mark.parametrize("name", CASES)
def test_friend_sides(name):
    frames, wanted = CASES[name]
    sides = FriendSides(max_gap=2)
    for index, (boxes, want) in enumerate(zip(frames, wanted)):
        placed = sides.update(index, boxes, WIDTH)
        got = [None] * len(boxes)
        for box_index, side, _track in placed:
            got[box_index] = side
        assert got == want, f"frame {index}"
        assert [side for _i, side, _t in placed] == sorted((s for s in want if s), key=[LEFT, RIGHT].index)


def test_sides_stick_to_the_children_as_they_move_about():
    """Once two have stood together, a child keeps their side (their name and gauge) even when
    both shuffle over so that the left child now stands on the right half of the screen."""
    sides = FriendSides(max_gap=2)
    left_box, right_box = (300, 120, 160, 160), (40, 130, 160, 160)    # on screen: left, right
    ids = {}
    for frame in range(12):
        step = frame * 12                               # both move to the screen's right
        boxes = [moved(left_box, -step), moved(right_box, -min(step, 40))]
        placed = sides.update(frame, boxes, WIDTH)
        assert len(placed) == 2
        for box_index, side, track in placed:
            ids.setdefault(side, track)
            assert track == ids[side]
            assert (box_index == 0) == (side == LEFT)
    assert screen_centre_x(moved(left_box, -132), WIDTH) > WIDTH / 2     # the left child crossed the middle


def test_a_side_is_free_again_once_its_face_has_gone():
    sides = FriendSides(max_gap=2)
    first = sides.update(0, [RAW_LEFT, RAW_RIGHT], WIDTH)
    left_id = next(t for _i, s, t in first if s == LEFT)
    for frame in range(1, 5):
        sides.update(frame, [RAW_LEFT], WIDTH)         # the left friend has gone
    back = sides.update(5, [RAW_LEFT, RAW_RIGHT], WIDTH)
    assert {s for _i, s, _t in back} == {LEFT, RIGHT}
    assert next(t for _i, s, t in back if s == LEFT) != left_id   # a new track: maybe another child
    assert len(sides.paired) <= 2                       # nothing piles up over a kiosk day
