"""The report and the teacher summary keep faces recognised (tapped) apart from faces shown (made
for the camera): a child who recognises sad but cannot show it yet is seen as exactly that."""

from __future__ import annotations

import csv
import re
from dataclasses import replace

from game.progress import open_store
from game.progress.report import build_report
from game.progress.summary import stats_by_emotion
from progress_factory import make_attempt


def _tap(child_id, session, index, emotion, answer):
    return replace(make_attempt(child_id, session, index, emotion=emotion, level_id="happy-or-sad",
                                outcome="matched" if answer == emotion else "wrong", time_to_match_s=2.5),
                   kind="recognise", answer=answer)


def _played(store):
    child = store.add_child("Dimas", "lion")
    session = store.start_session(child.id, "class-1", "id")
    attempts = [
        _tap(child.id, session, 0, "sad", "sad"), _tap(child.id, session, 1, "sad", "sad"),
        _tap(child.id, session, 2, "sad", "happy"), _tap(child.id, session, 3, "happy", "happy"),
        make_attempt(child.id, session, 4, emotion="sad", outcome="timeout"),
        make_attempt(child.id, session, 5, emotion="sad", outcome="timeout"),
        make_attempt(child.id, session, 6, emotion="sad", outcome="matched"),
        make_attempt(child.id, session, 7, emotion="happy", outcome="matched"),
    ]
    for attempt in attempts:
        store.record_attempt(attempt)
    store.end_session(session)
    return child, attempts


def _row(html: str, emotion: str) -> str:
    table = html.split('data-table="recognise-show"', 1)[1].split("</table>", 1)[0]
    return re.search(rf'<tr data-emotion="{emotion}">(.*?)</tr>', table, re.S).group(1)


def _cell(row: str, kind: str) -> str:
    return re.sub(r"\s+", " ", re.search(rf'<td data-kind="{kind}">(.*?)</td>', row, re.S).group(1)).strip()


def test_stats_count_each_kind_on_its_own():
    attempts = [_tap(1, 1, 0, "sad", "happy"), _tap(1, 1, 1, "sad", "sad"),
                make_attempt(1, 1, 2, emotion="sad", outcome="timeout")]
    shown, recognised = stats_by_emotion(attempts)["sad"], stats_by_emotion(attempts, "recognise")["sad"]
    assert (shown.tries, shown.matched, shown.timed_out) == (1, 0, 1)
    assert (recognised.tries, recognised.matched, recognised.wrong) == (2, 1, 1)


def test_report_shows_recognises_and_shows_per_emotion(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "j") as store:
        child, _ = _played(store)
        summary = store.child_summary(child.id)
        files = {lang: build_report(store, tmp_path / lang, lang=lang) for lang in ("en", "id")}
    # teacher area numbers: shown faces in "emotions", tapped faces in "recognises"
    assert summary["emotions"]["sad"]["attempts"] == 3 and summary["emotions"]["sad"]["matched"] == 1
    assert summary["recognises"]["sad"] == {"attempts": 3, "matched": 2, "timed_out": 0, "skipped": 0,
                                            "wrong": 1, "success_rate": 2 / 3, "median_time_to_match_s": 2.5}
    en = files["en"].html.read_text(encoding="utf-8")
    assert "Recognises and shows" in en
    assert _cell(_row(en, "sad"), "recognise") == "2/3 <small>67%</small>"
    assert _cell(_row(en, "sad"), "show") == "1/3 <small>33%</small>"
    assert _cell(_row(en, "happy"), "recognise") == "1/1 <small>100%</small>"
    assert _cell(_row(en, "fear"), "recognise") == "— <small>not tried</small>"
    # the "By emotion" table counts shown faces only: sad has 3 tries there, not 6
    by_emotion = en.split('<table class="emotions">', 1)[1].split("</table>", 1)[0]
    sad = re.search(r'<tr data-emotion="sad">(.*?)</tr>', by_emotion, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', sad)[:2] == ["3", "1"]
    indonesian = files["id"].html.read_text(encoding="utf-8")
    assert "Mengenali dan menunjukkan" in indonesian and "<th scope=\"col\">Menunjukkan</th>" in indonesian
    with open(files["en"].attempts_csv, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["kind"], r["answer"], r["outcome"]) for r in rows[:3]] == [
        ("recognise", "sad", "matched"), ("recognise", "sad", "matched"), ("recognise", "happy", "wrong")]
    assert (rows[4]["kind"], rows[4]["answer"]) == ("show", "")
