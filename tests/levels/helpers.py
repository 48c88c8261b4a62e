"""Shared helpers for the level tests: paths, a copy of the shipped levels, the smallest level
file, and a TOML writer."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

from game.levels import DEFAULT_ASSETS_DIR, DEFAULT_LEVELS_DIR

REPO = Path(__file__).resolve().parents[2]
LEVELS = DEFAULT_LEVELS_DIR
ASSETS = DEFAULT_ASSETS_DIR
CLI = REPO / ".venv" / "bin" / "emotion-game"

#: The smallest level that loads: one happy round. Fill in `id` and `picture` with
#: str.format; a test breaks a copy of it to see one mistake on its own.
MINIMAL = '''\
id = "{id}"
order = 1
title = {{ en = "Test", id = "Uji" }}

[[rounds]]
emotion = "happy"
picture = "{picture}"
prompt = {{ en = "Smile!", id = "Senyum!" }}
'''

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def copy_levels(target: Path) -> Path:
    """A private copy of the shipped level files, to break without harm."""
    target.mkdir(parents=True, exist_ok=True)
    for file in LEVELS.glob("*.toml"):
        shutil.copy(file, target / file.name)
    return target


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def toml_value(value: object) -> str:
    """A value as inline TOML. Tests only: covers what the fuzzers generate."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def to_toml(data: dict) -> str:
    """A document with one top-level `key = value` line per key (tables written inline)."""
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in data.items())
