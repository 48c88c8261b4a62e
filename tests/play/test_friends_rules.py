"""Friends mode's rules, table-driven: two friends' faces over time in, the round's outcome and
each child's own attempt out (no pygame, no camera, no model)."""

from __future__ import annotations

import pytest

from game.play.friends_rules import FriendsJudge, judge_friends, side_observation
from game.play.rules import FaceState, Outcome, RoundSpec
from game.vision.decision import MatchRule
from game.vision.observation import CameraStatus, FaceReading, Observation
from game.vision.tracking import LEFT, RIGHT

FPS = 15.0
CALM = {"happy": 0.08, "sad": 0.15, "fear": 0.07}
LEFT_BOX, RIGHT_BOX = (400, 120, 160, 160), (80, 130, 160, 160)


def face(p_happy: float | None):
    """A friend's reading: None is nobody there; a number the happy probability (the rest
    spread), "calm" a calm face."""
    if p_happy is None:
        return None
    rest = (1 - p_happy) / 2
    return {"happy": p_happy, "sad": rest, "fear": rest}


def pair(t: float, left, right, *, extra_faces: int = 0, status=CameraStatus.OK, away: str | None = None) -> Observation:
    readings = []
    for side, box, probs in ((LEFT, LEFT_BOX, left), (RIGHT, RIGHT_BOX, right)):
        if probs is not None and status is CameraStatus.OK:
            readings.append(FaceReading(side, 1 if side == LEFT else 2, box, dict(probs), dict(probs),
                                        looking_away=away == side))
    primary = readings[0] if readings else None
    return Observation(t=t, frame_index=int(round(t * FPS)), frame_size=(640, 480), preview=None,
                       face_box=primary.box if primary else None, n_faces=len(readings) + extra_faces,
                       probs=dict(primary.probs) if primary else {}, smoothed=dict(primary.smoothed) if primary else {},
                       camera_status=status, captured_at=t, faces=tuple(readings))


def timeline(*parts):
    """parts: (seconds, left p_happy, right p_happy[, options]) stretches, back to back from t=0."""
    out, t = [], 0.0
    for part in parts:
        seconds, left, right, *options = part
        for _ in range(int(round(seconds * FPS))):
            out.append(pair(t, face(left), face(right), **(options[0] if options else {})))
            t += 1 / FPS
    return out


SPEC = RoundSpec(emotion="happy", threshold=0.6, hold_s=1.0, time_limit_s=6.0)
SPECS = {LEFT: SPEC, RIGHT: SPEC}

# name: (timeline, outcome, left's own attempt, right's own attempt, about when it ended (elapsed s) or None)
CASES = {
    "both hold it together": (
        timeline((0.5, 0.2, 0.2), (2.0, 0.9, 0.9)), Outcome.MATCHED, "matched", "matched", 1.5),
    "one after the other, overlapping long enough": (
        timeline((0.5, 0.9, 0.2), (1.0, 0.9, 0.2), (1.5, 0.9, 0.9)), Outcome.MATCHED, "matched", "matched", 2.5),
    "one at a time never together: the pair times out, each one's face is on their record": (
        timeline((2.0, 0.9, 0.2), (2.0, 0.2, 0.9), (3.0, 0.2, 0.2)), Outcome.TIMEOUT, "matched", "matched", None),
    "only the left friend makes the face": (
        timeline((7.0, 0.9, 0.2)), Outcome.TIMEOUT, "matched", "timeout", None),
    "a friend out of view cannot hold it": (
        timeline((7.0, 0.9, None)), Outcome.TIMEOUT, "matched", "timeout", None),
    "a friend turned away does not count": (
        timeline((7.0, 0.9, 0.9, {"away": RIGHT})), Outcome.TIMEOUT, "matched", "timeout", None),
    "a third face crowding in does not stop the two": (
        timeline((2.0, 0.9, 0.9, {"extra_faces": 1})), Outcome.MATCHED, "matched", "matched", 1.0),
    "calm faces never match": (
        timeline((7.0, 0.08, 0.08)), Outcome.TIMEOUT, "timeout", "timeout", None),
    "a camera that is starting does not eat their time": (
        timeline((3.0, None, None, {"status": CameraStatus.STARTING}), (2.0, 0.9, 0.9)),
        Outcome.MATCHED, "matched", "matched", 1.0),
    "a one-frame drop of one friend's face keeps both holds": (
        timeline((0.6, 0.9, 0.9), (0.07, 0.9, None), (1.0, 0.9, 0.9)), Outcome.MATCHED, "matched", "matched", 1.0),
}


@pytest.mark.parametrize("name", CASES)
def test_friends_round(name):
    observations, outcome, left, right, ended = CASES[name]
    judge = judge_friends(SPECS, observations)
    assert judge.outcome is outcome
    assert (judge.outcome_for(LEFT), judge.outcome_for(RIGHT)) == (left, right)
    if ended is not None:
        assert judge.time_to_match_s == pytest.approx(ended, abs=0.15)
    else:
        assert judge.time_to_match_s is None


def test_each_friend_is_judged_at_their_own_mark():
    """A friend whose calibration raised their mark needs a clearer face than their friend."""
    raised = RoundSpec(emotion="happy", threshold=0.85, hold_s=1.0, time_limit_s=6.0)
    observations = timeline((7.0, 0.75, 0.75))
    assert judge_friends({LEFT: SPEC, RIGHT: SPEC}, observations).outcome is Outcome.MATCHED
    judge = judge_friends({LEFT: SPEC, RIGHT: raised}, observations)
    assert judge.outcome is Outcome.TIMEOUT and judge.outcome_for(RIGHT) == "timeout"


def test_the_match_rule_is_the_cards():
    """A face that reaches the mark but does not lead neutral by the card's margin is no match."""
    rule = MatchRule(neutral_margin=0.1, uses_neutral=True)
    spec = RoundSpec(emotion="happy", threshold=0.3, hold_s=0.5, time_limit_s=4.0, rule=rule)
    leads = {"happy": 0.5, "sad": 0.05, "fear": 0.05, "neutral": 0.3}
    behind = {"happy": 0.4, "sad": 0.05, "fear": 0.05, "neutral": 0.45}
    observations = [pair(i / FPS, leads, behind) for i in range(int(5 * FPS))]
    judge = judge_friends({LEFT: spec, RIGHT: spec}, observations)
    assert (judge.outcome, judge.outcome_for(LEFT), judge.outcome_for(RIGHT)) == (Outcome.TIMEOUT, "matched", "timeout")


def test_status_names_the_missing_friend_and_each_gauge():
    judge = FriendsJudge(SPECS, 0.0)
    status = judge.step(0.1, pair(0.1, face(0.6), None))
    assert status.missing() == (RIGHT,)
    assert status.sides[LEFT].face is FaceState.OK and status.sides[RIGHT].face is FaceState.NO_FACE
    assert status.sides[LEFT].mark_progress == pytest.approx(1.0) and status.sides[RIGHT].mark_progress == 0.0
    starting = judge.step(0.2, pair(0.2, None, None, status=CameraStatus.STARTING))
    assert starting.camera is FaceState.CAMERA_STARTING and starting.missing() == ()
    crowded = judge.step(0.3, pair(0.3, face(0.2), face(0.2), extra_faces=1))
    assert crowded.crowded


def test_attempt_stats_are_each_friends_own():
    observations = timeline((2.0, 0.9, None), (2.0, 0.9, 0.2))
    judge = judge_friends(SPECS, observations)
    left, right = judge.stats[LEFT], judge.stats[RIGHT]
    assert left.frames == right.frames == len(observations)
    assert left.face_share == 1.0 and right.noface_share == pytest.approx(0.5, abs=0.02)
    assert left.positive_share == 1.0 and right.positive_share == 0.0
    assert left.peak_prob == pytest.approx(0.9) and right.peak_prob == pytest.approx(0.2)


def test_a_pause_restarts_the_holds_and_is_not_their_time():
    judge = FriendsJudge(SPECS, 0.0)
    for i in range(10):
        judge.step(i / FPS, pair(i / FPS, face(0.9), face(0.9)))
    judge.resume(100.0)
    status = judge.step(100.0, pair(100.0, face(0.9), face(0.9)))
    assert status.elapsed_s < 1.0 and status.sides[LEFT].hold_progress == 0.0


def test_side_observation_is_one_friend_as_if_alone():
    both = pair(1.0, face(0.9), face(0.3))
    right = side_observation(both, RIGHT)
    assert right.n_faces == 1 and right.face_box == RIGHT_BOX and right.smoothed["happy"] == 0.3 and right.faces == ()
    nobody = side_observation(pair(1.0, face(0.9), None), RIGHT)
    assert nobody.n_faces == 0 and nobody.face_box is None and nobody.smoothed == {}
    assert side_observation(None, LEFT) is None


def test_rules_for_both_sides_are_needed():
    with pytest.raises(ValueError, match="left, right"):
        FriendsJudge({LEFT: SPEC}, 0.0)
