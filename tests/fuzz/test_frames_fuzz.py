"""Frames of odd shapes and dtypes into the vision pipeline: every piece returns a result of the
promised shape or raises a ValueError that says what is wrong, and the worker thread survives
whatever a camera source hands it (a bad frame becomes an Observation carrying the error).

(The level loader's fuzz tests are in tests/levels/test_levels_fuzz.py.)
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from game.vision.card import DEFAULT_MODEL
from game.vision.crop import crop_face, to_gray, to_rgb
from game.vision.detector import DetectedFace, FaceDetector
from game.vision.observation import CameraStatus, Mailbox
from game.vision.sources import CameraSource, Frame
from game.vision.worker import VisionWorker, preview_of
from tests.conftest import REPO

EXAMPLES = int(os.environ.get("FRAMES_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
SLOW_FUZZ = settings(max_examples=max(20, EXAMPLES // 3), deadline=None, suppress_health_check=list(HealthCheck))

DTYPES = [np.uint8, np.int8, np.int16, np.uint16, np.int32, np.float16, np.float32, np.float64, np.bool_]
#: MediaPipe's own OpenCV aborts the process on a side of 32767 px or more (see the test at the end).
MAX_DETECTABLE_SIDE = 32766


@st.composite
def frames(draw, min_side: int = 0, max_side: int = 40, long_side: int = 3000):
    """Arrays a broken camera, a video decoder or an image folder might produce."""
    dtype = draw(st.sampled_from(DTYPES))
    kind = draw(st.sampled_from(["gray", "channels", "channels", "aspect", "odd-ndim"]))
    side = st.integers(min_side, max_side)
    if kind == "gray":
        shape = (draw(side), draw(side))
    elif kind == "channels":
        shape = (draw(side), draw(side), draw(st.integers(1, 5)))
    elif kind == "aspect":      # one pixel high, thousands wide, or the other way round
        long, short = draw(st.integers(500, long_side)), draw(st.integers(max(1, min_side), 2))
        shape = draw(st.sampled_from([(short, long), (long, short), (short, long, 3), (long, short, 3)]))
    else:
        shape = draw(st.sampled_from([(), (7,), (2, 3, 4, 3), (1, 1, 1, 1)]))
    if np.issubdtype(dtype, np.floating):
        elements = st.floats(allow_nan=True, allow_infinity=True, width=np.dtype(dtype).itemsize * 8)
    else:
        elements = None
    fill = st.just(np.nan) if np.issubdtype(dtype, np.floating) and draw(st.booleans()) else None
    return draw(hnp.arrays(dtype, shape, elements=elements, fill=fill))


def non_empty(frame: np.ndarray) -> bool:
    return frame.ndim >= 2 and frame.shape[0] > 0 and frame.shape[1] > 0 and frame.size > 0


def supported(frame: np.ndarray) -> bool:
    return frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] in (1, 3, 4))


# ------------------------------------------------------------------ the conversions and the crop
@FUZZ
@given(frames())
def test_to_gray_and_to_rgb_give_uint8_or_a_clear_value_error(frame):
    for convert, channels in ((to_gray, None), (to_rgb, 3)):
        try:
            out = convert(frame)
        except ValueError as exc:
            if not non_empty(frame):     # empty, or no rows and columns at all (0-D, 1-D)
                assert "empty frame" in str(exc) or "unsupported frame shape" in str(exc), exc
            else:
                assert not supported(frame) and "unsupported frame shape" in str(exc), exc
            continue
        assert non_empty(frame), f"{convert.__name__} accepted the empty shape {frame.shape}"
        assert supported(frame), f"{convert.__name__} accepted shape {frame.shape}"
        assert out.dtype == np.uint8 and out.shape[:2] == frame.shape[:2]
        assert out.shape == (frame.shape[:2] if channels is None else (*frame.shape[:2], channels))


boxes = st.tuples(st.integers(-300, 300), st.integers(-300, 300), st.integers(-10, 400), st.integers(-10, 400))


@FUZZ
@given(frames(), boxes, st.sampled_from([8, 48, 64]), st.floats(0.0, 1.0))
def test_crop_face_gives_the_model_input_or_a_clear_value_error(frame, box, size, margin):
    try:
        crop = crop_face(frame, box, size, margin)
    except ValueError as exc:
        assert any(why in str(exc) for why in ("unsupported frame shape", "lies outside", "empty frame")), exc
        return
    assert crop.shape == (size, size) and crop.dtype == np.uint8


# ------------------------------------------------------------------------------ the detector
@pytest.fixture(scope="module")
def detector():
    with FaceDetector() as found:
        yield found


@SLOW_FUZZ
@given(frame=frames(min_side=1))
def test_face_detector_through_to_rgb_finds_faces_or_none(detector, frame):
    try:
        rgb = to_rgb(frame)
    except ValueError:
        assert not supported(frame)
        return
    faces = detector.detect(rgb)
    assert isinstance(faces, list) and all(isinstance(f, DetectedFace) for f in faces)
    for face in faces:
        assert face.box[2] > 0 and face.box[3] > 0 and np.isfinite(face.score)


# -------------------------------------------------------------------------------- the worker
class FeedSource(CameraSource):
    """A camera that hands out exactly the frames a test gives it (None while there is none)."""

    describe = "fuzz feed"

    def __init__(self):
        super().__init__(realtime=False)
        self.frames: queue.Queue = queue.Queue()

    def read(self) -> Frame | None:
        try:
            image = self.frames.get(timeout=0.05)
        except queue.Empty:
            return None
        self.status = CameraStatus.OK
        frame = Frame(image, self._count, time.monotonic())
        self._count += 1
        return frame


def expression_model() -> Path:
    path = Path(os.environ.get("EMOTION_GAME_TEST_MODEL", DEFAULT_MODEL))
    return path  # a missing model is fine: the worker then runs detection only


@pytest.fixture(scope="module")
def fed_worker():
    source = FeedSource()
    mailbox = Mailbox()
    worker = VisionWorker(source, mailbox, expression_model()).start()
    yield worker, source, mailbox
    worker.stop()


def wait_for(predicate, timeout_s: float = 15.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.005)
    return None


@SLOW_FUZZ
@given(frame=frames(max_side=64, long_side=2000))
def test_the_worker_survives_any_frame(fed_worker, frame):
    worker, source, mailbox = fed_worker
    index = source._count
    done_before = worker.frames_processed
    source.frames.put(frame)

    def published():
        seen = mailbox.get()
        if worker.frames_processed > done_before and seen is not None and seen.frame_index == index:
            return seen
        if seen is not None and seen.error and seen.error.startswith(f"frame {index}:"):
            return seen
        return None

    seen = wait_for(published)
    assert worker.running, worker.error
    assert seen is not None, f"no observation for frame {index} {frame.shape} {frame.dtype}: {worker.error}"
    if seen.error and seen.error.startswith(f"frame {index}:"):
        assert not supported(frame) or not non_empty(frame), seen.error
        # (a 0-D or 1-D array says "not enough values to unpack": no camera makes one, so only
        # the frames a decoder could hand over must be explained in words)
        clear = (["ValueError"] if frame.ndim < 2 else
                 ["ValueError: empty frame", "ValueError: unsupported frame shape"] if not non_empty(frame) else
                 ["ValueError: unsupported frame shape"])
        assert any(seen.error.startswith(f"frame {index}: {why}") for why in clear), seen.error
        assert seen.face_box is None and seen.preview is None
    else:
        assert supported(frame) and non_empty(frame)
        assert seen.frame_size == (frame.shape[1], frame.shape[0])
        # the preview fits a 320x320 box, its longer side filling it
        assert seen.preview.dtype == np.uint8 and seen.preview.shape[2] == 3
        assert max(seen.preview.shape[:2]) == 320


# ------------------------------------------------------------- what the fuzzing found (bugs, now fixed)
@pytest.mark.parametrize("shape", [(0, 0, 3), (0, 5, 3), (5, 0, 4), (0, 0)])
def test_empty_frames_are_refused_clearly(shape):
    for convert in (to_gray, to_rgb):
        with pytest.raises(ValueError, match="empty"):
            convert(np.zeros(shape, np.uint8))


def test_a_tall_strip_gets_a_small_preview():
    preview = preview_of(np.zeros((3000, 1, 3), np.uint8), 320)
    assert preview.nbytes < 320 * 320 * 3 * 4, preview.shape


HUGE_FRAME = """
import numpy as np
from game.vision.crop import to_rgb
from game.vision.detector import FaceDetector
detector = FaceDetector()
try:
    detector.detect(to_rgb(np.zeros((2, 40000, 3), np.uint8)))
    print("detected")
except ValueError as exc:
    print("ValueError", exc)
"""


def test_a_frame_too_big_for_the_detector_is_refused_not_fatal():
    result = subprocess.run([sys.executable, "-c", HUGE_FRAME], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"the process died (status {result.returncode}): {result.stderr[-300:]}"
    assert "ValueError" in result.stdout or "detected" in result.stdout


def test_one_bad_frame_is_forgotten_after_a_good_one():
    model = expression_model()
    if not model.is_file():
        pytest.skip("needs a loadable model (without one the model error rightly stays)")
    source, mailbox = FeedSource(), Mailbox()
    with VisionWorker(source, mailbox, model) as worker:
        source.frames.put(np.zeros((4, 4, 5), np.uint8))          # five channels: refused
        assert wait_for(lambda: (seen := mailbox.get()) is not None and seen.error and seen.frame_index == 0)
        source.frames.put(np.full((120, 160, 3), 128, np.uint8))  # then a plain good frame
        seen = wait_for(lambda: worker.frames_processed >= 1 and mailbox.get())
        assert seen is not None and seen.frame_index == 1
        assert seen.error is None and worker.error is None, seen.error
