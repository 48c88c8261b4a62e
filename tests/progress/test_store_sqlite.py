"""The progress store on a real SQLite file: round trips, names, migrations, a locked database."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, inspect, text

from game.progress import Attempt, ProgressError, open_store
from game.progress import schema
from progress_factory import T0, make_attempt


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'progress.sqlite3'}"


@pytest.fixture
def store(db_url):
    opened = open_store(db_url)
    yield opened
    opened.close()


def journal_lines(directory) -> list[dict]:
    lines = []
    for path in sorted(directory.glob("pending-*.jsonl")):
        lines += [json.loads(line) for line in path.read_text().splitlines()]
    return lines


def test_wal_mode_and_schema_version(store, tmp_path):
    with sqlite3.connect(tmp_path / "progress.sqlite3") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("SELECT version FROM schema_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_default_url_is_a_file_in_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    from game.progress import default_db_url
    url = default_db_url()
    assert url == f"sqlite:///{tmp_path / 'xdg' / 'emotion-game' / 'progress.sqlite3'}"
    with open_store() as opened:
        child = opened.add_child("Dewi", "owl")
        assert [c.name for c in opened.list_children()] == ["Dewi"]
        assert child.created_at.tzinfo is not None
    assert (tmp_path / "xdg" / "emotion-game" / "progress.sqlite3").exists()


def test_children_sessions_attempts_round_trip(store):
    ana = store.add_child("Ana", "cat")
    budi = store.get_or_create_child("Budi", "dog")
    assert store.get_or_create_child("Budi").id == budi.id
    store.rename_child(ana.id, "Ana Maria")
    store.set_avatar(ana.id, "fox")
    assert [(c.name, c.avatar) for c in store.list_children()] == [("Ana Maria", "fox"), ("Budi", "dog")]

    session = store.start_session(ana.id, kiosk="room-1", lang="id")
    recorded = [make_attempt(ana.id, session, 0, emotion="happy", time_to_match_s=1.25),
                make_attempt(ana.id, session, 1, emotion="sad", outcome="timeout"),
                make_attempt(ana.id, session, 2, emotion="fear", outcome="skipped")]
    for attempt in recorded:
        store.record_attempt(attempt)
    store.end_session(session)

    assert store.attempts(ana.id) == recorded
    assert store.attempts(budi.id) == []
    [info] = store.sessions(ana.id)
    assert (info.id, info.kiosk, info.lang) == (session, "room-1", "id")
    assert info.ended_at is not None and info.ended_at >= info.started_at
    assert store.pending_count() == 0 and store.last_error is None


def test_level_stars_keep_the_best_and_calibration_round_trips(store):
    child = store.add_child("Citra", "")
    store.record_level_result(child.id, "meadow-1", 1, 30)
    store.record_level_result(child.id, "meadow-1", 3, 90)
    store.record_level_result(child.id, "meadow-1", 2, 60)
    store.record_level_result(child.id, "forest-2", 2, 50)
    assert store.level_stars(child.id) == {"meadow-1": 3, "forest-2": 2}
    assert store.get_calibration(child.id) is None
    store.set_calibration(child.id, {"happy": 0.12, "sad": 0.3})
    store.set_calibration(child.id, {"happy": 0.2, "sad": 0.25, "fear": 0.1})
    assert store.get_calibration(child.id) == {"happy": 0.2, "sad": 0.25, "fear": 0.1}


@pytest.mark.parametrize("name", [
    "<script>alert(1)</script>", "x" * 5000, "Ana 😀🦄", "مرحبا يا صديقي", "  spaced  ",
    "=HYPERLINK(\"http://x\")", "O'Brien; DROP TABLE children;--",
])
def test_names_are_kept_exactly(store, name):
    child = store.add_child(name, "🐱")
    assert store.get_child(child.id).name == name
    assert store.get_or_create_child(name).id == child.id


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_names_are_refused_clearly(store, name):
    with pytest.raises(ProgressError, match="cannot be empty"):
        store.add_child(name, "cat")
    child = store.add_child("Dina", "cat")
    with pytest.raises(ProgressError, match="cannot be empty"):
        store.rename_child(child.id, name)
    assert store.get_child(child.id).name == "Dina"


def test_unknown_child_is_a_clear_error(store):
    with pytest.raises(ProgressError, match="no child with id 99"):
        store.rename_child(99, "Eka")
    with pytest.raises(ProgressError, match="no child with id 99"):
        store.child_summary(99)


def test_a_bad_attempt_never_raises_and_is_set_aside(store, tmp_path):
    child = store.add_child("Fajar", "")
    session = store.start_session(child.id, "k", "en")
    naive = datetime(2026, 1, 1, 9, 0)
    store.record_attempt(Attempt(child.id, session, "l", 0, "happy", naive, naive, "matched"))
    store.record_attempt(make_attempt(child.id, session, 1, outcome="won"))
    # An attempt for a child that does not exist: the database refuses it for good.
    store.record_attempt(make_attempt(999, session, 2))
    store.record_attempt(make_attempt(child.id, session, 3))
    assert [a.round_index for a in store.attempts(child.id)] == [3]
    assert store.pending_count() == 0
    assert "could not be saved" in store.last_error
    rejected = (tmp_path / "rejected-progress.sqlite3.jsonl").read_text().splitlines()
    assert len(rejected) == 3 and "time zone" in json.loads(rejected[0])["reason"]


def test_child_summary_numbers(store):
    child = store.add_child("Gita", "")
    session = store.start_session(child.id, "k", "en")
    plan = [("happy", "matched", 1.0), ("happy", "matched", 3.0), ("happy", "timeout", None),
            ("sad", "timeout", None), ("sad", "timeout", None), ("sad", "matched", 5.0),
            ("fear", "matched", 2.0), ("fear", "matched", 2.5), ("fear", "matched", 4.0)]
    for i, (emotion, outcome, ttm) in enumerate(plan):
        store.record_attempt(make_attempt(child.id, session, i, emotion=emotion, outcome=outcome,
                                          time_to_match_s=ttm))
    summary = store.child_summary(child.id)
    assert summary["emotions"]["happy"] == {"attempts": 3, "matched": 2, "timed_out": 1, "skipped": 0,
                                            "success_rate": 2 / 3, "median_time_to_match_s": 2.0,
                                            "verdict": "some_missed"}
    assert summary["emotions"]["sad"]["success_rate"] == pytest.approx(1 / 3)
    assert summary["emotions"]["fear"]["median_time_to_match_s"] == 2.5
    assert summary["needs_practice"] == "sad"
    assert (summary["attempts"], summary["matched"], summary["sessions"]) == (9, 6, 1)


def test_locked_database_buffers_then_flushes_without_losing_any(store, tmp_path):
    child = store.add_child("Hana", "")
    session = store.start_session(child.id, "k", "en")
    store.record_attempt(make_attempt(child.id, session, 0))

    blocker = sqlite3.connect(tmp_path / "progress.sqlite3", isolation_level=None, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    started = time.monotonic()
    for i in range(1, 7):
        store.record_attempt(make_attempt(child.id, session, i))
    store.end_session(session)
    # The game waited about one busy timeout, not one per attempt.
    assert time.monotonic() - started < 4.0
    assert store.pending_count() == 7
    assert "busy" in store.last_error and "7 results are kept safely" in store.last_error
    written = journal_lines(tmp_path)
    assert [w["kind"] for w in written] == ["attempt"] * 6 + ["session_end"]
    assert store.flush(timeout_s=0.3) == 7          # still locked: nothing lost, nothing saved

    blocker.execute("ROLLBACK")
    blocker.close()
    assert store.flush(timeout_s=10) == 0
    assert store.last_error is None
    assert [a.round_index for a in store.attempts(child.id)] == list(range(7))
    assert store.sessions(child.id)[0].ended_at is not None
    assert journal_lines(tmp_path) == []


def test_lock_released_while_playing_saves_on_a_later_attempt(store, tmp_path, monkeypatch):
    import game.progress.store as store_module
    monkeypatch.setattr(store_module, "RETRY_AFTER_S", 0.05)
    child = store.add_child("Indah", "")
    session = store.start_session(child.id, "k", "en")
    blocker = sqlite3.connect(tmp_path / "progress.sqlite3", isolation_level=None, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    store.record_attempt(make_attempt(child.id, session, 0))
    assert store.pending_count() == 1
    blocker.execute("ROLLBACK")
    blocker.close()
    store._retry_at = 0.0  # the back-off has passed
    store.record_attempt(make_attempt(child.id, session, 1))
    assert store.pending_count() == 0
    assert [a.round_index for a in store.attempts(child.id)] == [0, 1]


def test_a_retry_after_an_unclear_commit_does_not_duplicate(store):
    """A write that reached the database but whose success we never heard (connection lost
    after COMMIT) is replayed from the buffer: its key makes the replay a no-op."""
    from game.progress.journal import PendingWrite
    child = store.add_child("Joko", "")
    session = store.start_session(child.id, "k", "en")
    write = PendingWrite("attempt", "fixed-key", make_attempt(child.id, session, 0).to_json())
    assert store._commit_one(write) and store._commit_one(write)
    assert len(store.attempts(child.id)) == 1


def test_a_v1_database_upgrades_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        assert schema.migrate(conn, target=1) == 0
        conn.execute(text("INSERT INTO children (id, name, avatar, created_at) "
                          "VALUES (1, 'Kartika', 'bee', '2025-05-01 08:00:00.000000')"))
        conn.execute(text("INSERT INTO sessions (id, child_id, kiosk, lang, started_at) "
                          "VALUES (77, 1, 'old-kiosk', 'id', '2025-05-01 08:01:00.000000')"))
        conn.execute(text(
            "INSERT INTO attempts (child_id, session_id, level_id, round_index, emotion, started_at, "
            "ended_at, outcome, time_to_match_s, peak_prob, mean_prob, face_share) VALUES "
            "(1, 77, 'meadow-1', 0, 'sad', '2025-05-01 08:02:00.000000', "
            "'2025-05-01 08:02:06.000000', 'matched', 3.5, 0.8, 0.6, 0.75)"))
    engine.dispose()

    with open_store(f"sqlite:///{path}") as upgraded:
        [old] = upgraded.attempts()
        assert (old.emotion, old.outcome, old.time_to_match_s, old.face_share) == ("sad", "matched", 3.5, 0.75)
        assert old.noface_share == pytest.approx(0.25)
        assert old.started_at == datetime(2025, 5, 1, 8, 2, tzinfo=timezone.utc)
        upgraded.record_attempt(make_attempt(1, 77, 1))
        upgraded.record_level_result(1, "meadow-1", 2, 40)
        assert len(upgraded.attempts(1)) == 2 and upgraded.level_stars(1) == {"meadow-1": 2}
        assert upgraded.child_summary(1)["name"] == "Kartika"
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version FROM schema_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_migrations_build_exactly_the_declared_tables(store, tmp_path):
    inspector = inspect(create_engine(f"sqlite:///{tmp_path / 'progress.sqlite3'}"))
    for table in schema.metadata.sorted_tables:
        assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.columns.keys()), table.name


def test_a_database_from_a_newer_game_is_refused_clearly(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    open_store(url).close()
    with sqlite3.connect(tmp_path / "new.sqlite3") as raw:
        raw.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(ProgressError, match="newer Emotion Game"):
        open_store(url)


def test_unsupported_urls_are_clear_errors(tmp_path):
    with pytest.raises(ProgressError, match="Unsupported database"):
        open_store("mysql://localhost/x")
    with pytest.raises(ProgressError, match="must live in a file"):
        open_store("sqlite://")


def test_attempts_since_filters_by_start(store):
    child = store.add_child("Lestari", "")
    session = store.start_session(child.id, "k", "en")
    store.record_attempt(make_attempt(child.id, session, 0, start=T0))
    store.record_attempt(make_attempt(child.id, session, 0, start=T0 + timedelta(days=3)))
    assert len(store.attempts(since=T0 + timedelta(days=1))) == 1


from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st


@example(steps=["lock", "record", "record", "reopen", "record", "unlock", "record"])
@example(steps=["record", "lock", "record", "flush", "unlock", "reopen", "lock", "record", "reopen"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(["record", "record", "record", "lock", "unlock", "flush", "reopen"]),
                      min_size=1, max_size=25))
def test_any_mix_of_locks_flushes_and_restarts_keeps_every_attempt_once_in_order(steps, tmp_path_factory, monkeypatch):
    import game.progress.store as store_module
    monkeypatch.setattr(store_module, "SQLITE_BUSY_TIMEOUT_S", 0.02)
    monkeypatch.setattr(store_module, "RETRY_AFTER_S", 0.0)
    folder = tmp_path_factory.mktemp("mix")
    url = f"sqlite:///{folder / 'p.sqlite3'}"
    store = open_store(url)
    child = store.add_child("Mix", "")
    session = store.start_session(child.id, "k", "en")
    blocker, recorded = None, 0
    try:
        for step in steps:
            if step == "record":
                store.record_attempt(make_attempt(child.id, session, recorded))
                recorded += 1
            elif step == "lock" and blocker is None:
                blocker = sqlite3.connect(folder / "p.sqlite3", isolation_level=None, timeout=1)
                blocker.execute("BEGIN EXCLUSIVE")
            elif step == "unlock" and blocker is not None:
                blocker.execute("ROLLBACK")
                blocker.close()
                blocker = None
            elif step == "flush":
                store.flush(timeout_s=0.05)
            elif step == "reopen":   # the kiosk restarts; unsaved results wait in the journal
                store.close(flush_timeout_s=0)
                store = open_store(url)
    finally:
        if blocker is not None:
            blocker.execute("ROLLBACK")
            blocker.close()
    assert store.flush(timeout_s=5) == 0
    assert [a.round_index for a in store.attempts(child.id)] == list(range(recorded))
    store.close()


def test_a_damaged_database_file_is_a_clear_error(tmp_path):
    damaged = tmp_path / "progress.sqlite3"
    damaged.write_bytes(b"this is not SQLite at all " * 100)
    with pytest.raises(ProgressError, match="damaged or is not a progress database"):
        open_store(f"sqlite:///{damaged}")
    assert damaged.read_bytes().startswith(b"this is not SQLite")   # left as it was
