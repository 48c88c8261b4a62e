"""`levels check` on recognise levels: the mode and `choices` are checked with the same file /
line / field / suggestion messages as every other setting, and the shipped curriculum puts
recognising before showing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from game.levels import LevelError, load_level_file, load_levels
from tests.levels.helpers import ASSETS, LEVELS, REPO

GOOD = '''id = "spot-it"
order = 1
title = { en = "Spot it", id = "Temukan" }
mode = "recognise"

[[rounds]]
emotion = "sad"
choices = ["happy", "sad"]
picture = "faces/plain/sad-2.png"
story = { en = "Dimas dropped his ice cream.", id = "Es krim Dimas jatuh ke tanah." }
prompt = { en = "How does Dimas feel?", id = "Bagaimana perasaan Dimas?" }
'''


def problems_of(tmp_path, text: str):
    path = tmp_path / "spot-it.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LevelError) as caught:
        load_level_file(path, ASSETS)
    return caught.value.problems


def test_a_recognise_level_loads(tmp_path):
    path = tmp_path / "spot-it.toml"
    path.write_text(GOOD, encoding="utf-8")
    level = load_level_file(path, ASSETS)
    assert level.mode == "recognise" and level.rounds[0].choices == ["happy", "sad"]


@pytest.mark.parametrize("edit, field, line, message, suggestion", [
    (('mode = "recognise"', 'mode = "recognize"'), "mode", 4,
     'The mode "recognize" is not one the game knows (practice, mirror, recognise).', 'Did you mean "recognise"?'),
    (('choices = ["happy", "sad"]', 'choices = ["happy", "sadd"]'), "rounds[1].choices", 8,
     '"sadd" is not an emotion this game knows', 'Did you mean "sad"?'),
    (('choices = ["happy", "sad"]', 'choices = ["happy", "fear"]'), "rounds[1].choices", 8,
     'leave out "sad", the face that fits this round', 'Add "sad" to the choices'),
    (('choices = ["happy", "sad"]', 'choices = ["sad"]'), "rounds[1].choices", 8,
     "A recognise round shows 2 or 3 different faces; this one lists sad.", "List each emotion once"),
    (('choices = ["happy", "sad"]\n', ''), "rounds[1].choices", 6,
     "A recognise round needs the faces to choose from, but round 1 has no choices.", 'Add choices = ["sad", "happy"].'),
    (('mode = "recognise"\n', ''), "rounds[1].choices", 7,
     "Round 1 has choices, but only a recognise level shows faces to choose from.", 'Write mode = "recognise"'),
    (('choices = ["happy", "sad"]', 'choice = ["happy", "sad"]'), "rounds[1].choice", 8,
     '"choice" is not something a round can have.', 'Did you mean "choices"?'),
])
def test_mistakes_name_file_line_field_and_fix(tmp_path, edit, field, line, message, suggestion):
    found = problems_of(tmp_path, GOOD.replace(*edit))
    assert found, "the mistake was not found"
    problem = next((p for p in found if p.field == field), None)
    assert problem is not None, [str(p) for p in found]
    assert problem.file.name == "spot-it.toml" and problem.line == line
    assert message in problem.message and suggestion in (problem.suggestion or "")


def test_the_check_command_reports_it_for_a_teacher(tmp_path):
    (tmp_path / "spot-it.toml").write_text(GOOD.replace('choices = ["happy", "sad"]', 'choices = ["happy", "fear"]'),
                                           encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "game.cli", "levels", "check", str(tmp_path)],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 1
    assert "spot-it.toml, line 8, round 1, choices" in done.stdout
    assert 'Add "sad" to the choices' in done.stdout


def test_shipped_recognise_levels_come_before_the_show_levels_they_prepare():
    levels = load_levels(LEVELS, ASSETS).levels
    order = [lv.id for lv in levels]
    recognise = [lv for lv in levels if lv.mode == "recognise"]
    assert len(recognise) >= 2
    for level in recognise:
        assert all(len(r.choices) in (2, 3) and r.emotion in r.choices for r in level.rounds)
        assert all(r.picture.parent.name == "plain" for r in level.rounds)   # no coloured card gives it away
        assert any(r.story is not None for r in level.rounds)
    # every face taught on its own after the first level is recognised in an earlier level first
    for show in [lv for lv in levels[1:] if lv.mode == "practice" and len(lv.emotions) == 1]:
        before = [lv for lv in levels[:order.index(show.id)] if lv.mode == "recognise"]
        assert any(show.emotions[0] in lv.emotions for lv in before), show.id
    by_id = {lv.id: lv for lv in levels}
    assert by_id["meet-sad"].unlock.after == "happy-or-sad"
    assert by_id["meet-fear"].unlock.after == "find-the-feeling"
