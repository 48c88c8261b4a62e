"""A local, fsync'd backup of writes the database did not take yet.

When the database is locked, unreachable or full, each write that could not be committed is
appended here as one JSON line and fsync'd before `record_attempt` returns, so a power cut or
`kill -9` while the database is away loses nothing. Every write carries a unique key, so a
journal line whose write did reach the database is recognised on replay, never stored twice.

Each open store owns one journal file and holds an exclusive `flock` on it. A journal whose
lock can be taken belongs to a store that is gone (crashed, killed, closed with writes still
pending); the next store for the same database adopts it.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JOURNAL_SUFFIX = ".jsonl"


@dataclass(frozen=True)
class PendingWrite:
    """One write waiting for the database. `kind` names the table operation; `key` is unique."""

    kind: str            # "session_start" | "session_end" | "attempt" | "level_result"
    key: str
    data: dict[str, Any]

    def to_line(self) -> str:
        return json.dumps({"kind": self.kind, "key": self.key, "data": self.data},
                          ensure_ascii=True, separators=(",", ":")) + "\n"  # ASCII: any text survives

    @classmethod
    def from_line(cls, line: str) -> "PendingWrite":
        raw = json.loads(line)
        return cls(kind=str(raw["kind"]), key=str(raw["key"]), data=dict(raw["data"]))


def read_lines(path: Path) -> Iterator[PendingWrite]:
    """The writes in a journal file; a torn last line (a crash mid-append) is skipped."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.endswith("\n"):
                break  # the append that was in flight when the process died
            try:
                yield PendingWrite.from_line(line)
            except (ValueError, KeyError, TypeError):
                continue


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Journal:
    """The journal file of one open store: `pending-<tag>-<random>.jsonl` in `directory`."""

    def __init__(self, directory: Path, tag: str) -> None:
        self.directory = Path(directory)
        self.tag = tag
        self.path: Path | None = None
        self._fd: int | None = None

    def _prefix(self) -> str:
        return f"pending-{self.tag}-"

    def _open(self) -> int:
        """Create and lock our file. Made under a temporary name and renamed once locked, so
        another store can never adopt (and delete) it in the moment between create and lock."""
        if self._fd is not None:
            return self._fd
        self.directory.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex[:12]
        temporary = self.directory / f".new-{self.tag}-{token}{JOURNAL_SUFFIX}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            final = self.directory / f"{self._prefix()}{token}{JOURNAL_SUFFIX}"
            os.rename(temporary, final)
            _fsync_dir(self.directory)
        except OSError:
            os.close(fd)
            temporary.unlink(missing_ok=True)
            raise
        self._fd, self.path = fd, final
        return fd

    def append(self, writes: list[PendingWrite]) -> None:
        """Append and fsync; raises OSError (disk full, read-only) for the caller to report."""
        if not writes:
            return
        fd = self._open()
        payload = "".join(write.to_line() for write in writes).encode("utf-8")
        written = 0
        while written < len(payload):
            written += os.write(fd, payload[written:])
        os.fsync(fd)

    def clear(self) -> None:
        """Everything in the journal is in the database now: empty the file."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)

    def adopt_orphans(self) -> list[PendingWrite]:
        """Writes left by stores that are gone, oldest file first; those files are removed.

        The caller must put the returned writes in its own journal (see Store) before the
        orphans are deleted, which is why this returns them only after `append` succeeded.
        """
        if not self.directory.is_dir():
            return []
        adopted: list[PendingWrite] = []
        candidates = sorted(self.directory.glob(f"{self._prefix()}*{JOURNAL_SUFFIX}"),
                            key=lambda p: (p.stat().st_mtime if p.exists() else 0, p.name))
        for path in candidates:
            if self.path is not None and path == self.path:
                continue
            try:
                fd = os.open(path, os.O_RDWR)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # its store is alive and will save them itself
            try:
                writes = list(read_lines(path))
                self.append(writes)          # safe in our journal first...
                path.unlink(missing_ok=True)  # ...then the orphan may go
                adopted.extend(writes)
            finally:
                os.close(fd)
        if adopted:
            _fsync_dir(self.directory)
        return adopted

    def close(self, *, remove_if_empty: bool) -> None:
        if self._fd is None:
            return
        try:
            empty = os.fstat(self._fd).st_size == 0
            if remove_if_empty and empty and self.path is not None:
                self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = None
