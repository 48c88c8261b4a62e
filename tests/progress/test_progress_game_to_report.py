"""Acceptance: a headless game run records attempts, and the teacher report shows exactly those."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import datetime
from html import escape
from pathlib import Path

import pytest

from game.progress import open_store

REPO = Path(__file__).resolve().parents[2]
FER_VAL = Path(os.environ.get("EMOTION_GAME_FER", REPO.parent / "shared" / "data" / "fer2013")) / "val"
MODEL = Path(os.environ.get("EMOTION_GAME_TEST_MODEL", REPO / "models" / "expression.tflite"))
CHILD = "Ana <b>e2e</b> 😀"

#: Short rounds, so a run of half a minute records attempts whatever the model decides
#: (the first session also calibrates, which takes a few seconds).
QUICK_LEVEL = """
id = "quick-happy"
order = 99
title = { en = "Quick happy", id = "Senang cepat" }

[defaults]
hold_s = 0.5
time_limit_s = 4.0
threshold = 0.4

[[rounds]]
emotion = "happy"
picture = "faces/happy-1.png"
prompt = { en = "Show me a happy face!", id = "Tunjukkan wajah senang!" }

[[rounds]]
emotion = "happy"
picture = "faces/happy-2.png"
prompt = { en = "Smile again!", id = "Senyum lagi!" }
"""

pytestmark = pytest.mark.slow


def run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=timeout,
                          env=env, cwd=REPO)


def test_report_shows_the_attempts_a_headless_game_run_recorded(tmp_path):
    if not MODEL.is_file():
        pytest.skip(f"no expression model at {MODEL} (train it with tools/train.py)")
    if not FER_VAL.is_dir():
        pytest.skip(f"FER-2013 data not found at {FER_VAL} (needed to make the camera video)")
    video = tmp_path / "happy.mp4"
    made = run(["tools/make_test_video.py", "--data", str(FER_VAL), "--segments", "happy:35",
                "--out", str(video), "--confident", str(MODEL)], timeout=300)
    assert made.returncode == 0, made.stderr[-2000:]

    level = tmp_path / "quick-happy.toml"
    level.write_text(QUICK_LEVEL, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'kiosk.sqlite3'}"
    played = run(["-m", "game.cli", "play", "--camera", str(video), "--child", CHILD,
                  "--level", str(level), "--windowed", "--mute", "--seconds", "30", "--fps", "30",
                  "--db", url, "--model", str(MODEL)], timeout=300)
    assert played.returncode == 0, played.stderr[-3000:]

    with open_store(url) as store:
        recorded = store.attempts()
        [child] = store.list_children()
    assert child.name == CHILD and recorded, "the game run recorded no attempts"
    assert {a.level_id for a in recorded} == {"quick-happy"} and {a.emotion for a in recorded} == {"happy"}

    out = tmp_path / "report"
    reported = run(["-m", "game.cli", "report", "--db", url, "--out", str(out)], timeout=300)
    assert reported.returncode == 0, reported.stderr[-2000:]
    assert f"Report for 1 children and {len(recorded)} rounds" in reported.stdout

    with open(out / "attempts.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["child"], r["level"], int(r["round"]), r["emotion"], r["outcome"]) for r in rows] == \
        [(CHILD, a.level_id, a.round_index, a.emotion, a.outcome) for a in recorded]
    # in the kiosk's local time, with its offset: the same moments as stored
    assert [datetime.fromisoformat(r["started_at"]) for r in rows] == [a.started_at for a in recorded]

    page = (out / "index.html").read_text(encoding="utf-8")
    assert escape(CHILD) in page and "<b>e2e</b>" not in page
    matched = sum(1 for a in recorded if a.outcome == "matched")
    assert f"{matched}/{len(recorded)}</small>" in page            # the class overview cell
    assert page.count('<figure class="chart"') == 3   # weeks, sessions, time to match
