"""`emotion-game report`: the teacher report from the progress database.

Heavy imports (SQLAlchemy, matplotlib) happen inside the command so other commands stay fast.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path


def parse_since(text: str) -> datetime:
    """A date (2026-11-01) or date and time; without a zone it means this computer's local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it like 2026-11-01 (year-month-day)") from exc
    return moment.astimezone() if moment.tzinfo is None else moment


def parse_zone(text: str):
    """An IANA time zone name (Asia/Jakarta); a near miss is answered with the closest names."""
    import difflib
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        names = sorted(available_timezones())
        by_lower = {n.lower(): n for n in names}
        close = difflib.get_close_matches(text.strip().lower(), list(by_lower), n=3, cutoff=0.5)
        ends = [n for n in names if n.lower().endswith("/" + text.strip().lower())]
        guesses = list(dict.fromkeys(ends + [by_lower[c] for c in close]))[:3]
        hint = f"; did you mean {', '.join(guesses)}?" if guesses else ", e.g. Asia/Jakarta"
        raise argparse.ArgumentTypeError(f"{text!r} is not a time zone name{hint}") from exc


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser(
        "report", help="write the teacher report (HTML page + CSV files)",
        description="Write a progress report for teachers: index.html (opens offline), "
                    "attempts.csv and children.csv.")
    report.add_argument("--db", metavar="URL", default=None,
                        help="progress database: sqlite:///path.db or postgresql://user@host:port/db "
                             "(default: this computer's game database)")
    report.add_argument("--child", metavar="NAME", default=None, help="only this child")
    report.add_argument("--since", metavar="DATE", type=parse_since, default=None,
                        help="only rounds from this date on, e.g. 2026-11-01")
    report.add_argument("--out", metavar="DIR", required=True, type=Path, help="folder to write into")
    report.add_argument("--lang", choices=("en", "id"), default="en",
                        help="report language: en (English) or id (Bahasa Indonesia)")
    report.add_argument("--tz", metavar="ZONE", type=parse_zone, default=None,
                        help="the kiosk's time zone for the times shown, e.g. Asia/Jakarta "
                             "(default: this computer's)")
    report.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from game.progress import ProgressError, default_db_url, open_store
    from game.progress.report import build_report

    url = args.db or default_db_url()
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
            print(f"No progress database at {parsed.database}. Play a round first, or pass --db.",
                  file=sys.stderr)
            return 1
    except Exception:  # noqa: BLE001 - open_store below explains a bad URL properly
        pass
    try:
        store = open_store(url)
    except ProgressError as exc:
        print(f"Cannot open the progress database: {exc}", file=sys.stderr)
        return 1
    try:
        files = build_report(store, args.out, child_name=args.child, since=args.since, lang=args.lang,
                             zone=args.tz)
        note = store.last_error
    except ProgressError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:   # --out names a place no report can be written (/proc/x, a full disk)
        where = Path(exc.filename) if exc.filename else args.out
        print(f"Cannot write the report into {args.out}: {where} - {exc.strerror or exc}. "
              "Choose a folder you can write to, e.g. --out report.", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Report for {files.children} children and {files.attempts} rounds: {files.html}")
    print(f"Spreadsheets: {files.attempts_csv} and {files.children_csv}")
    if note:
        print(f"Note: {note}", file=sys.stderr)
    return 0
