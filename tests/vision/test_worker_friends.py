"""The vision worker in friends mode: a made video of two children side by side, read by the
real worker (MediaPipe, the shipped model). Each face is published with its side, a stable
track id and its own smoothed reading; the primary face's fields are what they always were."""

from __future__ import annotations

import time

import pytest

from game.vision.observation import Mailbox
from game.vision.smoothing import smooth_probs
from game.vision.sources import VideoFileSource
from game.vision.tracking import LEFT, RIGHT
from game.vision.worker import VisionWorker
from tools.make_test_video import make_video


class EveryObservation(Mailbox):
    """A real mailbox that also keeps every observation, so the test sees each frame."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def put(self, value):
        self.seen.append(value)
        super().put(value)


def run_worker(video, model_path):
    mailbox = EveryObservation()
    worker = VisionWorker(VideoFileSource(video, realtime=False), mailbox, model_path).start()
    try:
        started = time.monotonic()
        while time.monotonic() - started < 60.0 and (not mailbox.seen or mailbox.seen[-1].camera_status.value != "ended"):
            time.sleep(0.05)
    finally:
        worker.stop()
    assert worker.error is None
    return [o for o in mailbox.seen if o.frame_index >= 0 and o.preview is not None]


@pytest.fixture(scope="module")
def pair_clip(fer_val, model_path, tmp_path_factory):
    # the first face (left on the mirrored screen) is happy, then calm; the friend calm, then sad
    out, truth = make_video("happy:2,neutral:2", fer_val, tmp_path_factory.mktemp("pair") / "pair.mp4", fps=10,
                            second="neutral:2,sad:2", pair=True, confident_model=model_path, min_prob=0.75, seed=4)
    return out, truth


def test_two_children_each_get_a_side_a_track_and_a_reading(pair_clip, model_path):
    video, truth = pair_clip
    seen = run_worker(video, model_path)
    assert len(seen) >= 35
    both = [o for o in seen if len(o.faces) == 2]
    assert len(both) >= 0.9 * len(seen)
    tracks = {side: {r.track_id for o in both for r in o.faces if r.side == side} for side in (LEFT, RIGHT)}
    assert all(len(ids) == 1 for ids in tracks.values()) and tracks[LEFT] != tracks[RIGHT]
    for o in both:
        left, right = o.faces
        assert (left.side, right.side) == (LEFT, RIGHT)
        # left as the children see it: the right half of the raw frame
        assert left.box[0] > o.frame_size[0] / 2 > right.box[0] + right.box[2]
        # the primary face's reading is one of the two, the same numbers
        primary = next(r for r in o.faces if r.box == o.face_box)
        assert primary.probs == o.probs and primary.smoothed == o.smoothed
    early = [o for o in both if o.frame_index in range(8, 18)]
    late = [o for o in both if o.frame_index in range(30, 40)]
    assert all(o.faces[0].smoothed["happy"] > o.faces[1].smoothed["happy"] + 0.3 for o in early)
    assert all(o.faces[1].smoothed["sad"] > o.faces[0].smoothed["sad"] + 0.2 for o in late)


def test_each_track_is_smoothed_on_its_own(pair_clip, model_path):
    video, _truth = pair_clip
    seen = run_worker(video, model_path)
    pairs = list(zip(seen, seen[1:]))
    checked = 0
    for before, after in pairs:
        if len(before.faces) == 2 and len(after.faces) == 2:
            for old, new in zip(before.faces, after.faces):
                expected = smooth_probs(old.smoothed, new.probs, after.t - before.t)
                assert new.smoothed == pytest.approx(expected, abs=0.02)
                checked += 1
    assert checked >= 40


def test_one_child_reads_exactly_as_before(fer_val, model_path, tmp_path):
    video, _ = make_video("happy:2,none:1,sad:1", fer_val, tmp_path / "one.mp4", fps=10, seed=2)
    seen = run_worker(video, model_path)
    with_face = [o for o in seen if o.face_box is not None]
    assert with_face and all(len(o.faces) == 1 for o in with_face)
    for o in with_face:
        (reading,) = o.faces
        assert reading.box == o.face_box and reading.probs == o.probs and reading.smoothed == o.smoothed
    assert all(o.faces == () for o in seen if o.face_box is None)
