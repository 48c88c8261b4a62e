"""Camera-like test videos (or frame folders) built from FER-2013 faces, with ground truth.

    python tools/make_test_video.py --data ../shared/data/fer2013/val \
        --segments happy:4,neutral:3,none:2,sad:4,fear:4 --out /tmp/clip.mp4

Each segment shows one FER-2013 face of the given class (or no face: `none`) scaled into a
640x480 scene, with small per-frame jitter of position, scale and brightness, the way a
child moves in front of a kiosk camera. `--second` adds a smaller second face beside the
first, with its own segments; with `--pair` the two stand side by side at the same size, two
friends in front of the kiosk (the first face is the child on the left of the game's mirrored
screen, so on the right of the raw frame). The ground truth goes to `<out>.csv` (one row per
segment and face).

Faces are only used when MediaPipe finds them in jittered placements of the scene (about
1 in 10 FER-2013 faces, often behind a hand, is not found), so a segment of a face really
shows a face to the game; `--any-face` turns that off. `--confident MODEL` also picks only
faces that the real pipeline with MODEL reads as their class with at least `--min-prob`
(and calm faces that fire nothing). Game tests use it: they check the game's rules (hold,
timeout, recording), not the model's accuracy, which `tools/evaluate.py` measures on the
whole val split.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2
import numpy as np

NO_FACE = "none"


@dataclass(frozen=True)
class Segment:
    label: str            # a FER class folder name, or "none"
    seconds: float


@dataclass(frozen=True)
class TruthRow:
    face: int             # 0 = the main face, 1 = the second face
    label: str
    start_frame: int
    end_frame: int        # exclusive
    start_s: float
    end_s: float
    source: str           # the FER file used ("" for none)
    center: tuple[int, int]
    size: int


def parse_segments(text: str) -> list[Segment]:
    segments = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        label, _, seconds = part.partition(":")
        try:
            segments.append(Segment(label.strip(), float(seconds)))
        except ValueError as exc:
            raise ValueError(f"bad segment {part!r}: expected label:seconds, e.g. happy:4") from exc
    return segments


def background(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A plain classroom-ish backdrop: a wall gradient, a window and a shelf (BGR)."""
    width, height = size
    ramp = np.linspace(150, 200, height, dtype=np.float32)[:, None, None]
    scene = np.broadcast_to(ramp * np.array([0.92, 1.0, 1.05], np.float32), (height, width, 3)).copy()
    cv2.rectangle(scene, (int(width * 0.72), int(height * 0.08)), (int(width * 0.95), int(height * 0.4)),
                  (225, 215, 190), -1)
    cv2.rectangle(scene, (0, int(height * 0.82)), (width, height), (90, 120, 150), -1)
    scene += rng.normal(0, 3, scene.shape).astype(np.float32)
    return np.clip(scene, 0, 255).astype(np.uint8)


def paste_face(scene: np.ndarray, face: np.ndarray, center: tuple[float, float], size: int, gain: float) -> None:
    """Scale a gray face to `size` and blend it in with a soft border."""
    big = cv2.resize(face, (size, size), interpolation=cv2.INTER_CUBIC).astype(np.float32) * gain
    big = np.repeat(np.clip(big, 0, 255)[..., None], 3, axis=2)
    mask = np.zeros((size, size), np.float32)
    inset = max(1, size // 24)
    cv2.rectangle(mask, (inset, inset), (size - inset, size - inset), 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), max(1.0, size / 48))[..., None]
    x0, y0 = int(round(center[0] - size / 2)), int(round(center[1] - size / 2))
    h, w = scene.shape[:2]
    sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(w, x0 + size), min(h, y0 + size)
    if sx1 <= sx0 or sy1 <= sy0:
        return
    patch = scene[sy0:sy1, sx0:sx1].astype(np.float32)
    fx0, fy0 = sx0 - x0, sy0 - y0
    m = mask[fy0:fy0 + (sy1 - sy0), fx0:fx0 + (sx1 - sx0)]
    f = big[fy0:fy0 + (sy1 - sy0), fx0:fx0 + (sx1 - sx0)]
    scene[sy0:sy1, sx0:sx1] = (patch * (1 - m) + f * m).astype(np.uint8)


#: The three placements a face is checked in: (offset, scale, brightness gain), like the
#: per-frame jitter the video gives it.
CHECK_VARIANTS = (((0, 0), 1.0, 1.0), ((6, -4), 0.97, 0.95), ((-6, 4), 1.03, 1.05))


class FacePicker:
    """Deterministic choice of FER faces per class.

    With `check_in_scene`, a face is only used when it is found (exactly one face) in three
    jittered camera-like placements at the size the video shows it; with `confident_model`
    too, the real pipeline (detect, crop, classify) must read it as its class with at least
    `min_prob` in all three (and a calm face must keep every probability under `calm_max`),
    or `accept(label, probs_per_placement)` when given.
    Without `check_in_scene`, `confident_model` judges the raw 48x48 face.
    """

    def __init__(self, data_dir: Path, seed: int, confident_model: Path | None = None, min_prob: float = 0.7,
                 check_in_scene: bool = True, calm_max: float = 0.5,
                 accept: Callable[[str, list[dict[str, float]]], bool] | None = None):
        self.data_dir, self.rng = Path(data_dir), np.random.default_rng(seed)
        self.min_prob, self.calm_max = min_prob, calm_max
        self.accept = accept or self._confident
        self.pipeline = self.detector = self.classifier = None
        if check_in_scene and confident_model is not None:
            from game.vision.pipeline import FacePipeline

            self.pipeline = FacePipeline(confident_model)
        elif check_in_scene:
            from game.vision.detector import FaceDetector

            self.detector = FaceDetector()
        elif confident_model is not None:
            from game.vision.classifier import ExpressionClassifier

            self.classifier = ExpressionClassifier(confident_model)
        self._backdrop = background((640, 480), np.random.default_rng(0))
        self._used: set[str] = set()
        self._ferplus: list[tuple[str, str]] | None = None

    def _files(self, label: str) -> list[Path]:
        """The faces of `label`: a class folder's files, or in a FER+ split (a folder beside
        labels.csv) the raw-pixel faces whose raters' top vote is `label` and agrees with the
        original FER-2013 label (faces people agree on, as camera crops give them)."""
        if (self.data_dir.parent / "labels.csv").is_file():
            from tools.fer_data import FERPLUS_TO_CLASS, FERPLUS_VOTE_COLUMNS, top_vote

            if self._ferplus is None:
                with open(self.data_dir.parent / "labels.csv", newline="") as handle:
                    rows = [r for r in csv.DictReader(handle) if r["split"] == self.data_dir.name]
                votes = np.array([[int(r[c]) for c in FERPLUS_VOTE_COLUMNS] for r in rows])
                top = top_vote(votes, tuple(FERPLUS_TO_CLASS.values())) if rows else np.array([])
                self._ferplus = [(r["file"], t) for r, t in zip(rows, top) if t and t == r["fer2013_label"]]
            return sorted(self.data_dir / name for name, shown in self._ferplus if shown == label)
        folder = self.data_dir / label
        return sorted(folder.glob("*.jpg")) + sorted(folder.glob("*.png"))

    def _scenes(self, face: np.ndarray, size: int, center: tuple[float, float]):
        for (dx, dy), scale, gain in CHECK_VARIANTS:
            scene = self._backdrop.copy()
            paste_face(scene, face, (center[0] + dx, center[1] + dy), int(size * scale), gain)
            yield scene

    def _confident(self, label: str, seen: list[dict[str, float]]) -> bool:
        if label in seen[0]:
            return min(p[label] for p in seen) >= self.min_prob
        return max(max(p.values()) for p in seen) < self.calm_max  # neutral etc.: nothing should fire

    def _acceptable(self, label: str, face: np.ndarray, size: int, center: tuple[float, float]) -> bool:
        if self.pipeline is not None:
            seen = []
            for scene in self._scenes(face, size, center):
                faces = self.pipeline.process(scene)
                if len(faces) != 1:
                    return False
                seen.append(faces[0].probs)
            return self.accept(label, seen)
        if self.detector is not None:
            return all(len(self.detector.detect(np.ascontiguousarray(scene[:, :, ::-1]))) == 1
                       for scene in self._scenes(face, size, center))
        if self.classifier is not None:
            return self.accept(label, [self.classifier.classify(face)])
        return True

    def pick(self, label: str, size: int = 240, center: tuple[float, float] = (320, 216)) -> tuple[np.ndarray, str]:
        """A face of `label` that passes the checks when shown at `size` around `center`."""
        folder = self.data_dir / label
        files = self._files(label)
        if not files:
            raise FileNotFoundError(f"{folder}: no face images for class {label!r}")
        for index in self.rng.permutation(len(files))[:400]:
            path = files[index]
            if str(path) in self._used:
                continue
            face = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            if face is not None and self._acceptable(label, face, size, center):
                self._used.add(str(path))
                return face, path.name
        raise ValueError(f"{folder}: no face passes the checks (found in the scene"
                         f"{f', read as {label} with p >= {self.min_prob}' if self.pipeline else ''})")


#: Two friends side by side share the width: each face is this much of `face_size`.
PAIR_FACE_SCALE = 0.75


def render(segments: list[Segment], picker: FacePicker, *, fps: float = 15.0, size=(640, 480),
           face_size: int = 240, second: list[Segment] | None = None, seed: int = 0,
           jitter: bool = True, pair: bool = False):
    """(frames BGR, ground truth). `pair`: the `second` face stands beside the first, the same
    size (friends mode; the first is on the left of the mirrored screen)."""
    rng = np.random.default_rng(seed)
    width, height = size
    scene0 = background(size, rng)
    if pair and second:
        friend_size = int(face_size * PAIR_FACE_SCALE)
        layouts = [(segments, (width * 0.73, height * 0.47), friend_size),
                   (second, (width * 0.27, height * 0.47), friend_size)]
    else:
        layouts = [(segments, (width * (0.62 if second else 0.5), height * 0.45), face_size)]
    if second and not pair:
        layouts.append((second, (width * 0.2, height * 0.5), int(face_size * 0.62)))
    truth: list[TruthRow] = []
    plans = []
    for face_no, (segs, center, fsize) in enumerate(layouts):
        plan, frame = [], 0
        for seg in segs:
            n = max(1, int(round(seg.seconds * fps)))
            face, name = (None, "") if seg.label == NO_FACE else picker.pick(seg.label, fsize, center)
            plan.append((frame, frame + n, face))
            truth.append(TruthRow(face_no, seg.label, frame, frame + n, frame / fps, (frame + n) / fps, name,
                                  (int(center[0]), int(center[1])), fsize))
            frame += n
        plans.append((plan, center, fsize, frame))
    total = max(p[3] for p in plans)
    frames = []
    for index in range(total):
        scene = scene0.copy()
        for plan, center, fsize, _ in plans:
            for start, end, face in plan:
                if start <= index < end and face is not None:
                    dx, dy = (rng.normal(0, 4, 2) if jitter else (0, 0))
                    scale = 1 + (rng.normal(0, 0.025) if jitter else 0)
                    gain = 1 + (rng.normal(0, 0.05) if jitter else 0)
                    paste_face(scene, face, (center[0] + dx, center[1] + dy), int(fsize * scale), gain)
        frames.append(scene)
    return frames, truth


def write(frames: list[np.ndarray], out: Path, fps: float) -> Path:
    out = Path(out)
    if out.suffix.lower() in {".mp4", ".avi", ".mkv"}:
        out.parent.mkdir(parents=True, exist_ok=True)
        fourcc = cv2.VideoWriter_fourcc(*("mp4v" if out.suffix.lower() == ".mp4" else "MJPG"))
        writer = cv2.VideoWriter(str(out), fourcc, fps, (frames[0].shape[1], frames[0].shape[0]))
        if not writer.isOpened():
            raise OSError(f"{out}: cannot write video")
        for frame in frames:
            writer.write(frame)
        writer.release()
    else:
        out.mkdir(parents=True, exist_ok=True)
        for i, frame in enumerate(frames):
            cv2.imwrite(str(out / f"frame_{i:05d}.png"), frame)
    return out


def write_truth(truth: list[TruthRow], path: Path) -> Path:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["face", "label", "start_frame", "end_frame", "start_s", "end_s", "source",
                         "center_x", "center_y", "size"])
        for row in truth:
            writer.writerow([row.face, row.label, row.start_frame, row.end_frame, f"{row.start_s:.3f}",
                             f"{row.end_s:.3f}", row.source, row.center[0], row.center[1], row.size])
    return path


def truth_path_for(out: Path) -> Path:
    out = Path(out)
    return out.with_suffix(".csv") if out.suffix else out.parent / f"{out.name}.csv"


def make_video(segments: list[Segment] | str, data_dir: str | Path, out: str | Path, *, fps: float = 15.0,
               size=(640, 480), face_size: int = 240, second: list[Segment] | str | None = None,
               seed: int = 0, confident_model: str | Path | None = None, min_prob: float = 0.7,
               any_face: bool = False, pair: bool = False) -> tuple[Path, list[TruthRow]]:
    """Build the video or frame folder and its ground-truth CSV; returns (output, truth)."""
    if isinstance(segments, str):
        segments = parse_segments(segments)
    if isinstance(second, str):
        second = parse_segments(second)
    picker = FacePicker(Path(data_dir), seed, Path(confident_model) if confident_model else None, min_prob,
                        check_in_scene=not any_face)
    if pair and not second:
        raise ValueError("--pair needs --second: the segments of the friend beside the first face")
    frames, truth = render(segments, picker, fps=fps, size=size, face_size=face_size, second=second, seed=seed,
                           pair=pair)
    out = write(frames, Path(out), fps)
    write_truth(truth, truth_path_for(out))
    return out, truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True,
                        help="FER-2013 split folder with class folders (e.g. .../fer2013/val), or a FER+ split "
                             "folder (e.g. .../ferplus/val: raw faces whose raters agree with their label)")
    parser.add_argument("--segments", required=True, help="label:seconds,... (labels: class folders or none)")
    parser.add_argument("--second", default=None, help="segments of a second, smaller face")
    parser.add_argument("--pair", action="store_true",
                        help="the second face stands beside the first at the same size (friends mode)")
    parser.add_argument("--out", required=True, help="a .mp4/.avi file, or a folder for PNG frames")
    parser.add_argument("--fps", type=float, default=15.0)
    parser.add_argument("--size", default="640x480")
    parser.add_argument("--face-size", type=int, default=240)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--confident", default=None, help="only faces this model is sure of (see above)")
    parser.add_argument("--min-prob", type=float, default=0.7)
    parser.add_argument("--any-face", action="store_true", help="also faces MediaPipe does not find")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    try:
        out, truth = make_video(args.segments, args.data, args.out, fps=args.fps, size=(width, height),
                                face_size=args.face_size, second=args.second, seed=args.seed,
                                confident_model=args.confident, min_prob=args.min_prob, any_face=args.any_face,
                                pair=args.pair)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out} and {truth_path_for(out)} ({len(truth)} segments)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
