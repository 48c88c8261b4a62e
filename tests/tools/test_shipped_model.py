"""The committed model: it reproduces its card's val figures, and never falls below floors
written here (the previous shipped model's figures, measured by the same tool on the same
raw FER+ val faces; raise them when a better model ships). The issue's targets are reported by
`tools/evaluate.py` and the card, not judged here."""

import pytest

from game.vision.card import load_card
from tools import evaluate

#: The previous shipped model (session 4's: width 40, eight FER+ outputs, soft vote targets),
#: read by `tools/evaluate.py --data ../shared/data/ferplus --split val` on 2026-12-01, rounded
#: down. (Session 3's had 0.943 / 0.898 / 0.883; the six-way model before it 0.869 / 0.750 / 0.662.)
FLOORS = {"ferplus_accuracy": 0.950, "ferplus_macro_f1": 0.900, "ferplus_sad_recall": 0.905}
#: Under the original FER-2013 labels the soft-target models gave up agreement for agreement
#: with the raters (the six-way model had 0.785 / 0.756 / fear 0.661): session 4's figures,
#: rounded down, so no model may lose more. Model issue 12 reports the shortfall.
TRADED_FLOORS = {"fer2013_accuracy": 0.782, "fer2013_macro_f1": 0.729, "fer2013_fear_recall": 0.405}
#: Calm faces (FER+ neutral) session 4's model accepted per prompt at a level threshold of 0.5
#: (0.0351 / 0.0846 / 0.0080, rounded up; the six-way model's were 0.074 / 0.351 / 0.207): the
#: new one must say "no" at least as often for every prompt.
CALM_CEILINGS = {"happy": 0.036, "sad": 0.085, "fear": 0.008}
#: The `fer` package's model on the same faces by the same tool (see the card's "peer"); its
#: calm-face figures with the same rule, its scale calibrated on these very faces.
FER_PEER = {"ferplus_accuracy": 0.8683, "ferplus_macro_f1": 0.7503}
FER_PEER_CALM = {"happy": 0.0495, "sad": 0.1397, "fear": 0.0599}
MAX_BYTES = 4 * 1024 * 1024


@pytest.fixture(scope="module")
def val_result(model_path, ferplus_root):
    return evaluate.evaluate_ferplus(model_path, ferplus_root, "val")


def figures(result: dict) -> dict:
    return {"ferplus_accuracy": result["ferplus"]["accuracy"], "ferplus_macro_f1": result["ferplus"]["macro_f1"],
            "ferplus_sad_recall": result["ferplus"]["per_class"]["sad"]["recall"],
            "fer2013_accuracy": result["fer2013"]["accuracy"], "fer2013_macro_f1": result["fer2013"]["macro_f1"],
            "fer2013_fear_recall": result["fer2013"]["per_class"]["fear"]["recall"]}


def test_evaluation_reproduces_the_card(model_path, val_result):
    card = load_card(model_path)
    claimed = card.extra["metrics"]["val"]
    for labels in ("ferplus", "fer2013"):
        for key in ("accuracy", "macro_f1"):
            assert val_result[labels][key] == pytest.approx(claimed[labels][key], abs=1e-9), (labels, key)
    assert val_result["neutral_false_accept"] == pytest.approx(claimed["neutral_false_accept"], abs=1e-9)
    assert card.extra.get("temporary") is False


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_never_below_the_previous_model(val_result, name):
    assert figures(val_result)[name] >= FLOORS[name]


@pytest.mark.parametrize("name", sorted(TRADED_FLOORS))
def test_fer2013_label_figures_lose_no_more(val_result, name):
    assert figures(val_result)[name] >= TRADED_FLOORS[name]


@pytest.mark.parametrize("prompt", sorted(CALM_CEILINGS))
def test_a_calm_face_passes_no_more_often_than_before(val_result, prompt):
    assert val_result["neutral_false_accept"][prompt] <= CALM_CEILINGS[prompt]


@pytest.mark.parametrize("prompt", sorted(FER_PEER_CALM))
def test_a_calm_face_passes_less_often_than_with_the_fer_peer(val_result, prompt):
    assert val_result["neutral_false_accept"][prompt] < FER_PEER_CALM[prompt]


@pytest.mark.parametrize("name", sorted(FER_PEER))
def test_ahead_of_the_fer_peer(val_result, name):
    assert figures(val_result)[name] > FER_PEER[name]


def test_no_class_collapses(val_result):
    # the research this comes from reached 44% with fear recall 0.00
    assert min(v["recall"] for v in val_result["ferplus"]["per_class"].values()) >= 0.5


def test_model_file_is_small(model_path):
    assert model_path.stat().st_size <= MAX_BYTES


def test_the_game_reads_neutral_and_the_card_names_its_rule(model_path):
    card = load_card(model_path)
    assert "neutral" in card.read_labels
    assert card.decision.get("neutral_margin") is not None
    assert set(card.level_threshold_scale) == {"happy", "sad", "fear"}
