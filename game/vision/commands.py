"""`emotion-game classify PATH...` (try the model on pictures, videos or folders) and
`emotion-game analyze INPUT --out DIR` (every face of a recording or photos, summarised)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from game.vision.labelling import DEFAULT_THRESHOLD


#: What classify says for an input with no face in it (a frame of a video: see the summary line).
NO_FACE = "no face"


def add_commands(sub: argparse._SubParsersAction) -> None:
    classify = sub.add_parser(
        "classify", help="print the expression of every face in images, videos or folders",
        description="One JSON line (or CSV row with --csv) per face: file, frame, box [x, y, w, h] in pixels "
                    "of the original frame, probs, label. The label is happy, sad or fear when that expression "
                    "leads and reaches --threshold, else none; a picture with no face gets a line with the label "
                    '"no face". Folders are read in name order; files that are not pictures or videos, and '
                    "videos' frames without a face, are named on stderr. Videos show a progress bar on stderr.")
    classify.add_argument("paths", nargs="+", metavar="PATH", help="image, video file, or folder of images")
    classify.add_argument("--model", default=None, help="expression model (default: the shipped one)")
    classify.add_argument("--every", type=int, default=1, help="videos: classify every Nth frame")
    classify.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD, metavar="T",
                          help="how clearly an expression must lead to be named, as a level's threshold "
                               f"(0-1, default {DEFAULT_THRESHOLD}); below it the label is none")
    classify.add_argument("--csv", action="store_true", help="CSV rows instead of JSON lines")
    classify.add_argument("--full-range", action="store_true",
                          help="use MediaPipe's full-range detector (faces far from the camera)")
    classify.set_defaults(func=run_classify)

    analyze = sub.add_parser(
        "analyze", help="analyse a classroom recording, a photo or a folder of photos",
        description="Detects, classifies and tracks every face; writes faces.csv, summary.json and "
                    "summary.txt to --out. --annotate also writes annotated.mp4 (it contains the "
                    "children's faces: only with the school's consent).")
    analyze.add_argument("input", metavar="INPUT", help="video file, image, or folder of photos")
    analyze.add_argument("--out", required=True, help="folder for the results")
    analyze.add_argument("--annotate", action="store_true", help="also write an annotated MP4 (off by default)")
    analyze.add_argument("--every", type=int, default=1, help="analyse every Nth video frame (faster)")
    analyze.add_argument("--max-faces", type=int, default=1,
                         help="report moments with more faces than this (default 1)")
    analyze.add_argument("--threshold", type=_threshold, default=DEFAULT_THRESHOLD, metavar="T",
                         help="how clearly an expression must lead to be named, as a level's threshold "
                              f"(0-1, default {DEFAULT_THRESHOLD}); below it the label is none")
    analyze.add_argument("--model", default=None, help="expression model (default: the shipped one)")
    analyze.add_argument("--full-range", action="store_true",
                         help="MediaPipe's full-range detector, for faces far from the camera")
    analyze.set_defaults(func=run_analyze)


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number; give one from 0 to 1, e.g. 0.5") from None
    if not 0.0 <= value <= 1.0:   # NaN fails this too
        raise argparse.ArgumentTypeError(f"{text} is outside 0-1; e.g. 0.5 (a level's usual threshold)")
    return value


# -- classify ------------------------------------------------------------------------------

@dataclass
class Inputs:
    """What classify read, for the lines it owes the user about the rest."""

    failures: int = 0

    def note(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)


def _input_files(path: Path, inputs: Inputs) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if not p.name.startswith("."))
        if not files:
            inputs.note(f"{path}: the folder is empty")
        return [p for p in files if p.is_file()]
    return [path]


def _frames(path: Path, every: int, inputs: Inputs, progress):
    """(frame index, image) of an image or a video; a line on stderr for what cannot be read."""
    import cv2

    from game.vision.observation import CameraStatus
    from game.vision.sources import IMAGE_SUFFIXES, VideoFileSource, opencv_quiet

    if path.suffix.lower() in IMAGE_SUFFIXES:
        with opencv_quiet():
            image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if image is None:
            inputs.note(f"skipped {path}: not a readable image")
            inputs.failures += 1
            return
        yield 0, image
        return
    source = VideoFileSource(path, realtime=False, announce=False)
    started = time.perf_counter()
    with source:
        read = 0
        while True:
            frame = source.read()
            if frame is None:
                break
            read += 1
            if progress and source.frame_count:
                progress(read, source.frame_count, started)
            if frame.index % every == 0:
                yield frame.index, frame.image
    if progress and sys.stderr.isatty() and 0 < read < source.frame_count:
        sys.stderr.write("\n")   # the bar stopped short of its end: the next line starts clean
    if read == 0:
        what = "a video with no readable frames" if source.status == CameraStatus.ENDED else "not an image or a video"
        inputs.note(f"skipped {path}: {what}")
        inputs.failures += 1
    elif source.problem:
        inputs.note(f"{path}: {source.problem}")
        inputs.failures += 1


class _Output:
    """JSON lines or CSV rows on stdout, one per face (and one per picture without a face)."""

    def __init__(self, as_csv: bool, columns: tuple[str, ...]):
        self.columns = columns
        self.csv = csv.writer(sys.stdout) if as_csv else None
        if self.csv:
            self.csv.writerow(["file", "frame", "x", "y", "w", "h", *columns, "label"])

    def face(self, name: str, index: int, box, probs: dict[str, float], label: str) -> None:
        if self.csv:
            self.csv.writerow([name, index, *box, *(f"{probs.get(k, 0.0):.4f}" for k in self.columns), label])
        else:
            print(json.dumps({"file": name, "frame": index, "box": list(box),
                              "probs": {k: round(v, 4) for k, v in probs.items()}, "label": label}))
        sys.stdout.flush()

    def no_face(self, name: str, index: int) -> None:
        if self.csv:
            self.csv.writerow([name, index, "", "", "", "", *([""] * len(self.columns)), NO_FACE])
        else:
            print(json.dumps({"file": name, "frame": index, "box": None, "probs": {}, "label": NO_FACE}))
        sys.stdout.flush()


def run_classify(args) -> int:
    from game.vision.analyze import prob_columns, progress_bar
    from game.vision.card import DEFAULT_MODEL, ModelError
    from game.vision.detector import FULL_RANGE, SHORT_RANGE
    from game.vision.labelling import face_label
    from game.vision.pipeline import FacePipeline
    from game.vision.sources import IMAGE_SUFFIXES

    try:
        pipeline = FacePipeline(args.model or DEFAULT_MODEL,
                                detector_model=FULL_RANGE if args.full_range else SHORT_RANGE)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scale = dict(pipeline.classifier.card.level_threshold_scale)
    output = _Output(args.csv, prob_columns(pipeline))
    inputs = Inputs()
    try:
        for raw in args.paths:
            path = Path(raw)
            if not path.exists():
                inputs.note(f"error: {path}: no such file or folder")
                inputs.failures += 1
                continue
            for file in _input_files(path, inputs):
                is_video = file.suffix.lower() not in IMAGE_SUFFIXES
                frames = faceless = 0
                for index, image in _frames(file, max(1, args.every), inputs, progress_bar if is_video else None):
                    frames += 1
                    try:
                        faces = pipeline.process(image)
                    except ValueError as exc:
                        inputs.note(f"skipped {file} frame {index}: {exc}")
                        continue
                    if not faces:
                        faceless += 1
                        if not is_video:
                            output.no_face(str(file), index)
                    for face in faces:
                        output.face(str(file), index, face.face.box, face.probs,
                                    face_label(face.probs, args.threshold, scale))
                if is_video and faceless:
                    inputs.note(f"{file}: no face in {faceless} of {frames} frames classified"
                                if faceless < frames else f"{file}: no face in any of its {frames} frames classified")
    finally:
        pipeline.close()
    return 1 if inputs.failures else 0


def run_analyze(args) -> int:
    from game.vision.analyze import InputError, analyze
    from game.vision.card import DEFAULT_MODEL, ModelError
    from game.vision.detector import FULL_RANGE, SHORT_RANGE
    from game.vision.pipeline import FacePipeline

    try:
        pipeline = FacePipeline(args.model or DEFAULT_MODEL,
                                detector_model=FULL_RANGE if args.full_range else SHORT_RANGE)
        summary = analyze(args.input, args.out, pipeline=pipeline, every=max(1, args.every),
                          annotate=args.annotate, max_faces=args.max_faces, threshold=args.threshold)
    except (ModelError, InputError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print((Path(args.out) / "summary.txt").read_text(encoding="utf-8"), end="")
    return 1 if summary["problems"] and summary["frames_analysed"] == 0 else 0
