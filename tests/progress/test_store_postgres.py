"""The progress store on a real PostgreSQL server: a school's kiosks sharing one database."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

from game.progress import open_store
from game.progress import schema
from pg_server import PostgresServer, PostgresUnavailable, create_database
from progress_factory import make_attempt

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]

KIOSK = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[4])
    from game.progress import open_store
    from progress_factory import make_attempt
    url, kiosk, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open_store(url, journal_dir=sys.argv[5]) as store:
        child = store.get_or_create_child(f"child of {kiosk} 🙂", kiosk)
        session = store.start_session(child.id, kiosk, "id")
        for i in range(rounds):
            store.record_attempt(make_attempt(child.id, session, i, emotion=("happy", "sad", "fear")[i % 3]))
        store.end_session(session)
        assert store.flush(timeout_s=30) == 0, store.last_error
    print("ok", kiosk)
""")


def test_round_trip_on_postgres(postgres_url, tmp_path):
    with open_store(postgres_url, journal_dir=tmp_path) as store:
        assert store.dialect == "postgresql"
        child = store.add_child("<script>alert(1)</script> 🐯 مرحبا", "tiger")
        session = store.start_session(child.id, "hall", "en")
        recorded = [make_attempt(child.id, session, i, emotion=e, outcome=o)
                    for i, (e, o) in enumerate([("happy", "matched"), ("sad", "timeout"), ("fear", "skipped")])]
        for attempt in recorded:
            store.record_attempt(attempt)
        store.end_session(session)
        store.record_level_result(child.id, "meadow-1", 2, 50)
        store.set_calibration(child.id, {"happy": 0.1})
        assert store.attempts(child.id) == recorded
        assert store.get_child(child.id).name == "<script>alert(1)</script> 🐯 مرحبا"
        assert store.level_stars(child.id) == {"meadow-1": 2}
        assert store.get_calibration(child.id) == {"happy": 0.1}
        assert store.sessions(child.id)[0].ended_at is not None
        assert store.child_summary(child.id)["emotions"]["happy"]["success_rate"] == 1.0
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_two_kiosks_writing_at_once_lose_nothing(postgres_url, tmp_path):
    """Two processes, each its own store, both creating the schema and writing at the same time."""
    rounds = 60
    env = dict(os.environ, PYTHONPATH=str(REPO))
    kiosks = [subprocess.Popen([sys.executable, "-c", KIOSK, postgres_url, name, str(rounds),
                                str(Path(__file__).parent), str(tmp_path / name)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
              for name in ("kiosk-a", "kiosk-b")]
    for kiosk in kiosks:
        out, err = kiosk.communicate(timeout=240)
        assert kiosk.returncode == 0, err[-3000:]
    with open_store(postgres_url, journal_dir=tmp_path / "reader") as store:
        children = {c.avatar: c for c in store.list_children()}
        assert sorted(children) == ["kiosk-a", "kiosk-b"]
        for name, child in children.items():
            assert [a.round_index for a in store.attempts(child.id)] == list(range(rounds))
            [session] = store.sessions(child.id)
            assert session.kiosk == name and session.ended_at is not None
        assert len(store.attempts()) == 2 * rounds


def test_two_kiosk_threads_share_one_database(postgres_url, tmp_path):
    import threading
    stores = [open_store(postgres_url, journal_dir=tmp_path / str(i)) for i in range(2)]
    children = [stores[i].add_child(f"thread child {i}", "") for i in range(2)]
    errors: list[BaseException] = []

    def play(i: int) -> None:
        try:
            session = stores[i].start_session(children[i].id, f"t{i}", "en")
            for r in range(40):
                stores[i].record_attempt(make_attempt(children[i].id, session, r))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=play, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    for store in stores:
        assert store.pending_count() == 0
        store.close()
    with open_store(postgres_url, journal_dir=tmp_path / "r") as reader:
        assert [len(reader.attempts(c.id)) for c in children] == [40, 40]


def test_server_down_then_back_loses_nothing(tmp_path):
    """The school server goes away mid-session: attempts wait on the kiosk, then all arrive."""
    try:
        server = PostgresServer(tmp_path)
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        server.start()
        url = create_database(server.url(), "school")
        store = open_store(url, journal_dir=tmp_path / "journal")
        child = store.add_child("Wulan", "bird")
        session = store.start_session(child.id, "kiosk-c", "id")
        store.record_attempt(make_attempt(child.id, session, 0))

        server.stop()
        for i in range(1, 5):
            store.record_attempt(make_attempt(child.id, session, i))
        store.end_session(session)
        assert store.pending_count() == 5
        assert "cannot be reached" in store.last_error and "5 results are kept" in store.last_error
        assert len(list((tmp_path / "journal").glob("pending-pg-*.jsonl"))[0].read_text().splitlines()) == 5

        server.start()
        assert store.flush(timeout_s=30) == 0
        assert store.last_error is None
        assert [a.round_index for a in store.attempts(child.id)] == [0, 1, 2, 3, 4]
        assert store.sessions(child.id)[0].ended_at is not None
        store.close()
    finally:
        server.destroy()


def test_postgres_unreachable_at_start_still_lets_the_game_start(tmp_path):
    from pg_server import free_port
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"
    store = open_store(url, journal_dir=tmp_path)
    session = store.start_session(1, "k", "en")
    store.record_attempt(make_attempt(1, session, 0))
    assert store.pending_count() == 2 and "cannot be reached" in store.last_error
    store.close(flush_timeout_s=0)
    # Kept for the next start; the password-free URL hash names the journal.
    assert len(list(tmp_path.glob("pending-pg-*.jsonl"))[0].read_text().splitlines()) == 2


def test_a_v1_postgres_database_upgrades(postgres_url, tmp_path):
    from sqlalchemy import create_engine, inspect, text
    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        schema.migrate(conn, target=1)
        conn.execute(text("INSERT INTO children (name, avatar, created_at) VALUES ('Yuni', '', now())"))
        conn.execute(text("INSERT INTO sessions (id, child_id, kiosk, lang, started_at) "
                          "VALUES (5, 1, 'old', 'id', now())"))
        conn.execute(text(
            "INSERT INTO attempts (child_id, session_id, level_id, round_index, emotion, started_at, "
            "ended_at, outcome, time_to_match_s, peak_prob, mean_prob, face_share) VALUES "
            "(1, 5, 'meadow-1', 0, 'fear', now(), now(), 'timeout', NULL, 0.4, 0.2, 0.9)"))
    with open_store(postgres_url, journal_dir=tmp_path) as store:
        [old] = store.attempts()
        assert (old.emotion, old.outcome, old.noface_share) == ("fear", "timeout", pytest.approx(0.1))
        store.record_attempt(make_attempt(1, 5, 1))
        assert len(store.attempts(1)) == 2 and store.pending_count() == 0
    inspector = inspect(engine)
    for table in schema.metadata.sorted_tables:
        assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.columns.keys()), table.name
    engine.dispose()
