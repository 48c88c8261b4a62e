"""Long problem text in the teacher area (a file path or a database message without spaces)
stays inside its panel, in English and Bahasa Indonesia: the real TeacherScene drawn on SDL's
dummy driver, its text lines measured and its pixels checked."""

from __future__ import annotations


import pygame
import pytest

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.play.scenes.teacher import TeacherScene
from game.play.widgets import ELLIPSIS, wrap_text
from game.progress import open_store
from tests.play.harness import Driver, make_game, write_levels

SUMMARY_PANEL = pygame.Rect(690, 120, 550, 540)     # where TeacherScene draws the notes
#: 300 characters without a space: a deep file path, then a run with no separator at all.
LONG_ERROR = ("/var/lib/emotion-game/models/" + "expression_model_copy_" * 8 + "x" * 95
              + "/expression.tflite")[:300]


def test_wrap_text_breaks_over_long_words_at_separators_then_characters():
    measure = len                                       # one "pixel" per character
    lines = wrap_text("see /srv/kiosk/a_b_c/" + "z" * 25 + " now", 10, measure)
    assert all(len(line) <= 10 for line in lines), lines
    assert "".join(lines).replace(" ", "") == "see/srv/kiosk/a_b_c/" + "z" * 25 + "now"
    assert lines[:4] == ["see /srv/", "kiosk/a_b_", "c/zzzzzzzz", "zzzzzzzzzz"]   # after separators, then anywhere
    assert wrap_text("two words", 10, measure) == ["two words"]   # short words are never split
    assert wrap_text("one two three four", 9, measure, max_lines=2) == ["one two", "three" + ELLIPSIS]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_300_character_error_wraps_inside_the_teacher_panel(tmp_path, lang):
    assert len(LONG_ERROR) == 300 and " " not in LONG_ERROR
    level_set = load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR)
    store = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", journal_dir=tmp_path / "journal")
    store.add_child("Ana", "cat")
    game = make_game(store, list(level_set.levels), lang=lang)
    driver = Driver(game)
    try:
        game.notes.append(f"speech audio: {LONG_ERROR}")      # a problem note in the summary panel
        game.settings.camera = LONG_ERROR                      # a long camera path in its row
        game.open_teacher()
        driver.run(0.2)
        scene = game.scene
        assert isinstance(scene, TeacherScene)
        scene.message = LONG_ERROR                             # an error under the rows, across the screen

        drawn: list[tuple[int, list[pygame.Surface]]] = []
        wrapped = game.res.wrapped

        def measured(text, size, width, *args, **kwargs):
            lines = wrapped(text, size, width, *args, **kwargs)
            drawn.append((width, lines))
            return lines

        game.res.wrapped = measured
        try:
            driver.run(1 / 30)
        finally:
            game.res.wrapped = wrapped
        shot = tmp_path / f"teacher-long-error-{lang}.png"
        pygame.image.save(game.canvas, str(shot))
        print(f"\nscreenshot: {shot}")

        for width, lines in drawn:
            for line in lines:
                assert line.get_width() <= width, (line.get_width(), width)
        long_ones = [(width, lines) for width, lines in drawn if len(lines) > 1]
        assert len(long_ones) >= 2, "the note and the message were both wrapped"
        # and on screen: nothing is drawn over the right edge of the notes panel, nor right of it
        canvas, theme = game.canvas, game.theme
        panel_colour, screen_colour = tuple(theme["background"]), tuple(theme["panel"])
        for y in range(SUMMARY_PANEL.y + 100, SUMMARY_PANEL.bottom - 24):
            for x in range(SUMMARY_PANEL.right - 20, SUMMARY_PANEL.right - 2):
                assert tuple(canvas.get_at((x, y)))[:3] == panel_colour, ("text at the panel edge", x, y)
            for x in range(SUMMARY_PANEL.right + 2, canvas.get_width()):
                assert tuple(canvas.get_at((x, y)))[:3] == screen_colour, ("text outside the panel", x, y)
        # the bottom message stays on the screen
        for y in range(canvas.get_height() - 64, canvas.get_height()):
            for x in range(canvas.get_width() - 30, canvas.get_width()):
                assert tuple(canvas.get_at((x, y)))[:3] == screen_colour, ("message off the screen", x, y)
    finally:
        game.close()
        store.close()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_practise_next_reason_is_in_the_kiosks_language(tmp_path, lang):
    from game.progress.report_text import REPORT_TEXT

    level_set = load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR)
    store = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", journal_dir=tmp_path / "journal")
    store.add_child("Ana", "cat")
    game = make_game(store, list(level_set.levels), lang=lang)
    driver = Driver(game)
    texts: list[str] = []
    wrapped = game.res.wrapped

    def recorded(text, *args, **kwargs):
        texts.append(text)
        return wrapped(text, *args, **kwargs)

    game.res.wrapped = recorded
    try:
        game.open_teacher()
        driver.run(0.5)
        assert REPORT_TEXT[lang]["reason_none"] in texts, texts
        other = "id" if lang == "en" else "en"
        assert REPORT_TEXT[other]["reason_none"] not in texts
    finally:
        game.res.wrapped = wrapped
        game.close()
        store.close()
