"""`emotion-game classify PATH...` (try the model on pictures, videos or folders) and
`emotion-game analyze INPUT --out DIR` (every face of a recording or photos, summarised)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_commands(sub: argparse._SubParsersAction) -> None:
    classify = sub.add_parser(
        "classify", help="print happy/sad/fear probabilities for every face in images, videos or folders",
        description="One JSON line per face: file, frame, box [x, y, w, h] in pixels of the original "
                    "frame, probs, label. Folders are read as images in name order.")
    classify.add_argument("paths", nargs="+", metavar="PATH", help="image, video file, or folder of images")
    classify.add_argument("--model", default=None, help="expression model (default: models/expression.tflite)")
    classify.add_argument("--every", type=int, default=1, help="videos: classify every Nth frame")
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
    analyze.add_argument("--model", default=None, help="expression model (default: models/expression.tflite)")
    analyze.add_argument("--full-range", action="store_true",
                         help="MediaPipe's full-range detector, for faces far from the camera")
    analyze.set_defaults(func=run_analyze)


def _frames(path: Path, every: int):
    """(file name, frame index, image) for every frame of an image, video or folder."""
    from game.vision.sources import IMAGE_SUFFIXES, ImageFileSource, VideoFileSource

    if path.is_dir():
        for child in sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
            yield from _frames(child, every)
        return
    source = (ImageFileSource(path, realtime=False) if path.suffix.lower() in IMAGE_SUFFIXES
              else VideoFileSource(path, realtime=False))
    with source:
        while True:
            frame = source.read()
            if frame is None:
                if source.status.value in ("no camera", "camera lost"):
                    raise OSError(source.last_error or f"{path}: cannot read")
                return
            if frame.index % every == 0:
                yield str(path), frame.index, frame.image


def run_classify(args) -> int:
    from game.vision.card import DEFAULT_MODEL, ModelError
    from game.vision.detector import FULL_RANGE, SHORT_RANGE
    from game.vision.pipeline import FacePipeline

    try:
        pipeline = FacePipeline(args.model or DEFAULT_MODEL,
                                detector_model=FULL_RANGE if args.full_range else SHORT_RANGE)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failures = 0
    for raw in args.paths:
        path = Path(raw)
        if not path.exists():
            print(f"error: {path}: no such file or folder", file=sys.stderr)
            failures += 1
            continue
        try:
            for name, index, image in _frames(path, max(1, args.every)):
                for face in pipeline.process(image):
                    print(json.dumps({
                        "file": name, "frame": index, "box": list(face.face.box),
                        "probs": {k: round(v, 4) for k, v in face.probs.items()}, "label": face.label}),
                        flush=True)
        except (OSError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            failures += 1
    pipeline.close()
    return 1 if failures else 0


def run_analyze(args) -> int:
    from game.vision.analyze import InputError, analyze
    from game.vision.card import DEFAULT_MODEL, ModelError
    from game.vision.detector import FULL_RANGE, SHORT_RANGE
    from game.vision.pipeline import FacePipeline

    try:
        pipeline = FacePipeline(args.model or DEFAULT_MODEL,
                                detector_model=FULL_RANGE if args.full_range else SHORT_RANGE)
        summary = analyze(args.input, args.out, pipeline=pipeline, every=max(1, args.every),
                          annotate=args.annotate, max_faces=args.max_faces)
    except (ModelError, InputError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print((Path(args.out) / "summary.txt").read_text(encoding="utf-8"), end="")
    return 1 if summary["problems"] and summary["frames_analysed"] == 0 else 0
