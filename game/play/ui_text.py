"""The game's own words and colours, read from assets/ui/*.toml (no pygame here).

Every language file must have the same keys as English; `load_phrases` reports any key a
translation is missing (and the game falls back to English for it) instead of failing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game import vocabulary
from game.resources import assets_dir

Colour = tuple[int, int, int]


class UiDataError(RuntimeError):
    """A UI data file is missing or unreadable; the message names the file."""


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise UiDataError(f"{path}: missing (the game's words and colours live in assets/ui/)") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UiDataError(f"{path}: not valid TOML ({exc})") from exc


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


@dataclass(frozen=True)
class Phrases:
    """Look up UI words by dotted key ("face.no_face") and language."""

    by_lang: dict[str, dict[str, Any]]
    problems: tuple[str, ...] = ()

    def get(self, key: str, lang: str, **values: Any) -> str:
        table = self.by_lang.get(lang) or self.by_lang[vocabulary.DEFAULT_LANGUAGE]
        text = table.get(key, self.by_lang[vocabulary.DEFAULT_LANGUAGE].get(key))
        if text is None:
            return key  # visible to a developer, harmless to a child
        if isinstance(text, list):
            text = text[0]
        return str(text).format(**values) if values else str(text)

    def choices(self, key: str, lang: str) -> list[str]:
        table = self.by_lang.get(lang) or self.by_lang[vocabulary.DEFAULT_LANGUAGE]
        value = table.get(key, self.by_lang[vocabulary.DEFAULT_LANGUAGE].get(key, []))
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def pick(self, key: str, lang: str, turn: int, **values: Any) -> str:
        """The `turn`-th of a list of phrases, round robin (so cheers do not repeat at once)."""
        options = self.choices(key, lang)
        text = options[turn % len(options)] if options else key
        return text.format(**values) if values else text

    def table(self, key: str, lang: str) -> dict[str, str]:
        """A small inline table such as teacher.difficulty_names, as {name: text}."""
        prefix = key + "."
        english = {k[len(prefix):]: str(v) for k, v in self.by_lang[vocabulary.DEFAULT_LANGUAGE].items() if k.startswith(prefix)}
        local = {k[len(prefix):]: str(v) for k, v in (self.by_lang.get(lang) or {}).items() if k.startswith(prefix)}
        return {**english, **local}


def ui_dir() -> Path:
    """assets/ui: the game's words (one TOML file per language) and its theme."""
    return assets_dir() / "ui"


def load_phrases(folder: Path | None = None) -> Phrases:
    folder = folder or ui_dir()
    codes = vocabulary.LANGUAGE_CODES
    by_lang = {lang: _flatten(_read(folder / f"{lang}.toml")) for lang in codes}
    problems = []
    english = set(by_lang[vocabulary.DEFAULT_LANGUAGE])
    for lang in codes:
        if lang == vocabulary.DEFAULT_LANGUAGE:
            continue
        for key in sorted(english - set(by_lang[lang])):
            problems.append(f"{folder / (lang + '.toml')}: no '{key}' (English is shown instead)")
        for key in sorted(set(by_lang[lang]) - english):
            problems.append(f"{folder / (lang + '.toml')}: '{key}' is not in en.toml and is never used")
    return Phrases(by_lang, tuple(problems))


def parse_colour(text: str) -> Colour:
    value = str(text).strip().lstrip("#")
    if len(value) != 6:
        raise UiDataError(f"colour {text!r} is not #rrggbb")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@dataclass(frozen=True)
class Theme:
    """The game's colours, and `size`: the logical canvas every scene lays out on (the window
    scales it to the screen, see game.play.screen)."""

    colours: dict[str, Colour]
    confetti: tuple[Colour, ...]
    size: tuple[int, int]
    emotions: dict[str, Colour] = field(default_factory=lambda: {
        e.name: parse_colour(e.colour) for e in vocabulary.EMOTIONS})

    def __getitem__(self, name: str) -> Colour:
        return self.colours[name]

    def emotion(self, label: str) -> Colour:
        """An emotion's colour (game/vocabulary.py); the accent for anything else."""
        return self.emotions.get(label, self.colours["accent"])


def load_theme(folder: Path | None = None) -> Theme:
    path = (folder or ui_dir()) / "theme.toml"
    data = _read(path)
    try:
        raw = dict(data["colours"])
        confetti = tuple(parse_colour(c) for c in raw.pop("confetti", ["#ff7a59", "#ffc93c"]))
        colours = {name: parse_colour(value) for name, value in raw.items()}
        layout = data.get("layout", {})
        size = (int(layout.get("width", 1280)), int(layout.get("height", 720)))
    except (KeyError, TypeError, ValueError, UiDataError) as exc:
        raise UiDataError(f"{path}: {exc}") from exc
    return Theme(colours, confetti, size)
