"""Practice that follows the child: a short session built from their own stored attempts (pure:
no pygame, no database; the practice scene reads the attempts and plays what this returns).

- **What**: more rounds of the emotion the child finds hardest (lowest success, then slowest),
  mixed with one they do well, which opens the session and closes it, so it ends on a success.
- **When**: spaced over days. An emotion is *mastered* when its last tries are nearly all
  matched; a mastered one comes back after 1, 2, 4, 8, then 16 days, one step longer for each
  day in a row it was all matched, and is left out until then.
- **How hard**: each emotion has a difficulty step between the easiest and the hardest setting
  the curriculum's own levels use (`Bounds.from_levels`). Replaying the child's tries in order,
  a run of RUN_UP matches moves it one step harder, a run of RUN_DOWN misses one step easier;
  the step is fixed when the session is built, so it never changes mid-round. The closing
  round is one step easier still.

Shown faces only (kind "show"): a practice session asks for faces; recognised taps are counted
apart in the report and in `teacher_lines`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from game import vocabulary

if TYPE_CHECKING:
    from game.levels import Level
    from game.play.ui_text import Phrases
    from game.progress import Attempt

#: The practice session's level id (attempts and stars are stored under it).
PRACTICE_LEVEL_ID = "practice"
SESSION_ROUNDS = 6
#: Matches in a row that make an emotion one step harder; misses in a row, one step easier.
RUN_UP = 3
RUN_DOWN = 2
#: Difficulty steps from the easiest (0) to the hardest setting; a child starts at START_STEP.
STEPS = 4
START_STEP = 1
#: Mastered: at least MASTERED_TRIES of the last RECENT tries, and that many at all, matched.
RECENT = 6
MASTERED_TRIES = 5
#: The longest a mastered emotion waits: 2 ** MAX_SPACING_BOX days.
MAX_SPACING_BOX = 4
LAST_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Setting:
    """What one practice round asks: the level-scale threshold, the hold and the time."""

    threshold: float
    hold_s: float
    time_limit_s: float


@dataclass(frozen=True)
class Bounds:
    """The easiest and the hardest setting practice may use (each pair: easiest, hardest)."""

    threshold: tuple[float, float] = (0.5, 0.7)
    hold_s: tuple[float, float] = (0.8, 1.5)
    time_limit_s: tuple[float, float] = (30.0, 15.0)

    def at(self, step: int) -> Setting:
        share = min(max(step, 0), STEPS) / STEPS

        def between(pair: tuple[float, float]) -> float:
            return round(pair[0] + (pair[1] - pair[0]) * share, 3)

        hold = between(self.hold_s)
        return Setting(between(self.threshold), hold, max(between(self.time_limit_s), hold + 2.0))

    @classmethod
    def from_levels(cls, levels: Iterable["Level"]) -> "Bounds":
        """The range the curriculum's own show-a-face levels use (so a designer sets it)."""
        rounds = [r for lv in levels if lv.mode == "practice" for r in lv.rounds]
        if not rounds:
            return cls()
        return cls(threshold=(min(r.threshold for r in rounds), max(r.threshold for r in rounds)),
                   hold_s=(min(r.hold_s for r in rounds), max(r.hold_s for r in rounds)),
                   time_limit_s=(max(r.time_limit_s for r in rounds), min(r.time_limit_s for r in rounds)))


@dataclass(frozen=True)
class EmotionRecord:
    """One emotion's shown faces, as practice reads them."""

    emotion: str
    outcomes: tuple[bool, ...] = ()            # matched or not, oldest first (skips left out)
    median_s: float | None = None              # median time to match
    last_at: datetime | None = None
    good_days: int = 0                         # the latest days in a row with every try matched

    @property
    def tries(self) -> int:
        return len(self.outcomes)

    @property
    def rate(self) -> float:
        return sum(self.outcomes) / self.tries if self.tries else 0.0

    @property
    def mastered(self) -> bool:
        recent = self.outcomes[-RECENT:]
        return len(recent) >= MASTERED_TRIES and sum(recent) >= MASTERED_TRIES

    @property
    def step(self) -> int:
        return difficulty_step(self.outcomes)

    def due(self, now: datetime) -> bool:
        """Not mastered, or mastered and its days of rest are over."""
        if not self.mastered or self.last_at is None:
            return True
        return now - self.last_at >= timedelta(days=2 ** min(self.good_days, MAX_SPACING_BOX))


def difficulty_step(outcomes: Sequence[bool], start: int = START_STEP) -> int:
    """The step after these tries: one step per run of RUN_UP matches or RUN_DOWN misses."""
    step, run = start, 0
    for matched in outcomes:
        run = (run + 1 if run > 0 else 1) if matched else (run - 1 if run < 0 else -1)
        if run >= RUN_UP:
            step, run = min(STEPS, step + 1), 0
        elif run <= -RUN_DOWN:
            step, run = max(0, step - 1), 0
    return step


def _tries(attempts: Iterable["Attempt"], emotion: str) -> list["Attempt"]:
    return sorted((a for a in attempts if a.kind == "show" and a.emotion == emotion
                   and a.outcome in ("matched", "timeout")), key=lambda a: a.started_at)


def emotion_record(attempts: Iterable["Attempt"], emotion: str) -> EmotionRecord:
    mine = _tries(attempts, emotion)
    if not mine:
        return EmotionRecord(emotion)
    times = [a.time_to_match_s for a in mine if a.outcome == "matched" and a.time_to_match_s is not None]
    by_day: dict = {}
    for a in mine:
        by_day.setdefault(a.started_at.date(), []).append(a.outcome == "matched")
    good_days = 0
    for day in sorted(by_day, reverse=True):
        if not all(by_day[day]):
            break
        good_days += 1
    return EmotionRecord(emotion, tuple(a.outcome == "matched" for a in mine),
                         statistics.median(times) if times else None, mine[-1].ended_at, good_days)


@dataclass(frozen=True)
class PracticeRound:
    emotion: str
    setting: Setting


@dataclass(frozen=True)
class PracticePlan:
    focus: str                                 # the emotion practised most
    rounds: tuple[PracticeRound, ...]
    records: dict[str, EmotionRecord]

    @property
    def emotions(self) -> tuple[str, ...]:
        return tuple(r.emotion for r in self.rounds)


def plan_session(attempts: Sequence["Attempt"], now: datetime, bounds: Bounds = Bounds(),
                 size: int = SESSION_ROUNDS,
                 emotions: Sequence[str] = vocabulary.EMOTION_NAMES) -> PracticePlan:
    """The next practice session for the child whose attempts these are."""
    records = {e: emotion_record(attempts, e) for e in emotions}
    order = {e: i for i, e in enumerate(emotions)}
    due = [e for e in emotions if records[e].due(now)]
    if not due:   # everything mastered and resting: review the one rested longest
        due = [min(emotions, key=lambda e: (records[e].last_at or now, order[e]))]
    if not any(r.tries for r in records.values()):
        # a child with no record yet: all of them, more of the second, opened and closed by the first taught
        strong = emotions[0]
        focus = next((e for e in due if e != strong), strong)
    else:
        # hardest: lowest success, then slowest, then the first taught
        focus = min(due, key=lambda e: (records[e].rate, -(records[e].median_s or 0.0), order[e]))
        # the one done best closes the session: one that is due, else any tried (resting or not)
        tried = ([e for e in due if e != focus and records[e].tries]
                 or [e for e in emotions if e != focus and records[e].tries])
        strong = (max(tried, key=lambda e: (records[e].rate, -(records[e].median_s or 0.0), -order[e])) if tried
                  else next(e for e in emotions if e != focus))
    others = [e for e in due if e not in (focus, strong)]
    middle: list[str] = []
    hard_left = math.ceil(size / 2)
    other_left = max(0, size - 2 - hard_left)
    k = 0
    while len(middle) < size - 2:
        if hard_left and (not middle or middle[-1] != focus or not (others and other_left)):
            middle.append(focus)
            hard_left -= 1
        elif others and other_left:
            middle.append(others[k % len(others)])
            k += 1
            other_left -= 1
        else:
            middle.append(focus)
    sequence = [strong, *middle, strong][:max(size, 1)]

    def setting(emotion: str, easier: int = 0) -> Setting:
        return bounds.at(records[emotion].step - easier)

    rounds = [PracticeRound(e, setting(e, easier=1 if i == len(sequence) - 1 else 0)) for i, e in enumerate(sequence)]
    return PracticePlan(focus, tuple(rounds), records)


def practice_level(plan: PracticePlan, phrases: "Phrases", assets_dir: Path) -> "Level":
    """The plan as a level the round scene plays (a different child's picture each round)."""
    from game.levels import Level, Localized, Round

    def text(key: str, **values) -> Localized:
        return Localized(**{lang: phrases.get(key, lang, **{k: v(lang) for k, v in values.items()})
                            for lang in vocabulary.LANGUAGE_CODES})

    rounds = []
    for i, practice_round in enumerate(plan.rounds):
        emotion, setting = practice_round.emotion, practice_round.setting
        pictures = vocabulary.emotion(emotion).pictures
        word = lambda lang, e=emotion: phrases.get(f"emotions.{e}", lang)   # noqa: E731
        rounds.append(Round(emotion=emotion, prompt=text("round.prompt_fallback", emotion=word),
                            picture=(assets_dir / pictures[i % len(pictures)]).resolve(),
                            threshold=setting.threshold, hold_s=setting.hold_s, time_limit_s=setting.time_limit_s))
    return Level(id=PRACTICE_LEVEL_ID, title=text("practice.title"), order=9999, rounds=rounds)


def teacher_lines(attempts: Sequence["Attempt"], now: datetime, phrases: "Phrases", lang: str) -> list[str]:
    """The teacher area's words on this child: faces recognised and shown per emotion, and
    what practice works on ("Practising sad: 2 of 6 matched last week")."""
    def word(emotion: str) -> str:
        return phrases.get(f"emotions.{emotion}", lang)

    def counts(kind: str) -> str:
        parts = []
        for emotion in vocabulary.EMOTION_NAMES:
            mine = [a for a in attempts if a.kind == kind and a.emotion == emotion and a.outcome != "skipped"]
            right = sum(1 for a in mine if a.outcome == "matched")
            parts.append(f"{word(emotion)} {right}/{len(mine)}" if mine else f"{word(emotion)} -")
        return ", ".join(parts)

    plan = plan_session(attempts, now)
    week = [a for a in _tries(attempts, plan.focus) if a.started_at >= now - LAST_WEEK]
    matched = sum(1 for a in week if a.outcome == "matched")
    practising = (phrases.get("practice.teacher_practising", lang, emotion=word(plan.focus), matched=matched,
                              tries=len(week)) if week
                  else phrases.get("practice.teacher_practising_new", lang, emotion=word(plan.focus)))
    return [f"{phrases.get('practice.teacher_recognises', lang)}: {counts('recognise')}",
            f"{phrases.get('practice.teacher_shows', lang)}: {counts('show')}",
            practising]


def teacher_lines_by_lang(attempts: Sequence["Attempt"], now: datetime, phrases: "Phrases") -> dict[str, list[str]]:
    """`teacher_lines` in every language (read once with the teacher area's summary)."""
    return {lang: teacher_lines(attempts, now, phrases, lang) for lang in vocabulary.LANGUAGE_CODES}
