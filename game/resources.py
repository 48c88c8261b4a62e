"""Where the shipped data lives: the model and its card, the levels and the assets.

In a repository checkout they are the top-level `models/`, `levels/` and `assets/` folders;
in an installed wheel they travel inside the package as `game/_data/<name>/` (see
pyproject.toml) and are found with importlib.resources. Every part of the game asks here, so
no module guesses paths from its own location.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The shipped data folders, by name.
DATA_FOLDERS = ("models", "levels", "assets")


def data_dir(name: str) -> Path:
    """The folder of shipped data `name` (one of DATA_FOLDERS)."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}; the game ships {', '.join(DATA_FOLDERS)}")
    packed = resources.files("game") / "_data" / name
    if packed.is_dir():
        # An installed wheel: a real folder on disk (wheels install unzipped).
        return Path(str(packed))
    return Path(__file__).resolve().parents[1] / name


def models_dir() -> Path:
    return data_dir("models")


def levels_dir() -> Path:
    return data_dir("levels")


def assets_dir() -> Path:
    return data_dir("assets")
