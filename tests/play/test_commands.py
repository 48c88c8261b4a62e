"""`emotion-game play` options: bad input gets a clear message and a non-zero exit, no window."""

from __future__ import annotations

import pygame

from game.cli import build_parser, main
from game.play.play_settings import parse_camera
from tests.play.harness import LEVEL_ONE


def test_play_options_parse():
    args = build_parser().parse_args(["play", "--camera", "clip.mp4", "--child", "Ana", "--level", "meet-happy",
                                      "--lang", "id", "--windowed", "--mute", "--seconds", "3", "--db",
                                      "sqlite:///x.db", "--screenshots", "shots", "--fps", "30"])
    assert (args.camera, args.child, args.level, args.lang, args.windowed, args.mute, args.seconds, args.fps) == \
        ("clip.mp4", ["Ana"], "meet-happy", "id", True, True, 3.0, 30)
    assert parse_camera("0") == 0 and parse_camera(" 2 ") == 2 and parse_camera("clip.mp4") == "clip.mp4"


def test_unknown_level_id_suggests_the_closest(tmp_path, capsys):
    code = main(["play", "--level", "meet-hapy", "--db", f"sqlite:///{tmp_path / 'p.db'}", "--seconds", "1"])
    assert code == 2
    assert 'there is no level "meet-hapy". Did you mean "meet-happy"?' in capsys.readouterr().err
    assert not pygame.display.get_init() or pygame.display.get_surface() is None


def test_broken_level_file_lists_its_problems(tmp_path, capsys):
    broken = tmp_path / "test-one.toml"
    broken.write_text(LEVEL_ONE.replace('emotion = "sad"', 'emotion = "scared"'))
    code = main(["play", "--level", str(broken), "--db", f"sqlite:///{tmp_path / 'p.db'}", "--seconds", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot be played" in err and '"scared"' in err and "fear" in err


def test_missing_level_file(tmp_path, capsys):
    assert main(["play", "--level", str(tmp_path / "nope.toml"), "--seconds", "1"]) == 2
    assert "not found" in capsys.readouterr().err


def test_quick_start_from_a_level_file_runs_headless(tmp_path, capsys):
    """--child and --level (a file path) skip the menus; --seconds ends the run; the new child exists."""
    level = tmp_path / "test-one.toml"
    level.write_text(LEVEL_ONE)
    db = tmp_path / "p.db"
    stats = tmp_path / "stats.json"
    code = main(["play", "--camera", str(tmp_path / "no-such-video.mp4"), "--child", "Nadia", "--level", str(level),
                 "--seconds", "2.5", "--db", f"sqlite:///{db}", "--screenshots", str(tmp_path / "shots"),
                 "--stats", str(stats), "--windowed"])
    assert code == 0, capsys.readouterr().err
    from game.progress import open_store

    with open_store(f"sqlite:///{db}") as store:
        assert [c.name for c in store.list_children()] == ["Nadia"]
    shots = sorted(p.name for p in (tmp_path / "shots").glob("*.png"))
    assert shots and shots[0].endswith("calibrate.png")        # a new child calibrates first
    assert "ui frame ms" in capsys.readouterr().err
