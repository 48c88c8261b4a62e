"""Face detection with MediaPipe's face detector, its model loaded from the installed wheel.

mediapipe 0.10.21's legacy `face_detection` solution ships `face_detection_short_range.tflite`
(faces within about 2 m, right for a kiosk) and `..._full_range_sparse.tflite` inside the
wheel, so nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

import numpy as np

SHORT_RANGE, FULL_RANGE = 0, 1
#: The largest frame side handed to MediaPipe (bigger frames are downscaled first).
MAX_SIDE = 4096


def import_mediapipe():
    """Import mediapipe without letting it pull in TensorFlow.

    mediapipe.tasks tries `from tensorflow.tools.docs import doc_controls` for docs only;
    where TensorFlow is installed (the training extra) that import costs seconds and
    hundreds of MB. Blocking it for the duration of this import keeps the runtime
    TensorFlow-free; the block is lifted afterwards so training code can still import it.
    """
    if "mediapipe" in sys.modules:
        return sys.modules["mediapipe"]
    block = "tensorflow" not in sys.modules
    if block:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]  # makes `import tensorflow` fail fast
    try:
        return importlib.import_module("mediapipe")
    finally:
        if block and sys.modules.get("tensorflow", 0) is None:
            del sys.modules["tensorflow"]


@dataclass(frozen=True)
class DetectedFace:
    box: tuple[int, int, int, int]          # x, y, w, h in pixels of the frame (may reach outside it)
    score: float
    keypoints: tuple[tuple[float, float], ...]  # right eye, left eye, nose, mouth, right ear, left ear (pixels)

    @property
    def area(self) -> int:
        return self.box[2] * self.box[3]


class FaceDetector:
    """MediaPipe face detection on RGB frames.

    Args:
        model: SHORT_RANGE (kiosk, default) or FULL_RANGE (classroom recordings).
        min_confidence: detections below this score are dropped.
    """

    def __init__(self, model: int = SHORT_RANGE, min_confidence: float = 0.5):
        mp = import_mediapipe()
        self._detector = mp.solutions.face_detection.FaceDetection(
            model_selection=model, min_detection_confidence=min_confidence)
        # MediaPipe loads its model on a graph thread of its own, moments later, and TFLite prints
        # its "Created ... delegate" line from there in pieces, splitting whatever the game writes
        # to the console at that moment. One look at a blank picture finishes the load here.
        self._detector.process(np.zeros((64, 64, 3), np.uint8))

    def detect(self, rgb: np.ndarray) -> list[DetectedFace]:
        """All faces in an RGB uint8 frame (H, W, 3), largest first.

        Frames larger than MAX_SIDE are looked at through a downscaled copy: MediaPipe looks
        at 128x128 anyway, and its OpenCV aborts the whole process on sides >= 32767 px.
        """
        if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8 or min(rgb.shape[:2]) == 0:
            raise ValueError(f"the face detector needs an RGB uint8 frame, got {rgb.dtype} {rgb.shape}")
        height, width = rgb.shape[:2]
        if max(height, width) > MAX_SIDE:
            import cv2

            scale = MAX_SIDE / max(height, width)
            rgb = cv2.resize(rgb, (max(1, int(width * scale)), max(1, int(height * scale))),
                             interpolation=cv2.INTER_AREA)
        result = self._detector.process(np.ascontiguousarray(rgb))
        faces = []
        for detection in result.detections or ():
            box = detection.location_data.relative_bounding_box
            x, y = int(round(box.xmin * width)), int(round(box.ymin * height))
            w, h = int(round(box.width * width)), int(round(box.height * height))
            if w <= 0 or h <= 0:
                continue
            points = tuple((kp.x * width, kp.y * height) for kp in detection.location_data.relative_keypoints)
            faces.append(DetectedFace((x, y, w, h), float(detection.score[0]), points))
        faces.sort(key=lambda f: f.area, reverse=True)
        return faces

    def close(self) -> None:
        self._detector.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def turned_away(face: DetectedFace, max_yaw_ratio: float = 0.55) -> bool:
    """True when the nose sits far to one side of the eyes: the head is turned away.

    The nose tip's horizontal offset from the eyes' midpoint, in units of the eye distance,
    is near 0 facing the camera and grows as the head turns.
    """
    if len(face.keypoints) < 3:
        return False
    (rx, _), (lx, _), (nx, _) = face.keypoints[:3]
    eye_distance = abs(lx - rx)
    if eye_distance < 1e-6:
        return True
    return abs(nx - (lx + rx) / 2) / eye_distance > max_yaw_ratio


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ax2, ay2, bx2, by2 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0, min(ax2, bx2) - max(a[0], b[0]))
    ih = max(0, min(ay2, by2) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


@dataclass(frozen=True)
class PrimaryPlayer:
    """Chooses the one child the game watches among several faces, without flipping.

    The best face is large and central. The current player stays the player while their
    face is still there (matched by overlap), unless another face has been clearly better
    (`switch_ratio`) for `switch_frames` frames in a row: a friend leaning in for a moment
    does not steal the round.
    """

    box: tuple[int, int, int, int] | None = None
    challenger_frames: int = 0
    switch_ratio: float = 1.5
    switch_frames: int = 15
    min_iou: float = 0.3

    @staticmethod
    def appeal(face: DetectedFace, frame_size: tuple[int, int]) -> float:
        width, height = frame_size
        cx, cy = face.box[0] + face.box[2] / 2, face.box[1] + face.box[3] / 2
        off_centre = np.hypot((cx - width / 2) / width, (cy - height / 2) / height)  # 0 .. ~0.7
        return face.area * (1.0 - 0.8 * off_centre)

    def step(self, faces: list[DetectedFace], frame_size: tuple[int, int]) -> tuple["PrimaryPlayer", int | None]:
        """(next state, index of the primary face in `faces` or None)."""
        from dataclasses import replace

        if not faces:
            return replace(self, box=None, challenger_frames=0), None
        scores = [self.appeal(f, frame_size) for f in faces]
        best = int(np.argmax(scores))
        current = None
        if self.box is not None:
            overlaps = [iou(self.box, f.box) for f in faces]
            if max(overlaps) >= self.min_iou:
                current = int(np.argmax(overlaps))
        if current is None or current == best:
            return replace(self, box=faces[best].box, challenger_frames=0), best
        if scores[best] >= self.switch_ratio * scores[current]:
            frames = self.challenger_frames + 1
            if frames >= self.switch_frames:
                return replace(self, box=faces[best].box, challenger_frames=0), best
            return replace(self, box=faces[current].box, challenger_frames=frames), current
        return replace(self, box=faces[current].box, challenger_frames=0), current
