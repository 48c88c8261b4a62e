from __future__ import annotations

import pytest

from game.play.scoring import (BASE_POINTS, MAX_SPEED_BONUS, LevelScore, Streak, is_unlocked,
                               level_stars, match_points)


def test_faster_matches_earn_more_points():
    fastest = match_points(1.0, hold_s=1.0, time_limit_s=11.0)
    middle = match_points(6.0, hold_s=1.0, time_limit_s=11.0)
    slowest = match_points(11.0, hold_s=1.0, time_limit_s=11.0)
    assert fastest == BASE_POINTS + MAX_SPEED_BONUS
    assert middle == BASE_POINTS + MAX_SPEED_BONUS // 2
    assert slowest == BASE_POINTS
    assert match_points(30.0, 1.0, 11.0) == BASE_POINTS   # never below the base


@pytest.mark.parametrize("matched,total,stars", [
    (0, 3, 0), (1, 3, 1), (2, 3, 2), (3, 3, 3), (1, 2, 1), (2, 2, 3), (3, 4, 2), (2, 4, 1), (0, 0, 0),
])
def test_level_stars(matched, total, stars):
    assert level_stars(matched, total) == stars


def test_streaks_grow_reset_and_remember_the_best():
    streak = Streak()
    for matched in (True, True, True, False, True):
        streak = streak.after(matched)
    assert streak.current == 1 and streak.best == 3
    assert Streak().after(True).bonus == 0
    assert Streak(current=3, best=3).bonus == 20


def test_level_score_adds_speed_and_streak_points():
    score = LevelScore(rounds_total=3)
    score, first = score.matched(0, 1.0, 1.0, 11.0)
    score, second = score.matched(1, 1.0, 1.0, 11.0)
    assert first == 200 and second == 210            # the second match in a row earns a bonus
    score = score.missed()
    assert score.streak.current == 0 and score.points == 410
    assert score.stars == 2
    score, _ = score.matched(2, 11.0, 1.0, 11.0)
    assert score.stars == 3 and score.points == 510


def test_a_round_matched_on_a_retry_counts_once():
    score = LevelScore(rounds_total=2)
    score = score.missed()
    score, _ = score.matched(0, 2.0, 1.0, 10.0)
    score, _ = score.matched(0, 2.0, 1.0, 10.0)
    assert len(score.matched_rounds) == 1 and score.stars == 1


def test_unlocking():
    assert is_unlocked(None, 0, {})
    assert not is_unlocked("happy-1", 2, {"happy-1": 1})
    assert is_unlocked("happy-1", 2, {"happy-1": 2})
    assert not is_unlocked("happy-1", 0, {})
    assert is_unlocked("happy-1", 0, {"happy-1": 0})
