"""The teacher report as a teacher reads it (issue 14, items 9-11): advice that is right and
counts skips as skips, Bahasa Indonesia all the way, levels and time at the kiosk, local times,
a printable page per child, progress over weeks, templates, and `--child` finding a child.

Real SQLite store, the real report, and the pages in real headless Chromium.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from game.cli import main as cli_main
from game.progress import open_store
from game.progress.report import build_report, template_environment, template_source
from game.progress.report_text import REPORT_TEXT
from progress_factory import T0, make_attempt
from test_progress_report import find_chromium, run_chromium

JAKARTA = ZoneInfo("Asia/Jakarta")
GENERATED = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)


def play(store, child_id: int, start: datetime, plan: list[tuple[str, str]], *,
         level: str = "meet-happy", minutes: float | None = 7.0) -> int:
    """One session of (emotion, outcome) rounds; ended `minutes` after its start (None: never)."""
    session = store.start_session(child_id, "kelas-1", "id", started_at=start)
    for i, (emotion, outcome) in enumerate(plan):
        store.record_attempt(make_attempt(child_id, session, i, emotion=emotion, outcome=outcome,
                                          start=start, level_id=level))
    if minutes is not None:
        store.end_session(session, ended_at=start + timedelta(minutes=minutes))
    return session


@pytest.fixture
def classroom(tmp_path):
    """Siti: happy and sad matched every time, scared missed once (the issue's first child);
    Budi skipped all three happy rounds (the second); Citra plays weeks 1, 2 and 4 in two
    levels, one session never closed."""
    url = f"sqlite:///{tmp_path / 'kelas.sqlite3'}"
    with open_store(url) as store:
        siti = store.add_child("Sìti", "cat")
        budi = store.add_child("Budi", "dog")
        citra = store.add_child("Citra", "owl")
        play(store, siti.id, T0, [("happy", "matched")] * 3 + [("sad", "matched")] * 3 + [("fear", "timeout")])
        play(store, budi.id, T0, [("happy", "skipped")] * 3, minutes=2.5)
        for week, outcome in ((0, "timeout"), (1, "matched"), (3, "matched")):
            start = T0 + timedelta(weeks=week)
            play(store, citra.id, start, [("happy", outcome), ("sad", "matched"), ("fear", outcome)],
                 level="meet-happy", minutes=None if week == 3 else 9.0)
            play(store, citra.id, start + timedelta(hours=1), [("sad", "timeout"), ("happy", "matched")],
                 level="mix-and-match", minutes=4.0)
    return url, {"siti": siti.id, "budi": budi.id, "citra": citra.id}


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["child"]: row for row in csv.DictReader(handle)}


def report(url: str, out: Path, lang: str, **options):
    with open_store(url) as store:
        return build_report(store, out, lang=lang, zone=JAKARTA, generated=GENERATED, **options)


def visible_text(page: str) -> str:
    """The words a teacher sees: tags, styles and the charts' metadata left out."""
    page = re.sub(r"<(style|metadata)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


# ------------------------------------------------------------------------- item 9: advice
def test_advice_is_right_in_the_page_and_in_children_csv(classroom, tmp_path):
    url, ids = classroom
    files = report(url, tmp_path / "en", "en")
    children = read_csv(files.children_csv)
    siti, budi = children["Sìti"], children["Budi"]
    # 'Scared 0/1' is not "All emotions matched every time"
    assert siti["needs_practice"] == "fear"
    assert siti["needs_practice_reason"] == "Matched 0 of 1 so far: too few tries to tell (3 needed)."
    assert siti["fear_advice"] == "Scared: matched 0 of 1, too few tries to tell (3 needed)."
    assert siti["happy_advice"] == "Happy: matched every time (3 of 3)."
    # three skipped happy rounds are skips: not tries, not a reason to practise sad
    assert budi["needs_practice"] == ""
    assert budi["needs_practice_reason"] == "Not enough tries yet to compare (3 per emotion needed)."
    assert (budi["rounds"], budi["tries"], budi["skipped"], budi["timed_out"]) == ("3", "0", "3", "0")
    assert (budi["happy_rounds"], budi["happy_tries"], budi["happy_skipped"]) == ("3", "0", "3")
    assert budi["happy_success_rate"] == "" and budi["success_rate"] == ""
    assert budi["happy_advice"] == "Happy: skipped 3 times, not tried yet."

    page = files.html.read_text(encoding="utf-8")
    section = page[page.index(f'id="child-{ids["siti"]}"'):page.index(f'id="child-{ids["budi"]}"')]
    assert 'data-needs-practice="fear"' in section
    assert "Scared: matched 0 of 1, too few tries to tell (3 needed)." in section
    assert "All emotions matched every time" not in page and "Every emotion matched every time" not in page
    budi_part = page[page.index(f'id="child-{ids["budi"]}"'):page.index(f'id="child-{ids["citra"]}"')]
    assert "Happy: skipped 3 times, not tried yet." in budi_part
    assert 'data-needs-practice=""' in budi_part
    overview = page[page.index('data-chart="class-overview"'):page.index("</table>")]
    budi_row = overview[overview.index(f'data-child="{ids["budi"]}"'):]
    assert "3 skipped" in budi_row.split("</tr>")[0]          # shown as skips, not as 0%


def test_the_teacher_area_summary_counts_skips_and_covers_every_emotion(classroom):
    url, ids = classroom
    with open_store(url) as store:
        siti, budi = store.child_summary(ids["siti"]), store.child_summary(ids["budi"])
    assert siti["needs_practice"] == "fear"
    assert siti["emotions"]["fear"] == {"attempts": 1, "matched": 0, "timed_out": 1, "skipped": 0,
                                        "success_rate": 0.0, "median_time_to_match_s": None,
                                        "verdict": "too_few"}
    assert siti["emotion_advice"]["en"]["fear"] == "Scared: matched 0 of 1, too few tries to tell (3 needed)."
    assert siti["emotion_advice"]["id"]["fear"] == ("Takut: berhasil 0 dari 1, percobaannya belum cukup "
                                                    "untuk menilai (perlu 3).")
    assert list(siti["emotion_advice"]["id"]) == ["happy", "sad", "fear"]
    assert budi["needs_practice"] is None
    assert (budi["rounds"], budi["attempts"], budi["skipped"]) == (3, 0, 3)
    assert budi["emotions"]["happy"]["skipped"] == 3 and budi["emotions"]["happy"]["success_rate"] is None
    assert budi["emotion_advice"]["id"]["happy"] == "Senang: dilewati 3 kali, belum dicoba."
    assert budi["needs_practice_reason"]["id"] == "Belum cukup percobaan untuk dibandingkan (perlu 3 per emosi)."


# --------------------------------------------------------------- item 10: the report itself
def english_phrases() -> list[str]:
    """The fixed pieces of every English phrase that Indonesian says differently."""
    en, id_ = REPORT_TEXT["en"], REPORT_TEXT["id"]
    pieces = []
    for key, text in en.items():
        if key == "months" or text == id_[key]:
            continue
        pieces += [p.strip(" .,:;()!?\"'") for p in re.split(r"\{[^}]*\}", text)]
    return sorted({p for p in pieces if len(p) >= 6})


def test_indonesian_report_has_no_english_left(classroom, tmp_path):
    url, ids = classroom
    files = report(url, tmp_path / "id", "id")
    for path in (files.html, files.child_pages[ids["citra"]]):
        page = path.read_text(encoding="utf-8")
        text = visible_text(page)
        assert "Emotion Game" not in page
        leftovers = [p for p in english_phrases() if p in text]
        assert not leftovers, f"English left in {path.name}: {leftovers}"
    page = files.html.read_text(encoding="utf-8")
    assert "<title>Permainan Emosi: laporan perkembangan</title>" in page and '<html lang="id">' in page
    child_page = files.child_pages[ids["siti"]].read_text(encoding="utf-8")
    assert "<title>Laporan perkembangan: Sìti</title>" in child_page
    children = read_csv(files.children_csv)
    assert children["Sìti"]["needs_practice_reason"] == ("Sejauh ini berhasil 0 dari 1: percobaannya belum "
                                                         "cukup untuk menilai (perlu 3).")
    assert children["Budi"]["happy_advice"] == "Senang: dilewati 3 kali, belum dicoba."
    assert children["Citra"]["needs_practice_reason"].startswith("Berhasil ")


def session_rows(page: str, child_id: int) -> list[str]:
    start = page.index(f'id="child-{child_id}"')
    part = page[start:page.index("</section>", start)]
    return re.findall(r'<tr data-session="\d+">(.*?)</tr>', part, flags=re.S)


def test_sessions_name_the_level_and_count_minutes_at_the_kiosk(classroom, tmp_path):
    url, ids = classroom
    en = report(url, tmp_path / "en", "en").html.read_text(encoding="utf-8")
    id_page = report(url, tmp_path / "id", "id").html.read_text(encoding="utf-8")
    [siti] = session_rows(en, ids["siti"])
    assert "Meet Happy" in siti                                 # the level's title, not its id
    assert 'data-minutes="7.0"' in siti                        # 7 minutes at the kiosk, not 28 s of rounds
    assert "Kenalan dengan Senang" in session_rows(id_page, ids["siti"])[0]
    citra = session_rows(id_page, ids["citra"])                 # newest first
    assert "Ganti-ganti Wajah" in citra[0] and 'data-minutes="4.0"' in citra[0]
    # the last week's first session was never closed: counted to its last round (3 x 10 s), marked *
    assert "Kenalan dengan Senang" in citra[1] and 'data-minutes="0.4">0.4*' in citra[1]
    assert "Minutes at the kiosk" in en and "count from the start of a session to its end" in en
    assert "Menit di kios" in id_page


def test_times_are_the_kiosks_local_time_with_the_offset_in_the_csv(classroom, tmp_path):
    url, ids = classroom
    files = report(url, tmp_path / "en", "en")
    page = files.html.read_text(encoding="utf-8")
    assert "Asia/Jakarta, UTC+07:00" in page
    [row] = session_rows(page, ids["siti"])
    assert "2 Nov 2026, 16:00" in row                         # 09:00 UTC is 16:00 in Jakarta
    with open(files.attempts_csv, encoding="utf-8-sig", newline="") as handle:
        attempts = list(csv.DictReader(handle))
    with open_store(url) as store:
        stored = store.attempts()
    assert attempts[0]["started_at"] == "2026-11-02T16:00:00+07:00"
    assert [datetime.fromisoformat(r["started_at"]) for r in attempts] == [a.started_at for a in stored]
    assert all(r["ended_at"].endswith("+07:00") for r in attempts)
    assert read_csv(files.children_csv)["Sìti"]["last_played"].endswith("+07:00")
    assert attempts[0]["level_title"] == "Meet Happy"


def test_progress_over_weeks_per_emotion(classroom, tmp_path):
    url, ids = classroom
    page = report(url, tmp_path / "en", "en").html.read_text(encoding="utf-8")
    start = page.index(f'id="child-{ids["citra"]}"')
    part = page[start:page.index("</section>", start)]
    assert '<figure class="chart" data-chart="weekly"><svg' in part
    table = part[part.index('data-table="weekly"'):]
    table = table[:table.index("</table>")]
    heads = re.findall(r'<th scope="col">([^<]*)</th>', table)
    assert heads == ["Week of", "2 Nov", "9 Nov", "16 Nov", "23 Nov"]   # the quiet week stays a gap
    cells = {m[0]: re.findall(r"<td>([^<]*)</td>", m[1])
             for m in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', table, flags=re.S)}
    assert cells == {"Happy": ["1/2", "2/2", "—", "2/2"], "Sad": ["1/2", "1/2", "—", "1/2"],
                     "Scared": ["0/1", "1/1", "—", "1/1"]}


def test_a_printable_page_per_child(classroom, tmp_path):
    url, ids = classroom
    files = report(url, tmp_path / "en", "en")
    assert set(files.child_pages) == set(ids.values())
    names = {"siti": "Sìti", "budi": "Budi", "citra": "Citra"}
    for key, child_id in ids.items():
        page = files.child_pages[child_id].read_text(encoding="utf-8")
        assert page.count('<section class="panel child"') == 1 and f'data-child="{child_id}"' in page
        assert f'<bdi class="name">{names[key]}</bdi>' in page
        assert not any(f'<bdi class="name">{other}</bdi>' in page for k, other in names.items() if k != key)
        assert 'href="../index.html#child-' in page and "default-src 'none'" in page
    index = files.html.read_text(encoding="utf-8")
    assert f'href="children/child-{ids["citra"]}.html"' in index


def test_the_pages_come_from_templates_with_escaping_on():
    environment = template_environment()
    assert environment.autoescape is True
    for name in ("base.html.j2", "report.html.j2", "child_page.html.j2", "macros.html.j2", "report.css"):
        assert template_source(name), f"{name} is not in the package"
    assert template_source("no-such.html.j2") is None
    macros = environment.get_template("macros.html.j2").module
    assert str(macros.child_name("<b>Ana</b> & 'Budi'")) == \
        '<bdi class="name">&lt;b&gt;Ana&lt;/b&gt; &amp; &#39;Budi&#39;</bdi>'


# --------------------------------------------------------------------- item 11: --child
def test_report_child_finds_a_name_case_and_accents_aside(classroom, tmp_path, capsys):
    url, ids = classroom
    out = tmp_path / "siti"
    assert cli_main(["report", "--db", url, "--child", "siti", "--out", str(out)]) == 0
    assert "Report for 1 children" in capsys.readouterr().out
    with open(out / "children.csv", encoding="utf-8-sig", newline="") as handle:
        assert [row["child"] for row in csv.DictReader(handle)] == ["Sìti"]
    assert cli_main(["report", "--db", url, "--child", "SITY", "--out", str(out)]) == 1
    assert "No child is called 'SITY' in this database. Did you mean: Sìti?" in capsys.readouterr().err
    assert cli_main(["report", "--db", url, "--child", "sity", "--lang", "id", "--out", str(out)]) == 1
    assert "Mungkin maksudnya: Sìti?" in capsys.readouterr().err


# --------------------------------------------------------------------------- in Chromium
def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", path.read_bytes()))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "id"])
def test_report_pages_in_headless_chromium(classroom, tmp_path, lang):
    browser = find_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (Debian package `chromium`)")
    url, ids = classroom
    files = report(url, tmp_path / lang, lang)
    profile = tmp_path / "profile"
    dom = run_chromium(browser, profile, "--virtual-time-budget=3000", "--dump-dom", files.html.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert re.findall(r'data-chart="weekly"[^>]*>\s*<svg', dom.stdout).__len__() == 3
    title = REPORT_TEXT[lang]["title"]
    assert f"<title>{title}</title>" in dom.stdout

    # Printed, every child starts on a page of their own; a child's own page is short.
    whole, one = tmp_path / "whole.pdf", tmp_path / "one.pdf"
    for page, pdf in ((files.html, whole), (files.child_pages[ids["citra"]], one)):
        printed = run_chromium(browser, profile, f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                               page.as_uri())
        assert printed.returncode == 0 and pdf.exists(), printed.stderr[-2000:]
    assert pdf_pages(whole) >= 1 + len(ids)
    assert 1 <= pdf_pages(one) <= 3

    shots = {}
    for name, page, height in (("report", files.html, 3600), ("child", files.child_pages[ids["citra"]], 2600)):
        shot = tmp_path / f"{name}-{lang}.png"
        taken = run_chromium(browser, profile, f"--screenshot={shot}", f"--window-size=1280,{height}",
                             "--hide-scrollbars", page.as_uri())
        assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
        shots[name] = shot
    from PIL import Image
    with Image.open(shots["report"]) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((20, 20))[2] > 150 and rgb.getpixel((20, 20))[0] < 60   # the header bar
        colours = rgb.getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 200
    keep = os.environ.get("EMOTION_GAME_ARTIFACTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for name, shot in shots.items():
            shutil.copy(shot, Path(keep) / f"progress-{name}-{lang}.png")


def test_report_command_takes_the_kiosks_time_zone(classroom, tmp_path, capsys):
    url, _ = classroom
    out = tmp_path / "tz"
    assert cli_main(["report", "--db", url, "--tz", "Asia/Jakarta", "--out", str(out)]) == 0
    with open(out / "attempts.csv", encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["started_at"] == "2026-11-02T16:00:00+07:00"
    assert "Asia/Jakarta, UTC+07:00" in (out / "index.html").read_text(encoding="utf-8")
    with pytest.raises(SystemExit):
        cli_main(["report", "--db", url, "--tz", "Jakarta", "--out", str(out)])
    assert "'Jakarta' is not a time zone name; did you mean Asia/Jakarta" in capsys.readouterr().err
