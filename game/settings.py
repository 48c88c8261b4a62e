"""The kiosk's settings: one TOML file a teacher or the school's IT person can edit.

    settings = load_settings()            # never raises
    settings.values.language              # what is in force (the file's, or the default)
    for problem in settings.problems: ... # what is wrong in the file: file, key, and a fix

The file lives in the platform's config folder (`settings_path()`, e.g.
~/.config/emotion-game/settings.toml on Linux; EMOTION_GAME_SETTINGS names another file).
A missing file means all defaults. A bad value never stops the game: that one key falls back
to its default and the problem says which file, which key and how to fix it. Command-line
options override the file (game/cli.py applies it as the options' defaults).

This module is low: it knows files and values, nothing of pygame, the camera or the store.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from game.vocabulary import DEFAULT_LANGUAGE, LANGUAGE_CODES, LANGUAGES

#: Set to a file's path to read the settings from there instead (tests, several kiosks).
SETTINGS_ENV = "EMOTION_GAME_SETTINGS"
APP_NAME = "emotion-game"

#: The same default speaking rate as game.speech.CHILD_RATE_WPM (slow, for young children).
DEFAULT_VOICE_RATE = 130
VOICE_RATE_RANGE = (60, 300)


class Settings(BaseModel):
    """The values in force. Every field has a default, so an empty file is a valid one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str = Field(DEFAULT_LANGUAGE, description="the kiosk's language: " + ", ".join(
        f'"{lang.code}" ({lang.english_name})' for lang in LANGUAGES))
    camera: str = Field("0", description='webcam index ("0"), a video file or a folder of images')
    database_url: str | None = Field(None, description='progress database, e.g. "postgresql://user@server/school"; '
                                                       "none: SQLite in this computer's user-data folder")
    teacher_pin: str | None = Field(None, description="the digits a teacher types to open the teacher area")
    levels_folders: tuple[Path, ...] = Field((), description="the school's own level folders, played on top of "
                                                             "the shipped levels")
    speech: bool = Field(True, description="the voice speaks the prompts (false: no voice and no sounds, captions only)")
    voice_rate: int = Field(DEFAULT_VOICE_RATE, description="how fast the voice speaks, in words per minute")

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGE_CODES:
            raise ValueError(f"the game speaks {', '.join(LANGUAGE_CODES)}")
        return value

    @field_validator("camera", mode="before")
    @classmethod
    def _camera_text(cls, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError("it must be a webcam index or a path")
        if isinstance(value, int) and value < 0:
            raise ValueError("a webcam index is 0 or more")
        text = str(value).strip()
        if not text:
            raise ValueError("it must not be empty")
        return text

    @field_validator("database_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and "://" not in value:
            raise ValueError("a database URL starts with sqlite:/// or postgresql://")
        return value or None

    @field_validator("teacher_pin", mode="before")
    @classmethod
    def _pin_digits(cls, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if not (text.isdigit() and 4 <= len(text) <= 8):
            raise ValueError("a PIN is 4 to 8 digits, written in quotes")
        return text

    @field_validator("levels_folders", mode="before")
    @classmethod
    def _folder_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("voice_rate")
    @classmethod
    def _rate_range(cls, value: int) -> int:
        low, high = VOICE_RATE_RANGE
        if not low <= value <= high:
            raise ValueError(f"it must be between {low} and {high}")
        return value


#: What each key looks like when written right, for the fix in a problem message.
EXAMPLES = {
    "language": 'language = "id"',
    "camera": 'camera = "0"',
    "database_url": 'database_url = "postgresql://kiosk@school-server/emotion_game"',
    "teacher_pin": 'teacher_pin = "2468"',
    "levels_folders": 'levels_folders = ["/srv/school-levels"]',
    "speech": "speech = false",
    "voice_rate": "voice_rate = 130",
}


@dataclass(frozen=True)
class LoadedSettings:
    path: Path
    values: Settings
    exists: bool
    #: One plain sentence each: file, key, what is wrong, the fix, and that the default is used.
    problems: list[str] = field(default_factory=list)
    #: The keys the file set (and that were good); the rest are defaults.
    from_file: frozenset[str] = frozenset()


def settings_path() -> Path:
    """Where the settings file is read from."""
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "settings.toml"


def load_settings(path: Path | None = None) -> LoadedSettings:
    """The settings in force. Never raises: what cannot be used is named and left at its default."""
    path = Path(path) if path is not None else settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedSettings(path, Settings(), exists=False)
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedSettings(path, Settings(), exists=True, problems=[
            f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc}); using the default settings. "
            "Fix: check the file's permissions, or save it again as UTF-8 text."])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return LoadedSettings(path, Settings(), exists=True, problems=[
            f"{path}: not valid TOML ({exc}); using the default settings. "
            'Fix: write one setting a line, e.g. language = "id" (text in quotes).'])
    problems: list[str] = []
    good: dict[str, Any] = {}
    known = list(Settings.model_fields)
    for key, value in data.items():
        if key not in Settings.model_fields:
            guess = difflib.get_close_matches(key, known, n=1)
            hint = f'did you mean "{guess[0]}"?' if guess else f"the settings are {', '.join(known)}"
            problems.append(f"{path}: unknown setting \"{key}\" is ignored; {hint}")
            continue
        try:
            Settings.model_validate({key: value})
        except ValidationError as exc:
            problems.append(_problem(path, key, value, exc))
            continue
        good[key] = value
    return LoadedSettings(path, Settings.model_validate(good), exists=True, problems=problems,
                          from_file=frozenset(good))


#: pydantic's words for a wrong type, said for a teacher editing a TOML file.
TYPE_REASONS = {
    "int_parsing": "it must be a whole number, without quotes",
    "int_type": "it must be a whole number, without quotes",
    "int_from_float": "it must be a whole number",
    "bool_parsing": "it must be true or false, without quotes",
    "bool_type": "it must be true or false, without quotes",
    "string_type": "it must be text in quotes",
    "tuple_type": 'it must be a list of folders, e.g. ["/srv/levels"]',
}


def _problem(path: Path, key: str, value: Any, exc: ValidationError) -> str:
    error = exc.errors()[0]
    reason = TYPE_REASONS.get(error.get("type", ""), str(error.get("msg", "not valid")).removeprefix("Value error, "))
    default = Settings.model_fields[key].default
    shown_default = "none" if default is None else ("[]" if default == () else _toml_value(default))
    return (f"{path}: {key} = {_toml_value(value)} cannot be used: {reason}. The game uses the default "
            f"({shown_default}) until it is fixed. Fix: write it like {EXAMPLES[key]} "
            f"({Settings.model_fields[key].description}).")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def describe(loaded: LoadedSettings) -> str:
    """What `emotion-game settings` prints: the file, then each value in force and where it came from."""
    lines = [f"Settings file: {loaded.path}" + ("" if loaded.exists else " (not there yet: all defaults)"), ""]
    rows = []
    for key, info in Settings.model_fields.items():
        value = getattr(loaded.values, key)
        if isinstance(value, tuple):
            shown = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        elif key == "teacher_pin" and value:
            shown = "set (" + "*" * len(value) + ")"
        else:
            shown = "none" if value is None else _toml_value(value)
        rows.append((f"{key} = {shown}", "from the file" if key in loaded.from_file else "default", info.description))
    width = max(len(row[0]) for row in rows)
    for setting, origin, what in rows:
        lines.append(f"  {setting:<{width}}  # {origin}: {what}")
    if loaded.problems:
        lines.append("")
    for problem in loaded.problems:
        lines.append(f"problem: {problem}")
    return "\n".join(lines)
