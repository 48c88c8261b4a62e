"""Game-level figures: rounds played from a recorded video by the kiosk's own rules.

    python tools/play_eval.py --video clip.mp4 --truth clip.csv [--level ID] --json -

The video plays in real time through the game's own vision worker (camera, MediaPipe, the
model, the worker's smoothing), and a loop like the game's reads the newest observation about
60 times a second and steps round judges (game.play.rules.RoundJudge) whose rules come from
game.play.build.read_model, the very function `emotion-game play` builds its rules with (the
card's threshold scale and match rule), and from the level's own threshold and hold.

The truth CSV has `start_s,end_s,emotion` (or make_test_video's `label`; happy, sad, fear or
neutral; one segment per person, rows of a second face ignored). Every segment is one round
for each of the three prompts at once, its length the time limit. The JSON has `cells`
("shown>asked": [matched, rounds]), `hit_rate` (asked = shown) and `false_accept` (asked !=
shown, calm faces included), and the same per segment.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.vision.card import GAME_LABELS

# The rules come from game.play, which imports pygame: keep its banner out of the JSON.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

SHOWN = (*GAME_LABELS, "neutral")
#: A level that says nothing: the practice levels' usual threshold and hold.
DEFAULT_THRESHOLD, DEFAULT_HOLD_S = 0.5, 1.0
UI_TICK_S = 1 / 60


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    emotion: str


def read_truth(path: str | Path) -> list[Segment]:
    """Segments of the main face; `emotion` or `label` column, `none` (no face) rows skipped."""
    segments = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row_no, row in enumerate(csv.DictReader(handle), start=2):
            if row.get("face", "0") not in ("0", ""):
                continue
            emotion = (row.get("emotion") or row.get("label") or "").strip()
            if emotion == "none":
                continue
            if emotion not in SHOWN:
                raise ValueError(f"{path}:{row_no}: emotion {emotion!r} is not one of {', '.join(SHOWN)}")
            try:
                segments.append(Segment(float(row["start_s"]), float(row["end_s"]), emotion))
            except (KeyError, ValueError) as exc:
                raise ValueError(f"{path}:{row_no}: needs numeric start_s and end_s ({exc})") from exc
    if not segments:
        raise ValueError(f"{path}: no segments with a face")
    return segments


def level_values(level_id: str | None) -> dict[str, tuple[float, float]]:
    """Per emotion, (threshold, hold_s) of the level's first round asking for it."""
    values = {e: (DEFAULT_THRESHOLD, DEFAULT_HOLD_S) for e in GAME_LABELS}
    if not level_id:
        return values
    from game.levels import load_levels
    from game.resources import assets_dir, levels_dir

    level = load_levels(levels_dir(), assets_dir()).get(level_id)
    if level is None:
        raise ValueError(f'there is no level "{level_id}" in {levels_dir()}')
    for round_ in reversed(level.rounds):
        if round_.emotion in values:
            values[round_.emotion] = (round_.threshold, round_.hold_s)
    return values


def play(video: str | Path, segments: list[Segment], level_id: str | None = None,
         model: Path | None = None) -> dict:
    from game.play.build import read_model
    from game.play.camera import VisionCamera
    from game.play.rules import Outcome, RoundJudge
    from game.play.thresholds import Difficulty
    from game.vision.observation import CameraStatus, Mailbox

    _labels, rules = read_model(model, lambda line: print(line, file=sys.stderr))
    values = level_values(level_id)
    mailbox = Mailbox()
    camera = VisionCamera(mailbox, model)
    camera.start(str(video))
    fps = None
    results = []
    try:
        judges: dict[str, RoundJudge] | None = None
        current = 0
        deadline = time.monotonic() + segments[-1].end_s + 30.0
        while current < len(segments) and time.monotonic() < deadline:
            time.sleep(UI_TICK_S)
            now = time.monotonic()
            obs = mailbox.get()
            if obs is None:
                continue
            if obs.camera_status in (CameraStatus.ENDED, CameraStatus.NO_CAMERA) and obs.frame_index < 0:
                raise OSError(f"{video}: {camera.error or 'the video cannot be played'}")
            if fps is None and camera.worker is not None:
                fps = getattr(camera.worker.source, "fps", 15.0)
            video_s = obs.frame_index / fps if fps and obs.frame_index >= 0 else -1.0
            segment = segments[current]
            if judges is not None and (video_s >= segment.end_s or obs.camera_status is CameraStatus.ENDED):
                results.append(_result(segment, judges, Outcome))
                judges, current = None, current + 1
                continue
            if judges is None:
                if video_s < segment.start_s:
                    continue
                length = segment.end_s - segment.start_s
                judges = {asked: RoundJudge(rules.spec(asked, values[asked][0], values[asked][1], length,
                                                       difficulty=Difficulty.NORMAL, baseline=None), now)
                          for asked in GAME_LABELS}
            for judge in judges.values():
                judge.step(now, obs)
        if judges is not None:
            results.append(_result(segments[current], judges, Outcome))
    finally:
        camera.stop()
    return summarise(results, level_id)


def _result(segment: Segment, judges, outcome_enum) -> dict:
    return {"start_s": segment.start_s, "end_s": segment.end_s, "shown": segment.emotion,
            "matched": {asked: judge.outcome is outcome_enum.MATCHED for asked, judge in judges.items()},
            "time_to_match_s": {asked: judge.time_to_match_s for asked, judge in judges.items()}}


def summarise(results: list[dict], level_id: str | None) -> dict:
    cells = {f"{shown}>{asked}": [0, 0] for shown in SHOWN for asked in GAME_LABELS}
    for row in results:
        for asked, matched in row["matched"].items():
            cell = cells[f"{row['shown']}>{asked}"]
            cell[0] += int(matched)
            cell[1] += 1
    def rate(pairs):
        pairs = list(pairs)
        total = sum(n for _, n in pairs)
        return round(sum(m for m, _ in pairs) / total, 4) if total else None

    hits = [cells[f"{e}>{e}"] for e in GAME_LABELS]
    others = [cell for key, cell in cells.items() if key.split(">")[0] != key.split(">")[1]]
    calm = [cells[f"neutral>{e}"] for e in GAME_LABELS]
    return {"level": level_id, "segments": len(results), "cells": {k: v for k, v in cells.items() if v[1]},
            "hit_rate": rate(hits), "false_accept": rate(others), "calm_false_accept": rate(calm),
            "rounds": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--video", required=True, help="a recorded video (e.g. from tools/make_test_video.py)")
    parser.add_argument("--truth", required=True, help="CSV with start_s,end_s,emotion (or label)")
    parser.add_argument("--level", default=None, help="play by this shipped level's thresholds and holds")
    parser.add_argument("--model", default=None, help="another model (its card beside it)")
    parser.add_argument("--json", dest="json_out", default="-", help="where the JSON goes ('-': stdout)")
    args = parser.parse_args(argv)
    try:
        result = play(args.video, read_truth(args.truth), args.level, Path(args.model) if args.model else None)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(result, indent=2)
    if args.json_out == "-":
        print(text)
    else:
        Path(args.json_out).write_text(text + "\n")
        print(f"hit_rate {result['hit_rate']}  false_accept {result['false_accept']}  "
              f"calm_false_accept {result['calm_false_accept']}  ({result['segments']} segments)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
