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


# ------------------------------------------------------------------ both label sets (FER+)
def val_figures(full_probs: np.ndarray, classes, fer2013: np.ndarray, votes: np.ndarray | None,
                game_labels=("happy", "sad", "fear")) -> dict:
    """Figures of a model's full output (N, len(classes)) under both label sets, argmax over
    the game's columns: `fer2013` on faces whose original label is a game label; `ferplus`
    on faces whose raters' top vote is one (ties and mostly-unknown faces left out), with
    `neutral_lead` per prompt: the share of FER+ neutral faces on which that prompt's column
    beats the neutral column (how often a calm face could pass, before any threshold)."""
    from tools.fer_data import FERPLUS_TO_CLASS, top_vote

    classes = tuple(classes)
    columns = [classes.index(c) for c in game_labels]
    p3 = np.asarray(full_probs)[:, columns]
    figures = {}
    mask = np.isin(fer2013, game_labels)
    y = np.array([game_labels.index(c) for c in fer2013[mask]], dtype=int)
    figures["fer2013"] = summarise(p3[mask], y, game_labels)
    if votes is not None:
        # The raters' top vote over all their emotions, whatever the model knows.
        top = top_vote(votes, tuple(FERPLUS_TO_CLASS.values()))
        mask = np.isin(top, game_labels)
        y = np.array([game_labels.index(c) for c in top[mask]], dtype=int)
        neutral = top == "neutral"
        figures["ferplus"] = summarise(p3[mask], y, game_labels, p3[neutral])
        if "neutral" in classes and neutral.any():
            p_neutral = np.asarray(full_probs)[neutral, classes.index("neutral")]
            figures["ferplus"]["neutral_lead"] = {
                label: float((p3[neutral, i] > p_neutral).mean()) for i, label in enumerate(game_labels)}
    return figures


def recall_by_vote(full_probs: np.ndarray, classes, fer2013: np.ndarray, top: np.ndarray,
                   game_labels=("happy", "sad", "fear")) -> dict:
    """Where FER-2013's label and the raters part: per FER-2013 game label, and per FER+ top
    vote of those faces ("" for ties or mostly unknown), [faces the model calls by the label
    (argmax over the game's columns), faces]. A model that agrees with the raters loses
    FER-2013 recall exactly on the faces raters saw as something else."""
    classes = tuple(classes)
    columns = [classes.index(c) for c in game_labels]
    predicted = np.array(game_labels)[np.asarray(full_probs)[:, columns].argmax(axis=1)]
    table = {}
    for label in game_labels:
        faces = fer2013 == label
        votes, counts = np.unique(top[faces], return_counts=True)   # by name
        # most faces first (a stable sort keeps ties by name, so the card reads the same every run)
        table[label] = {str(vote): [int((predicted[faces & (top == vote)] == label).sum()), int(count)]
                        for vote, count in sorted(zip(votes, counts), key=lambda pair: -pair[1])}
    return table


def selection_score(figures: dict) -> float:
    """What model selection maximises on val: the mean macro-F1 under both label sets (FER+
    top vote for what people see, FER-2013's labels for the posed faces the raters doubt)."""
    scores = [figures[key]["macro_f1"] for key in ("ferplus", "fer2013") if key in figures]
    return float(np.mean(scores))


def flat_figures(figures: dict) -> dict:
    """The per-epoch history row."""
    row = {}
    for key, short in (("ferplus", "fp"), ("fer2013", "f13")):
        if key in figures:
            f = figures[key]
            row.update({f"{short}_acc": f["accuracy"], f"{short}_f1": f["macro_f1"],
                        f"{short}_sad_r": f["per_class"]["sad"]["recall"],
                        f"{short}_fear_r": f["per_class"]["fear"]["recall"]})
            if "neutral_lead" in f:
                row[f"{short}_calm_lead"] = float(np.mean(list(f["neutral_lead"].values())))
    return row


# --------------------------------------------------------- the game's decision on val faces
def rule_progress(rule, readings: dict, label: str, mark: float) -> np.ndarray:
    """MatchRule.progress over arrays: `readings` maps label -> (N,) probabilities."""
    return np.array([rule.progress({k: float(v[i]) for k, v in readings.items()}, label, mark)
                     for i in range(len(readings[label]))])


def pass_rate(rule, readings: dict, label: str, mark: float) -> float:
    if len(readings[label]) == 0:
        return float("nan")
    return float((rule_progress(rule, readings, label, mark) >= 1.0).mean())


def written_for_rate(readings: dict, label: str, t: float, game_labels=("happy", "sad", "fear")) -> float:
    """The share of faces that pass a level threshold `t` on the scale levels are written for:
    the three game outputs renormalised to sum to one."""
    total = np.maximum(sum(readings[g] for g in game_labels), 1e-12)
    return float((readings[label] / total >= t).mean())


def calibrate_scale(rule, true_readings: dict, label: str, at=LEVEL_THRESHOLDS, floor: float = 0.05) -> float:
    """The factor s for `label` so that a level's threshold t, used as the mark t*s under
    `rule`, keeps the share of true faces it was written for (its pass rate on the three game
    outputs renormalised to sum to one) among the faces the rule's other conditions let
    through (leading neutral and the other expressions): so a higher level threshold is
    still a harder level, whatever those conditions already refuse. Mean over t."""
    p = np.asarray(true_readings[label], float)
    if p.size == 0:
        return 1.0
    clears = rule_progress(rule, true_readings, label, MIN_CALIBRATION_MARK) >= 1.0
    eligible = np.sort(p[clears])[::-1]
    ratios = []
    for t in at:
        share = written_for_rate(true_readings, label, t)
        wanted = share * eligible.size
        if eligible.size == 0 or wanted <= 0:
            mark = t
        elif wanted >= eligible.size:
            mark = floor * t
        else:
            mark = float(eligible[max(int(round(wanted)), 1) - 1])
        ratios.append(min(max(mark / t, floor), 1.0))
    return float(np.mean(ratios))


#: The lowest mark calibration considers (the rule's own floor is game.vision.decision.MIN_MARK).
MIN_CALIBRATION_MARK = 0.02


def game_figures(rule, scale: dict, readings_by_group: dict, game_labels=("happy", "sad", "fear"),
                 at=(0.5, 0.65)) -> dict:
    """Single-frame decisions of the game's rule at level thresholds `at`: per prompt, the share
    of its own faces that pass ("true") and of each other group's faces (e.g. "neutral")."""
    table = {}
    for t in at:
        table[f"{t:g}"] = {
            label: {("true" if group == label else group):
                    round(pass_rate(rule, readings, label, t * scale.get(label, 1.0)), 4)
                    for group, readings in readings_by_group.items() if len(readings[label])}
            for label in game_labels}
    return table
