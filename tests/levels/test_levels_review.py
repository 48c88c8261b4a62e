"""What `levels check` used to miss: warnings for files that still work (the same order twice,
another emotion's picture, untranslated text, the scaffold's title), and two wrong messages
(a misspelled `promt` also reporting "speech is missing"; "surprise" answered with "fear").
`levels preview` plays a level from a made camera."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.levels import load_level_file
from game.levels.commands import made_camera
from tests.levels.helpers import ASSETS, LEVELS, copy_levels

REPO = Path(__file__).resolve().parents[2]


def check(folder: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "EMOTION_GAME_SETTINGS"}
    return subprocess.run([sys.executable, "-m", "game.cli", "levels", "check", str(folder), "--assets", str(ASSETS)],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=120)


def edit(file: Path, old: str, new: str, count: int = 1) -> int:
    """Replace `old` (count times) and return the line the first replacement is on."""
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    line = text[: text.index(old)].count("\n") + 1
    file.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def block(stdout: str, where: str) -> str:
    """The report's entry that starts with `where` (its location line and the two below)."""
    lines = stdout.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == where:
            return "\n".join(lines[i:i + 3])
    raise AssertionError(f"no entry {where!r} in:\n{stdout}")


def warnings_section(stdout: str) -> str:
    assert "Warnings (" in stdout, stdout
    return stdout[stdout.index("Warnings ("):]


def test_the_shipped_levels_have_no_warnings():
    done = check(LEVELS)
    assert done.returncode == 0 and "Warnings" not in done.stdout and "All good" in done.stdout, done.stdout


def test_levels_that_work_but_look_wrong_get_warnings_not_errors(tmp_path):
    folder = copy_levels(tmp_path / "levels")
    order_line = edit(folder / "meet-sad.toml", "order = 3", "order = 1")
    picture_line = edit(folder / "meet-happy.toml", 'picture = "faces/happy-2.png"', 'picture = "faces/sad-1.png"')
    text_line = edit(folder / "meet-happy.toml", 'id = "Satu lagi wajah senang, ya!"',
                     'id = "One more happy face, please!"')
    title_line = edit(folder / "meet-fear.toml", 'title = { en = "Meet Scared", id = "Kenalan dengan Takut" }',
                      'title = { en = "New Level", id = "Level Baru" }')
    done = check(folder)
    assert done.returncode == 0, done.stdout            # every level still works
    assert "Problems to fix" not in done.stdout and f"{len(list(folder.glob('*.toml')))} levels are ready, with 4 warnings" in done.stdout
    warned = warnings_section(done.stdout)
    assert 'Level "meet-happy" has order = 1 too' in block(warned, _where(folder, "meet-sad", order_line, "order"))
    entry = block(warned, _where(folder, "meet-happy", picture_line, "round 2, picture"))
    assert 'This happy round shows "faces/sad-1.png", a sad face.' in entry and "faces/happy-1.png" in entry
    entry = block(warned, _where(folder, "meet-happy", text_line, "round 3, prompt.id"))
    assert "The Indonesian prompt is the same as the English one" in entry and "Bahasa Indonesia" in entry
    entry = block(warned, _where(folder, "meet-fear", title_line, "title"))
    assert "New Level / Level Baru" in entry


def _where(folder: Path, level_id: str, line: int, field: str) -> str:
    shown = os.path.relpath(folder / f"{level_id}.toml", REPO)
    shown = str((folder / f"{level_id}.toml").absolute()) if shown.startswith("..") else shown
    return f"{shown}, line {line}, {field}"


def test_the_scaffold_is_warned_about_until_it_gets_a_title(tmp_path):
    folder = copy_levels(tmp_path / "levels")
    env = {k: v for k, v in os.environ.items() if k != "EMOTION_GAME_SETTINGS"}
    made = subprocess.run([sys.executable, "-m", "game.cli", "levels", "new", "happy-animals", "--dir", str(folder),
                           "--assets", str(ASSETS)], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert made.returncode == 0, made.stdout
    done = check(folder)
    assert done.returncode == 0 and "with 1 warning" in done.stdout and "New Level / Level Baru" in done.stdout
    edit(folder / "happy-animals.toml", 'en = "New Level", id = "Level Baru"', 'en = "Happy Animals", id = "Hewan Senang"')
    assert "All good" in check(folder).stdout


def test_a_misspelled_prompt_is_not_also_a_missing_speech(tmp_path):
    folder = copy_levels(tmp_path / "levels")
    edit(folder / "meet-happy.toml", 'prompt = { en = "This is', 'promt = { en = "This is')
    done = check(folder)
    assert done.returncode == 1
    assert '"promt" is not something a round can have.' in done.stdout and 'Did you mean "prompt"?' in done.stdout
    assert '"prompt" is missing.' in done.stdout
    assert '"speech" is missing' not in done.stdout, done.stdout


def test_an_emotion_the_game_does_not_teach_is_not_mistaken_for_another(tmp_path):
    folder = copy_levels(tmp_path / "levels")
    line = edit(folder / "meet-fear.toml", 'emotion = "fear"', 'emotion = "surprise"')
    done = check(folder)
    assert done.returncode == 1
    entry = block(done.stdout, _where(folder, "meet-fear", line, "round 1, emotion"))
    assert '"surprise" is not an emotion this game knows (happy, sad, fear).' in entry
    assert "fear?" not in entry and "Did you mean" not in entry
    # a word the game does know another name for still gets its emotion
    edit(folder / "meet-fear.toml", 'emotion = "surprise"', 'emotion = "scared"')
    assert 'Did you mean "fear"?' in check(folder).stdout


def test_the_made_camera_shows_each_rounds_picture_long_enough(tmp_path):
    level = load_level_file(LEVELS / "meet-sad.toml", ASSETS)
    camera = made_camera(level, tmp_path / "camera", fps=10)
    frames = sorted(camera.iterdir())
    expected = [rnd.picture for rnd in level.rounds for _ in range(int(round((rnd.hold_s + 3.0) * 10)))]
    assert [f.resolve() for f in frames] == expected


@pytest.mark.slow
def test_preview_plays_the_level_in_a_window(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "EMOTION_GAME_SETTINGS"}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-m", "game.cli", "levels", "preview", "meet-happy", "--seconds", "4",
                           "--mute"], capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "Previewing meet-happy (3 rounds)" in done.stdout
    assert not (tmp_path / "data" / "emotion-game").exists()   # nothing saved for the preview player
