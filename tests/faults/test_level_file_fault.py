"""A level file turns into invalid TOML while the game runs (a teacher's editor saved half a
file): the game keeps playing the levels it loaded, nothing recorded is lost, the checker
names the broken file and line, and the next start offers the other levels and tells the
teacher which file needs fixing."""

from __future__ import annotations

import subprocess
import sys

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from tests.conftest import REPO
from tests.faults.kiosk import Kiosk, drawn_text, two_levels

HALF_SAVED = 'id = "test-two"\norder = 2\ntitle = { en = "Second", id = "Ked\n'


def test_level_file_turned_invalid_while_the_game_runs(tmp_path):
    folder = tmp_path / "levels"
    levels = two_levels(folder)
    one, two = levels
    kiosk = Kiosk(tmp_path / "progress.sqlite3", levels)
    try:
        kiosk.start()
        kiosk.game.start_level(one)
        kiosk.run(2.0)                                  # mid-round...
        (folder / "test-two.toml").write_text(HALF_SAVED, encoding="utf-8")
        kiosk.run(30, until=lambda g: g.scene.name == "summary")
        assert kiosk.game.scene.name == "summary"       # ...the level plays to its end
        kiosk.play_level(two)                           # and the broken file's level, as loaded
        kiosk.play_level(one)
    finally:
        kiosk.close()
    assert kiosk.stored() == [("test-one", 0, "matched"), ("test-one", 1, "matched"),
                              ("test-two", 0, "matched"),
                              ("test-one", 0, "matched"), ("test-one", 1, "matched")]

    # the checker names the file and the line
    check = subprocess.run([sys.executable, "-m", "game.cli", "levels", "check", str(folder),
                            "--assets", str(DEFAULT_ASSETS_DIR)], cwd=REPO, capture_output=True, text=True,
                           timeout=60)
    assert check.returncode == 1, check.stdout
    assert "test-two.toml, line 3" in check.stdout, check.stdout
    assert "A text is missing its closing quote." in check.stdout, check.stdout
    assert "OK   1  test-one" in check.stdout, check.stdout

    # the next start: the good level is offered, the teacher area names the broken file
    level_set = load_levels(folder, DEFAULT_ASSETS_DIR)
    assert [lv.id for lv in level_set.levels] == ["test-one"]
    assert [p.file.name for p in level_set.problems] == ["test-two.toml"]
    restarted = Kiosk(tmp_path / "progress.sqlite3", level_set.levels)
    restarted.game.level_problems = list(level_set.problems)   # as `emotion-game play` passes them
    try:
        restarted.start()
        restarted.play_level(level_set.levels[0])
        restarted.game.open_teacher()
        restarted.run(0.2)
        assert "test-two.toml" in drawn_text(restarted)
    finally:
        restarted.close()
    assert len(restarted.stored()) == 7
