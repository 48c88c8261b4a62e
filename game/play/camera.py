"""The game's link to the vision side: starts and stops the vision worker for a camera spec.
The game itself only ever reads the mailbox the worker fills."""

from __future__ import annotations

from pathlib import Path

from game.vision.observation import CameraStatus, Mailbox, Observation
from game.vision.worker import VisionWorker


class VisionCamera:
    """`loop` plays a video or a folder again and again (a soak's camera never ends)."""

    def __init__(self, mailbox: Mailbox[Observation], model_path: Path | None, loop: bool = False):
        self.mailbox = mailbox
        self.model_path = model_path
        self.loop = loop
        self.spec: str | int = 0
        self.worker: VisionWorker | None = None
        self._error: str | None = None

    def start(self, spec: str | int) -> None:
        self.spec = spec
        self._error = None
        kwargs = {"model_path": self.model_path} if self.model_path else {}
        try:
            self.worker = VisionWorker(spec, self.mailbox, preview_width=320, loop_video=self.loop, **kwargs).start()
        except Exception as exc:  # noqa: BLE001 - the game goes on and says the camera is not working
            self._error = f"{spec}: {exc}"
            self.worker = None
            self.mailbox.put(Observation(t=0.0, frame_index=-1, frame_size=(0, 0), preview=None, face_box=None,
                                         n_faces=0, camera_status=CameraStatus.NO_CAMERA, error=self._error))

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    @property
    def error(self) -> str | None:
        return self._error or (self.worker.error if self.worker is not None else None)
