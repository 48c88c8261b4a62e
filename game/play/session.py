"""The child at the kiosk: their session in the progress store, their calm-face calibration,
their stars, and the tries they make (no pygame).

A session starts off the UI thread (`start`); until both answers are back `ready` is False and
the game shows "just a moment". A calibration the database will not take is kept in memory,
used for the child, and tried again with a growing pause (`retry_due`).
"""

from __future__ import annotations

import logging
from typing import Any

from game.play.store_link import StoreLink
from game.progress import Attempt

log = logging.getLogger(__name__)

#: A calibration the database did not take is tried again after this long, doubling up to
#: the maximum (it is kept in memory meanwhile and used for the child).
CALIBRATION_RETRY_S = 3.0
CALIBRATION_RETRY_MAX_S = 30.0


class Session:
    def __init__(self, link: StoreLink, notes: list[str]):
        self.link = link
        self.notes = notes                     # problems a teacher should see
        self.child: Any = None
        self.session_id: int | None = None
        self.calibration: dict[str, float] | None = None
        self.ready = False                     # the session has started and the child's progress is read
        self.unsaved_calibrations: dict[int, dict[str, float]] = {}   # child id -> baseline not yet stored
        self.calibration_note: str | None = None   # why the last try to store one failed
        self.saving_calibration = False
        self._stars: dict[str, int] = {}
        self._starting: object | None = None   # the start whose answers are awaited
        self._retry_at = 0.0
        self._retry_s = CALIBRATION_RETRY_S
        self._now = 0.0                        # the game clock at the last `retry_due`

    def start(self, child: Any, kiosk_name: str, lang: str) -> None:
        """End any session, then start one for `child` and read their calibration and stars,
        off the UI thread. `ready` turns True once both answers are back."""
        self.end()
        self.child, self.calibration, self._stars, self.ready = child, None, {}, False
        starting = self._starting = object()
        answers: dict[str, Any] = {}
        kept = self.unsaved_calibrations.get(child.id)

        def read(store) -> tuple[dict | None, dict[str, int], list[str]]:
            notes = []
            calibration = kept
            if calibration is None:
                try:
                    calibration = store.get_calibration(child.id)
                except Exception as exc:  # noqa: BLE001 - a database problem must not stop the game
                    notes.append(f"could not read calibration: {exc}")
            try:
                stars = dict(store.level_stars(child.id))
            except Exception as exc:  # noqa: BLE001
                notes.append(f"could not read stars: {exc}")
                stars = {}
            return calibration, stars, notes

        def answered(name: str, result, error) -> None:
            if starting is not self._starting:
                if name == "session" and result is not None:   # another child was chosen meanwhile
                    self.link.writer.submit(lambda store: store.end_session(result))
                return
            answers[name] = (result, error)
            if len(answers) < 2:
                return
            self._starting = None
            session_id, session_error = answers["session"]
            if session_error is not None:
                self.notes.append(f"could not start a session: {session_error}")
            self.session_id = session_id
            progress, read_error = answers["read"]
            calibration, stars, notes = progress if progress is not None else (
                None, {}, [f"could not read progress: {read_error}"])
            self.notes.extend(notes)
            self.calibration, self._stars, self.ready = calibration, stars, True

        self.link.writer.call(lambda store: store.start_session(child.id, kiosk_name, lang),
                              lambda result, error: answered("session", result, error))
        self.link.reader.call(read, lambda result, error: answered("read", result, error))

    def end(self) -> None:
        self._starting = None
        if self.session_id is not None:
            session_id = self.session_id
            self.link.writer.submit(lambda store: store.end_session(session_id))
            self.session_id = None

    def leave(self) -> None:
        """The child has gone: end the session and forget who it was."""
        self.end()
        self.child, self.calibration, self.ready = None, None, False

    # ------------------------------------------------------------------- calibration
    def save_calibration(self, baseline: dict[str, float]) -> None:
        """Use the baseline now; store it off the UI thread, and keep trying while the
        database will not take it (it is kept in memory, and used if the child comes back)."""
        self.calibration = dict(baseline)
        if self.child is not None:
            self.unsaved_calibrations[self.child.id] = dict(baseline)
            self._retry_s = CALIBRATION_RETRY_S
            self._save_calibrations()

    def retry_due(self, now: float) -> None:
        """Called every frame: store kept calibrations again once their pause is over."""
        self._now = now
        if self.unsaved_calibrations and now >= self._retry_at:
            self._save_calibrations()

    def _save_calibrations(self) -> None:
        if self.saving_calibration or not self.unsaved_calibrations:
            return
        batch = {child_id: dict(baseline) for child_id, baseline in self.unsaved_calibrations.items()}
        self.saving_calibration = True

        def store_them(store) -> tuple[list[int], str | None]:
            saved, problem = [], None
            for child_id, baseline in batch.items():
                try:
                    store.set_calibration(child_id, baseline)
                    saved.append(child_id)
                except Exception as exc:  # noqa: BLE001 - kept and tried again later
                    problem = str(exc)
            return saved, problem

        def answered(result, error) -> None:
            self.saving_calibration = False
            saved, problem = result if result is not None else ([], str(error))
            for child_id in saved:
                if self.unsaved_calibrations.get(child_id) == batch[child_id]:   # not replaced meanwhile
                    del self.unsaved_calibrations[child_id]
            self.calibration_note = problem
            if self.unsaved_calibrations:
                self._retry_at = self._now + self._retry_s
                self._retry_s = min(self._retry_s * 2, CALIBRATION_RETRY_MAX_S)

        self.link.writer.call(store_them, answered)

    # ---------------------------------------------------------------- tries and stars
    def stars(self) -> dict[str, int]:
        return dict(self._stars)

    def record_attempt(self, **fields: Any) -> None:
        """One try, as the progress store keeps it (nothing without a child and a session)."""
        if self.child is None or self.session_id is None:
            return
        attempt = Attempt(child_id=self.child.id, session_id=self.session_id, **fields)
        self.link.writer.submit(lambda store: store.record_attempt(attempt))

    def finish_level(self, level_id: str, stars: int, points: int) -> None:
        if self.child is None:
            return
        child_id = self.child.id
        self._stars[level_id] = max(self._stars.get(level_id, 0), stars)
        self.link.writer.submit(lambda store: store.record_level_result(child_id, level_id, stars, points))

    def close(self) -> None:
        """Before the store closes: end the session, one last try to store calibrations."""
        self.end()
        if self.unsaved_calibrations and not self.saving_calibration:
            self._save_calibrations()      # a calibration lives in memory only

    def log_unsaved(self) -> None:
        for child_id in self.unsaved_calibrations:
            log.warning("calibration for child %s could not be stored: %s", child_id, self.calibration_note)
