"""Children's progress: a store that never loses an attempt, and reports for teachers.

    from game.progress import open_store, Attempt
    store = open_store()               # SQLite in the user-data folder; or "postgresql://..."
    child = store.get_or_create_child("Ana", avatar="cat")
    session = store.start_session(child.id, kiosk="room-1", lang="en")
    store.record_attempt(Attempt(...))  # journalled, then committed; never raises
    store.status().message             # the teacher note, complete (None when all is well)

While the database is away the kiosk uses `store.play_children()` and
`store.child_for_play(name)` (see game.progress.store).

Only the dataclasses are imported eagerly; the store (SQLAlchemy) loads on first use so that
`emotion-game levels check` and other light commands stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.progress.model import OUTCOMES, Attempt, Child, InvalidChildName, ProgressError

if TYPE_CHECKING:
    from pathlib import Path

    from game.progress.store import Store

__all__ = ["open_store", "Store", "Attempt", "Child", "default_db_url", "ProgressError",
           "InvalidChildName", "OUTCOMES"]


def open_store(url: str | None = None, *, journal_dir: "Path | str | None" = None,
               spare_journal_dir: "Path | str | None" = None) -> "Store":
    """Open the progress database (see game.progress.store.open_store)."""
    from game.progress.store import open_store as _open_store
    return _open_store(url, journal_dir=journal_dir, spare_journal_dir=spare_journal_dir)


def default_db_url() -> str:
    """sqlite:///<user-data folder>/progress.sqlite3"""
    from game.progress.store import default_db_url as _default_db_url
    return _default_db_url()


def __getattr__(name: str) -> Any:
    if name == "Store":
        from game.progress.store import Store
        return Store
    raise AttributeError(f"module 'game.progress' has no attribute {name!r}")
