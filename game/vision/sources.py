"""Camera sources behind one interface: a webcam index, a video file, or a folder of images.

Every source reconnects with back-off after a failure and reports a status the UI can
show. A realtime source paces its frames like a camera (a video plays at its own fps, a
folder at the fps given); a non-realtime one hands frames out as fast as they are read,
for `classify`, `analyze` and benchmarks.

OpenCV's own log lines (a V4L2 "can't open camera by index" warning on every retry, FFmpeg's
decoder complaints) stay out of the terminal unless `--verbose` asked for them
(EMOTION_GAME_VERBOSE=1, or OpenCV's own OPENCV_LOG_LEVEL set): instead a webcam that is not
there gets one plain line per outage ("no camera found at index 0; retrying") through the
`game.vision.sources` logger, which Python prints to stderr when nobody configured logging.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

from game.vision.observation import CameraStatus

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
VIDEO_SUFFIXES = {".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg"}

#: "1" (set by `emotion-game --verbose`): let OpenCV's and FFmpeg's own lines through.
VERBOSE_ENV = "EMOTION_GAME_VERBOSE"
_OPENCV_SILENT = 0   # cv2.setLogLevel's LOG_LEVEL_SILENT

log = logging.getLogger(__name__)


def native_logs_wanted() -> bool:
    """True when the user asked to see OpenCV's own log lines."""
    return os.environ.get(VERBOSE_ENV) == "1" or "OPENCV_LOG_LEVEL" in os.environ


@contextmanager
def opencv_quiet():
    """OpenCV (and the FFmpeg inside it) says nothing on the terminal while this is open,
    unless native_logs_wanted(). Process-wide while it lasts: OpenCV has one log level."""
    if native_logs_wanted():
        yield
        return
    # FFmpeg's level is read from the environment once, when OpenCV first opens a video file;
    # AV_LOG_QUIET (-8) keeps "[mjpeg @ 0x...] overread" and the like off C's stderr.
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    previous = cv2.getLogLevel()
    cv2.setLogLevel(_OPENCV_SILENT)
    try:
        yield
    finally:
        cv2.setLogLevel(previous)


@dataclass(frozen=True)
class Backoff:
    """Waits between reconnect attempts: first, doubling up to a cap."""

    first_s: float = 0.25
    cap_s: float = 4.0

    def delay(self, failures: int) -> float:
        return min(self.cap_s, self.first_s * (2 ** max(0, failures - 1)))


@dataclass(frozen=True)
class Frame:
    image: np.ndarray          # BGR (or gray / BGRA, as the source gives it)
    index: int                 # position in the source (video frame, folder file, webcam count)
    captured_at: float         # time.monotonic() when read
    name: str = ""             # file name for folder sources


class CameraSource:
    """Base class: `read()` returns the next Frame or None; `status` says why not.

    Subclasses implement `_open() -> bool`, `_read() -> np.ndarray | None` and `_close()`.
    A failed read closes the device and retries `_open()` with back-off (status LOST) until
    `close()`; a source that never opened reports NO_CAMERA and keeps trying the same way,
    so a camera plugged in late is picked up.
    """

    describe = "camera"

    def __init__(self, realtime: bool = True, fps: float = 30.0, backoff: Backoff = Backoff(),
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.realtime = realtime
        self.fps = fps
        self.backoff = backoff
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self.status = CameraStatus.STARTING
        self.last_error: str | None = None
        self._opened_once = False
        self._failures = 0
        self._next_retry = 0.0
        self._next_frame_at: float | None = None
        self._count = 0
        self._closed = False
        self._is_open = False

    # -- to implement
    def _open(self) -> bool:
        raise NotImplementedError

    def _read(self) -> np.ndarray | None:
        raise NotImplementedError

    def _close(self) -> None:
        pass

    def _at_end(self) -> bool:
        """True when a finite source has no more frames (not a failure)."""
        return False

    def _frame_name(self) -> str:
        return ""

    def _outage_line(self, lost: bool) -> str | None:
        """The one line for the terminal when this source stops giving frames (None: say nothing)."""
        return None

    # -- the interface
    def read(self) -> Frame | None:
        """The next frame, paced in realtime mode; None when there is none right now."""
        with self._lock:
            if self._closed or self.status == CameraStatus.ENDED:
                return None
            with opencv_quiet():
                if not self._is_open and not self._try_open():
                    return None
                self._pace()
                image = self._read_safely()
            if image is None:
                if self._at_end():
                    self.status = CameraStatus.ENDED
                    return None
                self._fail("no frame from the device")
                return None
            self.status = CameraStatus.OK
            self._failures = 0
            frame = Frame(image, self._count, self._clock(), self._frame_name())
            self._count += 1
            return frame

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._is_open:
                self._close()
                self._is_open = False

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals
    def _read_safely(self) -> np.ndarray | None:
        try:
            return self._read()
        except (cv2.error, OSError, ValueError) as exc:
            self.last_error = f"{self.describe}: {exc}"
            return None

    def _try_open(self) -> bool:
        now = self._clock()
        if now < self._next_retry:
            self._sleep(min(0.05, self._next_retry - now))  # do not spin while waiting to retry
            return False
        try:
            ok = self._open()
        except (cv2.error, OSError, ValueError) as exc:
            ok, self.last_error = False, f"{self.describe}: {exc}"
        if ok:
            self._is_open, self._opened_once = True, True
            self._next_frame_at = None
            return True
        self._failures += 1
        self._next_retry = now + self.backoff.delay(self._failures)
        self.status = CameraStatus.LOST if self._opened_once else CameraStatus.NO_CAMERA
        self.last_error = self.last_error or f"{self.describe}: cannot open"
        if self._failures == 1:   # once per outage, not once per retry
            self._announce(lost=self._opened_once)
        return False

    def _announce(self, lost: bool) -> None:
        line = self._outage_line(lost)
        if line:
            log.warning(line)

    def _fail(self, why: str) -> None:
        self.last_error = f"{self.describe}: {why}"
        if self._is_open:
            try:
                self._close()
            finally:
                self._is_open = False
        self._failures += 1
        self._next_retry = self._clock() + self.backoff.delay(self._failures)
        self.status = CameraStatus.LOST if self._opened_once else CameraStatus.NO_CAMERA
        if self._failures == 1:
            self._announce(lost=self._opened_once)

    def _pace(self) -> None:
        if not self.realtime or self.fps <= 0:
            return
        now = self._clock()
        if self._next_frame_at is None:
            self._next_frame_at = now
        wait = self._next_frame_at - now
        if wait > 0:
            self._sleep(wait)
        # A late reader skips ahead instead of building a backlog.
        self._next_frame_at = max(self._next_frame_at + 1.0 / self.fps, self._clock() - 0.5 / self.fps)


class WebcamSource(CameraSource):
    def __init__(self, index: int, width: int = 640, height: int = 480, **kwargs):
        super().__init__(realtime=False, **kwargs)  # the device paces itself
        self.index, self.width, self.height = index, width, height
        self.describe = f"webcam {index}"
        self._capture: cv2.VideoCapture | None = None

    def _open(self) -> bool:
        capture = cv2.VideoCapture(self.index)
        if not capture.isOpened():
            capture.release()
            self.last_error = f"{self.describe}: no camera found"
            return False
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest frame, not a queue of old ones
        self._capture = capture
        return True

    def _read(self) -> np.ndarray | None:
        ok, image = self._capture.read()
        return image if ok else None

    def _close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def _outage_line(self, lost: bool) -> str:
        if lost:
            return f"the camera at index {self.index} stopped sending pictures; retrying"
        return f"no camera found at index {self.index}; retrying"


class VideoFileSource(CameraSource):
    def __init__(self, path: str | Path, realtime: bool = True, loop: bool = False, announce: bool = True,
                 **kwargs):
        super().__init__(realtime=realtime, **kwargs)
        self.path = Path(path)
        self.loop = loop
        self.announce = announce   # False: the caller reports `problem` itself (classify, analyze)
        self.describe = f"video {self.path.name}"
        self._capture: cv2.VideoCapture | None = None
        self._ended = False
        self.frame_count = 0
        #: Set when the file turns out damaged or cut short (shown by `analyze`, logged once).
        self.problem: str | None = None

    def _open(self) -> bool:
        if not self.path.is_file():
            self.last_error = f"{self.path}: video file not found"
            return False
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            self.last_error = f"{self.path}: not a readable video"
            return False
        fps = capture.get(cv2.CAP_PROP_FPS)
        if fps and 1 <= fps <= 240:
            self.fps = fps
        self.frame_count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        self._capture = capture
        return True

    def _read(self) -> np.ndarray | None:
        ok, image = self._capture.read()
        if not ok:
            self._note_if_cut_short()
        if not ok and self.loop and self._count > 0:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._capture.read()
        if not ok:
            # End of file (not a failure) when we were past the last frame, or at the last frame
            # a damaged file can give: reopening would only play it again from the start.
            position = int(self._capture.get(cv2.CAP_PROP_POS_FRAMES) or 0)
            at_end = self.frame_count == 0 or position >= self.frame_count - 1 or self.problem is not None
            self._ended = not self.loop and at_end
        return image if ok else None

    def _note_if_cut_short(self) -> None:
        """A file whose header promises more frames than can be decoded is damaged or was cut
        short (a recording that stopped mid-write): say so once, do not pass it off as the end."""
        if self.problem is not None or not self.frame_count or not self.path.is_file():
            return
        position = int(self._capture.get(cv2.CAP_PROP_POS_FRAMES) or 0)
        if position < self.frame_count - 1:
            self.problem = (f"{self.path.name} is damaged or cut short: only {position} of its "
                            f"{self.frame_count} frames can be read")
            if self.announce:
                log.warning(self.problem + ("; playing those again from the start" if self.loop else "; it ends there"))

    def _at_end(self) -> bool:
        return self._ended

    def _close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class FolderSource(CameraSource):
    """Images of a folder in name order, as if a camera showed them at `fps`."""

    def __init__(self, path: str | Path, fps: float = 10.0, realtime: bool = True, loop: bool = False, **kwargs):
        super().__init__(realtime=realtime, fps=fps, **kwargs)
        self.path = Path(path)
        self.loop = loop
        self.describe = f"folder {self.path.name}"
        self._files: list[Path] = []
        self._position = 0
        self.unreadable: list[str] = []

    def _open(self) -> bool:
        if not self.path.is_dir():
            self.last_error = f"{self.path}: folder not found"
            return False
        self._files = sorted(p for p in self.path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            self.last_error = f"{self.path}: no images in the folder"
            return False
        return True

    def _read(self) -> np.ndarray | None:
        while self._position < len(self._files) or self.loop:
            if self._position >= len(self._files):
                self._position = 0
            path = self._files[self._position]
            self._position += 1
            self._current = path.name
            image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
            if image is not None:
                return image
            if not path.exists():
                return None  # the folder vanished under us: a failure, reconnect
            self.unreadable.append(path.name)  # a broken file: skip it, keep going
        return None

    def _frame_name(self) -> str:
        return getattr(self, "_current", "")

    def _at_end(self) -> bool:
        return not self.loop and self._position >= len(self._files) and self.path.is_dir()


class ImageFileSource(FolderSource):
    """One image, shown once (or repeatedly with loop=True)."""

    def __init__(self, path: str | Path, realtime: bool = False, loop: bool = False, **kwargs):
        super().__init__(Path(path).parent, fps=1.0, realtime=realtime, loop=loop, **kwargs)
        self.file = Path(path)
        self.describe = f"image {self.file.name}"

    def _open(self) -> bool:
        if not self.file.is_file():
            self.last_error = f"{self.file}: image not found"
            return False
        self._files = [self.file]
        return True


def open_source(spec: str | int | Path, realtime: bool = True, loop: bool = False,
                fps: float | None = None, **kwargs) -> CameraSource:
    """A webcam index (0, "1"), a video file, an image folder, or one image. Never raises for
    a missing device: the source reports NO_CAMERA and keeps retrying."""
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit()):
        return WebcamSource(int(spec), **kwargs)
    path = Path(spec)
    if path.is_dir():
        return FolderSource(path, fps=fps or 10.0, realtime=realtime, loop=loop, **kwargs)
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return ImageFileSource(path, realtime=realtime, loop=loop, **kwargs)
    return VideoFileSource(path, realtime=realtime, loop=loop, **kwargs)
