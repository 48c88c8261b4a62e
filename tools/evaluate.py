"""Evaluate an expression model on labelled faces, through the game's own classifier.

    python tools/evaluate.py --model models/expression.tflite --data ../shared/data/ferplus --split val --json -

DATA is a FER+ folder (labels.csv + raw PNGs; `--split` picks the split), a folder of class
folders (happy/, sad/, fear/, optionally neutral/) or a fer2013.csv (with --split).

On FER+ data the result has both label sets' figures over happy/sad/fear (argmax of the
game's three columns): `ferplus` on faces whose raters' top vote is one of them, `fer2013` on
faces whose original label is; and the game's own decision (the card's MatchRule at the level
thresholds, on the card's scale) for single frames: `neutral_false_accept` per prompt is the
share of FER+ neutral faces (top vote neutral) that a level threshold of 0.5 accepts, and
`accept_at` the share of each group of faces that each prompt accepts. With --peer fer, the
`fer` package's model is measured the same way on the same faces (its neutral output read by
the same rule, its scale calibrated on the evaluated faces, which can only favour it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from game.vision.card import GAME_LABELS
from game.vision.classifier import ExpressionClassifier, default_card
from game.vision.decision import readings
from tools import fer_data, metrics


def split_faces(faces: np.ndarray, labels: np.ndarray, model_labels) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mask = np.isin(labels, model_labels)
    y = np.array([list(model_labels).index(c) for c in labels[mask]], dtype=int)
    return faces[mask], y, faces[labels == "neutral"]


def evaluate_arrays(model_path, faces: np.ndarray, labels: np.ndarray, card=None) -> dict:
    """Metrics of the model at `model_path` (read with its own card, or `card` when given,
    e.g. while training, before the card exists)."""
    classifier = ExpressionClassifier(model_path, card=card)
    x, y, neutral = split_faces(faces, labels, classifier.labels)
    probs = classifier.probabilities(x)
    neutral_probs = classifier.probabilities(neutral) if len(neutral) else None
    return metrics.summarise(probs, y, classifier.labels, neutral_probs)


#: Faces that are none of the game's expressions; with --at, how often each passes a threshold.
OTHER_EXPRESSIONS = ("neutral", "angry", "surprise")


def accept_rates(model_path, faces: np.ndarray, labels: np.ndarray, thresholds) -> dict:
    """At level thresholds (a level's `threshold`, put on the model's scale by its card as the
    game does): per prompted label, the share of its own faces that reach it ("true") and the
    share of every other expression's faces that reach it."""
    from game.vision.decision import MatchRule

    classifier = ExpressionClassifier(model_path)
    present = [c for c in classifier.labels + OTHER_EXPRESSIONS if (labels == c).any()]
    read = classifier.read_labels
    groups = {c: dict(zip(read, classifier.probabilities(faces[labels == c], with_neutral=True).T))
              for c in present}
    scale = {label: classifier.card.level_threshold(label, 1.0) for label in classifier.labels}
    return metrics.game_figures(MatchRule.from_card(classifier.card), scale, groups, classifier.labels, thresholds)


def fer_peer_probabilities(faces: np.ndarray, renormalise: bool = True) -> np.ndarray:
    """The `fer` package's own model (its default quantised TFLite mini-Xception) on the same
    faces, its 7 outputs read over happy/sad/fear only and renormalised (or, with
    `renormalise=False`, the three columns as they are, the way the game reads its own model).

    FER-2013 faces are already aligned crops, so the whole 48x48 face is the input, resized
    to the model's 64x64 and scaled to [-1, 1] exactly as `FER.detect_emotions` does.
    """
    import cv2
    from fer.fer import FER

    detector = FER()
    names = FER._get_labels()
    columns = [next(i for i, name in names.items() if name == label) for label in GAME_LABELS]
    resized = np.stack([cv2.resize(face, (64, 64)) for face in faces]).astype(np.float32)
    out = np.asarray(detector._classify_emotions((resized / 255.0 - 0.5) * 2.0))[:, columns]
    return out / np.maximum(out.sum(axis=1, keepdims=True), 1e-9) if renormalise else out


def evaluate_fer_peer(faces: np.ndarray, labels: np.ndarray) -> dict:
    x, y, neutral = split_faces(faces, labels, GAME_LABELS)
    result = metrics.summarise(fer_peer_probabilities(x), y, GAME_LABELS,
                               fer_peer_probabilities(neutral) if len(neutral) else None)
    if len(neutral):
        # Read like our six-way model (its columns, not renormalised), neutral faces keep
        # their probability on "neutral": the fairer comparison for neutral_false_accept.
        columns = metrics.summarise(fer_peer_probabilities(x, False), y, GAME_LABELS,
                                    fer_peer_probabilities(neutral, False))
        result["neutral_false_accept_columns"] = columns["neutral_false_accept"]
    return result


def save_plots(result: dict, labels, folder: Path, title: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    matrix = np.array(result["confusion_matrix"])
    fig, ax = plt.subplots(figsize=(4.5, 4))
    shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, f"{matrix[i, j]}\n{shares[i, j]:.0%}", ha="center", va="center",
                    color="white" if shares[i, j] > 0.5 else "black", fontsize=9)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"{title}: accuracy {result['accuracy']:.3f}")
    fig.tight_layout()
    confusion_png = folder / "confusion_matrix.png"
    fig.savefig(confusion_png, dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    width = 0.27
    for k, key in enumerate(("precision", "recall", "f1")):
        values = [result["per_class"][label][key] for label in labels]
        ax.bar(np.arange(len(labels)) + (k - 1) * width, values, width, label=key)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 1)
    ax.legend(loc="lower right")
    ax.set_title(f"{title}: macro-F1 {result['macro_f1']:.3f}")
    fig.tight_layout()
    bars_png = folder / "per_class.png"
    fig.savefig(bars_png, dpi=120)
    plt.close(fig)
    return [confusion_png, bars_png]


# ------------------------------------------------------------------------------ FER+
def usable_ferplus(root, split: str) -> dict:
    data = fer_data.read_ferplus(root, split)
    keep = ~fer_data.mostly_unusable(data["votes"])
    return {k: v[keep] for k, v in data.items()}


def ferplus_figures(full: np.ndarray, names, data: dict, rule, scale: dict) -> dict:
    """Both label sets' figures and the game's decisions from a model's full outputs."""
    names = tuple(names)
    figures = metrics.val_figures(full, names, data["fer2013"], data["votes"])
    for key in figures:
        for drop in ("thresholds_keep90", "level_threshold_scale"):
            figures[key].pop(drop, None)
    top = fer_data.top_vote(data["votes"], tuple(c for c in fer_data.FERPLUS_TO_CLASS.values()))
    groups = {g: readings(full[top == g], names, GAME_LABELS)
              for g in ("happy", "sad", "fear", "neutral", "angry", "surprise") if (top == g).any()}
    figures["accept_at"] = metrics.game_figures(rule, scale, groups)
    figures["neutral_false_accept"] = {label: figures["accept_at"]["0.5"][label]["neutral"] for label in GAME_LABELS}
    by_label = {g: readings(full[data["fer2013"] == g], names, GAME_LABELS)
                for g in GAME_LABELS + ("neutral", "angry", "surprise") if (data["fer2013"] == g).any()}
    figures["accept_at_fer2013_labels"] = metrics.game_figures(rule, scale, by_label)
    figures["fer2013_recall_by_ferplus_vote"] = metrics.recall_by_vote(full, names, data["fer2013"], top)
    every = tuple(fer_data.FERPLUS_TO_CLASS.values())
    if set(every) <= set(names):
        # The published FER+ figure (Barsoum et al. 2016: about 84-85% for VGG13 on the test
        # split): argmax over all eight expressions against the majority vote.
        agreed = top != ""
        predicted = np.array(names)[full.argmax(axis=1)]
        figures["ferplus_eight_way"] = {"accuracy": float((predicted[agreed] == top[agreed]).mean()),
                                        "n": int(agreed.sum())}
    return figures


def evaluate_ferplus(model_path, root, split: str, card=None) -> dict:
    from game.vision.decision import MatchRule

    data = usable_ferplus(root, split)
    classifier = ExpressionClassifier(model_path, card=card)
    full = classifier.outputs(data["faces"])
    rule = MatchRule.from_card(classifier.card)
    scale = {label: classifier.card.level_threshold(label, 1.0) for label in GAME_LABELS}
    result = ferplus_figures(full, classifier.card.output_names, data, rule, scale)
    result.update({"n": int(len(full)), "rule": {"neutral_margin": rule.neutral_margin,
                                                 "lead_others": rule.lead_others, "scale": scale}})
    return result


FER_PEER_NAMES = {"angry": "angry", "disgust": "disgust", "fear": "fear", "happy": "happy", "sad": "sad",
                  "surprise": "surprise", "neutral": "neutral"}


def fer_peer_outputs(faces: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """The `fer` package's seven outputs (its own order, our names) on aligned 48x48 faces."""
    import cv2
    from fer.fer import FER

    detector = FER()
    labels = FER._get_labels()
    names = tuple(FER_PEER_NAMES[labels[i]] for i in range(len(labels)))
    resized = np.stack([cv2.resize(face, (64, 64)) for face in faces]).astype(np.float32)
    return np.asarray(detector._classify_emotions((resized / 255.0 - 0.5) * 2.0)), names


def evaluate_fer_peer_ferplus(root, split: str, margin) -> dict:
    from game.vision.decision import MatchRule

    data = usable_ferplus(root, split)
    full, names = fer_peer_outputs(data["faces"])
    rule = MatchRule(neutral_margin=margin, uses_neutral=True, lead_others=True)
    top = fer_data.top_vote(data["votes"], tuple(fer_data.FERPLUS_TO_CLASS.values()))
    scale = {label: metrics.calibrate_scale(rule, readings(full[top == label], names, GAME_LABELS), label)
             for label in GAME_LABELS}
    result = ferplus_figures(full, names, data, rule, scale)
    result.update({"n": int(len(full)), "rule": {"neutral_margin": margin, "scale": scale}})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/expression.tflite")
    parser.add_argument("--data", required=True, help="folder of class folders, or fer2013.csv")
    parser.add_argument("--split", default="val", help="with a CSV: train, val (PublicTest) or test (PrivateTest)")
    parser.add_argument("--json", dest="json_out", default=None, help="write the metrics JSON here ('-' = stdout)")
    parser.add_argument("--plots", default=None, help="folder for confusion_matrix.png and per_class.png")
    parser.add_argument("--peer", choices=("fer",), default=None, help="also measure the fer package's model")
    parser.add_argument("--at", type=float, nargs="+", default=None, metavar="T",
                        help="also report, at these level thresholds (put on the model's scale as the game "
                             "does), the share of each label's faces and of the other expressions' faces "
                             "that reach them")
    args = parser.parse_args(argv)

    if fer_data.is_ferplus(args.data):
        return main_ferplus(args)
    try:
        faces, labels = fer_data.read_any(args.data, args.split, GAME_LABELS + OTHER_EXPRESSIONS)
        result = {"model": str(args.model), "data": str(args.data),
                  **evaluate_arrays(args.model, faces, labels)}
        if args.at:
            result["accept_at"] = accept_rates(args.model, faces, labels, args.at)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.peer == "fer":
        result["peer_fer"] = evaluate_fer_peer(faces, labels)
    if args.plots:
        result["plots"] = [str(p) for p in save_plots(result, GAME_LABELS, Path(args.plots), Path(args.model).stem)]
    text = json.dumps(result, indent=2)
    if args.json_out == "-":
        print(text)
    elif args.json_out:
        Path(args.json_out).write_text(text + "\n")
    if args.json_out != "-":
        peer = result.get("peer_fer")
        print(f"accuracy {result['accuracy']:.4f}  macro_f1 {result['macro_f1']:.4f}  "
              f"fear recall {result['per_class']['fear']['recall']:.4f}  "
              f"neutral_false_accept {result.get('neutral_false_accept', float('nan')):.4f}  n {result['n']}"
              + (f"\nfer peer: accuracy {peer['accuracy']:.4f} macro_f1 {peer['macro_f1']:.4f}" if peer else ""))
    return 0


def main_ferplus(args) -> int:
    try:
        result = {"model": str(args.model), "data": str(args.data), "split": args.split,
                  **evaluate_ferplus(args.model, args.data, args.split)}
        if args.peer == "fer":
            result["peer_fer"] = evaluate_fer_peer_ferplus(args.data, args.split, result["rule"]["neutral_margin"])
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.plots:
        result["plots"] = [str(p) for p in save_plots(result["ferplus"], GAME_LABELS, Path(args.plots),
                                                      Path(args.model).stem + " (FER+ top vote)")]
    text = json.dumps(result, indent=2)
    if args.json_out == "-":
        print(text)
    elif args.json_out:
        Path(args.json_out).write_text(text + "\n")
    if args.json_out != "-":
        for name, figures in (("model", result), ("fer peer", result.get("peer_fer"))):
            if figures:
                print(f"{name}: " + summary_line(figures))
    return 0


def summary_line(figures: dict) -> str:
    fp, f13, nfa = figures["ferplus"], figures["fer2013"], figures["neutral_false_accept"]
    return (f"FER+ accuracy {fp['accuracy']:.4f} macro_f1 {fp['macro_f1']:.4f} sad recall "
            f"{fp['per_class']['sad']['recall']:.4f} | FER-2013 accuracy {f13['accuracy']:.4f} macro_f1 "
            f"{f13['macro_f1']:.4f} fear recall {f13['per_class']['fear']['recall']:.4f} | calm passes at 0.5: "
            + ", ".join(f"{k} {v:.3f}" for k, v in nfa.items()))


if __name__ == "__main__":
    raise SystemExit(main())
