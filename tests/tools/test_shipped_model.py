"""The committed model against its card, its peer and the issue's targets, on FER-2013 val."""

import json

import pytest

from game.vision.card import load_card
from tools import evaluate, fer_data

#: The `fer` package's model on the same val faces, restricted to happy/sad/fear
#: (tools/evaluate.py --peer fer; see models/expression.json "peer").
FER_PEER = {"accuracy": 0.7500, "macro_f1": 0.7139}
#: The targets of the model issue. Those the shipped model does not reach are marked as
#: known shortfalls (strict: the marker must go when a better model reaches them).
TARGETS = {"accuracy": 0.86, "macro_f1": 0.85, "fear_recall": 0.78}
NEUTRAL_FALSE_ACCEPT_MAX = 0.25


@pytest.fixture(scope="module")
def val_result(model_path, fer_val):
    faces, labels = fer_data.read_folder(fer_val, ("happy", "sad", "fear", "neutral"))
    return evaluate.evaluate_arrays(model_path, faces, labels)


def test_evaluation_reproduces_the_card(model_path, val_result):
    card = load_card(model_path)
    claimed = card.extra["metrics"]["val"]
    for key in ("accuracy", "macro_f1", "neutral_false_accept", "n"):
        assert val_result[key] == pytest.approx(claimed[key], abs=1e-9), key
    assert card.thresholds == pytest.approx(val_result["thresholds_keep90"])
    assert card.level_threshold_scale == pytest.approx(val_result["level_threshold_scale"], abs=1e-4)
    assert card.extra.get("temporary") is False


def test_beats_the_fer_peer(val_result):
    assert val_result["accuracy"] > FER_PEER["accuracy"]
    assert val_result["macro_f1"] > FER_PEER["macro_f1"]


def test_no_class_collapses(val_result):
    # the research this comes from reached 44% with fear recall 0.00
    assert min(v["recall"] for v in val_result["per_class"].values()) >= 0.5


def test_model_file_is_small(model_path):
    assert model_path.stat().st_size <= 2 * 1024 * 1024


def _shortfall(name):
    card = json.loads((evaluate.Path(__file__).resolve().parents[2] / "models" / "expression.json").read_text())
    return name in card.get("targets_not_met", [])


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_targets(val_result, name, request):
    if _shortfall(name):
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"known shortfall on {name}; see the model card"))
    value = val_result["per_class"]["fear"]["recall"] if name == "fear_recall" else val_result[name]
    assert value >= TARGETS[name]


def test_neutral_false_accept(val_result, request):
    if _shortfall("neutral_false_accept"):
        request.applymarker(pytest.mark.xfail(strict=True, reason="known shortfall; see the model card"))
    assert val_result["neutral_false_accept"] <= NEUTRAL_FALSE_ACCEPT_MAX
