"""The journal's own failures (issue 17, item 2), on real files: a write torn by a full disk
is cut off again (a torn line would swallow the next good line on replay), and when the first
place fails the whole backlog moves to the spare place in order, so one file holds it all."""

from __future__ import annotations

import shutil

import pytest

from game.progress.journal import Journal, KeptWrites, PendingWrite, Place, read_lines
from tests.support.disk import mount_tmpfs


def write(n: int, size: int = 10) -> PendingWrite:
    return PendingWrite("attempt", f"k{n}", {"round_index": n, "note": "x" * size})


def test_a_write_torn_by_a_full_disk_does_not_swallow_the_next_one(tmp_path):
    disk = mount_tmpfs(tmp_path / "small", "1m")
    if not disk.mounted:
        pytest.skip(disk.reason)
    try:
        journal = Journal(disk.path, "t")
        journal.append([write(0)])
        filler = disk.fill()
        with pytest.raises(OSError):
            journal.append([write(1, size=200_000)])     # bigger than what is left: torn
        filler.unlink()
        journal.append([write(2)])
        assert [w.key for w in read_lines(journal.path)] == ["k0", "k2"]
        journal.close(remove_if_empty=True)
    finally:
        disk.unmount()


def test_when_the_first_place_fails_the_backlog_moves_whole_and_in_order(tmp_path):
    first, spare = tmp_path / "first", tmp_path / "spare"
    kept = KeptWrites([Place(first, "db"), Place(spare, "db-spare")])
    backlog = [write(0), write(1)]
    assert kept.keep(backlog[1], backlog).parent == first
    shutil.rmtree(first)                                  # the first place's folder is deleted
    backlog.append(write(2))
    path = kept.keep(backlog[2], backlog)
    assert path.parent == spare and "kept in" in kept.problem and str(spare) in kept.problem
    assert [w.key for w in read_lines(path)] == ["k0", "k1", "k2"]
    kept.close()                                          # not empty: stays for the next start

    again = KeptWrites([Place(first, "db"), Place(spare, "db-spare")])
    adopted, orphans = again.adopt_orphans()
    assert [w.key for w in adopted] == ["k0", "k1", "k2"]
    again.release_orphans(orphans, delete=True)
    assert list(spare.glob("pending-*.jsonl")) == []
