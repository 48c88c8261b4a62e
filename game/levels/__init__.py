"""Levels as data: the schema, the loader and the checker for the TOML files in levels/.

    from game.levels import load_levels, DEFAULT_LEVELS_DIR, DEFAULT_ASSETS_DIR
    level_set = load_levels(DEFAULT_LEVELS_DIR, DEFAULT_ASSETS_DIR)
    for level in level_set.levels: ...        # sorted by order, ready to play
    for problem in level_set.problems: ...    # what a teacher should fix, str() reads well

This package knows nothing of pygame: it only reads files and returns frozen pydantic objects.
"""

from pathlib import Path

from game.levels.loader import load_level_file, load_levels
from game.levels.model import (
    EMOTIONS,
    MAX_STARS,
    MODES,
    Level,
    LevelError,
    LevelProblem,
    LevelSet,
    Localized,
    Round,
    Unlock,
)
from game.resources import assets_dir, levels_dir

#: The level files shipped with the game (inside an installed wheel, or the checkout's levels/).
DEFAULT_LEVELS_DIR: Path = levels_dir()
#: Pictures, sounds, fonts and icons; every picture a level names must be inside it.
DEFAULT_ASSETS_DIR: Path = assets_dir()

__all__ = [
    "DEFAULT_ASSETS_DIR", "DEFAULT_LEVELS_DIR", "EMOTIONS", "MAX_STARS", "MODES", "Level", "LevelError",
    "LevelProblem", "LevelSet", "Localized", "Round", "Unlock", "load_level_file", "load_levels",
]
