"""Frame -> faces -> crops -> probabilities: the steps the worker, `classify`, `analyze` and
the benchmark share. State (who the primary player is, smoothing) stays with the caller."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.vision.card import DEFAULT_MODEL
from game.vision.classifier import ExpressionClassifier
from game.vision.crop import DEFAULT_MARGIN, crop_face, to_rgb
from game.vision.detector import SHORT_RANGE, DetectedFace, FaceDetector


@dataclass(frozen=True)
class ClassifiedFace:
    face: DetectedFace
    probs: dict[str, float]

    @property
    def label(self) -> str:
        return max(self.probs, key=self.probs.get)


class FacePipeline:
    """MediaPipe detection + the expression classifier, configured once.

    Args:
        model_path: the expression model (its card sits beside it).
        detector_model: SHORT_RANGE for a kiosk, FULL_RANGE for classroom recordings.
        min_confidence: face detection score threshold.
        margin: crop margin around the detector's box.
    """

    def __init__(self, model_path: str | Path = DEFAULT_MODEL, detector_model: int = SHORT_RANGE,
                 min_confidence: float = 0.5, margin: float = DEFAULT_MARGIN, num_threads: int = 1):
        self.classifier = ExpressionClassifier(model_path, num_threads=num_threads)
        self.detector = FaceDetector(detector_model, min_confidence)
        self.margin = margin

    @property
    def labels(self) -> tuple[str, ...]:
        return self.classifier.labels

    def detect(self, frame: np.ndarray) -> list[DetectedFace]:
        return self.detector.detect(to_rgb(frame))

    def crops(self, frame: np.ndarray, faces: list[DetectedFace]) -> np.ndarray:
        size = self.classifier.card.size
        if not faces:
            return np.zeros((0, size, size), np.uint8)
        return np.stack([crop_face(frame, f.box, size, self.margin) for f in faces])

    def classify(self, frame: np.ndarray, faces: list[DetectedFace]) -> list[ClassifiedFace]:
        if not faces:
            return []
        probs = self.classifier.probabilities(self.crops(frame, faces), with_neutral=True)
        labels = self.classifier.read_labels
        return [ClassifiedFace(face, {label: float(p) for label, p in zip(labels, row)})
                for face, row in zip(faces, probs)]

    def process(self, frame: np.ndarray) -> list[ClassifiedFace]:
        """Every face in the frame, classified, largest first."""
        return self.classify(frame, self.detect(frame))

    def close(self) -> None:
        self.detector.close()
