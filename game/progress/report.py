"""The teacher report: one self-contained HTML page plus attempts.csv and children.csv.

The page has no scripts and loads nothing: styles are inline, charts are inline SVG, so it
opens from a USB stick on a school laptop without internet. Every piece of text that came from
the database (names, avatars, kiosk and level ids) goes through `esc`, and names are wrapped in
<bdi> so a right-to-left name cannot reorder the text around it.
"""

from __future__ import annotations

import csv
import difflib
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from game.progress.charts import SHARE_COLOURS, Series, session_line_chart, share_bar_svg
from game.progress.model import Attempt, Child, ProgressError
from game.progress.report_text import REPORT_TEXT
from game.progress.summary import (MIN_ATTEMPTS_FOR_ADVICE, SessionInfo, emotion_order,
                                   expression_shares, needs_practice, stats_by_emotion)

#: Charts show this many most recent sessions; the CSV has them all.
CHART_SESSIONS = 20
#: The table of recent sessions per child.
RECENT_SESSIONS = 8
#: CSV cells starting with these would run as formulas in a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def csv_safe(value: object) -> object:
    """Text a spreadsheet would treat as a formula is prefixed with a quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    attempts_csv: Path
    children_csv: Path
    children: int
    attempts: int


@dataclass(frozen=True)
class ReportData:
    children: list[Child]
    attempts: list[Attempt]
    sessions: dict[int, SessionInfo]   # every known session, by id (for kiosk and time)
    child_name: str | None
    since: datetime | None


def gather(store, *, child_name: str | None = None, since: datetime | None = None,
           words: dict[str, str] | None = None) -> ReportData:
    """Read what the report shows. An unknown child name is a ProgressError with suggestions."""
    words = words or REPORT_TEXT["en"]
    children = store.list_children()
    if child_name is not None:
        wanted = child_name.casefold().strip()
        chosen = [c for c in children if c.name.casefold().strip() == wanted]
        if not chosen:
            message = words["no_child_named"].format(name=child_name)
            close = difflib.get_close_matches(child_name, [c.name for c in children], n=3, cutoff=0.5)
            if close:
                message += " " + words["did_you_mean"].format(names=", ".join(close))
            raise ProgressError(message)
        children = chosen
    ids = {c.id for c in children}
    attempts = [a for a in store.attempts(since=since) if a.child_id in ids]
    sessions = {s.id: s for s in store.sessions()}
    return ReportData(children=children, attempts=attempts, sessions=sessions,
                      child_name=child_name, since=since)


# ----------------------------------------------------------------------------- formatting
def local(moment: datetime) -> datetime:
    """Teachers read times in the kiosk's own time zone."""
    return moment.astimezone()


def fmt_date(moment: datetime, words: dict[str, str], *, with_time: bool = True) -> str:
    months = words["months"].split(",")
    moment = local(moment)
    text = f"{moment.day} {months[moment.month - 1]} {moment.year}"
    return f"{text}, {moment:%H:%M}" if with_time else text


def fmt_rate(rate: float | None) -> str:
    return "—" if rate is None else f"{round(100 * rate)}%"


def fmt_seconds(seconds: float | None, words: dict[str, str]) -> str:
    return "—" if seconds is None else words["seconds_short"].format(value=f"{seconds:.1f}")


def emotion_label(emotion: str, words: dict[str, str]) -> str:
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


# ------------------------------------------------------------------------------- sessions
@dataclass(frozen=True)
class SessionRow:
    session_id: int
    started_at: datetime
    kiosk: str
    attempts: list[Attempt]


def sessions_of(attempts: Sequence[Attempt], sessions: dict[int, SessionInfo]) -> list[SessionRow]:
    """The child's sessions that have attempts, oldest first."""
    grouped: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        grouped[attempt.session_id].append(attempt)
    rows = []
    for session_id, mine in grouped.items():
        info = sessions.get(session_id)
        started = info.started_at if info else min(a.started_at for a in mine)
        rows.append(SessionRow(session_id, started, info.kiosk if info else "?", mine))
    return sorted(rows, key=lambda r: (r.started_at, r.session_id))


def per_session_series(rows: Sequence[SessionRow], emotions: Sequence[str],
                       words: dict[str, str]) -> tuple[list[Series], list[Series]]:
    success, speed = [], []
    for emotion in emotions:
        rates, times = [], []
        for row in rows:
            mine = [a for a in row.attempts if a.emotion == emotion]
            matched = [a for a in mine if a.outcome == "matched"]
            rates.append(100 * len(matched) / len(mine) if mine else None)
            ttm = [a.time_to_match_s for a in matched if a.time_to_match_s is not None]
            times.append(statistics.median(ttm) if ttm else None)
        label = emotion_label(emotion, words)
        success.append(Series(emotion, label, rates))
        speed.append(Series(emotion, label, times))
    return success, speed


def session_axis_labels(rows: Sequence[SessionRow], words: dict[str, str]) -> list[str]:
    months = words["months"].split(",")
    return [f"{local(r.started_at).day} {months[local(r.started_at).month - 1]}\n"
            f"{local(r.started_at):%H:%M}" for r in rows]


# ----------------------------------------------------------------------------------- HTML
CSS = """
:root { --ink:#10202F; --muted:#4A5866; --line:#D5DCE3; --paper:#FFFFFF; --wash:#F4F7FA;
        --accent:#0B5CAD; --practise:#FFF4DC; --practise-edge:#E69F00; }
* { box-sizing: border-box; }
html { font-size: 18px; }
body { margin: 0; background: var(--wash); color: var(--ink);
       font-family: Andika, "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 28px 28px 60px; }
header.page { background: var(--accent); color: #fff; padding: 26px 28px; }
header.page .inner { max-width: 1200px; margin: 0 auto; padding: 0 28px; }
header.page h1 { margin: 0 0 6px; font-size: 2rem; }
header.page p { margin: 0; font-size: 1.05rem; opacity: .95; }
h2 { font-size: 1.6rem; margin: 0 0 14px; }
h3 { font-size: 1.2rem; margin: 26px 0 10px; }
section.panel { background: var(--paper); border: 1px solid var(--line); border-radius: 14px;
                padding: 24px 26px; margin: 24px 0; break-inside: avoid; }
.help { color: var(--muted); margin: -4px 0 16px; max-width: 60em; }
.name { overflow-wrap: anywhere; word-break: break-word; }
.clamp3 { display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
.clamp { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 10px 12px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: .9rem; color: var(--muted); font-weight: 700; text-transform: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.heat td.cell { text-align: center; font-weight: 700; font-size: 1.1rem; min-width: 6.5em;
                     border: 3px solid var(--paper); border-radius: 8px; }
table.heat td.cell small { display: block; font-weight: 400; font-size: .78rem; opacity: .9; }
table.heat td.untried { color: var(--muted); background: #FFFFFF; border: 2px dashed var(--line); }
table.heat td.child { max-width: 22em; }
table.heat th.emo { text-align: center; }
.one-line { display: inline-block; max-width: 100%; white-space: nowrap; overflow: hidden;
            text-overflow: ellipsis; vertical-align: bottom; }
a { color: var(--accent); }
.badge { display: inline-block; padding: 3px 12px; border-radius: 999px; background: var(--practise);
         border: 2px solid var(--practise-edge); font-weight: 700; }
.cards { display: flex; flex-wrap: wrap; gap: 14px; margin: 8px 0 18px; }
.card { background: var(--wash); border-radius: 12px; padding: 12px 18px; min-width: 9.5em; }
.card .big { display: block; font-size: 1.7rem; font-weight: 700; }
.card .label { color: var(--muted); font-size: .9rem; }
.card.practise { background: var(--practise); border: 2px solid var(--practise-edge); flex: 1 1 16em; }
.card.practise.calm { background: var(--wash); border-color: var(--line); }
.card.practise .why { display: block; color: var(--ink); font-size: .95rem; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; }
figure.chart { margin: 0; flex: 1 1 480px; background: #fff; display: flex; flex-direction: column; }
figure.chart figcaption { order: -1; font-weight: 700; font-size: 1.05rem; margin: 14px 0 4px; }
figure.chart svg { width: 100%; height: auto; display: block; }
.meter { display: inline-block; vertical-align: middle; width: 90px; height: 12px; background: #E8EDF2;
         border-radius: 6px; margin-right: 8px; overflow: hidden; }
.meter span { display: block; height: 100%; background: #0B5CAD; }
.legend { display: flex; flex-wrap: wrap; gap: 18px; color: var(--muted); font-size: .9rem; margin: 0 0 8px; }
.legend i { display: inline-block; width: 16px; height: 16px; border-radius: 3px; vertical-align: -3px;
            margin-right: 6px; border: 1px solid #888; }
.shares { font-size: .85rem; color: var(--muted); display: block; margin-top: 2px; }
.contents { columns: 3 16em; padding-left: 1.2em; }
.contents li { margin: 2px 0; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: .9rem; margin-top: 30px; }
@media print { body { background: #fff; } section.panel { border-color: #bbb; } header.page { color: #000; background: #fff; } }
"""


def name_html(child: Child, *, clamp: bool = False, one_line: bool = False) -> str:
    """A child's name, escaped, in <bdi> so right-to-left text keeps the page's left alignment
    and cannot reorder what follows; very long names are cut visually (the full name stays in
    the page and in the tooltip)."""
    name = f'<bdi class="name">{esc(child.name)}</bdi>'
    wrapper = "clamp" if clamp else "one-line" if one_line else ""
    return f'<span class="{wrapper}" title="{esc(child.name)}">{name}</span>' if wrapper else name


def overview_html(data: ReportData, emotions: Sequence[str], words: dict[str, str]) -> str:
    if not data.children:
        return f'<p class="empty">{esc(words["no_children"])}</p>'
    by_child: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in data.attempts:
        by_child[attempt.child_id].append(attempt)
    head = "".join(f'<th scope="col" class="emo">{esc(emotion_label(e, words))}</th>' for e in emotions)
    rows = []
    for child in data.children:
        stats = stats_by_emotion(by_child[child.id])
        cells = []
        for emotion in emotions:
            one = stats.get(emotion)
            if one is None or one.attempts == 0:
                cells.append(f'<td class="cell untried">—<small>{esc(words["not_tried"])}</small></td>')
                continue
            background, ink = heat_colour(one.success_rate)
            cells.append(f'<td class="cell" style="background:{background};color:{ink}">'
                         f'{fmt_rate(one.success_rate)}<small>{one.matched}/{one.attempts}</small></td>')
        advice = needs_practice(stats)
        practise = (f'<span class="badge">{esc(emotion_label(advice.emotion, words))}</span>'
                    if advice.emotion else esc(words["nothing_to_practise"]))
        rows.append(f'<tr><td class="child"><a href="#child-{child.id}">{name_html(child, clamp=True)}</a></td>'
                    f'{"".join(cells)}<td class="num">{len(by_child[child.id])}</td><td>{practise}</td></tr>')
    return (f'<table class="heat" data-chart="class-overview"><thead><tr><th scope="col">{esc(words["child"])}</th>'
            f'{head}<th scope="col" class="num">{esc(words["rounds"])}</th>'
            f'<th scope="col">{esc(words["needs_practice"])}</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def share_legend(words: dict[str, str]) -> str:
    keys = ("positive", "negative", "neutral", "noface")
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{SHARE_COLOURS[k]}"></i>{esc(words[k])}</span>' for k in keys) + "</div>"


def child_html(child: Child, attempts: Sequence[Attempt], sessions: dict[int, SessionInfo],
               words: dict[str, str]) -> str:
    parts = [f'<section class="panel child" id="child-{child.id}">',
             f'<h2 class="clamp3" title="{esc(child.name)}"><bdi class="name">{esc(child.name)}</bdi></h2>']
    if not attempts:
        parts.append(f'<p class="empty">{esc(words["no_rounds"])}</p></section>')
        return "".join(parts)
    stats = stats_by_emotion(attempts)
    emotions = list(stats)
    advice = needs_practice(stats)
    rows = sessions_of(attempts, sessions)
    matched = sum(1 for a in attempts if a.outcome == "matched")
    last = max(a.ended_at for a in attempts)
    practise = emotion_label(advice.emotion, words) if advice.emotion else words["nothing_to_practise"]
    parts.append(
        '<div class="cards">'
        f'<div class="card"><span class="big">{len(attempts)}</span><span class="label">{esc(words["rounds"])}</span></div>'
        f'<div class="card"><span class="big">{fmt_rate(matched / len(attempts))}</span>'
        f'<span class="label">{esc(words["success_rate"])}</span></div>'
        f'<div class="card"><span class="big">{len(rows)}</span><span class="label">{esc(words["sessions"])}</span></div>'
        f'<div class="card"><span class="big" style="font-size:1.2rem">{esc(fmt_date(last, words))}</span>'
        f'<span class="label">{esc(words["last_played"])}</span></div>'
        f'<div class="card practise{"" if advice.emotion else " calm"}" data-needs-practice="{esc(advice.emotion or "")}">'
        f'<span class="label">{esc(words["needs_practice"])}</span><span class="big">{esc(practise)}</span>'
        f'<span class="why">{esc(words["why"].format(reason=advice.text(words)))}</span></div>'
        "</div>")

    table_rows = []
    for emotion in emotions:
        one = stats[emotion]
        meter = (f'<span class="meter" aria-hidden="true"><span style="width:{round(100 * one.success_rate)}%"></span></span>'
                 if one.success_rate is not None else "")
        table_rows.append(
            f"<tr><th scope=\"row\">{esc(emotion_label(emotion, words))}</th><td class=\"num\">{one.attempts}</td>"
            f"<td class=\"num\">{one.matched}</td><td>{meter}{fmt_rate(one.success_rate)}</td>"
            f"<td class=\"num\">{esc(fmt_seconds(one.median_time_to_match_s, words))}</td></tr>")
    parts.append(
        f'<h3>{esc(words["per_emotion"])}</h3><table class="emotions"><thead><tr>'
        f'<th scope="col">{esc(words["emotion"])}</th><th scope="col" class="num">{esc(words["rounds"])}</th>'
        f'<th scope="col" class="num">{esc(words["matched"])}</th><th scope="col">{esc(words["success_rate"])}</th>'
        f'<th scope="col" class="num">{esc(words["median_time"])}</th></tr></thead>'
        f'<tbody>{"".join(table_rows)}</tbody></table>')

    shown = rows[-CHART_SESSIONS:]
    success, speed = per_session_series(shown, emotions, words)
    labels = session_axis_labels(shown, words)
    success_svg = session_line_chart(series=success, session_labels=labels,
                                     y_label=words["chart_success_axis"], percent=True,
                                     chart_id=f"s{child.id}")
    speed_svg = session_line_chart(series=speed, session_labels=labels,
                                   y_label=words["chart_time_axis"], percent=False,
                                   chart_id=f"t{child.id}", empty_note=words["no_matches"])
    parts.append(
        '<div class="charts">'
        f'<figure class="chart" data-chart="success-rate">{success_svg}'
        f'<figcaption>{esc(words["chart_success"])}</figcaption></figure>'
        f'<figure class="chart" data-chart="time-to-match">{speed_svg}'
        f'<figcaption>{esc(words["chart_time"])}</figcaption></figure>'
        "</div>")

    share_words = {k: words[k] for k in ("positive", "negative", "neutral", "noface")}
    session_rows = []
    for row in reversed(rows[-RECENT_SESSIONS:]):
        shares = expression_shares(row.attempts)
        values = {"positive": shares.positive, "negative": shares.negative,
                  "neutral": shares.other, "noface": shares.noface}
        text = " · ".join(f"{share_words[k]} {round(100 * v)}%" for k, v in values.items())
        done = sum(1 for a in row.attempts if a.outcome == "matched")
        minutes = shares.seconds / 60
        session_rows.append(
            f'<tr data-session="{row.session_id}"><td>{esc(fmt_date(row.started_at, words))}</td>'
            f'<td><bdi class="name">{esc(row.kiosk)}</bdi></td><td class="num">{len(row.attempts)}</td>'
            f'<td class="num">{done}</td><td class="num">{minutes:.1f}</td>'
            f'<td>{share_bar_svg(values, share_words)}<span class="shares">{esc(text)}</span></td></tr>')
    more = len(rows) - RECENT_SESSIONS
    parts.append(
        f'<h3>{esc(words["recent_sessions"])}</h3>{share_legend(words)}<table class="sessions"><thead><tr>'
        f'<th scope="col">{esc(words["session_date"])}</th><th scope="col">{esc(words["kiosk"])}</th>'
        f'<th scope="col" class="num">{esc(words["rounds"])}</th><th scope="col" class="num">{esc(words["matched"])}</th>'
        f'<th scope="col" class="num">{esc(words["minutes"])}</th><th scope="col">{esc(words["face_showed"])}</th>'
        f'</tr></thead><tbody>{"".join(session_rows)}</tbody></table>'
        + (f'<p class="empty">{esc(words["more_sessions"].format(n=more))}</p>' if more > 0 else "")
        + "</section>")
    return "".join(parts)


def page_html(data: ReportData, words: dict[str, str], lang: str, generated: datetime) -> str:
    emotions = emotion_order(a.emotion for a in data.attempts)
    filters = [words["filter_child"].format(name=data.child_name) if data.child_name else words["all_children"]]
    if data.since:
        filters.append(words["filter_since"].format(date=fmt_date(data.since, words, with_time=False)))
    by_child: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in data.attempts:
        by_child[attempt.child_id].append(attempt)
    contents = "".join(f'<li><a href="#child-{c.id}">{name_html(c, one_line=True)}</a></li>' for c in data.children)
    sections = "".join(child_html(c, by_child[c.id], data.sessions, words) for c in data.children)
    return (
        f'<!DOCTYPE html><html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # No network, ever: the page may only use what is inside it.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">"
        f'<title>{esc(words["title"])}</title><style>{CSS}</style></head><body>'
        f'<header class="page"><div class="inner"><h1>{esc(words["title"])}</h1>'
        f'<p>{esc(words["generated"].format(date=fmt_date(generated, words)))} · {esc(" · ".join(filters))}</p>'
        "</div></header><main>"
        f'<section class="panel" id="overview"><h2>{esc(words["class_overview"])}</h2>'
        f'<p class="help">{esc(words["class_overview_help"])}</p>{overview_html(data, emotions, words)}</section>'
        + (f'<section class="panel"><h2>{esc(words["contents"])}</h2><ul class="contents">{contents}</ul></section>'
           if len(data.children) > 1 else "")
        + sections
        + f'<section class="panel"><h2>{esc(words["about_title"])}</h2>'
          f'<p>{esc(words["about"].format(n=MIN_ATTEMPTS_FOR_ADVICE))}</p><p>{esc(words["files"])}</p></section>'
        + "</main></body></html>")


# ------------------------------------------------------------------------------------ CSV
ATTEMPT_COLUMNS = ("child", "child_id", "session", "kiosk", "level", "round", "emotion", "started_at",
                   "ended_at", "outcome", "time_to_match_s", "peak_prob", "mean_prob", "face_share",
                   "positive_share", "negative_share", "noface_share")


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


def attempts_rows(data: ReportData) -> Iterable[list[object]]:
    names = {c.id: c.name for c in data.children}
    for a in data.attempts:
        info = data.sessions.get(a.session_id)
        yield [names.get(a.child_id, ""), a.child_id, a.session_id, info.kiosk if info else "",
               a.level_id, a.round_index, a.emotion, a.started_at.isoformat(), a.ended_at.isoformat(),
               a.outcome, _num(a.time_to_match_s), _num(a.peak_prob), _num(a.mean_prob),
               _num(a.face_share), _num(a.positive_share), _num(a.negative_share), _num(a.noface_share)]


def children_table(data: ReportData) -> tuple[list[str], list[list[object]]]:
    emotions = emotion_order(a.emotion for a in data.attempts)
    header = ["child_id", "child", "avatar", "sessions", "rounds", "matched", "success_rate"]
    for emotion in emotions:
        header += [f"{emotion}_rounds", f"{emotion}_success_rate", f"{emotion}_median_time_to_match_s"]
    header += ["needs_practice", "needs_practice_reason", "last_played"]
    by_child: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in data.attempts:
        by_child[attempt.child_id].append(attempt)
    rows = []
    for child in data.children:
        mine = by_child[child.id]
        stats = stats_by_emotion(mine)
        advice = needs_practice(stats)
        matched = sum(1 for a in mine if a.outcome == "matched")
        row: list[object] = [child.id, child.name, child.avatar, len({a.session_id for a in mine}),
                             len(mine), matched, _num(matched / len(mine)) if mine else ""]
        for emotion in emotions:
            one = stats.get(emotion)
            row += [one.attempts if one else 0, _num(one.success_rate) if one else "",
                    _num(one.median_time_to_match_s) if one else ""]
        row += [advice.emotion or "", advice.text(REPORT_TEXT["en"]),
                max(a.ended_at for a in mine).isoformat() if mine else ""]
        rows.append(row)
    return header, rows


# ---------------------------------------------------------------------------------- build
def build_report(store, out_dir: Path | str, *, child_name: str | None = None,
                 since: datetime | None = None, lang: str = "en",
                 generated: datetime | None = None) -> ReportFiles:
    """Write index.html, attempts.csv and children.csv into `out_dir`."""
    if lang not in REPORT_TEXT:
        raise ProgressError(f"No report language {lang!r}; choose one of {', '.join(REPORT_TEXT)}.")
    words = REPORT_TEXT[lang]
    data = gather(store, child_name=child_name, since=since, words=words)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / "index.html"
    html_path.write_text(page_html(data, words, lang, generated or datetime.now(timezone.utc)),
                         encoding="utf-8")
    attempts_csv, children_csv = out / "attempts.csv", out / "children.csv"
    write_csv(attempts_csv, ATTEMPT_COLUMNS, attempts_rows(data))
    header, rows = children_table(data)
    write_csv(children_csv, header, rows)
    return ReportFiles(html=html_path, attempts_csv=attempts_csv, children_csv=children_csv,
                       children=len(data.children), attempts=len(data.attempts))
