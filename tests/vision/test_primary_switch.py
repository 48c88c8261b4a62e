"""When the kiosk starts watching another child (the primary face switches), that child's
reading starts afresh: the last child's smoothed expression never carries into the gauge."""

import time

import cv2
import numpy as np

from game.vision.detector import DetectedFace
from game.vision.observation import Mailbox
from game.vision.pipeline import ClassifiedFace
from game.vision.worker import VisionWorker

HAPPY = {"happy": 1.0, "sad": 0.0, "fear": 0.0}
SAD = {"happy": 0.0, "sad": 1.0, "fear": 0.0}
FRAMES = 60
#: From this frame the second child leans in, far bigger than the first (and stays).
LEANS_IN = 10


class TwoChildren:
    """A pipeline whose first child (left, happy) is the player until the second (right, sad)
    is far bigger for long enough to take over."""

    classifier = object()

    def __init__(self):
        self.calls = 0

    def detect(self, frame):
        index = int(frame[0, 0, 0])            # the frame's number is written into its pixels
        right = (230, 20, 200, 200) if index >= LEANS_IN else (330, 20, 40, 40)
        return [DetectedFace((110, 60, 100, 100), 0.9, ()), DetectedFace(right, 0.9, ())]

    def classify(self, frame, faces):
        return [ClassifiedFace(f, dict(HAPPY if f.box[0] < 220 else SAD)) for f in faces]

    def close(self):
        pass


def test_a_new_player_reading_starts_afresh(tmp_path):
    frames = tmp_path / "frames"
    frames.mkdir()
    for i in range(FRAMES):
        cv2.imwrite(str(frames / f"{i:03d}.png"), np.full((240, 440, 3), i, np.uint8))
    mailbox = Mailbox()
    seen = []
    worker = VisionWorker(str(frames), mailbox, pipeline_factory=TwoChildren, tau_s=2.0)
    worker.start()
    deadline = time.monotonic() + 30
    last = -1
    while time.monotonic() < deadline:
        obs = mailbox.get()
        if obs is not None and obs.frame_index > last:
            seen.append(obs)
            last = obs.frame_index
        if last >= FRAMES - 1 or not worker.running:
            break
        time.sleep(0.002)
    worker.stop()
    assert worker.error is None
    assert seen[0].face_box[0] < 220 and seen[0].smoothed["happy"] == 1.0   # the first child plays first
    switched = [o for o in seen if o.face_box is not None and o.face_box[0] >= 220]
    assert switched, "the second child never became the player"
    first = switched[0]
    # the new player's own reading, not a blend with the first child's happy face
    assert first.probs == SAD
    assert first.smoothed["sad"] == 1.0 and first.smoothed["happy"] == 0.0
