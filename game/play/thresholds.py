"""The bar a round really uses: the level's threshold put on the model's scale, shifted by the
teacher's difficulty, then raised by the child's calibration (game.play.calibration).

`RoundRules` is what the model card contributes; game.play.build makes it from the card in
one place, so the kiosk, the soak, the bench and the tests judge by the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping

from game.play.calibration import CAP as CALIBRATION_CAP
from game.play.calibration import MARGIN as CALIBRATION_MARGIN
from game.play.calibration import adapted_threshold
from game.play.rules import RoundSpec
from game.vision.decision import MatchRule


class Difficulty(str, Enum):
    """Teacher's setting: how strong and how long a face must be, and how much time there is."""

    EASY = "easy"
    NORMAL = "normal"
    HARD = "hard"

    @property
    def threshold_shift(self) -> float:
        return {"easy": -0.05, "normal": 0.0, "hard": 0.05}[self.value]

    @property
    def hold_factor(self) -> float:
        return {"easy": 0.75, "normal": 1.0, "hard": 1.25}[self.value]

    @property
    def time_factor(self) -> float:
        return {"easy": 1.5, "normal": 1.0, "hard": 0.8}[self.value]


def round_spec(emotion: str, threshold: float, hold_s: float, time_limit_s: float, *,
               baseline: Mapping[str, float] | None = None,
               difficulty: Difficulty = Difficulty.NORMAL, threshold_scale: float = 1.0,
               rule: MatchRule = MatchRule()) -> RoundSpec:
    """The rules one attempt is judged by: level values (the threshold put on the model's scale,
    see ModelCard.level_threshold), then difficulty, then calibration, which works on the
    model's scale too (its margin and cap are the level-scale ones times the same factor), so
    a calm face that reads high can never push the mark out of a child's reach."""
    shifted = min(0.95, max(0.05, threshold + difficulty.threshold_shift)) * threshold_scale
    calibrated = adapted_threshold(shifted, (baseline or {}).get(emotion),
                                   margin=CALIBRATION_MARGIN * threshold_scale, cap=CALIBRATION_CAP * threshold_scale)
    return RoundSpec(emotion=emotion, threshold=round(min(calibrated, 0.95 * threshold_scale), 4),
                     hold_s=hold_s * difficulty.hold_factor,
                     time_limit_s=time_limit_s * difficulty.time_factor, rule=rule)


@dataclass(frozen=True)
class RoundRules:
    """What the expression model's card says about judging: per emotion, the factor that puts
    a level's threshold on the model's scale (its `level_threshold_scale`; 1 when unsaid), and
    its match rule (the neutral margin)."""

    threshold_scale: Mapping[str, float] = field(default_factory=dict)
    rule: MatchRule = MatchRule()

    def spec(self, emotion: str, threshold: float, hold_s: float, time_limit_s: float, *,
             difficulty: Difficulty, baseline: Mapping[str, float] | None) -> RoundSpec:
        return round_spec(emotion, threshold, hold_s, time_limit_s, baseline=baseline, difficulty=difficulty,
                          threshold_scale=float(self.threshold_scale.get(emotion, 1.0)), rule=self.rule)
