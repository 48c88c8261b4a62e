"""The records the progress store keeps: plain frozen dataclasses, no database code.

Kept free of SQLAlchemy so the game (and `emotion-game levels check`) can import these types
without loading a database driver.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

#: How an attempt ended. "matched": the child held the face long enough (a recognise round: tapped
#: the face that fits); "timeout": the round ran out of time; "skipped": the child (or teacher)
#: moved on; "wrong": a recognise round's tap on a face that does not fit.
OUTCOMES = ("matched", "timeout", "skipped", "wrong")

#: What an attempt asked of the child. "show": make the face for the camera; "recognise": tap
#: the face that fits (no camera; `answer` is the emotion tapped).
KINDS = ("show", "recognise")

#: Longest child name we keep. Far above any real name (a 5000-character name is kept
#: exactly); it only stops a stuck key from filling the database.
MAX_NAME_CHARS = 20_000


class ProgressError(Exception):
    """A problem the teacher can act on; the message is written for them."""


class InvalidChildName(ProgressError):
    """A child's name the store refuses (blank, too long, unstorable); the message says why."""


def clean_name(name: object) -> str:
    """A child's name as we store it: exactly as typed (unicode, emoji, right-to-left scripts,
    spaces and all), except that an empty or blank name is refused with a message saying why.
    """
    if not isinstance(name, str):
        raise InvalidChildName(f"A child's name must be text, not {type(name).__name__}.")
    if not name.strip():
        raise InvalidChildName("A child's name cannot be empty: please type a name or a nickname.")
    if "\x00" in name:
        raise InvalidChildName("A child's name cannot contain a NUL character; please retype it.")
    if not _storable(name):
        raise InvalidChildName("That name has a character that cannot be stored; please retype it.")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidChildName(
            f"That name is {len(name):,} characters long; a name can have at most "
            f"{MAX_NAME_CHARS:,} characters, so please shorten it.")
    return name


def _storable(text: str) -> bool:
    """Whether text can be written as UTF-8 (a lone surrogate, e.g. from a broken paste, cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; naive values are refused because their zone is a guess."""
    if not isinstance(moment, datetime):
        raise ProgressError(f"Expected a date and time, got {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ProgressError("Times must carry a time zone (use datetime.now(timezone.utc)).")
    try:
        return moment.astimezone(timezone.utc)
    except (OverflowError, ValueError) as exc:
        raise ProgressError(f"That time ({moment!r}) is out of range.") from exc


def _share(name: str, value: float) -> float:
    value = float(value)
    if math.isnan(value) or value < -1e-9 or value > 1 + 1e-9:
        raise ProgressError(f"{name} must be between 0 and 1, got {value}.")
    return min(1.0, max(0.0, value))


@dataclass(frozen=True)
class Child:
    id: int
    name: str
    avatar: str
    created_at: datetime
    #: Taken off the kiosk's list by a teacher (their results stay for the report).
    archived_at: datetime | None = None


@dataclass(frozen=True)
class Attempt:
    """One round: the child was asked for `emotion` and either matched it or did not.

    `kind` says how (KINDS): shown to the camera, or recognised by a tap, when `answer` is the
    emotion the child tapped and `time_to_match_s` the seconds to the right tap.

    Shares are fractions of the attempt's frames: `face_share` frames with a face at all;
    `positive_share` frames where happy led; `negative_share` frames where sad or fear led;
    `noface_share` frames without a face.
    """

    child_id: int
    session_id: int
    level_id: str
    round_index: int
    emotion: str
    started_at: datetime
    ended_at: datetime
    outcome: str
    time_to_match_s: float | None = None
    peak_prob: float = 0.0
    mean_prob: float = 0.0
    face_share: float = 0.0
    positive_share: float = 0.0
    negative_share: float = 0.0
    noface_share: float = 0.0
    kind: str = "show"
    answer: str | None = None

    def checked(self) -> "Attempt":
        """This attempt with times in UTC and numbers in range, or a ProgressError saying why not."""
        if self.outcome not in OUTCOMES:
            raise ProgressError(f"outcome must be one of {', '.join(OUTCOMES)}, got {self.outcome!r}.")
        if self.kind not in KINDS:
            raise ProgressError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}.")
        answer = None if self.answer is None else str(self.answer).strip()
        if answer is not None and (not answer or len(answer) > 32 or not _storable(answer)):
            raise ProgressError("A tapped answer must be an emotion's name (at most 32 characters).")
        if not str(self.emotion).strip():
            raise ProgressError("An attempt needs the emotion the child was asked for.")
        if not (_storable(str(self.level_id)) and _storable(str(self.emotion))):
            raise ProgressError("The level id or emotion has a character that cannot be stored.")
        started, ended = as_utc(self.started_at), as_utc(self.ended_at)
        if ended < started:
            raise ProgressError("An attempt cannot end before it starts.")
        ttm = self.time_to_match_s
        if ttm is not None:
            ttm = float(ttm)
            if not math.isfinite(ttm) or ttm < 0:
                raise ProgressError(f"time_to_match_s must be a positive number of seconds, got {ttm}.")
        return Attempt(
            child_id=int(self.child_id), session_id=int(self.session_id),
            level_id=str(self.level_id), round_index=int(self.round_index),
            emotion=str(self.emotion).strip(), started_at=started, ended_at=ended,
            outcome=self.outcome, time_to_match_s=ttm,
            peak_prob=_share("peak_prob", self.peak_prob),
            mean_prob=_share("mean_prob", self.mean_prob),
            face_share=_share("face_share", self.face_share),
            positive_share=_share("positive_share", self.positive_share),
            negative_share=_share("negative_share", self.negative_share),
            noface_share=_share("noface_share", self.noface_share),
            kind=self.kind, answer=answer,
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["ended_at"] = self.ended_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Attempt":
        values = dict(data)
        values["started_at"] = datetime.fromisoformat(values["started_at"])
        values["ended_at"] = datetime.fromisoformat(values["ended_at"])
        return cls(**values)
