"""Per-child calibration: a calm face's baseline, and how it raises a round's threshold.

Some children's resting faces read as a little sad or a little scared to the model. With a
fixed threshold such a child "matches" without trying, which teaches nothing. So at a child's
first session the game asks for a calm face for a few seconds and keeps, per emotion, a high
quantile of the smoothed probabilities it saw (the child's neutral baseline). A round's
threshold then becomes

    threshold' = max(threshold, min(baseline_p + MARGIN, CAP))

It never drops below the level's threshold, so calibration can only remove false matches;
and it only rises for an emotion this child's calm face already leans toward, so a real
expression (which the model reads far above the calm face) still matches as fast as before.
The margin and the cap are on the level's scale; game.play.thresholds puts them on the
model's scale with the level's threshold, so the cap keeps a match reachable for every child.

A "calm" face in which one expression clearly leads (a child who smiled the whole time) is
no baseline: it would lift that emotion's bar for good. The recorder refuses it
(`not_calm`), and the scene asks for a calm face again, kindly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.play.rules import FaceState, face_state
from game.vision.observation import Observation

CALM_SECONDS = 4.0          # how long the child holds a calm face
MIN_FACE_FRAMES = 12        # fewer frames with one clear face than this: try again another time
BASELINE_QUANTILE = 0.9     # most of the calm face's flicker stays under the baseline
MARGIN = 0.15               # how far above the calm face a real expression has to reach
CAP = 0.90                  # adapted thresholds stay below this (and below 0.95 always)
CLEAR_LEAD = 0.75           # an expression this strong on the calm face's typical frame leads it
NEUTRAL = "neutral"


def baseline_from(samples: list[dict[str, float]], labels: tuple[str, ...],
                  quantile: float = BASELINE_QUANTILE) -> dict[str, float]:
    """Per label, the `quantile` of the smoothed probabilities seen on the calm face."""
    return {label: float(np.quantile([s.get(label, 0.0) for s in samples], quantile))
            for label in labels}


def adapted_threshold(threshold: float, baseline_p: float | None,
                      margin: float = MARGIN, cap: float = CAP) -> float:
    if baseline_p is None:
        return threshold
    return max(threshold, min(baseline_p + margin, cap))


@dataclass
class CalmFaceRecorder:
    """Collects the smoothed probabilities of `seconds` of one clear face, frame by frame.

    Time only runs while exactly one face looks at the camera, so a child who wanders off
    for a moment simply takes a little longer.
    """

    labels: tuple[str, ...]
    seconds: float = CALM_SECONDS
    samples: list[dict[str, float]] = field(default_factory=list)
    face_time_s: float = 0.0
    _last_now: float | None = None
    _last_frame: tuple[float, int] | None = None

    def step(self, now: float, obs: Observation | None, model_problem: str | None = None) -> FaceState:
        state = face_state(obs, now, model_problem)
        dt = 0.0 if self._last_now is None else max(0.0, now - self._last_now)
        self._last_now = now
        if state is FaceState.OK:
            self.face_time_s += dt
            key = (obs.captured_at, obs.frame_index)
            if key != self._last_frame:
                self._last_frame = key
                self.samples.append(dict(obs.smoothed))
        return state

    @property
    def done(self) -> bool:
        return self.face_time_s >= self.seconds

    @property
    def progress(self) -> float:
        return min(1.0, self.face_time_s / self.seconds) if self.seconds > 0 else 1.0

    def baseline(self) -> dict[str, float] | None:
        """The baseline, or None when too few clear frames were seen to trust one or the face
        was not calm (see `not_calm`)."""
        if len(self.samples) < MIN_FACE_FRAMES or self.not_calm:
            return None
        return baseline_from(self.samples, self.labels)

    @property
    def not_calm(self) -> bool:
        """One expression clearly leads the face's typical (median) frame: at or above
        CLEAR_LEAD, or ahead of the neutral reading when the model has one."""
        if len(self.samples) < MIN_FACE_FRAMES:
            return False
        typical = {label: float(np.median([s.get(label, 0.0) for s in self.samples]))
                   for label in (*self.labels, NEUTRAL)}
        neutral = typical[NEUTRAL] if any(NEUTRAL in s for s in self.samples) else None
        return any(typical[label] >= CLEAR_LEAD or (neutral is not None and typical[label] > neutral)
                   for label in self.labels)
