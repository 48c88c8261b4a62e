"""The camera and the model fail under the real vision worker (a folder of made camera frames
from FER-2013 faces, MediaPipe detection), with the game running on the real clock.

- The camera vanishes mid-round and comes back: the child sees the kind "the camera is
  waking up" notice, the round's clock stops meanwhile, then the round carries on and its
  attempt is recorded.
- A corrupt model at start: the game runs what it can (the camera picture and face
  detection, so the child is framed), every observation and the teacher area name the file
  and say what is wrong with it. The child is kindly asked to fetch a teacher; the round
  waits instead of timing out, and nothing is recorded for it.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pygame
import pytest

from game.play.camera import VisionCamera
from game.play.rules import FaceState
from game.vision.card import DEFAULT_INPUT, DEFAULT_MODEL
from game.vision.observation import CameraStatus
from game.vision.sources import Backoff, FolderSource
from game.vision.worker import VisionWorker
from tests.conftest import fer_split
from game.levels import DEFAULT_ASSETS_DIR, load_levels
from tests.faults.kiosk import Kiosk, drawn_text
from tools.make_test_video import make_video

FRAME_FPS = 15.0


@pytest.fixture(scope="module")
def frames(tmp_path_factory) -> Path:
    """12 s of camera frames (PNG files): a face that is not scared, then a calm one. A folder
    plays once under `emotion-game play`, so it must outlast a round (6 s)."""
    folder = tmp_path_factory.mktemp("camera") / "frames"
    make_video("happy:2,neutral:10", fer_split("val"), folder, fps=FRAME_FPS, seed=5)
    return folder


def expression_model() -> Path | None:
    """The model the play tests use, when there is one (the camera test does not need it)."""
    path = Path(os.environ.get("EMOTION_GAME_TEST_MODEL", DEFAULT_MODEL))
    return path if path.is_file() else None


#: One scared-face round the frames (happy, then calm) cannot win, whatever the model: so it
#: runs its whole time limit and ends in a timeout.
UNWINNABLE = """
id = "camera-test"
order = 1
title = { en = "Camera test", id = "Uji kamera" }

[[rounds]]
emotion = "fear"
picture = "faces/fear-1.png"
prompt = { en = "Show me a scared face!", id = "Tunjukkan wajah takut!" }
threshold = 0.95
hold_s = 3.0
time_limit_s = 6.0
"""


def real_camera_kiosk(tmp_path: Path) -> Kiosk:
    folder = tmp_path / "levels"
    folder.mkdir()
    (folder / "camera-test.toml").write_text(UNWINNABLE, encoding="utf-8")
    level_set = load_levels(folder, DEFAULT_ASSETS_DIR)
    assert level_set.ok, level_set.problems
    return Kiosk(tmp_path / "progress.sqlite3", list(level_set.levels), real_time=True)


def test_camera_vanishes_mid_round_and_comes_back(tmp_path, frames):
    camera_dir = tmp_path / "camera"
    camera_dir.mkdir()
    live = camera_dir / "frames"
    away = camera_dir / "unplugged"
    os.rename(frames, live)      # (module fixture: put it back at the end)
    kiosk = real_camera_kiosk(tmp_path)
    source = FolderSource(live, fps=FRAME_FPS, loop=True, backoff=Backoff(first_s=0.1, cap_s=0.4))
    model = expression_model()
    worker = VisionWorker(source, kiosk.game.mailbox, model or tmp_path / "no-model.tflite")
    threads_before = None
    try:
        worker.start()
        kiosk.start()
        kiosk.game.start_level(kiosk.levels[0])
        game = kiosk.game
        assert kiosk.run(30, until=lambda g: getattr(g.scene, "phase", "") == "play"
                         and g.face_state() is FaceState.OK), \
            (game.scene.screenshot_key, worker.error)
        kiosk.run(1.0)
        threads_before = threading.active_count()
        played_before = game.scene.status.elapsed_s

        os.rename(live, away)               # unplugged mid-round
        assert kiosk.run(5, until=lambda g: g.face_state() is FaceState.CAMERA_STARTING)
        assert game.obs.camera_status is CameraStatus.LOST
        stopped_at = game.scene.status.elapsed_s
        assert stopped_at - played_before < 1.5
        kiosk.run(2.0)
        assert game.scene.screenshot_key == "round-camera-starting"      # the notice over the camera view
        assert game.speech.caption == "The camera is waking up"
        assert "The camera is waking up" in drawn_text(kiosk)
        pygame.image.save(game.canvas, str(tmp_path / "camera-lost.png"))
        assert game.scene.status.elapsed_s == pytest.approx(stopped_at, abs=0.05)   # the clock stopped
        assert game.scene.phase == "play" and kiosk.store.attempts == 0

        os.rename(away, live)               # plugged back in
        assert kiosk.run(10, until=lambda g: g.face_state() is FaceState.OK), game.obs
        kiosk.run(0.5)
        assert game.speech.caption == "Show me a scared face!"              # back to the prompt
        assert game.scene.screenshot_key in ("round-play", "round-holding")
        assert kiosk.run(15, until=lambda g: g.scene.screenshot_key == "round-encourage"), \
            game.scene.screenshot_key
        assert worker.running and threading.active_count() == threads_before
    finally:
        worker.stop()
        kiosk.close()
        if away.exists():
            os.rename(away, live)
        os.rename(live, frames)
    stored = kiosk.stored()
    assert kiosk.store.attempts == 1 and len(stored) == 1
    assert stored == [("camera-test", 0, "timeout")]


def write_corrupt_model(folder: Path, how: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / "expression.tflite"
    card = {"labels": ["happy", "sad", "fear"], "input": DEFAULT_INPUT}
    if how == "garbage":
        model.write_bytes(os.urandom(4096))
        (folder / "expression.json").write_text(json.dumps(card))
    elif how == "truncated":
        real = expression_model()
        if real is None:
            pytest.skip("no expression model to truncate")
        data = real.read_bytes()
        model.write_bytes(data[: len(data) // 3])
        (folder / "expression.json").write_text(real.with_suffix(".json").read_text())
    elif how == "bad-card":
        model.write_bytes(os.urandom(4096))
        (folder / "expression.json").write_text('{"labels": ["happy", "sad", "fear"], "input": ')
    return model


@pytest.mark.parametrize("how,says", [
    ("garbage", "not a usable TFLite model"),
    ("truncated", "the model file does not match its card"),
    ("bad-card", "the model card is not readable JSON"),
])
def test_corrupt_model_at_start_runs_what_it_can_and_names_the_file(tmp_path, frames, how, says):
    model = write_corrupt_model(tmp_path / "models", how)
    named = model.with_suffix(".json") if how == "bad-card" else model
    kiosk = real_camera_kiosk(tmp_path)
    camera = VisionCamera(kiosk.game.mailbox, model)      # what `emotion-game play --model` builds
    kiosk.game.camera = camera
    try:
        camera.start(str(frames))
        kiosk.start()
        game = kiosk.game
        game.start_level(kiosk.levels[0])
        # the camera picture and face detection still work: the child is framed, not told "no camera"
        assert kiosk.run(30, until=lambda g: g.obs is not None and g.obs.face_box is not None), \
            camera.error
        assert game.obs.n_faces == 1 and game.obs.preview is not None
        assert game.face_state() is FaceState.NO_EXPRESSIONS    # framed, but nothing can be judged
        assert game.obs.probs == {}                          # no expression without a model
        for error in (camera.error, game.obs.error):
            assert error is not None and str(named) in error and says in error, error
        # the child is asked to fetch a teacher; the round waits past its time limit (6 s)
        assert kiosk.run(10, until=lambda g: g.scene.screenshot_key == "round-no-expressions"), \
            game.scene.screenshot_key
        assert game.model_problem is not None and str(named) in game.model_problem
        assert game.speech.caption == game.phrases.get("face.no_expressions_spoken", "en")
        assert game.phrases.get("face.no_expressions", "en") in drawn_text(kiosk)
        pygame.image.save(game.canvas, str(tmp_path / "ask-your-teacher.png"))
        assert not kiosk.run(8, until=lambda g: g.scene.screenshot_key == "round-encourage")
        assert game.scene.screenshot_key == "round-no-expressions" and game.scene.status.elapsed_s == 0.0
        game.open_teacher()
        kiosk.run(0.3)
        shown = drawn_text(kiosk)
        pygame.image.save(game.canvas, str(tmp_path / "teacher.png"))
        assert "expression model is not working" in shown and says in shown and named.name in shown, shown
    finally:
        kiosk.close()             # stops the camera too
    assert not camera.worker or not camera.worker.running
    assert kiosk.store.attempts == 0 and kiosk.stored() == []      # no try the child never had
