"""One `build_game` for everybody: the test harness and `emotion-game play` build the game with
the same round rules, taken from the shipped model card (its level_threshold_scale), and the
window shows the whole logical canvas on screens of other shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pygame
import pytest

from game.cli import build_parser
from game.play.build import build_game
from game.play.commands import options_from_args
from game.play.screen import Screen
from game.progress import open_store
from game.resources import models_dir
from tests.conftest import REPO
from tests.play.harness import game_options, make_game


def test_the_harness_and_the_cli_build_the_same_rules_as_the_model_card_says(tmp_path):
    card = json.loads((models_dir() / "expression.json").read_text())   # read here, not through the game
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    cli_options = options_from_args(build_parser().parse_args(["play", "--db", f"sqlite:///{tmp_path / 'p.sqlite3'}"]))
    # the CLI's own options, drawn off-screen and without a camera, so no window or webcam is needed
    cli_options.window, cli_options.camera = "offscreen", None
    cli_game = build_game(cli_options, note=lambda text: None)
    harness_game = make_game(store, list(cli_game.levels))
    try:
        assert harness_game.rules == cli_game.rules
        assert dict(cli_game.rules.threshold_scale) == card["level_threshold_scale"]
        assert harness_game.labels == cli_game.labels == tuple(card["labels"])
        assert harness_game.settings.difficulty == cli_game.settings.difficulty
        # a sad round at a level's 0.5 is judged at the card's scale, in both
        level = next(lv for lv in cli_game.levels if "sad" in lv.emotions)
        rnd = next(r for r in level.rounds if r.emotion == "sad")
        for game in (cli_game, harness_game):
            spec = game.rules.spec("sad", rnd.threshold, rnd.hold_s, rnd.time_limit_s,
                                   difficulty=game.settings.difficulty, baseline=None)
            assert spec.threshold == pytest.approx(rnd.threshold * card["level_threshold_scale"]["sad"], abs=1e-4)
    finally:
        harness_game.close()
        cli_game.close()
        cli_game.store.store.close()
        store.close()
    assert game_options(store, []).model is None == cli_options.model is None   # both: the shipped model


@pytest.mark.parametrize("window", [(1280, 800), (1920, 1080), (1024, 768)])
def test_a_screen_of_another_shape_shows_the_whole_canvas_and_maps_taps_back(window):
    pygame.display.init()
    size = (1280, 720)
    screen = Screen(size, pygame.Surface(window))
    canvas = screen.canvas
    assert canvas.get_size() == size and canvas is not screen.window
    canvas.fill((0, 0, 255))
    for corner, colour in (((0, 0), (255, 0, 0)), ((size[0] - 8, 0), (0, 255, 0)),
                           ((0, size[1] - 8), (255, 255, 0)), ((size[0] - 8, size[1] - 8), (255, 0, 255))):
        canvas.fill(colour, pygame.Rect(corner, (8, 8)))
    screen.present()
    area = screen.area
    assert screen.window.get_rect().contains(area)
    assert area.width == window[0] or area.height == window[1]           # as large as it fits
    # every corner of the canvas is on the screen, at the corners of the shown area
    win = screen.window
    assert tuple(win.get_at((area.left + 1, area.top + 1)))[:3] == (255, 0, 0)
    assert tuple(win.get_at((area.right - 2, area.top + 1)))[:3] == (0, 255, 0)
    assert tuple(win.get_at((area.left + 1, area.bottom - 2)))[:3] == (255, 255, 0)
    assert tuple(win.get_at((area.right - 2, area.bottom - 2)))[:3] == (255, 0, 255)
    # taps land where they were drawn: the window's middle is the canvas's middle
    x, y = screen.to_canvas(area.center)
    assert abs(x - size[0] / 2) <= 2 and abs(y - size[1] / 2) <= 2
    event = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(area.left, area.bottom - 1), button=1)
    assert screen.event_pos(event)[0] <= 1 and screen.event_pos(event)[1] >= size[1] - 2


@pytest.mark.parametrize("window", ["1280,800", "1920,1080"])
def test_the_real_game_in_a_window_of_another_shape_shows_the_bottom_and_the_teacher_corner(tmp_path, window):
    """The game in a window resized to a 1280x800 or a 1920x1080 screen (as the window manager
    does it: the window changes size and says so with VIDEORESIZE): the caption along the
    bottom is on the screen, and a press in the screen's bottom-left corner opens the
    grown-ups' question."""
    code = f"""
import pygame, sys
from game.play.build import GameOptions, build_game
from game.progress import open_store
store = open_store("sqlite:///{tmp_path / 'p.sqlite3'}")
store.add_child("Ana", "cat")
game = build_game(GameOptions(camera=None, store=store, mute=True, window="windowed"), note=lambda t: None)
pygame.display.set_mode(({window}), pygame.RESIZABLE)
game.replace("welcome")
now = 0.0
game.step([pygame.event.Event(pygame.VIDEORESIZE, size=({window}), w={window.split(",")[0]}, h={window.split(",")[1]})], now)
assert game.screen.window.get_size() == ({window}) and game.canvas.get_size() == (1280, 720)
for _ in range(10):
    game.step([], now); game.screen.present(); now += 0.1
area = game.screen.area
win = pygame.display.get_surface()
caption_row = [tuple(win.get_at((x, area.bottom - 40)))[:3] for x in range(area.left, area.right, 7)]
white = (255, 255, 255)
assert white in caption_row, "the caption box along the bottom is not on the screen"
corner = (area.left + 4, area.bottom - 4)
game.step([pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=corner, button=1)], now)
for _ in range(25):
    now += 0.1; game.step([], now)
assert game.scene.name == "gate", game.scene.name
game.close(); store.close()
print("ok", area)
"""
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-2000:]
