"""Read level files into typed Levels, and turn every mistake into a LevelProblem a teacher can act on.

`load_level_file` reads one file and raises LevelError listing everything wrong with it.
`load_levels` reads a folder: one broken file never stops the others, and the LevelSet it
returns holds the levels that work plus the problems that explain the rest.
"""

from __future__ import annotations

import json
import re
import tomllib
import types
import typing
from pathlib import Path
from typing import Any, Sequence

from pydantic import BaseModel, ValidationError

from game import vocabulary
from game.levels.model import (
    LEVEL_ID_PATTERN,
    MODES,
    Level,
    LevelError,
    LevelProblem,
    LevelSet,
    Localized,
    Round,
    Unlock,
)
from game.levels.glyphs import shown_characters, undrawable_texts
from game.levels.suggest import did_you_mean
from game.levels.toml_lines import KeyPath, key_lines, line_of

#: A level file is a few kilobytes; anything much bigger is not a level.
MAX_FILE_BYTES = 256 * 1024

#: Keys of the optional [defaults] table, copied into every round that does not set its own.
DEFAULT_KEYS = ("hold_s", "time_limit_s", "threshold")

#: What each key looks like when written correctly, for "this is missing" messages.
EXAMPLES = {
    "id": 'id = "meet-happy"',
    "title": 'title = { en = "Meet Happy", id = "Kenalan dengan Senang" }',
    "order": "order = 1",
    "rounds": "a [[rounds]] block for each face",
    "emotion": 'emotion = "happy"',
    "prompt": 'prompt = { en = "Show me your happy face!", id = "Tunjukkan wajah senangmu!" }',
    "speech": 'speech = { en = "Show me your happy face!", id = "Tunjukkan wajah senangmu!" }',
    "picture": 'picture = "faces/happy-1.png"',
    "story": 'story = { en = "...", id = "..." }',
    "unlock": 'unlock = { after = "meet-happy" }',
    "choices": 'choices = ["happy", "sad"]',
}

#: tomllib's messages, said for someone who has never heard of TOML.
TOML_MESSAGES = (
    ("Invalid value", "This line has a value the file cannot read.",
     'Put text in double quotes, like en = "Happy face". Numbers need no quotes.'),
    ("Illegal character '\\n'", "A text is missing its closing quote.",
     'Close the text with " on the same line.'),
    ("Unclosed", "Something opened here is never closed.", "Check for a missing ] } or \"."),
    ("Expected '=' after a key", 'This line should be "name = value".',
     'Check for a missing = or a missing quote, like en = "Happy".'),
    ("Expected ']' at the end of a table", "A [section] name is not closed with ].",
     "Write it like [title] or [[rounds]]."),
    ("Cannot overwrite a value", "Something is written twice.",
     "Each name may appear only once in a block; remove the repeated line."),
    ("Cannot declare", "A section is written twice.",
     "Use [[rounds]] (two brackets) for each round; other sections appear once."),
)


def _problem(file: Path, message: str, *, line: int | None = None, field: str = "",
             suggestion: str | None = None) -> LevelProblem:
    return LevelProblem(file=file, line=line, field=field, message=message, suggestion=suggestion)


def field_name(loc: KeyPath) -> str:
    """('rounds', 1, 'prompt', 'en') -> 'rounds[2].prompt.en' (indexes counted from 1)."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _model_at(loc: KeyPath) -> type[BaseModel] | None:
    """The model that the location `loc` (inside a Level) points into."""
    model: type[BaseModel] | None = Level
    annotation: Any = Level
    for part in loc:
        if isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[0] if args else None
        else:
            if model is None or part not in model.model_fields:
                return None
            annotation = model.model_fields[part].annotation
        annotation = _unwrap(annotation)
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    return model


def _unwrap(annotation: Any) -> Any:
    """Localized | None -> Localized; leaves list[...] alone so an index can step into it."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _allowed_keys(loc: KeyPath) -> list[str]:
    model = _model_at(loc)
    keys = list(model.model_fields) if model else []
    return keys + ["defaults"] if model is Level else keys


def _short(value: object) -> str:
    """A value as it looks in the file: "text" in double quotes, true/false, numbers."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (int, float)):
        text = str(value)
    elif isinstance(value, list):
        text = "a list [ ... ]"
    elif isinstance(value, dict):
        text = "a block { ... }"
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _number_in_quotes(value: object) -> str | None:
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return None
        return f"Numbers need no quotes: write {value.strip()}, not {_short(value)}."
    return None


def _translate(error: dict[str, Any], loc: KeyPath) -> tuple[str, str | None]:
    """A pydantic error as (message, suggestion) in a teacher's words."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    key = next((p for p in reversed(loc) if isinstance(p, str)), "")
    parent_model = _model_at(loc[:-1]) if loc else None
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        where = "a round" if parent_model is Round else (
            "a text" if parent_model is Localized else "[unlock]" if parent_model is Unlock else "a level")
        message = f'"{key}" is not something {where} can have.'
        if parent_model is Localized:
            message += f" A text has {_languages_listed()}."
        return message, did_you_mean(str(key), allowed) or f"Allowed here: {', '.join(allowed)}."
    if kind == "missing":
        if parent_model is Localized and key in vocabulary.LANGUAGE_CODES:
            lang = vocabulary.language(str(key)).name
            return f"The {lang} text is missing.", f'Add {key} = "..." in {lang}.'
        example = EXAMPLES.get(str(key))
        return f'"{key}" is missing.', f"Add {example}." if example else None
    if "suggestion" in ctx or kind in ("unknown_emotion", "emotion_type"):
        return error["msg"], ctx.get("suggestion")
    value = error.get("input")
    if kind == "string_type":
        return f"This must be text in double quotes, not {_short(value)}.", None
    if kind in ("float_type", "float_parsing"):
        return f"This must be a number, like 1.5, not {_short(value)}.", _number_in_quotes(value)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"This must be a whole number, like 2, not {_short(value)}.", _number_in_quotes(value)
    if isinstance(value, float) and value != value:   # TOML's nan compares false with any bound
        return "This is nan (\"not a number\"), so it cannot be used here.", "Write a number, like 0.6."
    if kind in ("greater_than_equal", "greater_than"):
        return f"This is {_short(value)}, but it must be at least {ctx.get('ge', ctx.get('gt'))}.", None
    if kind in ("less_than_equal", "less_than"):
        return f"This is {_short(value)}, but it must be at most {ctx.get('le', ctx.get('lt'))}.", None
    if kind == "string_too_short":
        return "This text is empty.", "Write a few words here."
    if kind == "string_too_long":
        return f"This text is too long (at most {ctx.get('max_length')} characters).", "Make it shorter."
    if kind == "string_pattern_mismatch" and loc == ("id",):
        return (f"The level id {_short(value)} may use only small letters, digits and dashes.",
                _id_suggestion(value))
    if kind == "too_short" and loc == ("rounds",):
        return "A level needs at least one round.", "Add a [[rounds]] block."
    if kind == "too_long":
        return f"There are too many here (at most {ctx.get('max_length')}).", "Split it into two levels."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        if _model_at(loc) is Localized:
            if loc and isinstance(loc[-1], int):
                return ("Each one must give the text in every language.",
                        f"Write each one like {_text_example()}.")
            return ("This must give the text in every language.",
                    f"Write it like {key} = {_text_example()}.")
        if loc[:1] == ("rounds",) and len(loc) == 2:
            return "Each round must be a [[rounds]] block.", None
        example = EXAMPLES.get(str(key))
        return "This must be a block of settings.", f"Write it like {example}." if example else None
    if kind == "list_type":
        if loc == ("rounds",):
            return "Rounds must be [[rounds]] blocks.", "Start each round with a line [[rounds]]."
        return "This must be a list in [ ].", 'For example: hints = [ { en = "...", id = "..." } ]'
    if kind == "literal_error" and key == "mode":
        return (f"The mode {_short(value)} is not one the game knows ({', '.join(MODES)}).",
                did_you_mean(str(value), MODES))
    return error["msg"], None


def _languages_listed() -> str:
    """'en (English) and id (Bahasa Indonesia)', from the declared languages."""
    named = [f"{lang.code} ({lang.name})" for lang in vocabulary.LANGUAGES]
    return " and ".join([", ".join(named[:-1]), named[-1]]) if len(named) > 1 else named[0]


def _text_example() -> str:
    """'{ en = "...", id = "..." }' for the declared languages."""
    return "{ " + ", ".join(f'{code} = "..."' for code in vocabulary.LANGUAGE_CODES) + " }"


def _id_suggestion(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", value.strip().lower()).strip("-")[:40].strip("-")
    return f'Did you mean "{slug}"?' if slug and re.match(LEVEL_ID_PATTERN, slug) else None


def _toml_problem(file: Path, exc: tomllib.TOMLDecodeError) -> LevelProblem:
    text = str(exc)
    found = re.search(r"\(at line (\d+), column \d+\)", text)
    line = int(found.group(1)) if found else None
    raw = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", text)
    for start, message, suggestion in TOML_MESSAGES:
        if raw.startswith(start):
            return _problem(file, f"{message} ({raw})", line=line, suggestion=suggestion)
    return _problem(file, f"The file cannot be read: {raw}.", line=line,
                    suggestion="Compare this line with the worked example in levels/README.md.")


def _read_toml(file: Path) -> tuple[dict[str, Any], str]:
    try:
        raw = file.read_bytes()[: MAX_FILE_BYTES + 1]
    except OSError as exc:
        raise LevelError([_problem(file, f"The file cannot be opened ({exc.strerror or exc}).")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise LevelError([_problem(file, "The file is far too big to be a level file.",
                                   suggestion="Check that this is the right file.")])
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LevelError([_problem(file, "The file is not saved as UTF-8 text.", line=line,
                                   suggestion="Save it again as UTF-8 in your text editor.")]) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise LevelError([_toml_problem(file, exc)]) from None
    except RecursionError:   # thousands of nested brackets: not something a person writes
        raise LevelError([_problem(file, "The file nests brackets too deeply to read.")]) from None


def _apply_defaults(data: dict[str, Any], file: Path, lines: dict[KeyPath, int],
                    problems: list[LevelProblem]) -> set[tuple[int, str]]:
    """Copy [defaults] into rounds that lack those keys, and the prompt into a missing speech.

    Returns which (round index, key) were filled in, so a problem can point at the line the
    value really came from.
    """
    defaults = data.pop("defaults", {})
    if not isinstance(defaults, dict):
        problems.append(_problem(file, "[defaults] must be a block of settings.", field="defaults",
                                 line=line_of(lines, ("defaults",)),
                                 suggestion="Write it as [defaults] followed by hold_s = 1.0 and so on."))
        return set()
    for key in defaults:
        if key not in DEFAULT_KEYS:
            problems.append(_problem(
                file, f'"{key}" cannot have a default.', field=f"defaults.{key}",
                line=line_of(lines, ("defaults", key)),
                suggestion=did_you_mean(key, DEFAULT_KEYS) or f"Defaults can set {', '.join(DEFAULT_KEYS)}."))
    copied: set[tuple[int, str]] = set()
    rounds = data.get("rounds")
    if isinstance(rounds, list):
        for index, round_data in enumerate(rounds):
            if not isinstance(round_data, dict):
                continue
            for key in DEFAULT_KEYS:
                if key in defaults and key not in round_data:
                    round_data[key] = defaults[key]
                    copied.add((index, key))
            if "prompt" in round_data and "speech" not in round_data:
                # Said as shown: a problem with it is a problem with the prompt.
                round_data["speech"] = round_data["prompt"]
                copied.add((index, "speech"))
    return copied


def _validation_problems(exc: ValidationError, file: Path, lines: dict[KeyPath, int],
                         copied: set[tuple[int, str]]) -> list[LevelProblem]:
    problems: list[LevelProblem] = []
    seen: set[tuple[str, str]] = set()
    errors = exc.errors(include_url=False)
    # A round's speech defaults to its prompt: with the prompt missing (often misspelled, which
    # the "not something a round can have" problem names), "speech is missing" would be wrong.
    no_prompt = {tuple(e["loc"][:2]) for e in errors
                 if e["type"] == "missing" and len(e["loc"]) == 3 and e["loc"][0] == "rounds" and e["loc"][2] == "prompt"}
    for error in errors:
        loc: KeyPath = tuple(error["loc"])
        if error["type"] == "missing" and len(loc) == 3 and loc[2] == "speech" and loc[:2] in no_prompt:
            continue
        message, suggestion = _translate(error, loc)
        ctx = error.get("ctx") or {}
        if loc == ("rounds",) and "round" in ctx:
            # a rule of the level about one round (choices and the mode): point at that round
            loc = ("rounds", ctx["round"], ctx["key"])
        shown = loc
        if len(loc) >= 3 and loc[0] == "rounds" and isinstance(loc[1], int) and (loc[1], loc[2]) in copied:
            if loc[2] == "speech":
                shown = (*loc[:2], "prompt", *loc[3:])
            else:
                shown = ("defaults", *loc[2:])   # the bad value came from [defaults]: point there
        field = field_name(shown)
        if (field, message) in seen:
            continue
        seen.add((field, message))
        problems.append(_problem(file, message, line=line_of(lines, shown), field=field, suggestion=suggestion))
    return problems


def load_level_file(path: Path, assets_dir: Path, drawable: frozenset[int] | None = None) -> Level:
    """Load one level file. Raises LevelError, listing every problem found, if it is not usable.
    `drawable`: the characters the game's font draws (default: read from assets_dir/fonts)."""
    path = Path(path)
    data, text = _read_toml(path)
    lines = key_lines(text)
    problems: list[LevelProblem] = []
    copied = _apply_defaults(data, path, lines, problems)
    level_id = data.get("id")
    if isinstance(level_id, str) and re.match(LEVEL_ID_PATTERN, level_id) and level_id != path.stem:
        problems.append(_problem(
            path, f'The file is called "{path.name}" but its id is "{level_id}".', field="id",
            line=line_of(lines, ("id",)),
            suggestion=f'Rename the file to "{level_id}.toml", or set id = "{path.stem}".'))
    try:
        level = Level.model_validate(data, context={"assets_dir": Path(assets_dir)})
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, path, lines, copied))
        level = None
    if level is not None:
        problems.extend(_undrawable_text(level, path, lines, copied,
                                         drawable if drawable is not None else shown_characters(Path(assets_dir))))
    if problems or level is None:
        # In the order of the file, so a teacher can work down it.
        raise LevelError(sorted(problems, key=lambda p: (p.line is None, p.line or 0)))
    return level


def _undrawable_text(level: Level, file: Path, lines: dict[KeyPath, int], copied: set[tuple[int, str]],
                     drawable: frozenset[int] | None) -> list[LevelProblem]:
    """Text in characters the game's font has no letters for (glyphs.undrawable_texts), each
    named once where it is written (a speech copied from its prompt, or [defaults], there)."""
    if drawable is None:
        return []
    problems: list[LevelProblem] = []
    for loc, message, suggestion in undrawable_texts(level, drawable):
        if len(loc) >= 3 and loc[0] == "rounds" and (loc[1], loc[2]) in copied:
            if loc[2] == "speech":
                continue                      # the prompt it was copied from is named already
            loc = ("defaults", *loc[2:])
        field = field_name(loc)
        if any(p.field == field for p in problems):
            continue
        problems.append(_problem(file, message, line=line_of(lines, loc), field=field, suggestion=suggestion))
    return problems


def _level_files(levels_dir: Path) -> list[Path]:
    return sorted(p for p in levels_dir.iterdir() if p.suffix.lower() == ".toml" and p.is_file())


def load_levels(levels_dir: Path | Sequence[Path], assets_dir: Path) -> LevelSet:
    """Every level in `levels_dir`, sorted by order, and the problems with the rest. Never raises.

    `levels_dir` may also be several folders (the shipped levels, then a school's own): their
    levels play together, ids must differ across them, and unlocks may point across them.
    """
    folders = [Path(levels_dir)] if isinstance(levels_dir, (str, Path)) else [Path(f) for f in levels_dir]
    problems: list[LevelProblem] = []
    files: list[Path] = []
    for folder in folders:
        try:
            found = _level_files(folder)
        except OSError as exc:
            problems.append(_problem(folder, f"The levels folder cannot be read ({exc.strerror or exc}).",
                                     suggestion="Check the folder name."))
            continue
        if not found:
            problems.append(_problem(folder, "There are no level files (*.toml) in this folder.",
                                     suggestion="Make one with: emotion-game levels new my-first-level"))
        files.extend(found)
    loaded: dict[str, tuple[Level, Path]] = {}
    drawable = shown_characters(Path(assets_dir))      # read once for every file
    for file in files:
        try:
            level = load_level_file(file, assets_dir, drawable)
        except LevelError as exc:
            problems.extend(exc.problems)
            continue
        if level.id in loaded:
            other = loaded[level.id][1]
            named = other.name if other.parent == file.parent else str(other)
            problems.append(_problem(file, f'Another file, {named}, already has the id "{level.id}".',
                                     field="id", suggestion="Give every level its own id."))
            continue
        loaded[level.id] = (level, file)
    levels = _check_unlocks({k: v[0] for k, v in loaded.items()}, {k: v[1] for k, v in loaded.items()},
                            problems, broken={p.file.stem for p in problems})
    return LevelSet(levels=sorted(levels, key=lambda lv: (lv.order, lv.id)), problems=problems)


def _check_unlocks(levels: dict[str, Level], files: dict[str, Path], problems: list[LevelProblem],
                   broken: set[str]) -> list[Level]:
    """Make every unlock rule point at a level that loaded, and the rules free of loops.

    A level whose rule cannot be met is opened (not hidden), so children can still play it
    while the teacher fixes the file the report names.
    """
    fixed = dict(levels)
    for level_id, level in levels.items():
        after = level.unlock.after
        if after is None or after in levels:
            continue
        if after in broken:
            message = f'It unlocks after "{after}", which did not load, so it is open to everyone for now.'
            suggestion = f'Fix {after}.toml (see its problems).'
        else:
            message = f'It unlocks after "{after}", but there is no level with that id; it is open for now.'
            suggestion = did_you_mean(after, levels) or "Use the id of another level, or remove 'after'."
        problems.append(_problem(files[level_id], message, field="unlock.after", suggestion=suggestion))
        fixed[level_id] = _opened(level)
    for level_id in sorted(fixed):
        chain, current = [], level_id
        while current is not None and current not in chain:
            chain.append(current)
            current = fixed[current].unlock.after
        if current == level_id:   # back at the start: a loop of levels that wait for each other
            problems.append(_problem(
                files[level_id], "Levels wait for each other in a circle: " + " -> ".join(chain + [level_id])
                + f'; "{level_id}" is open for now.', field="unlock.after",
                suggestion="One level in the circle must come first: remove its 'after'."))
            fixed[level_id] = _opened(fixed[level_id])
    return list(fixed.values())


def _opened(level: Level) -> Level:
    return level.model_copy(update={"unlock": Unlock()})

