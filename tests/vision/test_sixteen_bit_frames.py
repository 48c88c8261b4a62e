"""16-bit PNG and TIFF frames (issue 17, item 7): a camera folder or `classify` given 16-bit
pictures sees the same face as in the 8-bit ones. Before, `to_gray` clipped 0..65535 to
0..255, every frame came out white and no face was found, silently.

Real FER-2013 faces placed in camera-sized frames, written by OpenCV as 16-bit PNG and TIFF,
read back through the folder camera and the `classify` command, detected by real MediaPipe.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.vision.crop import to_gray, to_rgb
from game.vision.detector import FaceDetector
from game.vision.sources import FolderSource
from tools.make_test_video import FacePicker, parse_segments, render

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def frames_8_bit(fer_val) -> list[np.ndarray]:
    frames, _truth = render(parse_segments("happy:1,fear:1"), FacePicker(fer_val, 3), fps=2, seed=3)
    frames = list(frames)
    assert frames and frames[0].dtype == np.uint8
    return frames


@pytest.fixture(scope="module")
def sixteen_bit_folder(frames_8_bit, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("frames16")
    for i, frame in enumerate(frames_8_bit):
        wide = frame.astype(np.uint16) * 257                  # 0..255 -> 0..65535, same picture
        suffix = ".png" if i % 2 == 0 else ".tiff"
        assert cv2.imwrite(str(folder / f"frame-{i:03d}{suffix}"), wide)
    return folder


def test_the_folder_camera_reads_16_bit_frames_as_the_same_picture(frames_8_bit, sixteen_bit_folder):
    source = FolderSource(sixteen_bit_folder, realtime=False)
    read = []
    with source:
        while (frame := source.read()) is not None:
            read.append(frame.image)
    assert len(read) == len(frames_8_bit)
    assert {image.dtype for image in read} == {np.dtype(np.uint16)}   # really 16-bit on disk
    for wide, narrow in zip(read, frames_8_bit):
        gray = to_gray(wide)
        assert gray.mean() < 250, "the 16-bit frame came out white"
        assert np.abs(gray.astype(int) - to_gray(narrow).astype(int)).max() <= 1


def test_faces_are_found_in_16_bit_frames_as_in_8_bit_ones(frames_8_bit, sixteen_bit_folder):
    files = sorted(sixteen_bit_folder.iterdir())
    with FaceDetector() as detector:
        narrow = [len(detector.detect(to_rgb(frame))) for frame in frames_8_bit]
        wide = [len(detector.detect(to_rgb(cv2.imread(str(path), cv2.IMREAD_UNCHANGED)))) for path in files]
    assert sum(narrow) >= len(narrow) - 1          # the 8-bit frames do show faces
    assert wide == narrow


def test_classify_reads_16_bit_pictures(sixteen_bit_folder, model_path):
    result = subprocess.run([sys.executable, "-m", "game.cli", "classify", str(sixteen_bit_folder)],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    found = {Path(line["file"]).name for line in lines if line.get("box")}
    names = sorted(p.name for p in sixteen_bit_folder.iterdir())
    assert len(found) >= len(names) - 1, (result.stdout, result.stderr)
    assert any(name.endswith(".tiff") for name in found) and any(name.endswith(".png") for name in found)
