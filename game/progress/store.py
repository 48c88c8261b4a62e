"""The progress store: children, sessions, attempts, stars and calibration in one database.

SQLite (WAL, synchronous=FULL) on a single kiosk; PostgreSQL (psycopg 3) when a school's
kiosks share one database. Writes that the game makes while a child plays (sessions,
attempts, level results) never raise: each is committed in its own transaction, and when the
database is locked, unreachable or full it is kept in memory and in an fsync'd journal file
(see journal.py) and retried, oldest first, on the next write or `flush()`. `last_error` holds
a note for the teacher area meanwhile.

Reads and teacher actions (add a child, rename) raise ProgressError with a readable message.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from game.progress import schema
from game.progress.journal import Journal, PendingWrite
from game.progress.model import Attempt, Child, ProgressError, as_utc, clean_name
from game.progress.summary import SessionInfo, child_summary

log = logging.getLogger(__name__)

APP_NAME = "emotion-game"
DB_FILENAME = "progress.sqlite3"

#: How long one SQLite write waits for a lock before the attempt is buffered instead. Short,
#: because the game's frame loop waits for it.
SQLITE_BUSY_TIMEOUT_S = 1.0
#: Connecting to a school server that is down must not freeze a round for long either.
POSTGRES_CONNECT_TIMEOUT_S = 3
#: After a failed write, the next try waits this long, doubling up to the maximum, so a
#: database that is away costs the game one short wait now and then, not one per attempt.
RETRY_AFTER_S = 1.0
RETRY_AFTER_MAX_S = 30.0
#: An arbitrary constant naming our PostgreSQL advisory lock for schema migrations.
MIGRATION_LOCK_ID = 0x656D6F67  # "emog"


def user_data_dir() -> Path:
    from platformdirs import user_data_path
    return user_data_path(APP_NAME, appauthor=False)


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
    """True when trying again later can succeed (locked, unreachable, full); False for a bad record."""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                          sa_exc.DisconnectionError, OSError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


def describe_problem(error: BaseException) -> str:
    """A short sentence a teacher can understand, from a database error."""
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()
    detail_text = detail[0][:160] if detail else type(error).__name__
    lowered = detail_text.lower()
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return "The progress database is busy (another program is using it)."
    if "full" in lowered or "no space" in lowered or "quota" in lowered:
        return "The disk holding the progress database is full."
    if ("connect" in lowered or "unable to open" in lowered or "timeout" in lowered
            or "server closed" in lowered or "terminating connection" in lowered):
        return "The progress database cannot be reached."
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return ("The progress database file is damaged or is not a progress database; ask for help "
                "before deleting it (a copy may still be rescued).")
    if "readonly" in lowered or "read-only" in lowered or "permission" in lowered:
        return "The progress database cannot be written (read-only or no permission)."
    return f"The progress database reported a problem: {detail_text}"


def _engine_for(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError as exc:
        raise ProgressError(f"Not a database address: {url!r}. Use sqlite:///path/progress.db or "
                            "postgresql://user@host:port/dbname.") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ProgressError("Progress must live in a file: use sqlite:///path/progress.db.")
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed.set(drivername="sqlite+pysqlite"),
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False})
        _tune_sqlite(engine)
        return engine
    if backend in ("postgresql", "postgres"):
        return create_engine(
            parsed.set(drivername="postgresql+psycopg"),
            pool_pre_ping=True,
            connect_args={
                "connect_timeout": POSTGRES_CONNECT_TIMEOUT_S,
                # A lock held elsewhere makes us buffer, not hang the game.
                "options": "-c lock_timeout=3000 -c statement_timeout=15000",
            })
    raise ProgressError(f"Unsupported database {backend!r}: use sqlite:/// or postgresql://.")


def _tune_sqlite(engine: Engine) -> None:
    busy_ms = int(SQLITE_BUSY_TIMEOUT_S * 1000)

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


def _journal_place(engine: Engine, journal_dir: Path | None) -> tuple[Path, str]:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        db_path = Path(url.database).expanduser().resolve()
        return (journal_dir or db_path.parent), db_path.name
    rendered = url.render_as_string(hide_password=True)
    tag = "pg-" + hashlib.sha256(rendered.encode()).hexdigest()[:12]
    return (journal_dir or user_data_dir() / "pending"), tag


class Store:
    """One open progress database. Thread-safe; cheap writes; see the module docstring."""

    def __init__(self, url: str, *, journal_dir: Path | None = None) -> None:
        self.url = url
        self._engine = _engine_for(url)
        self._lock = threading.RLock()
        self._pending: list[PendingWrite] = []
        self._problem: str | None = None        # why the database is unavailable right now
        self._rejected_note: str | None = None  # a result refused for good (kept aside)
        self._journal_problem: str | None = None  # the local backup could not be written
        self._schema_ready = False
        self._retry_at = 0.0
        self._retry_after = RETRY_AFTER_S
        directory, tag = _journal_place(self._engine, journal_dir)
        self._journal = Journal(directory, tag)
        self._rejected_path = directory / f"rejected-{tag}.jsonl"
        self._adopt_orphans()
        try:
            self._ensure_schema()
        except ProgressError:
            raise
        except Exception as exc:  # noqa: BLE001 - the game starts even when the database is away
            if not _is_transient(exc):
                raise ProgressError(describe_problem(exc)) from exc
            self._note_failure(exc)
        if self._pending:
            self._try_pending()

    # ----------------------------------------------------------------- plumbing
    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (SQLite: BEGIN IMMEDIATE)."""
        with self._engine.connect() as conn:
            conn.info["write"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("write", None)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        self._ensure_schema_or_raise()
        try:
            with self._engine.connect() as conn, conn.begin():
                yield conn
        except sa_exc.SQLAlchemyError as exc:
            self._note_failure(exc)
            raise ProgressError(describe_problem(exc)) from exc
        with self._lock:
            if not self._pending:
                self._problem = None  # the database answered: an old note no longer holds

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        # Reading the version needs no write lock (another kiosk may be writing right now).
        with self._engine.connect() as conn, conn.begin():
            if schema.current_version(conn) == schema.SCHEMA_VERSION:
                self._schema_ready = True
                return
        with self._write() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})")
            old = schema.migrate(conn)
        if old != schema.SCHEMA_VERSION:
            log.info("progress database upgraded from schema %s to %s", old, schema.SCHEMA_VERSION)
        self._schema_ready = True

    def _ensure_schema_or_raise(self) -> None:
        try:
            self._ensure_schema()
        except sa_exc.SQLAlchemyError as exc:
            self._note_failure(exc)
            raise ProgressError(describe_problem(exc)) from exc

    def _note_failure(self, error: BaseException) -> None:
        self._problem = describe_problem(error)
        self._retry_at = time.monotonic() + self._retry_after
        self._retry_after = min(self._retry_after * 2, RETRY_AFTER_MAX_S)
        log.warning("progress store: %s (%s)", self._problem, error)

    def _note_success(self) -> None:
        self._retry_after = RETRY_AFTER_S
        self._retry_at = 0.0
        if not self._pending:
            self._problem = None
            self._journal_problem = None

    def _adopt_orphans(self) -> None:
        try:
            orphans = self._journal.adopt_orphans()
        except OSError as exc:
            self._problem = f"Could not read the backup of unsaved results: {exc.strerror or exc}."
            log.warning("progress store: %s", self._problem)
            return
        known = set()
        for write in orphans:
            if (write.kind, write.key) not in known:
                known.add((write.kind, write.key))
                self._pending.append(write)

    # --------------------------------------------------------- buffered writes
    def _apply(self, conn: Connection, write: PendingWrite) -> None:
        data = write.data
        if write.kind == "session_start":
            exists = conn.execute(select(schema.sessions.c.id).where(
                schema.sessions.c.id == data["id"])).first()
            if not exists:
                conn.execute(insert(schema.sessions).values(
                    id=data["id"], child_id=data["child_id"], kiosk=data["kiosk"],
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
                values["started_at"], values["ended_at"] = attempt.started_at, attempt.ended_at
                conn.execute(insert(schema.attempts).values(record_key=write.key, **values))
        elif write.kind == "level_result":
            exists = conn.execute(select(schema.level_results.c.id).where(
                schema.level_results.c.record_key == write.key)).first()
            if not exists:
                conn.execute(insert(schema.level_results).values(
                    record_key=write.key, child_id=data["child_id"], level_id=data["level_id"],
                    stars=data["stars"], points=data["points"],
                    recorded_at=datetime.fromisoformat(data["recorded_at"])))
        else:
            raise ValueError(f"unknown pending write kind {write.kind!r}")

    def _commit_one(self, write: PendingWrite) -> bool:
        """Commit one write in its own transaction. True when it is safely stored (or was
        refused for good and set aside); False when the database is unavailable."""
        try:
            self._ensure_schema()
            with self._write() as conn:
                self._apply(conn, write)
            return True
        except Exception as exc:  # noqa: BLE001 - never raise into the game loop
            if _is_transient(exc):
                self._note_failure(exc)
                return False
            self._reject(write, exc)
            return True

    def _reject(self, write: PendingWrite, error: BaseException) -> None:
        """A write the database refuses for good (e.g. an unknown child id): keep it in a side
        file for a developer to look at, and keep the queue moving."""
        reason = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
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

    def _try_pending(self) -> None:
        """Commit buffered writes in order, stopping at the first that cannot be committed."""
        while self._pending:
            if not self._commit_one(self._pending[0]):
                return
            self._pending.pop(0)
        self._clear_journal()
        self._note_success()

    def _clear_journal(self) -> None:
        try:
            self._journal.clear()
        except OSError as exc:
            log.warning("progress store: could not empty the journal: %s", exc)

    def _buffer(self, write: PendingWrite) -> None:
        self._pending.append(write)
        try:
            self._journal.append([write])
        except OSError as exc:
            # Still in memory and retried; the note says the kiosk must not be switched off.
            self._journal_problem = (f"The backup file could not be written either "
                                     f"({exc.strerror or exc}): please do not switch this kiosk "
                                     "off until the results are saved.")
            log.error("progress store: journal append failed: %s", exc)

    def _submit(self, write: PendingWrite) -> None:
        with self._lock:
            if self._pending:
                if time.monotonic() >= self._retry_at:
                    self._try_pending()
                if self._pending:
                    self._buffer(write)  # keep order: older buffered writes go first
                    return
            if self._commit_one(write):
                self._note_success()
            else:
                self._buffer(write)

    # ------------------------------------------------------------ public: play
    def start_session(self, child_id: int, kiosk: str, lang: str, *,
                      started_at: datetime | None = None) -> int:
        """A new session id. Works while the database is away (the id is made here).

        `started_at` defaults to now; importing or replaying a recorded run passes its own.
        """
        session_id = secrets.randbits(52) + 1
        self._submit(PendingWrite("session_start", f"s{session_id}", {
            "id": session_id, "child_id": int(child_id), "kiosk": str(kiosk)[:200],
            "lang": str(lang)[:16], "started_at": as_utc(started_at or _now()).isoformat()}))
        return session_id

    def end_session(self, session_id: int, *, ended_at: datetime | None = None) -> None:
        self._submit(PendingWrite("session_end", f"e{session_id}", {
            "id": int(session_id), "ended_at": as_utc(ended_at or _now()).isoformat()}))

    def record_attempt(self, attempt: Attempt) -> None:
        """Commit one attempt now, or buffer it safely. Never raises into the game."""
        key = uuid.uuid4().hex
        try:
            checked = attempt.checked()
        except (ProgressError, TypeError, ValueError, AttributeError) as exc:
            data = attempt.__dict__ if hasattr(attempt, "__dict__") else {"repr": repr(attempt)}
            self._reject(PendingWrite("attempt", key, {k: str(v) for k, v in data.items()}), exc)
            return
        self._submit(PendingWrite("attempt", key, checked.to_json()))

    def record_level_result(self, child_id: int, level_id: str, stars: int, points: int) -> None:
        """The stars a finished level earned (buffered like attempts; never raises)."""
        try:
            values = {"child_id": int(child_id), "level_id": str(level_id),
                      "stars": max(0, int(stars)), "points": max(0, int(points)),
                      "recorded_at": _now().isoformat()}
        except (TypeError, ValueError) as exc:
            self._reject(PendingWrite("level_result", uuid.uuid4().hex, {
                "child_id": str(child_id), "level_id": str(level_id), "stars": str(stars),
                "points": str(points)}), exc)
            return
        self._submit(PendingWrite("level_result", uuid.uuid4().hex, values))

    def flush(self, timeout_s: float = 5.0) -> int:
        """Retry buffered writes until all are stored or `timeout_s` passes; how many remain."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        with self._lock:
            while True:
                self._try_pending()
                if not self._pending or time.monotonic() >= deadline:
                    return len(self._pending)
                pause = min(0.25, max(0.0, deadline - time.monotonic()))
                self._lock.release()
                try:
                    time.sleep(pause)
                finally:
                    self._lock.acquire()

    def pending_count(self) -> int:
        with self._lock:
            return len(self._pending)

    @property
    def last_error(self) -> str | None:
        """A note for the teacher area while results wait to be saved (None when all is well)."""
        with self._lock:
            notes = []
            waiting = len(self._pending)
            if waiting:
                plural = "result is" if waiting == 1 else "results are"
                where = "in this kiosk's memory" if self._journal_problem else "safely on this kiosk"
                notes.append(f"{self._problem or 'The progress database is unavailable.'} "
                             f"{waiting} {plural} kept {where} and will be saved automatically.")
                if self._journal_problem:
                    notes.append(self._journal_problem)
            elif self._problem:
                notes.append(self._problem)
            if self._rejected_note:
                notes.append(self._rejected_note)
            return " ".join(notes) or None

    # ---------------------------------------------------------- public: teacher
    def add_child(self, name: str, avatar: str) -> Child:
        name = clean_name(name)
        created = _now()
        self._ensure_schema_or_raise()
        try:
            with self._write() as conn:
                child_id = conn.execute(insert(schema.children).values(
                    name=name, avatar=str(avatar or ""), created_at=created)
                    .returning(schema.children.c.id)).scalar_one()
        except sa_exc.SQLAlchemyError as exc:
            self._note_failure(exc)
            raise ProgressError(f"Could not add {name!r}: {describe_problem(exc)}") from exc
        return Child(id=int(child_id), name=name, avatar=str(avatar or ""), created_at=created)

    def _update_child(self, child_id: int, **values: str) -> None:
        self._ensure_schema_or_raise()
        try:
            with self._write() as conn:
                changed = conn.execute(update(schema.children)
                                       .where(schema.children.c.id == int(child_id))
                                       .values(**values)).rowcount
        except sa_exc.SQLAlchemyError as exc:
            self._note_failure(exc)
            raise ProgressError(describe_problem(exc)) from exc
        if not changed:
            raise ProgressError(f"There is no child with id {child_id}.")

    def rename_child(self, child_id: int, name: str) -> None:
        self._update_child(child_id, name=clean_name(name))

    def set_avatar(self, child_id: int, avatar: str) -> None:
        self._update_child(child_id, avatar=str(avatar or ""))

    def list_children(self) -> list[Child]:
        with self._read() as conn:
            rows = conn.execute(select(schema.children).order_by(schema.children.c.id)).all()
        return [Child(id=r.id, name=r.name, avatar=r.avatar, created_at=_utc(r.created_at))
                for r in rows]

    def get_child(self, child_id: int) -> Child | None:
        with self._read() as conn:
            r = conn.execute(select(schema.children)
                             .where(schema.children.c.id == int(child_id))).first()
        return None if r is None else Child(id=r.id, name=r.name, avatar=r.avatar,
                                            created_at=_utc(r.created_at))

    def get_or_create_child(self, name: str, avatar: str = "") -> Child:
        name = clean_name(name)
        with self._read() as conn:
            r = conn.execute(select(schema.children).where(schema.children.c.name == name)
                             .order_by(schema.children.c.id).limit(1)).first()
        if r is not None:
            return Child(id=r.id, name=r.name, avatar=r.avatar, created_at=_utc(r.created_at))
        return self.add_child(name, avatar)

    def level_stars(self, child_id: int) -> dict[str, int]:
        """Best stars per level for the child (levels never finished are absent)."""
        t = schema.level_results
        with self._read() as conn:
            rows = conn.execute(select(t.c.level_id, func.max(t.c.stars))
                                .where(t.c.child_id == int(child_id))
                                .group_by(t.c.level_id)).all()
        return {level: int(stars) for level, stars in rows}

    def set_calibration(self, child_id: int, baseline: dict[str, float]) -> None:
        try:
            payload = json.dumps({str(k): float(v) for k, v in baseline.items()}, sort_keys=True)
        except (TypeError, ValueError, AttributeError) as exc:
            raise ProgressError(f"A calibration baseline maps labels to numbers: {exc}") from exc
        self._ensure_schema_or_raise()
        t = schema.calibrations
        try:
            with self._write() as conn:
                conn.execute(t.delete().where(t.c.child_id == int(child_id)))
                conn.execute(insert(t).values(child_id=int(child_id), baseline_json=payload,
                                              updated_at=_now()))
        except sa_exc.SQLAlchemyError as exc:
            self._note_failure(exc)
            raise ProgressError(describe_problem(exc)) from exc

    def get_calibration(self, child_id: int) -> dict[str, float] | None:
        t = schema.calibrations
        with self._read() as conn:
            payload = conn.execute(select(t.c.baseline_json)
                                   .where(t.c.child_id == int(child_id))).scalar()
        return None if payload is None else {k: float(v) for k, v in json.loads(payload).items()}

    # ------------------------------------------------------------ public: reading
    def _rows_by_start(self, table, child_id: int | None, since: datetime | None) -> list:
        """Rows of `table`, oldest first, optionally one child's and from `since`."""
        query = select(table).order_by(table.c.started_at, table.c.id)
        if child_id is not None:
            query = query.where(table.c.child_id == int(child_id))
        if since is not None:
            query = query.where(table.c.started_at >= as_utc(since))
        with self._read() as conn:
            return conn.execute(query).all()

    def attempts(self, child_id: int | None = None, since: datetime | None = None) -> list[Attempt]:
        """Stored attempts, oldest first (optionally one child's, optionally from `since`)."""
        rows = self._rows_by_start(schema.attempts, child_id, since)
        return [Attempt(
            child_id=r.child_id, session_id=r.session_id, level_id=r.level_id,
            round_index=r.round_index, emotion=r.emotion, started_at=_utc(r.started_at),
            ended_at=_utc(r.ended_at), outcome=r.outcome, time_to_match_s=r.time_to_match_s,
            peak_prob=r.peak_prob, mean_prob=r.mean_prob, face_share=r.face_share,
            positive_share=r.positive_share, negative_share=r.negative_share,
            noface_share=r.noface_share) for r in rows]

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
        return child_summary(child, self.attempts(child_id), self.sessions(child_id),
                             pending=self.pending_count(), note=self.last_error)

    # ------------------------------------------------------------------ closing
    def close(self, flush_timeout_s: float = 2.0) -> None:
        """Save what is pending (briefly), keep the rest in the journal for next time."""
        with self._lock:
            if self._pending:
                self.flush(flush_timeout_s)
            self._journal.close(remove_if_empty=not self._pending)
            self._engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_store(url: str | None = None, *, journal_dir: Path | str | None = None) -> Store:
    """Open (creating and upgrading as needed) the progress database at `url`.

    None: the SQLite file in this computer's user-data folder. `journal_dir` overrides where
    unsaved results are backed up (default: beside the SQLite file, or the user-data folder
    for PostgreSQL).
    """
    return Store(url or default_db_url(), journal_dir=Path(journal_dir) if journal_dir else None)
