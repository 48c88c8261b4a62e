"""Read FER-2013 as class folders (`<split>/<class>/*.jpg`) or as the original `fer2013.csv`.

Both readers return the same thing: uint8 faces (N, 48, 48) and string labels (N,), so
training and evaluation never care which form the data came in.
"""

from __future__ import annotations

import csv
from pathlib import Path

import cv2
import numpy as np

#: FER-2013's own label numbering in fer2013.csv.
CSV_EMOTIONS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
#: The CSV's Usage column -> the folder split names used in ../shared/data/fer2013.
CSV_USAGE = {"Training": "train", "PublicTest": "val", "PrivateTest": "test"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}


def read_folder(root: str | Path, classes: tuple[str, ...] | None = None, size: int = 48,
                limit_per_class: int | None = None, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Faces and labels from `root/<class>/*.jpg`. Unreadable files are reported and skipped."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: no such data folder (expected <folder>/<class>/*.jpg)")
    found = sorted(p.name for p in root.iterdir() if p.is_dir())
    wanted = [c for c in (classes or found) if c in found]
    rng = np.random.default_rng(seed)
    faces, labels = [], []
    for cls in wanted:
        files = sorted(p for p in (root / cls).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if limit_per_class is not None and len(files) > limit_per_class:
            files = [files[i] for i in sorted(rng.choice(len(files), limit_per_class, replace=False))]
        for path in files:
            img = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            if img is None:
                print(f"warning: {path}: not a readable image, skipped")
                continue
            if img.shape != (size, size):
                img = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)
            faces.append(img)
            labels.append(cls)
    if not faces:
        raise ValueError(f"{root}: no images found for classes {list(classes or found)}")
    return np.stack(faces).astype(np.uint8), np.array(labels)


def read_csv(path: str | Path, usage: str = "train", classes: tuple[str, ...] | None = None,
             limit_per_class: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Faces and labels from the original fer2013.csv (columns emotion, pixels, Usage)."""
    path = Path(path)
    faces, labels, counts = [], [], {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row_no, row in enumerate(csv.DictReader(handle), start=2):
            split = CSV_USAGE.get((row.get("Usage") or "").strip(), (row.get("Usage") or "").strip())
            if split != usage:
                continue
            try:
                label = CSV_EMOTIONS[int(row["emotion"])]
                pixels = np.array(row["pixels"].split(), dtype=np.uint8)
            except (KeyError, ValueError, IndexError) as exc:
                raise ValueError(f"{path}:{row_no}: bad row ({exc})") from exc
            if pixels.size != 48 * 48:
                raise ValueError(f"{path}:{row_no}: expected 2304 pixels, got {pixels.size}")
            if classes is not None and label not in classes:
                continue
            if limit_per_class is not None and counts.get(label, 0) >= limit_per_class:
                continue
            counts[label] = counts.get(label, 0) + 1
            faces.append(pixels.reshape(48, 48))
            labels.append(label)
    if not faces:
        raise ValueError(f"{path}: no rows with Usage for split {usage!r} and classes {classes}")
    return np.stack(faces), np.array(labels)


def read_any(source: str | Path, split: str, classes: tuple[str, ...] | None = None,
             limit_per_class: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`source` is a fer2013.csv, a data root holding `<split>/`, or a split folder itself."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".csv":
        return read_csv(source, split, classes, limit_per_class)
    if (source / split).is_dir():
        return read_folder(source / split, classes, limit_per_class=limit_per_class)
    return read_folder(source, classes, limit_per_class=limit_per_class)


# ------------------------------------------------------------------------------ FER+
#: The vote columns of ferplus/labels.csv, in file order.
FERPLUS_VOTE_COLUMNS = ("neutral", "happiness", "surprise", "sadness", "anger", "disgust",
                        "fear", "contempt", "unknown", "NF")
#: FER+ emotion columns -> the project's class names (FER-2013's spelling).
FERPLUS_TO_CLASS = {"neutral": "neutral", "happiness": "happy", "surprise": "surprise",
                    "sadness": "sad", "anger": "angry", "disgust": "disgust", "fear": "fear",
                    "contempt": "contempt"}


def is_ferplus(source: str | Path) -> bool:
    """A FER+ root: `labels.csv` beside `train/` and `val/` PNG folders."""
    return (Path(source) / "labels.csv").is_file()


def read_ferplus(root: str | Path, split: str) -> dict[str, np.ndarray]:
    """One FER+ split: `faces` uint8 (N, 48, 48) raw pixels, `votes` int (N, 10) in
    FERPLUS_VOTE_COLUMNS order, `fer2013` the original single label (N,), `files` (N,)."""
    root = Path(root)
    labels_csv = root / "labels.csv"
    if not labels_csv.is_file():
        raise FileNotFoundError(f"{root}: no labels.csv (expected a FER+ folder: labels.csv, train/, val/)")
    faces, votes, originals, files = [], [], [], []
    with open(labels_csv, newline="", encoding="utf-8") as handle:
        for row_no, row in enumerate(csv.DictReader(handle), start=2):
            if row["split"] != split:
                continue
            path = root / split / row["file"]
            img = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            if img is None:
                print(f"warning: {path}: not a readable image, skipped")
                continue
            if img.shape != (48, 48):
                img = cv2.resize(img, (48, 48), interpolation=cv2.INTER_AREA)
            try:
                votes.append([int(row[c]) for c in FERPLUS_VOTE_COLUMNS])
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{labels_csv}:{row_no}: bad vote counts ({exc})") from exc
            faces.append(img)
            originals.append(row["fer2013_label"])
            files.append(row["file"])
    if not faces:
        raise ValueError(f"{labels_csv}: no faces for split {split!r}")
    return {"faces": np.stack(faces).astype(np.uint8), "votes": np.array(votes, np.int64),
            "fer2013": np.array(originals), "files": np.array(files)}


def vote_distribution(votes: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """(N, len(classes)) share of each face's emotion votes per class (unknown / not-a-face
    votes left out); rows with no emotion vote are all zero."""
    columns = {FERPLUS_TO_CLASS[name]: i for i, name in enumerate(FERPLUS_VOTE_COLUMNS)
               if name in FERPLUS_TO_CLASS}
    emotion = np.stack([votes[:, columns[c]] for c in classes], axis=1).astype(np.float64)
    total = emotion.sum(axis=1, keepdims=True)
    return np.divide(emotion, total, out=np.zeros_like(emotion), where=total > 0)


def mostly_unusable(votes: np.ndarray) -> np.ndarray:
    """Faces whose votes are mostly 'unknown' or 'not a face' (FER+ paper: left out)."""
    unknown = votes[:, FERPLUS_VOTE_COLUMNS.index("unknown")] + votes[:, FERPLUS_VOTE_COLUMNS.index("NF")]
    return unknown * 2 >= votes.sum(axis=1)


def top_vote(votes: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """Per face, the class with the most votes among `classes`' emotions, or '' when the top
    is tied or the face is mostly unusable ("raters agree" in the issue's sense)."""
    dist = vote_distribution(votes, classes)
    top = dist.argmax(axis=1)
    best = dist.max(axis=1)
    tied = (dist == best[:, None]).sum(axis=1) > 1
    result = np.array([classes[i] for i in top], dtype=object)
    result[tied | (best <= 0) | mostly_unusable(votes)] = ""
    return result.astype(str)
