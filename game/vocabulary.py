"""What the game talks about, declared once: the emotions it teaches, the languages it speaks,
and the stars a level can give. No pygame and no I/O, so every room can import it (levels,
progress, play, tools).

Adding an emotion is one `Emotion(...)` line here plus its words in `assets/ui/*.toml` and its
pictures in `assets/faces/`; adding a language is one `Language(...)` line here plus its
`assets/ui/<code>.toml`, its text in every level file and a voice entry in `game/speech.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Valence(str, Enum):
    """How the teacher report counts an expression: pleasant, unpleasant."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


@dataclass(frozen=True)
class Emotion:
    """One expression the game asks for.

    `name` is the word levels, the model card and the progress store use; `colour` is the
    game's colour for it (#rrggbb); `pictures` are its face pictures inside assets/;
    `words` are what a curriculum designer might write instead of `name` (so a level check
    can say "did you mean ...?", which difflib alone would not, e.g. "scared" for "fear").
    `plain_pictures` are the same children on one plain card for every emotion: a recognise
    round shows them, since a card in the emotion's colour would give the answer away.
    """

    name: str
    colour: str
    valence: Valence
    pictures: tuple[str, ...]
    words: tuple[str, ...] = ()
    plain_pictures: tuple[str, ...] = ()


#: Children drawn for every emotion (tools/assets/faces.py): faces/<emotion>-<n>.png.
FACE_CHILDREN = 5


def _faces(name: str, folder: str = "faces") -> tuple[str, ...]:
    return tuple(f"{folder}/{name}-{n}.png" for n in range(1, FACE_CHILDREN + 1))


EMOTIONS: tuple[Emotion, ...] = (
    Emotion("happy", "#ffc93c", Valence.POSITIVE, _faces("happy"),
            ("happiness", "joy", "joyful", "glad", "smile", "senang", "gembira", "bahagia"),
            _faces("happy", "faces/plain")),
    Emotion("sad", "#4cc9f0", Valence.NEGATIVE, _faces("sad"),
            ("sadness", "unhappy", "cry", "crying", "sedih"), _faces("sad", "faces/plain")),
    Emotion("fear", "#9b7bf6", Valence.NEGATIVE, _faces("fear"),
            ("scared", "afraid", "fearful", "frightened", "scary", "takut"), _faces("fear", "faces/plain")),
)

#: The emotion names in teaching order: what a round may ask for.
EMOTION_NAMES: tuple[str, ...] = tuple(e.name for e in EMOTIONS)


#: The emotions' names in their declared order (what the model card and the store use).
EMOTION_NAMES: tuple[str, ...] = tuple(e.name for e in EMOTIONS)


def emotion(name: str) -> Emotion:
    """The declared emotion called `name` (KeyError names the known ones)."""
    for candidate in EMOTIONS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no emotion {name!r}; the game knows {', '.join(EMOTION_NAMES)}")


def labels_with(valence: Valence) -> frozenset[str]:
    return frozenset(e.name for e in EMOTIONS if e.valence is valence)


def emotion_words() -> dict[str, str]:
    """Every other word for an emotion -> its name ("scared" -> "fear")."""
    return {word: e.name for e in EMOTIONS for word in e.words}


@dataclass(frozen=True)
class Language:
    """A language the game speaks. `name` is how its speakers call it (the teacher area's
    choice); `english_name` is how a message about a level file names it."""

    code: str
    name: str
    english_name: str


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English"),
    Language("id", "Bahasa Indonesia", "Indonesian"),
)

LANGUAGE_CODES: tuple[str, ...] = tuple(lang.code for lang in LANGUAGES)
#: Shown when a text lacks the kiosk's language; the UI words are checked against it.
DEFAULT_LANGUAGE = LANGUAGE_CODES[0]


def language(code: str) -> Language:
    for candidate in LANGUAGES:
        if candidate.code == code:
            return candidate
    raise KeyError(f"no language {code!r}; the game speaks {', '.join(LANGUAGE_CODES)}")


#: Most stars a child can earn on one level (scoring gives them, `unlock.min_stars` counts them).
MAX_STARS = 3
