"""Level text the game's font cannot draw (issue 17, item 9): a title or prompt in a script
Andika has no letters for (Arabic, Thai, Chinese...) would show the child empty boxes, so the
loader (and with it `levels check`) refuses it, naming the file, line, field and characters.
The character map is read from the shipped font files themselves."""

from __future__ import annotations

import pytest

from game.levels import LevelError, load_level_file, load_levels
from game.levels.glyphs import drawable_characters, font_files, shown_characters
from tests.levels.helpers import ASSETS, LEVELS, copy_levels
from tests.levels.test_levels_cli import emotion_game

LEVEL = '''id = "{id}"
order = 20
title = {{ en = "Faces", id = "{title_id}" }}

[[rounds]]
emotion = "happy"
picture = "faces/happy-1.png"
prompt = {{ en = "Show me a happy face!", id = "{prompt_id}" }}
'''


def write_level(folder, level_id="script-test", title_id="Wajah", prompt_id="Tunjukkan wajah senang!"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{level_id}.toml"
    path.write_text(LEVEL.format(id=level_id, title_id=title_id, prompt_id=prompt_id), encoding="utf-8")
    return path


def test_the_character_map_is_the_fonts_own():
    ttlib = pytest.importorskip("fontTools.ttLib")
    fonts = font_files(ASSETS)
    assert [f.name for f in fonts] == ["Andika-Bold.ttf", "Andika-Regular.ttf"]
    for font in fonts:
        assert drawable_characters(font) == set(ttlib.TTFont(str(font)).getBestCmap())


def test_arabic_and_thai_text_is_refused_with_file_line_field_and_characters(tmp_path):
    path = write_level(tmp_path, title_id="وجوه", prompt_id="ยิ้มหน่อย")
    with pytest.raises(LevelError) as caught:
        load_level_file(path, ASSETS)
    problems = {p.field: p for p in caught.value.problems}
    assert set(problems) == {"title.id", "rounds[1].prompt.id"}, [p.field for p in caught.value.problems]
    title = problems["title.id"]
    assert title.line == 3 and "U+0648 ARABIC LETTER WAW" in title.message and "empty boxes" in title.message
    assert "assets/fonts" in title.suggestion
    prompt = problems["rounds[1].prompt.id"]
    assert prompt.line == 8 and "THAI CHARACTER" in prompt.message   # named once: the speech copies it


def test_levels_check_fails_on_a_chinese_hint_and_keeps_the_other_levels(tmp_path):
    folder = copy_levels(tmp_path / "levels")
    target = folder / "meet-happy.toml"
    text = target.read_text(encoding="utf-8")
    hint = next(line for line in text.splitlines() if line.strip().startswith("{ en =") and "id =" in line)
    start = hint.index('id = "') + len('id = "')
    broken = hint[:start] + "笑一笑" + hint[hint.index('"', start):]
    target.write_text(text.replace(hint, broken, 1), encoding="utf-8")
    done = emotion_game("levels", "check", str(folder), "--assets", str(ASSETS))
    assert done.returncode == 1, done.stdout
    assert "meet-happy.toml, line" in done.stdout and "U+7B11 CJK UNIFIED IDEOGRAPH-7B11" in done.stdout
    assert load_levels(folder, ASSETS).get("meet-happy") is None          # the game leaves it out too
    assert len(load_levels(folder, ASSETS).levels) == len(list(LEVELS.glob("*.toml"))) - 1


def test_accented_latin_and_cyrillic_pass(tmp_path):
    path = write_level(tmp_path, title_id="Café Ñandú Ğüneş", prompt_id="Покажи улыбку!")
    assert load_level_file(path, ASSETS).title.get("id").startswith("Café")


def test_every_shipped_level_is_drawable():
    drawable = shown_characters(ASSETS)
    assert drawable is not None and ord("é") in drawable and ord("ب") not in drawable
    assert load_levels(LEVELS, ASSETS).ok
