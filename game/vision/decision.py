"""When a face shows the prompted expression: the match rule the card names.

A model that knows neutral ("none of these") and other expressions says no through them: the
target expression must reach the level's mark on the model's scale, lead the neutral reading
by the card's margin for that expression, and (when the card says `lead_others`) be at least
as strong as every other expression the model reads (the other two game emotions and the
strongest of the rest, "other": so a surprised face is not "scared", an angry one not "sad").
All conditions are ratios, so one number says how close a face is:

    progress = min(p / mark, p / (p_neutral + margin), p / p_strongest_other)

1.0 is the mark (the gauge looks full there, the hold timer starts); a calm face, whose
probability sits on neutral, stays far below it however low the level's threshold is. A
model without those outputs is judged on the first ratio alone, as before.

Pure functions over probability dicts: the round rules, `tools/evaluate.py`, `tools/train.py`
and `tools/play_eval.py` all decide through `MatchRule`, so the figures in the card are the
game's own decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from game.vision.card import NEUTRAL, OTHER, ModelCard

#: A mark below this is no mark at all (a level or calibration gone wrong); progress is
#: computed against it instead of dividing by nearly zero.
MIN_MARK = 0.02


@dataclass(frozen=True)
class MatchRule:
    """The card's decision: per label how far the target must lead neutral (`neutral_margin`,
    negative: it may trail neutral by that much), and whether it must lead the others."""

    neutral_margin: Mapping[str, float] | float = 0.0
    uses_neutral: bool = False
    lead_others: bool = False

    @classmethod
    def from_card(cls, card: ModelCard) -> "MatchRule":
        uses_neutral = NEUTRAL in card.read_labels and NEUTRAL not in card.labels
        margin = card.decision.get("neutral_margin", 0.0)
        margin = {str(k): float(v) for k, v in margin.items()} if isinstance(margin, dict) else float(margin)
        return cls(neutral_margin=margin, uses_neutral=uses_neutral,
                   lead_others=bool(card.decision.get("lead_others", False)))

    def margin(self, label: str) -> float:
        if isinstance(self.neutral_margin, Mapping):
            return float(self.neutral_margin.get(label, 0.0))
        return float(self.neutral_margin)

    def progress(self, probs: Mapping[str, float], label: str, mark: float) -> float:
        """How close the face is to a match for `label` (1.0 and above: matched), given the
        level's mark on the model's scale (see ModelCard.level_threshold)."""
        p = float(probs.get(label, 0.0))
        result = p / max(mark, MIN_MARK)
        if self.uses_neutral and NEUTRAL in probs:
            result = min(result, p / max(float(probs[NEUTRAL]) + self.margin(label), MIN_MARK))
        if self.lead_others:
            strongest = max((float(v) for k, v in probs.items() if k not in (label, NEUTRAL)), default=0.0)
            result = min(result, p / max(strongest, MIN_MARK))
        return result

    def matches(self, probs: Mapping[str, float], label: str, mark: float) -> bool:
        return self.progress(probs, label, mark) >= 1.0


def readings(full: np.ndarray, names, labels) -> dict[str, np.ndarray]:
    """What the game reads from a model's full outputs (N, len(names)): each label's column,
    "neutral" when the model has it, and "other", the strongest of the remaining outputs,
    when there are any. (N,) arrays by name."""
    full = np.asarray(full)
    names = list(names)
    read = {label: full[:, names.index(label)] for label in labels}
    if NEUTRAL in names and NEUTRAL not in labels:
        read[NEUTRAL] = full[:, names.index(NEUTRAL)]
    rest = [i for i, name in enumerate(names) if name not in read]
    if rest:
        read[OTHER] = full[:, rest].max(axis=1)
    return read
