"""Round rules: plain code over observations and time, no pygame, no camera, no model.

A round is won when the face stays at or past the level's mark for `hold_s` seconds while one
face looks at the camera: "at the mark" is the model card's match rule
(game.vision.decision.MatchRule: the target reaches the mark on the model's scale and leads
the neutral reading by the card's margin), so a calm face says no however low the mark is. It ends in a timeout after
`time_limit_s` seconds of a working camera (a camera that is still starting or has failed does
not eat the child's time). The face state says what to tell the child kindly: nobody there,
several friends crowding in, or looking away.

The game calls `RoundJudge.step(now, latest_observation)` every frame; a test folds a list of
observations through `judge_observations` and asserts the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Callable, Iterable, Protocol, TypeVar

from game.vision.decision import MatchRule
from game.vision.observation import CameraStatus, Observation
from game.vocabulary import Valence, labels_with

#: An observation older than this is stale: the camera or the model has stalled. Generous,
#: because a busy kiosk may starve the vision thread for a moment, and a stall only pauses
#: the round's clock.
STALE_AFTER_S = 2.0


class FaceState(str, Enum):
    OK = "ok"
    NO_FACE = "no face"
    MANY_FACES = "many faces"
    LOOKING_AWAY = "looking away"
    CAMERA_STARTING = "camera starting"   # starting, reconnecting, or frames have stalled
    NO_CAMERA = "no camera"               # never opened, or a video/folder has ended
    NO_EXPRESSIONS = "no expressions"     # the expression model is not working: only a teacher can help

    @property
    def camera_working(self) -> bool:
        """The child can play: a round's clock runs and its frames count. Not while the camera
        or the expression model is out, which the child cannot do anything about."""
        return self not in (FaceState.CAMERA_STARTING, FaceState.NO_CAMERA, FaceState.NO_EXPRESSIONS)


def model_problem(obs: Observation | None, previous: str | None) -> str | None:
    """What is wrong with the expression model (None: it works), from the newest observation;
    without one, what was known before. The worker names a model that failed to load on every
    observation, face or no face; a single frame's error is not a model problem.
    """
    if obs is None:
        return previous
    return obs.model_error


def face_state(obs: Observation | None, now: float | None = None, model_problem: str | None = None) -> FaceState:
    """What the camera sees, in the order that matters to a child. `model_problem` (see
    `model_problem`) makes a working camera's picture NO_EXPRESSIONS: nothing can be judged."""
    if obs is None or obs.camera_status is CameraStatus.STARTING:
        return FaceState.CAMERA_STARTING
    if obs.camera_status is CameraStatus.LOST:
        return FaceState.CAMERA_STARTING
    if obs.camera_status in (CameraStatus.NO_CAMERA, CameraStatus.ENDED):
        return FaceState.NO_CAMERA
    if now is not None and now - obs.captured_at > STALE_AFTER_S:
        return FaceState.CAMERA_STARTING
    if model_problem:
        return FaceState.NO_EXPRESSIONS
    if obs.n_faces <= 0 or obs.face_box is None:
        return FaceState.NO_FACE
    if obs.n_faces > 1:
        return FaceState.MANY_FACES
    if obs.looking_away:
        return FaceState.LOOKING_AWAY
    return FaceState.OK


#: A hold survives a dip shorter than this: the detector missing a face for a frame or two,
#: or one blink-like frame, should not make a four-year-old start over. A real change of face
#: lasts longer than this and does reset the hold.
HOLD_GRACE_S = 0.3


@dataclass(frozen=True)
class HoldTimer:
    """True once `p_target` has stayed at or above `threshold` for `hold_s` seconds.

    Dips below the threshold shorter than `grace_s` do not reset the hold (the match still
    needs the face to be showing at the moment it fires).
    """

    threshold: float
    hold_s: float
    since: float | None = None
    grace_s: float = 0.0
    below_since: float | None = None

    def step(self, t: float, p_target: float) -> tuple["HoldTimer", bool]:
        if p_target < self.threshold:
            below = self.below_since if self.below_since is not None else t
            if self.since is None or t - below >= self.grace_s:
                return replace(self, since=None, below_since=None), False
            return replace(self, below_since=below), False
        since = self.since if self.since is not None else t
        return replace(self, since=since, below_since=None), t - since >= self.hold_s

    def progress(self, t: float) -> float:
        """How much of the hold is done, 0..1 (for the gauge's "hold it!" ring)."""
        if self.since is None:
            return 0.0
        if self.hold_s <= 0:
            return 1.0
        return max(0.0, min(1.0, (t - self.since) / self.hold_s))


@dataclass(frozen=True)
class RoundSpec:
    emotion: str
    threshold: float          # the level's mark on the model's scale (game.play.thresholds)
    hold_s: float
    time_limit_s: float
    rule: MatchRule = MatchRule()

    def progress(self, smoothed) -> float:
        """How close a face is to the mark: 1.0 and above is at it (the gauge is full)."""
        return self.rule.progress(smoothed, self.emotion, self.threshold)


class Outcome(str, Enum):
    RUNNING = "running"
    MATCHED = "matched"
    TIMEOUT = "timeout"


#: Valence of the labels, for the teacher's "positive / negative / other" shares (game/vocabulary.py).
POSITIVE_LABELS = labels_with(Valence.POSITIVE)
NEGATIVE_LABELS = labels_with(Valence.NEGATIVE)
#: A label "leads" a frame only when it is clearly ahead; a neutral face (which the model
#: spreads evenly over its labels) leads with nothing and counts as "other".
LEAD_MIN = 0.5


def leading_label(smoothed: dict[str, float]) -> str | None:
    if not smoothed:
        return None
    label, p = max(smoothed.items(), key=lambda item: item[1])
    return label if p >= LEAD_MIN else None


@dataclass
class AttemptStats:
    """What the camera saw during one attempt, counted once per camera frame while it works.

    As the progress store defines them: `face` frames show a face at all (even when crowded or
    turned away), `noface` frames do not; `positive` frames are face frames where happy
    clearly leads, `negative` frames where sad or fear does. The target probability (peak,
    mean) is taken over face frames.
    """

    frames: int = 0
    face_frames: int = 0
    positive_frames: int = 0
    negative_frames: int = 0
    noface_frames: int = 0
    peak_prob: float = 0.0
    sum_prob: float = 0.0

    def add(self, state: FaceState, obs: Observation, target: str) -> None:
        if not state.camera_working:
            return
        self.frames += 1
        if obs.n_faces <= 0 or not obs.smoothed:
            self.noface_frames += 1
            return
        self.face_frames += 1
        p_target = float(obs.smoothed.get(target, 0.0))
        self.sum_prob += p_target
        self.peak_prob = max(self.peak_prob, p_target)
        leader = leading_label(obs.smoothed)
        if leader in POSITIVE_LABELS:
            self.positive_frames += 1
        elif leader in NEGATIVE_LABELS:
            self.negative_frames += 1

    @property
    def mean_prob(self) -> float:
        return self.sum_prob / self.face_frames if self.face_frames else 0.0

    def share(self, count: int) -> float:
        return count / self.frames if self.frames else 0.0

    @property
    def face_share(self) -> float:
        return self.share(self.face_frames)

    @property
    def positive_share(self) -> float:
        return self.share(self.positive_frames)

    @property
    def negative_share(self) -> float:
        return self.share(self.negative_frames)

    @property
    def noface_share(self) -> float:
        return self.share(self.noface_frames)


@dataclass(frozen=True)
class RoundStatus:
    outcome: Outcome
    face: FaceState
    p_target: float          # smoothed target probability now (0 without a usable face)
    hold_progress: float     # 0..1
    elapsed_s: float         # camera-working time since the round started
    time_left_s: float
    mark_progress: float = 0.0   # how close the face is to the mark, 0..1 (1: at the mark)


@dataclass
class RoundJudge:
    """Steps one attempt of a round. Feed it the UI clock and the newest observation."""

    spec: RoundSpec
    started_at: float
    stats: AttemptStats = field(default_factory=AttemptStats)
    outcome: Outcome = Outcome.RUNNING
    time_to_match_s: float | None = None
    ended_at: float | None = None
    _hold: HoldTimer | None = None
    _elapsed_s: float = 0.0
    _last_now: float | None = None
    _last_frame: tuple[float, int] | None = None

    def __post_init__(self) -> None:
        # The hold runs on progress toward the mark, so it starts exactly where the rule says
        # the face matches.
        self._hold = HoldTimer(1.0, self.spec.hold_s, grace_s=HOLD_GRACE_S)
        self._last_now = self.started_at

    def step(self, now: float, obs: Observation | None, model_problem: str | None = None) -> RoundStatus:
        state = face_state(obs, now, model_problem)
        usable = obs is not None and state is FaceState.OK
        p_target = float(obs.smoothed.get(self.spec.emotion, 0.0)) if usable else 0.0
        toward_mark = self.spec.progress(obs.smoothed) if usable else 0.0
        if self.outcome is not Outcome.RUNNING:
            return self._status(now, state, p_target, toward_mark)
        dt = max(0.0, now - (self._last_now if self._last_now is not None else now))
        self._last_now = now
        if state.camera_working:
            self._elapsed_s += dt
        frame_key = (obs.captured_at, obs.frame_index) if obs is not None else None
        if frame_key is not None and frame_key != self._last_frame:
            self._last_frame = frame_key
            self.stats.add(state, obs, self.spec.emotion)
        self._hold, held = self._hold.step(now, toward_mark)
        if held:
            self.outcome, self.ended_at = Outcome.MATCHED, now
            self.time_to_match_s = self._elapsed_s
        elif self._elapsed_s >= self.spec.time_limit_s:
            self.outcome, self.ended_at = Outcome.TIMEOUT, now
        return self._status(now, state, p_target, toward_mark)

    def resume(self, now: float) -> None:
        """Carry on after a pause (the teacher area): the pause is not the child's time, and a
        hold in progress starts over."""
        self._last_now = now
        self._hold = replace(self._hold, since=None, below_since=None)

    def _status(self, now: float, state: FaceState, p_target: float, toward_mark: float) -> RoundStatus:
        progress = 1.0 if self.outcome is Outcome.MATCHED else self._hold.progress(now)
        mark = 1.0 if self.outcome is Outcome.MATCHED else max(0.0, min(1.0, toward_mark))
        return RoundStatus(self.outcome, state, p_target, progress, self._elapsed_s,
                           max(0.0, self.spec.time_limit_s - self._elapsed_s), mark)


class SteppedJudge(Protocol):
    """What `fold_observations` needs of a judge: one step per observation, and an outcome."""

    outcome: Outcome

    def step(self, now: float, obs: Observation | None) -> object: ...


Judge = TypeVar("Judge", bound=SteppedJudge)


def fold_observations(start_judge: Callable[[float], Judge], observations: Iterable[Observation],
                      started_at: float | None = None) -> Judge:
    """Fold observations (in time order, timed by `captured_at`) through one attempt's judge,
    which `start_judge` makes from the attempt's start time: `started_at`, or else the first
    observation's time (0 without any), so a test's stream needs no clock of its own."""
    judge: Judge | None = None
    for obs in observations:
        if judge is None:
            judge = start_judge(obs.captured_at if started_at is None else started_at)
        judge.step(obs.captured_at, obs)
        if judge.outcome is not Outcome.RUNNING:
            break
    return judge if judge is not None else start_judge(started_at or 0.0)


def judge_observations(spec: RoundSpec, observations: Iterable[Observation],
                       started_at: float | None = None) -> RoundJudge:
    """Fold observations (in time order, timed by `captured_at`) through one attempt."""
    return fold_observations(lambda start: RoundJudge(spec, start), observations, started_at)
