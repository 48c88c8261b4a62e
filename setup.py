"""The one build step pyproject.toml cannot say: pack the shipped data into the wheel.

The repository keeps the model, the levels and the assets at its top level (`models/`,
`levels/`, `assets/`: the source of what is packed). A wheel carries them inside the package
as `game/_data/<name>/`, where `game.resources` finds them with importlib.resources. The
folders are mapped in as data-only packages (package-dir + package-data, below). That needs
the package list written out, which `[tool.setuptools.packages.find]` cannot extend, so the
game's own packages are still found here: a new sub-package under game/ is picked up without
editing this file. Everything else about the project is in pyproject.toml.
"""

from setuptools import find_packages, setup

#: Top-level data folder -> the files of it that a playing game needs (hidden files, such as
#: training checkpoints under models/.ckpt-*, are never matched by these globs).
SHIPPED_DATA = {
    "models": ["*.tflite", "*.json"],
    "levels": ["*.toml", "*.md"],
    "assets": ["**/*"],
}

setup(
    packages=find_packages(include=["game", "game.*"]) + [f"game._data.{name}" for name in SHIPPED_DATA],
    package_dir={f"game._data.{name}": name for name in SHIPPED_DATA},
    package_data={**{f"game._data.{name}": patterns for name, patterns in SHIPPED_DATA.items()},
                  # the teacher report's Jinja2 templates (found with importlib.resources)
                  "game.progress": ["templates/*"]},
)
