"""The one rule that names a face's expression for `classify` and `analyze`: an emotion, or "none".

A face is "happy", "sad" or "fear" only when that expression leads every other output of the
model (neutral included, where the model has it) and reaches the threshold; otherwise it is
"none" (a calm face, or one the model is unsure of). The threshold is written as a level's
threshold is (0.5 by default: "clearly ahead"), and put on the model's scale by the card's
level_threshold_scale, so a researcher's --threshold means what a level's threshold means in
the game. Pure: a probabilities dict in, a label out.
"""

from __future__ import annotations

from typing import Mapping

#: The label of a face that shows none of the game's expressions clearly.
NONE = "none"
#: What `--threshold` is when not given: an expression must be clearly ahead.
DEFAULT_THRESHOLD = 0.5


def face_label(probs: Mapping[str, float], threshold: float = DEFAULT_THRESHOLD,
               scale: Mapping[str, float] | None = None, labels: tuple[str, ...] = ("happy", "sad", "fear")) -> str:
    """The expression `probs` shows, or NONE.

    Args:
        probs: the model's reading of one face, label -> probability (may include "neutral"
            and other outputs that are not among `labels`).
        threshold: the mark an expression must reach, on the levels' scale (0-1).
        scale: per label, the factor that puts `threshold` on the model's scale
            (ModelCard.level_threshold_scale); 1 for a label it does not name.
        labels: the expressions that can be named; any other leading output means NONE.
    """
    if not probs:
        return NONE
    top = max(probs, key=lambda label: probs[label])
    if top not in labels:
        return NONE
    mark = threshold * float((scale or {}).get(top, 1.0))
    return top if probs[top] >= mark else NONE
