"""The game's link to the progress store: two background threads, so a frame never waits on a
database (a locked SQLite file, a school server that does not answer).

Writes go in order on `writer`; reads go on `reader`, so a slow read never holds a write back.
`submit(work)` is a write whose answer the game does not need (a failure is kept in `error`
for the teacher). `call(work, then)` runs `work(store)` on the thread and queues
`then(result, error)`, which `take_answers()` hands over on the UI thread (`Game.step`), so
scenes only ever change on the UI thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any, Callable

log = logging.getLogger(__name__)

Work = Callable[[Any], Any]
Then = Callable[[Any, "BaseException | None"], None]


class StoreThread:
    """One background thread that makes progress-store calls in order."""

    def __init__(self, store: Any, name: str, answers: queue.Queue):
        self.store = store
        self.name = name
        self._answers = answers
        self._queue: queue.Queue = queue.Queue()
        self._calls_running = 0
        self._calls_changed = threading.Condition()
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, work: Work) -> None:
        """`work(store)` on this thread; nobody waits for it (a failure is kept in `error`)."""
        self._queue.put((work, None))

    def call(self, work: Work, then: Then) -> None:
        """`work(store)` on this thread; `then(result, error)` later on the UI thread."""
        with self._calls_changed:
            self._calls_running += 1
        self._queue.put((work, then))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                work, then = item
                if then is None:
                    self._write(work)
                else:
                    self._call(work, then)
            finally:
                self._queue.task_done()

    def _write(self, work: Work) -> None:
        try:
            work(self.store)
        except Exception as exc:  # noqa: BLE001 - a failed write is reported to the teacher, never fatal
            self.error = f"{type(exc).__name__}: {exc}"
            log.warning("store write on %s failed: %s", self.name, exc)

    def _call(self, work: Work, then: Then) -> None:
        result, error = None, None
        try:
            result = work(self.store)
        except Exception as exc:  # noqa: BLE001 - the answer, good or bad, goes back to the UI
            error = exc
            log.warning("store call on %s failed: %s", self.name, exc)
        self._answers.put((then, result, error))
        with self._calls_changed:
            self._calls_running -= 1
            self._calls_changed.notify_all()

    def wait_for_calls(self, timeout_s: float = 10.0) -> bool:
        """Until every `call` so far has its answer queued for the UI (fake-clock tests use
        this so a database answer takes no game time). True when none is left running."""
        with self._calls_changed:
            return self._calls_changed.wait_for(lambda: self._calls_running == 0, timeout_s)

    def drain(self, timeout_s: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout_s
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._queue.unfinished_tasks

    def close(self, timeout_s: float = 10.0) -> None:
        self.drain(timeout_s)
        self._queue.put(None)
        self._thread.join(timeout_s)


class StoreLink:
    """The writer and reader threads over one store, and the answers waiting for the UI."""

    def __init__(self, store: Any):
        self.store = store
        self._answers: queue.Queue = queue.Queue()
        self.writer = StoreThread(store, "store-writer", self._answers)
        self.reader = StoreThread(store, "store-reader", self._answers)

    def take_answers(self) -> None:
        """Hand finished store calls their answers, on the UI thread."""
        while True:
            try:
                then, result, error = self._answers.get_nowait()
            except queue.Empty:
                return
            then(result, error)

    def answers_waiting(self) -> bool:
        """Store calls have answered and the next `take_answers` hands them over."""
        return not self._answers.empty()

    def wait(self, timeout_s: float = 10.0) -> bool:
        """Until every store call so far has its answer waiting."""
        return self.writer.wait_for_calls(timeout_s) and self.reader.wait_for_calls(timeout_s)

    def load_children(self, then: Callable[[list], None], notes: list[str]) -> None:
        """The children the kiosk shows (archived ones left out), read off the UI thread;
        `then(children)` runs on it. While the database is away the store answers from this
        kiosk's copy of the list; [] only when even that fails (with a note in `notes`)."""
        def answered(children, error) -> None:
            if error is not None:
                notes.append(f"could not list children: {error}")
            then(list(children or []))

        self.reader.call(lambda store: list(store.play_children()), answered)

    def close(self) -> None:
        self.writer.close()
        self.reader.close()
        self.take_answers()
