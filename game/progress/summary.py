"""What the numbers mean for a teacher: pure functions over attempts, no database.

The teacher area in the game, the HTML report and children.csv all read these, so a child's
"practise next" and the word on every emotion are the same everywhere.

A round ends in one of three ways (model.OUTCOMES): matched, timed out, or skipped. A skip is
not a try: the child did not show a face that missed, someone moved on. So success rates are
matched / tries, where tries = matched + timed out, and skips are counted and shown apart.

Attempts are of two kinds (model.KINDS): a face *shown* to the camera, or a face *recognised*
by a tap (matched: the right face; "wrong": another). The two are counted apart: every
number here is about shown faces unless `kind="recognise"` is asked for, so a child who
recognises sad but cannot yet show it is seen as exactly that.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from game.progress.model import Attempt, Child
from game.vocabulary import EMOTION_NAMES

#: The emotions the game teaches, in the order teachers see them. Other labels a level may
#: use are listed after these.
GAME_EMOTIONS = EMOTION_NAMES

#: An emotion needs this many tries (matched or timed out) before we compare it with the
#: others: one unlucky round should not label a child.
MIN_TRIES_FOR_ADVICE = 3


@dataclass(frozen=True)
class SessionInfo:
    id: int
    child_id: int
    kiosk: str
    lang: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class EmotionStats:
    """One emotion's rounds for one child."""

    emotion: str
    tries: int                           # matched + timed out + wrong (a skip is not a try)
    matched: int
    timed_out: int = 0
    skipped: int = 0
    median_time_to_match_s: float | None = None   # over matched rounds only
    wrong: int = 0                       # recognise rounds: another face was tapped

    @property
    def rounds(self) -> int:
        """Every round asked, skipped ones included."""
        return self.tries + self.skipped

    @property
    def success_rate(self) -> float | None:
        """matched / tries; None when never tried."""
        return self.matched / self.tries if self.tries else None

    def as_dict(self) -> dict:
        # "attempts" keeps the name the teacher area has read since the first version: it
        # means tries (skips are "skipped").
        return {"attempts": self.tries, "matched": self.matched, "timed_out": self.timed_out,
                "skipped": self.skipped, "success_rate": self.success_rate,
                "median_time_to_match_s": self.median_time_to_match_s}


@dataclass(frozen=True)
class ExpressionShares:
    """Share of time the face showed a positive, negative, other (neutral) or no expression."""

    positive: float
    negative: float
    other: float
    noface: float
    seconds: float


def emotion_order(emotions: Iterable[str]) -> list[str]:
    seen = set(emotions)
    return list(GAME_EMOTIONS) + sorted(seen - set(GAME_EMOTIONS))


def emotion_stats(attempts: Sequence[Attempt], emotion: str, kind: str = "show") -> EmotionStats:
    """One emotion's attempts of one kind ("show": faces made; "recognise": faces tapped)."""
    mine = [a for a in attempts if a.emotion == emotion and a.kind == kind]
    matched = [a for a in mine if a.outcome == "matched"]
    timed_out = sum(1 for a in mine if a.outcome == "timeout")
    skipped = sum(1 for a in mine if a.outcome == "skipped")
    wrong = sum(1 for a in mine if a.outcome == "wrong")
    times = [a.time_to_match_s for a in matched if a.time_to_match_s is not None]
    return EmotionStats(emotion=emotion, tries=len(matched) + timed_out + wrong, matched=len(matched),
                        timed_out=timed_out, skipped=skipped,
                        median_time_to_match_s=statistics.median(times) if times else None, wrong=wrong)


def stats_by_emotion(attempts: Sequence[Attempt], kind: str = "show") -> dict[str, EmotionStats]:
    """Every game emotion (tried or not) and every other emotion played, in teacher order:
    the faces shown (the default) or the faces recognised (`kind="recognise"`)."""
    return {e: emotion_stats(attempts, e, kind) for e in emotion_order(a.emotion for a in attempts)}


# ----------------------------------------------------------------------------- advice
#: What we can say about one emotion, as codes the report words translate:
#: "not_tried" never asked; "only_skipped" asked but every round skipped; "too_few" fewer
#: tries than MIN_TRIES_FOR_ADVICE; "every_time" enough tries, all matched; "some_missed"
#: enough tries, some timed out.
VERDICTS = ("not_tried", "only_skipped", "too_few", "every_time", "some_missed")

#: Why an emotion is (or none is) the one to practise next, as codes the words translate.
REASONS = ("none", "not_enough", "not_tried", "only_skipped", "lowest", "more_tries", "all_good")


def _percent(matched: int, tries: int) -> int:
    return round(100 * matched / tries) if tries else 0


def count_times(n: int, words: Mapping[str, str]) -> str:
    """"once" / "3 times" in the report's words."""
    return words["times_one"] if n == 1 else words["times_many"].format(n=n)


@dataclass(frozen=True)
class EmotionAdvice:
    """What the numbers say about one emotion."""

    emotion: str
    verdict: str                   # one of VERDICTS
    tries: int
    matched: int
    skipped: int
    min_tries: int = MIN_TRIES_FOR_ADVICE

    def text(self, words: Mapping[str, str]) -> str:
        """One sentence, e.g. "Scared: matched 0 of 1 (too few tries to tell; 3 needed)."."""
        label = words.get(self.emotion, self.emotion.capitalize())
        sentence = words[f"verdict_{self.verdict}"].format(
            emotion=label, matched=self.matched, tries=self.tries, n=self.min_tries,
            rate=_percent(self.matched, self.tries), skipped=count_times(self.skipped, words))
        if self.skipped and self.verdict != "only_skipped":
            sentence += " " + words["also_skipped"].format(skipped=count_times(self.skipped, words))
        return sentence


def emotion_advice(stats: EmotionStats, min_tries: int = MIN_TRIES_FOR_ADVICE) -> EmotionAdvice:
    if stats.tries == 0:
        verdict = "only_skipped" if stats.skipped else "not_tried"
    elif stats.tries < min_tries:
        verdict = "too_few"
    else:
        verdict = "every_time" if stats.matched == stats.tries else "some_missed"
    return EmotionAdvice(stats.emotion, verdict, stats.tries, stats.matched, stats.skipped, min_tries)


@dataclass(frozen=True)
class Advice:
    """Which emotion to practise next and why, plus a word on every emotion.

    `emotion` is None when nothing stands out yet; `reason` is one of REASONS; `matched`,
    `tries` and `skipped` are the chosen emotion's; `emotions` covers every game emotion and
    every other emotion played, in teacher order.
    """

    emotion: str | None
    reason: str
    matched: int = 0
    tries: int = 0
    skipped: int = 0
    min_tries: int = MIN_TRIES_FOR_ADVICE
    emotions: tuple[EmotionAdvice, ...] = ()

    def text(self, words: Mapping[str, str]) -> str:
        """The reason in a teacher's words (`words` is one language of report_text.REPORT_TEXT)."""
        return words[f"reason_{self.reason}"].format(
            matched=self.matched, tries=self.tries, rate=_percent(self.matched, self.tries),
            n=self.min_tries, skipped=count_times(self.skipped, words))

    def details(self, words: Mapping[str, str]) -> dict[str, str]:
        """Emotion -> one sentence about it, for every emotion in `emotions`."""
        return {one.emotion: one.text(words) for one in self.emotions}


def needs_practice(stats: Mapping[str, EmotionStats],
                   min_tries: int = MIN_TRIES_FOR_ADVICE) -> Advice:
    """The emotion to practise next and why, in this order:

    1. nothing played: "none"; no emotion tried `min_tries` times yet: "not_enough" (nothing
       to compare, whatever was skipped);
    2. a game emotion never tried (never asked, or every round skipped) once another can be
       compared: that one ("not_tried" / "only_skipped");
    3. the lowest success rate among emotions tried enough, if it is below 100%: "lowest"
       (ties go to the slower median time, then to fewer tries);
    4. an emotion with too few tries to tell while the rest matched every time: the one with
       the lowest rate so far, "more_tries";
    5. otherwise "all_good": every emotion tried enough and matched every time.
    """
    verdicts = tuple(emotion_advice(s, min_tries) for s in stats.values())

    def advise(chosen: EmotionStats | None, reason: str) -> Advice:
        if chosen is None:
            return Advice(None, reason, min_tries=min_tries, emotions=verdicts)
        return Advice(chosen.emotion, reason, matched=chosen.matched, tries=chosen.tries,
                      skipped=chosen.skipped, min_tries=min_tries, emotions=verdicts)

    if all(s.rounds == 0 for s in stats.values()):
        return advise(None, "none")
    measured = [s for s in stats.values() if s.tries >= min_tries]
    if not measured:
        return advise(None, "not_enough")
    untried = [stats[e] for e in GAME_EMOTIONS if e in stats and stats[e].tries == 0]
    if untried:
        first = untried[0]
        return advise(first, "only_skipped" if first.skipped else "not_tried")
    worst = min(measured, key=lambda s: (s.success_rate, -(s.median_time_to_match_s or 0.0), s.tries))
    if worst.matched < worst.tries:
        return advise(worst, "lowest")
    unsure = [s for s in stats.values() if 0 < s.tries < min_tries]
    if unsure:
        return advise(min(unsure, key=lambda s: (s.success_rate, s.tries)), "more_tries")
    return advise(None, "all_good")


# ----------------------------------------------------------------------- expressions
def expression_shares(attempts: Sequence[Attempt]) -> ExpressionShares | None:
    """Time-weighted shares over attempts (an attempt of 10 s counts ten times one of 1 s)."""
    weighted = [(max((a.ended_at - a.started_at).total_seconds(), 0.0), a) for a in attempts]
    total = sum(w for w, _ in weighted)
    if not weighted:
        return None
    if total <= 0:  # instantaneous attempts: count them equally
        weighted = [(1.0, a) for _, a in weighted]
        total = float(len(weighted))
    positive = sum(w * a.positive_share for w, a in weighted) / total
    negative = sum(w * a.negative_share for w, a in weighted) / total
    noface = sum(w * a.noface_share for w, a in weighted) / total
    other = max(0.0, 1.0 - positive - negative - noface)
    return ExpressionShares(positive=positive, negative=negative, other=other, noface=noface,
                            seconds=sum(max((a.ended_at - a.started_at).total_seconds(), 0.0)
                                        for a in attempts))


# -------------------------------------------------------------------- teacher summary
def child_summary(child: Child, attempts: Sequence[Attempt], sessions: Sequence[SessionInfo],
                  *, pending: int = 0, note: str | None = None) -> dict:
    """One child at a glance, for the teacher area (plain data; texts in every report language).

    Keys: child_id, name, avatar; rounds (all), attempts (tries: matched + timed out),
    matched, timed_out, skipped, success_rate (matched / tries); sessions, last_played;
    emotions: emotion -> {attempts, matched, timed_out, skipped, success_rate,
    median_time_to_match_s, verdict} for every game emotion and any other played (faces
    shown); recognises: the same numbers (without verdict) for faces recognised by a tap;
    needs_practice (emotion or None); needs_practice_reason: lang -> sentence;
    emotion_advice: lang -> {emotion -> sentence} (one per emotion in `emotions`, saying
    when there are too few tries and counting skips); pending, note.
    """
    from game.progress.report_text import REPORT_TEXT
    stats = stats_by_emotion(attempts)
    advice = needs_practice(stats)
    verdicts = {one.emotion: one.verdict for one in advice.emotions}
    tries = sum(s.tries for s in stats.values())
    matched = sum(s.matched for s in stats.values())
    last = max((a.ended_at for a in attempts), default=None)
    return {
        "child_id": child.id,
        "name": child.name,
        "avatar": child.avatar,
        "rounds": len(attempts),
        "attempts": tries,
        "matched": matched,
        "timed_out": sum(s.timed_out for s in stats.values()),
        "skipped": sum(s.skipped for s in stats.values()),
        "success_rate": (matched / tries) if tries else None,
        "sessions": len(sessions),
        "last_played": last,
        "emotions": {e: {**s.as_dict(), "verdict": verdicts[e]} for e, s in stats.items()},
        "recognises": {e: {**s.as_dict(), "wrong": s.wrong}
                       for e, s in stats_by_emotion(attempts, "recognise").items()},
        "needs_practice": advice.emotion,
        # in every language of the report's words: the teacher area shows the kiosk's own
        "needs_practice_reason": {lang: advice.text(words) for lang, words in REPORT_TEXT.items()},
        "emotion_advice": {lang: advice.details(words) for lang, words in REPORT_TEXT.items()},
        "pending": pending,
        "note": note,
    }
