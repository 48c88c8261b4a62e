"""Calibration removes false matches on a calm face that leans toward an emotion, and leaves
real expressions exactly as fast."""

from __future__ import annotations

import random

import pytest

from game.play.calibration import CAP, CalmFaceRecorder, adapted_threshold
from game.play.thresholds import Difficulty, round_spec
from game.play.rules import Outcome, judge_observations
from tests.play.observations import CALM, LABELS, obs, stream


def calm_face_leaning_sad(start: float, seconds: float, seed: int, fps: float = 15.0):
    """A resting face the model reads as a bit sad: sad hovers around 0.58 with flicker."""
    rng = random.Random(seed)
    out = []
    for i in range(int(seconds * fps)):
        sad = min(0.75, max(0.4, rng.gauss(0.58, 0.05)))
        out.append(obs(start + i / fps, probs={"sad": sad, "happy": (1 - sad) / 2, "fear": (1 - sad) / 2}))
    return out


def record_baseline(seed: int):
    recorder = CalmFaceRecorder(LABELS)
    for o in calm_face_leaning_sad(0.0, 6.0, seed):
        recorder.step(o.captured_at, o)
        if recorder.done:
            break
    assert recorder.done
    return recorder.baseline()


def test_calm_face_recorder_only_counts_one_clear_face():
    recorder = CalmFaceRecorder(LABELS, seconds=2.0)
    for o in stream(0.0, 3.0, n_faces=0) + stream(3.0, 1.0, n_faces=2):
        recorder.step(o.captured_at, o)
    assert not recorder.done and recorder.samples == []
    for o in stream(4.0, 2.2):
        recorder.step(o.captured_at, o)
    assert recorder.done and len(recorder.samples) >= 30
    assert recorder.baseline()["happy"] == pytest.approx(CALM["happy"])   # what the calm frames showed


def test_too_few_frames_give_no_baseline():
    recorder = CalmFaceRecorder(LABELS, seconds=0.3)
    for o in stream(0.0, 0.5):
        recorder.step(o.captured_at, o)
    assert recorder.done and recorder.baseline() is None


def test_adapted_threshold_only_ever_rises_and_stays_reachable():
    assert adapted_threshold(0.5, None) == 0.5
    assert adapted_threshold(0.5, 0.2) == 0.5            # calm face far below: unchanged
    assert adapted_threshold(0.5, 0.6) == pytest.approx(0.75)
    assert adapted_threshold(0.5, 0.99) == CAP < 0.95


def test_a_level_threshold_is_put_on_the_models_scale_before_calibration():
    assert round_spec("sad", 0.5, 1.0, 8.0, threshold_scale=0.4).threshold == pytest.approx(0.2)
    # difficulty shifts the level's number, then it is scaled; calibration can only raise it
    hard = round_spec("sad", 0.5, 1.0, 8.0, difficulty=Difficulty.HARD, threshold_scale=0.4)
    assert hard.threshold == pytest.approx((0.5 + Difficulty.HARD.threshold_shift) * 0.4)
    assert round_spec("sad", 0.5, 1.0, 8.0, baseline={"sad": 0.3}, threshold_scale=0.4).threshold > 0.3


@pytest.mark.parametrize("seed", range(5))
def test_calibration_cuts_false_matches_without_slowing_true_ones(seed):
    baseline = record_baseline(seed)
    plain = round_spec("sad", 0.5, hold_s=1.0, time_limit_s=8.0)
    calibrated = round_spec("sad", 0.5, hold_s=1.0, time_limit_s=8.0, baseline=baseline)
    assert calibrated.threshold > plain.threshold

    # The same child sits calmly through a "show me a sad face" round (a different stretch).
    calm = calm_face_leaning_sad(100.0, 9.0, seed + 1000)
    assert judge_observations(plain, calm).outcome is Outcome.MATCHED          # a false match
    assert judge_observations(calibrated, calm).outcome is Outcome.TIMEOUT     # calibration stops it

    # Then really makes a sad face after 2 s: matched at the same moment either way.
    true_sad = calm_face_leaning_sad(200.0, 2.0, seed + 2000) + stream(202.0, 3.0, target="sad", p=0.92)
    slow = judge_observations(round_spec("sad", 0.5, 1.0, 8.0), stream(200.0, 2.0, target="sad", p=0.3)
                              + stream(202.0, 3.0, target="sad", p=0.92))
    fast = judge_observations(calibrated, true_sad)
    assert fast.outcome is Outcome.MATCHED and slow.outcome is Outcome.MATCHED
    assert fast.time_to_match_s == pytest.approx(slow.time_to_match_s, abs=0.07)

    # And the emotions the calm face does not lean toward keep their plain thresholds.
    assert round_spec("happy", 0.5, 1.0, 8.0, baseline=baseline).threshold == 0.5


def test_difficulty_changes_threshold_hold_and_time():
    easy = round_spec("happy", 0.6, 1.0, 10.0, difficulty=Difficulty.EASY)
    hard = round_spec("happy", 0.6, 1.0, 10.0, difficulty=Difficulty.HARD)
    assert easy.threshold < 0.6 < hard.threshold
    assert easy.hold_s < 1.0 < hard.hold_s
    assert easy.time_limit_s > 10.0 > hard.time_limit_s


# --- issue 17 item 5: calibration can never break a child's game for good -------------------
def test_a_high_calm_reading_caps_the_mark_on_the_models_scale():
    """A calm face reading 0.99 sad: the mark stays where true sad faces still reach it (the cap
    is on the model's scale), not at 0.90 raw, which 3% of sad faces reach."""
    from game.play.calibration import CAP
    from game.play.thresholds import round_spec

    spec = round_spec("sad", 0.5, 1.0, 30.0, baseline={"sad": 0.99}, threshold_scale=0.46)
    assert spec.threshold == pytest.approx(CAP * 0.46, abs=1e-4)
    assert spec.threshold < 0.5


def test_a_face_where_one_expression_leads_is_no_calm_baseline():
    from game.play.calibration import CalmFaceRecorder

    smiling = CalmFaceRecorder(("happy", "sad", "fear"))
    leaning = CalmFaceRecorder(("happy", "sad", "fear"))
    for i in range(45):
        t = i / 10
        smiling.step(t, obs(t, probs={"happy": 0.99, "sad": 0.0, "fear": 0.0}))
        leaning.step(t, obs(t, probs={"happy": 0.05, "sad": 0.3, "fear": 0.1, "neutral": 0.55}))
    assert smiling.done and smiling.not_calm and smiling.baseline() is None
    assert not leaning.not_calm and leaning.baseline()["sad"] == pytest.approx(0.3)
    over_neutral = CalmFaceRecorder(("happy", "sad", "fear"))
    for i in range(45):
        over_neutral.step(i / 10, obs(i / 10, probs={"happy": 0.05, "sad": 0.45, "fear": 0.1, "neutral": 0.4}))
    assert over_neutral.not_calm       # sad leads the neutral reading: not a calm face
