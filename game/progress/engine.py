"""The database connection under the progress store: engines, time limits and plain-words faults.

- `make_engine(url, limits)`: a SQLAlchemy engine for SQLite (WAL, synchronous=FULL, a short
  busy timeout) or PostgreSQL (psycopg 3) with a limit on everything that waits for the
  network: connecting (`connect_timeout`), each statement and lock on the server
  (`statement_timeout`, `lock_timeout`), a dead peer on a real network (TCP keepalives and
  `tcp_user_timeout`), and a server that accepts packets but never answers (a hung process,
  a stopped VM), which none of those catch: `ConnectionWatchdog` cuts the socket of a
  connection whose transaction runs past its deadline, so the waiting thread gets an error
  instead of waiting for ever.
- A connection that went read-only (the file or the database was read-only when it was
  opened) is treated as a lost connection, so the next try opens a fresh one and a database
  that became writable is used without a restart.
- `describe_problem(error, db_path)`: one sentence a teacher understands. For SQLite it looks
  at the folder first (gone, read-only, full), because SQLite names those faults vaguely
  ("unable to open database file", "disk I/O error").
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from game.progress.model import ProgressError

log = logging.getLogger(__name__)

#: Less free space than this on the database's disk counts as "full" when explaining a fault.
FULL_DISK_BYTES = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """How long the store lets the database keep a thread waiting."""

    sqlite_busy_s: float = 1.0
    connect_s: int = 3               # psycopg's connect_timeout (libpq treats < 2 as 2)
    statement_s: float = 5.0         # server-side statement_timeout
    lock_s: float = 3.0              # server-side lock_timeout
    #: A transaction's whole life (connect excluded) before the watchdog cuts its socket:
    #: above statement_s, so a live server always answers (or cancels) first.
    transaction_s: float = 8.0


def sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for PostgreSQL)."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    return Path(engine.url.database).expanduser().resolve()


def make_engine(url: str, limits: Limits) -> Engine:
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as exc:
        raise ProgressError(f"Not a database address: {url!r}. Use sqlite:///path/progress.db or "
                            "postgresql://user@host:port/dbname.") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ProgressError("Progress must live in a file: use sqlite:///path/progress.db.")
        engine = create_engine(
            parsed.set(drivername="sqlite+pysqlite"),
            connect_args={"timeout": limits.sqlite_busy_s, "check_same_thread": False})
        _tune_sqlite(engine, limits)
    elif backend in ("postgresql", "postgres"):
        engine = create_engine(
            parsed.set(drivername="postgresql+psycopg"),
            # No pool_pre_ping: its ping cannot be given a deadline, and a stopped server
            # would hang it. A stale pooled connection fails fast instead and is replaced.
            pool_pre_ping=False,
            connect_args={
                "connect_timeout": limits.connect_s,
                "options": (f"-c lock_timeout={int(limits.lock_s * 1000)} "
                            f"-c statement_timeout={int(limits.statement_s * 1000)}"),
                # A peer that vanished from a real network (cable, Wi-Fi, a dropped VPN).
                "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                "keepalives_count": 3, "tcp_user_timeout": int(limits.transaction_s * 1000),
            })
    else:
        raise ProgressError(f"Unsupported database {backend!r}: use sqlite:/// or postgresql://.")
    event.listen(engine, "handle_error", _reconnect_after_read_only)
    return engine


def _tune_sqlite(engine: Engine, limits: Limits) -> None:
    busy_ms = int(limits.sqlite_busy_s * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below) so DDL is transactional and writers lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: a committed attempt survives a power cut, not only a killed process.
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN, so a writer waits (busy_timeout) instead
        # of failing half-way when it upgrades from reading to writing.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.pop("write", False) else "BEGIN")


def is_read_only_error(error: BaseException) -> bool:
    """SQLite's 'attempt to write a readonly database' or PostgreSQL's read-only transaction."""
    text = str(getattr(error, "orig", None) or error).lower()
    sqlstate = getattr(getattr(error, "orig", error), "sqlstate", None)
    return "readonly database" in text or "read-only transaction" in text or sqlstate == "25006"


def _reconnect_after_read_only(context: Any) -> None:
    # A connection opened while the file (or database) was read-only stays read-only for
    # good; calling it a disconnect makes SQLAlchemy replace it, so the next try opens afresh.
    if is_read_only_error(context.original_exception):
        context.is_disconnect = True


def is_transient(error: BaseException) -> bool:
    """True when trying again later can succeed (locked, unreachable, full, read-only for now);
    False for a record the database refuses for good."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                          sa_exc.DisconnectionError, OSError)):
        return True
    if is_read_only_error(error):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


# ----------------------------------------------------------------------------- watchdog
class ConnectionWatchdog:
    """Cuts the socket of a PostgreSQL connection whose transaction outlives its deadline.

    `arm(dbapi_connection, seconds)` before the work, `disarm(token)` after; `was_cut(token)`
    tells whether the error that ended the work was ours. One thread per store, started on
    first use and stopped by `stop()`. Connections without a socket (SQLite) are not armed.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._changed = threading.Condition()
        self._armed: dict[int, tuple[float, Any]] = {}
        self._cut: set[int] = set()
        self._next_token = 1
        self._thread: threading.Thread | None = None
        self._stopping = False

    def arm(self, dbapi_connection: Any, seconds: float) -> int | None:
        if _socket_of(dbapi_connection) is None:
            return None
        with self._changed:
            if self._stopping:
                return None
            token = self._next_token
            self._next_token += 1
            self._armed[token] = (time.monotonic() + seconds, dbapi_connection)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"{self._name}-watchdog",
                                                daemon=True)
                self._thread.start()
            self._changed.notify()
            return token

    def disarm(self, token: int | None) -> None:
        if token is None:
            return
        with self._changed:
            self._armed.pop(token, None)

    def was_cut(self, token: int | None) -> bool:
        with self._changed:
            return token in self._cut

    def forget(self, token: int | None) -> None:
        with self._changed:
            self._cut.discard(token)

    def cut_all(self) -> int:
        """Cut every armed connection now (closing the store); how many were cut."""
        with self._changed:
            victims = list(self._armed.items())
            self._armed.clear()
            self._cut.update(token for token, _ in victims)
        for _token, (_deadline, connection) in victims:
            _cut(connection)
        return len(victims)

    def stop(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=1.0)

    def _run(self) -> None:
        while True:
            with self._changed:
                if self._stopping:
                    return
                now = time.monotonic()
                due = [(token, conn) for token, (deadline, conn) in self._armed.items() if deadline <= now]
                for token, _conn in due:
                    del self._armed[token]
                    self._cut.add(token)
                if not due:
                    soonest = min((deadline for deadline, _ in self._armed.values()), default=None)
                    self._changed.wait(None if soonest is None else max(0.01, soonest - now))
                    continue
            for _token, connection in due:
                log.warning("progress store: the database did not answer in time; cutting the connection")
                _cut(connection)


def _socket_of(dbapi_connection: Any) -> int | None:
    pgconn = getattr(dbapi_connection, "pgconn", None)   # psycopg 3
    if pgconn is None:
        return None
    try:
        return int(pgconn.socket)
    except Exception:  # noqa: BLE001 - a closed connection has no socket
        return None


def _cut(dbapi_connection: Any) -> None:
    """Shut the connection's socket down: the thread waiting on it wakes with an error at once
    (closing the descriptor instead could let the number be reused under that thread)."""
    fd = _socket_of(dbapi_connection)
    if fd is None:
        return
    try:
        duplicate = os.dup(fd)
    except OSError:
        return
    try:
        with socket.socket(fileno=duplicate) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


# -------------------------------------------------------------------------- plain words
def _folder_fault(db_path: Path | None) -> str | None:
    """What is wrong with a SQLite database's folder, if anything, looked at directly."""
    if db_path is None:
        return None
    folder = db_path.parent
    try:
        if not folder.is_dir():
            return (f"The folder of the progress database ({folder}) is gone (deleted, moved or its "
                    "disk unplugged).")
        info = os.statvfs(folder)
    except OSError:
        return None
    if info.f_flag & os.ST_RDONLY:
        return (f"The disk holding the progress database ({folder}) is read-only, so results "
                "cannot be written to it.")
    if info.f_bavail * info.f_frsize < FULL_DISK_BYTES:
        return f"The disk holding the progress database ({folder}) is full."
    return None


def describe_problem(error: BaseException, db_path: Path | None = None, *,
                     timed_out: bool = False) -> str:
    """A short sentence a teacher can understand, from a database error.

    `db_path`: the SQLite file, whose folder is checked first; `timed_out`: the watchdog cut
    the connection because the server did not answer.
    """
    if timed_out:
        return ("The progress database cannot be reached: the school database server does not "
                "answer.")
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    detail_text = detail[0][:160] if detail else type(error).__name__
    lowered = detail_text.lower()
    folder = _folder_fault(db_path)
    if folder is not None and "not a database" not in lowered and "malformed" not in lowered:
        return folder
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return "The progress database is busy (another program is using it)."
    if "full" in lowered or "no space" in lowered or "quota" in lowered:
        return "The disk holding the progress database is full."
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return ("The progress database file is damaged or is not a progress database; ask for help "
                "before deleting it (a copy may still be rescued).")
    if is_read_only_error(error) or "readonly" in lowered or "read-only" in lowered:
        return "The progress database cannot be written right now (it is read-only)."
    if "permission" in lowered:
        return "The progress database cannot be written (no permission)."
    if ("translate host name" in lowered or "resolve host" in lowered
            or "name or service not known" in lowered or "nodename nor servname" in lowered):
        return ("The progress database cannot be reached: the school database server's name cannot "
                "be found (check the address and the network).")
    if "refused" in lowered:
        return ("The progress database cannot be reached: the school database server refuses "
                "connections (it may be stopped).")
    if "timeout" in lowered or "timed out" in lowered:
        return ("The progress database cannot be reached: the school database server does not "
                "answer.")
    if ("connect" in lowered or "server closed" in lowered or "terminating connection" in lowered
            or "network" in lowered):
        return "The progress database cannot be reached."
    if "unable to open" in lowered:
        return f"The progress database file cannot be opened ({detail_text})."
    return f"The progress database reported a problem: {detail_text}"
