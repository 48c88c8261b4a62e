import json
import shutil

import numpy as np
import pytest

from game.vision.card import ModelError, load_card, sha256_of
from game.vision.classifier import ExpressionClassifier


def test_probabilities_are_probabilities_over_the_card_labels(model_path, fer_val):
    import cv2

    clf = ExpressionClassifier(model_path)
    assert clf.labels == ("happy", "sad", "fear")
    faces = np.stack([cv2.imread(str(p), 0) for p in sorted((fer_val / "happy").glob("*.jpg"))[:8]])
    probs = clf.probabilities(faces)
    assert probs.shape == (8, 3) and probs.dtype == np.float32
    assert np.all(probs >= 0)
    sums = probs.sum(axis=1)
    if clf.card.outputs_sum_to_one:
        assert np.allclose(sums, 1.0, atol=1e-3)
    else:  # columns of a wider softmax: the rest is "none of the three"
        assert np.all(sums <= 1.0 + 1e-6)
    one = clf.classify(faces[0])
    # the game's labels, then what says "none of these" when the model has it (neutral, other)
    assert set(one) == set(clf.read_labels) >= {"happy", "sad", "fear"}
    assert {k: one[k] for k in clf.labels} == pytest.approx(dict(zip(clf.labels, probs[0].tolist())))


def test_partial_outputs_are_not_renormalised(tmp_path, model_path, fer_val):
    """A card saying the outputs are columns of a wider softmax keeps a neutral face's
    probabilities low instead of stretching them to sum to one."""
    import cv2

    faces = np.stack([cv2.imread(str(p), 0) for p in sorted((fer_val / "neutral").glob("*.jpg"))[:16]])
    card = json.loads(model_path.with_suffix(".json").read_text())
    if len(card.get("outputs", card["labels"])) > len(card["labels"]):
        # the game reads some columns of a wider softmax: never stretched to sum to one
        probs = ExpressionClassifier(model_path).probabilities(faces)
        assert probs.sum(axis=1).min() < 0.9
        return
    for sums_to_one in (True, False):
        folder = tmp_path / str(sums_to_one)
        folder.mkdir()
        shutil.copy(model_path, folder / "expression.tflite")
        card["output_sums_to_one"] = sums_to_one
        (folder / "expression.json").write_text(json.dumps(card))
        probs = ExpressionClassifier(folder / "expression.tflite").probabilities(faces)
        if sums_to_one:   # (a face the int8 model gives 0 everywhere stays 0)
            sums = probs.sum(axis=1)
            assert np.allclose(sums[sums > 0], 1.0, atol=1e-3) and (sums > 0).sum() >= 8
        else:
            raw = probs
    if not load_card(model_path).outputs_sum_to_one:
        assert raw.sum(axis=1).min() < 0.9  # some neutral faces leave most probability outside


def test_card_matches_the_shipped_model(model_path):
    card = load_card(model_path)
    assert card.sha256 == sha256_of(model_path)
    assert card.size == 48 and card.channels == 1
    assert set(card.thresholds) == {"happy", "sad", "fear"}


def test_missing_model_names_the_file(tmp_path):
    with pytest.raises(ModelError, match="nothere.tflite"):
        ExpressionClassifier(tmp_path / "nothere.tflite")


def test_corrupt_model_names_the_file(tmp_path, model_path):
    bad = tmp_path / "expression.tflite"
    bad.write_bytes(b"\x00garbage" * 100)
    card = json.loads(model_path.with_suffix(".json").read_text())
    card["sha256"] = sha256_of(bad)
    bad.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match=str(bad)):
        ExpressionClassifier(bad)


def test_model_not_matching_its_card_is_refused(tmp_path, model_path):
    copy = tmp_path / "expression.tflite"
    shutil.copy(model_path, copy)
    card = json.loads(model_path.with_suffix(".json").read_text())
    card["sha256"] = "0" * 64
    copy.with_suffix(".json").write_text(json.dumps(card))
    with pytest.raises(ModelError, match="does not match its card"):
        ExpressionClassifier(copy)


def test_broken_card_is_a_clear_error(tmp_path, model_path):
    copy = tmp_path / "expression.tflite"
    shutil.copy(model_path, copy)
    copy.with_suffix(".json").write_text("{not json")
    with pytest.raises(ModelError, match="not readable JSON"):
        ExpressionClassifier(copy)
    copy.with_suffix(".json").write_text(json.dumps({"labels": ["happy"]}))
    with pytest.raises(ModelError, match="missing or has a bad field"):
        ExpressionClassifier(copy)


def test_card_puts_level_thresholds_on_the_models_scale(model_path, tmp_path):
    from game.vision.card import card_from_dict

    spec = {"labels": ["happy", "sad", "fear"], "input": {"size": 48, "channels": 1, "scale": 1 / 255, "offset": 0}}
    assert card_from_dict(spec).level_threshold("sad", 0.5) == 0.5          # no scale: as written
    card = card_from_dict({**spec, "level_threshold_scale": {"sad": 0.4}})
    assert card.level_threshold("sad", 0.5) == pytest.approx(0.2) and card.level_threshold("happy", 0.5) == 0.5
    with pytest.raises(ModelError, match="level_threshold_scale"):
        card_from_dict({**spec, "level_threshold_scale": {"sad": 3}}, "x.json")
    shipped = load_card(model_path)
    if not shipped.outputs_sum_to_one:   # columns of a wider softmax: levels need the scale
        assert set(shipped.level_threshold_scale) == {"happy", "sad", "fear"}
