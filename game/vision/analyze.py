"""Analyse a classroom recording, a photo or a folder of photos: every face, every second.

All faces are detected, classified and tracked across frames with stable ids (a greedy IoU
tracker); the result is `faces.csv`, `summary.json` and `summary.txt`, and with
`annotate=True` an MP4 with boxes, labels and running shares. Annotation is off by default
because it writes children's faces to disk.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from game.vision.detector import turned_away
from game.vision.labelling import DEFAULT_THRESHOLD, NONE, face_label
from game.vision.tracking import IouTracker

POSITIVE, NEGATIVE = ("happy",), ("sad", "fear")
EMOTION_LABELS = ("happy", "sad", "fear")


def faces_columns(prob_columns: tuple[str, ...] = EMOTION_LABELS) -> list[str]:
    """faces.csv's header: one probability column per model reading (happy, sad, fear, ...)."""
    return ["frame", "time_s", "face_id", "x", "y", "w", "h", *prob_columns, "label", "file"]


# ---------------------------------------------------------------- helpers (tracking: game.vision.tracking)
def longest_run(times: list[float], flags: list[bool], step_s: float) -> dict:
    """The longest stretch of consecutive True flags, in seconds (start, end, seconds)."""
    best = {"start_s": None, "end_s": None, "seconds": 0.0}
    start = None
    for i, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            seconds = times[i - 1] - times[start] + step_s
            if seconds > best["seconds"]:
                best = {"start_s": round(times[start], 3), "end_s": round(times[i - 1] + step_s, 3),
                        "seconds": round(seconds, 3)}
            start = None
    return best


def shares(labels: list[str]) -> dict[str, float]:
    n = max(1, len(labels))
    out = {k: round(sum(label == k for label in labels) / n, 4) for k in (*EMOTION_LABELS, NONE)}
    out["positive"] = round(sum(label in POSITIVE for label in labels) / n, 4)
    out["negative"] = round(sum(label in NEGATIVE for label in labels) / n, 4)
    return out


# ---------------------------------------------------------------- inputs
@dataclass(frozen=True)
class InputFrame:
    index: int
    time_s: float
    image: np.ndarray
    file: str
    new_scene: bool   # photos: each one is its own scene (no tracking across photos)


class InputError(RuntimeError):
    pass


def iter_input(path: Path, every: int, problems: list[str]) -> tuple[Iterator[InputFrame], float | None, int]:
    """(frames, fps or None for photos, expected frame count)."""
    import cv2

    from game.vision.observation import CameraStatus
    from game.vision.sources import IMAGE_SUFFIXES, VideoFileSource, opencv_quiet

    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))

        def photos():
            for i, file in enumerate(files):
                image = None
                if file.suffix.lower() in IMAGE_SUFFIXES:
                    with opencv_quiet():
                        image = cv2.imread(str(file), cv2.IMREAD_COLOR)
                if image is None:
                    problems.append(f"{file.name}: " + ("not a readable image" if file.suffix.lower() in IMAGE_SUFFIXES
                                                        else "not a photo") + ", skipped")
                    continue
                yield InputFrame(i, float(i), image, file.name, True)
        return photos(), None, len(files)
    if not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    if path.suffix.lower() in IMAGE_SUFFIXES:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise InputError(f"{path}: not a readable image")
        return iter([InputFrame(0, 0.0, image, path.name, True)]), None, 1
    source = VideoFileSource(path, realtime=False, announce=False)
    first = source.read()
    if first is None:
        source.close()
        if source.status == CameraStatus.ENDED or source.problem:
            raise InputError(f"{path}: the video has no readable frames (corrupt or empty)")
        raise InputError(f"{path}: not a readable video or image")
    fps = source.fps if 1 <= source.fps <= 240 else 25.0

    def frames():
        frame = first
        try:
            while frame is not None:
                if frame.index % every == 0:
                    yield InputFrame(frame.index, frame.index / fps, frame.image, path.name, frame.index == 0)
                frame = source.read()
            if source.problem:
                problems.append(f"{source.problem}; the rest of the video was not analysed")
            elif source.status != CameraStatus.ENDED:
                problems.append(f"{path.name}: {source.last_error or 'reading stopped'}; the rest was not analysed")
        finally:
            source.close()
    return frames(), fps, source.frame_count


# ---------------------------------------------------------------- the analysis
def progress_bar(done: int, total: int, started: float, stream=None, width: int = 30) -> None:
    """A bar on stderr, redrawn in place on a terminal; about ten plain lines in a log file."""
    stream = stream or sys.stderr
    tty = stream.isatty()
    quiet_step = max(1, total // 10)
    if total <= 0 or (not tty and done < total and done % quiet_step):
        return
    fraction = min(1.0, done / total)
    elapsed = time.perf_counter() - started
    eta = elapsed / fraction - elapsed if fraction > 0 else 0
    line = f"[{'#' * int(width * fraction):<{width}}] {done}/{total} frames, {eta:4.0f} s left"
    stream.write(f"\r{line}" + ("\n" if done >= total else "") if tty else line + "\n")
    stream.flush()


def prob_columns(pipeline) -> tuple[str, ...]:
    """The readings the pipeline gives for each face, in the model's order (neutral too, if read)."""
    return tuple(getattr(pipeline.classifier, "read_labels", None) or pipeline.labels)


def analyze(path: str | Path, out_dir: str | Path, *, pipeline=None, every: int = 1, annotate: bool = False,
            max_faces: int = 1, threshold: float = DEFAULT_THRESHOLD,
            progress: Callable[[int, int, float], None] | None = progress_bar) -> dict:
    """Run the analysis and write faces.csv, summary.json, summary.txt (and annotated.mp4).

    `threshold` is the mark a face's leading expression must reach to be named (on the levels'
    scale, see game.vision.labelling.face_label); below it the face is "none"."""
    path, out_dir = Path(path), Path(out_dir)
    if pipeline is None:
        from game.vision.pipeline import FacePipeline

        pipeline = FacePipeline()
    scale = dict(pipeline.classifier.card.level_threshold_scale)
    columns = prob_columns(pipeline)
    problems: list[str] = []
    frames, fps, expected = iter_input(path, max(1, every), problems)
    out_dir.mkdir(parents=True, exist_ok=True)
    step_s = (every / fps) if fps else 1.0
    tracker = IouTracker(max_gap=max(2, int(round(1.0 / step_s))) if fps else 0)
    writer = None
    per_face: dict[int, dict] = {}
    times, files, no_face, crowded, counts, away = [], [], [], [], [], []
    photos: list[dict] = []
    running_labels: list[str] = []
    started = time.perf_counter()
    done = 0
    with open(out_dir / "faces.csv", "w", newline="", encoding="utf-8") as handle:
        rows = csv.writer(handle)
        rows.writerow(faces_columns(columns))
        for frame in frames:
            if frame.new_scene and not fps:
                tracker = IouTracker(max_gap=0, next_id=tracker.next_id)
            try:
                faces = pipeline.process(frame.image)
            except ValueError as exc:
                problems.append(f"{frame.file} frame {frame.index}: {exc}")
                faces = []
            ids = tracker.update(frame.index, [f.face.box for f in faces])
            labels = []
            for face_id, face in zip(ids, faces):
                label = face_label(face.probs, threshold, scale)
                labels.append(label)
                x, y, w, h = face.face.box
                rows.writerow([frame.index, f"{frame.time_s:.3f}" if fps else "", face_id, x, y, w, h,
                               *(f"{face.probs.get(k, 0.0):.4f}" for k in columns), label, frame.file])
                info = per_face.setdefault(face_id, {"frames": 0, "first_s": frame.time_s, "labels": [],
                                                     "away": [], "times": []})
                info["frames"] += 1
                info["last_s"] = frame.time_s
                info["labels"].append(label)
                info["away"].append(turned_away(face.face))
                info["times"].append(frame.time_s)
            running_labels.extend(labels)
            if not fps:
                photos.append({"file": frame.file, "faces": len(faces), "labels": labels,
                               "face_ids": ids})
            times.append(frame.time_s)
            files.append(frame.file)
            counts.append(len(faces))
            no_face.append(not faces)
            crowded.append(len(faces) > max_faces)
            away.append(bool(faces) and all(turned_away(f.face) for f in faces))
            if annotate:
                writer = _annotate(writer, out_dir, frame, faces, ids, labels, running_labels, fps or 1.0)
            done += 1
            if progress and fps:   # photos are quick; a video is what takes minutes
                progress(done, max(1, expected // max(1, every)) if fps else expected, started)
    if writer is not None:
        writer.release()
    if progress is progress_bar and fps and sys.stderr.isatty() and 0 < done < expected // max(1, every):
        sys.stderr.write("\n")   # a video that ended early: the bar stops short, the next line starts clean
    wall = time.perf_counter() - started
    if done == 0:
        raise InputError(f"{path}: nothing could be read" + (f" ({'; '.join(problems[:3])})" if problems else ""))
    duration = (times[-1] + step_s) if fps else None
    if fps:
        faces_seen = {
            str(face_id): {
                "frames": info["frames"], "first_s": round(info["first_s"], 3), "last_s": round(info["last_s"], 3),
                "shares": shares(info["labels"]),
                "longest_looking_away": longest_run(info["times"], info["away"], step_s),
            } for face_id, info in sorted(per_face.items())
        }
    else:   # photos have no timeline: a face is where it was found and what it showed
        faces_seen = {str(face_id): {"file": photo["file"], "label": label}
                      for photo in photos for face_id, label in zip(photo["face_ids"], photo["labels"])}
    summary = {
        "input": str(path),
        "kind": "video" if fps else ("photos" if path.is_dir() else "photo"),
        "frames_analysed": done,
        "every": every,
        "threshold": threshold,
        "duration_s": round(duration, 3) if duration else None,
        "faces": faces_seen,
        "photos": None if fps else [{k: v for k, v in photo.items() if k != "face_ids"} for photo in photos],
        "photos_without_face": None if fps else [photo["file"] for photo in photos if not photo["faces"]],
        "overall": shares(running_labels),
        "max_faces": max_faces,
        "longest_without_face": longest_run(times, no_face, step_s) if fps else None,
        "longest_looking_away": longest_run(times, away, step_s) if fps else None,
        "crowded_moments": _stretches(times, crowded, counts, step_s) if fps else
        [{"file": f, "faces": c} for f, c, flag in zip(files, counts, crowded) if flag],
        "wall_s": round(wall, 3),
        "speed_x_realtime": round(duration / wall, 2) if duration and wall > 0 else None,
        "photos_per_s": None if fps else round(done / wall, 2),
        "problems": problems,
        "annotated_video": str(out_dir / "annotated.mp4") if annotate and writer is not None else None,
    }
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "summary.txt").write_text(summary_text(summary), encoding="utf-8")
    return summary


def _stretches(times, flags, counts, step_s, bridge_s: float = 0.5) -> list[dict]:
    """Stretches where `flags` hold, as moments; gaps up to `bridge_s` (a face the detector
    misses for a frame or two) do not split a moment."""
    moments, start = [], None
    for i, flag in enumerate(flags + [False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            moment = {"start_s": round(times[start], 3), "end_s": round(times[i - 1] + step_s, 3),
                      "max_faces": int(max(counts[start:i]))}
            if moments and moment["start_s"] - moments[-1]["end_s"] <= bridge_s:
                moments[-1]["end_s"] = moment["end_s"]
                moments[-1]["max_faces"] = max(moments[-1]["max_faces"], moment["max_faces"])
            else:
                moments.append(moment)
            start = None
    return moments


def _annotate(writer, out_dir: Path, frame: InputFrame, faces, ids, labels, running_labels, fps: float):
    import cv2

    image = frame.image.copy()
    if writer is None:
        writer = cv2.VideoWriter(str(out_dir / "annotated.mp4"), cv2.VideoWriter_fourcc(*"mp4v"), fps,
                                 (image.shape[1], image.shape[0]))
    colours = {"happy": (60, 180, 255), "sad": (220, 120, 60), "fear": (180, 80, 200), NONE: (160, 160, 160)}
    for face_id, face, label in zip(ids, faces, labels):
        x, y, w, h = face.face.box
        cv2.rectangle(image, (x, y), (x + w, y + h), colours[label], 2)
        cv2.putText(image, f"#{face_id} {label} {max(face.probs.values()):.2f}", (x, max(12, y - 6)),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5, colours[label], 1, cv2.LINE_AA)
    s = shares(running_labels)
    text = f"positive {s['positive']:.0%}  negative {s['negative']:.0%}  none {s[NONE]:.0%}"
    cv2.rectangle(image, (0, image.shape[0] - 24), (image.shape[1], image.shape[0]), (0, 0, 0), -1)
    cv2.putText(image, text, (8, image.shape[0] - 7), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 255, 255), 1, cv2.LINE_AA)
    if image.shape[:2] == (int(writer.get(cv2.CAP_PROP_FRAME_HEIGHT) or image.shape[0]),
                           int(writer.get(cv2.CAP_PROP_FRAME_WIDTH) or image.shape[1])):
        writer.write(image)
    else:
        writer.write(cv2.resize(image, (int(writer.get(cv2.CAP_PROP_FRAME_WIDTH)),
                                        int(writer.get(cv2.CAP_PROP_FRAME_HEIGHT)))))
    return writer


def summary_text(summary: dict) -> str:
    o = summary["overall"]
    unit = "frames" if summary["kind"] == "video" else ("photos" if summary["kind"] == "photos" else "photo")
    lines = [f"Analysis of {summary['input']} ({summary['kind']}, {summary['frames_analysed']} {unit} analysed)", ""]
    lines.append(f"All faces together: positive (happy) {o['positive']:.0%}, negative (sad or scared) "
                 f"{o['negative']:.0%}, none of these {o[NONE]:.0%}.")
    lines.append(f"  happy {o['happy']:.0%}, sad {o['sad']:.0%}, scared {o['fear']:.0%}")
    lines.append("")
    if summary["kind"] == "video":
        lines.append(f"{len(summary['faces'])} face(s) followed:")
        for face_id, info in summary["faces"].items():
            s = info["shares"]
            lines.append(f"  face {face_id}: seen in {info['frames']} frames ({info['first_s']:.1f}-{info['last_s']:.1f} s): "
                         f"happy {s['happy']:.0%}, sad {s['sad']:.0%}, scared {s['fear']:.0%}, none {s[NONE]:.0%}")
        gap, away = summary["longest_without_face"], summary["longest_looking_away"]
        lines.append("")
        lines.append(f"Longest time with no face: {gap['seconds']:.1f} s"
                     + (f" (from {gap['start_s']:.1f} s)" if gap["start_s"] is not None else ""))
        lines.append(f"Longest time everyone looked away: {away['seconds']:.1f} s"
                     + (f" (from {away['start_s']:.1f} s)" if away["start_s"] is not None else ""))
    else:
        lines.append(f"{len(summary['faces'])} face(s) in {len(summary['photos'])} photo(s):")
        for photo in summary["photos"]:
            found = (f"{photo['faces']} face(s): " + ", ".join(photo["labels"])) if photo["faces"] else "no face"
            lines.append(f"  {photo['file']}: {found}")
        missing = summary["photos_without_face"]
        lines.append("")
        lines.append(f"Photos with no face ({len(missing)}): " + (", ".join(missing) if missing else "none"))
    crowded = summary["crowded_moments"]
    lines.append(f"{'Moments' if summary['kind'] == 'video' else 'Photos'} with more than "
                 f"{summary['max_faces']} face(s): {len(crowded)}")
    for moment in crowded[:10]:
        lines.append("  " + ", ".join(f"{k} {v}" for k, v in moment.items()))
    lines.append("")
    if summary["speed_x_realtime"]:
        lines.append(f"Analysed at {summary['speed_x_realtime']:.1f}x real time ({summary['wall_s']:.1f} s).")
    elif summary["photos_per_s"]:
        lines.append(f"Analysed {summary['photos_per_s']:.1f} photos per second.")
    for problem in summary["problems"]:
        lines.append(f"Problem: {problem}")
    return "\n".join(lines) + "\n"
