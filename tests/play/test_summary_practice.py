"""Issue 16 item 2: practice is offered after a level (not only on the map)."""

from __future__ import annotations

import pygame
import pytest

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.play.practice import PRACTICE_LEVEL_ID
from game.play.scoring import LevelScore
from game.progress import open_store
from tests.play.harness import Driver, make_game, write_levels


@pytest.fixture
def setup(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", journal_dir=tmp_path / "journal")
    levels = load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR).levels
    game = make_game(store, levels)
    driver = Driver(game)
    ana = store.add_child("Ana", "cat")
    store.set_calibration(ana.id, {"happy": 0.1, "sad": 0.1, "fear": 0.1})
    game.choose_child(ana)
    driver.run(0.3)
    yield driver, levels
    game.close()
    store.close()


def test_the_summary_offers_practice_and_it_opens_the_practice_session(setup):
    driver, levels = setup
    driver.game.replace("summary", level=levels[0], score=LevelScore(rounds_total=2))
    driver.run(0.2)
    practice = next(b for b in driver.game.scene.buttons.buttons if b.action == "practice")
    driver.click(practice.rect.center)
    driver.run(0.3)
    assert driver.scene.startswith("practice")


def test_no_practice_button_after_a_practice_session(setup):
    driver, levels = setup
    practice_level = levels[0].model_copy(update={"id": PRACTICE_LEVEL_ID})
    driver.game.replace("summary", level=practice_level, score=LevelScore(rounds_total=2))
    driver.run(0.2)
    assert [b.action for b in driver.game.scene.buttons.buttons] == ["again", "map"]
