"""The match rule: a calm face says no through the neutral output, whatever the level's mark."""

import pytest

from game.vision.card import card_from_dict
from game.vision.decision import MatchRule

RULE = MatchRule(neutral_margin=0.1, uses_neutral=True)


def test_the_mark_is_where_progress_reaches_one():
    face = {"happy": 0.40, "sad": 0.01, "fear": 0.01, "neutral": 0.05}
    assert RULE.progress(face, "happy", 0.40) == pytest.approx(1.0)
    assert RULE.progress(face, "happy", 0.80) == pytest.approx(0.5)
    assert RULE.matches(face, "happy", 0.40) and not RULE.matches(face, "happy", 0.41)


def test_a_calm_face_does_not_pass_a_low_mark():
    calm = {"happy": 0.02, "sad": 0.25, "fear": 0.03, "neutral": 0.65}
    assert calm["sad"] >= 0.2                               # enough for a mark of 0.2 ...
    assert not RULE.matches(calm, "sad", 0.2)               # ... but it does not lead neutral
    assert RULE.progress(calm, "sad", 0.2) == pytest.approx(0.25 / 0.75)


def test_a_sad_face_passes_once_it_leads_neutral_by_the_margin():
    sad = {"happy": 0.0, "sad": 0.50, "fear": 0.05, "neutral": 0.39}
    assert RULE.matches(sad, "sad", 0.3)
    assert not RULE.matches({**sad, "neutral": 0.41}, "sad", 0.3)


def test_a_model_without_neutral_is_judged_on_the_mark_alone():
    card = card_from_dict({"labels": ["happy", "sad", "fear"], "input": {"size": 48, "scale": 1, "offset": 0}})
    rule = MatchRule.from_card(card)
    assert not rule.uses_neutral
    assert rule.matches({"happy": 0.1, "sad": 0.5, "fear": 0.1, "neutral": 0.9}, "sad", 0.5)


def test_the_card_names_the_margin_and_its_outputs():
    card = card_from_dict({"labels": ["happy", "sad", "fear"], "input": {"size": 48, "scale": 1, "offset": 0},
                           "outputs": ["happy", "sad", "fear", "neutral", "angry"],
                           "decision": {"neutral_margin": 0.15}})
    rule = MatchRule.from_card(card)
    assert rule.uses_neutral and rule.neutral_margin == 0.15
    assert card.read_labels == ("happy", "sad", "fear", "neutral", "other")   # "other": the strongest of the rest


def test_a_card_whose_labels_are_not_outputs_is_refused():
    from game.vision.card import ModelError

    with pytest.raises(ModelError, match="not among the model's outputs"):
        card_from_dict({"labels": ["happy", "sad", "fear"], "input": {"size": 48, "scale": 1, "offset": 0},
                        "outputs": ["happy", "sad", "neutral"]})


def test_leading_the_others_keeps_a_surprised_face_from_being_scared():
    """A surprised face (little neutral) reads some fear: it must not pass as scared when the
    card asks the target to lead the other expressions ("other": the strongest of the rest)."""
    rule = MatchRule(neutral_margin={"fear": -0.3}, uses_neutral=True, lead_others=True)
    surprised = {"happy": 0.02, "sad": 0.03, "fear": 0.25, "neutral": 0.05, "other": 0.6}
    scared = {"happy": 0.02, "sad": 0.05, "fear": 0.55, "neutral": 0.1, "other": 0.25}
    assert not rule.matches(surprised, "fear", 0.1)
    assert rule.matches(scared, "fear", 0.1)
    assert MatchRule(neutral_margin=-0.3, uses_neutral=True).matches(surprised, "fear", 0.1)   # without it


def test_readings_give_the_labels_neutral_and_the_strongest_other():
    import numpy as np

    from game.vision.decision import readings

    full = np.array([[0.1, 0.2, 0.05, 0.4, 0.15, 0.1]])
    read = readings(full, ("happy", "sad", "fear", "neutral", "angry", "surprise"), ("happy", "sad", "fear"))
    assert set(read) == {"happy", "sad", "fear", "neutral", "other"}
    assert read["other"][0] == 0.15 and read["neutral"][0] == 0.4
