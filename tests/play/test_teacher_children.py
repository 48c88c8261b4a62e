"""The teacher's children, by touch (issue 14 item 8, issue 17 items 3 and 5): adding and
renaming on the on-screen keyboard with an animal tapped, the form never covered by the
progress panel; archiving (results kept) or deleting (results gone) a child, asked plainly;
asking for a calm face again; and the child list while the database cannot be read. The
real game on SDL's dummy driver over a real SQLite store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pygame
import pytest

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.play.scenes.teacher import ROWS, SUMMARY_PANEL
from game.play.widgets.keys import edit_text
from game.progress import Attempt, open_store
from tests.play.harness import Driver, make_game, write_levels


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", journal_dir=tmp_path / "journal")
    yield s
    s.close()


@pytest.fixture
def levels(tmp_path):
    return list(load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR).levels)


@pytest.fixture
def driver(store, levels):
    game = make_game(store, levels)
    d = Driver(game)
    game.replace("welcome")
    d.run(0.1)
    yield d
    game.close()


def open_teacher(d: Driver):
    d.game.open_teacher()
    d.run(0.3)
    return d.game.scene


def tap_row(d: Driver, name: str) -> None:
    d.click(d.game.scene.row_rect(ROWS.index(name)).center)


def tap_keys(d: Driver, text: str) -> None:
    """Type on the on-screen keyboard with taps."""
    for char in text:
        value = "space" if char == " " else char.lower()
        key = next(k for k in d.game.scene.keyboard.keys if k.value == value)
        d.click(key.rect.center)


def answer(d: Driver, action: str) -> None:
    button = next(b for b in d.game.scene.buttons.buttons if b.action == action)
    d.click(button.rect.center)


def attempt(child_id: int, session_id: int, outcome: str = "matched") -> Attempt:
    start = datetime.now(timezone.utc)
    return Attempt(child_id=child_id, session_id=session_id, level_id="test-one", round_index=0,
                   emotion="happy", started_at=start, ended_at=start + timedelta(seconds=3), outcome=outcome,
                   time_to_match_s=2.0 if outcome == "matched" else None, peak_prob=0.9, mean_prob=0.6,
                   face_share=1.0)


def test_edit_text_capitals_spaces_and_backspace():
    assert edit_text("", "a", shift=True) == "A"
    assert edit_text("Ana", "space", shift=False) == "Ana "
    assert edit_text("", "space", shift=False) == ""                     # no leading space
    assert edit_text("Ana ", "space", shift=False) == "Ana "            # no double spaces
    assert edit_text("Ana", "backspace", shift=False) == "An"
    assert edit_text("x" * 60, "y", shift=False) == "x" * 60            # the field's limit


def test_a_child_is_added_by_touch_and_the_form_is_not_covered(driver, store):
    open_teacher(driver)
    tap_row(driver, "add_child")
    form = driver.game.scene
    assert driver.scene == "child-form-add"
    tap_keys(driver, "siti nur")
    assert form.text == "Siti Nur"                                        # each word starts with a capital
    owl = next(rect for name, rect in form.avatar_rects() if name == "owl")
    driver.click(owl.center)
    # the animals are drawn where the progress panel used to cover the dialog: nothing covers them
    canvas, panel_colour = driver.game.canvas, tuple(driver.game.theme["background"])
    assert SUMMARY_PANEL.colliderect(owl)
    assert tuple(canvas.get_at(owl.center))[:3] != panel_colour
    assert driver.game.scene is form and all(s.name != "teacher" for s in [driver.game.scene])
    answer(driver, "save")
    driver.run(0.1)
    assert driver.scene == "teacher"
    (siti,) = store.list_children()
    assert (siti.name, siti.avatar) == ("Siti Nur", "owl")
    assert driver.game.scene.selected_child.id == siti.id                 # the new child is chosen
    # rename by touch, and a new animal
    tap_row(driver, "edit_child")
    assert driver.scene == "ask-child"
    answer(driver, "rename")
    form = driver.game.scene
    for _ in "Nur":
        form_key = next(k for k in form.keyboard.keys if k.value == "backspace")
        driver.click(form_key.rect.center)
    tap_keys(driver, "aminah")
    driver.click(next(rect for name, rect in form.avatar_rects() if name == "fox").center)
    answer(driver, "save")
    child = store.get_child(siti.id)
    assert (child.name, child.avatar) == ("Siti Aminah", "fox")


def test_an_empty_name_is_refused_where_it_was_typed(driver, store):
    open_teacher(driver)
    tap_row(driver, "add_child")
    tap_keys(driver, " ")
    answer(driver, "save")
    assert driver.scene == "child-form-add"
    assert driver.game.scene.message == driver.game.phrases.get("teacher.name_empty", "en")
    assert store.list_children() == []


def test_archive_keeps_the_results_and_delete_removes_them_asked_plainly(driver, store):
    ana, budi = store.add_child("Ana", "cat"), store.add_child("Budi", "lion")
    for child in (ana, budi):
        session = store.start_session(child.id, "test", "en")
        store.record_attempt(attempt(child.id, session))
        store.record_attempt(attempt(child.id, session, "skipped"))
    assert store.flush() == 0
    teacher = open_teacher(driver)
    assert [c.name for c in teacher.children] == ["Ana", "Budi"]
    driver.run(0.5)                                                      # Ana's summary is read
    tap_row(driver, "edit_child")
    answer(driver, "remove")
    assert driver.scene == "ask-remove"
    labels = [b.label or a[1] for b, a in zip(driver.game.scene.buttons.buttons, driver.game.scene.answers)]
    assert labels == ["Take Ana off the list, keep the results", "Delete Ana and all the results", "Cancel"]
    assert "2 rounds" in driver.game.scene.details
    answer(driver, "archive")
    driver.run(0.3)
    assert driver.scene == "teacher"
    assert [c.name for c in store.play_children()] == ["Budi"]          # off the kiosk's list
    assert [c.name for c in driver.game.scene.children] == ["Budi"]
    assert len(store.attempts(ana.id)) == 2                              # the results stay
    assert {c.name for c in store.list_children()} == {"Ana", "Budi"}    # and the report still has Ana
    # Budi: delete, confirmed twice
    tap_row(driver, "edit_child")
    answer(driver, "remove")
    answer(driver, "delete")
    assert driver.scene == "ask-delete"
    answer(driver, "")                                                   # "Cancel": nothing happens
    assert store.get_child(budi.id) is not None and len(store.attempts(budi.id)) == 2
    tap_row(driver, "edit_child")
    answer(driver, "remove")
    answer(driver, "delete")
    answer(driver, "delete")
    driver.run(0.3)
    assert store.get_child(budi.id) is None and store.attempts(budi.id) == [] and store.sessions(budi.id) == []
    assert driver.game.scene.children == []
    assert driver.game.scene.message == "Budi and all the results are deleted."


def test_deleting_the_child_who_is_playing_ends_their_game_first(driver, store, levels):
    ana = store.add_child("Ana", "cat")
    store.set_calibration(ana.id, {})
    driver.game.choose_child(ana)
    driver.run(1.5)
    assert driver.scene == "map"
    open_teacher(driver)
    tap_row(driver, "edit_child")
    answer(driver, "remove")
    answer(driver, "delete")
    answer(driver, "delete")
    driver.run(0.5)
    assert store.get_child(ana.id) is None, driver.game.scene.message
    assert driver.game.session.child is None
    driver.press(pygame.K_ESCAPE)
    assert driver.scene == "welcome"                                     # not back to a game of nobody
    assert store.pending_count() == 0 and store.status().message is None   # nothing left to fail later


def test_a_teacher_asks_for_a_calm_face_again(driver, store, levels):
    ana = store.add_child("Ana", "cat")
    store.set_calibration(ana.id, {"happy": 0.6, "sad": 0.1, "fear": 0.1})
    open_teacher(driver)
    driver.run(0.5)
    tap_row(driver, "edit_child")
    assert driver.game.scene.details == driver.game.phrases.get("teacher.calm_face_kept", "en")
    answer(driver, "calibration")
    driver.run(0.3)
    assert store.get_calibration(ana.id) is None
    assert driver.game.scene.message == "Ana will be asked for a calm face at the next game."
    driver.press(pygame.K_ESCAPE)
    driver.game.choose_child(ana)
    driver.run(1.5)
    assert driver.scene.startswith("calibrate")                         # the next game asks for one


def test_the_teacher_area_lists_children_while_the_school_database_is_down(levels, tmp_path):
    """A real PostgreSQL server that answered yesterday and is stopped today: the store answers
    from this kiosk's copy of the list, and the teacher area lists the children and says so."""
    from tests.progress.pg_server import PostgresUnavailable, start_postgres

    try:
        url, stop = start_postgres(tmp_path / "pg")
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    try:
        school = open_store(url, journal_dir=tmp_path / "journal")
        school.add_child("Ana", "cat")
        school.add_child("Budi", "lion")
        assert [c.name for c in school.play_children()] == ["Ana", "Budi"]    # the kiosk's copy is made
        school.close()
    finally:
        stop()
    away = open_store(url, journal_dir=tmp_path / "journal")
    game = make_game(away, levels)
    d = Driver(game)
    try:
        game.replace("welcome")
        d.run(0.1)
        teacher = open_teacher(d)
        d.run(1.0)
        assert [c.name for c in teacher.children] == ["Ana", "Budi"]
        assert teacher.status is not None and teacher.status.children_from_copy
        assert game.phrases.get("teacher.children_copy", "en") in [t for t, _c, _b in teacher._store_texts(False)]
    finally:
        game.close()
        away.close(flush_timeout_s=0.1)
