"""`play --screenshots` keeps the child's face off the disk (issue 17, item 9): by default the
camera view in a screenshot is a stand-in figure; only --screenshots-camera puts the camera
picture in. The window itself shows the child their picture either way. Real Game, real
pygame (dummy driver), the saved PNG files read back."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pygame

from game.play.build import build_game
from game.play.commands import options_from_args
from game.progress import open_store
from tests.faults.kiosk import two_levels
from tests.play.harness import Driver, game_options
from tests.play.observations import obs

#: A colour nothing in the game's theme uses: where it shows, the camera picture shows.
CAMERA_COLOUR = (255, 0, 255)


def camera_pixels(surface: pygame.Surface) -> int:
    pixels = pygame.surfarray.array3d(surface)
    return int(np.all(pixels == CAMERA_COLOUR, axis=-1).sum())


def play_a_round(tmp_path, screenshots_camera: bool):
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    levels = two_levels(tmp_path / "levels")
    shots = tmp_path / "shots"
    options = replace(game_options(store, levels, screenshot_dir=shots), screenshots_camera=screenshots_camera,
                      calibrate=False)
    game = build_game(options, note=lambda text: None)
    picture = np.zeros((240, 320, 3), np.uint8)
    picture[:] = CAMERA_COLOUR
    driver = Driver(game)
    driver.source = lambda now: replace(obs(now, "happy", 0.2), preview=picture)
    game.choose_child(store.get_or_create_child("Ana"))
    driver.run(0.3)
    game.start_level(levels[0])
    driver.run(6.0, until=lambda g: "round-play" in g.screenshots)
    window_pixels = camera_pixels(game.canvas)
    game.close()
    store.close()
    return game.screenshots, window_pixels


def test_screenshots_leave_the_camera_picture_out_by_default(tmp_path):
    shots, window_pixels = play_a_round(tmp_path, screenshots_camera=False)
    assert "round-play" in shots, shots
    assert window_pixels > 10_000                     # the child sees their picture
    for key, path in shots.items():
        assert camera_pixels(pygame.image.load(str(path))) == 0, f"{key}: the camera picture is in {path}"


def test_screenshots_camera_puts_it_in_when_asked(tmp_path):
    shots, _ = play_a_round(tmp_path, screenshots_camera=True)
    assert camera_pixels(pygame.image.load(str(shots["round-play"]))) > 10_000


def test_the_command_line_opts_in_only_with_its_own_flag():
    from game.cli import build_parser

    parser = build_parser()
    assert options_from_args(parser.parse_args(["play", "--screenshots", "x"])).screenshots_camera is False
    opted = options_from_args(parser.parse_args(["play", "--screenshots", "x", "--screenshots-camera"]))
    assert opted.screenshots_camera is True
    help_text = " ".join(parser._subparsers._group_actions[0].choices["play"].format_help().split())
    assert "not the child" in help_text
