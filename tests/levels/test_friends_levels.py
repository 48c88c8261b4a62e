"""`players = 2` (friends mode) in level files: read as the game plays it, mistakes named with
file, line, field and a fix, and the shipped friends level in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.levels import LevelError, load_level_file, load_levels
from game.vocabulary import LANGUAGE_CODES
from tests.levels.helpers import ASSETS, LEVELS

LEVEL = '''\
id = "pair"
order = 1
title = {{ en = "Pair", id = "Pasangan" }}
{extra}

[[rounds]]
emotion = "happy"
picture = "faces/happy-1.png"
prompt = {{ en = "Smile, both of you!", id = "Senyum, kalian berdua!" }}
'''


def write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "pair.toml"
    path.write_text(LEVEL.format(extra=extra), encoding="utf-8")
    return path


def test_players_default_to_one_child(tmp_path):
    assert load_level_file(write(tmp_path, ""), ASSETS).players == 1


def test_two_friends(tmp_path):
    assert load_level_file(write(tmp_path, "players = 2"), ASSETS).players == 2


@pytest.mark.parametrize("extra, message, suggestion", [
    ("players = 3", "players = 3, but the game plays with one child or two friends", "players = 2"),
    ("players = 0", "players = 0, but the game plays with one child or two friends", "leave players out"),
    ('players = "2"', "must be a whole number", "Numbers need no quotes"),
    ('mode = "mirror"\nplayers = 2', "a mirror level is for one child", 'mode = "practice"'),
])
def test_a_wrong_players_line_is_named_with_its_fix(tmp_path, extra, message, suggestion):
    path = write(tmp_path, extra)
    with pytest.raises(LevelError) as caught:
        load_level_file(path, ASSETS)
    (problem,) = caught.value.problems
    assert problem.file == path and problem.field == "players"
    assert problem.line == 4 + extra.count("\n")
    assert message in problem.message and suggestion in (problem.suggestion or "")


def test_the_shipped_friends_level():
    level_set = load_levels(LEVELS, ASSETS)
    friends = [level for level in level_set.levels if level.players == 2]
    assert friends, "a friends level ships with the game"
    for level in friends:
        assert level.mode == "practice"
        for rnd in level.rounds:
            for lang in LANGUAGE_CODES:
                assert rnd.prompt.get(lang) and rnd.speech.get(lang)
    assert not [p for p in level_set.problems if "friend" in p.file.name]
