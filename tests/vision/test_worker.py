import json
import shutil
import subprocess
import sys
import threading
import time

import pytest

from game.vision.card import load_card
from game.vision.observation import CameraStatus, Mailbox
from game.vision.sources import VideoFileSource
from game.vision.worker import VisionWorker
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
from tools.make_test_video import make_video


@pytest.fixture(scope="module")
def clip(fer_val, tmp_path_factory):
    out, truth = make_video("happy:3,none:1,sad:3", fer_val, tmp_path_factory.mktemp("clip") / "clip.mp4", fps=15)
    return out, truth


def wait_for(predicate, timeout_s=20.0):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    return None


def test_worker_publishes_observations_and_stops_cleanly(clip, model_path):
    threads_before = threading.active_count()
    mailbox = Mailbox()
    worker = VisionWorker(VideoFileSource(clip[0], realtime=True), mailbox, model_path).start()
    obs = wait_for(lambda: (o := mailbox.get()) is not None and o.face_box is not None and o)
    assert obs is not None, worker.error
    assert obs.camera_status == CameraStatus.OK
    assert obs.preview.shape == (240, 320, 3)
    # the game's labels, then neutral and other when the model has them (game.vision.card.read_labels)
    assert set(obs.probs) == set(load_card(model_path).read_labels) >= {"happy", "sad", "fear"}
    assert 0 <= sum(obs.smoothed[k] for k in ("happy", "sad", "fear")) <= 1 + 1e-3
    assert obs.n_faces == 1 and obs.t >= obs.captured_at
    worker.stop()
    assert not worker.running and worker.error is None
    assert wait_for(lambda: threading.active_count() <= threads_before, 5)


def test_no_backlog_a_slow_reader_sees_the_newest_frame(clip, model_path):
    mailbox = Mailbox()
    with VisionWorker(VideoFileSource(clip[0], realtime=True), mailbox, model_path) as worker:
        assert wait_for(lambda: mailbox.get() is not None)
        seen = []
        for _ in range(4):
            time.sleep(0.5)  # a reader far slower than the camera
            obs, _ = mailbox.get_with_version()
            seen.append(obs.frame_index)
            # what the reader gets is the frame the worker finished last, never an old one
            assert obs.frame_index >= worker.frames_processed - 2
    assert seen == sorted(seen) and seen[-1] - seen[0] >= 10  # frames were skipped, not queued


def test_camera_missing_is_reported_not_raised(model_path):
    mailbox = Mailbox()
    with VisionWorker("/no/such/camera.mp4", mailbox, model_path):
        obs = wait_for(lambda: (o := mailbox.get()) is not None and o)
    assert obs.camera_status == CameraStatus.NO_CAMERA and obs.face_box is None


def test_corrupt_model_keeps_detecting_and_surfaces_the_error(clip, model_path, tmp_path):
    bad = tmp_path / "expression.tflite"
    bad.write_bytes(b"broken")
    shutil.copy(model_path.with_suffix(".json"), bad.with_suffix(".json"))
    mailbox = Mailbox()
    with VisionWorker(VideoFileSource(clip[0]), mailbox, bad) as worker:
        obs = wait_for(lambda: (o := mailbox.get()) is not None and o.face_box is not None and o)
    assert obs is not None and obs.probs == {}
    assert "expression.tflite" in worker.error and obs.error == worker.error
    assert obs.model_error == worker.error


def test_a_model_that_did_not_load_is_named_even_with_no_face_in_view(model_path, tmp_path):
    bad = tmp_path / "expression.tflite"
    bad.write_bytes(b"broken")
    shutil.copy(model_path.with_suffix(".json"), bad.with_suffix(".json"))
    mailbox = Mailbox()
    with VisionWorker("/no/such/camera.mp4", mailbox, bad):
        obs = wait_for(lambda: (o := mailbox.get()) is not None and o)
    assert obs.face_box is None and obs.model_error and "expression.tflite" in obs.model_error
    # a working model is never named
    with VisionWorker("/no/such/camera.mp4", mailbox := Mailbox(), model_path):
        obs = wait_for(lambda: (o := mailbox.get()) is not None and o)
    assert obs.model_error is None


def test_classify_command_on_a_frame_folder(fer_val, model_path, tmp_path):
    folder, truth = make_video("happy:1,none:1,fear:1", fer_val, tmp_path / "frames", fps=4)
    result = subprocess.run([sys.executable, "-m", "game.cli", "classify", str(folder)],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    by_frame, faceless = {}, set()
    for line in lines:
        assert set(line) == {"file", "frame", "box", "probs", "label"}
        if line["label"] == "no face":   # every picture gets its line, a picture with no face too
            assert line["box"] is None and line["probs"] == {}
            faceless.add(line["file"])
            continue
        assert line["label"] in ("happy", "sad", "fear", "none") and len(line["box"]) == 4
        assert 0 <= sum(line["probs"].values()) <= 1 + 1e-2   # the rest: none of the three
        by_frame.setdefault(line["file"], []).append(line)
    names = sorted(p.name for p in folder.iterdir())
    face_frames = [n for i, n in enumerate(names) if truth[0].start_frame <= i < truth[0].end_frame
                   or truth[2].start_frame <= i < truth[2].end_frame]
    empty_frames = [n for i, n in enumerate(names) if truth[1].start_frame <= i < truth[1].end_frame]
    assert sum(any(k.endswith(n) for k in by_frame) for n in face_frames) >= 0.75 * len(face_frames)
    assert not any(k.endswith(n) for n in empty_frames for k in by_frame)
    assert all(any(k.endswith(n) for k in faceless) for n in empty_frames)
    assert all(len(v) == 1 for v in by_frame.values())  # one face in the picture -> one line


def test_classify_command_on_a_video_and_a_bad_path(clip, model_path):
    result = subprocess.run([sys.executable, "-m", "game.cli", "classify", str(clip[0]), "/no/such.png",
                             "--every", "5"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 1 and "/no/such.png" in result.stderr
    frames = [json.loads(line)["frame"] for line in result.stdout.splitlines()]
    assert frames and all(f % 5 == 0 for f in frames)


def test_the_runtime_imports_no_tensorflow(model_path):
    code = ("import sys; from game.vision.pipeline import FacePipeline; p = FacePipeline(); "
            "import game.vision.worker, game.vision.commands; "
            "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-2000:]
