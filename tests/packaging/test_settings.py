"""The settings file: read from the platform's config folder, overridden by the command line,
a bad value named (file, key, fix) while the game starts on the defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import build_parser
from game.settings import Settings, load_settings, settings_path

REPO = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "EMOTION_GAME_SETTINGS"}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", **extra)
    return env


def test_the_file_lives_in_the_platform_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("EMOTION_GAME_SETTINGS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert settings_path() == tmp_path / "cfg" / "emotion-game" / "settings.toml"
    loaded = load_settings()
    assert not loaded.exists and loaded.values == Settings() and not loaded.problems


def test_every_setting_is_read(tmp_path):
    file = write(tmp_path / "settings.toml", """
language = "id"
camera = "/dev/video2"
database_url = "postgresql://kiosk@server/school"
teacher_pin = "2468"
levels_folders = ["/srv/school-levels", "/srv/more"]
speech = false
voice_rate = 110
""")
    loaded = load_settings(file)
    assert loaded.problems == []
    v = loaded.values
    assert (v.language, v.camera, v.database_url, v.teacher_pin, v.speech, v.voice_rate) == (
        "id", "/dev/video2", "postgresql://kiosk@server/school", "2468", False, 110)
    assert v.levels_folders == (Path("/srv/school-levels"), Path("/srv/more"))


def test_a_bad_value_is_named_and_only_that_key_falls_back(tmp_path):
    file = write(tmp_path / "settings.toml", 'language = "fr"\nvoice_rate = "fast"\nteacher_pin = 12\n'
                                             'camera = 1\nlevels_folder = "/srv/x"\nspeech = "maybe"\n')
    loaded = load_settings(file)
    by_key = {key: [p for p in loaded.problems if f" {key} " in p or f'"{key}"' in p]
              for key in ("language", "voice_rate", "teacher_pin", "levels_folder", "speech")}
    for key, problems in by_key.items():
        assert len(problems) == 1, (key, loaded.problems)
        assert str(file) in problems[0]
    assert "en, id" in by_key["language"][0] and 'language = "id"' in by_key["language"][0]
    assert "whole number" in by_key["voice_rate"][0] and "voice_rate = 130" in by_key["voice_rate"][0]
    assert "4 to 8 digits" in by_key["teacher_pin"][0]
    assert 'did you mean "levels_folders"' in by_key["levels_folder"][0]
    assert "true or false" in by_key["speech"][0]
    assert len(loaded.problems) == 5
    # the bad keys are defaults, the good one (camera = 1) is kept
    assert loaded.values.language == "en" and loaded.values.voice_rate == 130 and loaded.values.teacher_pin is None
    assert loaded.values.camera == "1" and loaded.values.speech is True
    assert loaded.from_file == {"camera"}


def test_broken_toml_means_defaults_and_a_message_with_the_line(tmp_path):
    file = write(tmp_path / "settings.toml", 'language = "id"\ncamera = /dev/video0\n')
    loaded = load_settings(file)
    assert loaded.values == Settings()
    assert len(loaded.problems) == 1 and str(file) in loaded.problems[0] and "line 2" in loaded.problems[0]


def test_the_settings_are_the_play_defaults_and_the_command_line_wins(tmp_path):
    file = write(tmp_path / "settings.toml", 'language = "id"\ncamera = "clip.mp4"\nspeech = false\n'
                                             'database_url = "sqlite:////tmp/x.db"\nteacher_pin = "1357"\n'
                                             'levels_folders = ["/srv/levels"]\nvoice_rate = 100\n')
    parser = build_parser(load_settings(file))
    args = parser.parse_args(["play"])
    assert (args.lang, args.camera, args.mute, args.db) == ("id", "clip.mp4", True, "sqlite:////tmp/x.db")
    assert (args.teacher_pin, args.voice_rate, args.levels_folders) == ("1357", 100, [Path("/srv/levels")])
    args = parser.parse_args(["play", "--lang", "en", "--camera", "2", "--db", "sqlite:////tmp/y.db"])
    assert (args.lang, args.camera, args.db) == ("en", "2", "sqlite:////tmp/y.db")
    # without a file, the play options keep their own defaults
    plain = build_parser(load_settings(tmp_path / "none.toml")).parse_args(["play"])
    assert (plain.lang, plain.camera, plain.mute, plain.db) == ("en", "0", False, None)


def test_settings_command_prints_the_path_and_the_values_in_force(tmp_path):
    env = cli_env(tmp_path)
    path = write(tmp_path / "config" / "emotion-game" / "settings.toml", 'language = "id"\nvoice_rate = 500\n')
    result = subprocess.run([sys.executable, "-m", "game.cli", "settings"], capture_output=True, text=True,
                            cwd=REPO, env=env, timeout=60)
    assert result.returncode == 1, result.stderr   # a problem to fix
    lines = result.stdout.splitlines()
    assert lines[0] == f"Settings file: {path}"
    assert any(line.strip().startswith('language = "id"') and "from the file" in line for line in lines)
    assert any(line.strip().startswith("voice_rate = 130") and "default" in line for line in lines)
    assert any("voice_rate = 500" in line and "between 60 and 300" in line for line in lines)
    path.write_text('language = "id"\n')
    result = subprocess.run([sys.executable, "-m", "game.cli", "settings"], capture_output=True, text=True,
                            cwd=REPO, env=env, timeout=60)
    assert result.returncode == 0 and "problem" not in result.stdout


@pytest.mark.slow
def test_the_game_starts_on_defaults_with_a_bad_settings_file(tmp_path):
    write(tmp_path / "config" / "emotion-game" / "settings.toml", 'language = "klingon"\nspeech = "loud"\n')
    frames = tmp_path / "camera"
    frames.mkdir()
    import cv2
    import numpy as np

    for i in range(3):
        cv2.imwrite(str(frames / f"{i}.png"), np.full((120, 160, 3), 90, np.uint8))
    result = subprocess.run([sys.executable, "-m", "game.cli", "play", "--camera", str(frames), "--seconds", "2",
                             "--windowed", "--db", f"sqlite:///{tmp_path / 'p.sqlite3'}"],
                            capture_output=True, text=True, cwd=REPO, env=cli_env(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    problems = [line for line in result.stderr.splitlines() if line.startswith("settings: ")]
    assert len(problems) == 2 and all("settings.toml" in line for line in problems), result.stderr
