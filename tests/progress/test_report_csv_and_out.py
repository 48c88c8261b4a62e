"""The teacher report's files (issue 17, item 9): children.csv column names made from stored
emotion strings are neutralised against spreadsheet formulas like its cells, and
`report --out` to a place no folder can be made (/proc/x) prints one clear line, no traceback."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from game.progress import open_store
from game.progress.report import FORMULA_STARTS, build_report
from progress_factory import make_attempt

REPO = Path(__file__).resolve().parents[2]
HOSTILE = '=HYPERLINK("http://evil.example","x")'


def test_children_csv_column_names_from_stored_emotions_cannot_run_as_formulas(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}") as store:
        child = store.add_child("Ana", "")
        session = store.start_session(child.id, "k", "en")
        for i, emotion in enumerate(("happy", HOSTILE, "+1+1", "@SUM(A1)", "-2")):
            store.record_attempt(make_attempt(child.id, session, i, emotion=emotion))
        files = build_report(store, tmp_path / "report")
    with open(files.children_csv, encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    for text in (HOSTILE, "+1+1", "@SUM(A1)", "-2"):
        assert any(text in name for name in header), (text, header)   # columns per stored emotion
    assert [name for name in header if name.startswith(FORMULA_STARTS)] == []
    assert f"'{HOSTILE}_rounds" in header                  # kept readable, only made inert


def test_report_out_where_no_folder_can_be_made_prints_a_clear_line(tmp_path):
    db = tmp_path / "p.sqlite3"
    with open_store(f"sqlite:///{db}") as store:
        store.add_child("Ana", "")
    result = subprocess.run(
        [sys.executable, "-m", "game.cli", "report", "--db", f"sqlite:///{db}", "--out", "/proc/x"],
        capture_output=True, text=True, cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert "Cannot write the report into /proc/x" in result.stderr and "--out" in result.stderr, result.stderr
