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
