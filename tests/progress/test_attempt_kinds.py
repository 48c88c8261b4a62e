"""Recognise rounds are attempts of their own kind (schema version 5): the face the child tapped
is kept, older attempts read as faces shown, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, inspect, text

from game.progress import Attempt, ProgressError, open_store
from game.progress import schema
from progress_factory import make_attempt


def _v4_database(url: str) -> None:
    """A database as the game before recognise rounds left it, with one attempt in it."""
    engine = create_engine(url)
    with engine.begin() as conn:
        schema.migrate(conn, target=4)
        conn.execute(text("INSERT INTO children (name, avatar, created_at) "
                          "VALUES ('Wulan', 'owl', '2026-05-01 08:00:00+00:00')"))
        conn.execute(text("INSERT INTO sessions (id, child_id, kiosk, lang, started_at) "
                          "VALUES (9, 1, 'old', 'id', '2026-05-01 08:01:00+00:00')"))
        conn.execute(text(
            "INSERT INTO attempts (child_id, session_id, level_id, round_index, emotion, started_at, "
            "ended_at, outcome, time_to_match_s, peak_prob, mean_prob, face_share) VALUES "
            "(1, 9, 'meet-sad', 0, 'sad', '2026-05-01 08:02:00+00:00', "
            "'2026-05-01 08:02:06+00:00', 'matched', 3.5, 0.8, 0.6, 0.75)"))
    engine.dispose()


def _recognised(child_id: int, session: int, index: int, answer: str, emotion: str = "sad") -> Attempt:
    return replace(make_attempt(child_id, session, index, emotion=emotion,
                                outcome="matched" if answer == emotion else "wrong",
                                positive_share=0.0, negative_share=0.0, noface_share=0.0),
                   kind="recognise", answer=answer)


def _upgrade_and_use(url: str, journal) -> None:
    with open_store(url, journal_dir=journal) as store:
        [old] = store.attempts()
        assert (old.kind, old.answer, old.outcome) == ("show", None, "matched")
        right, wrong = _recognised(1, 9, 1, "sad"), _recognised(1, 9, 2, "happy")
        store.record_attempt(right)
        store.record_attempt(wrong)
        assert store.pending_count() == 0, store.last_error
        stored = store.attempts(1)
        assert stored[1:] == [right, wrong]
        assert [(a.kind, a.answer, a.outcome) for a in stored] == [
            ("show", None, "matched"), ("recognise", "sad", "matched"), ("recognise", "happy", "wrong")]


def test_a_v4_sqlite_database_gets_attempt_kinds(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    _v4_database(url)
    _upgrade_and_use(url, tmp_path / "journal")
    columns = {c["name"] for c in inspect(create_engine(url)).get_columns("attempts")}
    assert {"kind", "answer"} <= columns


@pytest.mark.slow
def test_a_v4_postgres_database_gets_attempt_kinds(postgres_url, tmp_path):
    url = postgres_url.replace("postgresql://", "postgresql+psycopg://")
    _v4_database(url)
    _upgrade_and_use(postgres_url, tmp_path / "journal")
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version FROM schema_version")).scalar() == schema.SCHEMA_VERSION >= 5
    engine.dispose()


def test_a_journalled_attempt_from_before_kinds_replays_as_shown(tmp_path):
    """A kiosk updated with tries still in its journal: those lines have no kind and no answer."""
    old_line = make_attempt(1, 9, 0).to_json()
    del old_line["kind"], old_line["answer"]
    assert Attempt.from_json(json.loads(json.dumps(old_line))).kind == "show"


def test_unknown_kinds_and_odd_answers_are_refused_clearly():
    with pytest.raises(ProgressError, match="kind must be one of show, recognise"):
        replace(make_attempt(1, 9, 0), kind="guess").checked()
    with pytest.raises(ProgressError, match="tapped answer"):
        replace(make_attempt(1, 9, 0), kind="recognise", answer="x" * 40).checked()
    assert replace(make_attempt(1, 9, 0), kind="recognise", answer=" sad ").checked().answer == "sad"
