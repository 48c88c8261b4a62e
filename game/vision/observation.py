"""What the vision worker tells the game, and the one object the two threads share."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

import numpy as np


class CameraStatus(str, Enum):
    OK = "ok"
    STARTING = "starting"
    NO_CAMERA = "no camera"      # never opened: nothing plugged in, wrong index, missing file
    LOST = "camera lost"         # was working, now failing; the source is retrying with back-off
    ENDED = "ended"              # a video or folder played to its end


@dataclass(frozen=True)
class FaceReading:
    """One tracked face in friends mode (game.vision.tracking.FriendSides).

    `side` is "left" or "right" as the children see themselves on the mirrored screen;
    `track_id` stays the same while the face is followed; `box` is (x, y, w, h) in pixels of
    the original frame; `probs` and `smoothed` as on Observation, smoothed per track.
    """

    side: str
    track_id: int
    box: tuple[int, int, int, int]
    probs: dict[str, float] = field(default_factory=dict)
    smoothed: dict[str, float] = field(default_factory=dict)
    looking_away: bool = False


@dataclass(frozen=True)
class Observation:
    """One processed camera frame.

    `preview` is a small RGB copy of the frame, not mirrored (the UI mirrors it); `face_box`
    is (x, y, w, h) in pixels of the original frame, or None. `probs` are the model's raw
    probabilities for the primary face; `smoothed` the same over about 300 ms. Both are
    empty when no face is seen. `looking_away` is True when the primary face is turned
    well away from the camera (from the detector's keypoints).
    """

    t: float
    frame_index: int
    frame_size: tuple[int, int]                   # (width, height) of the original frame
    preview: np.ndarray | None
    face_box: tuple[int, int, int, int] | None
    n_faces: int
    probs: dict[str, float] = field(default_factory=dict)
    smoothed: dict[str, float] = field(default_factory=dict)
    camera_status: CameraStatus = CameraStatus.OK
    looking_away: bool = False
    captured_at: float = 0.0                      # time.monotonic() when the frame was read
    error: str | None = None                      # a problem the worker wants shown (e.g. model failed)
    #: The expression model could not be loaded (the worker runs detection only): set on every
    #: observation until the worker is restarted, with or without a face in view.
    model_error: str | None = None
    #: Friends mode: up to two tracked faces, the left one first (empty without a face). The
    #: fields above keep describing the primary face, so one child plays exactly as before.
    faces: tuple[FaceReading, ...] = ()


T = TypeVar("T")


class Mailbox(Generic[T]):
    """Latest-value mailbox: `put` replaces whatever is there; `get` returns the newest or None.

    No queue, so a slow reader never builds a backlog and never sees stale frames.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: T | None = None
        self._version = 0

    def put(self, value: T) -> None:
        with self._lock:
            self._value = value
            self._version += 1

    def get(self) -> T | None:
        with self._lock:
            return self._value

    def get_with_version(self) -> tuple[T | None, int]:
        """The value and how many puts happened so far (to tell a new value from an old one)."""
        with self._lock:
            return self._value, self._version
