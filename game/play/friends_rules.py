"""Friends mode's round rules: two children side by side, one gauge each (pure, no pygame).

The vision worker publishes up to two tracked faces per observation (`Observation.faces`, left
and right as the children see the mirrored screen). Each friend is judged exactly as a child
playing alone (game.play.rules): their own face through the card's match rule at their own
mark (their calibration), their own hold with its grace. The round is won when both hold it
at the same moment; it times out after the round's time limit of a working camera.

A friend who held the face on their own has matched in their own record, even when the pair
ran out of time: each child's attempt says what that child's face did.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from game.play.rules import (HOLD_GRACE_S, AttemptStats, FaceState, HoldTimer, Outcome, RoundSpec, face_state,
                             fold_observations)
from game.vision.observation import Observation
from game.vision.tracking import SIDES

#: More faces than this in view: a third child is crowding in (the game says so kindly).
FRIENDS = len(SIDES)


def side_observation(obs: Observation | None, side: str) -> Observation | None:
    """The observation as one friend's own camera: only their face, as if they played alone
    (no face there when the worker has no reading for that side)."""
    if obs is None:
        return None
    reading = next((r for r in obs.faces if r.side == side), None)
    if reading is None:
        return replace(obs, face_box=None, n_faces=0, probs={}, smoothed={}, looking_away=False, faces=())
    return replace(obs, face_box=reading.box, n_faces=1, probs=dict(reading.probs),
                   smoothed=dict(reading.smoothed), looking_away=reading.looking_away, faces=())


@dataclass(frozen=True)
class SideStatus:
    face: FaceState
    p_target: float           # the friend's smoothed target probability now
    hold_progress: float      # 0..1 of their hold
    mark_progress: float      # 0..1 toward the mark (1: at it; the gauge is full)
    held: bool                # they have held it on their own during this attempt


@dataclass(frozen=True)
class FriendsStatus:
    outcome: Outcome
    camera: FaceState         # the camera as a whole (starting, out, model out, or working)
    sides: Mapping[str, SideStatus]
    elapsed_s: float
    time_left_s: float
    crowded: bool = False     # more than two faces in view

    def missing(self) -> tuple[str, ...]:
        """The sides whose friend the camera cannot see now (while the camera works)."""
        if not self.camera.camera_working:
            return ()
        return tuple(side for side, status in self.sides.items() if status.face is FaceState.NO_FACE)


@dataclass
class FriendsJudge:
    """Steps one attempt of a friends round. `specs` maps each side to that friend's rules."""

    specs: Mapping[str, RoundSpec]
    started_at: float
    outcome: Outcome = Outcome.RUNNING
    time_to_match_s: float | None = None     # when both held it together
    ended_at: float | None = None
    stats: dict[str, AttemptStats] = field(default_factory=dict)
    held_at: dict[str, float] = field(default_factory=dict)   # side -> elapsed s when they first held it
    _holds: dict[str, HoldTimer] = field(default_factory=dict)
    _elapsed_s: float = 0.0
    _last_now: float | None = None
    _last_frame: tuple[float, int] | None = None

    def __post_init__(self) -> None:
        if set(self.specs) != set(SIDES):
            raise ValueError(f"a friends round needs rules for {', '.join(SIDES)}, got {', '.join(self.specs)}")
        self.specs = {side: self.specs[side] for side in SIDES}
        self.stats = {side: AttemptStats() for side in SIDES}
        self._holds = {side: HoldTimer(1.0, spec.hold_s, grace_s=HOLD_GRACE_S) for side, spec in self.specs.items()}
        self._last_now = self.started_at

    @property
    def time_limit_s(self) -> float:
        return max(spec.time_limit_s for spec in self.specs.values())

    def outcome_for(self, side: str) -> str:
        """The friend's own attempt: "matched" once they held it, else how the round ended."""
        if side in self.held_at:
            return "matched"
        return "timeout" if self.outcome is Outcome.TIMEOUT else "skipped"

    def step(self, now: float, obs: Observation | None, model_problem: str | None = None) -> FriendsStatus:
        camera = face_state(obs, now, model_problem)
        views = {side: side_observation(obs, side) for side in SIDES}
        states = {side: face_state(views[side], now, model_problem) for side in SIDES}
        readings = {}
        for side in SIDES:
            usable = states[side] is FaceState.OK
            smoothed = views[side].smoothed if usable else {}
            spec = self.specs[side]
            readings[side] = (float(smoothed.get(spec.emotion, 0.0)), spec.progress(smoothed) if usable else 0.0)
        if self.outcome is Outcome.RUNNING:
            dt = max(0.0, now - (self._last_now if self._last_now is not None else now))
            self._last_now = now
            if camera.camera_working:
                self._elapsed_s += dt
            frame_key = (obs.captured_at, obs.frame_index) if obs is not None else None
            if frame_key is not None and frame_key != self._last_frame:
                self._last_frame = frame_key
                for side in SIDES:
                    self.stats[side].add(states[side], views[side], self.specs[side].emotion)
            holding = {}
            for side in SIDES:
                self._holds[side], holding[side] = self._holds[side].step(now, readings[side][1])
                if holding[side] and side not in self.held_at:
                    self.held_at[side] = self._elapsed_s
            if all(holding.values()):
                self.outcome, self.ended_at, self.time_to_match_s = Outcome.MATCHED, now, self._elapsed_s
            elif self._elapsed_s >= self.time_limit_s:
                self.outcome, self.ended_at = Outcome.TIMEOUT, now
        won = self.outcome is Outcome.MATCHED
        sides = {side: SideStatus(states[side], readings[side][0],
                                  1.0 if won else self._holds[side].progress(now),
                                  1.0 if won else max(0.0, min(1.0, readings[side][1])), side in self.held_at)
                 for side in SIDES}
        crowded = obs is not None and obs.n_faces > FRIENDS and camera.camera_working
        return FriendsStatus(self.outcome, camera, sides, self._elapsed_s,
                             max(0.0, self.time_limit_s - self._elapsed_s), crowded)

    def resume(self, now: float) -> None:
        """After a pause (the teacher area): the pause is not the children's time, and holds
        in progress start over."""
        self._last_now = now
        self._holds = {side: replace(hold, since=None, below_since=None) for side, hold in self._holds.items()}


def judge_friends(specs: Mapping[str, RoundSpec], observations: Iterable[Observation],
                  started_at: float | None = None) -> FriendsJudge:
    """Fold observations (in time order, timed by `captured_at`) through one friends attempt."""
    return fold_observations(lambda start: FriendsJudge(specs, start), observations, started_at)
