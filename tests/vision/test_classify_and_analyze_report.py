"""`classify` and `analyze` name faces by one rule (an emotion or "none", --threshold), say a
line for every input they could not use, and analyze reports photos by file name."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.vision.analyze import analyze
from game.vision.labelling import NONE, face_label
from tools.make_test_video import make_video

REPO = Path(__file__).resolve().parents[2]
CARD_SCALE = {"happy": 0.4273, "sad": 0.4614, "fear": 0.4993}   # the shipped card's, written out


def test_face_label_names_an_expression_only_when_it_clearly_leads():
    calm = {"happy": 0.01, "sad": 0.04, "fear": 0.02}           # the calm face: not "sad"
    assert face_label(calm, 0.5, CARD_SCALE) == NONE
    assert face_label({"happy": 0.6, "sad": 0.2, "fear": 0.2}) == "happy"
    assert face_label({"happy": 0.45, "sad": 0.3, "fear": 0.25}) == NONE              # leads, but below 0.5
    assert face_label({"happy": 0.45, "sad": 0.3, "fear": 0.25}, threshold=0.4) == "happy"
    # on the model's scale: 0.5 for happy is 0.21 for a model whose outputs need not sum to one
    assert face_label({"happy": 0.3, "sad": 0.05, "fear": 0.05}, 0.5, CARD_SCALE) == "happy"
    assert face_label({"happy": 0.3, "sad": 0.05, "fear": 0.05}, 0.8, CARD_SCALE) == NONE
    # a model with a neutral output: a face that reads neutral first is none, however high the rest
    assert face_label({"happy": 0.3, "sad": 0.0, "fear": 0.0, "neutral": 0.6}, 0.5, CARD_SCALE) == NONE
    assert face_label({"happy": 0.6, "sad": 0.0, "fear": 0.0, "neutral": 0.3}, 0.5, CARD_SCALE) == "happy"
    assert face_label({}) == NONE


@pytest.fixture(scope="module")
def pipeline(model_path):
    from game.vision.pipeline import FacePipeline

    p = FacePipeline(model_path)
    yield p
    p.close()


@pytest.fixture(scope="module")
def photos(fer_val, model_path, tmp_path_factory) -> Path:
    """Photos a researcher might have: faces, one with no face, a note, a broken JPEG."""
    folder = tmp_path_factory.mktemp("lesson") / "photos"
    make_video("happy:0.2,neutral:0.2,sad:0.1,none:0.1", fer_val, folder, fps=10, confident_model=model_path,
               min_prob=0.7, seed=11)
    (folder / "notes.txt").write_text("taken in class 2B\n")
    (folder / "zz_broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    return folder


def classify(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("EMOTION_GAME_VERBOSE", "OPENCV_LOG_LEVEL")}
    return subprocess.run([sys.executable, "-m", "game.cli", "classify", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=300)


def our_lines(stderr: str) -> list[str]:
    """stderr without MediaPipe's and LiteRT's start-up chatter."""
    return [line for line in stderr.splitlines()
            if line.strip() and not line.startswith(("INFO:", "W0000", "I0000", "WARNING: All log messages"))]


def test_every_input_gets_a_line(photos):
    result = classify(str(photos))
    records = [json.loads(line) for line in result.stdout.splitlines()]
    images = sorted(p.name for p in photos.glob("frame_*.png"))
    assert sorted({Path(r["file"]).name for r in records}) == images       # every picture is in the output
    faceless = [Path(r["file"]).name for r in records if r["label"] == "no face"]
    assert faceless and all(r["box"] is None for r in records if r["label"] == "no face")
    assert {r["label"] for r in records} <= {"happy", "sad", "fear", NONE, "no face"}
    notes = our_lines(result.stderr)
    assert f"skipped {photos / 'notes.txt'}: not an image or a video" in notes
    assert f"skipped {photos / 'zz_broken.jpg'}: not a readable image" in notes
    assert result.returncode == 1   # something could not be read: the exit status says so too


def test_classify_and_analyze_use_the_same_rule(photos, pipeline, tmp_path):
    nones = {}
    for threshold in ("0.5", "0.0", "0.95"):
        result = classify("--csv", "--threshold", threshold, *sorted(map(str, photos.glob("frame_*.png"))))
        assert result.returncode == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert list(rows[0])[:6] == ["file", "frame", "x", "y", "w", "h"] and list(rows[0])[-1] == "label"
        by_file = {Path(r["file"]).name: r["label"] for r in rows}
        summary = analyze(photos, tmp_path / threshold, pipeline=pipeline, threshold=float(threshold), progress=None)
        from_analyze = {p["file"]: (p["labels"][0] if p["labels"] else "no face") for p in summary["photos"]}
        assert by_file == from_analyze, threshold
        nones[threshold] = {name for name, label in by_file.items() if label == NONE}
    # a higher threshold names fewer faces (at 0 only a face whose neutral or other reading
    # leads is "none"), and at 0.95 some face is "none"
    assert nones["0.0"] <= nones["0.5"] <= nones["0.95"] and nones["0.95"]


def test_bad_threshold_is_refused_plainly(photos):
    result = classify("--threshold", "1.5", str(photos))
    assert result.returncode == 2 and "outside 0-1" in result.stderr


def test_classify_a_video_shows_progress_and_names_frames_without_a_face(fer_val, model_path, tmp_path):
    video, _ = make_video("happy:1,none:1", fer_val, tmp_path / "clip.mp4", fps=10, confident_model=model_path,
                          min_prob=0.7, seed=2)
    result = classify("--every", "2", str(video))
    assert result.returncode == 0, result.stderr
    notes = our_lines(result.stderr)
    assert any(line.startswith("[") and "/20 frames" in line for line in notes), notes   # the progress bar
    assert any(line.startswith(f"{video}: no face in ") and "of 10 frames classified" in line for line in notes), notes
    frames = {json.loads(line)["frame"] for line in result.stdout.splitlines()}
    assert frames and all(f % 2 == 0 for f in frames)


def test_analyze_reports_photos_by_name_and_lists_those_without_a_face(photos, pipeline, tmp_path):
    summary = analyze(photos, tmp_path / "out", pipeline=pipeline, progress=None)
    images = sorted(p.name for p in photos.glob("frame_*.png"))
    assert [p["file"] for p in summary["photos"]] == images
    assert summary["photos_without_face"] and set(summary["photos_without_face"]) < set(images)
    for photo in summary["photos"]:
        assert photo["faces"] == len(photo["labels"])
    assert all("file" in face and "first_s" not in face for face in summary["faces"].values())
    text = (tmp_path / "out" / "summary.txt").read_text()
    assert "seen in" not in text and " s)" not in text                  # no made-up timeline for photos
    for photo in summary["photos"]:
        assert f"  {photo['file']}: " in text
    assert "Photos with no face (" in text and summary["photos_without_face"][0] in text
    assert any("notes.txt: not a photo" in p for p in summary["problems"])
    assert any("zz_broken.jpg: not a readable image" in p for p in summary["problems"])
    with open(tmp_path / "out" / "faces.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["time_s"] == "" and r["file"] in images for r in rows)


def test_analyze_names_a_video_that_is_cut_short(pipeline, tmp_path):
    writer = cv2.VideoWriter(str(tmp_path / "whole.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 10, (160, 120))
    for i in range(40):
        writer.write(np.full((120, 160, 3), i * 5, np.uint8))
    writer.release()
    whole = (tmp_path / "whole.avi").read_bytes()
    (tmp_path / "lesson.avi").write_bytes(whole[: len(whole) // 2])
    summary = analyze(tmp_path / "lesson.avi", tmp_path / "out", pipeline=pipeline, progress=None)
    assert 5 < summary["frames_analysed"] < 40
    assert any("lesson.avi is damaged or cut short" in p for p in summary["problems"]), summary["problems"]
    assert "Problem: lesson.avi is damaged or cut short" in (tmp_path / "out" / "summary.txt").read_text()
