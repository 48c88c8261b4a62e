"""Temporal smoothing of the model's probabilities: a pure function of the last value and time.

A child's face flickers between labels frame to frame (blinks, motion blur, a frame the
detector boxes a little differently). An exponential moving average with a ~300 ms time
constant steadies the gauge while still following a real change within half a second.
Using the time since the last frame (not a per-frame alpha) keeps the feel the same at
10 or 30 frames per second.
"""

from __future__ import annotations

import math

DEFAULT_TAU_S = 0.3


def smooth_probs(previous: dict[str, float] | None, probs: dict[str, float], dt_s: float,
                 tau_s: float = DEFAULT_TAU_S) -> dict[str, float]:
    """The new smoothed probabilities after `dt_s` seconds, given fresh `probs`.

    No previous value (first frame, or the face was lost) starts from `probs` itself.
    """
    if not previous or set(previous) != set(probs):
        return dict(probs)
    if tau_s <= 0:
        return dict(probs)
    alpha = 1.0 - math.exp(-max(0.0, dt_s) / tau_s)
    return {k: previous[k] + alpha * (probs[k] - previous[k]) for k in probs}
