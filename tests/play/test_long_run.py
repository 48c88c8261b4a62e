"""A kiosk that runs for days: choosing a child starts the walked-away clock again, and the
teacher's notes stay bounded."""

from __future__ import annotations

import pytest

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.progress import open_store
from tests.play.harness import Driver, make_game, write_levels
from tests.play.observations import obs


@pytest.fixture
def driver(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", journal_dir=tmp_path / "journal")
    game = make_game(store, load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR).levels)
    d = Driver(game)
    d.store = store
    yield d
    game.close()
    store.close()


def test_choosing_a_child_after_a_long_quiet_time_does_not_bounce_back_to_welcome(driver):
    ana = driver.store.add_child("Ana", "cat")
    driver.store.set_calibration(ana.id, {"happy": 0.1, "sad": 0.1, "fear": 0.1})
    driver.source = lambda now: obs(now, n_faces=0)
    driver.game.replace("welcome")
    driver.run(70.0)                                   # nobody at the kiosk for a while
    driver.game.choose_child(ana)                      # a quick start, no tap
    driver.run(3.0)
    assert driver.scene == "map"


def test_the_teachers_notes_stay_bounded(driver):
    from game.play.app import NOTES_KEPT

    for i in range(NOTES_KEPT * 3):
        driver.game.notes.append(f"note {i}")
    assert len(driver.game.notes) == NOTES_KEPT and driver.game.notes[-1] == f"note {NOTES_KEPT * 3 - 1}"


def test_two_friends_in_front_of_the_camera_are_not_walked_away(driver):
    ana = driver.store.add_child("Ana", "cat")
    driver.store.set_calibration(ana.id, {"happy": 0.1, "sad": 0.1, "fear": 0.1})
    driver.game.choose_child(ana)
    driver.run(1.0)
    assert driver.scene == "map"
    driver.source = lambda now: obs(now, n_faces=2)     # two friends, back on the map, no tap
    driver.run(70.0)
    assert driver.scene == "map"
    driver.source = lambda now: obs(now, n_faces=0)     # and when they leave, the kiosk goes back
    driver.run(62.0)
    assert driver.scene == "welcome"
