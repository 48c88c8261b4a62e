"""The curriculum we ship: every level loads, is complete in both languages, and forms a path."""

from __future__ import annotations

import re
import shutil
import subprocess
import wave

import pytest

from game.levels import EMOTIONS, Level, load_levels
from tests.levels.helpers import ASSETS, LEVELS, copy_levels


@pytest.fixture(scope="module")
def shipped() -> list[Level]:
    level_set = load_levels(LEVELS, ASSETS)
    assert level_set.problems == [], "\n".join(str(p) for p in level_set.problems)
    return level_set.levels


def _texts(level: Level):
    yield "title", level.title
    for n, rnd in enumerate(level.rounds, 1):
        yield f"round {n} prompt", rnd.prompt
        yield f"round {n} speech", rnd.speech
        for hint in rnd.hints:
            yield f"round {n} hint", hint
        if rnd.story is not None:
            yield f"round {n} story", rnd.story


def _spoken(levels: list[Level]) -> set[tuple[str, str]]:
    lines = set()
    for level in levels:
        for rnd in level.rounds:
            for text in [rnd.speech, *rnd.hints, *([rnd.story] if rnd.story else [])]:
                lines.add(("en", text.en))
                lines.add(("id", text.id))
    return lines


def test_at_least_six_levels_sorted_by_order(shipped):
    assert len(shipped) >= 6
    orders = [level.order for level in shipped]
    assert orders == sorted(orders)
    assert len({level.id for level in shipped}) == len(shipped)


def test_each_emotion_has_a_level_that_introduces_it_with_pictures(shipped):
    for emotion in EMOTIONS:
        intro = [lv for lv in shipped if lv.emotions == (emotion,)]
        assert intro, f"no level introduces {emotion} on its own"
        assert all(r.picture.is_file() for r in intro[0].rounds)


def test_curriculum_has_mixed_story_and_mirror_levels(shipped):
    assert any(set(lv.emotions) == set(EMOTIONS) and not any(r.story for r in lv.rounds) for lv in shipped)
    story_levels = [lv for lv in shipped if all(r.story is not None for r in lv.rounds)]
    assert story_levels and all(set(lv.emotions) == set(EMOTIONS) for lv in story_levels)
    mirror = [lv for lv in shipped if lv.mode == "mirror"]
    assert mirror, "no quick mirror-game level"
    practice_limits = [r.time_limit_s for lv in shipped if lv.mode == "practice" for r in lv.rounds]
    assert max(r.time_limit_s for r in mirror[0].rounds) < min(practice_limits), "the mirror game is not quicker"


def test_unlock_rules_form_a_path_from_the_open_levels(shipped):
    """The first level is open, and so is a level that needs no camera (a kiosk whose camera
    is out still teaches); every other level opens after an earlier one, and all are reached."""
    by_id = {lv.id: lv for lv in shipped}
    open_levels = [lv for lv in shipped if lv.unlock.after is None]
    assert open_levels[0].id == shipped[0].id
    assert all(lv.mode == "recognise" for lv in open_levels[1:])
    assert any(lv.mode == "recognise" for lv in open_levels), "no level a camera-less kiosk can play"
    for level in shipped:
        if level.unlock.after is not None:
            assert by_id[level.unlock.after].order < level.order, f"{level.id} unlocks after a later level"
    reached = {lv.id for lv in open_levels}
    for level in shipped:
        if level.unlock.after in reached:
            reached.add(level.id)
    assert reached == set(by_id)


def test_every_picture_shows_the_emotion_of_its_round(shipped):
    for level in shipped:
        for rnd in level.rounds:
            assert rnd.picture.is_relative_to(ASSETS.resolve())
            assert rnd.picture.name.startswith(rnd.emotion + "-"), f"{level.id}: {rnd.picture.name} for {rnd.emotion}"


def test_every_line_is_written_in_both_languages(shipped):
    for level in shipped:
        for where, text in _texts(level):
            assert text.en.strip() and text.id.strip(), f"{level.id} {where} is empty"
            assert text.en != text.id, f"{level.id} {where} is not translated: {text.en!r}"


def test_indonesian_uses_the_words_children_know(shipped):
    indonesian = " ".join(text.id.lower() for level in shipped for _, text in _texts(level))
    for word in ("senang", "sedih", "takut"):
        assert word in indonesian


def test_difficulty_grows_along_the_path(shipped):
    first, last = shipped[0], shipped[-1]
    assert max(r.threshold for r in first.rounds) < max(r.threshold for r in last.rounds)
    for level in shipped:
        assert all(0.5 <= r.threshold <= 0.8 for r in level.rounds), level.id


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_spoken_lines_speak_cleanly_in_english_and_indonesian(shipped, tmp_path):
    wav = tmp_path / "line.wav"
    lines = sorted(_spoken(shipped))
    assert len(lines) > 40
    for lang, line in lines:
        done = subprocess.run(["espeak-ng", "-v", lang, "-w", str(wav), line], capture_output=True, text=True,
                              timeout=30)
        assert done.returncode == 0 and not done.stderr.strip(), f"{lang}: {line!r}: {done.stderr}"
        with wave.open(str(wav)) as audio:
            seconds = audio.getnframes() / audio.getframerate()
        # Between 1 and 6 words a second: a symbol read out by name makes a line slow,
        # skipped words make it fast.
        rate = len(line.split()) / seconds
        assert 0.4 <= seconds <= 10, f"{lang}: {line!r} lasts {seconds:.1f} s"
        assert 1.0 <= rate < 6, f"{lang}: {line!r} is read at {rate:.1f} words a second"


def test_the_worked_example_in_the_readme_is_a_valid_level(tmp_path):
    readme = (LEVELS / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", readme, re.S).group(1)
    folder = copy_levels(tmp_path / "levels")
    (folder / "animals.toml").write_text(example, encoding="utf-8")
    level_set = load_levels(folder, ASSETS)
    assert level_set.problems == [], [str(p) for p in level_set.problems]
    animals = level_set.get("animals")
    assert animals is not None and animals.rounds[1].hold_s == 1.5 and animals.rounds[0].story is not None
