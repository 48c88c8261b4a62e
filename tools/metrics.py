"""Classification metrics shared by training (model selection) and evaluation (reporting).

Plain numpy so that the numbers a training run selects on are computed exactly as the
numbers `tools/evaluate.py` reports.
"""

from __future__ import annotations

import numpy as np


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int) -> np.ndarray:
    """Rows are true classes, columns predicted classes."""
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (np.asarray(y_true, int), np.asarray(y_pred, int)), 1)
    return matrix


def per_class_scores(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """precision, recall, f1, support per class (0 where undefined, as sklearn's zero_division=0)."""
    tp = np.diag(matrix).astype(float)
    predicted = matrix.sum(axis=0).astype(float)
    support = matrix.sum(axis=1).astype(float)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros_like(tp), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros_like(tp), where=denom > 0)
    return precision, recall, f1, support.astype(int)


def accept_thresholds(probs: np.ndarray, y_true: np.ndarray, keep: float = 0.90) -> np.ndarray:
    """Per class, the probability that still accepts `keep` of that class's true faces."""
    thresholds = np.zeros(probs.shape[1])
    for c in range(probs.shape[1]):
        own = probs[y_true == c, c]
        thresholds[c] = float(np.quantile(own, 1.0 - keep)) if own.size else 0.5
    return thresholds


#: The thresholds levels use (their `threshold`), on the scale of a three-way softmax.
LEVEL_THRESHOLDS = (0.5, 0.55, 0.6, 0.65)


def level_threshold_scale(probs: np.ndarray, y_true: np.ndarray, at=LEVEL_THRESHOLDS) -> np.ndarray:
    """Per class, the factor that turns a level threshold into this model's own scale.

    Levels are written for probabilities that sum to one over the three expressions. A model
    whose outputs are columns of a wider softmax (the rest is "none of these") gives true faces
    lower numbers, so a level's 0.5 would be much harder. For each level threshold t this
    finds the probability that accepts the same share of the class's true faces as t does on
    the renormalised reading, and returns the mean ratio: the children's own expressions pass
    as often as before, while a neutral face (little probability on any of the three) does not.
    """
    probs = np.asarray(probs, float)
    renormalised = probs / np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)
    scale = np.ones(probs.shape[1])
    for c in range(probs.shape[1]):
        own, own_renormalised = probs[y_true == c, c], renormalised[y_true == c, c]
        if own.size == 0:
            continue
        ratios = []
        for t in at:
            kept = float((own_renormalised >= t).mean())
            same_share = float(np.quantile(own, 1.0 - kept)) if kept > 0 else t
            ratios.append(min(same_share, t) / t)
        scale[c] = float(np.mean(ratios))
    return scale


def neutral_false_accept(neutral_probs: np.ndarray, thresholds: np.ndarray) -> float:
    """Mean over prompted classes of the share of neutral faces reaching that class's threshold."""
    if neutral_probs.size == 0:
        return float("nan")
    return float(np.mean([(neutral_probs[:, c] >= thresholds[c]).mean() for c in range(len(thresholds))]))


def summarise(probs: np.ndarray, y_true: np.ndarray, labels: tuple[str, ...] | list[str],
              neutral_probs: np.ndarray | None = None) -> dict:
    """The evaluation dictionary: accuracy, macro_f1, per_class, confusion_matrix, thresholds, n."""
    y_pred = probs.argmax(axis=1)
    matrix = confusion_matrix(y_true, y_pred, len(labels))
    precision, recall, f1, support = per_class_scores(matrix)
    thresholds = accept_thresholds(probs, y_true)
    result = {
        "n": int(len(y_true)),
        "accuracy": float((y_pred == y_true).mean()),
        "macro_f1": float(f1.mean()),
        "per_class": {
            label: {"precision": float(precision[i]), "recall": float(recall[i]),
                    "f1": float(f1[i]), "support": int(support[i])}
            for i, label in enumerate(labels)
        },
        "confusion_matrix": matrix.tolist(),
        "thresholds_keep90": {label: float(thresholds[i]) for i, label in enumerate(labels)},
        "level_threshold_scale": {label: float(s)
                                  for label, s in zip(labels, level_threshold_scale(probs, y_true))},
    }
    if neutral_probs is not None and len(neutral_probs):
        result["neutral_false_accept"] = neutral_false_accept(neutral_probs, thresholds)
        result["n_neutral"] = int(len(neutral_probs))
    return result
