"""A broken expression model: the child is kindly told to ask a teacher, rounds wait instead of
timing out, nothing is recorded for them, and the teacher area names the problem.

First the game with the observations the vision worker publishes when its model did not load
(a face found, no expression read, the load error on every frame), in English and Bahasa
Indonesia; then the real `emotion-game play` headless with a corrupt model file and a made
video of real FER-2013 faces as its camera.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pygame
import pytest

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.play.rules import FaceState
from game.play.services import Next
from game.progress import open_store
from game.vision.card import DEFAULT_INPUT
from tests.conftest import REPO, fer_split
from tests.play.harness import Driver, happy_then_sad_level, make_game, write_levels
from tests.play.observations import obs

LOAD_ERROR = "/kiosk/models/expression.tflite: not a usable TFLite model (Model provided has model identifier 'x')"


def broken_model_camera(now: float):
    seen = obs(now, n_faces=1)
    return replace(seen, probs={}, smoothed={}, error=LOAD_ERROR, model_error=LOAD_ERROR)


def drawn_text(game, driver: Driver) -> str:
    """Every text drawn over the next frame."""
    seen: list[str] = []
    text, wrapped = game.res.text, game.res.wrapped
    game.res.text = lambda value, *a, **k: (seen.append(str(value)), text(value, *a, **k))[1]
    game.res.wrapped = lambda value, *a, **k: (seen.append(str(value)), wrapped(value, *a, **k))[1]
    try:
        driver.run(1 / 30)
    finally:
        game.res.text, game.res.wrapped = text, wrapped
    return "\n".join(seen)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_rounds_wait_with_ask_your_teacher_and_record_nothing(tmp_path, lang):
    level_set = load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR)
    levels = list(level_set.levels)
    store = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", journal_dir=tmp_path / "journal")
    ana = store.add_child("Ana", "cat")
    store.set_calibration(ana.id, {})
    game = make_game(store, levels, lang=lang, screenshot_dir=tmp_path / "shots")
    driver = Driver(game)
    driver.source = broken_model_camera
    try:
        game.choose_child(ana, then=Next("round", {"level": levels[0], "round_index": 0}))
        limit = levels[0].rounds[0].time_limit_s
        driver.run(3 * limit)                       # three times the round's time limit
        assert driver.scene == "round-no-expressions"
        assert game.face_state() is FaceState.NO_EXPRESSIONS and game.model_problem == LOAD_ERROR
        said, shown = (game.phrases.get(key, lang) for key in ("face.no_expressions_spoken", "face.no_expressions"))
        assert game.speech.caption == said and shown in said and ("teacher" in shown or "guru" in shown)
        assert shown in drawn_text(game, driver)    # on the camera view; the whole sentence is the caption
        pygame.image.save(game.canvas, str(tmp_path / f"no-expressions-{lang}.png"))
        assert game.scene.status.elapsed_s == 0.0   # the round's clock never ran
        driver.click(game.scene.skip_button.rect.center)   # skipping a round that cannot be played
        driver.run(1.5 * limit)
        assert driver.scene == "round-no-expressions" and game.scene.round_index == 1

        game.open_teacher()
        driver.run(0.3)
        shown = drawn_text(game, driver)
        assert game.phrases.get("teacher.model_problem", lang, error=LOAD_ERROR) in shown
        pygame.image.save(game.canvas, str(tmp_path / f"teacher-{lang}.png"))
        print(f"\nscreenshots in {tmp_path}")
        assert game.store.writer.drain()
        assert store.attempts() == []               # nothing recorded for rounds that could not be played
    finally:
        game.close()
        store.close()


BROKEN_LEVEL = happy_then_sad_level(
    'id = "broken-model-test"\norder = 1\ntitle = { en = "Broken model test", id = "Uji model rusak" }',
    time_limit_s=4.0)
RUN_S = 24.0          # before the fix: two rounds time out (4 s each, a 12 s "try again?" between)


def test_emotion_game_play_with_a_corrupt_model_records_nothing(tmp_path):
    from tools.make_test_video import make_video

    video, _truth = make_video("neutral:45", fer_split("val"), tmp_path / "camera.mp4", fps=10.0, seed=4)
    models = tmp_path / "models"
    models.mkdir()
    model = models / "expression.tflite"
    model.write_bytes(os.urandom(4096))                 # not a model at all
    (models / "expression.json").write_text(json.dumps({"labels": ["happy", "sad", "fear"], "input": DEFAULT_INPUT}))
    level_file = tmp_path / "broken-model-test.toml"
    level_file.write_text(BROKEN_LEVEL, encoding="utf-8")
    db = tmp_path / "progress.sqlite3"
    with open_store(f"sqlite:///{db}") as store:        # a child who calibrated before
        child = store.add_child("Tester", "cat")
        store.set_calibration(child.id, {})
    shots, stats_file = tmp_path / "shots", tmp_path / "stats.json"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    command = [sys.executable, "-m", "game.cli", "play", "--camera", str(video), "--child", "Tester",
               "--level", str(level_file), "--seconds", str(RUN_S), "--db", f"sqlite:///{db}", "--mute",
               "--screenshots", str(shots), "--stats", str(stats_file), "--model", str(model)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=RUN_S + 180)
    assert result.returncode == 0, result.stderr[-3000:]

    with sqlite3.connect(db) as conn:
        attempts = conn.execute("SELECT round_index, outcome FROM attempts").fetchall()
        sessions = conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
    assert attempts == [], f"rounds that could not be played were recorded: {attempts}\n{result.stderr[-2000:]}"
    assert sessions == 1                                # the game did start a session for the child
    stats = json.loads(stats_file.read_text())
    assert "round-no-expressions" in stats["screenshots"], (stats["screenshots"], result.stderr[-2000:])
    print(f"\nthe child saw: {stats['screenshots']['round-no-expressions']}")
