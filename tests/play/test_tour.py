"""A tour of every scene in both languages, with a camera picture, saving a screenshot of each
(set EMOTION_GAME_KEEP_SHOTS=1 to keep them in tests/play/screenshots/<lang>/ for review)."""

from __future__ import annotations

import os
from dataclasses import replace

import numpy as np
import pygame
import pytest

from game.levels import DEFAULT_ASSETS_DIR, DEFAULT_LEVELS_DIR, load_levels
from game.progress import open_store
from tests.conftest import REPO
from tests.play.harness import Driver, make_game
from tests.play.observations import obs

EXPECTED = {"welcome", "choose", "calibrate", "calibrate-thanks", "map", "round-intro", "round-play",
            "round-holding", "celebrate", "round-no-face", "round-many-faces", "round-looking-away",
            "round-encourage", "summary", "teacher", "gate"}


def camera_picture() -> np.ndarray:
    """A calm stand-in camera picture: a wall, a window and a face-like oval (no real person)."""
    picture = np.full((240, 320, 3), (205, 196, 180), np.uint8)
    picture[180:] = (150, 120, 90)
    picture[30:90, 20:90] = (190, 215, 230)
    yy, xx = np.mgrid[0:240, 0:320]
    face = ((xx - 160) / 55.0) ** 2 + ((yy - 110) / 70.0) ** 2 <= 1.0
    picture[face] = (232, 190, 160)
    return picture


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_scene_renders(lang, tmp_path):

    keep = os.environ.get("EMOTION_GAME_KEEP_SHOTS")
    shots = REPO / "tests" / "play" / "screenshots" / lang if keep else tmp_path / "shots"
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    for name, avatar in [("Ana", "cat"), ("Budi", "lion"), ("Citra", "owl"), ("Dewi", "panda"), ("Eko", "frog"),
                         ("Fajar", "")]:
        store.add_child(name, avatar)
    levels = load_levels(DEFAULT_LEVELS_DIR, DEFAULT_ASSETS_DIR).levels
    game = make_game(store, levels, screenshot_dir=shots, lang=lang)
    picture = camera_picture()

    def camera(emotion=None, p=0.0, **kwargs):
        face = (240, 110, 150, 190) if kwargs.get("n_faces", 1) else None
        return lambda now: replace(obs(now, emotion, p, **kwargs), preview=picture, face_box=face)

    d = Driver(game)
    try:
        game.replace("welcome")
        d.run(1.0)
        d.press(pygame.K_RETURN)
        d.run(1.0)
        d.source = camera("happy", 0.3)
        d.click(game.scene.buttons.buttons[0].rect.center)
        d.run(6.0, until=lambda g: g.scene.screenshot_key == "calibrate-thanks")
        d.run(2.5)
        assert d.scene == "map"
        d.press(pygame.K_RETURN)
        d.run(1.6)
        d.source = camera("happy", 0.45)
        d.run(1.0)
        d.source = camera("happy", 0.85)
        d.run(3.0, until=lambda g: g.scene.name == "celebrate")
        d.run(3.5, until=lambda g: g.scene.name == "round")
        d.run(1.3)
        for state in ({"n_faces": 0}, {"n_faces": 2}, {"looking_away": True}):
            d.source = camera("happy", 0.5, **state)
            d.run(1.2)
        d.source = camera("happy", 0.3)
        d.run(40, until=lambda g: g.scene.screenshot_key == "round-encourage")
        d.run(0.5)
        d.press(pygame.K_RIGHT)
        d.press(pygame.K_RETURN)                    # "next"
        d.source = camera("happy", 0.9)
        d.run(8, until=lambda g: g.scene.name == "summary")
        d.run(2.0)
        game.open_teacher()
        d.run(0.5)
        d.press(pygame.K_ESCAPE)
        game.push("gate")
        d.run(0.5)
    finally:
        game.close()
        store.close()
    names = {p.stem.split("-", 1)[1] for p in shots.glob("*.png")}
    assert EXPECTED <= names, EXPECTED - names
