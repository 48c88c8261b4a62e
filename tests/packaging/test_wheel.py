"""The wheel plays: built from the sources, installed into a fresh venv outside the checkout.

What a school's IT person does (`pip install emotion_game-*.whl`), without re-downloading
the big dependencies: the fresh venv gets the wheel itself through pip (`--no-deps
--no-index`), and a path file lends it the site-packages of the interpreter running the tests
for numpy, MediaPipe, pygame and the rest. Only plain paths go in that file, so the checkout's
editable install (a finder run from a .pth inside those site-packages) is NOT activated: the
`game` package the venv imports is the wheel's, and everything it finds, it finds inside it.
Offline and a few minutes at most, so CI runs it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: What the build reads: the project files and the shipped data they pack.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "README.md", "game", "models", "levels", "assets")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the sources (a stale build/ in the checkout cannot leak in)."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, source / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        else:
            shutil.copy2(src, source / name)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                             "--disable-pip-version-check", "-q", "-w", str(out), str(source)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = out.glob("emotion_game-*.whl")
    return built


@pytest.fixture(scope="module")
def school_venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv, outside the checkout, with the wheel installed by pip."""
    home = tmp_path_factory.mktemp("school") / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(home)
    python = home / "bin" / "python"
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                             "--no-index", "--disable-pip-version-check", "-q", str(wheel)],
                            capture_output=True, text=True, timeout=300, cwd=home.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    # Lend the dependencies (plain paths only: no .pth inside them runs, so no editable finder).
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    lent = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_lent_dependencies.pth").write_text("\n".join(sorted(lent)) + "\n")
    return home


def venv_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", HOME=str(tmp),
               XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"),
               XDG_CACHE_HOME=str(tmp / "cache"), XDG_STATE_HOME=str(tmp / "state"))
    return env


def test_the_wheel_carries_the_model_levels_and_assets(wheel):
    with zipfile.ZipFile(wheel) as packed:
        names = set(packed.namelist())
    for source in ("models/expression.tflite", "models/expression.json", "levels/meet-happy.toml",
                   "assets/ui/en.toml", "assets/faces/happy-1.png", "assets/fonts/Andika-Regular.ttf",
                   "assets/speech/pronunciations.toml"):
        assert f"game/_data/{source}" in names, source
    shipped_levels = {p.name for p in (REPO / "levels").glob("*.toml")}
    assert {Path(n).name for n in names if n.startswith("game/_data/levels/")} >= shipped_levels
    assert not any("/." in n or "__pycache__" in n for n in names)


def test_installed_game_finds_its_data_inside_the_venv(school_venv, tmp_path):
    python = school_venv / "bin" / "python"
    probe = ("import game, game.resources as r, game.levels as lv; "
             "print(game.__file__); print(r.models_dir()); print(r.levels_dir()); print(r.assets_dir()); "
             "print(lv.DEFAULT_LEVELS_DIR)")
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                            env=venv_env(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr
    lines = [Path(line) for line in result.stdout.split()]
    for path in lines:
        assert path.is_relative_to(school_venv), (path, school_venv)   # the wheel's, not the checkout's
    assert (lines[1] / "expression.tflite").is_file() and (lines[3] / "ui" / "en.toml").is_file()


def test_installed_levels_check_passes_on_the_shipped_levels(school_venv, tmp_path):
    result = subprocess.run([str(school_venv / "bin" / "emotion-game"), "levels", "check"], capture_output=True,
                            text=True, cwd=tmp_path, env=venv_env(tmp_path), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "meet-happy" in result.stdout and "All good" in result.stdout


@pytest.mark.slow
def test_installed_wheel_plays_a_headless_round(school_venv, tmp_path, fer_val, model_path):
    from tools.make_test_video import make_video

    video, _ = make_video("neutral:5,happy:10,neutral:3", fer_val, tmp_path / "camera.mp4", fps=15,
                          confident_model=model_path, min_prob=0.8, seed=3)
    db = tmp_path / "progress.sqlite3"
    result = subprocess.run([str(school_venv / "bin" / "emotion-game"), "play", "--camera", str(video),
                             "--child", "Ani", "--level", "meet-happy", "--seconds", "16", "--mute",
                             "--db", f"sqlite:///{db}"],
                            capture_output=True, text=True, cwd=tmp_path, env=venv_env(tmp_path), timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "face detection only" not in result.stderr, result.stderr[-3000:]   # the packed model loaded
    with sqlite3.connect(db) as conn:
        children = [row[0] for row in conn.execute("SELECT name FROM children")]
        attempts = list(conn.execute("SELECT emotion, outcome FROM attempts"))
    assert children == ["Ani"]
    assert attempts and attempts[0][0] == "happy", (attempts, result.stderr[-2000:])
