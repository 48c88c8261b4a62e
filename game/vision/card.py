"""The model card: the one place that says how a face crop becomes model input.

The game, `classify`, `analyze`, `tools/evaluate.py`, `tools/bench.py` and
`tools/train.py` all read the card through `load_card`, and all turn pixels
into model input through `ModelCard.normalise`, so preprocessing can never
drift between training and play.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.resources import models_dir
from game.vocabulary import EMOTION_NAMES

#: Where the shipped model lives (the repository's models/, or inside an installed wheel).
MODELS_DIR = models_dir()
DEFAULT_MODEL = MODELS_DIR / "expression.tflite"

#: The emotions the game teaches (declared once in game.vocabulary), the order a model
#: trained for the game outputs them in.
GAME_LABELS = EMOTION_NAMES

#: The output that says "none of these": a calm face.
NEUTRAL = "neutral"
#: What the game reads of the expressions it does not ask for: the strongest of them.
OTHER = "other"

#: What training uses when no card exists yet: pixels 0-255 -> 0-1.
DEFAULT_INPUT = {"size": 48, "channels": 1, "scale": 1.0 / 255.0, "offset": 0.0}


class ModelError(RuntimeError):
    """The model or its card is missing, corrupt or inconsistent. The message names the file."""


@dataclass(frozen=True)
class ModelCard:
    labels: tuple[str, ...]
    size: int
    channels: int
    scale: float
    offset: float
    thresholds: dict[str, float] = field(default_factory=dict)
    sha256: str | None = None
    #: False when the outputs are some columns of a wider softmax (the rest is "none of
    #: these", e.g. a neutral face); then they must not be renormalised.
    outputs_sum_to_one: bool = True
    #: Per label, the factor that puts a level's threshold (written for outputs that sum to
    #: one) on this model's scale; 1 when the card says nothing.
    level_threshold_scale: dict[str, float] = field(default_factory=dict)
    #: The names of the model's output columns, in order (default: `labels`). A model that
    #: knows more expressions than the game asks for (neutral above all) outputs them all,
    #: and the game reads its labels' columns plus "neutral" ("none of these").
    outputs: tuple[str, ...] = ()
    #: The card's match rule (see game.vision.decision.MatchRule): {"neutral_margin": m}.
    decision: dict = field(default_factory=dict)
    #: Per output, a factor its probability is multiplied by before the outputs are made to
    #: sum to one again (a prior shift chosen on val, e.g. for an expression raters rarely
    #: voted); 1 for outputs it does not name.
    output_gain: dict[str, float] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    @property
    def output_names(self) -> tuple[str, ...]:
        return self.outputs or self.labels

    @property
    def read_labels(self) -> tuple[str, ...]:
        """What the game reads from each face: its labels, then "neutral" when the model has it,
        then "other" (the strongest remaining output) when it has more."""
        read = self.labels + ((NEUTRAL,) if NEUTRAL in self.output_names and NEUTRAL not in self.labels else ())
        return read + ((OTHER,) if len(self.output_names) > len(read) else ())

    def normalise(self, faces_u8: np.ndarray) -> np.ndarray:
        """uint8 grayscale crops (N, size, size) -> float32 model input (N, size, size, channels).

        The one preprocessing: training (tools/train.py model_input), evaluate, classify,
        analyze and the vision worker all turn crops into input here and nowhere else; the
        crop itself is game.vision.crop.crop_face (raw grayscale, no contrast step)."""
        x = np.asarray(faces_u8, dtype=np.float32) * np.float32(self.scale) + np.float32(self.offset)
        if x.ndim == 3:
            x = x[..., None]
        if self.channels != 1:
            x = np.repeat(x, self.channels, axis=-1)
        return x

    def threshold(self, label: str, default: float = 0.5) -> float:
        return float(self.thresholds.get(label, default))

    def level_threshold(self, label: str, threshold: float) -> float:
        """A level's threshold for `label`, on this model's scale."""
        return threshold * float(self.level_threshold_scale.get(label, 1.0))


def card_path_for(model_path: str | Path) -> Path:
    return Path(model_path).with_suffix(".json")


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def card_from_dict(data: dict, source: str = "<card>") -> ModelCard:
    try:
        labels = tuple(str(label) for label in data["labels"])
        spec = data["input"]
        card = ModelCard(
            labels=labels,
            size=int(spec["size"]),
            channels=int(spec.get("channels", 1)),
            scale=float(spec["scale"]),
            offset=float(spec["offset"]),
            thresholds={str(k): float(v) for k, v in (data.get("thresholds") or {}).items()},
            sha256=data.get("sha256"),
            outputs_sum_to_one=bool(data.get("output_sums_to_one", True)),
            level_threshold_scale={str(k): float(v)
                                   for k, v in (data.get("level_threshold_scale") or {}).items()},
            outputs=tuple(str(name) for name in (data.get("outputs") or ())),
            decision=dict(data.get("decision") or {}),
            output_gain={str(k): float(v) for k, v in (data.get("output_gain") or {}).items()},
            extra={k: v for k, v in data.items()
                   if k not in {"labels", "input", "thresholds", "sha256", "output_sums_to_one",
                                "level_threshold_scale", "outputs", "decision", "output_gain"}},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(
            f"{source}: the model card is missing or has a bad field ({exc!r}); it needs "
            '"labels" and "input": {"size", "channels", "scale", "offset"}'
        ) from exc
    if any(not 0.05 <= s <= 1.0 for s in card.level_threshold_scale.values()):
        raise ModelError(f"{source}: level_threshold_scale values must be between 0.05 and 1")
    if any(name not in card.output_names or not 0.1 <= g <= 10 for name, g in card.output_gain.items()):
        raise ModelError(f"{source}: output_gain must name outputs of the model, with factors from 0.1 to 10")
    missing = [label for label in card.labels if label not in card.output_names]
    if missing:
        raise ModelError(f"{source}: labels {missing} are not among the model's outputs {list(card.output_names)}")
    if not card.labels or card.size < 8 or card.channels not in (1, 3):
        raise ModelError(f"{source}: the model card has an impossible labels/size/channels value")
    return card


def load_card(model_path: str | Path, verify_hash: bool = True) -> ModelCard:
    """Read `<model>.json` beside `<model>.tflite`; check that the model file is the one it describes."""
    model_path = Path(model_path)
    path = card_path_for(model_path)
    if not path.is_file():
        raise ModelError(f"{path}: model card not found (expected beside the model {model_path.name})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: the model card is not readable JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path}: the model card must be a JSON object")
    card = card_from_dict(data, str(path))
    if verify_hash and card.sha256 and model_path.is_file():
        actual = sha256_of(model_path)
        if actual != card.sha256:
            raise ModelError(
                f"{model_path}: the model file does not match its card (sha256 {actual[:12]}... "
                f"but the card says {card.sha256[:12]}...); re-export the model or restore the file"
            )
    return card
