"""A teacher takes a child off the kiosk (issue 14 item 8) or asks for a new calm face (issue 17
item 5), on real SQLite: archive keeps every result and the report still sees them; delete
removes the child and all they stored, and is refused while their results still wait in the
journal; a database from before (schema 5) gains `archived_at` and keeps its children."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from game.progress import Attempt, ProgressError, open_store
from game.progress import schema


def attempt(child_id, session_id, outcome="matched"):
    at = datetime.now(timezone.utc)
    return Attempt(child_id=child_id, session_id=session_id, level_id="l1", round_index=0, emotion="happy",
                   started_at=at, ended_at=at + timedelta(seconds=2), outcome=outcome,
                   time_to_match_s=1.0 if outcome == "matched" else None, peak_prob=0.9, mean_prob=0.5,
                   face_share=1.0)


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    yield s
    s.close()


def test_archive_takes_the_child_off_the_list_and_keeps_everything(store, tmp_path):
    ana, budi = store.add_child("Ana", "cat"), store.add_child("Budi", "lion")
    session = store.start_session(ana.id, "k", "en")
    store.record_attempt(attempt(ana.id, session))
    store.record_level_result(ana.id, "l1", 2, 30)
    assert store.flush() == 0
    store.archive_child(ana.id)
    assert [c.name for c in store.play_children()] == ["Budi"]
    everyone = store.list_children()
    assert [c.name for c in everyone] == ["Ana", "Budi"] and everyone[0].archived_at is not None
    assert len(store.attempts(ana.id)) == 1 and store.level_stars(ana.id) == {"l1": 2}
    assert store.child_summary(ana.id)["rounds"] == 1
    # the kiosk's own copy of the list leaves Ana out too (what shows while the database is away)
    store.close()
    again = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    try:
        assert [c.name for c in again._copied_children()] == ["Budi"]
    finally:
        again.close()


def test_delete_removes_the_child_and_all_they_stored(store, tmp_path):
    ana, budi = store.add_child("Ana", "cat"), store.add_child("Budi", "lion")
    for child in (ana, budi):
        session = store.start_session(child.id, "k", "en")
        store.record_attempt(attempt(child.id, session))
        store.record_level_result(child.id, "l1", 1, 10)
        store.set_calibration(child.id, {"happy": 0.2})
    assert store.flush() == 0
    store.delete_child(ana.id)
    assert store.get_child(ana.id) is None
    assert store.attempts(ana.id) == [] and store.sessions(ana.id) == [] and store.level_stars(ana.id) == {}
    assert store.get_calibration(ana.id) is None
    assert len(store.attempts(budi.id)) == 1 and store.get_calibration(budi.id) == {"happy": 0.2}   # Budi untouched
    with sqlite3.connect(tmp_path / "p.sqlite3") as raw:
        assert raw.execute("SELECT COUNT(*) FROM attempts WHERE child_id = ?", (ana.id,)).fetchone()[0] == 0
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with pytest.raises(ProgressError, match="no child"):
        store.delete_child(ana.id)


def test_delete_waits_for_results_still_in_the_journal(tmp_path):
    """Results journalled but not yet in the database (the school server is away) would come
    back for a deleted child: delete is refused, plainly, and the results stay."""
    away = open_store("postgresql://nobody:secret@127.0.0.1:1/school", journal_dir=tmp_path / "journal")
    try:
        away._child_ids[-5] = 12             # a child the database has taken as id 12 ...
        session = away.start_session(12, "k", "en")
        away.record_attempt(attempt(12, session))
        assert away.pending_count() == 2     # ... whose session and try wait in the journal
        with pytest.raises(ProgressError, match="still waiting to be saved"):
            away.delete_child(12)
        assert away.pending_count() == 2
    finally:
        away.close(flush_timeout_s=0.1)


def test_clear_calibration_asks_for_a_calm_face_again(store):
    ana = store.add_child("Ana", "cat")
    store.set_calibration(ana.id, {"happy": 0.99})
    store.clear_calibration(ana.id)
    assert store.get_calibration(ana.id) is None
    store.clear_calibration(ana.id)          # nothing to forget: no error


def test_a_schema_5_database_gains_archived_at_and_keeps_its_children(tmp_path):
    db = tmp_path / "old.sqlite3"
    with sqlite3.connect(db) as raw:
        from sqlalchemy import create_engine
        engine = create_engine(f"sqlite:///{db}")
        with engine.begin() as conn:
            schema.migrate(conn, target=5)
        engine.dispose()
        raw.execute("INSERT INTO children (name, avatar, created_at) VALUES ('Ana', 'cat', '2026-01-02 03:04:05')")
    store = open_store(f"sqlite:///{db}", journal_dir=tmp_path / "journal")
    try:
        (ana,) = store.list_children()
        assert ana.name == "Ana" and ana.archived_at is None
        store.archive_child(ana.id)
        assert store.play_children() == []
    finally:
        store.close()
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT version FROM schema_version").fetchone()[0] == schema.SCHEMA_VERSION
