"""What a camera source tells the terminal: one plain line for a missing webcam instead of
OpenCV's warning on every retry (OpenCV's own lines only with --verbose), and a video that is
damaged or cut short named once and ended, not replayed from the start without a word."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from game.vision.observation import CameraStatus
from game.vision.sources import VideoFileSource

REPO = Path(__file__).resolve().parents[2]
MISSING_INDEX = 63   # no machine running the tests has 64 cameras

WATCH_MISSING_WEBCAM = f"""
import time
from game.vision.sources import Backoff, WebcamSource
source = WebcamSource({MISSING_INDEX}, backoff=Backoff(first_s=0.02, cap_s=0.05))
until = time.monotonic() + 1.5
while time.monotonic() < until:
    source.read()
print(source.status.value)
"""


def run_missing_webcam(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("EMOTION_GAME_VERBOSE", "OPENCV_LOG_LEVEL")}
    return subprocess.run([sys.executable, "-c", WATCH_MISSING_WEBCAM], capture_output=True, text=True,
                          cwd=REPO, env={**clean, **env}, timeout=60)


def test_a_missing_webcam_gets_one_plain_line_while_it_is_retried():
    result = run_missing_webcam()
    assert result.stdout.strip() == "no camera"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [f"no camera found at index {MISSING_INDEX}; retrying"], result.stderr


def test_verbose_lets_opencvs_own_lines_through():
    result = run_missing_webcam(EMOTION_GAME_VERBOSE="1")
    lines = result.stderr.splitlines()
    assert f"no camera found at index {MISSING_INDEX}; retrying" in lines
    opencv_lines = [line for line in lines if line.startswith(("[ WARN", "[ERROR", "[ INFO"))]
    assert len(opencv_lines) >= 2, result.stderr   # one per retry: what a teacher saw before


def write_avi(path: Path, frames: int) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (160, 120))
    rng = np.random.default_rng(1)
    for _ in range(frames):
        writer.write(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
    writer.release()
    return path


@pytest.fixture
def cut_short_avi(tmp_path) -> Path:
    whole = write_avi(tmp_path / "whole.avi", 40).read_bytes()
    cut = tmp_path / "lesson.avi"
    cut.write_bytes(whole[: len(whole) // 2])   # a recording that stopped mid-write
    return cut


def read_all(source, reads: int = 300) -> list:
    frames = []
    for _ in range(reads):
        frame = source.read()
        if frame is not None:
            frames.append(frame)
        elif source.status == CameraStatus.ENDED:
            break
    return frames


def test_a_cut_short_video_ends_with_a_problem_instead_of_replaying(cut_short_avi, caplog):
    with VideoFileSource(cut_short_avi, realtime=False) as source:
        frames = read_all(source)
        assert source.status == CameraStatus.ENDED
    readable = len(frames)
    assert 5 < readable < 40
    assert [f.index for f in frames] == list(range(readable))   # once through, never from the start again
    assert source.problem == f"lesson.avi is damaged or cut short: only {readable} of its 40 frames can be read"
    assert [r.getMessage() for r in caplog.records] == [source.problem + "; it ends there"]


def test_a_whole_video_ends_without_a_problem(tmp_path, caplog):
    with VideoFileSource(write_avi(tmp_path / "whole.avi", 12), realtime=False) as source:
        assert len(read_all(source)) == 12 and source.status == CameraStatus.ENDED
    assert source.problem is None and not caplog.records


def test_a_looping_cut_short_video_says_so_once(cut_short_avi, caplog):
    with VideoFileSource(cut_short_avi, realtime=False, loop=True) as source:
        frames = read_all(source, reads=120)
    assert len(frames) == 120 and source.problem is not None
    assert len([r for r in caplog.records if "damaged" in r.getMessage()]) == 1


@pytest.mark.slow
def test_play_without_a_camera_shows_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("EMOTION_GAME_VERBOSE", "OPENCV_LOG_LEVEL",
                                                            "EMOTION_GAME_SETTINGS")}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = subprocess.run([sys.executable, "-m", "game.cli", "play", "--camera", str(MISSING_INDEX),
                             "--seconds", "4", "--windowed", "--mute",
                             "--db", f"sqlite:///{tmp_path / 'p.sqlite3'}"],
                            capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stderr.splitlines()
    assert lines.count(f"no camera found at index {MISSING_INDEX}; retrying") == 1, result.stderr
    assert not [line for line in lines if "VIDEOIO" in line or line.startswith(("[ WARN", "[ERROR"))], result.stderr
