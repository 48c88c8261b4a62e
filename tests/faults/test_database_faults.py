"""The progress database goes away while a child plays: SQLite locked by another program for
10 s, its disk full (a 3 MB tmpfs as root, else SQLite's own "disk is full" injected), or a
school's PostgreSQL server down for 10 s. The game keeps playing without a frame waiting on
the database, the attempts are buffered (journalled where the disk allows), and every one is
in the database afterwards, once and in order."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import event

from game.progress import open_store
from tests.faults.kiosk import Kiosk, journal_lines, stored_attempts, two_levels
from tests.support.disk import mount_tmpfs

LOCK_S = 10.0
#: A frame must never wait on the database: SQLite's busy timeout is 1 s, so a frame that
#: waited for the lock would take at least that long. Far above a slow CI frame (~20 ms).
MAX_FRAME_S = 0.9


def test_database_locked_for_10_s_while_rounds_end(tmp_path):
    db = tmp_path / "progress.sqlite3"
    kiosk = Kiosk(db, two_levels(tmp_path / "levels"))
    level = kiosk.levels[0]
    try:
        kiosk.start()
        kiosk.play_level(level)                      # the database is fine: saved at once
        assert kiosk.game.store.writer.drain() and kiosk.store.pending_count() == 0
        assert len(stored_attempts(db)) == 2

        blocker = sqlite3.connect(db, isolation_level=None, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")           # another program holds the database
        locked_at = time.monotonic()
        kiosk.step_wall_s.clear()
        plays = 0
        try:
            while time.monotonic() - locked_at < LOCK_S:
                kiosk.play_level(level)
                plays += 1
            assert kiosk.game.store.writer.drain(timeout_s=5)
            waiting = kiosk.store.pending_count()
            note = kiosk.store.last_error
            journalled = journal_lines(tmp_path)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert plays >= 2, "the game kept playing levels while the database was locked"
        assert max(kiosk.step_wall_s) < MAX_FRAME_S, "a frame waited for the locked database"
        # every round that ended while locked is buffered and journalled (plus level results)
        assert waiting >= 3 * plays and journalled >= 3 * plays, (waiting, journalled, plays)
        assert "busy" in note and "will be saved automatically" in note, note
        assert len(stored_attempts(db)) == 2                # nothing got in while locked

        kiosk.play_level(level)                     # unlocked: play on; the backlog goes in
    finally:
        kiosk.close()
    recorded = kiosk.store.attempts
    assert recorded == 2 * (plays + 2)
    stored = stored_attempts(db)
    assert len(stored) == recorded, "an attempt was lost"
    assert stored == [("test-one", i % 2, "matched") for i in range(recorded)]   # in order, once each
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM level_results").fetchone()[0] == plays + 2
    assert journal_lines(tmp_path) == 0
    print(f"\nlocked {LOCK_S:.0f} s: {plays} levels played, {waiting} writes buffered, slowest frame "
          f"{max(kiosk.step_wall_s) * 1000:.0f} ms; {recorded} attempts recorded, {len(stored)} stored")


def test_database_disk_full_while_rounds_end(tmp_path):
    disk = mount_tmpfs(tmp_path / "small", "3m")
    mounted = disk.mounted
    if not mounted:
        print(f"\nno tiny disk ({disk.reason}): SQLite's own 'disk is full' is injected instead")
    small = disk.path
    db = small / "progress.sqlite3"
    # The spare journal place is on the same full disk: nothing on disk can take the results.
    store = open_store(f"sqlite:///{db}", spare_journal_dir=small / "state")
    failing = {"on": False}
    if not mounted:
        # Without root: SQLite's own "database or disk is full" on every write while "full".
        def disk_full(conn, cursor, statement, parameters, context, executemany):
            if failing["on"] and statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
                raise sqlite3.OperationalError("database or disk is full")
        event.listen(store._engine, "before_cursor_execute", disk_full)
    kiosk = Kiosk(db, two_levels(tmp_path / "levels"), store=store)
    level = kiosk.levels[0]
    filler = None
    try:
        kiosk.start()
        kiosk.play_level(level)
        assert kiosk.game.store.writer.drain() and len(stored_attempts(db)) == 2
        if mounted:
            filler = disk.fill()
        failing["on"] = True
        kiosk.step_wall_s.clear()
        for _ in range(3):
            kiosk.play_level(level)
        assert kiosk.game.store.writer.drain(timeout_s=10)
        assert max(kiosk.step_wall_s) < MAX_FRAME_S
        assert kiosk.store.pending_count() >= 9      # 6 attempts + 3 level results wait
        note = kiosk.store.last_error
        assert "full" in note, note
        if mounted:   # the journal is on the same full disk: the teacher is told to keep the kiosk on
            assert "do not switch this kiosk off" in note, note
        assert kiosk.game.scene.name == "map"        # and the child played on

        if filler is not None:
            filler.unlink()                          # space again
        failing["on"] = False
        kiosk.play_level(level)
    finally:
        kiosk.close()
        stored = stored_attempts(db) if db.exists() else []
        disk.unmount()
    assert kiosk.store.attempts == 10
    assert stored == [("test-one", i % 2, "matched") for i in range(10)], "an attempt was lost"


def test_the_disk_full_test_really_fills_the_disk(tmp_path):
    """Guards the test above: a 3 MB tmpfs is really full after `fill` (so SQLite cannot write)."""
    disk = mount_tmpfs(tmp_path / "small", "3m")
    if not disk.mounted:
        pytest.skip(disk.reason)
    try:
        disk.fill()
        with pytest.raises(OSError):
            (disk.path / "one-more").write_bytes(b"x" * 8192)
    finally:
        disk.unmount()


def test_school_postgres_server_down_for_10_s_while_rounds_end(tmp_path):
    """Kiosks sharing a school's PostgreSQL: the server goes away mid-session and comes back."""
    from tests.progress.pg_server import PostgresServer, PostgresUnavailable, create_database

    try:
        server = PostgresServer(tmp_path)
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL not installed: {exc}")
    try:
        server.start()
        url = create_database(server.url(), "school")
        kiosk = Kiosk(tmp_path / "unused.sqlite3", two_levels(tmp_path / "levels"),
                      store=open_store(url, journal_dir=tmp_path / "journal"))
        level = kiosk.levels[0]
        try:
            kiosk.start()
            kiosk.play_level(level)
            assert kiosk.game.store.writer.drain() and kiosk.store.pending_count() == 0

            server.stop()
            down_at = time.monotonic()
            kiosk.step_wall_s.clear()
            plays = 0
            while time.monotonic() - down_at < LOCK_S:
                kiosk.play_level(level)
                plays += 1
            assert kiosk.game.store.writer.drain(timeout_s=10)
            assert plays >= 2 and max(kiosk.step_wall_s) < MAX_FRAME_S
            assert kiosk.store.pending_count() >= 3 * plays
            assert "cannot be reached" in kiosk.store.last_error
            assert journal_lines(tmp_path / "journal") >= 3 * plays

            server.start()
            kiosk.play_level(level)
        finally:
            kiosk.close()
        with open_store(url, journal_dir=tmp_path / "journal") as reader:
            stored = [(a.level_id, a.round_index, a.outcome) for a in reader.attempts()]
        assert kiosk.store.attempts == 2 * (plays + 2)
        assert stored == [("test-one", i % 2, "matched") for i in range(2 * (plays + 2))], "an attempt was lost"
        assert journal_lines(tmp_path / "journal") == 0
    finally:
        server.destroy()
