"""Points, stars and streaks: pure functions of what happened in the rounds.

Points reward speed (a quick match earns up to twice the base), streaks add a small bonus for
matches in a row, and a level's stars count how many of its rounds the child matched, so a
slow but successful child still gets all three stars. Nothing ever takes points away.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from game.vocabulary import MAX_STARS

BASE_POINTS = 100
MAX_SPEED_BONUS = 100
STREAK_BONUS_PER_MATCH = 10
MAX_STREAK_BONUS = 50


def match_points(time_to_match_s: float, hold_s: float, time_limit_s: float) -> int:
    """Points for one match: the base plus a speed bonus that shrinks linearly to 0 at the limit.

    The hold itself is not counted against the child: matching right after the hold earns the
    full bonus.
    """
    window = max(time_limit_s - hold_s, 1e-6)
    late = max(0.0, time_to_match_s - hold_s)
    speed = max(0.0, 1.0 - late / window)
    return BASE_POINTS + round(MAX_SPEED_BONUS * speed)


@dataclass(frozen=True)
class Streak:
    """Matches in a row (retries after a timeout break it; skipping does too)."""

    current: int = 0
    best: int = 0

    def after(self, matched: bool) -> "Streak":
        if not matched:
            return replace(self, current=0)
        current = self.current + 1
        return Streak(current, max(self.best, current))

    @property
    def bonus(self) -> int:
        """Extra points for the match that made this streak (none for the first match)."""
        return min(MAX_STREAK_BONUS, STREAK_BONUS_PER_MATCH * max(0, self.current - 1))


def level_stars(rounds_matched: int, rounds_total: int) -> int:
    """0-3 stars: all rounds matched = 3, at least two thirds = 2, at least one = 1."""
    if rounds_total <= 0 or rounds_matched <= 0:
        return 0
    share = rounds_matched / rounds_total
    if share >= 1.0:
        return MAX_STARS
    if share >= 2 / 3 - 1e-9:
        return 2
    return 1


@dataclass(frozen=True)
class LevelScore:
    """The running score of one play-through of a level."""

    rounds_total: int
    matched_rounds: frozenset[int] = frozenset()
    points: int = 0
    streak: Streak = Streak()

    def matched(self, round_index: int, time_to_match_s: float, hold_s: float,
                time_limit_s: float) -> tuple["LevelScore", int]:
        """The score after a match, and the points that match earned (speed + streak)."""
        streak = self.streak.after(True)
        earned = match_points(time_to_match_s, hold_s, time_limit_s) + streak.bonus
        return replace(self, matched_rounds=self.matched_rounds | {round_index},
                       points=self.points + earned, streak=streak), earned

    def missed(self) -> "LevelScore":
        """A timeout or a skip: no points lost, the streak starts over."""
        return replace(self, streak=self.streak.after(False))

    @property
    def stars(self) -> int:
        return level_stars(len(self.matched_rounds), self.rounds_total)


def is_unlocked(after: str | None, min_stars: int, stars_by_level: dict[str, int]) -> bool:
    """A level opens when it has no prerequisite, or the child has played the prerequisite
    (`min_stars` 0) or earned at least `min_stars` stars on it."""
    if not after:
        return True
    if min_stars <= 0:
        return after in stars_by_level
    return stars_by_level.get(after, 0) >= min_stars
