"""The progress database's disk or file goes wrong (issue 17, items 1, 2, 3, 6 and 9), with
real SQLite files on real file systems: a tiny tmpfs that is full, a read-only bind mount
(root), a database folder deleted mid-session, a lock held by another program, a foreign
SQLite file.

What must hold: every write is journalled before the database is tried; when the journal's
own place fails the results go to the spare place (the state folder), and when no place takes
them the teacher note and the terminal say so in full and `close()` never drops them without
a word; opening never raises for an unavailable database, and the kiosk still starts known
and new children; a read-only database that becomes writable is used without a restart; a
deleted database file is noticed (SQLite would go on "saving" into it); faults are named for
what they are (read-only, full, deleted), and a foreign file is refused, untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from game.progress import ProgressError, open_store
from game.progress.model import InvalidChildName
from progress_factory import make_attempt
from tests.support.disk import mount_tmpfs

DO_NOT_SWITCH_OFF = "please do not switch this kiosk off until the results are saved."


def lines_in(folder: Path) -> list[str]:
    return [line for path in folder.glob("pending-*.jsonl")
            for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def tiny_disk(tmp_path):
    disk = mount_tmpfs(tmp_path / "small", "2m")
    if not disk.mounted:
        pytest.skip(disk.reason)
    try:
        yield disk
    finally:
        disk.unmount()


@contextmanager
def read_only_view(folder: Path, view: Path):
    """`view` shows `folder` through a read-only bind mount; yields a function that makes it
    writable again (as a teacher fixing the mount or the permissions would)."""
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    view.mkdir(parents=True, exist_ok=True)
    for args in (["mount", "--bind", str(folder), str(view)],
                 ["mount", "-o", "remount,ro,bind", str(view)]):
        result = subprocess.run(args, capture_output=True, text=True)
        if result.returncode != 0:
            subprocess.run(["umount", "-l", str(view)], capture_output=True)
            pytest.skip(f"{' '.join(args)} was refused here: {result.stderr.strip()}")

    def make_writable() -> None:
        subprocess.run(["mount", "-o", "remount,rw,bind", str(view)], check=True, capture_output=True)
    try:
        yield make_writable
    finally:
        subprocess.run(["umount", "-l", str(view)], capture_output=True)


def test_every_write_is_journalled_before_the_database_is_tried(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", spare_journal_dir=tmp_path / "spare")
    child = store.add_child("Tari", "")
    session = store.start_session(child.id, "k", "en")
    journalled_at_insert: list[list[str]] = []

    def look(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO ATTEMPTS"):
            journalled_at_insert.append([line for line in lines_in(tmp_path) if '"kind":"attempt"' in line])

    event.listen(store._engine, "before_cursor_execute", look)
    for i in range(3):
        store.record_attempt(make_attempt(child.id, session, i))
    assert store.pending_count() == 0
    # each attempt was on disk before its INSERT ran (and the journal emptied after each commit)
    assert [[f'"round_index":{i}' in line for line in lines] for i, lines in enumerate(journalled_at_insert)] \
        == [[True], [True], [True]]
    assert lines_in(tmp_path) == []
    store.close()


def test_a_full_disk_keeps_results_in_the_spare_place_and_saves_them_all_later(tiny_disk, tmp_path):
    db = tiny_disk.path / "progress.sqlite3"
    spare = tmp_path / "state"
    store = open_store(f"sqlite:///{db}", spare_journal_dir=spare)
    child = store.add_child("Sari", "")
    session = store.start_session(child.id, "k", "en")
    store.record_attempt(make_attempt(child.id, session, 0))
    filler = tiny_disk.fill()
    for i in range(1, 6):
        store.record_attempt(make_attempt(child.id, session, i))
    store.record_level_result(child.id, "meadow-1", 2, 40)
    status = store.status()
    assert status.pending == 6 and not status.only_in_memory
    assert status.kept_in is not None and status.kept_in.parent == spare
    assert "is full" in status.message and "6 results are kept safely on this kiosk" in status.message
    assert str(spare) in status.message and "do not switch" not in status.message
    assert len(lines_in(spare)) == 6
    store.close(flush_timeout_s=0)                 # the kiosk is switched off, the disk still full

    filler.unlink()
    with open_store(f"sqlite:///{db}", spare_journal_dir=spare) as again:
        assert again.pending_count() == 0
        assert [a.round_index for a in again.attempts(child.id)] == list(range(6))
        assert again.level_stars(child.id) == {"meadow-1": 2}
    assert lines_in(spare) == [] and lines_in(tiny_disk.path) == []


def test_when_no_place_takes_the_results_the_teacher_and_the_terminal_are_told_in_full(tiny_disk, caplog):
    db = tiny_disk.path / "progress.sqlite3"
    store = open_store(f"sqlite:///{db}", spare_journal_dir=tiny_disk.path / "state")   # same full disk
    child = store.add_child("Dewi", "")
    session = store.start_session(child.id, "k", "en")
    tiny_disk.fill()
    caplog.set_level(logging.WARNING, logger="game.progress")
    for i in range(3):
        store.record_attempt(make_attempt(child.id, session, i))
    status = store.status()
    assert status.pending == 3 and status.only_in_memory and status.kept_in is None
    assert status.message.count(DO_NOT_SWITCH_OFF) == 1, status.message   # the whole sentence
    assert "3 results are kept only in this kiosk's memory" in status.message
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(DO_NOT_SWITCH_OFF in message for message in errors), errors   # in the terminal too

    caplog.clear()
    store.close(flush_timeout_s=0)    # switched off anyway: the results go to the terminal
    rescued = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "3 unsaved results" in rescued and rescued.count('"kind":"attempt"') == 3, rescued


def test_a_deleted_database_folder_is_noticed_and_nothing_is_lost(tmp_path):
    folder = tmp_path / "school"
    db = folder / "progress.sqlite3"
    spare = tmp_path / "state"
    store = open_store(f"sqlite:///{db}", spare_journal_dir=spare)
    child = store.add_child("Lina", "")
    session = store.start_session(child.id, "k", "en")
    store.record_attempt(make_attempt(child.id, session, 0))
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(db) as source, sqlite3.connect(backup) as copy:
        source.backup(copy)

    shutil.rmtree(folder)                           # someone deletes the folder mid-session
    store.record_attempt(make_attempt(child.id, session, 1))
    store.record_attempt(make_attempt(child.id, session, 2))
    store.record_level_result(child.id, "meadow-1", 3, 50)
    store.end_session(session)
    status = store.status()
    assert status.pending == 4, "SQLite 'saved' them into the deleted file"
    assert "deleted" in status.message and "4 results are kept safely" in status.message, status.message
    assert len(lines_in(spare)) == 4

    folder.mkdir()
    shutil.copy(backup, db)                         # the folder is put back from the backup
    assert store.flush(timeout_s=15) == 0, store.last_error
    assert [a.round_index for a in store.attempts(child.id)] == [0, 1, 2]
    assert store.level_stars(child.id) == {"meadow-1": 3}
    assert store.sessions(child.id)[0].ended_at is not None
    store.close()


def test_a_read_only_database_opens_plays_on_and_is_used_once_writable(tmp_path):
    real = tmp_path / "real"
    with open_store(f"sqlite:///{real / 'progress.sqlite3'}") as setup:
        rani = setup.add_child("Rani", "cat")
        assert [c.name for c in setup.play_children()] == ["Rani"]     # this kiosk's copy is made
    spare = tmp_path / "state"
    with read_only_view(real, tmp_path / "view") as make_writable:
        url = f"sqlite:///{tmp_path / 'view' / 'progress.sqlite3'}"
        store = open_store(url, spare_journal_dir=spare)                 # never raises
        try:
            status = store.status()
            assert "read-only" in status.message and "cannot be reached" not in status.message, status.message
            assert [c.name for c in store.play_children()] == ["Rani"]
            child = store.child_for_play("Rani")
            assert child.id == rani.id
            session = store.start_session(child.id, "k", "en")
            for i in range(3):
                store.record_attempt(make_attempt(child.id, session, i))
            status = store.status()
            assert status.pending == 4 and status.kept_in.parent == spare, status
            assert "read-only" in status.message

            make_writable()                         # fixed while the game runs: no restart
            assert store.flush(timeout_s=20) == 0, store.last_error
            assert [a.round_index for a in store.attempts(child.id)] == [0, 1, 2]
            assert store.last_error is None
        finally:
            store.close()


def test_a_full_disk_at_start_is_named_full_not_a_disk_io_error(tiny_disk, tmp_path):
    db = tiny_disk.path / "progress.sqlite3"
    with open_store(f"sqlite:///{db}") as setup:
        setup.add_child("Rani", "")
        setup.play_children()
    tiny_disk.fill()
    store = open_store(f"sqlite:///{db}", spare_journal_dir=tmp_path / "state")   # never raises
    try:
        child = store.child_for_play("Rani")
        store.record_attempt(make_attempt(child.id, store.start_session(child.id, "k", "en"), 0))
        message = store.status().message
        assert "is full" in message and "disk I/O error" not in message, message
        assert store.status().pending == 2 and not store.status().only_in_memory
    finally:
        store.close(flush_timeout_s=0)


def test_a_locked_database_still_lets_a_new_child_start_and_play(tmp_path):
    db = tmp_path / "progress.sqlite3"
    with open_store(f"sqlite:///{db}") as setup:
        setup.add_child("Rani", "")
    blocker = sqlite3.connect(db, isolation_level=None, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")             # another program holds the write lock
    try:
        store = open_store(f"sqlite:///{db}", spare_journal_dir=tmp_path / "state")
        new = store.child_for_play("Joko", "fox")    # add_child would raise "busy" here
        assert new.id < 0 and new.name == "Joko"
        session = store.start_session(new.id, "k", "en")
        for i in range(2):
            store.record_attempt(make_attempt(new.id, session, i))
        assert store.pending_count() == 4 and "busy" in store.last_error
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.flush(timeout_s=15) == 0, store.last_error
    joko = next(c for c in store.list_children() if c.name == "Joko")
    assert joko.id > 0 and [a.round_index for a in store.attempts(joko.id)] == [0, 1]
    assert store.child_for_play("Joko").id == joko.id
    store.close()


@pytest.mark.parametrize("name, words", [
    ("   ", "cannot be empty"),
    ("x" * 20_001, "20,001 characters long; a name can have at most 20,000"),
    ("", "cannot be empty"),
])
def test_a_blank_or_overlong_name_is_a_clear_validation_error(tmp_path, name, words):
    with open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}") as store:
        with pytest.raises(InvalidChildName, match=words):
            store.child_for_play(name)
        assert store.pending_count() == 0 and store.play_children() == []
        assert store.child_for_play("x" * 20_000).name == "x" * 20_000    # the longest allowed


def test_a_foreign_sqlite_file_is_refused_clearly_and_left_untouched(tmp_path):
    foreign = tmp_path / "accounts.sqlite3"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        raw.execute("INSERT INTO invoices (total) VALUES (9.5)")
    with pytest.raises(ProgressError, match="not an Emotion Game progress database.*invoices"):
        open_store(f"sqlite:///{foreign}")
    with sqlite3.connect(foreign) as raw:
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["invoices"]
    assert list(tmp_path.glob("pending-*.jsonl")) == []
