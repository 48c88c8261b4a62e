"""`emotion-game levels check` and `levels new`, run as a teacher runs them: a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.levels.helpers import ASSETS, CLI, LEVELS, copy_levels


def emotion_game(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    program = CLI if CLI.exists() else Path(sys.executable).with_name("emotion-game")
    if not program.exists():
        pytest.fail(f"{program} is missing: install the package with tools/setup.sh")
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run([str(program), *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


def test_check_passes_on_the_shipped_levels():
    done = emotion_game("levels", "check", str(LEVELS))
    assert done.returncode == 0, done.stdout + done.stderr
    for file in LEVELS.glob("*.toml"):
        assert file.stem in done.stdout
    assert "All good" in done.stdout


def test_check_fails_on_a_broken_copy_and_still_lists_the_others(tmp_path):
    folder = copy_levels(tmp_path / "levels")
    target = folder / "story-time.toml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('picture = "faces/sad-2.png"', 'picture = "faces/sad2.png"'), encoding="utf-8")
    line = text.splitlines().index('picture = "faces/sad-2.png"') + 1
    done = emotion_game("levels", "check", str(folder), "--assets", str(ASSETS))
    assert done.returncode == 1, done.stdout
    assert f"story-time.toml, line {line}, round 2, picture" in done.stdout
    assert 'Did you mean "faces/sad-2.png"?' in done.stdout
    ok_lines = [row for row in done.stdout.splitlines() if row.strip().startswith("OK")]
    assert len(ok_lines) == len(list(LEVELS.glob("*.toml"))) - 1
    assert "story-time" not in "".join(ok_lines)


def test_check_of_one_file_and_of_a_missing_folder(tmp_path):
    assert emotion_game("levels", "check", str(LEVELS / "meet-happy.toml")).returncode == 0
    done = emotion_game("levels", "check", str(tmp_path / "nowhere"))
    assert done.returncode == 1 and "no such folder" in done.stdout


def test_new_writes_a_level_that_passes_and_never_overwrites(tmp_path):
    from game.levels import DEFAULT_ASSETS_DIR, load_levels

    folder = copy_levels(tmp_path / "levels")
    last = max(load_levels(folder, DEFAULT_ASSETS_DIR).levels, key=lambda level: level.order)
    done = emotion_game("levels", "new", "happy-animals", "--dir", str(folder), "--emotion", "fear")
    assert done.returncode == 0, done.stdout + done.stderr
    created = folder / "happy-animals.toml"
    text = created.read_text(encoding="utf-8")
    assert 'emotion = "fear"' in text and f'after = "{last.id}"' in text   # after the last level
    check = emotion_game("levels", "check", str(folder))
    assert check.returncode == 0, check.stdout
    created.write_text(text + "# my edits\n", encoding="utf-8")
    again = emotion_game("levels", "new", "happy-animals", "--dir", str(folder))
    assert again.returncode == 1 and "already exists" in again.stdout
    assert created.read_text(encoding="utf-8").endswith("# my edits\n")


def test_new_refuses_a_bad_id_and_suggests_one(tmp_path):
    done = emotion_game("levels", "new", "Happy Animals!", "--dir", str(tmp_path))
    assert done.returncode == 1
    assert "emotion-game levels new happy-animals" in done.stdout
    assert list(tmp_path.iterdir()) == []
