"""The vision worker: one background thread owns the camera, the detector and the model.

camera -> detect -> choose the primary player -> crop -> classify -> smooth -> Observation,
published through a latest-value Mailbox. The UI never waits on any of it.

For friends mode every Observation also carries up to two tracked faces (left and right as the
children see the mirrored screen, game.vision.tracking.FriendSides), each smoothed on its own
track. The primary face is classified once and its reading reused, so with one child in view
the worker does exactly what it did before; a second face costs one more classification.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

from game.vision.card import DEFAULT_MODEL
from game.vision.crop import to_rgb
from game.vision.detector import SHORT_RANGE, PrimaryPlayer, iou, turned_away
from game.vision.observation import CameraStatus, FaceReading, Mailbox, Observation
from game.vision.smoothing import DEFAULT_TAU_S, smooth_probs
from game.vision.sources import CameraSource, open_source
from game.vision.tracking import FriendSides

#: How often the worker repeats a status-only observation while no frames arrive.
STATUS_EVERY_S = 0.2
#: The most of one frame's error message the worker keeps.
ERROR_CHARS = 300


def preview_of(frame: np.ndarray, width: int) -> np.ndarray:
    """A small RGB copy of the frame for the UI (not mirrored: the UI decides), at most
    `width` wide and `width` tall, so an odd strip-shaped frame cannot make a huge preview."""
    rgb = to_rgb(frame)
    scale = min(width / rgb.shape[1], width / rgb.shape[0])
    size = (max(1, int(round(rgb.shape[1] * scale))), max(1, int(round(rgb.shape[0] * scale))))
    return cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)


class VisionWorker:
    """Runs the pipeline on its own thread and publishes Observations.

    Args:
        source: a CameraSource, or a spec for `open_source` (webcam index, video, folder).
        mailbox: where the newest Observation goes.
        model_path: the expression model. If it cannot be loaded, the worker keeps running
            with detection only and every Observation carries the error (the game can show
            the camera and say what is wrong); `error` holds it too.
        preview_width: width of the preview image in Observations.
        tau_s: smoothing time constant.
        pipeline_factory: builds the FacePipeline (tests and the bench pass their own).
    """

    def __init__(self, source: CameraSource | str | int, mailbox: Mailbox[Observation],
                 model_path: str | Path = DEFAULT_MODEL, preview_width: int = 320,
                 tau_s: float = DEFAULT_TAU_S, detector_model: int = SHORT_RANGE,
                 pipeline_factory: Callable | None = None, loop_video: bool = False):
        self.source = source if isinstance(source, CameraSource) else open_source(source, loop=loop_video)
        self.mailbox = mailbox
        self.model_path = Path(model_path)
        self.preview_width = preview_width
        self.tau_s = tau_s
        self.detector_model = detector_model
        self._pipeline_factory = pipeline_factory
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: str | None = None        # what is wrong now (shown to the teacher)
        self._model_error: str | None = None  # the expression model failed to load
        self._load_error: str | None = None  # a model or detector that failed to load: lasts
        self.frames_processed = 0
        #: Per-frame stage timings in ms (detect, crop_classify, total) and capture->publish latency.
        self.timings: deque[dict[str, float]] = deque(maxlen=2000)
        # friends mode: who stands left and right, and each one's smoothed reading (worker thread only)
        self._friends = FriendSides()
        self._friend_smoothed: dict[int, dict[str, float]] = {}

    # -- lifecycle
    def start(self) -> "VisionWorker":
        if self._thread is not None and self._thread.is_alive():
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="vision-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                self.error = self.error or "vision worker did not stop in time"
        self.source.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the loop
    def _build_pipeline(self):
        if self._pipeline_factory is not None:
            return self._pipeline_factory()
        from game.vision.pipeline import FacePipeline

        return FacePipeline(self.model_path, detector_model=self.detector_model)

    def _run(self) -> None:
        pipeline = None
        try:
            pipeline = self._build_pipeline()
        except Exception as exc:  # noqa: BLE001 - any load failure must reach the UI, not kill the thread silently
            self._model_error = self._load_error = f"{exc}"
            self.error = self._load_error
            pipeline = self._detector_only_pipeline()
        state = PrimaryPlayer()
        self._friends, self._friend_smoothed = FriendSides(), {}
        smoothed: dict[str, float] | None = None
        last_t: float | None = None
        last_status_at = 0.0
        try:
            while not self._stop.is_set():
                frame = self.source.read()
                if frame is None:
                    now = time.monotonic()
                    if now - last_status_at >= STATUS_EVERY_S:
                        self._publish_status(now)
                        last_status_at = now
                    if self.source.status == CameraStatus.ENDED:
                        self._stop.wait(0.05)
                    smoothed = None
                    self._friend_smoothed = {}
                    continue
                try:
                    state, smoothed, last_t = self._process(pipeline, frame, state, smoothed, last_t)
                    self.error = self._load_error  # a passing frame problem is over; a load failure is not
                except Exception as exc:  # noqa: BLE001 - one bad frame must not end the game
                    # TFLite's messages can grow with every failure: keep the teacher's line short
                    self.error = f"frame {frame.index}: {exc.__class__.__name__}: {str(exc)[:ERROR_CHARS]}"
                    self.mailbox.put(Observation(
                        t=time.monotonic(), frame_index=frame.index,
                        frame_size=(frame.image.shape[1], frame.image.shape[0]) if frame.image.ndim >= 2 else (0, 0),
                        preview=None, face_box=None, n_faces=0, camera_status=self.source.status,
                        captured_at=frame.captured_at, error=self.error, model_error=self._model_error))
        except Exception:  # noqa: BLE001
            self.error = traceback.format_exc(limit=3)
            self._publish_status(time.monotonic())
        finally:
            if pipeline is not None and hasattr(pipeline, "close"):
                pipeline.close()

    def _detector_only_pipeline(self):
        """When the model cannot load: still find faces so the UI can frame the child."""
        try:
            from game.vision.detector import FaceDetector

            return _DetectorOnly(FaceDetector(self.detector_model))
        except Exception as exc:  # noqa: BLE001
            self._load_error = self.error = f"{self.error}; face detector: {exc}"
            return None

    def _publish_status(self, now: float) -> None:
        previous = self.mailbox.get()
        base = previous if previous is not None else Observation(
            t=now, frame_index=-1, frame_size=(0, 0), preview=None, face_box=None, n_faces=0)
        self.mailbox.put(replace(base, t=now, camera_status=self.source.status, face_box=None, n_faces=0,
                                 probs={}, smoothed={}, error=self.error, model_error=self._model_error,
                                 faces=()))

    def _process(self, pipeline, frame, state, smoothed, last_t):
        image = frame.image
        height, width = image.shape[:2]
        t0 = time.perf_counter()
        faces = pipeline.detect(image) if pipeline is not None else []
        t1 = time.perf_counter()
        previous_box = state.box
        state, primary = state.step(faces, (width, height))
        # Another child became the player: their reading starts afresh, as a new face's does.
        switched = (primary is not None and previous_box is not None
                    and iou(previous_box, faces[primary].box) < state.min_iou)
        probs: dict[str, float] = {}
        looking_away = False
        classifies = getattr(pipeline, "classifier", None) is not None
        if primary is not None:
            looking_away = turned_away(faces[primary])
            if classifies:
                probs = pipeline.classify(image, [faces[primary]])[0].probs
        placed = self._friends.update(frame.index, [f.box for f in faces], width)
        friend_probs = {index: (probs if index == primary else
                                pipeline.classify(image, [faces[index]])[0].probs if classifies else {})
                        for index, _side, _track in placed}
        t2 = time.perf_counter()
        now = time.monotonic()
        dt = (now - last_t) if last_t else 0.0
        readings, self._friend_smoothed = self._friend_readings(faces, placed, friend_probs, dt)
        # The player's reading is their own track's: one smoothing per child, so the gauge never
        # mixes in another child's face (a friend who was the player a moment ago, or who stood
        # in for one frame when the player's face was missed). Only a player holding no side
        # is smoothed here.
        own = next((reading for (index, _side, _track), reading in zip(placed, readings)
                    if index == primary and reading.smoothed), None)
        if own is not None:
            smoothed = dict(own.smoothed)
        elif probs:
            smoothed = smooth_probs(None if switched else smoothed, probs, dt, self.tau_s)
        else:
            smoothed = None
        preview = preview_of(image, self.preview_width)
        observation = Observation(
            t=now, frame_index=frame.index, frame_size=(width, height), preview=preview,
            face_box=faces[primary].box if primary is not None else None, n_faces=len(faces),
            probs=probs, smoothed=dict(smoothed or {}), camera_status=self.source.status,
            looking_away=looking_away, captured_at=frame.captured_at, error=self._load_error,
            model_error=self._model_error, faces=readings)
        self.mailbox.put(observation)
        published = time.monotonic()
        self.frames_processed += 1
        self.timings.append({"detect_ms": (t1 - t0) * 1e3, "classify_ms": (t2 - t1) * 1e3,
                             "total_ms": (time.perf_counter() - t0) * 1e3,
                             "latency_ms": (published - frame.captured_at) * 1e3})
        return state, smoothed, now

    def _friend_readings(self, faces, placed, friend_probs, dt: float):
        """The placed faces as FaceReadings, each smoothed on its own track (a track missing
        from the last frame starts afresh, as the primary face does)."""
        readings, smoothed_now = [], {}
        for index, side, track_id in placed:
            probs = friend_probs[index]
            smoothed = smooth_probs(self._friend_smoothed.get(track_id), probs, dt, self.tau_s) if probs else {}
            if smoothed:
                smoothed_now[track_id] = smoothed
            readings.append(FaceReading(side=side, track_id=track_id, box=faces[index].box, probs=dict(probs),
                                        smoothed=dict(smoothed), looking_away=turned_away(faces[index])))
        return tuple(readings), smoothed_now


class _DetectorOnly:
    classifier = None

    def __init__(self, detector):
        self.detector = detector

    def detect(self, frame):
        return self.detector.detect(to_rgb(frame))

    def close(self):
        self.detector.close()
