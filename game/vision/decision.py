"""When a face shows the prompted expression: the match rule the card names.

A model that knows neutral ("none of these") says no through it: the target expression must
reach the level's mark on the model's scale AND lead the neutral reading by the card's margin.
Both conditions are ratios, so one number says how close a face is:

    progress = min(p_target / mark, p_target / (p_neutral + margin))

1.0 is the mark (the gauge looks full there, the hold timer starts); a calm face, whose
probability sits on neutral, stays far below it however low the level's threshold is. A
model without a neutral output is judged on the first ratio alone, as before.

Pure functions over probability dicts: the round rules, `tools/evaluate.py` and
`tools/play_eval.py` all decide through `MatchRule`, so the figures in the card are the
game's own decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from game.vision.card import NEUTRAL, ModelCard

#: A mark below this is no mark at all (a level or calibration gone wrong); progress is
#: computed against it instead of dividing by nearly zero.
MIN_MARK = 0.02


@dataclass(frozen=True)
class MatchRule:
    """The card's decision: `neutral_margin` is how far the target must lead neutral."""

    neutral_margin: float = 0.0
    uses_neutral: bool = False

    @classmethod
    def from_card(cls, card: ModelCard) -> "MatchRule":
        uses_neutral = NEUTRAL in card.read_labels and NEUTRAL not in card.labels
        return cls(neutral_margin=float(card.decision.get("neutral_margin", 0.0)), uses_neutral=uses_neutral)

    def progress(self, probs: Mapping[str, float], label: str, mark: float) -> float:
        """How close the face is to a match for `label` (1.0 and above: matched), given the
        level's mark on the model's scale (see ModelCard.level_threshold)."""
        p = float(probs.get(label, 0.0))
        toward_mark = p / max(mark, MIN_MARK)
        if not self.uses_neutral or NEUTRAL not in probs:
            return toward_mark
        over_neutral = p / max(float(probs[NEUTRAL]) + self.neutral_margin, MIN_MARK)
        return min(toward_mark, over_neutral)

    def matches(self, probs: Mapping[str, float], label: str, mark: float) -> bool:
        return self.progress(probs, label, mark) >= 1.0
