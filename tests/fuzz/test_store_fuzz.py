"""Odd inputs into a real SQLite progress store: names and ids in any script, with emoji,
control characters, very long or empty; attempts with NaN, infinite, negative or out-of-range
numbers. Each is stored exactly (as `Attempt.checked()` normalises it) or refused with a
message, never lost silently and never raised into the game; the same holds when the writes
wait in the journal for a locked database and are replayed by the next start.

(The level loader's fuzz tests are in tests/levels/test_levels_fuzz.py; the store's own
example-based tests in tests/progress.)
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.progress import OUTCOMES, Attempt, ProgressError, open_store
from game.progress.model import MAX_NAME_CHARS

EXAMPLES = int(os.environ.get("STORE_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

#: Any text a keyboard, a paste or a level file can hold: every script, emoji, zero-width and
#: right-to-left marks, control characters. (Lone surrogates cannot come from UTF-8 input;
#: they have their own test at the end.)
CHARACTERS = st.characters(blacklist_categories=("Cs",))
texts = st.one_of(
    st.text(CHARACTERS, max_size=40),
    st.sampled_from(["", " ", "\t\n", "\x00", "a\x00b", "\u200b", "\u202eabc", "😀👍🏽👨‍👩‍👧", "Nur 'Aini",
                     "Ñuñez-Ågård", "انا", "ปิติ", "\x1b[31mred", "Robert'); DROP TABLE children;--"]),
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "é", "😀", " ", "名"]),
              st.sampled_from([1000, MAX_NAME_CHARS, MAX_NAME_CHARS + 1])),
)
weird_floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0.0, -0.0, 1.0, 1 + 1e-12, -1e-12]),
                         st.floats(0.0, 1.0))


@pytest.fixture(scope="module")
def store():
    with tempfile.TemporaryDirectory() as folder:
        opened = open_store(f"sqlite:///{Path(folder) / 'progress.sqlite3'}")
        yield opened
        opened.close()


def refusable_name(name: str) -> bool:
    return not name.strip() or "\x00" in name or len(name) > MAX_NAME_CHARS


@FUZZ
@given(name=texts)
def test_a_childs_name_is_kept_exactly_or_refused_with_a_message(store, name):
    before = len(store.list_children())
    try:
        child = store.add_child(name, avatar=name[:50])
    except ProgressError as exc:
        assert refusable_name(name), f"{name!r} refused: {exc}"
        assert str(exc).strip() and len(store.list_children()) == before
        return
    assert not refusable_name(name), f"{name[:40]!r} should have been refused"
    assert store.get_child(child.id).name == name
    assert store.get_or_create_child(name).name == name        # (names need not be unique)
    renamed = name[::-1][: MAX_NAME_CHARS - 1] + "!"
    store.rename_child(child.id, renamed)
    assert store.get_child(child.id).name == renamed


@st.composite
def attempts(draw, child_id: int, session_id: int):
    offset = timedelta(minutes=draw(st.integers(-14 * 60, 14 * 60)))
    started = draw(st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1))).replace(tzinfo=timezone(offset))
    ended = started + timedelta(seconds=draw(st.one_of(st.floats(-10, 1e5), st.just(0.0))))
    return Attempt(
        child_id=child_id, session_id=session_id, level_id=draw(texts), round_index=draw(
            st.one_of(st.integers(-5, 50), st.integers(-2 ** 63, 2 ** 63 - 1), st.just(2 ** 70))),
        emotion=draw(st.one_of(st.sampled_from(["happy", "sad", "fear", " happy "]), texts)),
        started_at=started, ended_at=ended,
        outcome=draw(st.sampled_from(OUTCOMES)) if draw(st.integers(0, 9)) else draw(texts),
        time_to_match_s=draw(st.one_of(st.none(), weird_floats)),
        peak_prob=draw(weird_floats), mean_prob=draw(weird_floats), face_share=draw(weird_floats),
        positive_share=draw(st.floats(0, 1)), negative_share=draw(weird_floats), noface_share=draw(weird_floats))


def expected_record(attempt: Attempt) -> Attempt | None:
    """What the store must keep: the checked attempt, or None when the attempt must be refused."""
    try:
        checked = attempt.checked()
    except ProgressError:
        return None
    return None if not -2 ** 63 <= checked.round_index < 2 ** 63 else checked


def rejected_lines(store) -> list[dict]:
    path = store._rejected_path
    if not path.exists():
        return []
    # one record per "\n": str.splitlines() would also split at U+2028 or U+0085 inside a name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


@pytest.fixture(scope="module")
def child_session(store):
    child = store.add_child("Fuzz", "")
    return child.id, store.start_session(child.id, "fuzz", "en")


@FUZZ
@given(data=st.data())
def test_an_attempt_is_stored_exactly_or_set_aside_with_a_note(store, child_session, data):
    attempt = data.draw(attempts(*child_session))
    stored_before, rejected_before = len(store.attempts()), len(rejected_lines(store))
    store.record_attempt(attempt)                    # never raises into the game
    assert store.pending_count() == 0
    stored, rejected = store.attempts(), rejected_lines(store)
    wanted = expected_record(attempt)
    if wanted is None:
        assert len(stored) == stored_before and len(rejected) == rejected_before + 1
        assert "could not be saved" in store.last_error and str(store._rejected_path) in store.last_error
        assert rejected[-1]["reason"].strip() and rejected[-1]["kind"] == "attempt"
    else:
        assert len(stored) == stored_before + 1 and len(rejected) == rejected_before
        assert wanted in stored, (wanted, [a for a in stored if a.level_id == wanted.level_id])


@settings(max_examples=max(3, EXAMPLES // 30), deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_odd_attempts_survive_the_journal_while_the_database_is_locked(data):
    """Locked: every write goes to the JSON journal. The store is closed while still locked
    (the kiosk switched off); the next start replays the journal: the same records arrive."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "progress.sqlite3"
        store = open_store(f"sqlite:///{db}")
        child = store.add_child("Journal", "")
        session = store.start_session(child.id, "fuzz", "en")
        batch = data.draw(st.lists(attempts(child.id, session), min_size=8, max_size=20))
        blocker = sqlite3.connect(db, isolation_level=None, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            for attempt in batch:
                store.record_attempt(attempt)
            store.close(flush_timeout_s=0.1)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        wanted = [w for w in map(expected_record, batch) if w is not None]
        with open_store(f"sqlite:///{db}") as reopened:
            assert reopened.pending_count() == 0
            assert reopened.attempts(child.id) == sorted(wanted, key=lambda a: a.started_at)


# ----------------------------------------------------------------- what the fuzzing found (bugs, now fixed)
def test_an_out_of_range_time_is_set_aside_not_raised(store, child_session):
    child_id, session_id = child_session
    far = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))
    store.record_attempt(Attempt(child_id=child_id, session_id=session_id, level_id="x", round_index=0,
                                 emotion="happy", started_at=far, ended_at=datetime.now(timezone.utc),
                                 outcome="timeout"))
    assert "could not be saved" in store.last_error


@pytest.mark.parametrize("locked", [False, True], ids=["database-open", "database-locked"])
def test_a_lone_surrogate_in_an_attempt_is_set_aside_not_raised(tmp_path, locked):
    db = tmp_path / "progress.sqlite3"
    with open_store(f"sqlite:///{db}") as store:
        child = store.add_child("Surrogate", "")
        session = store.start_session(child.id, "fuzz", "en")
        now = datetime.now(timezone.utc)
        blocker = sqlite3.connect(db, isolation_level=None, timeout=0)
        if locked:
            blocker.execute("BEGIN EXCLUSIVE")      # the write goes to the journal first
        try:
            store.record_attempt(Attempt(child_id=child.id, session_id=session, level_id="bad\ud800",
                                         round_index=0, emotion="happy", started_at=now, ended_at=now,
                                         outcome="timeout"))
        finally:
            if locked:
                blocker.execute("ROLLBACK")
            blocker.close()
        assert store.flush(timeout_s=5) == 0
        assert "could not be saved" in store.last_error and rejected_lines(store)[-1]["kind"] == "attempt"


def test_a_name_with_a_lone_surrogate_is_refused_with_a_progress_error(store):
    with pytest.raises(ProgressError):
        store.add_child("Ani\ud83d", "")
