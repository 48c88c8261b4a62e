"""The progress database schema and its forward migrations.

`TABLES` is the schema the code reads and writes (the newest version). `MIGRATIONS` are the
ordered steps that build it: a database at version N runs steps N+1.. in one transaction
each, and `schema_version` records how far it got. Steps are written as plain DDL that both
SQLite and PostgreSQL accept, so one list serves a single kiosk and a whole school; a test
checks that the steps end in exactly the columns `TABLES` declares.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (BigInteger, Column, Connection, DateTime, Float, ForeignKey, Integer,
                        MetaData, String, Table, Text, inspect, select, text)

from game.progress.model import ProgressError

#: The schema version this code writes. Bump it only together with a new MIGRATIONS step.
SCHEMA_VERSION = 6

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, nullable=False),
)

children = Table(
    "children", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    Column("avatar", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # version 4: the key of the kiosk write that added the child while the database was away
    Column("record_key", String(64), unique=True),
    # version 6: a teacher took the child off the kiosk's list and kept their results
    Column("archived_at", DateTime(timezone=True)),
)

# Session ids are made on the kiosk (random 53-bit numbers) so a session can start while the
# school database is unreachable; the attempts that follow are buffered against that id.
sessions = Table(
    "sessions", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("child_id", Integer, ForeignKey("children.id"), nullable=False),
    Column("kiosk", Text, nullable=False),
    Column("lang", String(16), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)

attempts = Table(
    "attempts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("child_id", Integer, ForeignKey("children.id"), nullable=False),
    Column("session_id", BigInteger, ForeignKey("sessions.id"), nullable=False),
    Column("level_id", Text, nullable=False),
    Column("round_index", Integer, nullable=False),
    Column("emotion", String(32), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("time_to_match_s", Float),
    Column("peak_prob", Float, nullable=False),
    Column("mean_prob", Float, nullable=False),
    Column("face_share", Float, nullable=False),
    # version 2
    Column("record_key", String(64), unique=True),
    Column("positive_share", Float, nullable=False, default=0.0),
    Column("negative_share", Float, nullable=False, default=0.0),
    Column("noface_share", Float, nullable=False, default=0.0),
    # version 5: how the child answered (model.KINDS) and, for a recognise round, the face tapped
    Column("kind", String(16), nullable=False, default="show"),
    Column("answer", String(32)),
)

# version 3
level_results = Table(
    "level_results", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_key", String(64), unique=True),
    Column("child_id", Integer, ForeignKey("children.id"), nullable=False),
    Column("level_id", Text, nullable=False),
    Column("stars", Integer, nullable=False),
    Column("points", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

calibrations = Table(
    "calibrations", metadata,
    Column("child_id", Integer, ForeignKey("children.id"), primary_key=True),
    Column("baseline_json", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def _ddl(conn: Connection, *statements: str) -> None:
    dialect = conn.dialect.name
    for statement in statements:
        # The one spelling difference between the two databases we support.
        if dialect == "postgresql":
            statement = statement.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "SERIAL PRIMARY KEY")
            statement = statement.replace("TIMESTAMP", "TIMESTAMP WITH TIME ZONE")
            statement = statement.replace("DOUBLE", "DOUBLE PRECISION")
        conn.execute(text(statement))


def _v1_children_sessions_attempts(conn: Connection) -> None:
    _ddl(conn,
         """CREATE TABLE children (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                avatar TEXT NOT NULL DEFAULT '',
                created_at TIMESTAMP NOT NULL)""",
         """CREATE TABLE sessions (
                id BIGINT PRIMARY KEY,
                child_id INTEGER NOT NULL REFERENCES children(id),
                kiosk TEXT NOT NULL,
                lang VARCHAR(16) NOT NULL,
                started_at TIMESTAMP NOT NULL,
                ended_at TIMESTAMP)""",
         """CREATE TABLE attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                child_id INTEGER NOT NULL REFERENCES children(id),
                session_id BIGINT NOT NULL REFERENCES sessions(id),
                level_id TEXT NOT NULL,
                round_index INTEGER NOT NULL,
                emotion VARCHAR(32) NOT NULL,
                started_at TIMESTAMP NOT NULL,
                ended_at TIMESTAMP NOT NULL,
                outcome VARCHAR(16) NOT NULL,
                time_to_match_s DOUBLE,
                peak_prob DOUBLE NOT NULL,
                mean_prob DOUBLE NOT NULL,
                face_share DOUBLE NOT NULL)""",
         "CREATE INDEX ix_attempts_child ON attempts (child_id, started_at)",
         "CREATE INDEX ix_sessions_child ON sessions (child_id, started_at)")


def _v2_attempt_keys_and_expression_shares(conn: Connection) -> None:
    # record_key makes a retried write idempotent: a buffered attempt that did reach the
    # database before the connection dropped is recognised instead of stored twice.
    _ddl(conn,
         "ALTER TABLE attempts ADD COLUMN record_key VARCHAR(64)",
         "CREATE UNIQUE INDEX ux_attempts_record_key ON attempts (record_key)",
         "ALTER TABLE attempts ADD COLUMN positive_share DOUBLE NOT NULL DEFAULT 0",
         "ALTER TABLE attempts ADD COLUMN negative_share DOUBLE NOT NULL DEFAULT 0",
         "ALTER TABLE attempts ADD COLUMN noface_share DOUBLE NOT NULL DEFAULT 0")
    # Version 1 knew only face_share: frames without a face are the rest.
    conn.execute(text("UPDATE attempts SET noface_share = 1 - face_share"))


def _v3_level_results_and_calibration(conn: Connection) -> None:
    _ddl(conn,
         """CREATE TABLE level_results (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                record_key VARCHAR(64) UNIQUE,
                child_id INTEGER NOT NULL REFERENCES children(id),
                level_id TEXT NOT NULL,
                stars INTEGER NOT NULL,
                points INTEGER NOT NULL,
                recorded_at TIMESTAMP NOT NULL)""",
         "CREATE INDEX ix_level_results_child ON level_results (child_id, level_id)",
         """CREATE TABLE calibrations (
                child_id INTEGER PRIMARY KEY REFERENCES children(id),
                baseline_json TEXT NOT NULL,
                updated_at TIMESTAMP NOT NULL)""")


def _v4_child_keys(conn: Connection) -> None:
    # A child added on a kiosk while the school database was away is stored when it answers;
    # the key makes that replay idempotent (a journal replayed twice adds the child once).
    _ddl(conn,
         "ALTER TABLE children ADD COLUMN record_key VARCHAR(64)",
         "CREATE UNIQUE INDEX ux_children_record_key ON children (record_key)")


def _v5_attempt_kinds(conn: Connection) -> None:
    # Recognise rounds (tap the face that fits) are attempts of their own kind; every attempt
    # stored before them was a face shown to the camera.
    _ddl(conn,
         "ALTER TABLE attempts ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'show'",
         "ALTER TABLE attempts ADD COLUMN answer VARCHAR(32)")


def _v6_archived_children(conn: Connection) -> None:
    # A child a teacher archives leaves the kiosk's list; their attempts stay for the report.
    _ddl(conn, "ALTER TABLE children ADD COLUMN archived_at TIMESTAMP")


#: Ordered forward migrations: MIGRATIONS[i] takes a database from version i to i + 1.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _v1_children_sessions_attempts,
    _v2_attempt_keys_and_expression_shares,
    _v3_level_results_and_calibration,
    _v4_child_keys,
    _v5_attempt_kinds,
    _v6_archived_children,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


def current_version(conn: Connection) -> int:
    """The version recorded in the database; 0 for an empty database.

    Raises ProgressError for a database that holds other tables but no `schema_version`:
    someone else's database, which must not silently get the game's tables.
    """
    if not conn.dialect.has_table(conn, "schema_version"):
        refuse_foreign(conn)
        return 0
    version = conn.execute(select(schema_version.c.version)).scalar()
    return int(version or 0)


def refuse_foreign(conn: Connection) -> None:
    """A clear ProgressError when the database (its default schema) already holds tables that
    are not the game's and no `schema_version`; nothing is created in it."""
    tables = sorted(name for name in inspect(conn).get_table_names()
                    if not name.startswith("sqlite_"))
    if not tables:
        return
    shown = ", ".join(tables[:6]) + (f" and {len(tables) - 6} more" if len(tables) > 6 else "")
    where = conn.engine.url.database if conn.dialect.name == "sqlite" else conn.engine.url.render_as_string(
        hide_password=True)
    raise ProgressError(
        f"{where} is not an Emotion Game progress database: it already holds other tables "
        f"({shown}), so the game leaves it untouched. Use a new file or an empty database for "
        "the game's progress (--db sqlite:///path/progress.sqlite3).")


def migrate(conn: Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database up to `target` inside the caller's transaction; return the old version.

    The caller holds a write lock (SQLite BEGIN IMMEDIATE, PostgreSQL advisory lock) so two
    kiosks starting at once do not both run the same step.
    """
    if not conn.dialect.has_table(conn, "schema_version"):
        refuse_foreign(conn)
        conn.execute(text("CREATE TABLE schema_version (version INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO schema_version (version) VALUES (0)"))
    old = current_version(conn)
    if old > SCHEMA_VERSION:
        raise ProgressError(
            f"This progress database was written by a newer Emotion Game (schema {old}, this "
            f"game knows up to {SCHEMA_VERSION}); please update the game on this kiosk.")
    for step in range(old, target):
        MIGRATIONS[step](conn)
        conn.execute(text("UPDATE schema_version SET version = :v"), {"v": step + 1})
    return old
