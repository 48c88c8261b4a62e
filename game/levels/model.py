"""The shape of a level: typed, frozen objects that the game plays and a teacher writes as TOML.

Everything a curriculum designer can get wrong is checked here or in the loader, so the play
code can trust what it gets: every round has a known emotion, text in every declared language, a
picture that exists inside the assets folder, and sane timings.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from game import vocabulary
from game.levels.suggest import closest

#: The emotions a round can ask for, in the order the game teaches them (game/vocabulary.py).
EMOTIONS = vocabulary.EMOTION_NAMES

#: Words a teacher might write for an emotion, mapped to the name the game uses.
EMOTION_SYNONYMS = vocabulary.emotion_words()

#: Every text in a level is given in each of these languages (game/vocabulary.py).
LANGUAGES = vocabulary.LANGUAGE_CODES

#: Level modes. "practice": the normal round with picture, spoken prompt and hints.
#: "mirror": a quick copy-the-picture game with short rounds; the game keeps chatter short.
#: "recognise": no camera; the child taps, among two or three faces (`choices`), the one that fits.
MODES = ("practice", "mirror", "recognise")

#: A recognise round offers this many faces to choose from (the right one included).
CHOICES_MIN, CHOICES_MAX = 2, 3

#: How many children play a level together: one, or two friends side by side (friends mode:
#: each child's face is followed and judged on its own, the round is won when both hold it).
PLAYERS = (1, 2)
#: The modes two friends can play: the rounds where the children show the face.
FRIENDS_MODES = ("practice",)

#: A level id doubles as its file name, so it is kept to lowercase letters, digits and dashes.
LEVEL_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LEVEL_ID_MAX = 40

#: Punctuation that espeak-ng reads as a pause or intonation rather than saying its name.
SPOKEN_PUNCTUATION = set(" .,!?'\u2019-:;")

#: Most stars a child can earn on one level; `unlock.min_stars` counts these.
MAX_STARS = vocabulary.MAX_STARS

TITLE_MAX = 40
LINE_MAX = 120
STORY_MAX = 240
HINTS_MAX = 4
ROUNDS_MAX = 12

StrictInt = Annotated[int, Strict()]
StrictFloat = Annotated[float, Strict()]   # accepts 2 as 2.0, refuses true and "2"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _unprintable(text: str) -> str | None:
    """The first character that the game font and the kiosk screen cannot show, if any."""
    for ch in text:
        category = unicodedata.category(ch)
        if category in ("So", "Cs", "Co", "Cn") or (category.startswith("C") and ch not in "\n"):
            return ch
    return None


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "").lower()
    return f"'{ch}' ({name})" if name else repr(ch)


class _LocalizedText(_Frozen):
    """One line of text, given in every declared language (the fields come from
    game/vocabulary.py, so a new language is checked in every level without code here)."""

    @field_validator("*")
    @classmethod
    def _showable(cls, text: str) -> str:
        bad = _unprintable(text)
        if bad is not None:
            raise PydanticCustomError(
                "unshowable_character",
                "{character} cannot be shown or spoken by the game.",
                {"character": _describe(bad), "suggestion": "Use words instead of emoji or symbols."})
        return text

    @property
    def texts(self) -> dict[str, str]:
        """The text by language code: {"en": ..., "id": ...}."""
        return {code: getattr(self, code) for code in LANGUAGES}

    def get(self, lang: str) -> str:
        """The text in `lang`; a language the game does not speak falls back to the default."""
        return getattr(self, lang if lang in LANGUAGES else vocabulary.DEFAULT_LANGUAGE)

    def __str__(self) -> str:
        return " / ".join(self.texts.values())


#: A text in every language: `Localized(en="Happy", id="Senang")`; all are required and non-empty.
Localized = create_model(
    "Localized", __base__=_LocalizedText, __module__=__name__,
    **{code: (str, Field(min_length=1, max_length=STORY_MAX)) for code in LANGUAGES})


def _language_name(code: str) -> str:
    return vocabulary.language(code).english_name


def _check_spoken(text: Localized) -> Localized:
    for lang, line in text.texts.items():
        for ch in line:
            if not (ch.isalnum() or unicodedata.category(ch).startswith("M") or ch in SPOKEN_PUNCTUATION):
                raise PydanticCustomError(
                    "unspeakable_character",
                    "The spoken {lang} line has {character}, which the voice would read out "
                    "by name or skip.",
                    {"lang": _language_name(lang), "character": _describe(ch),
                     "suggestion": "Write it as words; keep only letters and . , ! ? ' - in spoken lines."})
    return text


def _limit(text: Localized, max_chars: int, what: str) -> Localized:
    for lang, line in text.texts.items():
        if len(line) > max_chars:
            raise PydanticCustomError(
                "text_too_long",
                "The {lang} {what} is {n} characters long; at most {max} fit on the screen.",
                {"lang": _language_name(lang), "what": what, "n": len(line), "max": max_chars,
                 "suggestion": "Make it shorter: young children read a few words at a time."})
    return text


#: Stars on the level before that open a level when its file does not say: one star means at
#: least one face was made, so skipping every round never opens the next level.
DEFAULT_UNLOCK_STARS = 1


class Unlock(_Frozen):
    """When a level opens: after `after` (a level id) is completed with at least `min_stars`
    (DEFAULT_UNLOCK_STARS when the file names a level but no stars; `min_stars = 0` opens it
    once the level before was played at all, even with every round skipped)."""

    after: str | None = None
    min_stars: StrictInt = Field(default=0, ge=0, le=MAX_STARS)

    @model_validator(mode="before")
    @classmethod
    def _stars_default_with_a_level(cls, data: object) -> object:
        if isinstance(data, dict) and "min_stars" not in data:
            after = data.get("after")
            if isinstance(after, str) and after.strip():
                return {**data, "min_stars": DEFAULT_UNLOCK_STARS}
        return data

    @field_validator("after", mode="before")
    @classmethod
    def _empty_means_none(cls, value: object) -> object:
        # A teacher may write after = "" for "open from the start"; TOML has no null.
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _stars_need_a_level(self) -> Unlock:
        if self.after is None and self.min_stars > 0:
            raise PydanticCustomError(
                "stars_without_level",
                "min_stars = {stars} needs a level to earn them on, but 'after' is empty.",
                {"stars": self.min_stars,
                 "suggestion": "Set after = \"<level id>\", or remove min_stars."})
        return self


def _emotion_name(value: object) -> str:
    """A known emotion's name from what a designer wrote, or an error with the closest one."""
    if not isinstance(value, str):
        raise PydanticCustomError(
            "emotion_type", "The emotion must be one word in quotes: {choices}.",
            {"choices": ", ".join(f'"{e}"' for e in EMOTIONS),
             "suggestion": 'For example: emotion = "happy"'})
    word = value.strip().lower()
    if word in EMOTIONS:
        return word
    guess = EMOTION_SYNONYMS.get(word) or closest(word, EMOTIONS)
    raise PydanticCustomError(
        "unknown_emotion", "\"{value}\" is not an emotion this game knows ({choices}).",
        {"value": value, "choices": ", ".join(EMOTIONS),
         "suggestion": f'Did you mean "{guess}"?' if guess else None})


class Round(_Frozen):
    """One face to make. `picture` is an absolute, resolved path inside the assets folder.

    `threshold` is the difficulty: the smoothed probability of `emotion` must stay at or above
    it for `hold_s` seconds, within `time_limit_s`. `story`, when present, is told first and
    the child answers with a face.

    In a recognise level, `choices` are the emotions whose faces the child chooses from (the
    round's `emotion`, the right answer, among them) and `picture` is the right face.
    """

    emotion: str
    prompt: Localized
    speech: Localized
    picture: Path
    hold_s: StrictFloat = Field(default=1.0, ge=0.2, le=10.0)
    time_limit_s: StrictFloat = Field(default=20.0, ge=3.0, le=300.0)
    threshold: StrictFloat = Field(default=0.6, ge=0.3, le=0.95)
    hints: list[Localized] = Field(default_factory=list, max_length=HINTS_MAX)
    story: Localized | None = None
    choices: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _speech_defaults_to_prompt(cls, data: object) -> object:
        if isinstance(data, dict) and "speech" not in data and "prompt" in data:
            return {**data, "speech": data["prompt"]}
        return data

    @field_validator("emotion", mode="before")
    @classmethod
    def _known_emotion(cls, value: object) -> str:
        return _emotion_name(value)

    @field_validator("choices", mode="before")
    @classmethod
    def _known_choices(cls, value: object) -> object:
        # Each entry is named like `emotion`; a misspelt one gets the same "did you mean".
        return [_emotion_name(v) for v in value] if isinstance(value, list) else value

    @field_validator("choices")
    @classmethod
    def _choices_fit(cls, choices: list[str], info: ValidationInfo) -> list[str]:
        if not choices:
            return choices     # only a recognise level needs them (Level checks that)
        if not CHOICES_MIN <= len(choices) <= CHOICES_MAX or len(set(choices)) != len(choices):
            raise PydanticCustomError(
                "choices_count", "A recognise round shows {low} or {high} different faces; this one lists {listed}.",
                {"low": CHOICES_MIN, "high": CHOICES_MAX, "listed": ", ".join(choices),
                 "suggestion": 'List each emotion once, e.g. choices = ["happy", "sad"].'})
        right = info.data.get("emotion")
        if right is not None and right not in choices:
            raise PydanticCustomError(
                "choices_without_answer",
                "The choices ({listed}) leave out \"{right}\", the face that fits this round.",
                {"listed": ", ".join(choices), "right": right,
                 "suggestion": f'Add "{right}" to the choices, e.g. choices = ["{right}", "{next(e for e in EMOTIONS if e != right)}"].'})
        return choices

    @field_validator("prompt")
    @classmethod
    def _short_prompt(cls, text: Localized) -> Localized:
        return _limit(text, LINE_MAX, "prompt")

    @field_validator("speech")
    @classmethod
    def _speakable(cls, text: Localized) -> Localized:
        return _check_spoken(_limit(text, STORY_MAX, "spoken line"))

    @field_validator("story")
    @classmethod
    def _speakable_story(cls, text: Localized | None) -> Localized | None:
        # The story is read aloud as well as shown.
        return None if text is None else _check_spoken(text)

    @field_validator("hints")
    @classmethod
    def _speakable_hints(cls, hints: list[Localized]) -> list[Localized]:
        return [_check_spoken(_limit(h, LINE_MAX, "hint")) for h in hints]

    @field_validator("picture", mode="before")
    @classmethod
    def _picture_in_assets(cls, value: object, info: ValidationInfo) -> Path:
        assets_dir = (info.context or {}).get("assets_dir")
        if assets_dir is None:
            # Built in code (not from a file): the caller vouches for the path; it must still
            # be absolute so the game never depends on the working directory.
            path = Path(value) if isinstance(value, (str, Path)) else None
            if path is None or not path.is_absolute():
                raise PydanticCustomError(
                    "picture_not_absolute", "A picture built in code must be an absolute path.", {})
            return path.resolve()
        from game.levels.assets import resolve_asset   # the filesystem rules live with the loader
        return resolve_asset(value, Path(assets_dir), kind="picture")

    @model_validator(mode="after")
    def _time_for_holding(self) -> Round:
        if self.time_limit_s < self.hold_s + 2.0:
            raise PydanticCustomError(
                "time_limit_too_short",
                "time_limit_s = {limit} leaves too little time to hold the face for {hold} seconds.",
                {"limit": self.time_limit_s, "hold": self.hold_s,
                 "suggestion": f"Make time_limit_s at least {self.hold_s + 2.0:g}."})
        return self


class Level(_Frozen):
    """A level: its rounds in order, how it unlocks, and its mode ("practice" or "mirror")."""

    id: str = Field(pattern=LEVEL_ID_PATTERN, max_length=LEVEL_ID_MAX)
    title: Localized
    order: StrictInt = Field(ge=1, le=9999)
    mode: Literal["practice", "mirror", "recognise"] = "practice"
    unlock: Unlock = Field(default_factory=Unlock)
    players: StrictInt = 1
    rounds: list[Round] = Field(min_length=1, max_length=ROUNDS_MAX)

    @field_validator("title")
    @classmethod
    def _short_title(cls, text: Localized) -> Localized:
        return _limit(text, TITLE_MAX, "title")

    @field_validator("rounds")
    @classmethod
    def _choices_for_the_mode(cls, rounds: list[Round], info: ValidationInfo) -> list[Round]:
        # `round` in the context lets the loader point at that round's choices (and its line).
        mode = info.data.get("mode")
        for index, rnd in enumerate(rounds):
            if mode == "recognise" and not rnd.choices:
                raise PydanticCustomError(
                    "recognise_needs_choices",
                    "A recognise round needs the faces to choose from, but round {n} has no choices.",
                    {"n": index + 1, "round": index, "key": "choices",
                     "suggestion": f'Add choices = ["{rnd.emotion}", "{next(e for e in EMOTIONS if e != rnd.emotion)}"].'})
            if mode in ("practice", "mirror") and rnd.choices:
                raise PydanticCustomError(
                    "choices_outside_recognise",
                    "Round {n} has choices, but only a recognise level shows faces to choose from.",
                    {"n": index + 1, "round": index, "key": "choices",
                     "suggestion": 'Write mode = "recognise" at the top of the file, or remove the choices.'})
        return rounds

    @field_validator("players")
    @classmethod
    def _one_child_or_two_friends(cls, players: int, info: ValidationInfo) -> int:
        if players not in PLAYERS:
            raise PydanticCustomError(
                "players_count", "players = {n}, but the game plays with one child or two friends side by side.",
                {"n": players, "suggestion": "Write players = 2 for two friends, or leave players out for one child."})
        mode = info.data.get("mode")
        if players == 2 and mode is not None and mode not in FRIENDS_MODES:
            raise PydanticCustomError(
                "players_mode", "Two friends play levels where they show the face; a {mode} level is for one child.",
                {"mode": mode, "suggestion": f'Write mode = "{FRIENDS_MODES[0]}", or leave players out.'})
        return players

    @model_validator(mode="after")
    def _not_after_itself(self) -> Level:
        if self.unlock.after == self.id:
            raise PydanticCustomError(
                "unlocks_after_itself", "Level \"{id}\" cannot unlock after itself.",
                {"id": self.id, "suggestion": "Name the level that comes before it, or leave 'after' out."})
        return self

    @property
    def emotions(self) -> tuple[str, ...]:
        """The distinct emotions this level practises, in first-seen order."""
        return tuple(dict.fromkeys(r.emotion for r in self.rounds))


class LevelProblem(_Frozen):
    """One thing wrong with a level file, said so that a teacher can fix it.

    `field` is a dotted path such as "rounds[2].emotion" where round numbers count from 1,
    as a teacher counts the [[rounds]] blocks in the file. `line` is 1-based, when known.
    """

    file: Path
    line: int | None = None
    field: str = ""
    message: str
    suggestion: str | None = None

    @property
    def field_label(self) -> str:
        """The field as a teacher reads it: 'round 2, emotion'."""
        return _human_field(self.field)

    def where(self) -> str:
        place = self.file.name if self.line is None else f"{self.file.name}:{self.line}"
        return f"{place} ({self.field_label})" if self.field else place

    def __str__(self) -> str:
        text = f"{self.where()}: {self.message}"
        return f"{text} {self.suggestion}" if self.suggestion else text


def _human_field(field: str) -> str:
    """'rounds[2].prompt.id' -> 'round 2, prompt.id' for the report."""
    if field.startswith("rounds[") and "]" in field:
        number, _, rest = field[len("rounds["):].partition("]")
        rest = rest.lstrip(".")
        return f"round {number}, {rest}" if rest else f"round {number}"
    return field


class LevelError(Exception):
    """A level file could not be used; `problems` says every reason found."""

    def __init__(self, problems: list[LevelProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "level could not be loaded")


class LevelSet(_Frozen):
    """Every level that loaded, sorted by order, and every problem found on the way."""

    levels: list[Level] = Field(default_factory=list)
    problems: list[LevelProblem] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def get(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)
