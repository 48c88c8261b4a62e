"""What the numbers mean for a teacher: pure functions over attempts, no database.

The teacher area in the game and the HTML report both read these, so a child's "needs
practice" is the same everywhere.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from game.progress.model import Attempt, Child

#: The emotions the game teaches, in the order teachers see them. Other labels a level may
#: use are listed after these.
GAME_EMOTIONS = ("happy", "sad", "fear")

#: An emotion needs this many attempts before we call it the one to practise: one unlucky
#: round should not label a child.
MIN_ATTEMPTS_FOR_ADVICE = 3


@dataclass(frozen=True)
class SessionInfo:
    id: int
    child_id: int
    kiosk: str
    lang: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class EmotionStats:
    emotion: str
    attempts: int
    matched: int
    success_rate: float | None          # None when never attempted
    median_time_to_match_s: float | None  # over matched attempts only

    def as_dict(self) -> dict:
        return {"attempts": self.attempts, "matched": self.matched,
                "success_rate": self.success_rate,
                "median_time_to_match_s": self.median_time_to_match_s}


@dataclass(frozen=True)
class ExpressionShares:
    """Share of time the face showed a positive, negative, other (neutral) or no expression."""

    positive: float
    negative: float
    other: float
    noface: float
    seconds: float


def emotion_order(emotions: Iterable[str]) -> list[str]:
    seen = set(emotions)
    return [e for e in GAME_EMOTIONS] + sorted(seen - set(GAME_EMOTIONS))


def emotion_stats(attempts: Sequence[Attempt], emotion: str) -> EmotionStats:
    mine = [a for a in attempts if a.emotion == emotion]
    matched = [a for a in mine if a.outcome == "matched"]
    times = [a.time_to_match_s for a in matched if a.time_to_match_s is not None]
    return EmotionStats(
        emotion=emotion,
        attempts=len(mine),
        matched=len(matched),
        success_rate=(len(matched) / len(mine)) if mine else None,
        median_time_to_match_s=statistics.median(times) if times else None,
    )


def stats_by_emotion(attempts: Sequence[Attempt]) -> dict[str, EmotionStats]:
    return {e: emotion_stats(attempts, e) for e in emotion_order(a.emotion for a in attempts)}


@dataclass(frozen=True)
class Advice:
    """Which emotion to practise next, and the reason as a code the report can translate."""

    emotion: str | None
    reason: str                # "none" | "not_enough" | "not_tried" | "lowest" | "all_good"
    matched: int = 0
    attempts: int = 0
    min_attempts: int = MIN_ATTEMPTS_FOR_ADVICE

    def text(self, words: dict[str, str]) -> str:
        """The reason in a teacher's words (`words` is one language of report_text.REPORT_TEXT)."""
        rate = round(100 * self.matched / self.attempts) if self.attempts else 0
        return words[f"reason_{self.reason}"].format(
            matched=self.matched, attempts=self.attempts, rate=rate, n=self.min_attempts)


def needs_practice(stats: dict[str, EmotionStats],
                   min_attempts: int = MIN_ATTEMPTS_FOR_ADVICE) -> Advice:
    """The emotion to practise next and why.

    Lowest success rate among emotions tried at least `min_attempts` times; ties go to the
    slower median time, then to fewer attempts. A game emotion never tried yet comes first
    once the child has played enough of another to compare.
    """
    tried = [s for s in stats.values() if s.attempts >= min_attempts]
    if not tried:
        total = sum(s.attempts for s in stats.values())
        return Advice(None, "none" if total == 0 else "not_enough", min_attempts=min_attempts)
    never = [e for e in GAME_EMOTIONS if e in stats and stats[e].attempts == 0]
    if never:
        return Advice(never[0], "not_tried", min_attempts=min_attempts)
    worst = min(tried, key=lambda s: (s.success_rate, -(s.median_time_to_match_s or 0.0), s.attempts))
    if all(s.success_rate >= 0.999 for s in tried):
        return Advice(None, "all_good", min_attempts=min_attempts)
    return Advice(worst.emotion, "lowest", matched=worst.matched, attempts=worst.attempts,
                  min_attempts=min_attempts)


def expression_shares(attempts: Sequence[Attempt]) -> ExpressionShares | None:
    """Time-weighted shares over attempts (an attempt of 10 s counts ten times one of 1 s)."""
    weighted = [(max((a.ended_at - a.started_at).total_seconds(), 0.0), a) for a in attempts]
    total = sum(w for w, _ in weighted)
    if not weighted:
        return None
    if total <= 0:  # instantaneous attempts: count them equally
        weighted = [(1.0, a) for _, a in weighted]
        total = float(len(weighted))
    positive = sum(w * a.positive_share for w, a in weighted) / total
    negative = sum(w * a.negative_share for w, a in weighted) / total
    noface = sum(w * a.noface_share for w, a in weighted) / total
    other = max(0.0, 1.0 - positive - negative - noface)
    return ExpressionShares(positive=positive, negative=negative, other=other, noface=noface,
                            seconds=sum(max((a.ended_at - a.started_at).total_seconds(), 0.0)
                                        for a in attempts))


def child_summary(child: Child, attempts: Sequence[Attempt], sessions: Sequence[SessionInfo],
                  *, pending: int = 0, note: str | None = None) -> dict:
    """Per emotion: attempts, success rate, median time to match; and what to practise."""
    from game.progress.report_text import REPORT_TEXT
    stats = stats_by_emotion(attempts)
    advice = needs_practice(stats)
    matched = sum(1 for a in attempts if a.outcome == "matched")
    last = max((a.ended_at for a in attempts), default=None)
    return {
        "child_id": child.id,
        "name": child.name,
        "avatar": child.avatar,
        "attempts": len(attempts),
        "matched": matched,
        "success_rate": (matched / len(attempts)) if attempts else None,
        "sessions": len(sessions),
        "last_played": last,
        "emotions": {e: s.as_dict() for e, s in stats.items()},
        "needs_practice": advice.emotion,
        # in every language of the report's words: the teacher area shows the kiosk's own
        "needs_practice_reason": {lang: advice.text(words) for lang, words in REPORT_TEXT.items()},
        "pending": pending,
        "note": note,
    }
