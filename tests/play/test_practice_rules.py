"""Practice that follows the child, table-driven: a record in, the next session's rounds and
difficulty out (game.play.practice: pure, no pygame, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from game.levels import DEFAULT_ASSETS_DIR, DEFAULT_LEVELS_DIR, load_levels
from game.play.practice import (Bounds, Setting, difficulty_step, plan_session, practice_level,
                                teacher_lines)
from game.play.ui_text import load_phrases
from game.progress import Attempt

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)

#: Bounds().at(step) by hand: threshold 0.5..0.7, hold 0.8..1.5 s, time 30..15 s, in 4 steps.
STEP = {0: Setting(0.5, 0.8, 30.0), 1: Setting(0.55, 0.975, 26.25), 2: Setting(0.6, 1.15, 22.5),
        3: Setting(0.65, 1.325, 18.75), 4: Setting(0.7, 1.5, 15.0)}


def tries(spec: str, *, days_ago: float = 1.0, seconds: float = 3.0, kind: str = "show") -> list[Attempt]:
    """'happy:MMT' -> happy matched, matched, timed out (oldest first), `days_ago` days before NOW."""
    emotion, outcomes = spec.split(":")
    start = NOW - timedelta(days=days_ago)
    out = []
    for i, letter in enumerate(outcomes):
        at = start + timedelta(minutes=i)
        outcome = {"M": "matched", "T": "timeout", "S": "skipped", "W": "wrong"}[letter]
        out.append(Attempt(child_id=1, session_id=1, level_id="meet", round_index=i, emotion=emotion,
                           started_at=at, ended_at=at + timedelta(seconds=seconds), outcome=outcome,
                           time_to_match_s=seconds if outcome == "matched" else None, kind=kind))
    return out


def record(*specs, **kwargs) -> list[Attempt]:
    return [a for spec in specs for a in tries(spec, **kwargs)]


# record -> (focus, the session's emotions in order, the difficulty step of each round)
CASES = {
    "a new child meets all three, ending on happy": (
        [], "sad", ("happy", "sad", "fear", "sad", "sad", "happy"), (1, 1, 1, 1, 1, 0)),
    "sad is hardest: more sad, happy opens and closes": (
        record("happy:MMMM", "sad:TMT", "fear:MT"), "sad",
        ("happy", "sad", "fear", "sad", "sad", "happy"), (2, 1, 1, 1, 1, 1)),
    "equal success: the slower one is practised; sad, rested 3 days, is back and closes": (
        record("happy:MMT", seconds=2.0) + record("fear:MMT", seconds=9.0) + record("sad:MMMMMM", days_ago=3),
        "fear", ("sad", "fear", "happy", "fear", "fear", "sad"), (3, 1, 1, 1, 1, 2)),
    "two misses in a row make it one step easier": (
        record("happy:MMM", "fear:TT", "sad:MT"), "fear",
        ("happy", "fear", "sad", "fear", "fear", "happy"), (2, 0, 1, 0, 0, 1)),
    "skips and recognise taps do not count as tries": (
        record("happy:MMM", "sad:MMM") + record("fear:SSSS") + record("fear:WWW", kind="recognise"), "fear",
        ("happy", "fear", "sad", "fear", "fear", "happy"), (2, 1, 2, 1, 1, 1)),
}


@pytest.mark.parametrize("name", CASES)
def test_next_session_from_the_record(name):
    attempts, focus, emotions, steps = CASES[name]
    plan = plan_session(attempts, NOW)
    assert plan.focus == focus
    assert plan.emotions == emotions
    assert tuple(r.setting for r in plan.rounds) == tuple(STEP[s] for s in steps)


# matched (True) / missed (False), oldest first -> the step (starting at 1 of 0..4)
STEPS = [
    ((), 1),
    ((True, True), 1),
    ((True, True, True), 2),
    ((True,) * 6, 3),
    ((True,) * 30, 4),                       # never past the hardest the levels use
    ((False, False), 0),
    ((False,) * 9, 0),                       # never past the easiest
    ((True, True, False, True, True), 1),    # a miss breaks the run
    ((False, False, True, True, True), 1),   # down one, then up one
    ((True, True, True, False, True, False), 2),
]


@pytest.mark.parametrize("outcomes, step", STEPS)
def test_difficulty_moves_one_step_after_a_run(outcomes, step):
    assert difficulty_step(outcomes) == step


def test_a_mastered_emotion_rests_for_days_then_comes_back():
    mastered_happy = record("happy:MMMMMM", days_ago=0.1)        # all matched today: rests 2 days (1 good day)
    rest = record("sad:MTT", "fear:MMT", days_ago=0.1)
    assert "happy" not in plan_session(mastered_happy + rest, NOW).emotions
    assert plan_session(mastered_happy + rest, NOW).emotions[-1] == "fear"   # the best of the rest closes
    two_good_days = mastered_happy + record("happy:MMMMM", days_ago=1.1)      # rests 4 days
    assert "happy" not in plan_session(two_good_days + rest, NOW + timedelta(days=3)).emotions
    assert "happy" in plan_session(two_good_days + rest, NOW + timedelta(days=4)).emotions
    # mastered with a miss today (5 of the last 6): rests one day only
    one_miss = record("happy:MMMTMM", days_ago=0.1)
    assert "happy" not in plan_session(one_miss + rest, NOW).emotions
    assert "happy" in plan_session(one_miss + rest, NOW + timedelta(days=1)).emotions
    # not mastered (4 of the last 6): back every session
    assert "happy" in plan_session(record("happy:MMTTMM", days_ago=0.1) + rest, NOW).emotions


def test_every_emotion_resting_still_gives_a_session():
    everything = record("happy:MMMMMM", "sad:MMMMMM", "fear:MMMMMM", days_ago=0.2)
    plan = plan_session(everything, NOW)
    assert len(plan.rounds) == 6 and plan.focus in ("happy", "sad", "fear")


def test_bounds_come_from_the_levels_and_hold_every_setting():
    levels = load_levels(DEFAULT_LEVELS_DIR, DEFAULT_ASSETS_DIR).levels
    bounds = Bounds.from_levels(levels)
    shown = [r for lv in levels if lv.mode == "practice" for r in lv.rounds]
    assert bounds.threshold == (min(r.threshold for r in shown), max(r.threshold for r in shown))
    for step in range(-2, 8):
        setting = bounds.at(step)
        assert bounds.threshold[0] <= setting.threshold <= bounds.threshold[1]
        assert bounds.hold_s[0] <= setting.hold_s <= bounds.hold_s[1]
        assert setting.time_limit_s >= setting.hold_s + 2.0
    narrow = Bounds(threshold=(0.6, 0.6), hold_s=(1.0, 1.0), time_limit_s=(20.0, 20.0))
    plan = plan_session(record("happy:MMMMMMMMM"), NOW, narrow)
    assert {r.setting for r in plan.rounds} == {Setting(0.6, 1.0, 20.0)}      # a teacher's fixed setting holds


def test_the_plan_plays_as_a_level_in_both_languages():
    phrases = load_phrases()
    plan = plan_session(record("happy:MMMM", "sad:TMT", "fear:MT"), NOW)
    level = practice_level(plan, phrases, DEFAULT_ASSETS_DIR)
    assert [r.emotion for r in level.rounds] == list(plan.emotions)
    assert level.rounds[1].prompt.en == "Show me a sad face!" and level.rounds[1].prompt.id == "Tunjukkan wajah sedih!"
    assert all(r.picture.is_file() and r.picture.name.startswith(r.emotion) for r in level.rounds)
    assert len({r.picture.name for r in level.rounds if r.emotion == "sad"}) == 3     # a different child each time
    assert (level.rounds[0].threshold, level.rounds[0].hold_s) == (0.6, 1.15)


def test_teacher_sentence_counts_last_week():
    phrases = load_phrases()
    attempts = (record("sad:MTTMTT", days_ago=2) + record("sad:MMMMM", days_ago=30)
                + record("happy:MMMMMM", "fear:MMMMMT", days_ago=2) + record("sad:MMW", kind="recognise"))
    en = teacher_lines(attempts, NOW, phrases, "en")
    assert en[-1] == "Practising sad: 2 of 6 matched last week"
    assert en[0] == "Recognises: happy -, sad 2/3, scared -"
    assert en[1] == "Shows: happy 6/6, sad 7/11, scared 5/6"
    assert teacher_lines(attempts, NOW, phrases, "id")[-1] == "Berlatih sedih: 2 dari 6 berhasil minggu lalu"
    assert teacher_lines([], NOW, phrases, "en")[-1] == "Practising sad: not tried last week"


def test_attempts_out_of_order_give_the_same_plan():
    attempts = record("happy:MMMM", "sad:TMTT", "fear:MT")
    assert plan_session(list(reversed(attempts)), NOW) == plan_session(attempts, NOW)
    assert plan_session([replace(a, kind="show") for a in attempts], NOW) == plan_session(attempts, NOW)
