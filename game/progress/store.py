"""The progress store: children, sessions, attempts, stars and calibration in one database.

SQLite (WAL, synchronous=FULL) on a single kiosk; PostgreSQL (psycopg 3) when a school's
kiosks share one database.

Writes the game makes while a child plays (`start_session`, `record_attempt`,
`record_level_result`, `end_session`) never raise and never wait long:

1. each write is appended to an fsync'd journal on this kiosk *first* (journal.py; beside the
   SQLite file or in the user-data folder, else this computer's state folder, whichever takes
   it), so a power cut, a `kill -9` or a hung server loses nothing;
2. a store thread then commits the journalled writes to the database, oldest first, one
   transaction each; the caller waits for that at most `SUBMIT_WAIT_S`, and only while the
   database seems well (a database that just failed is retried in the background, with
   back-off, without anybody waiting);
3. every wait on the network has a limit (engine.py): connecting, each statement, and a server
   that does not answer at all (its socket is cut);
4. no lock is held across database I/O: `pending_count()`, `status()` and `close()` never wait
   on the network (`close()` waits at most its `flush_timeout_s` and leaves the rest in the
   journal for the next start).

Reads and teacher actions (`list_children`, `add_child`, `child_summary`, ...) raise
ProgressError with a readable message. While the school server cannot be reached they fail
at once (until the store has reached it again) instead of waiting out a timeout each.

For the kiosk while the database is away (none of these raise for an unavailable database):

- `play_children() -> list[Child]`: the children to show: the database's list when it
  answers (and this kiosk's copy of it is refreshed), else the copy, plus children added here
  meanwhile.
- `child_for_play(name, avatar="") -> Child`: get-or-create by name. While the database cannot
  take a new child it gets a provisional (negative) id and is journalled; sessions and
  attempts recorded against that id are stored under the child's real id once the database
  takes the child. Raises `InvalidChildName` (a ProgressError) for a blank, over-long or
  unstorable name, with a message for the teacher.
- `status() -> StoreStatus`: what the teacher area and the terminal need: how many results
  wait, where they are kept, whether they are only in memory (then the message says, in
  full, "please do not switch this kiosk off until the results are saved"), whether the child
  list is the kiosk's copy, and `message`, the complete text (`last_error` is the same text).
  Problems are also logged (WARNING/ERROR) when they start, so the terminal shows them.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy import exc as sa_exc

import game.progress.schema as schema
from game.progress.engine import (ConnectionWatchdog, Limits, describe_problem, is_read_only_error,
                                  is_transient, make_engine, sqlite_file)
from game.progress.journal import ChildListCopy, KeptWrites, PendingWrite, Place
from game.progress.model import (Attempt, Child, InvalidChildName, ProgressError, as_utc,
                                 clean_name)
from game.progress.summary import SessionInfo, child_summary

log = logging.getLogger(__name__)

APP_NAME = "emotion-game"
DB_FILENAME = "progress.sqlite3"

#: How long one SQLite write waits for a lock before the attempt is buffered instead. Short,
#: because the game's frame loop waits for it.
SQLITE_BUSY_TIMEOUT_S = 1.0
#: Connecting to a school server that is down must not freeze a round for long either.
POSTGRES_CONNECT_TIMEOUT_S = 3
#: The server cancels a statement (or a lock wait) running longer than this.
POSTGRES_STATEMENT_TIMEOUT_S = 5.0
POSTGRES_LOCK_TIMEOUT_S = 3.0
#: A write transaction that has not finished after this long is cut (the server is hung).
WRITE_DEADLINE_S = 8.0
#: Reads may carry more rows (a report), so they get longer before they are cut.
READ_DEADLINE_S = 20.0
#: Upgrading a big database's schema may legitimately take a while.
MIGRATION_DEADLINE_S = 300.0
#: The longest a game write waits for its commit before it returns (the write is journalled
#: already, so returning early loses nothing).
SUBMIT_WAIT_S = 1.5
#: Opening a database that answers waits this long at most for the last run's kept results.
OPEN_FLUSH_S = 5.0
#: After a failed write, the next try waits this long, doubling up to the maximum, so a
#: database that is away costs the game one short wait now and then, not one per attempt.
RETRY_AFTER_S = 1.0
RETRY_AFTER_MAX_S = 30.0
#: An arbitrary constant naming our PostgreSQL advisory lock for schema migrations.
MIGRATION_LOCK_ID = 0x656D6F67  # "emog"

T = TypeVar("T")


def user_data_dir() -> Path:
    from platformdirs import user_data_path
    return user_data_path(APP_NAME, appauthor=False)


def user_state_dir() -> Path:
    from platformdirs import user_state_path
    return user_state_path(APP_NAME, appauthor=False)


def default_db_url() -> str:
    """The SQLite file in this computer's user-data folder (created when first opened)."""
    return f"sqlite:///{user_data_dir() / DB_FILENAME}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _utc(value: datetime | None) -> datetime | None:
    """Database datetimes as aware UTC (SQLite hands back naive values we stored as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _is_transient(error: BaseException) -> bool:
    return is_transient(error)


class NoAnswer(OSError):
    """The database did not answer in time; the watchdog cut the connection."""


class DatabaseFileGone(OSError):
    """The SQLite file this store was using was deleted or moved while the game ran."""


@dataclass(frozen=True)
class StoreStatus:
    """Where the kiosk's results stand, for the teacher area and the terminal.

    `lines` are complete sentences, most important first; `message` joins them (None when all
    is well). Show the whole message: the "please do not switch this kiosk off" sentence must
    not be cut.
    """

    pending: int                  # results waiting for the database
    kept_in: Path | None          # the journal file that holds them (None: nowhere on disk)
    only_in_memory: bool          # switching the kiosk off now would lose `pending` results
    problem: str | None           # why the database cannot take them right now
    children_from_copy: bool      # play_children() is answering from this kiosk's copy
    lines: tuple[str, ...]

    @property
    def message(self) -> str | None:
        return " ".join(self.lines) or None

    @property
    def needs_attention(self) -> bool:
        return bool(self.lines)


def _places(db_path: Path | None, url_text: str, journal_dir: Path | None,
            spare_dir: Path | None) -> list[Place]:
    """Where unsaved results are kept: the chosen folder first, a folder on this computer's
    own disk second (a different disk, or at least a different folder, than the database)."""
    if db_path is not None:
        first = Place(journal_dir or db_path.parent, db_path.name)
        # In the shared state folder the name must tell this database's files from others'.
        spare_tag = "sqlite-" + hashlib.sha256(str(db_path).encode()).hexdigest()[:12]
    else:
        tag = "pg-" + hashlib.sha256(url_text.encode()).hexdigest()[:12]
        first = Place(journal_dir or user_data_dir() / "pending", tag)
        spare_tag = tag
    second = Place(spare_dir or user_state_dir() / "pending", spare_tag)
    return [first] if second.directory == first.directory else [first, second]


class Store:
    """One open progress database. Thread-safe; cheap writes; see the module docstring."""

    def __init__(self, url: str, *, journal_dir: Path | None = None,
                 spare_journal_dir: Path | None = None) -> None:
        self.url = url
        limits = Limits(sqlite_busy_s=SQLITE_BUSY_TIMEOUT_S, connect_s=POSTGRES_CONNECT_TIMEOUT_S,
                        statement_s=POSTGRES_STATEMENT_TIMEOUT_S, lock_s=POSTGRES_LOCK_TIMEOUT_S,
                        transaction_s=WRITE_DEADLINE_S)
        self._engine = make_engine(url, limits)
        self._db_path = sqlite_file(self._engine)
        self._db_identity: tuple[int, int] | None = None
        self._watchdog = ConnectionWatchdog("progress-store")
        # The state lock: guards the fields below, never held across database I/O.
        self._lock = threading.Condition(threading.RLock())
        self._pending: list[PendingWrite] = []
        self._problem: str | None = None        # why the database is unavailable right now
        self._unreachable = False               # ... and it is the network: reads fail fast
        self._healthy = True                    # the last contact with the database worked
        self._rejected_note: str | None = None  # a result refused for good (kept aside)
        self._memory_only: str | None = None    # why results are only in memory (no journal took them)
        self._schema_ready = False
        self._retry_at = 0.0
        self._retry_after = RETRY_AFTER_S
        self._in_flight = False                 # the store thread is talking to the database
        self._hurry = False                     # flush/close want a try now, back-off or not
        self._failures = 0                      # failed tries so far (waiters watch it)
        self._closed = False
        self._sender: threading.Thread | None = None
        self._child_ids: dict[int, int] = {}    # provisional id -> the database's id
        self._children_from_copy = False
        rendered = self._engine.url.render_as_string(hide_password=True)
        places = _places(self._db_path, rendered, journal_dir, spare_journal_dir)
        self._kept = KeptWrites(places)
        self._children_copy = ChildListCopy(places)
        self._children = self._children_copy.load()
        self._rejected_path = places[0].directory / f"rejected-{places[0].tag}.jsonl"
        self._adopt_orphans()
        self._open_database()
        if self._pending:
            self._start_sender()
            if self._healthy:   # the database answered: let the last run's results in first
                self.flush(OPEN_FLUSH_S)

    # ----------------------------------------------------------------- plumbing
    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def _describe(self, error: BaseException) -> str:
        if isinstance(error, (NoAnswer, DatabaseFileGone)):
            return error.strerror or str(error)
        return describe_problem(error, self._db_path)

    def _open_database(self) -> None:
        """Create the SQLite folder and check the schema; only a database that is not ours
        (foreign, newer, damaged) raises: an unavailable one is noted and retried."""
        try:
            if self._db_path is not None:
                self._db_path.parent.mkdir(parents=True, exist_ok=True)
            self._ensure_schema()
        except ProgressError:
            self._kept.close()
            self._stop_threads()
            raise
        except Exception as exc:  # noqa: BLE001 - the game starts even when the database is away
            if not is_transient(exc):
                self._kept.close()
                self._stop_threads()
                raise ProgressError(self._describe(exc)) from exc
            self._note_failure(exc)

    def _check_db_file(self, *, committed: bool = False) -> None:
        """SQLite keeps writing into a file whose folder was deleted, and nobody can find those
        writes again: a vanished or replaced file is a failure, and the write stays kept."""
        if self._db_path is None:
            return
        try:
            info = os.stat(self._db_path)
            identity: tuple[int, int] | None = (info.st_dev, info.st_ino)
        except FileNotFoundError:
            identity = None
        except OSError:
            return
        known = self._db_identity
        if known is None:
            if committed and identity is not None:
                self._db_identity = identity
            return
        if identity is None:
            raise DatabaseFileGone(
                errno.ENOENT, f"The progress database file ({self._db_path}) was deleted or moved "
                "while the game ran; put it back (or restart the game to begin a new one).")
        if identity != known:
            log.warning("progress store: %s was replaced; opening the new file", self._db_path)
            self._db_identity = identity
            self._engine.dispose()
            if committed:
                raise DatabaseFileGone(errno.ESTALE, f"The progress database file ({self._db_path}) "
                                       "was replaced while the game ran.")

    def _run(self, work: Callable[[Connection], T], *, write: bool, deadline_s: float) -> T:
        """`work(conn)` in one transaction that the watchdog cuts after `deadline_s`.
        Raises the database's error (NoAnswer when it did not answer in time)."""
        self._check_db_file()
        token = None
        try:
            with self._engine.connect() as conn:
                token = self._watchdog.arm(conn.connection.dbapi_connection, deadline_s)
                if write:
                    conn.info["write"] = True
                try:
                    with conn.begin():
                        result = work(conn)
                finally:
                    conn.info.pop("write", None)
        except Exception as exc:
            if self._watchdog.was_cut(token):
                raise NoAnswer(errno.ETIMEDOUT, "The progress database cannot be reached: the "
                               f"school database server did not answer within {deadline_s:.0f} s.") from exc
            raise
        finally:
            self._watchdog.disarm(token)
            self._watchdog.forget(token)
        self._check_db_file(committed=True)
        return result

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        # Reading the version needs no write lock (another kiosk may be writing right now).
        if self._run(schema.current_version, write=False, deadline_s=READ_DEADLINE_S) == schema.SCHEMA_VERSION:
            self._schema_ready = True
            return

        def upgrade(conn: Connection) -> int:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
            return schema.migrate(conn)

        old = self._run(upgrade, write=True, deadline_s=MIGRATION_DEADLINE_S)
        if old != schema.SCHEMA_VERSION:
            log.info("progress database upgraded from schema %s to %s", old, schema.SCHEMA_VERSION)
        self._schema_ready = True

    def _note_failure(self, error: BaseException) -> None:
        problem = self._describe(error)
        with self._lock:
            changed = problem != self._problem
            self._problem = problem
            self._healthy = False
            self._unreachable = self._db_path is None and not is_read_only_error(error) and (
                isinstance(error, (NoAnswer, sa_exc.OperationalError, sa_exc.InterfaceError,
                                   sa_exc.TimeoutError, OSError))
                or (isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)))
            self._retry_at = time.monotonic() + self._retry_after
            self._retry_after = min(self._retry_after * 2, RETRY_AFTER_MAX_S)
            self._failures += 1
            self._lock.notify_all()
        (log.warning if changed else log.debug)("progress store: %s (%s)", problem, error)
        self._start_sender()   # it tries again later, and clears the note once the database answers

    def _note_success(self) -> None:
        with self._lock:
            if not self._healthy:
                log.warning("progress store: the progress database answers again")
            self._healthy = True
            self._unreachable = False
            self._children_from_copy = False   # play_children() gets the database's list again
            self._retry_after = RETRY_AFTER_S
            self._retry_at = 0.0
            if not self._pending:
                self._problem = None
            self._lock.notify_all()

    def _fail_fast(self) -> None:
        """While the school server is known to be unreachable, a read fails now instead of
        waiting out a timeout; the store thread keeps trying and clears this once it answers."""
        with self._lock:
            if self._unreachable and self._problem:
                raise ProgressError(f"{self._problem} (trying again in the background)")

    def _query(self, work: Callable[[Connection], T], *, write: bool = False) -> T:
        """A read or a teacher write; ProgressError when the database cannot do it."""
        self._fail_fast()
        for attempt in (1, 2):
            began = time.monotonic()
            try:
                self._ensure_schema()
                result = self._run(work, write=write,
                                   deadline_s=WRITE_DEADLINE_S if write else READ_DEADLINE_S)
            except ProgressError:
                raise
            except (sa_exc.SQLAlchemyError, OSError) as exc:
                stale = (attempt == 1 and isinstance(exc, sa_exc.DBAPIError)
                         and exc.connection_invalidated and time.monotonic() - began < 1.0)
                if stale:
                    continue  # a pooled connection the server dropped (restart): one fresh try
                if is_transient(exc):
                    self._note_failure(exc)
                raise ProgressError(self._describe(exc)) from exc
            with self._lock:
                if not self._pending and not self._healthy:
                    self._note_success()     # the database answered: an old note no longer holds
            return result
        raise AssertionError("unreachable")

    def _adopt_orphans(self) -> None:
        writes, orphans = self._kept.adopt_orphans()
        if not writes:
            self._kept.release_orphans(orphans, delete=True)
            return
        for write in writes:
            self._pending.append(write)
        try:
            self._kept.keep(writes[-1], self._pending)
        except OSError as exc:
            # The orphans stay where they are (the next start tries again); we hold them in memory.
            self._memory_only = str(exc)
            self._kept.release_orphans(orphans, delete=False)
            log.error("progress store: %s", self._memory_only)
            return
        self._kept.release_orphans(orphans, delete=True)

    # --------------------------------------------------------- buffered writes
    def _real_child(self, child_id: int) -> int:
        return self._child_ids.get(child_id, child_id)

    def _apply(self, conn: Connection, write: PendingWrite) -> int | None:
        """Store one write (idempotent by its key); a child_add returns the child's id."""
        data = write.data
        if write.kind == "session_start":
            exists = conn.execute(select(schema.sessions.c.id).where(
                schema.sessions.c.id == data["id"])).first()
            if not exists:
                conn.execute(insert(schema.sessions).values(
                    id=data["id"], child_id=self._real_child(data["child_id"]), kiosk=data["kiosk"],
                    lang=data["lang"], started_at=datetime.fromisoformat(data["started_at"])))
        elif write.kind == "session_end":
            conn.execute(update(schema.sessions).where(schema.sessions.c.id == data["id"])
                         .values(ended_at=datetime.fromisoformat(data["ended_at"])))
        elif write.kind == "attempt":
            exists = conn.execute(select(schema.attempts.c.id).where(
                schema.attempts.c.record_key == write.key)).first()
            if not exists:
                attempt = Attempt.from_json(data)
                values = attempt.to_json()
                values["child_id"] = self._real_child(attempt.child_id)
                values["started_at"], values["ended_at"] = attempt.started_at, attempt.ended_at
                conn.execute(insert(schema.attempts).values(record_key=write.key, **values))
        elif write.kind == "level_result":
            exists = conn.execute(select(schema.level_results.c.id).where(
                schema.level_results.c.record_key == write.key)).first()
            if not exists:
                conn.execute(insert(schema.level_results).values(
                    record_key=write.key, child_id=self._real_child(data["child_id"]),
                    level_id=data["level_id"], stars=data["stars"], points=data["points"],
                    recorded_at=datetime.fromisoformat(data["recorded_at"])))
        elif write.kind == "child_add":
            t = schema.children
            found = conn.execute(select(t.c.id).where(t.c.record_key == write.key)).scalar()
            if found is None:   # added on another kiosk meanwhile: the same child, as get_or_create
                found = conn.execute(select(t.c.id).where(t.c.name == data["name"])
                                     .order_by(t.c.id).limit(1)).scalar()
            if found is None:
                found = conn.execute(insert(t).values(
                    name=data["name"], avatar=data["avatar"], record_key=write.key,
                    created_at=datetime.fromisoformat(data["created_at"])).returning(t.c.id)).scalar_one()
            return int(found)
        else:
            raise ValueError(f"unknown pending write kind {write.kind!r}")
        return None

    def _commit_one(self, write: PendingWrite) -> bool:
        """Commit one write in its own transaction. True when it is safely stored (or was
        refused for good and set aside); False when the database is unavailable."""
        try:
            self._ensure_schema()
            child_id = self._run(lambda conn: self._apply(conn, write), write=True,
                                 deadline_s=WRITE_DEADLINE_S)
        except Exception as exc:  # noqa: BLE001 - never raise into the game loop
            if is_transient(exc) or isinstance(exc, ProgressError):
                self._note_failure(exc)
                return False
            self._reject(write, exc)
            return True
        if write.kind == "child_add" and child_id is not None:
            self._child_added(write, child_id)
        return True

    def _reject(self, write: PendingWrite, error: BaseException) -> None:
        """A write the database refuses for good (e.g. an unknown child id): keep it in a side
        file for a developer to look at, and keep the queue moving."""
        reason = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
        with self._lock:
            self._rejected_note = (f"One result could not be saved ({reason}); it was kept in "
                                   f"{self._rejected_path}.")
        log.error("progress store: rejected %s %s: %s", write.kind, write.key, reason)
        try:
            self._rejected_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self._rejected_path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"reason": reason, "kind": write.kind, "key": write.key,
                                         "data": write.data}, ensure_ascii=True) + "\n")
        except (OSError, ValueError):
            log.error("progress store: could not keep the rejected %s %s aside", write.kind, write.key)

    def _keep(self, write: PendingWrite) -> None:
        """Journal `write` (already last in `_pending`) before the database sees it. Caller
        holds the state lock."""
        try:
            self._kept.keep(write, self._pending)
        except OSError as exc:
            first = self._memory_only is None
            self._memory_only = str(exc)
            if first:
                log.error("progress store: %s", self._memory_lines(len(self._pending))[-1])
            return
        if self._memory_only is not None:
            log.warning("progress store: unsaved results are on disk again (%s)", self._kept.path)
            self._memory_only = None

    def _start_sender(self) -> None:
        with self._lock:
            if self._sender is None and not self._closed:
                self._sender = threading.Thread(target=self._send_loop, name="progress-store-writer",
                                                daemon=True)
                self._sender.start()

    def _send_loop(self) -> None:
        """The store thread: commits kept writes oldest first, retrying with back-off, and
        checks on a database that failed a read until it answers again."""
        while True:
            with self._lock:
                while True:
                    if self._closed:
                        return
                    has_work = bool(self._pending) or self._problem is not None
                    if has_work:
                        wait = 0.0 if self._hurry else self._retry_at - time.monotonic()
                        if wait <= 0:
                            break
                        self._lock.wait(wait)
                    else:
                        self._lock.wait()
                self._hurry = False
                self._in_flight = True
                write = self._pending[0] if self._pending else None
            try:
                if write is None:
                    ok = self._probe()
                else:
                    ok = self._commit_one(write)
            finally:
                with self._lock:
                    self._in_flight = False
                    self._lock.notify_all()
            with self._lock:
                if self._closed:
                    return
                if ok and write is not None and self._pending and self._pending[0] is write:
                    self._pending.pop(0)
                    if not self._pending:
                        self._kept.clear()
                        self._memory_only = None
                if ok:
                    self._note_success()

    def _probe(self) -> bool:
        try:
            self._ensure_schema()
            self._run(lambda conn: conn.execute(select(1)).scalar(), write=False,
                      deadline_s=WRITE_DEADLINE_S)
        except Exception as exc:  # noqa: BLE001 - the database is still away: note it, try later
            self._note_failure(exc)
            return False
        return True

    def _submit(self, write: PendingWrite) -> None:
        self._start_sender()
        with self._lock:
            if self._closed:   # a late write (a thread still draining): kept for the next start
                self._pending.append(write)
                self._keep(write)
                self._kept.close()
                log.warning("progress store: a %s arrived after close(); kept for the next start", write.kind)
                return
            self._pending.append(write)
            self._keep(write)
            # Wait for the commit only when the database seems well and nobody is talking to
            # it: a database that is away is retried by the store thread, not by the game.
            wait = not self._in_flight and time.monotonic() >= self._retry_at
            failures = self._failures
            self._lock.notify_all()
            if not wait:
                return
            # A failure counts once the store thread is done with its try, so the next write
            # finds it idle and tries again itself when the back-off allows.
            answered = self._lock.wait_for(
                lambda: write not in self._pending or self._closed
                or (self._failures != failures and not self._in_flight), SUBMIT_WAIT_S)
            if not answered:
                self._healthy = False   # slow: the next writes do not wait for it

    # ------------------------------------------------------------ public: play
    def start_session(self, child_id: int, kiosk: str, lang: str, *,
                      started_at: datetime | None = None) -> int:
        """A new session id. Works while the database is away (the id is made here).

        `started_at` defaults to now; importing or replaying a recorded run passes its own.
        """
        session_id = secrets.randbits(52) + 1
        self._submit(PendingWrite("session_start", f"s{session_id}", {
            "id": session_id, "child_id": self._real_child(int(child_id)), "kiosk": str(kiosk)[:200],
            "lang": str(lang)[:16], "started_at": as_utc(started_at or _now()).isoformat()}))
        return session_id

    def end_session(self, session_id: int, *, ended_at: datetime | None = None) -> None:
        self._submit(PendingWrite("session_end", f"e{session_id}", {
            "id": int(session_id), "ended_at": as_utc(ended_at or _now()).isoformat()}))

    def record_attempt(self, attempt: Attempt) -> None:
        """Journal one attempt and commit it (now, or later from the journal). Never raises."""
        key = uuid.uuid4().hex
        try:
            checked = attempt.checked()
        except (ProgressError, TypeError, ValueError, AttributeError) as exc:
            data = attempt.__dict__ if hasattr(attempt, "__dict__") else {"repr": repr(attempt)}
            self._reject(PendingWrite("attempt", key, {k: str(v) for k, v in data.items()}), exc)
            return
        data = checked.to_json()
        data["child_id"] = self._real_child(checked.child_id)
        self._submit(PendingWrite("attempt", key, data))

    def record_level_result(self, child_id: int, level_id: str, stars: int, points: int) -> None:
        """The stars a finished level earned (kept like attempts; never raises)."""
        try:
            values = {"child_id": self._real_child(int(child_id)), "level_id": str(level_id),
                      "stars": max(0, int(stars)), "points": max(0, int(points)),
                      "recorded_at": _now().isoformat()}
        except (TypeError, ValueError) as exc:
            self._reject(PendingWrite("level_result", uuid.uuid4().hex, {
                "child_id": str(child_id), "level_id": str(level_id), "stars": str(stars),
                "points": str(points)}), exc)
            return
        self._submit(PendingWrite("level_result", uuid.uuid4().hex, values))

    def flush(self, timeout_s: float = 5.0) -> int:
        """Ask the store thread to try now and wait until all are stored or `timeout_s`
        passes (never longer: a hung database keeps its writes in the journal); how many remain."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        self._start_sender()
        with self._lock:
            while self._pending and not self._closed:
                if not self._in_flight:
                    self._hurry = True
                    self._lock.notify_all()
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(min(left, 0.25))
            return len(self._pending)

    def pending_count(self) -> int:
        with self._lock:
            return len(self._pending)

    def _memory_lines(self, waiting: int) -> list[str]:
        plural = "result is" if waiting == 1 else "results are"
        return [f"{waiting} {plural} kept only in this kiosk's memory and will be saved "
                "automatically.",
                f"They could not be written to a backup file either ({self._memory_only}): please do "
                "not switch this kiosk off until the results are saved."]

    def status(self) -> StoreStatus:
        """Where the results stand (see StoreStatus); never waits on the database."""
        with self._lock:
            waiting = len(self._pending)
            lines: list[str] = []
            if waiting:
                lines.append(self._problem or "The progress database has not taken the latest "
                             "results yet.")
                if self._memory_only is not None:
                    lines.extend(self._memory_lines(waiting))
                else:
                    plural = "result is" if waiting == 1 else "results are"
                    lines.append(f"{waiting} {plural} kept safely on this kiosk and will be saved "
                                 "automatically.")
                    if self._kept.problem:
                        lines.append(self._kept.problem)
            elif self._problem:
                lines.append(self._problem)
            if self._rejected_note:
                lines.append(self._rejected_note)
            if self._children_from_copy:
                lines.append("The list of children is this kiosk's own copy, because the progress "
                             "database cannot be read; children added now are saved when it answers.")
            return StoreStatus(
                pending=waiting, kept_in=self._kept.path if waiting and self._memory_only is None else None,
                only_in_memory=bool(waiting) and self._memory_only is not None,
                problem=self._problem, children_from_copy=self._children_from_copy,
                lines=tuple(lines))

    @property
    def last_error(self) -> str | None:
        """The teacher note (status().message): None when all is well."""
        return self.status().message

    # ------------------------------------------------------- the child list copy
    def _child_entry(self, child: Child, key: str | None = None) -> dict[str, Any]:
        entry = {"id": child.id, "name": child.name, "avatar": child.avatar,
                 "created_at": child.created_at.isoformat()}
        if key is not None:
            entry["key"] = key
        return entry

    def _save_children_copy(self) -> None:
        try:
            self._children_copy.save(self._children, time.time())
        except OSError as exc:
            log.warning("progress store: could not keep a copy of the child list: %s", exc)

    def _remember_children(self, children: list[Child]) -> None:
        """The database's list, plus children added here that it has not taken yet."""
        waiting = [e for e in self._children if e.get("key") and int(e["id"]) < 0
                   and int(e["id"]) not in self._child_ids]
        fresh = [self._child_entry(c) for c in children] + waiting
        with self._lock:
            self._children_from_copy = False
            if fresh == self._children:
                return
            self._children = fresh
        self._save_children_copy()

    def _child_added(self, write: PendingWrite, child_id: int) -> None:
        provisional = int(write.data["id"])
        with self._lock:
            self._child_ids[provisional] = child_id
            for entry in self._children:
                if entry.get("key") == write.key:
                    entry["id"] = child_id
                    entry.pop("key", None)
            # Writes journalled before the child had its id carry the provisional one: _apply
            # maps it, also after a restart, because the child_add comes first in the journal.
        log.info("progress store: child %r added (id %d, was %d on this kiosk)",
                 write.data["name"], child_id, provisional)
        self._save_children_copy()

    def _copied_children(self) -> list[Child]:
        with self._lock:
            entries = list(self._children)
        return [Child(id=int(e["id"]), name=str(e["name"]), avatar=str(e.get("avatar", "")),
                      created_at=datetime.fromisoformat(e["created_at"])) for e in entries]

    def play_children(self) -> list[Child]:
        """The children the kiosk shows; never raises for an unavailable database (then this
        kiosk's copy of the list, with children added here meanwhile; status() says so)."""
        try:
            children = self.list_children()
        except ProgressError as exc:
            with self._lock:
                self._children_from_copy = True
            log.warning("progress store: listing children from this kiosk's copy (%s)", exc)
            return self._copied_children()
        with self._lock:
            waiting = [c for c in self._copied_children() if c.id < 0]
        return [c for c in children if c.archived_at is None] + waiting

    def child_for_play(self, name: str, avatar: str = "") -> Child:
        """The child called `name`, added if new; never raises for an unavailable database.

        InvalidChildName (a ProgressError) for a name the store refuses, with a message for
        the teacher. While the database cannot take a new child, the child gets a provisional
        (negative) id and is journalled; its sessions and attempts follow it in.
        """
        name = clean_name(name)
        try:
            return self.get_or_create_child(name, avatar)
        except InvalidChildName:
            raise
        except ProgressError as exc:
            log.warning("progress store: starting %r from this kiosk's copy (%s)", name, exc)
        with self._lock:
            for entry in self._children:
                if entry["name"] == name:
                    return Child(id=int(entry["id"]), name=name, avatar=str(entry.get("avatar", "")),
                                 created_at=datetime.fromisoformat(entry["created_at"]))
            child = Child(id=-(secrets.randbits(40) + 1), name=name, avatar=str(avatar or ""),
                          created_at=_now())
            write = PendingWrite("child_add", uuid.uuid4().hex, {
                "id": child.id, "name": name, "avatar": child.avatar,
                "created_at": child.created_at.isoformat()})
            self._children.append(self._child_entry(child, write.key))
        self._save_children_copy()
        self._submit(write)
        return Child(id=self._real_child(child.id), name=name, avatar=child.avatar,
                     created_at=child.created_at)

    # ---------------------------------------------------------- public: teacher
    def add_child(self, name: str, avatar: str) -> Child:
        name = clean_name(name)
        created = _now()
        try:
            child_id = self._query(lambda conn: conn.execute(insert(schema.children).values(
                name=name, avatar=str(avatar or ""), created_at=created)
                .returning(schema.children.c.id)).scalar_one(), write=True)
        except ProgressError as exc:
            raise ProgressError(f"Could not add {name!r}: {exc}") from exc
        return Child(id=int(child_id), name=name, avatar=str(avatar or ""), created_at=created)

    def _update_child(self, child_id: int, **values: str) -> None:
        real = self._real_child(int(child_id))
        changed = self._query(lambda conn: conn.execute(
            update(schema.children).where(schema.children.c.id == real).values(**values)).rowcount,
            write=True)
        if not changed:
            raise ProgressError(f"There is no child with id {child_id}.")

    def rename_child(self, child_id: int, name: str) -> None:
        self._update_child(child_id, name=clean_name(name))

    def set_avatar(self, child_id: int, avatar: str) -> None:
        self._update_child(child_id, avatar=str(avatar or ""))

    @staticmethod
    def _child_of(r: Any) -> Child:
        return Child(id=r.id, name=r.name, avatar=r.avatar, created_at=_utc(r.created_at),
                     archived_at=_utc(r.archived_at))

    def list_children(self) -> list[Child]:
        """Every child, archived ones too (their `archived_at` is set; the report keeps them)."""
        rows = self._query(lambda conn: conn.execute(
            select(schema.children).order_by(schema.children.c.id)).all())
        children = [self._child_of(r) for r in rows]
        self._remember_children([c for c in children if c.archived_at is None])
        return children

    def _forget_copied_child(self, real: int) -> None:
        with self._lock:
            self._children = [e for e in self._children if int(e["id"]) != real]
        self._save_children_copy()

    def archive_child(self, child_id: int) -> None:
        """Take the child off the kiosk's list; their sessions and attempts stay (the report
        shows them). ProgressError when the database cannot do it now."""
        real = self._real_child(int(child_id))
        if real < 0:
            raise ProgressError("This child is not in the progress database yet; try again once "
                                "their results are saved.")
        self._update_child(real, archived_at=_now())
        self._forget_copied_child(real)

    def delete_child(self, child_id: int) -> None:
        """Delete the child and everything stored for them (sessions, attempts, stars,
        calibration) in one transaction. Refused while results of theirs still wait in the
        journal, so a kept result never comes back for a child who is gone."""
        real = self._real_child(int(child_id))
        if real < 0:
            raise ProgressError("This child is not in the progress database yet; try again once "
                                "their results are saved.")
        self.flush(2.0)
        with self._lock:
            waiting = sum(1 for w in self._pending if "child_id" in w.data
                          and self._real_child(int(w.data["child_id"])) == real)
        if waiting:
            raise ProgressError(f"{waiting} of this child's results are still waiting to be saved; "
                                "they can be deleted once the progress database has them.")

        def delete(conn: Connection) -> int:
            for table in (schema.attempts, schema.level_results, schema.calibrations, schema.sessions):
                conn.execute(table.delete().where(table.c.child_id == real))
            return conn.execute(schema.children.delete().where(schema.children.c.id == real)).rowcount
        if not self._query(delete, write=True):
            raise ProgressError(f"There is no child with id {child_id}.")
        self._forget_copied_child(real)

    def clear_calibration(self, child_id: int) -> None:
        """Forget the child's calm-face baseline: the game asks for a calm face again."""
        real = self._real_child(int(child_id))
        if real < 0:
            return   # nothing stored for a child the database has not taken yet
        t = schema.calibrations
        self._query(lambda conn: conn.execute(t.delete().where(t.c.child_id == real)), write=True)

    def get_child(self, child_id: int) -> Child | None:
        real = self._real_child(int(child_id))
        r = self._query(lambda conn: conn.execute(
            select(schema.children).where(schema.children.c.id == real)).first())
        return None if r is None else self._child_of(r)

    def get_or_create_child(self, name: str, avatar: str = "") -> Child:
        name = clean_name(name)
        r = self._query(lambda conn: conn.execute(
            select(schema.children).where(schema.children.c.name == name)
            .order_by(schema.children.c.id).limit(1)).first())
        if r is not None:
            return self._child_of(r)
        return self.add_child(name, avatar)

    def level_stars(self, child_id: int) -> dict[str, int]:
        """Best stars per level for the child (levels never finished are absent)."""
        real = self._real_child(int(child_id))
        if real < 0:
            return {}   # added on this kiosk while the database was away: nothing stored yet
        t = schema.level_results
        rows = self._query(lambda conn: conn.execute(
            select(t.c.level_id, func.max(t.c.stars)).where(t.c.child_id == real)
            .group_by(t.c.level_id)).all())
        return {level: int(stars) for level, stars in rows}

    def set_calibration(self, child_id: int, baseline: dict[str, float]) -> None:
        try:
            payload = json.dumps({str(k): float(v) for k, v in baseline.items()}, sort_keys=True)
        except (TypeError, ValueError, AttributeError) as exc:
            raise ProgressError(f"A calibration baseline maps labels to numbers: {exc}") from exc
        real = self._real_child(int(child_id))
        if real < 0:
            raise ProgressError("This child is not in the progress database yet; the calibration "
                                "is kept and saved once the child is.")
        t = schema.calibrations

        def replace(conn: Connection) -> None:
            conn.execute(t.delete().where(t.c.child_id == real))
            conn.execute(insert(t).values(child_id=real, baseline_json=payload, updated_at=_now()))
        self._query(replace, write=True)

    def get_calibration(self, child_id: int) -> dict[str, float] | None:
        real = self._real_child(int(child_id))
        if real < 0:
            return None
        t = schema.calibrations
        payload = self._query(lambda conn: conn.execute(
            select(t.c.baseline_json).where(t.c.child_id == real)).scalar())
        return None if payload is None else {k: float(v) for k, v in json.loads(payload).items()}

    # ------------------------------------------------------------ public: reading
    def _rows_by_start(self, table, child_id: int | None, since: datetime | None) -> list:
        """Rows of `table`, oldest first, optionally one child's and from `since`."""
        query = select(table).order_by(table.c.started_at, table.c.id)
        if child_id is not None:
            query = query.where(table.c.child_id == self._real_child(int(child_id)))
        if since is not None:
            query = query.where(table.c.started_at >= as_utc(since))
        return self._query(lambda conn: conn.execute(query).all())

    def attempts(self, child_id: int | None = None, since: datetime | None = None) -> list[Attempt]:
        """Stored attempts, oldest first (optionally one child's, optionally from `since`)."""
        rows = self._rows_by_start(schema.attempts, child_id, since)
        return [Attempt(
            child_id=r.child_id, session_id=r.session_id, level_id=r.level_id,
            round_index=r.round_index, emotion=r.emotion, started_at=_utc(r.started_at),
            ended_at=_utc(r.ended_at), outcome=r.outcome, time_to_match_s=r.time_to_match_s,
            peak_prob=r.peak_prob, mean_prob=r.mean_prob, face_share=r.face_share,
            positive_share=r.positive_share, negative_share=r.negative_share,
            noface_share=r.noface_share, kind=r.kind, answer=r.answer) for r in rows]

    def sessions(self, child_id: int | None = None, since: datetime | None = None) -> list[SessionInfo]:
        """Stored sessions, oldest first."""
        rows = self._rows_by_start(schema.sessions, child_id, since)
        return [SessionInfo(id=r.id, child_id=r.child_id, kiosk=r.kiosk, lang=r.lang,
                            started_at=_utc(r.started_at), ended_at=_utc(r.ended_at))
                for r in rows]

    def child_summary(self, child_id: int) -> dict:
        """Per emotion: attempts, success_rate, median_time_to_match_s; plus `needs_practice`."""
        child = self.get_child(child_id)
        if child is None:
            raise ProgressError(f"There is no child with id {child_id}.")
        return child_summary(child, self.attempts(child.id), self.sessions(child.id),
                             pending=self.pending_count(), note=self.last_error)

    # ------------------------------------------------------------------ closing
    def close(self, flush_timeout_s: float = 2.0) -> None:
        """Save what is pending for at most `flush_timeout_s`, keep the rest in the journal for
        the next start. Never waits longer on the database, even a hung one."""
        if self._pending and flush_timeout_s > 0:
            self.flush(flush_timeout_s)
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._lock.notify_all()
            remaining = list(self._pending)
            if remaining and self._memory_only is not None:
                self._keep(remaining[-1])      # a last try: the disk may have room again
            where, unkept = self._kept.path, self._memory_only
            self._kept.close()
        if remaining and unkept is None:
            log.warning("progress store: %d unsaved results are kept in %s for the next start",
                        len(remaining), where)
        elif remaining:
            # Never silently: the results go to the terminal, where a helper can still copy them.
            log.error("progress store: no backup file took %d unsaved results (%s); here they are, "
                      "one JSON line each, for a helper to rescue:\n%s", len(remaining), unkept,
                      "".join(write.to_line() for write in remaining))
        self._stop_threads()

    def _stop_threads(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._watchdog.cut_all()       # a transaction stuck on a hung server wakes up now
        self._watchdog.stop()
        self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_store(url: str | None = None, *, journal_dir: Path | str | None = None,
               spare_journal_dir: Path | str | None = None) -> Store:
    """Open (creating and upgrading as needed) the progress database at `url`.

    None: the SQLite file in this computer's user-data folder. `journal_dir` overrides where
    unsaved results are kept first (default: beside the SQLite file, or the user-data folder
    for PostgreSQL); `spare_journal_dir` where they go when that place fails (default: this
    computer's state folder). Raises ProgressError only for a database that is not usable as
    a progress database at all (a bad address, a foreign or damaged file, a newer schema); an
    unavailable one (locked, unreachable, read-only, full) opens, and writes are kept.
    """
    return Store(url or default_db_url(), journal_dir=Path(journal_dir) if journal_dir else None,
                 spare_journal_dir=Path(spare_journal_dir) if spare_journal_dir else None)
