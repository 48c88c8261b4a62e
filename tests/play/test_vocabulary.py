"""A third language is declared in one place: with one more `Language` in game/vocabulary.py,
every level text must give it, and `levels check`'s loader names each level that lacks it."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

DECLARE_MALAY = """
from game import vocabulary
vocabulary.LANGUAGES += (vocabulary.Language("ms", "Bahasa Melayu", "Malay"),)
vocabulary.LANGUAGE_CODES += ("ms",)
from game.levels import load_levels
from game.resources import assets_dir, levels_dir
level_set = load_levels(levels_dir(), assets_dir())
for problem in level_set.problems:
    print(problem.file.name, problem.field, problem.message)
print("levels loaded:", len(level_set.levels))
"""


def test_a_declared_third_language_is_asked_of_every_shipped_level():
    result = subprocess.run([sys.executable, "-c", DECLARE_MALAY], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[-1] == "levels loaded: 0", lines[-5:]          # none has Malay text yet
    shipped = {p.name for p in (REPO / "levels").glob("*.toml")}
    named = {line.split()[0] for line in lines if "title.ms The Bahasa Melayu text is missing." in line}
    assert named == shipped
