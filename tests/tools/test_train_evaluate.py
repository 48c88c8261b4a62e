"""A tiny real training run through export and evaluation; both FER-2013 readers; the
shipped model against its card and the targets."""

import csv
import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
from tools import fer_data, metrics

pytest.importorskip("tensorflow", reason="the train extra (tensorflow-cpu) is not installed")


def write_fer_csv(path, split_dirs):
    """A fer2013.csv in the original format from class folders."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["emotion", "pixels", "Usage"])
        for usage, folder, per_class in split_dirs:
            for label in ("happy", "sad", "fear", "neutral"):
                for file in sorted((folder / label).glob("*.jpg"))[:per_class]:
                    pixels = cv2.imread(str(file), cv2.IMREAD_GRAYSCALE).reshape(-1)
                    writer.writerow([fer_data.CSV_EMOTIONS.index(label), " ".join(map(str, pixels)), usage])
    return path


def test_both_readers_give_the_same_faces(fer_train, tmp_path):
    csv_path = write_fer_csv(tmp_path / "fer2013.csv", [("Training", fer_train, 5)])
    faces_csv, labels_csv = fer_data.read_csv(csv_path, "train")
    faces_dir, labels_dir = fer_data.read_folder(fer_train, ("happy", "sad", "fear", "neutral"), limit_per_class=None)
    assert faces_csv.shape == (20, 48, 48) and faces_csv.dtype == np.uint8
    # every CSV face is one of the folder faces with the same label
    index = {faces_dir[i].tobytes(): labels_dir[i] for i in range(len(labels_dir))}
    assert all(index.get(f.tobytes()) == label for f, label in zip(faces_csv, labels_csv))
    with pytest.raises(ValueError, match="no rows"):
        fer_data.read_csv(csv_path, "test")


def test_bad_csv_rows_name_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("emotion,pixels,Usage\n3,1 2 3,Training\n")
    with pytest.raises(ValueError, match=r"bad.csv:2: expected 2304 pixels"):
        fer_data.read_csv(path, "train")


def test_tiny_training_run_exports_a_model_the_game_can_use(fer_train, fer_val, tmp_path):
    data = tmp_path / "data"
    for split, source in (("train", fer_train), ("val", fer_val)):
        for label in ("happy", "sad", "fear", "neutral"):
            (data / split / label).mkdir(parents=True)
            for file in sorted((source / label).glob("*.jpg"))[:60 if split == "train" else 20]:
                (data / split / label / file.name).write_bytes(file.read_bytes())
    out = tmp_path / "models"
    result = subprocess.run([sys.executable, "tools/train.py", "--data", str(data), "--out", str(out),
                             "--epochs", "1", "--batch", "32", "--width", "8", "--temporary"],
                            capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    card = json.loads((out / "expression.json").read_text())
    assert card["labels"] == ["happy", "sad", "fear"] and card["temporary"] is True
    assert card["input"] == {"size": 48, "channels": 1, "scale": 1 / 255, "offset": 0.0}
    assert set(card["thresholds"]) == {"happy", "sad", "fear"}
    assert "tools/train.py" in card["training"]["command"]

    from game.vision.card import sha256_of
    from game.vision.classifier import ExpressionClassifier

    assert card["sha256"] == sha256_of(out / "expression.tflite")
    classifier = ExpressionClassifier(out / "expression.tflite")
    probs = classifier.probabilities(np.zeros((2, 48, 48), np.uint8))
    # a softmax over six classes of which the game reads three (and neutral): the rest is
    # "none of the three"
    assert card["output_sums_to_one"] is False
    assert card["outputs"] == ["happy", "sad", "fear", "neutral", "angry", "surprise"]
    assert classifier.read_labels == ("happy", "sad", "fear", "neutral", "other")
    assert set(card["level_threshold_scale"]) == {"happy", "sad", "fear"}
    assert all(0.05 <= v <= 1 for v in card["level_threshold_scale"].values())
    assert probs.shape == (2, 3) and np.all(probs >= 0) and np.all(probs.sum(1) <= 1 + 1e-6)

    evaluated = subprocess.run([sys.executable, "tools/evaluate.py", "--model", str(out / "expression.tflite"),
                                "--data", str(data / "val"), "--json", "-", "--plots", str(tmp_path / "plots"),
                                "--at", "0.5", "0.65"],
                               capture_output=True, text=True, cwd=REPO, timeout=300)
    assert evaluated.returncode == 0, evaluated.stderr[-2000:]
    report = json.loads(evaluated.stdout)
    for key in ("accuracy", "macro_f1", "per_class", "confusion_matrix", "neutral_false_accept", "n"):
        assert key in report
    assert report["n"] == 60 and np.array(report["confusion_matrix"]).sum() == 60
    # the card's numbers are the game's reading of the model (the same argmax over its columns)
    for key in ("accuracy", "macro_f1"):
        assert report[key] == pytest.approx(card["metrics"]["val"]["fer2013"][key]), key
    assert (tmp_path / "plots" / "confusion_matrix.png").stat().st_size > 1000
    # at a level's fixed threshold: own faces vs the other expressions' faces
    at = report["accept_at"]
    assert set(at) == {"0.5", "0.65"} and set(at["0.5"]["sad"]) == {"happy", "true", "fear", "neutral"}
    for label in ("happy", "sad", "fear"):
        assert 0 <= at["0.65"][label]["true"] <= at["0.5"][label]["true"] <= 1


def test_folds_report_mean_and_std(fer_train, tmp_path):
    result = subprocess.run([sys.executable, "tools/train.py", "--data", str(fer_train.parent), "--out", str(tmp_path),
                             "--folds", "2", "--limit", "30", "--epochs", "1", "--batch", "32", "--width", "8"],
                            capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["folds"] == 2 and len(summary["accuracy"]["folds"]) == 2
    assert summary["accuracy"]["std"] >= 0


def test_every_expression_weighs_the_same_in_the_loss():
    from tools import train

    labels = np.array(["happy"] * 6 + ["sad"] * 3 + ["neutral"] * 2 + ["disgust"])
    classes, weights = train.targets(labels)
    assert [train.ALL_CLASSES[i] for i in classes[:11]] == list(labels[:11])
    assert weights[-1] == 0  # a class the model does not know is left out
    totals = {c: weights[labels == c].sum() for c in ("happy", "sad", "neutral")}
    assert totals == pytest.approx({c: 11 / 3 for c in totals})
    # the game reads the happy/sad/fear columns, in the card's label order
    assert [train.ALL_CLASSES[i] for i in train.GAME_COLUMNS] == ["happy", "sad", "fear"]


def test_level_threshold_scale_keeps_the_share_of_true_faces():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 200)
    three_way = rng.dirichlet([1, 1, 1], size=600)
    three_way[np.arange(600), y] += 1.0
    three_way /= three_way.sum(axis=1, keepdims=True)
    # outputs that already sum to one need no scale
    assert metrics.level_threshold_scale(three_way, y) == pytest.approx(np.ones(3), abs=0.02)
    # the same faces with 60% of every probability on "none of these": a level's t becomes 0.4 t,
    # and at it the same true faces pass as at t before
    columns = three_way * 0.4
    scale = metrics.level_threshold_scale(columns, y)
    assert scale == pytest.approx(np.full(3, 0.4), abs=0.02)
    for c in range(3):
        for t in metrics.LEVEL_THRESHOLDS:
            before = (three_way[y == c, c] >= t).mean()
            after = (columns[y == c, c] >= t * scale[c] - 1e-9).mean()
            assert abs(after - before) < 0.03


def test_metrics_by_hand():
    y = np.array([0, 0, 1, 1, 2, 2])
    probs = np.eye(3)[[0, 1, 1, 1, 2, 0]] * 0.8 + 0.2 / 3
    result = metrics.summarise(probs, y, ("happy", "sad", "fear"), neutral_probs=np.full((4, 3), 1 / 3))
    assert result["accuracy"] == pytest.approx(4 / 6)
    assert result["per_class"]["sad"]["precision"] == pytest.approx(2 / 3)
    assert result["per_class"]["sad"]["recall"] == 1.0
    assert result["confusion_matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    # happy's 90%-keep threshold sits low (one true happy face scored 0.07): uniform neutral
    # faces pass it; sad's and fear's thresholds are higher than 1/3 for sad only.
    thresholds = result["thresholds_keep90"]
    expected = np.mean([1 / 3 >= thresholds[k] for k in ("happy", "sad", "fear")])
    assert result["neutral_false_accept"] == pytest.approx(expected)
    confident = metrics.summarise(np.eye(3)[y] * 0.8 + 0.2 / 3, y, ("happy", "sad", "fear"),
                                  neutral_probs=np.full((4, 3), 1 / 3))
    assert confident["accuracy"] == 1.0 and confident["neutral_false_accept"] == 0.0


def test_recall_by_vote_splits_a_label_by_what_raters_saw():
    from tools import metrics

    classes = ("happy", "sad", "fear", "neutral")
    full = np.array([[0.1, 0.2, 0.6, 0.1],    # fear label, raters fear: called fear
                     [0.1, 0.5, 0.3, 0.1],    # fear label, raters neutral: called sad
                     [0.1, 0.2, 0.3, 0.4],    # fear label, raters neutral: called fear (3-way)
                     [0.7, 0.1, 0.1, 0.1]])   # happy label, raters happy
    fer2013 = np.array(["fear", "fear", "fear", "happy"])
    top = np.array(["fear", "neutral", "neutral", "happy"])
    table = metrics.recall_by_vote(full, classes, fer2013, top)
    assert table["fear"] == {"neutral": [1, 2], "fear": [1, 1]}
    assert table["happy"] == {"happy": [1, 1]}
    assert table["sad"] == {}


def test_recall_by_vote_lists_most_faces_first_and_ties_by_name():
    """The card is written from this table: the same model must give the same card."""
    from tools import metrics

    classes = ("happy", "sad", "fear", "neutral")
    votes = ["surprise", "neutral", "angry", "contempt", "disgust", "", "sad", "sad"]
    full = np.tile([0.1, 0.5, 0.3, 0.1], (len(votes), 1))
    table = metrics.recall_by_vote(full, classes, np.array(["sad"] * len(votes)), np.array(votes))
    assert list(table["sad"]) == ["sad", "", "angry", "contempt", "disgust", "neutral", "surprise"]
