import cv2
import numpy as np
import pytest

from game.vision.crop import crop_face, square_box, to_gray, to_rgb
from game.vision.smoothing import smooth_probs


def gradient_frame(channels: int | None, dtype=np.uint8, h=120, w=160):
    base = np.tile(np.linspace(0, 255, w, dtype=np.float32), (h, 1))
    if channels is None:
        frame = base
    else:
        frame = np.repeat(base[..., None], channels, axis=2)
    return frame.astype(dtype)


@pytest.mark.parametrize("channels", [None, 1, 3, 4])
def test_crop_any_channel_count(channels):
    crop = crop_face(gradient_frame(channels), (40, 30, 50, 50), size=48)
    assert crop.shape == (48, 48) and crop.dtype == np.uint8
    # the gradient runs left to right: the crop keeps that orientation
    assert crop[:, -1].mean() > crop[:, 0].mean()


def test_crop_float_frames_in_0_1_and_0_255():
    a = crop_face(gradient_frame(3, np.float32) / 255.0, (40, 30, 50, 50))
    b = crop_face(gradient_frame(3, np.float32), (40, 30, 50, 50))
    assert np.abs(a.astype(int) - b.astype(int)).max() <= 1


def test_crop_box_partly_outside_keeps_scale_by_replicating_the_edge():
    frame = gradient_frame(None).astype(np.uint8)
    inside = crop_face(frame, (60, 40, 40, 40), size=48, margin=0)
    corner = crop_face(frame, (-20, -20, 40, 40), size=48, margin=0)
    assert corner.shape == (48, 48)
    # left half of the corner crop lies outside the frame: replicated column 0 (value 0)
    assert corner[:, :20].max() <= 5
    assert inside.std() > 0


def test_tiny_and_degenerate_boxes():
    frame = gradient_frame(3)
    assert crop_face(frame, (10, 10, 1, 1)).shape == (48, 48)
    assert crop_face(frame, (10, 10, 0, 0)).shape == (48, 48)
    with pytest.raises(ValueError, match="outside"):
        crop_face(frame, (1000, 1000, 20, 20))


def test_square_box_is_square_and_centred():
    x, y, side = square_box((10, 20, 40, 80), margin=0.1)
    assert side == 96
    assert x + side / 2 == pytest.approx(30, abs=1) and y + side / 2 == pytest.approx(60, abs=1)


def test_unsupported_shapes_are_clear_errors():
    with pytest.raises(ValueError, match="unsupported frame shape"):
        to_gray(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(ValueError):
        to_rgb(np.zeros((2, 3, 4, 5), np.uint8))


def test_rgb_conversion_swaps_bgr():
    bgr = np.zeros((2, 2, 3), np.uint8)
    bgr[..., 0] = 255  # blue
    assert to_rgb(bgr)[0, 0].tolist() == [0, 0, 255]
    assert to_rgb(np.full((2, 2), 7, np.uint8))[0, 0].tolist() == [7, 7, 7]


def test_smoothing_follows_with_time_constant():
    p0 = {"happy": 0.0, "sad": 1.0, "fear": 0.0}
    p1 = {"happy": 1.0, "sad": 0.0, "fear": 0.0}
    assert smooth_probs(None, p1, 0.1) == p1
    after_tau = smooth_probs(p0, p1, 0.3, tau_s=0.3)
    assert after_tau["happy"] == pytest.approx(1 - np.exp(-1), abs=1e-6)
    # the same elapsed time in many small steps gives the same value: frame-rate independent
    s = p0
    for _ in range(30):
        s = smooth_probs(s, p1, 0.01, tau_s=0.3)
    assert s["happy"] == pytest.approx(after_tau["happy"], abs=1e-6)
    assert sum(s.values()) == pytest.approx(1.0)
    assert smooth_probs(p0, p1, 0.0) == p0


@pytest.mark.parametrize("channels", [None, 3, 4])
@pytest.mark.parametrize("box", [(100, 80, 90, 90), (-20, -10, 80, 80), (590, 430, 80, 80)])
def test_an_8_bit_crop_is_the_whole_gray_frame_cut(channels, box):
    # crop_face turns only the face's square gray; it must be exactly the square of the gray frame.
    rng = np.random.default_rng(5)
    shape = (480, 640) if channels is None else (480, 640, channels)
    frame = rng.integers(0, 256, shape, dtype=np.uint8)
    gray = cv2.cvtColor(frame, {3: cv2.COLOR_BGR2GRAY, 4: cv2.COLOR_BGRA2GRAY}[channels]) if channels else frame
    assert np.array_equal(crop_face(frame, box), crop_face(gray, box))
