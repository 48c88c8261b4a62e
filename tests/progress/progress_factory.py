"""Attempts for tests: realistic values without repeating fifteen fields in every test."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from game.progress import Attempt

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)


def make_attempt(child_id: int, session_id: int, round_index: int, *, emotion: str = "happy",
                 outcome: str = "matched", start: datetime | None = None, seconds: float = 4.0,
                 time_to_match_s: float | None = 2.0, level_id: str = "meadow-1",
                 positive_share: float = 0.5, negative_share: float = 0.2,
                 noface_share: float = 0.1) -> Attempt:
    started = (start or T0) + timedelta(seconds=10 * round_index)
    return Attempt(
        child_id=child_id, session_id=session_id, level_id=level_id, round_index=round_index,
        emotion=emotion, started_at=started, ended_at=started + timedelta(seconds=seconds),
        outcome=outcome, time_to_match_s=time_to_match_s if outcome == "matched" else None,
        peak_prob=0.91, mean_prob=0.55, face_share=1.0 - noface_share,
        positive_share=positive_share, negative_share=negative_share, noface_share=noface_share)
