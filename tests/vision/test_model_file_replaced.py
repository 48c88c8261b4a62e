"""A model file replaced while the kiosk runs (a new model shipped) must not break the running
classifier: it holds the model in memory, not mapped from the file."""

import shutil

import numpy as np


def test_the_running_classifier_survives_its_file_being_overwritten(model_path, tmp_path):
    from game.vision.classifier import ExpressionClassifier

    model = tmp_path / "expression.tflite"
    shutil.copy(model_path, model)
    shutil.copy(model_path.with_suffix(".json"), model.with_suffix(".json"))
    classifier = ExpressionClassifier(model)
    face = np.random.default_rng(0).integers(0, 255, (48, 48), dtype=np.uint8)
    before = classifier.outputs(face)
    model.write_bytes(b"\0" * model.stat().st_size)      # overwritten in place, same inode
    assert np.allclose(classifier.outputs(face), before)


def test_a_frame_error_is_kept_short(tmp_path):
    from game.vision.observation import Mailbox
    from game.vision.worker import ERROR_CHARS, VisionWorker

    class Exploding:
        classifier = object()

        def detect(self, frame):
            raise RuntimeError("tflite said: " + "x" * 100_000)

        def close(self):
            pass

    frames = tmp_path / "frames"
    frames.mkdir()
    import cv2

    cv2.imwrite(str(frames / "a.png"), np.full((120, 160, 3), 128, np.uint8))
    worker = VisionWorker(str(frames), Mailbox(), pipeline_factory=Exploding)
    worker.start()
    import time

    deadline = time.monotonic() + 10
    while worker.error is None and time.monotonic() < deadline:
        time.sleep(0.05)
    worker.stop()
    assert worker.error is not None and "tflite said" in worker.error
    assert len(worker.error) <= ERROR_CHARS + 60
