"""The loader on broken files: every mistake becomes a problem naming file, line, field and a fix."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from game.levels import (
    DEFAULT_ASSETS_DIR,
    DEFAULT_LEVELS_DIR,
    Level,
    LevelError,
    LevelProblem,
    Localized,
    Round,
    load_level_file,
    load_levels,
)
from game.levels.toml_lines import key_lines
from tests.levels.helpers import ASSETS, LEVELS, MINIMAL, copy_levels


def write(folder: Path, level_id: str, text: str) -> Path:
    path = folder / f"{level_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, assets: Path = ASSETS) -> list[LevelProblem]:
    with pytest.raises(LevelError) as caught:
        load_level_file(path, assets)
    assert caught.value.problems, "a LevelError must say what is wrong"
    return caught.value.problems


def only(problems: list[LevelProblem], field: str) -> LevelProblem:
    matching = [p for p in problems if p.field == field]
    assert matching, f"no problem at {field}: {[str(p) for p in problems]}"
    return matching[0]


def test_default_dirs_are_the_repo_folders():
    assert DEFAULT_LEVELS_DIR == LEVELS and DEFAULT_LEVELS_DIR.is_dir()
    assert DEFAULT_ASSETS_DIR == ASSETS and (DEFAULT_ASSETS_DIR / "faces").is_dir()


# -- the acceptance scenario -----------------------------------------------------------------

def test_a_broken_copy_names_file_line_field_and_suggestion_while_the_rest_load(tmp_path):
    folder = copy_levels(tmp_path / "levels")
    target = folder / "meet-sad.toml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace('emotion = "sad"', 'emotion = "sadd"', 1), encoding="utf-8")
    line = text.splitlines().index('emotion = "sad"') + 1

    level_set = load_levels(folder, ASSETS)

    in_file = [p for p in level_set.problems if p.file == target]
    assert len(in_file) == 1, [str(p) for p in level_set.problems]
    problem = in_file[0]
    assert problem.file == target
    assert problem.line == line
    assert problem.field == "rounds[1].emotion"
    assert problem.suggestion == 'Did you mean "sad"?'
    assert str(problem).startswith(f"meet-sad.toml:{line} (round 1, emotion): ")
    shipped = {p.stem for p in LEVELS.glob("*.toml")}
    assert {lv.id for lv in level_set.levels} == shipped - {"meet-sad"}
    # find-the-feeling waited for meet-sad: it stays playable, and the teacher is told why.
    opened = level_set.get("find-the-feeling")
    assert opened is not None and opened.unlock.after is None
    (note,) = [p for p in level_set.problems if p.file != target]
    assert note.file.name == "find-the-feeling.toml" and note.field == "unlock.after" and "meet-sad" in note.message


# -- one mistake at a time ---------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "field", "suggestion"), [
    ('emotion = "happy"', 'emotion = "scared"', "rounds[1].emotion", 'Did you mean "fear"?'),
    ('emotion = "happy"', 'emotion = "senang"', "rounds[1].emotion", 'Did you mean "happy"?'),
    ("hints = [", "hint = [", "rounds[1].hint", 'Did you mean "hints"?'),
    ('picture = "faces/happy-1.png"', 'picture = "faces/hapy-1.png"', "rounds[1].picture",
     'Did you mean "faces/happy-1.png"?'),
    ('picture = "faces/happy-1.png"', 'picture = "happy-1.png"', "rounds[1].picture",
     'Did you mean "faces/happy-1.png"?'),
    ('picture = "faces/happy-1.png"', 'picture = "faces\\\\happy-1.png"', "rounds[1].picture",
     'Did you mean "faces/happy-1.png"?'),
    ("order = 1", "ordre = 1", "ordre", 'Did you mean "order"?'),
    ("threshold = 0.5", "treshold = 0.5", "defaults.treshold", 'Did you mean "threshold"?'),
    ("[defaults]", "[default]", "default", 'Did you mean "defaults"?'),
    ('title = { en = "Meet Happy"', 'title = { eng = "Meet Happy"', "title.eng", 'Did you mean "en"?'),
    ('id = "meet-happy"', 'id = "Meet Happy"', "id", 'Did you mean "meet-happy"?'),
    ("hold_s = 1.0", 'hold_s = "1.0"', "defaults.hold_s", 'Numbers need no quotes: write 1.0, not "1.0".'),
    ("order = 1", 'mode = "mirorr"', "mode", 'Did you mean "mirror"?'),
])
def test_each_mistake_gets_a_suggestion(tmp_path, old, new, field, suggestion):
    text = (LEVELS / "meet-happy.toml").read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if new in row)
    problem = only(problems_of(write(tmp_path, "meet-happy", broken)), field)
    assert problem.suggestion == suggestion
    assert problem.line == line, str(problem)


def test_missing_indonesian_text_is_named_precisely(tmp_path):
    text = MINIMAL.format(id="t", picture="faces/happy-1.png").replace(', id = "Senyum!"', "")
    problems = problems_of(write(tmp_path, "t", text))
    problem = only(problems, "rounds[1].prompt.id")
    assert "Bahasa Indonesia" in problem.message and problem.line == 8


def test_a_bad_default_points_at_the_defaults_table(tmp_path):
    text = (LEVELS / "meet-happy.toml").read_text(encoding="utf-8").replace("hold_s = 1.0", "hold_s = -1")
    problems = problems_of(write(tmp_path, "meet-happy", text))
    assert [p.field for p in problems] == ["defaults.hold_s"], "one problem, not one per round"
    assert problems[0].line == text.splitlines().index("hold_s = -1") + 1


def test_a_round_overrides_a_default(tmp_path):
    text = ('id = "t"\norder = 1\ntitle = { en = "T", id = "U" }\n[defaults]\nhold_s = 1.5\nthreshold = 0.7\n'
            '[[rounds]]\nemotion = "sad"\npicture = "faces/sad-1.png"\nprompt = { en = "A", id = "B" }\n'
            '[[rounds]]\nemotion = "sad"\npicture = "faces/sad-1.png"\nprompt = { en = "A", id = "B" }\n'
            'hold_s = 3.0\n')
    level = load_level_file(write(tmp_path, "t", text), ASSETS)
    assert [r.hold_s for r in level.rounds] == [1.5, 3.0]
    assert [r.threshold for r in level.rounds] == [0.7, 0.7]
    assert level.rounds[0].speech == level.rounds[0].prompt, "speech defaults to the prompt"


def test_spoken_text_refuses_symbols_and_emoji(tmp_path):
    text = MINIMAL.format(id="t", picture="faces/happy-1.png").replace('en = "Smile!"', 'en = "Smile \U0001F600"')
    problem = problems_of(write(tmp_path, "t", text))[0]
    assert problem.field == "rounds[1].prompt.en" and "grinning face" in problem.message
    text = MINIMAL.format(id="t", picture="faces/happy-1.png") + 'speech = { en = "Smile & wave", id = "Senyum" }\n'
    problem = only(problems_of(write(tmp_path, "t", text)), "rounds[1].speech")
    assert "'&'" in problem.message and problem.suggestion


def test_a_syntax_error_gives_the_line(tmp_path):
    text = MINIMAL.format(id="t", picture="faces/happy-1.png").replace('emotion = "happy"', "emotion = happy")
    (problem,) = problems_of(write(tmp_path, "t", text))
    assert problem.line == 6 and "double quotes" in problem.suggestion


def test_a_file_that_is_not_utf8_or_is_huge_is_refused_kindly(tmp_path):
    path = tmp_path / "t.toml"
    path.write_bytes(b'id = "t"\ntitle = "\xff\xfe"\n')
    (problem,) = problems_of(path)
    assert "UTF-8" in problem.message and problem.line == 2
    path.write_text("# " + "x" * 300_000, encoding="utf-8")
    assert "too big" in problems_of(path)[0].message


def test_the_file_name_must_match_the_id(tmp_path):
    problem = only(problems_of(write(tmp_path, "other-name", MINIMAL.format(id="t", picture="faces/happy-1.png"))),
                   "id")
    assert "t.toml" in problem.suggestion and problem.line == 1


def test_time_limit_must_leave_time_to_hold(tmp_path):
    text = MINIMAL.format(id="t", picture="faces/happy-1.png") + "hold_s = 5\ntime_limit_s = 4\n"
    problem = only(problems_of(write(tmp_path, "t", text)), "rounds[1]")
    assert "time_limit_s" in problem.message and "7" in problem.suggestion


# -- pictures must stay inside assets/ -------------------------------------------------------------

@pytest.fixture
def assets(tmp_path) -> Path:
    """A small assets folder of our own, so links can be made without touching the real one."""
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS / "faces", folder / "faces")
    (tmp_path / "secret.png").write_bytes((ASSETS / "faces" / "sad-1.png").read_bytes())
    return folder


@pytest.mark.parametrize("picture", [
    "../secret.png", "faces/../../secret.png", "/etc/passwd", "C:/Windows/win.ini", "~/../secret.png",
    "faces/../../../../../../etc/passwd",
])
def test_paths_that_leave_assets_are_refused(tmp_path, assets, picture):
    levels = tmp_path / "levels"
    levels.mkdir()
    problems = problems_of(write(levels, "t", MINIMAL.format(id="t", picture=picture)), assets)
    problem = only(problems, "rounds[1].picture")
    assert problem.line == 7


def test_an_absolute_path_inside_assets_is_refused_with_the_relative_name(tmp_path, assets):
    levels = tmp_path / "levels"
    levels.mkdir()
    picture = (assets / "faces" / "sad-1.png").resolve().as_posix()
    problem = problems_of(write(levels, "t", MINIMAL.format(id="t", picture=picture)), assets)[0]
    assert problem.suggestion == 'Did you mean "faces/sad-1.png"?'


def test_a_symlink_out_of_assets_is_refused_and_one_inside_is_fine(tmp_path, assets):
    levels = tmp_path / "levels"
    levels.mkdir()
    os.symlink(tmp_path / "secret.png", assets / "faces" / "escape.png")
    os.symlink(tmp_path, assets / "outside")
    os.symlink(assets / "faces" / "sad-2.png", assets / "faces" / "alias.png")
    for picture in ("faces/escape.png", "outside/secret.png"):
        problem = problems_of(write(levels, "t", MINIMAL.format(id="t", picture=picture)), assets)[0]
        assert problem.field == "rounds[1].picture" and "outside" in problem.message
    level = load_level_file(write(levels, "t", MINIMAL.format(id="t", picture="faces/alias.png")), assets)
    assert level.rounds[0].picture == (assets / "faces" / "sad-2.png").resolve()


def test_a_sound_is_not_a_picture(tmp_path):
    problem = problems_of(write(tmp_path, "t", MINIMAL.format(id="t", picture="sounds/chime.wav")))[0]
    assert "not a picture" in problem.message


# -- the set of levels -------------------------------------------------------------------------------

def test_unlock_typos_and_circles_are_reported_and_levels_stay_playable(tmp_path):
    folder = tmp_path / "levels"
    folder.mkdir()
    write(folder, "a", MINIMAL.format(id="a", picture="faces/happy-1.png"))
    write(folder, "b", MINIMAL.format(id="b", picture="faces/happy-1.png") .replace(
        "order = 1", 'order = 2\nunlock = { after = "aa" }'))
    write(folder, "c", MINIMAL.format(id="c", picture="faces/happy-1.png").replace(
        "order = 1", 'order = 3\nunlock = { after = "d" }'))
    write(folder, "d", MINIMAL.format(id="d", picture="faces/happy-1.png").replace(
        "order = 1", 'order = 4\nunlock = { after = "c" }'))
    level_set = load_levels(folder, ASSETS)
    assert [lv.id for lv in level_set.levels] == ["a", "b", "c", "d"]
    typo = next(p for p in level_set.problems if p.file.name == "b.toml")
    assert typo.field == "unlock.after" and typo.suggestion == 'Did you mean "a"?'
    assert any("circle" in p.message for p in level_set.problems)
    ids = {lv.id for lv in level_set.levels}
    assert all(lv.unlock.after is None or lv.unlock.after in ids for lv in level_set.levels)
    # The circle is broken: following the rules from any level ends at an open level.
    for level in level_set.levels:
        seen, current = set(), level
        while current.unlock.after is not None:
            assert current.id not in seen
            seen.add(current.id)
            current = level_set.get(current.unlock.after)


def test_duplicate_ids_keep_the_first_file(tmp_path):
    folder = tmp_path / "levels"
    folder.mkdir()
    write(folder, "a", MINIMAL.format(id="a", picture="faces/happy-1.png"))
    (folder / "a-copy.toml").write_text(MINIMAL.format(id="a", picture="faces/happy-1.png"), encoding="utf-8")
    level_set = load_levels(folder, ASSETS)
    assert [lv.id for lv in level_set.levels] == ["a"]
    assert {p.file.name for p in level_set.problems} == {"a-copy.toml"}


def test_an_empty_or_missing_folder_is_a_problem_not_a_crash(tmp_path):
    assert load_levels(tmp_path, ASSETS).problems[0].suggestion.startswith("Make one with")
    missing = load_levels(tmp_path / "nope", ASSETS)
    assert missing.levels == [] and missing.problems[0].file == tmp_path / "nope"


def test_stars_need_a_level_to_be_earned_on(tmp_path):
    text = MINIMAL.format(id="t", picture="faces/happy-1.png").replace("order = 1", "order = 1\nunlock = { min_stars = 2 }")
    problem = only(problems_of(write(tmp_path, "t", text)), "unlock")
    assert "after" in problem.suggestion


# -- the objects -------------------------------------------------------------------------------------

def test_objects_are_frozen_and_strict():
    text = Localized(en="Happy", id="Senang")
    assert text.get("id") == "Senang" and text.get("en") == "Happy" and text.get("fr") == "Happy"
    with pytest.raises(ValidationError):
        text.en = "Sad"   # type: ignore[misc]
    with pytest.raises(ValidationError):
        Localized(en="Happy", id="Senang", fr="Heureux")   # type: ignore[call-arg]
    picture = (ASSETS / "faces" / "happy-1.png").resolve()
    rnd = Round(emotion="happy", prompt=text, speech=text, picture=picture)
    assert rnd.threshold == 0.6 and rnd.hints == [] and rnd.story is None
    with pytest.raises(ValidationError):
        Round(emotion="happy", prompt=text, speech=text, picture=Path("faces/happy-1.png"))
    with pytest.raises(ValidationError):
        Round(emotion="happy", prompt=text, speech=text, picture=picture, hold_s=True)
    level = Level(id="x", title=text, order=1, rounds=[rnd])
    assert level.mode == "practice" and level.unlock.after is None and level.emotions == ("happy",)


def test_level_error_reads_as_the_list_of_problems(tmp_path):
    text = MINIMAL.format(id="t", picture="faces/nope.png").replace('"happy"', '"hapy"')
    with pytest.raises(LevelError) as caught:
        load_level_file(write(tmp_path, "t", text), ASSETS)
    message = str(caught.value)
    assert "t.toml:6 (round 1, emotion)" in message and "t.toml:7 (round 1, picture)" in message
    lines = [p.line for p in caught.value.problems]
    assert lines == sorted(lines), "problems come in the order of the file"


def test_key_lines_follow_tables_arrays_and_inline_tables():
    text = (LEVELS / "mix-and-match.toml").read_text(encoding="utf-8")
    lines = key_lines(text)
    rows = text.splitlines()
    assert rows[lines[("rounds", 2, "emotion")] - 1] == 'emotion = "fear"'
    assert rows[lines[("rounds", 5, "speech", "id")] - 1].startswith("speech = ")
    assert rows[lines[("defaults", "threshold")] - 1] == "threshold = 0.6"
    multi = 'a = """\n[[rounds]]\nx = 1\n"""\n[[rounds]]\nhints = [\n  { en = "a" },\n  { en = "b" },\n]\n'
    lines = key_lines(multi)
    assert lines[("rounds", 0)] == 5 and ("rounds", 1) not in lines
    assert lines[("rounds", 0, "hints", 1, "en")] == 8


def test_key_lines_understand_quoted_and_dotted_keys_and_comments():
    text = ('# a note with [[rounds]] in it\n"id" = "x"  # id = "y"\n[[rounds]]\nprompt.en = "a"\n'
            "prompt.'id' = 'b # not a comment'\n[rounds.story]\nen = \"c\"\n[[rounds]]\n\"emotion\" = \"sad\"\n")
    lines = key_lines(text)
    assert lines[("id",)] == 2
    assert lines[("rounds", 0, "prompt", "en")] == 4 and lines[("rounds", 0, "prompt", "id")] == 5
    assert lines[("rounds", 0, "story", "en")] == 7
    assert lines[("rounds", 1, "emotion")] == 9
    assert ("rounds", 2) not in lines
