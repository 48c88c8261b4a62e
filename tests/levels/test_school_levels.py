"""A school's own levels folder, on top of the shipped levels (the settings' levels_folders)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from game.levels import load_levels
from tests.levels.helpers import ASSETS, LEVELS

REPO = Path(__file__).resolve().parents[2]

SCHOOL_LEVEL = '''\
id = "class-2b-happy"
order = 20
title = { en = "Class 2B Smiles", id = "Senyum Kelas 2B" }
unlock = { after = "more-stories" }

[[rounds]]
emotion = "happy"
picture = "faces/happy-2.png"
prompt = { en = "Smile like our class!", id = "Tersenyumlah seperti kelas kita!" }
'''


def school_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "school-levels"
    folder.mkdir()
    (folder / "class-2b-happy.toml").write_text(SCHOOL_LEVEL, encoding="utf-8")
    return folder


def test_a_school_folder_plays_together_with_the_shipped_levels(tmp_path):
    school = school_folder(tmp_path)
    level_set = load_levels([LEVELS, school], ASSETS)
    assert level_set.problems == []
    ids = [level.id for level in level_set.levels]
    assert ids[-1] == "class-2b-happy" and len(ids) == len(list(LEVELS.glob("*.toml"))) + 1
    assert level_set.get("class-2b-happy").unlock.after == "more-stories"   # unlocks across folders


def test_an_id_taken_by_a_shipped_level_is_named_with_its_file(tmp_path):
    school = school_folder(tmp_path)
    (school / "meet-happy.toml").write_text((LEVELS / "meet-happy.toml").read_text(encoding="utf-8"), encoding="utf-8")
    level_set = load_levels([LEVELS, school], ASSETS)
    (problem,) = level_set.problems
    assert problem.file == school / "meet-happy.toml"
    assert str(LEVELS / "meet-happy.toml") in problem.message


def test_levels_check_reads_the_settings_folders(tmp_path):
    school = school_folder(tmp_path)
    settings = tmp_path / "settings.toml"
    settings.write_text(f'levels_folders = ["{school}"]\n', encoding="utf-8")
    env = {**os.environ, "EMOTION_GAME_SETTINGS": str(settings)}
    done = subprocess.run([sys.executable, "-m", "game.cli", "levels", "check"], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "class-2b-happy" in done.stdout and "meet-happy" in done.stdout
    assert f" and {school}" in done.stdout.splitlines()[0]
