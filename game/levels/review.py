"""Second look at levels that load: what still works but is probably a mistake (warnings).

`levels check` shows these after the problems. A warning never keeps a level out of the game:
two levels with the same order, a round that shows another emotion's face, a text not yet
translated, the scaffold's title left in. Pure over loaded Levels (plus the files' text, for
line numbers).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from game import vocabulary
from game.levels.loader import field_name
from game.levels.model import Level, LevelProblem
from game.levels.toml_lines import KeyPath, key_lines, line_of

#: The title `emotion-game levels new` writes, by language: a level still wearing it was not named.
SCAFFOLD_TITLE = {"en": "New Level", "id": "Level Baru"}


def review_levels(levels: list[Level], file_of: Callable[[Level], Path], assets_dir: Path) -> list[LevelProblem]:
    """Warnings for levels that load, in file order within each file."""
    warnings: list[LevelProblem] = []
    for level in levels:
        file = file_of(level)
        lines = _lines(file)
        found = [*_untouched_title(level), *_pictures_of_other_emotions(level, assets_dir), *_untranslated(level)]
        warnings.extend(LevelProblem(file=file, line=line_of(lines, loc), field=field_name(loc), message=message,
                                     suggestion=suggestion) for loc, message, suggestion in found)
    warnings.extend(_shared_orders(levels, file_of))
    return sorted(warnings, key=lambda w: (str(w.file), w.line or 0))


def _lines(file: Path) -> dict[KeyPath, int]:
    try:
        return key_lines(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


Found = Iterator[tuple[KeyPath, str, str | None]]


def _shared_orders(levels: list[Level], file_of: Callable[[Level], Path]) -> list[LevelProblem]:
    by_order: dict[int, list[Level]] = defaultdict(list)
    for level in levels:
        by_order[level.order].append(level)
    free = max((lv.order for lv in levels), default=0) + 1
    warnings = []
    for order, same in sorted(by_order.items()):
        if len(same) < 2:
            continue
        first, *others = sorted(same, key=lambda lv: lv.id)
        for level in others:
            file = file_of(level)
            warnings.append(LevelProblem(
                file=file, line=line_of(_lines(file), ("order",)), field="order",
                message=f'Level "{first.id}" has order = {order} too, so the game puts them in the order '
                        "of their ids.",
                suggestion=f"Give each level its own order, e.g. order = {free}."))
            free += 1
    return warnings


def _untouched_title(level: Level) -> Found:
    texts = level.title.texts
    if any(texts.get(lang) == text for lang, text in SCAFFOLD_TITLE.items()):
        yield ("title",), f'The title is still the new level\'s "{level.title}".', "Give the level its own title."


def _picture_owner(relative: str) -> str | None:
    """The emotion a picture shows: the one that declares it, else the one its file name names."""
    for emotion in vocabulary.EMOTIONS:
        if relative in emotion.pictures:
            return emotion.name
    words = set(re.split(r"[^a-z]+", Path(relative).stem.lower()))
    named = [e.name for e in vocabulary.EMOTIONS if e.name in words or words & set(e.words)]
    return named[0] if len(named) == 1 else None


def _pictures_of_other_emotions(level: Level, assets_dir: Path) -> Found:
    root = assets_dir.resolve()
    for index, rnd in enumerate(level.rounds):
        try:
            relative = rnd.picture.relative_to(root).as_posix()
        except ValueError:
            continue
        owner = _picture_owner(relative)
        if owner is not None and owner != rnd.emotion:
            own = vocabulary.emotion(rnd.emotion).pictures
            yield (("rounds", index, "picture"), f'This {rnd.emotion} round shows "{relative}", a {owner} face.',
                   f'Use a {rnd.emotion} picture, e.g. picture = "{own[0]}".' if own else None)


def _untranslated(level: Level) -> Found:
    """Texts whose other-language version is the default language's, word for word."""
    default = vocabulary.DEFAULT_LANGUAGE
    texts: list[tuple[KeyPath, str, object]] = [(("title",), "title", level.title)]
    for index, rnd in enumerate(level.rounds):
        texts.append((("rounds", index, "prompt"), "prompt", rnd.prompt))
        if rnd.speech != rnd.prompt:   # speech copied from the prompt would say the same twice
            texts.append((("rounds", index, "speech"), "spoken line", rnd.speech))
        if rnd.story is not None:
            texts.append((("rounds", index, "story"), "story", rnd.story))
        texts.extend((("rounds", index, "hints", h), "hint", hint) for h, hint in enumerate(rnd.hints))
    for loc, what, text in texts:
        by_lang = text.texts
        for lang in vocabulary.LANGUAGE_CODES:
            if lang != default and by_lang[lang].strip().casefold() == by_lang[default].strip().casefold():
                language, source = vocabulary.language(lang), vocabulary.language(default)
                yield ((*loc, lang), f'The {language.english_name} {what} is the same as the {source.english_name} '
                                     f'one ("{by_lang[lang]}"): not translated yet?',
                       f"Write it in {language.name}.")
