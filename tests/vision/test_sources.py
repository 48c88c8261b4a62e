import shutil
import time

import cv2
import numpy as np
import pytest

from game.vision.observation import CameraStatus
from game.vision.sources import (Backoff, FolderSource, ImageFileSource, VideoFileSource, WebcamSource,
                                 open_source)


def write_frames(folder, n, size=(64, 48)):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        img = np.full((size[1], size[0], 3), i * 20 % 256, np.uint8)
        cv2.imwrite(str(folder / f"f_{i:03d}.png"), img)
    return folder


def drain(source, limit=1000):
    frames = []
    for _ in range(limit):
        frame = source.read()
        if frame is None:
            if source.status == CameraStatus.ENDED:
                break
            continue
        frames.append(frame)
    return frames


def test_folder_source_plays_in_name_order_then_ends(tmp_path):
    write_frames(tmp_path / "cam", 5)
    with FolderSource(tmp_path / "cam", realtime=False) as source:
        frames = drain(source)
    assert [f.name for f in frames] == [f"f_{i:03d}.png" for i in range(5)]
    assert [f.index for f in frames] == list(range(5))
    assert source.status == CameraStatus.ENDED


def test_folder_source_paces_like_a_camera(tmp_path):
    write_frames(tmp_path / "cam", 6)
    with FolderSource(tmp_path / "cam", fps=20, realtime=True) as source:
        start = time.monotonic()
        frames = drain(source)
        elapsed = time.monotonic() - start
    assert len(frames) == 6
    assert elapsed >= 5 / 20 * 0.8  # 6 frames at 20 fps span at least 0.25 s


def test_folder_source_skips_a_broken_file(tmp_path):
    cam = write_frames(tmp_path / "cam", 3)
    (cam / "f_001.png").write_bytes(b"not a png")
    with FolderSource(cam, realtime=False) as source:
        frames = drain(source)
    assert [f.name for f in frames] == ["f_000.png", "f_002.png"]
    assert source.unreadable == ["f_001.png"]


def test_video_source_reads_every_frame(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for i in range(12):
        writer.write(np.full((48, 64, 3), i * 10, np.uint8))
    writer.release()
    with VideoFileSource(path, realtime=False) as source:
        frames = drain(source)
    assert len(frames) == 12 and source.fps == pytest.approx(10)
    assert source.status == CameraStatus.ENDED


def test_missing_camera_reports_no_camera_and_keeps_retrying():
    source = WebcamSource(57, backoff=Backoff(first_s=0.01, cap_s=0.02))
    start = time.monotonic()
    assert source.read() is None
    assert source.status == CameraStatus.NO_CAMERA
    assert "webcam 57" in source.last_error
    for _ in range(5):
        assert source.read() is None
    assert time.monotonic() - start < 5
    source.close()


@pytest.mark.parametrize("spec", ["/no/such/video.mp4", "/no/such/photo.jpg"])
def test_missing_files_report_no_camera(spec):
    source = open_source(spec, realtime=False)
    assert source.read() is None
    assert source.status == CameraStatus.NO_CAMERA
    assert "not found" in source.last_error


def test_camera_lost_then_back(tmp_path):
    """A folder that vanishes mid-stream is a lost camera; when it returns, frames flow again."""
    cam = write_frames(tmp_path / "cam", 4)
    source = FolderSource(cam, realtime=False, loop=True, backoff=Backoff(first_s=0.01, cap_s=0.05))
    assert source.read() is not None and source.status == CameraStatus.OK
    shutil.move(str(cam), str(tmp_path / "away"))
    statuses = {source.read() is None and source.status for _ in range(5)}
    assert CameraStatus.LOST in statuses
    shutil.move(str(tmp_path / "away"), str(cam))
    deadline = time.monotonic() + 3
    frame = None
    while frame is None and time.monotonic() < deadline:
        frame = source.read()
    assert frame is not None and source.status == CameraStatus.OK
    source.close()


def test_open_source_dispatch(tmp_path):
    write_frames(tmp_path / "cam", 1)
    assert isinstance(open_source(0), WebcamSource)
    assert isinstance(open_source("2"), WebcamSource)
    assert isinstance(open_source(tmp_path / "cam"), FolderSource)
    assert isinstance(open_source(tmp_path / "cam" / "f_000.png"), ImageFileSource)
    assert isinstance(open_source(tmp_path / "x.mp4"), VideoFileSource)


def test_backoff_doubles_to_a_cap():
    backoff = Backoff(first_s=0.25, cap_s=1.0)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 5)] == [0.25, 0.5, 1.0, 1.0, 1.0]
