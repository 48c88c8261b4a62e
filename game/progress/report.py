"""The teacher report: one self-contained HTML page, a printable page per child, attempts.csv
and children.csv.

The pages are Jinja2 templates (game/progress/templates/, found with importlib.resources, so
they work from a checkout and from an installed wheel); escaping is on by default, so every
name, avatar, kiosk and level text from the database is escaped by the template engine, and
a teacher-facing change is an edit to a template or to report_text.py. This module only
gathers and computes: it hands the templates plain values, and marks as safe only the inline
SVG charts it drew itself.

The pages have no scripts and load nothing: styles are inline, charts are inline SVG, and the
Content-Security-Policy forbids anything else, so they open from a USB stick on a school
laptop without internet. Times are shown in the kiosk's time zone (this computer's unless
the report is asked for another), and the CSV files carry the offset in every time.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup

from game.levels import load_levels
from game.progress.charts import SHARE_COLOURS, Series, line_chart, share_bar_svg
from game.progress.model import Attempt, Child, ProgressError
from game.progress.names import match_child
from game.progress.report_text import REPORT_TEXT
from game.progress.summary import (MIN_TRIES_FOR_ADVICE, EmotionStats, SessionInfo,
                                   emotion_order, emotion_stats, expression_shares,
                                   needs_practice, stats_by_emotion)
from game.resources import assets_dir, levels_dir

#: Charts show this many most recent sessions; the CSV has them all.
CHART_SESSIONS = 20
#: The weekly chart and table show this many most recent weeks.
CHART_WEEKS = 12
#: The table of recent sessions per child.
RECENT_SESSIONS = 8
#: CSV cells starting with these would run as formulas in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Where the templates live, inside the package.
TEMPLATE_PACKAGE = "game.progress"
TEMPLATE_FOLDER = "templates"
#: The folder (inside the report folder) with one printable page per child.
CHILD_PAGES_FOLDER = "children"

SHARE_KEYS = ("positive", "negative", "neutral", "noface")


def csv_safe(value: object) -> object:
    """Text a spreadsheet would treat as a formula is prefixed with a quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# ------------------------------------------------------------------------------ templates
def template_source(name: str) -> str | None:
    """A template's text from the package (None when there is no such template)."""
    place = resources.files(TEMPLATE_PACKAGE).joinpath(TEMPLATE_FOLDER, name)
    return place.read_text(encoding="utf-8") if place.is_file() else None


def template_environment() -> Environment:
    """The report's Jinja2 environment: templates from the package, escaping always on, and a
    missing value is an error (not a silent blank on a teacher's page)."""
    return Environment(loader=FunctionLoader(template_source), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


# ---------------------------------------------------------------------------------- time
@dataclass(frozen=True)
class KioskClock:
    """Turns stored UTC times into the kiosk's local time.

    `zone` None means this computer's time zone, with its own rules on each date (summer
    time included), which is the kiosk's when the report is made on the kiosk.
    """

    zone: tzinfo | None = None

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def describe(self, at: datetime) -> str:
        """"Asia/Jakarta, UTC+07:00" (or the abbreviation this computer uses, e.g. "WIB")."""
        moment = self.local(at)
        offset = moment.strftime("%z")
        offset = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
        name = getattr(self.zone, "key", None) or moment.tzname() or ""
        return f"{name}, {offset}" if name and name not in ("UTC", offset) else offset


def fmt_date(moment: datetime, words: Mapping[str, str], clock: KioskClock, *,
             with_time: bool = True) -> str:
    months = words["months"].split(",")
    moment = clock.local(moment)
    text = f"{moment.day} {months[moment.month - 1]} {moment.year}"
    return f"{text}, {moment:%H:%M}" if with_time else text


def fmt_day(day: date, words: Mapping[str, str]) -> str:
    return f"{day.day} {words['months'].split(',')[day.month - 1]}"


def fmt_rate(rate: float | None) -> str:
    return "—" if rate is None else f"{round(100 * rate)}%"


def fmt_seconds(seconds: float | None, words: Mapping[str, str]) -> str:
    return "—" if seconds is None else words["seconds_short"].format(value=f"{seconds:.1f}")


def emotion_label(emotion: str, words: Mapping[str, str]) -> str:
    return words.get(emotion, emotion.capitalize())


def heat_colour(rate: float) -> tuple[str, str]:
    """(background, text colour) on a single-hue blue scale: readable without colour vision."""
    stops = [(0.0, (247, 251, 255)), (0.25, (198, 219, 239)), (0.5, (107, 174, 214)),
             (0.75, (33, 113, 181)), (1.0, (8, 48, 107))]
    rate = min(1.0, max(0.0, rate))
    for (r0, c0), (r1, c1) in zip(stops, stops[1:]):
        if rate <= r1:
            f = (rate - r0) / (r1 - r0)
            rgb = tuple(round(a + (b - a) * f) for a, b in zip(c0, c1))
            break
    return "#%02X%02X%02X" % rgb, ("#FFFFFF" if rate > 0.55 else "#10202F")


# -------------------------------------------------------------------------------- levels
def shipped_level_titles() -> dict[str, dict[str, str]]:
    """Level id -> {language: title} for the levels shipped with the game."""
    level_set = load_levels(levels_dir(), assets_dir())
    return {level.id: {"en": level.title.en, "id": level.title.id} for level in level_set.levels}


def level_title(level_id: str, titles: Mapping[str, Mapping[str, str]], lang: str) -> str:
    """The level's title in `lang` (English when it has none); its id when the level is unknown
    (a school's own level file, or one since removed)."""
    known = titles.get(level_id)
    return (known.get(lang) or known.get("en") or level_id) if known else level_id


# -------------------------------------------------------------------------------- gather
@dataclass(frozen=True)
class ReportData:
    children: list[Child]
    attempts: list[Attempt]
    sessions: dict[int, SessionInfo]   # every known session, by id (for kiosk and time)
    child_name: str | None
    since: datetime | None
    level_titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    clock: KioskClock = KioskClock()

    def attempts_by_child(self) -> dict[int, list[Attempt]]:
        grouped: dict[int, list[Attempt]] = defaultdict(list)
        for attempt in self.attempts:
            grouped[attempt.child_id].append(attempt)
        return grouped


def choose_children(children: Sequence[Child], child_name: str,
                    words: Mapping[str, str]) -> list[Child]:
    """The children `child_name` means (case and accents aside; two children may share a
    name), or a ProgressError that suggests the closest names."""
    match = match_child(child_name, [c.name for c in children])
    if match.name is not None:
        return [c for c in children if c.name == match.name]
    if match.ambiguous:
        raise ProgressError(words["several_children_named"].format(
            name=child_name, names=", ".join(match.suggestions)))
    message = words["no_child_named"].format(name=child_name)
    if match.suggestions:
        message += " " + words["did_you_mean"].format(names=", ".join(match.suggestions))
    raise ProgressError(message)


def gather(store, *, child_name: str | None = None, since: datetime | None = None,
           words: Mapping[str, str] | None = None,
           level_titles: Mapping[str, Mapping[str, str]] | None = None,
           clock: KioskClock | None = None) -> ReportData:
    """Read what the report shows. An unknown child name is a ProgressError with suggestions."""
    words = words or REPORT_TEXT["en"]
    children = store.list_children()
    if child_name is not None:
        children = choose_children(children, child_name, words)
    ids = {c.id for c in children}
    attempts = [a for a in store.attempts(since=since) if a.child_id in ids]
    sessions = {s.id: s for s in store.sessions()}
    return ReportData(children=children, attempts=attempts, sessions=sessions,
                      child_name=child_name, since=since,
                      level_titles=shipped_level_titles() if level_titles is None else level_titles,
                      clock=clock or KioskClock())


# ------------------------------------------------------------------------------ sessions
@dataclass(frozen=True)
class SessionRow:
    session_id: int
    started_at: datetime
    ended_at: datetime          # the session's end, or its last round's when it was not closed
    closed: bool                # False: the game never ended it (power cut, crash)
    kiosk: str
    attempts: list[Attempt]

    @property
    def minutes(self) -> float:
        """Time at the kiosk: from the session's start to its end."""
        return max(0.0, (self.ended_at - self.started_at).total_seconds()) / 60

    def level_ids(self) -> list[str]:
        """The levels played, in the order first played."""
        return list(dict.fromkeys(a.level_id for a in self.attempts))


def sessions_of(attempts: Sequence[Attempt], sessions: Mapping[int, SessionInfo]) -> list[SessionRow]:
    """The child's sessions that have attempts, oldest first."""
    grouped: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[attempt.session_id].append(attempt)
    rows = []
    for session_id, mine in grouped.items():
        info = sessions.get(session_id)
        first = min(a.started_at for a in mine)
        last = max(a.ended_at for a in mine)
        started = min(info.started_at, first) if info else first
        ended = info.ended_at if info and info.ended_at else last
        rows.append(SessionRow(session_id, started, max(ended, last), bool(info and info.ended_at),
                               info.kiosk if info else "?", mine))
    return sorted(rows, key=lambda r: (r.started_at, r.session_id))


def per_session_series(rows: Sequence[SessionRow], emotions: Sequence[str],
                       words: Mapping[str, str]) -> tuple[list[Series], list[Series]]:
    success, speed = [], []
    for emotion in emotions:
        rates, times = [], []
        for row in rows:
            one = stats_by_emotion(row.attempts).get(emotion)
            rates.append(None if one is None or one.success_rate is None else 100 * one.success_rate)
            times.append(None if one is None else one.median_time_to_match_s)
        label = emotion_label(emotion, words)
        success.append(Series(emotion, label, rates))
        speed.append(Series(emotion, label, times))
    return success, speed


def session_axis_labels(rows: Sequence[SessionRow], words: Mapping[str, str],
                        clock: KioskClock) -> list[str]:
    return [f"{fmt_day(clock.local(r.started_at).date(), words)}\n{clock.local(r.started_at):%H:%M}"
            for r in rows]


# --------------------------------------------------------------------------------- weeks
def week_start(moment: datetime, clock: KioskClock) -> date:
    """The Monday (kiosk's local calendar) of the week `moment` falls in."""
    day = clock.local(moment).date()
    return day - timedelta(days=day.weekday())


def stats_by_week(attempts: Sequence[Attempt], clock: KioskClock) -> list[tuple[date, dict[str, EmotionStats]]]:
    """Every week from the first played to the last (weeks without play included, so the
    chart's spacing is time), each with its per-emotion numbers."""
    if not attempts:
        return []
    grouped: dict[date, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[week_start(attempt.started_at, clock)].append(attempt)
    first, last = min(grouped), max(grouped)
    weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
    return [(week, stats_by_emotion(grouped.get(week, []))) for week in weeks]


# ----------------------------------------------------------------------------- the views
def overview_cell(one: EmotionStats | None, words: Mapping[str, str]) -> dict:
    if one is None or one.tries == 0:
        note = words["n_skipped"].format(n=one.skipped) if one and one.skipped else words["not_tried"]
        return {"tried": False, "note": note}
    background, ink = heat_colour(one.success_rate)
    return {"tried": True, "rate": fmt_rate(one.success_rate), "matched": one.matched,
            "tries": one.tries, "background": background, "ink": ink,
            "skipped": words["n_skipped"].format(n=one.skipped) if one.skipped else ""}


def overview_view(data: ReportData, emotions: Sequence[str], words: Mapping[str, str]) -> list[dict]:
    by_child = data.attempts_by_child()
    rows = []
    for child in data.children:
        stats = stats_by_emotion(by_child[child.id])
        advice = needs_practice(stats)
        rows.append({
            "id": child.id, "name": child.name,
            "cells": [overview_cell(stats.get(e), words) for e in emotions],
            "tries": sum(s.tries for s in stats.values()),
            "skipped": sum(s.skipped for s in stats.values()),
            "practise": emotion_label(advice.emotion, words) if advice.emotion else None,
            "practise_emotion": advice.emotion or "",
            "why": advice.text(words),
        })
    return rows


def session_view(row: SessionRow, data: ReportData, words: Mapping[str, str], lang: str) -> dict:
    shares = expression_shares(row.attempts)
    values = {"positive": shares.positive, "negative": shares.negative,
              "neutral": shares.other, "noface": shares.noface}
    share_words = {k: words[k] for k in SHARE_KEYS}
    return {
        "id": row.session_id,
        "date": fmt_date(row.started_at, words, data.clock),
        "levels": [level_title(i, data.level_titles, lang) for i in row.level_ids()],
        "kiosk": row.kiosk,
        "rounds": len(row.attempts),
        "matched": sum(1 for a in row.attempts if a.outcome == "matched"),
        "skipped": sum(1 for a in row.attempts if a.outcome == "skipped"),
        "minutes": f"{row.minutes:.1f}",
        "closed": row.closed,
        # drawn here (not a file): escapes its own labels, so it may be marked safe
        "bar": Markup(share_bar_svg(values, share_words)),
        "shares": " · ".join(f"{share_words[k]} {round(100 * v)}%" for k, v in values.items()),
    }


def weekly_view(attempts: Sequence[Attempt], emotions: Sequence[str], words: Mapping[str, str],
                clock: KioskClock, chart_id: str) -> dict:
    weeks = stats_by_week(attempts, clock)
    more = max(0, len(weeks) - CHART_WEEKS)
    weeks = weeks[-CHART_WEEKS:]
    labels = [fmt_day(week, words) for week, _ in weeks]
    played = [e for e in emotions if any(stats[e].rounds for _, stats in weeks if e in stats)]
    series = [Series(e, emotion_label(e, words),
                     [None if e not in stats or stats[e].success_rate is None else 100 * stats[e].success_rate
                      for _, stats in weeks]) for e in played]
    rows = []
    for emotion in played:
        cells = []
        for _, stats in weeks:
            one = stats.get(emotion)
            cells.append(f"{one.matched}/{one.tries}" if one and one.tries else "—")
        rows.append({"label": emotion_label(emotion, words), "cells": cells})
    chart = line_chart(series=series, x_labels=labels, y_label=words["chart_success_axis"],
                       percent=True, chart_id=chart_id, empty_note=words["no_tries"])
    return {"chart": Markup(chart), "labels": labels, "rows": rows, "more": more}


def recognise_show_view(attempts: Sequence[Attempt], emotions: Sequence[str],
                        words: Mapping[str, str]) -> list[dict]:
    """Per emotion, the faces the child recognised (tapped right) beside the faces they showed."""
    def cell(one: EmotionStats) -> dict:
        if not one.tries:
            return {"count": "—", "rate": words["not_tried"], "tries": 0}
        return {"count": f"{one.matched}/{one.tries}", "rate": fmt_rate(one.success_rate), "tries": one.tries}
    return [{"emotion": e, "label": emotion_label(e, words),
             "recognises": cell(emotion_stats(attempts, e, "recognise")),
             "shows": cell(emotion_stats(attempts, e, "show"))} for e in emotions]


def child_view(child: Child, attempts: Sequence[Attempt], data: ReportData,
               words: Mapping[str, str], lang: str) -> dict:
    view: dict = {"id": child.id, "name": child.name, "played": bool(attempts),
                  "page": f"{CHILD_PAGES_FOLDER}/child-{child.id}.html"}
    if not attempts:
        return view
    stats = stats_by_emotion(attempts)
    emotions = list(stats)
    advice = needs_practice(stats)
    details = advice.details(words)
    rows = sessions_of(attempts, data.sessions)
    tries = sum(s.tries for s in stats.values())
    matched = sum(s.matched for s in stats.values())
    shown = rows[-CHART_SESSIONS:]
    success, speed = per_session_series(shown, emotions, words)
    labels = session_axis_labels(shown, words, data.clock)
    view.update({
        "rounds": len(attempts),
        "tries": tries,
        "skipped": sum(s.skipped for s in stats.values()),
        "success_rate": fmt_rate(matched / tries if tries else None),
        "sessions": len(rows),
        "last_played": fmt_date(max(a.ended_at for a in attempts), words, data.clock),
        "practise": emotion_label(advice.emotion, words) if advice.emotion else None,
        "practise_emotion": advice.emotion or "",
        "why": advice.text(words),
        "emotions": [{
            "emotion": e, "label": emotion_label(e, words), "tries": s.tries, "matched": s.matched,
            "timed_out": s.timed_out, "skipped": s.skipped, "rate": fmt_rate(s.success_rate),
            "meter": None if s.success_rate is None else round(100 * s.success_rate),
            "median": fmt_seconds(s.median_time_to_match_s, words), "says": details[e],
        } for e, s in stats.items()],
        # charts drawn here by matplotlib: their text is escaped by the SVG writer
        "success_chart": Markup(line_chart(series=success, x_labels=labels,
                                           y_label=words["chart_success_axis"], percent=True,
                                           chart_id=f"s{child.id}", empty_note=words["no_tries"])),
        "time_chart": Markup(line_chart(series=speed, x_labels=labels, y_label=words["chart_time_axis"],
                                        percent=False, chart_id=f"t{child.id}",
                                        empty_note=words["no_matches"])),
        "weekly": weekly_view(attempts, emotions, words, data.clock, chart_id=f"w{child.id}"),
        "recognise_show": recognise_show_view(attempts, emotions, words),
        "recent": [session_view(r, data, words, lang) for r in reversed(rows[-RECENT_SESSIONS:])],
        "more_sessions": max(0, len(rows) - RECENT_SESSIONS),
        "any_open": any(not r.closed for r in rows[-RECENT_SESSIONS:]),
    })
    return view


def page_context(data: ReportData, words: Mapping[str, str], lang: str, generated: datetime) -> dict:
    """Everything the templates show, as plain values."""
    emotions = emotion_order(a.emotion for a in data.attempts)
    filters = [words["filter_child"].format(name=data.child_name) if data.child_name else words["all_children"]]
    since = (words["filter_since"].format(date=fmt_date(data.since, words, data.clock, with_time=False))
             if data.since else "")
    if since:
        filters.append(since)
    by_child = data.attempts_by_child()
    return {
        "t": words,
        "lang": lang,
        "generated": fmt_date(generated, words, data.clock),
        "zone": data.clock.describe(generated),
        "filters": " · ".join(filters),
        "since_filter": since,
        "emotions": [{"emotion": e, "label": emotion_label(e, words)} for e in emotions],
        "overview": overview_view(data, emotions, words),
        "children": [child_view(c, by_child[c.id], data, words, lang) for c in data.children],
        "min_tries": MIN_TRIES_FOR_ADVICE,
        "share_legend": [{"label": words[k], "colour": SHARE_COLOURS[k]} for k in SHARE_KEYS],
    }


def render_pages(data: ReportData, words: Mapping[str, str], lang: str,
                 generated: datetime) -> tuple[str, dict[int, str]]:
    """The whole report page, and each child's printable page by child id."""
    environment = template_environment()
    context = page_context(data, words, lang, generated)
    page = environment.get_template("report.html.j2").render(context)
    child_template = environment.get_template("child_page.html.j2")
    pages = {child["id"]: child_template.render(context, child=child) for child in context["children"]}
    return page, pages


# ----------------------------------------------------------------------------------- CSV
ATTEMPT_COLUMNS = ("child", "child_id", "session", "kiosk", "level", "level_title", "round", "emotion",
                   "started_at", "ended_at", "outcome", "time_to_match_s", "peak_prob", "mean_prob",
                   "face_share", "positive_share", "negative_share", "noface_share", "kind", "answer")

#: Per emotion in children.csv, after `<emotion>_`.
EMOTION_COLUMNS = ("rounds", "tries", "matched", "timed_out", "skipped", "success_rate",
                   "median_time_to_match_s", "advice")


def _num(value: float | None, digits: int = 3) -> object:
    return "" if value is None else round(float(value), digits)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    # utf-8-sig: spreadsheet programs then read names with accents and emoji correctly.
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        # Column names can carry stored text too (children.csv: "<emotion>_rounds").
        writer.writerow([csv_safe(name) for name in header])
        for row in rows:
            writer.writerow([csv_safe(v) for v in row])


def attempts_rows(data: ReportData, lang: str) -> Iterable[list[object]]:
    names = {c.id: c.name for c in data.children}
    local = data.clock.local
    for a in data.attempts:
        info = data.sessions.get(a.session_id)
        yield [names.get(a.child_id, ""), a.child_id, a.session_id, info.kiosk if info else "",
               a.level_id, level_title(a.level_id, data.level_titles, lang), a.round_index, a.emotion,
               local(a.started_at).isoformat(), local(a.ended_at).isoformat(),
               a.outcome, _num(a.time_to_match_s), _num(a.peak_prob), _num(a.mean_prob),
               _num(a.face_share), _num(a.positive_share), _num(a.negative_share), _num(a.noface_share),
               a.kind, a.answer or ""]


def children_table(data: ReportData, words: Mapping[str, str]) -> tuple[list[str], list[list[object]]]:
    """children.csv: one row per child; column names in English in every language, sentences
    (advice and reasons) in the report's language."""
    emotions = emotion_order(a.emotion for a in data.attempts)
    header = ["child_id", "child", "avatar", "sessions", "rounds", "tries", "matched", "timed_out",
              "skipped", "success_rate"]
    for emotion in emotions:
        header += [f"{emotion}_{column}" for column in EMOTION_COLUMNS]
    header += ["needs_practice", "needs_practice_reason", "last_played"]
    by_child = data.attempts_by_child()
    rows = []
    for child in data.children:
        mine = by_child[child.id]
        stats = stats_by_emotion(mine)
        advice = needs_practice(stats)
        details = advice.details(words)
        tries = sum(s.tries for s in stats.values())
        matched = sum(s.matched for s in stats.values())
        row: list[object] = [child.id, child.name, child.avatar, len({a.session_id for a in mine}),
                             len(mine), tries, matched, sum(s.timed_out for s in stats.values()),
                             sum(s.skipped for s in stats.values()), _num(matched / tries) if tries else ""]
        for emotion in emotions:
            one = stats.get(emotion) or EmotionStats(emotion, 0, 0)
            row += [one.rounds, one.tries, one.matched, one.timed_out, one.skipped,
                    _num(one.success_rate), _num(one.median_time_to_match_s), details.get(emotion, "")]
        row += [advice.emotion or "", advice.text(words),
                data.clock.local(max(a.ended_at for a in mine)).isoformat() if mine else ""]
        rows.append(row)
    return header, rows


# --------------------------------------------------------------------------------- build
@dataclass(frozen=True)
class ReportFiles:
    html: Path
    attempts_csv: Path
    children_csv: Path
    children: int
    attempts: int
    child_pages: dict[int, Path] = field(default_factory=dict)   # child id -> printable page


def build_report(store, out_dir: Path | str, *, child_name: str | None = None,
                 since: datetime | None = None, lang: str = "en",
                 generated: datetime | None = None, zone: tzinfo | None = None,
                 level_titles: Mapping[str, Mapping[str, str]] | None = None) -> ReportFiles:
    """Write index.html, children/child-<id>.html, attempts.csv and children.csv into `out_dir`.

    `zone`: the kiosk's time zone (default: this computer's); `level_titles`: level id ->
    {language: title} (default: the shipped levels).
    """
    if lang not in REPORT_TEXT:
        raise ProgressError(f"No report language {lang!r}; choose one of {', '.join(REPORT_TEXT)}.")
    words = REPORT_TEXT[lang]
    data = gather(store, child_name=child_name, since=since, words=words,
                  level_titles=level_titles, clock=KioskClock(zone))
    out = Path(out_dir)
    (out / CHILD_PAGES_FOLDER).mkdir(parents=True, exist_ok=True)
    page, pages = render_pages(data, words, lang, generated or datetime.now(timezone.utc))
    html_path = out / "index.html"
    html_path.write_text(page, encoding="utf-8")
    child_pages = {}
    for old in (out / CHILD_PAGES_FOLDER).glob("child-*.html"):
        if old.stem.removeprefix("child-").isdigit() and int(old.stem.removeprefix("child-")) not in pages:
            old.unlink()                    # a page from an earlier report would look current
    for child_id, text in pages.items():
        child_pages[child_id] = out / CHILD_PAGES_FOLDER / f"child-{child_id}.html"
        child_pages[child_id].write_text(text, encoding="utf-8")
    attempts_csv, children_csv = out / "attempts.csv", out / "children.csv"
    write_csv(attempts_csv, ATTEMPT_COLUMNS, attempts_rows(data, lang))
    header, rows = children_table(data, words)
    write_csv(children_csv, header, rows)
    return ReportFiles(html=html_path, attempts_csv=attempts_csv, children_csv=children_csv,
                       children=len(data.children), attempts=len(data.attempts),
                       child_pages=child_pages)
