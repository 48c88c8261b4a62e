"""The face crop: square box with margin, grayscale, resized to the model's input."""

from __future__ import annotations

import cv2
import numpy as np

#: Extra border around MediaPipe's box so the crop frames a face the way FER-2013 faces are
#: framed (brow to chin, cheek to cheek, a little forehead).
DEFAULT_MARGIN = 0.1


def _refuse_empty(image: np.ndarray) -> None:
    if image.ndim < 2:
        raise ValueError(f"unsupported frame shape {image.shape}: expected HxW, HxWx1, HxWx3 or HxWx4")
    if image.size == 0 or (image.ndim >= 2 and min(image.shape[:2]) == 0):
        raise ValueError(f"empty frame of shape {image.shape}: nothing to look at")


def _to_uint8(image: np.ndarray) -> np.ndarray:
    """uint8 levels from any numeric dtype, scaled (never clipped) from the dtype's range.

    A 16-bit PNG or TIFF (uint16, 0..65535) keeps its picture: clipping it to 0..255 would
    turn every pixel brighter than 255/65535 white, and the detector would find no face.
    Signed pixels (int16/int32 TIFFs) scale from 0..max, negatives being black. int64 is
    numpy's default for arrays of Python ints, which no image reader returns: it is taken as
    8-bit levels, as before. Floats are 0..1 when they fit there, else 0..255 levels.
    """
    if image.dtype == np.bool_:
        return image.astype(np.uint8) * 255
    if np.issubdtype(image.dtype, np.floating):
        finite = np.nan_to_num(image, nan=0.0, posinf=1.0, neginf=0.0)
        scale = 255.0 if finite.size and finite.max() <= 1.0 else 1.0
        return np.clip(finite * scale, 0, 255).astype(np.uint8)
    if not np.issubdtype(image.dtype, np.integer):
        raise ValueError(f"unsupported frame dtype {image.dtype}: expected integer or float pixels")
    if image.dtype == np.int64:
        return np.clip(image, 0, 255).astype(np.uint8)
    if image.dtype == np.int8:
        return (np.clip(image, 0, 127).astype(np.uint16) * 2).astype(np.uint8)
    top = float(np.iinfo(image.dtype).max)
    scaled = np.clip(image, 0, None).astype(np.float64) * (255.0 / top)
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def to_gray(frame: np.ndarray) -> np.ndarray:
    """uint8 gray from a gray, BGR or BGRA frame of any integer or float dtype (16-bit images
    are scaled to 8 bits, not clipped)."""
    image = np.asarray(frame)
    _refuse_empty(image)
    if image.dtype != np.uint8:
        image = _to_uint8(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    raise ValueError(f"unsupported frame shape {image.shape}: expected HxW, HxWx1, HxWx3 or HxWx4")


def to_rgb(frame: np.ndarray) -> np.ndarray:
    """uint8 RGB from a gray, BGR or BGRA frame (what MediaPipe wants). Odd dtypes go
    through gray: the detector does not need colour."""
    image = np.asarray(frame)
    _refuse_empty(image)
    if image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    if image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(to_gray(image), cv2.COLOR_GRAY2RGB)


def square_box(box: tuple[int, int, int, int], margin: float = DEFAULT_MARGIN) -> tuple[int, int, int]:
    """(x, y, side) of the square around `box` grown by `margin` on every side."""
    x, y, w, h = box
    side = max(1, int(round(max(w, h) * (1.0 + 2.0 * margin))))
    cx, cy = x + w / 2.0, y + h / 2.0
    return int(round(cx - side / 2.0)), int(round(cy - side / 2.0)), side


def crop_face(frame: np.ndarray, box: tuple[int, int, int, int], size: int = 48,
              margin: float = DEFAULT_MARGIN) -> np.ndarray:
    """uint8 (size, size) grayscale face. Parts of the square outside the frame are filled
    by replicating the edge, so a face at the border keeps its shape and scale."""
    image = np.asarray(frame)
    _refuse_empty(image)
    height, width = image.shape[:2]
    x, y, side = square_box(box, margin)
    x0, y0, x1, y1 = max(0, x), max(0, y), min(width, x + side), min(height, y + side)
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f"face box {box} lies outside the {width}x{height} frame")
    # 8-bit frames: only the face's square is turned gray (a camera frame is 8-bit; this is
    # a tenth of the pixels). Other dtypes scale by the whole frame's range, so they go whole.
    patch = to_gray(image[y0:y1, x0:x1]) if image.dtype == np.uint8 else to_gray(image)[y0:y1, x0:x1]
    pad = (y0 - y, (y + side) - y1, x0 - x, (x + side) - x1)
    if any(pad):
        patch = cv2.copyMakeBorder(patch, *pad, borderType=cv2.BORDER_REPLICATE)
    interpolation = cv2.INTER_AREA if side > size else cv2.INTER_LINEAR
    return cv2.resize(patch, (size, size), interpolation=interpolation)
