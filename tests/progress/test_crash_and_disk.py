"""Nothing is lost when the kiosk process is killed or the disk fills up (real processes, real files)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

from game.progress import open_store
from progress_factory import make_attempt
from tests.support.disk import mount_tmpfs

REPO = Path(__file__).resolve().parents[2]

#: A kiosk that records attempts as fast as it can and says which ones record_attempt returned for.
KIOSK_LOOP = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[3])
    from game.progress import open_store
    from progress_factory import make_attempt
    store = open_store(sys.argv[1])
    child = store.get_or_create_child("Rani", "cat")
    session = store.start_session(child.id, "kiosk-a", "en")
    for i in range(int(sys.argv[2])):
        store.record_attempt(make_attempt(child.id, session, i, emotion=("happy", "sad", "fear")[i % 3]))
        print(f"recorded {i} pending {store.pending_count()}", flush=True)
    print("done", flush=True)
    sys.stdin.read()   # stay alive until killed
""")


def spawn_kiosk(url: str, rounds: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-c", KIOSK_LOOP, url, str(rounds), str(Path(__file__).parent)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def read_until(process: subprocess.Popen, predicate, timeout_s: float = 60) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if predicate(lines):
            return lines
    process.kill()
    raise AssertionError(f"kiosk process did not get there: {lines[-5:]}\n{process.stderr.read()[-2000:]}")


def test_kill_9_mid_session_loses_at_most_the_attempt_in_flight(tmp_path):
    db = tmp_path / "progress.sqlite3"
    kiosk = spawn_kiosk(f"sqlite:///{db}", rounds=100_000)
    lines = read_until(kiosk, lambda got: len(got) >= 40)
    kiosk.send_signal(signal.SIGKILL)
    kiosk.wait(timeout=30)
    lines += [line.strip() for line in kiosk.stdout.read().splitlines()]
    confirmed = [int(line.split()[1]) for line in lines if line.startswith("recorded")]
    assert confirmed == list(range(len(confirmed))) and len(confirmed) >= 40

    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_store(f"sqlite:///{db}") as store:
        stored = [a.round_index for a in store.attempts()]
        assert stored[: len(confirmed)] == confirmed          # every confirmed attempt is there
        assert len(stored) <= len(confirmed) + 1              # plus at most the one in flight
        assert store.pending_count() == 0
        [child] = store.list_children()
        assert store.child_summary(child.id)["attempts"] == len(stored)


def test_kill_9_while_the_database_is_locked_replays_the_journal(tmp_path):
    db = tmp_path / "progress.sqlite3"
    with open_store(f"sqlite:///{db}") as store:
        store.add_child("Rani", "cat")
    blocker = sqlite3.connect(db, isolation_level=None, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        kiosk = spawn_kiosk(f"sqlite:///{db}", rounds=5)
        lines = read_until(kiosk, lambda got: got[-1] == "done")
        assert lines[-2] == "recorded 4 pending 6"  # session start + 5 attempts, all buffered
        kiosk.send_signal(signal.SIGKILL)
        kiosk.wait(timeout=30)
        journals = list(tmp_path.glob("pending-*.jsonl"))
        assert len(journals) == 1 and len(journals[0].read_text().splitlines()) == 6
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    with open_store(f"sqlite:///{db}") as store:   # the next start adopts the orphan journal
        assert store.pending_count() == 0 and store.last_error is None
        assert [a.round_index for a in store.attempts()] == [0, 1, 2, 3, 4]
        assert len(store.sessions()) == 1
    assert list(tmp_path.glob("pending-*.jsonl")) == []


def test_disk_full_buffers_then_saves_everything(tmp_path):
    disk = mount_tmpfs(tmp_path / "small", "2m")
    if not disk.mounted:
        pytest.skip(f"{disk.reason}; test_injected_io_error_buffers_and_is_journalled covers the logic")
    small = disk.path
    try:
        # The spare journal place is on the same full disk, so nothing on disk can take them
        # (tests/progress/test_store_unavailable.py covers a spare place that has room).
        store = open_store(f"sqlite:///{small / 'progress.sqlite3'}", spare_journal_dir=small / "state")
        child = store.add_child("Sari", "")
        session = store.start_session(child.id, "k", "en")
        store.record_attempt(make_attempt(child.id, session, 0))
        filler = disk.fill()
        for i in range(1, 6):
            store.record_attempt(make_attempt(child.id, session, i))
        assert store.pending_count() == 5
        note = store.last_error
        assert "full" in note and "do not switch this kiosk off" in note and "memory" in note
        assert note.count("do not switch") == 1

        filler.unlink()
        assert store.flush(timeout_s=10) == 0
        assert [a.round_index for a in store.attempts(child.id)] == list(range(6))
        store.close()
        with sqlite3.connect(small / "progress.sqlite3") as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        disk.unmount()


def test_injected_io_error_buffers_and_is_journalled(tmp_path):
    """The same path without root: SQLite's own 'disk I/O error' raised on attempt inserts."""
    store = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}")
    child = store.add_child("Tari", "")
    session = store.start_session(child.id, "k", "en")
    failing = {"on": True}

    def disk_error(conn, cursor, statement, parameters, context, executemany):
        if failing["on"] and statement.lstrip().upper().startswith("INSERT INTO ATTEMPTS"):
            raise sqlite3.OperationalError("disk I/O error")

    event.listen(store._engine, "before_cursor_execute", disk_error)
    for i in range(4):
        store.record_attempt(make_attempt(child.id, session, i))
    assert store.pending_count() == 4
    assert store.last_error.startswith("The progress database reported a problem: disk I/O error")
    assert len(list(tmp_path.glob("pending-*.jsonl"))[0].read_text().splitlines()) == 4
    failing["on"] = False
    assert store.flush(timeout_s=5) == 0
    assert [a.round_index for a in store.attempts()] == [0, 1, 2, 3]
    store.close()


def test_a_transient_error_is_told_apart_from_a_bad_record():
    from game.progress.store import _is_transient
    assert _is_transient(sa_exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked")))
    assert not _is_transient(sa_exc.IntegrityError("INSERT", {}, sqlite3.IntegrityError("FOREIGN KEY")))
