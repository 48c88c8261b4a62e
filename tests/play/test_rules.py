"""Round rules over observation lists: no window, no camera, no model."""

from __future__ import annotations

import pytest

from game.play.rules import (FaceState, HoldTimer, Outcome, RoundJudge, RoundSpec, face_state,
                             judge_observations)
from game.vision.observation import CameraStatus
from tests.play.observations import obs, ramp, stream

SPEC = RoundSpec(emotion="happy", threshold=0.6, hold_s=1.0, time_limit_s=10.0)


def test_hold_timer_needs_an_unbroken_hold():
    timer = HoldTimer(threshold=0.6, hold_s=1.0)
    timer, done = timer.step(0.0, 0.7)
    assert not done and timer.since == 0.0
    timer, done = timer.step(0.9, 0.7)
    assert not done and timer.progress(0.9) == pytest.approx(0.9)
    timer, done = timer.step(0.95, 0.5)         # a dip resets the hold
    assert not done and timer.since is None and timer.progress(0.95) == 0.0
    timer, done = timer.step(1.0, 0.6)          # exactly the threshold counts
    timer, done = timer.step(2.0, 0.8)
    assert done


def test_a_short_dip_does_not_reset_the_hold_but_a_real_one_does():
    timer = HoldTimer(threshold=0.6, hold_s=1.0, grace_s=0.3)
    timer, _ = timer.step(0.0, 0.8)
    timer, done = timer.step(0.5, 0.0)          # the detector missed the face for a moment
    assert not done and timer.since == 0.0
    timer, done = timer.step(0.7, 0.8)
    timer, done = timer.step(1.0, 0.8)
    assert done                                 # held from 0.0 with a 0.2 s gap
    timer = HoldTimer(threshold=0.6, hold_s=1.0, grace_s=0.3)
    timer, _ = timer.step(0.0, 0.8)
    timer, _ = timer.step(0.5, 0.2)
    timer, _ = timer.step(0.9, 0.2)             # 0.4 s below: the hold starts over
    assert timer.since is None
    timer, done = timer.step(1.0, 0.8)
    assert not done and timer.since == 1.0


def test_detector_dropouts_of_a_frame_or_two_still_match():
    observations = []
    for i in range(45):                         # 3 s at 15 fps; every 4th frame has no face
        t = i / 15
        observations.append(obs(t, n_faces=0) if i % 4 == 3 else obs(t, "happy", 0.9))
    judge = judge_observations(SPEC, observations)
    assert judge.outcome is Outcome.MATCHED and judge.time_to_match_s == pytest.approx(1.0, abs=0.1)


def test_match_when_target_held_for_hold_time():
    observations = stream(0.0, 2.0, target="happy", p=0.2) + stream(2.0, 3.0, target="happy", p=0.8)
    judge = judge_observations(SPEC, observations)
    assert judge.outcome is Outcome.MATCHED
    assert judge.time_to_match_s == pytest.approx(3.0, abs=0.1)   # 2 s calm + 1 s hold
    assert judge.stats.peak_prob == pytest.approx(0.8)
    assert judge.stats.face_share == 1.0


def test_a_brief_flash_does_not_match():
    flashes = []
    for k in range(5):    # 0.5 s of happy, then 1 s calm, five times
        flashes += stream(1.5 * k, 0.5, target="happy", p=0.9) + stream(1.5 * k + 0.5, 1.0, target="happy", p=0.3)
    flashes += stream(7.5, 3.0, target="happy", p=0.3)
    judge = judge_observations(SPEC, flashes)
    assert judge.outcome is Outcome.TIMEOUT
    assert judge.time_to_match_s is None
    assert judge.stats.positive_share == pytest.approx(2.5 / 10.0, abs=0.02)   # happy led; ends at 10 s


def test_the_wrong_emotion_never_matches():
    judge = judge_observations(SPEC, stream(0.0, 11.0, target="sad", p=0.95))
    assert judge.outcome is Outcome.TIMEOUT
    assert judge.stats.peak_prob < 0.1
    assert judge.stats.negative_share == 1.0 and judge.stats.positive_share == 0.0


def test_timeout_at_time_limit():
    judge = judge_observations(SPEC, stream(0.0, 12.0, target="happy", p=0.4))
    assert judge.outcome is Outcome.TIMEOUT
    assert judge.ended_at == pytest.approx(10.0, abs=0.1)
    assert judge.stats.mean_prob == pytest.approx(0.4)
    assert judge.stats.positive_share == 0.0 and judge.stats.negative_share == 0.0   # nothing led


@pytest.mark.parametrize("kwargs,state", [
    ({"n_faces": 0}, FaceState.NO_FACE),
    ({"n_faces": 2, "target": "happy", "p": 0.9}, FaceState.MANY_FACES),
    ({"looking_away": True, "target": "happy", "p": 0.9}, FaceState.LOOKING_AWAY),
    ({"status": CameraStatus.STARTING}, FaceState.CAMERA_STARTING),
    ({"status": CameraStatus.LOST}, FaceState.CAMERA_STARTING),
    ({"status": CameraStatus.NO_CAMERA}, FaceState.NO_CAMERA),
    ({"target": "happy", "p": 0.9}, FaceState.OK),
])
def test_face_states(kwargs, state):
    assert face_state(obs(1.0, **kwargs), now=1.0) is state


def test_stale_observation_means_the_camera_stalled():
    assert face_state(obs(1.0, "happy", 0.9), now=2.5) is FaceState.OK
    assert face_state(obs(1.0, "happy", 0.9), now=3.5) is FaceState.CAMERA_STARTING
    assert face_state(None) is FaceState.CAMERA_STARTING


@pytest.mark.parametrize("kwargs", [{"n_faces": 2}, {"looking_away": True}])
def test_crowding_or_looking_away_does_not_count_toward_a_match(kwargs):
    judge = judge_observations(SPEC, stream(0.0, 11.0, target="happy", p=0.95, **kwargs))
    assert judge.outcome is Outcome.TIMEOUT
    assert judge.stats.face_share == 1.0          # a face is there, just not one clear one
    assert judge.stats.positive_share == 1.0 and judge.stats.peak_prob == pytest.approx(0.95)


def test_no_face_counts_in_stats_and_interrupts_the_hold():
    observations = (stream(0.0, 0.8, target="happy", p=0.9) + stream(0.8, 0.4, n_faces=0)
                    + stream(1.2, 1.5, target="happy", p=0.9))
    judge = judge_observations(SPEC, observations)
    assert judge.outcome is Outcome.MATCHED
    assert judge.time_to_match_s == pytest.approx(2.2, abs=0.1)   # the hold restarted at 1.2 s
    assert judge.stats.noface_share == pytest.approx(0.4 / 2.2, abs=0.05)


def test_camera_trouble_pauses_the_clock():
    starting = stream(0.0, 5.0, status=CameraStatus.STARTING)
    working = stream(5.0, 7.0, target="happy", p=0.2)
    judge = judge_observations(SPEC, starting + working)
    assert judge.outcome is Outcome.RUNNING          # only 7 of the 10 seconds have been used
    assert judge.stats.frames == len(working)


def test_judge_counts_each_camera_frame_once_at_ui_frame_rate():
    judge = RoundJudge(SPEC, started_at=0.0)
    frame = obs(0.0, "happy", 0.9)
    for i in range(60):                                  # 60 UI frames, one camera frame
        judge.step(i / 120, frame)
    assert judge.stats.frames == 1
    status = judge.step(0.6, frame)
    assert status.hold_progress == pytest.approx(0.6) and status.outcome is Outcome.RUNNING


def test_ramp_up_matches_once_over_threshold_for_hold():
    observations = ramp(0.0, 2.0, "happy", 0.0, 1.0) + stream(2.0, 2.0, target="happy", p=1.0)
    judge = judge_observations(SPEC, observations)
    assert judge.outcome is Outcome.MATCHED
    assert 1.0 + 1.2 - 0.1 < judge.time_to_match_s < 1.0 + 1.2 + 0.15   # crossed 0.6 at 1.2 s


def broken_model_obs(t: float, *, face: bool = True):
    """What the vision worker publishes when the model did not load: the face is found (the
    detector works) but no expression is read, and the load error rides on every frame."""
    from dataclasses import replace

    seen = obs(t, n_faces=1 if face else 0)
    error = "models/x.tflite: not a usable TFLite model"
    return replace(seen, probs={}, smoothed={}, error=error, model_error=error)


def test_the_worker_naming_a_model_that_did_not_load_means_the_model_is_out():
    from dataclasses import replace

    from game.play.rules import model_problem

    assert model_problem(obs(0.0, "happy", 0.9), None) is None
    problem = model_problem(broken_model_obs(0.1), None)
    assert problem and "not a usable TFLite model" in problem
    # known before any face is in view, so an empty room cannot time rounds out
    assert model_problem(broken_model_obs(0.2, face=False), None) == problem
    # one frame that failed on its own does not say the model is out
    failed_frame = replace(obs(0.3, n_faces=0), error="frame 9: ValueError: empty frame")
    assert model_problem(failed_frame, None) is None
    assert model_problem(None, problem) == problem
    assert model_problem(obs(0.4, "sad", 0.5), problem) is None      # an expression read: it works
    assert face_state(broken_model_obs(0.5), 0.5, problem) is FaceState.NO_EXPRESSIONS
    assert face_state(obs(0.5, status=CameraStatus.LOST), 0.5, problem) is FaceState.CAMERA_STARTING


def test_a_round_never_times_out_while_the_model_is_out():
    from game.play.rules import model_problem

    judge = RoundJudge(SPEC, 0.0)
    problem = None
    for i in range(int(3 * SPEC.time_limit_s * 15)):
        seen = broken_model_obs(i / 15, face=i % 10 != 5)   # now and then nobody in view
        problem = model_problem(seen, problem)
        status = judge.step(i / 15, seen, problem)
    assert status.face is FaceState.NO_EXPRESSIONS
    assert judge.outcome is Outcome.RUNNING and status.elapsed_s == 0.0   # the clock never ran
    assert judge.stats.frames == 0


def test_a_calm_face_never_matches_however_low_the_mark_and_the_gauge_is_full_at_the_mark():
    """Issue 12 item 5: the round decides with the card's rule; the target must lead neutral."""
    from game.vision.decision import MatchRule

    rule = MatchRule(neutral_margin=0.1, uses_neutral=True)
    spec = RoundSpec("sad", threshold=0.2, hold_s=1.0, time_limit_s=5.0, rule=rule)
    calm = [obs(t / 15, probs={"happy": 0.02, "sad": 0.3, "fear": 0.03, "neutral": 0.6}) for t in range(90)]
    judge = judge_observations(spec, calm)
    assert judge.outcome is Outcome.TIMEOUT           # sad 0.3 is past the mark but does not lead calm
    sad = [obs(t / 15, probs={"happy": 0.0, "sad": 0.4, "fear": 0.05, "neutral": 0.2}) for t in range(75)]
    judge = RoundJudge(spec, 0.0)
    status = judge.step(0.0, sad[0])
    assert status.mark_progress == pytest.approx(1.0)   # at the mark: the bar is full
    half = judge.step(0.1, obs(0.1, probs={"happy": 0.0, "sad": 0.1, "fear": 0.0, "neutral": 0.1}))
    assert half.mark_progress == pytest.approx(0.5)
    assert judge_observations(spec, sad).outcome is Outcome.MATCHED
