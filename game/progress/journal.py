"""Local, fsync'd copies of what the database has not taken yet, and of the child list.

Every write the game makes is appended here as one JSON line and fsync'd *before* the
database is tried, so a power cut, a `kill -9` or a database that hangs loses nothing. Every
write carries a unique key, so a journal line whose write did reach the database is
recognised on replay, never stored twice.

Each open store owns one journal file per place and holds an exclusive `flock` on it. A
journal whose lock can be taken belongs to a store that is gone (crashed, killed, closed with
writes still pending); the next store for the same database adopts it.

`KeptWrites` keeps the journal in the first of several places that takes it (beside the
database, then this computer's state folder): when a place fails (full, read-only, its folder
deleted), everything not yet in the database is written afresh to the next place, so each
journal file holds the writes in order. `ChildListCopy` keeps the last child list the
database gave, so a kiosk can list and start children while the school database is away.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

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
        size_before = os.fstat(fd).st_size
        try:
            written = 0
            while written < len(payload):
                written += os.write(fd, payload[written:])
            os.fsync(fd)
        except OSError:
            # A torn line would swallow the next good one on replay: cut it off again.
            try:
                os.ftruncate(fd, size_before)
            except OSError:
                pass
            raise
        self._check_in_place(fd)

    def _check_in_place(self, fd: int) -> None:
        """A journal whose folder was deleted still takes writes (into a file nobody can
        find again): that counts as a failed write."""
        try:
            here = os.stat(self.path) if self.path is not None else None
        except OSError:
            here = None
        mine = os.fstat(fd)
        if here is None or (here.st_dev, here.st_ino) != (mine.st_dev, mine.st_ino):
            lost = self.path
            os.close(fd)              # unreachable now: the next append makes a new file
            self._fd, self.path = None, None
            raise FileNotFoundError(2, f"the journal file {lost} was deleted or moved")

    def clear(self) -> None:
        """Everything in the journal is in the database now: empty the file."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.fsync(self._fd)

    def holds_lines(self) -> bool:
        try:
            return self._fd is not None and os.fstat(self._fd).st_size > 0
        except OSError:
            return False

    def find_orphans(self) -> list[tuple[Path, int]]:
        """Journal files of stores that are gone, oldest first, each as (path, locked fd)."""
        try:
            if not self.directory.is_dir():
                return []
            candidates = sorted(self.directory.glob(f"{self._prefix()}*{JOURNAL_SUFFIX}"),
                                key=lambda p: (p.stat().st_mtime if p.exists() else 0, p.name))
        except OSError:
            return []
        found = []
        for path in candidates:
            if self.path is not None and path == self.path:
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue  # its store is alive and will save them itself
            found.append((path, fd))
        return found

    def close(self, *, remove_if_empty: bool) -> None:
        if self._fd is None:
            return
        try:
            empty = os.fstat(self._fd).st_size == 0
            if remove_if_empty and empty and self.path is not None:
                self.path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("progress journal: could not remove the empty %s: %s", self.path, exc)
        finally:
            os.close(self._fd)
            self._fd = None
            self.path = None


@dataclass(frozen=True)
class Place:
    """A folder that can hold a store's journal, and the name its files carry."""

    directory: Path
    tag: str


class KeptWrites:
    """The journal of one open store, kept in the first of `places` that takes it.

    `keep(write, backlog)` appends `write`, the newest of `backlog` (everything not yet in
    the database, oldest first), and returns the file that now holds the backlog. When the
    place in use fails, the whole backlog is written to the next place that takes it, so one
    file always holds every kept write in order. Raises OSError only when no place takes it.
    """

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = list(places)
        self._journals = [Journal(place.directory, place.tag) for place in self.places]
        self._active: int | None = None
        #: Why a place was given up, worded for the teacher (None while the first place works).
        self.problem: str | None = None

    @property
    def path(self) -> Path | None:
        """The journal file that holds every kept write (None: none written yet)."""
        return None if self._active is None else self._journals[self._active].path

    def keep(self, write: PendingWrite, backlog: Sequence[PendingWrite]) -> Path:
        failures: list[str] = []
        if self._active is not None:
            journal = self._journals[self._active]
            try:
                journal.append([write])
                return journal.path  # type: ignore[return-value]
            except OSError as exc:
                failures.append(f"{journal.directory}: {exc.strerror or exc}")
        for index, journal in enumerate(self._journals):
            if index == self._active and failures:
                continue
            try:
                journal.append(list(backlog))
            except OSError as exc:
                failures.append(f"{journal.directory}: {exc.strerror or exc}")
                continue
            if index != self._active:
                moved_from = None if self._active is None else self._journals[self._active].directory
                self._active = index
                if index == 0:
                    self.problem = None
                else:
                    self.problem = (f"Unsaved results could not be kept in {self.places[0].directory} "
                                    f"({failures[0].split(': ', 1)[-1]}), so they are kept in "
                                    f"{journal.directory} instead.")
                    log.warning("progress journal: %s", self.problem)
                if moved_from is not None:
                    log.warning("progress journal: moved from %s to %s", moved_from, journal.directory)
            return journal.path  # type: ignore[return-value]
        self._active = None
        raise OSError(f"no place took the journal ({'; '.join(failures)})")

    def clear(self) -> None:
        """Everything kept is in the database now: empty every journal file we hold."""
        for journal in self._journals:
            try:
                journal.clear()
            except OSError as exc:
                log.warning("progress journal: could not empty %s: %s", journal.path, exc)
        if self._active not in (None, 0):
            self._active, self.problem = None, None   # next time, try the first place again

    def adopt_orphans(self) -> tuple[list[PendingWrite], list[tuple[Path, int]]]:
        """Writes left by stores that are gone, in every place, oldest first and each once,
        with the orphan files (still locked). Call `release_orphans` once they are kept."""
        found: list[tuple[Path, int]] = []
        for journal in self._journals:
            found.extend(journal.find_orphans())
        found.sort(key=lambda item: _mtime(item[0]))
        writes: list[PendingWrite] = []
        seen: set[tuple[str, str]] = set()
        for path, _fd in found:
            try:
                lines = list(read_lines(path))
            except OSError as exc:
                log.warning("progress journal: could not read %s: %s", path, exc)
                continue
            for write in lines:
                if (write.kind, write.key) not in seen:
                    seen.add((write.kind, write.key))
                    writes.append(write)
        return writes, found

    @staticmethod
    def release_orphans(found: Sequence[tuple[Path, int]], *, delete: bool) -> None:
        for path, fd in found:
            try:
                if delete:
                    path.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("progress journal: could not remove the adopted %s: %s", path, exc)
            finally:
                os.close(fd)
        if delete:
            for directory in {path.parent for path, _fd in found}:
                _fsync_dir(directory)

    def close(self) -> None:
        """Close every journal file; empty ones are removed, the rest wait for the next start."""
        for journal in self._journals:
            journal.close(remove_if_empty=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


class ChildListCopy:
    """The last child list the database gave, kept in the first of `places` that takes it
    (`children-<tag>.json`), plus the children added on this kiosk while it was away.

    Each entry is a dict: id, name, avatar, created_at (ISO text) and, for a child added
    while the database was away, `key` (its pending write's key; its id is negative until the
    database gives it one).
    """

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = list(places)

    def _path(self, place: Place) -> Path:
        return place.directory / f"children-{place.tag}.json"

    def load(self) -> list[dict[str, Any]]:
        """The newest copy in any place ([] when there is none or none can be read)."""
        best: tuple[float, list[dict[str, Any]]] | None = None
        for place in self.places:
            path = self._path(place)
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                children = [dict(entry) for entry in raw["children"]]
                saved = float(raw.get("saved", 0))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if best is None or saved > best[0]:
                best = (saved, children)
        return best[1] if best else []

    def save(self, children: Sequence[dict[str, Any]], saved: float) -> Path:
        """Write the copy (atomically) into the first place that takes it; OSError if none does."""
        payload = json.dumps({"saved": saved, "children": list(children)}, ensure_ascii=True)
        failures = []
        for place in self.places:
            path = self._path(place)
            temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
            try:
                place.directory.mkdir(parents=True, exist_ok=True)
                with open(temporary, "w", encoding="utf-8") as handle:
                    handle.write(payload)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temporary, path)
                _fsync_dir(place.directory)
            except OSError as exc:
                failures.append(f"{place.directory}: {exc.strerror or exc}")
                try:
                    temporary.unlink(missing_ok=True)
                except OSError:
                    pass
                continue
            return path
        raise OSError(f"no place took the child list ({'; '.join(failures)})")
