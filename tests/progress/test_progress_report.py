"""The teacher report: HTML that is safe with hostile names, CSV that a spreadsheet cannot run,
the command line, and the page as headless Chromium renders it."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from game.cli import main as cli_main
from game.progress import ProgressError, open_store
from game.progress.report import ATTEMPT_COLUMNS, build_report
from progress_factory import T0, make_attempt

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "long": "Panjang" * 714 + "ab",            # 5000 characters
    "emoji": "Citra 🦄🌈",
    "rtl": "مرحبا يا صديقي",
    "formula": "=HYPERLINK(\"http://evil.example\",\"click\")",
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(A1:A9)",
    "quote": "\"Ana\" & 'Budi' </td></tr></table>",
}
assert len(HOSTILE["long"]) == 5000


def fill_class(store) -> dict[str, int]:
    """Every hostile name plays two sessions; emotions with different skill so advice differs."""
    ids = {}
    for key, name in HOSTILE.items():
        child = store.add_child(name, avatar=f"<img src=x onerror=alert('{key}')>")
        ids[key] = child.id
        for day in range(2):
            start = T0 + timedelta(days=day)
            session = store.start_session(child.id, f"kiosk <b>{day}</b>", "en", started_at=start)
            for i in range(9):
                emotion = ("happy", "sad", "fear")[i % 3]
                outcome = "timeout" if emotion == "sad" and i % 2 == 0 else "matched"
                store.record_attempt(make_attempt(child.id, session, i, emotion=emotion, outcome=outcome,
                                                  start=start, time_to_match_s=1.0 + i / 4))
            store.end_session(session, ended_at=start + timedelta(minutes=3))
    return ids


@pytest.fixture
def filled(tmp_path):
    url = f"sqlite:///{tmp_path / 'class.sqlite3'}"
    with open_store(url) as store:
        ids = fill_class(store)
        store.add_child("Nobody Yet", "")
    return url, ids


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_html_escapes_every_name_and_loads_nothing(filled, tmp_path):
    url, _ = filled
    with open_store(url) as store:
        files = build_report(store, tmp_path / "out")
    page = files.html.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "onerror=alert" not in page.replace("onerror=alert(&#39;", "")  # only escaped forms
    assert "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;Ana&#34; &amp; &#39;Budi&#39; &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;" in page
    for name in (HOSTILE["long"], HOSTILE["emoji"], HOSTILE["rtl"]):
        assert name in page                         # kept whole, not cut
    assert page.count("<bdi") >= len(HOSTILE)   # names isolated for right-to-left text
    # Self-contained: no external scripts, styles, images or fonts.
    assert not re.search(r"<(script|link|iframe|img)\b", page, re.I)
    assert not re.search(r"url\((?!#)|@import|src=", page, re.I)  # url(#clip) is inside the page
    assert "default-src 'none'" in page
    # Three charts per child that played (weeks, sessions, time), the overview table, each section.
    assert page.count('<figure class="chart"') == 3 * len(HOSTILE)
    assert 'data-chart="class-overview"' in page and "Nobody Yet" in page
    assert files.children == len(HOSTILE) + 1 and files.attempts == 18 * len(HOSTILE)


def test_csv_exports_are_complete_and_cannot_run_formulas(filled, tmp_path):
    url, ids = filled
    with open_store(url) as store:
        files = build_report(store, tmp_path / "out")
        stored = store.attempts()
    attempts = read_csv(files.attempts_csv)
    assert set(ATTEMPT_COLUMNS) <= set(attempts[0]) and len(attempts) == len(stored)
    assert {"child", "level", "round", "emotion", "started_at", "ended_at", "outcome",
            "time_to_match_s", "peak_prob", "mean_prob", "face_share"} <= set(attempts[0])
    names = {row["child"] for row in attempts}
    assert "'" + HOSTILE["formula"] in names and "'" + HOSTILE["plus"] in names
    assert "'" + HOSTILE["minus"] in names and "'" + HOSTILE["at"] in names
    assert HOSTILE["script"] in names and HOSTILE["long"] in names and HOSTILE["rtl"] in names
    assert not any(row[c].startswith(("=", "+", "-", "@")) for row in attempts for c in row)
    first = next(r for r in attempts if r["child_id"] == str(ids["emoji"]))
    assert (first["emotion"], first["outcome"], first["round"]) == ("happy", "matched", "0")
    assert float(first["time_to_match_s"]) == 1.0 and first["kiosk"] == "kiosk <b>0</b>"

    children = read_csv(files.children_csv)
    assert len(children) == len(HOSTILE) + 1
    by_id = {row["child_id"]: row for row in children}
    emoji = by_id[str(ids["emoji"])]
    assert (emoji["child"], emoji["rounds"], emoji["sessions"]) == (HOSTILE["emoji"], "18", "2")
    assert emoji["needs_practice"] == "sad" and float(emoji["sad_success_rate"]) == pytest.approx(2 / 3, abs=0.001)
    assert by_id[str(ids["formula"])]["avatar"].startswith("<img")  # not a formula, kept as text


def test_one_child_since_a_date_and_indonesian(filled, tmp_path):
    url, ids = filled
    with open_store(url) as store:
        files = build_report(store, tmp_path / "one", child_name=HOSTILE["emoji"],
                             since=T0 + timedelta(hours=12), lang="id")
    page = files.html.read_text(encoding="utf-8")
    assert files.children == 1 and files.attempts == 9     # the second day only
    assert "Ringkasan kelas" in page and "Latih berikutnya" in page and "Sedih" in page
    assert HOSTILE["rtl"] not in page
    assert {r["child_id"] for r in read_csv(files.attempts_csv)} == {str(ids["emoji"])}


def test_unknown_child_suggests_close_names(filled, tmp_path):
    url, _ = filled
    with open_store(url) as store, pytest.raises(ProgressError, match="Did you mean: Citra"):
        build_report(store, tmp_path / "x", child_name="Citra 🦄")


def test_report_command(filled, tmp_path, capsys):
    url, _ = filled
    out = tmp_path / "cli"
    assert cli_main(["report", "--db", url, "--since", "2026-11-01", "--out", str(out)]) == 0
    assert f"Report for {len(HOSTILE) + 1} children and {18 * len(HOSTILE)} rounds" in capsys.readouterr().out
    assert {p.name for p in out.iterdir()} == {"index.html", "attempts.csv", "children.csv", "children"}
    assert len(list((out / "children").glob("child-*.html"))) == len(HOSTILE) + 1
    assert cli_main(["report", "--db", url, "--child", "nobody", "--out", str(out)]) == 1
    assert "No child is called 'nobody'" in capsys.readouterr().err
    assert cli_main(["report", "--db", f"sqlite:///{tmp_path / 'missing.db'}", "--out", str(out)]) == 1
    assert "No progress database" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli_main(["report", "--db", url, "--since", "last tuesday", "--out", str(out)])
    assert "not a date" in capsys.readouterr().err


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=180)


@pytest.mark.slow
def test_report_renders_in_headless_chromium(filled, tmp_path):
    browser = find_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    url, _ = filled
    with open_store(url) as store:
        files = build_report(store, tmp_path / "out")
    page_url = files.html.resolve().as_uri()

    dom = run_chromium(browser, tmp_path / "profile", "--virtual-time-budget=3000", "--dump-dom", page_url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    charts = re.findall(r'<figure class="chart" data-chart="([a-z-]+)"[^>]*>\s*<svg', html)
    assert charts.count("success-rate") == len(HOSTILE) and charts.count("time-to-match") == len(HOSTILE)
    assert charts.count("weekly") == len(HOSTILE)
    assert len(re.findall(r'<svg class="share-bar"', html)) == 2 * len(HOSTILE)
    assert 'data-chart="class-overview"' in html
    assert "<script" not in html.lower()              # the hostile name stayed text in the live DOM
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    screenshot = tmp_path / "report.png"
    shot = run_chromium(browser, tmp_path / "profile", f"--screenshot={screenshot}",
                        "--window-size=1280,2000", "--hide-scrollbars", page_url)
    assert shot.returncode == 0 and screenshot.exists(), shot.stderr[-2000:]
    from PIL import Image
    with Image.open(screenshot) as image:
        assert image.size == (1280, 2000)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 200   # a real page, not a blank one
        header_blue = image.convert("RGB").getpixel((20, 20))
        assert header_blue[2] > 150 and header_blue[0] < 60  # the header bar drew
    keep = os.environ.get("EMOTION_GAME_ARTIFACTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(screenshot, Path(keep) / "progress-report.png")
