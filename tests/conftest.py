"""Shared test fixtures: paths to the repo and the shared FER-2013 data, made videos."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO = Path(__file__).resolve().parents[1]
FER_ROOT = Path(os.environ.get("EMOTION_GAME_FER", REPO.parent / "shared" / "data" / "fer2013"))
FERPLUS_ROOT = Path(os.environ.get("EMOTION_GAME_FERPLUS", REPO.parent / "shared" / "data" / "ferplus"))
MODEL = REPO / "models" / "expression.tflite"


def fer_split(name: str) -> Path:
    path = FER_ROOT / name
    if not path.is_dir():
        pytest.skip(f"FER-2013 data not found at {path} (set EMOTION_GAME_FER or place ../shared/data/fer2013)")
    return path


@pytest.fixture(scope="session")
def ferplus_root() -> Path:
    if not (FERPLUS_ROOT / "labels.csv").is_file():
        pytest.skip(f"FER+ data not found at {FERPLUS_ROOT} (set EMOTION_GAME_FERPLUS or place ../shared/data/ferplus)")
    return FERPLUS_ROOT


@pytest.fixture(scope="session")
def fer_val() -> Path:
    return fer_split("val")


@pytest.fixture(scope="session")
def fer_train() -> Path:
    return fer_split("train")


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.is_file():
        pytest.fail(f"{MODEL} is missing: the trained model must be committed")
    return MODEL
