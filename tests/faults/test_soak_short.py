"""A one-minute soak in CI (tools/soak.py --minutes 1): the real game plays the shipped levels
from a made video; threads stay flat, every attempt the game recorded is in the database, and
memory does not run away. The 30-minute figures come from running the tool itself."""

from __future__ import annotations

import pytest

from tests.conftest import fer_split
from tests.play.harness import model_path
from tools.soak import run_soak

#: Far above what a minute of play should add once warmed up (the 30-minute soak measures
#: the real slope); it catches a leak of a frame or a surface per UI frame.
MAX_GROWTH_AFTER_WARMUP_MB = 60.0


@pytest.mark.slow
def test_one_minute_of_play_loses_nothing_and_stays_flat(tmp_path):
    model, fer_val = model_path(), fer_split("val")
    report = run_soak(1.0, workdir=tmp_path, data_dir=fer_val, model=model, sample_s=1.0, warmup_s=20.0,
                      log=lambda text: None)
    summary = {k: report.get(k) for k in ("returncode", "rss_mb", "threads", "attempts_recorded",
                                          "attempts_stored", "frames_drawn", "scenes_entered", "stderr_tail")}
    assert report["returncode"] == 0, summary
    assert report["attempts_recorded"] >= 2, summary            # rounds really ended
    assert report["attempts_lost"] == 0 and report["pending_at_close"] == 0, summary
    assert report["level_results_recorded"] == report["level_results_stored"], summary
    assert report["journal_lines_left"] == 0, summary
    threads = report["threads"]
    assert threads["after_warmup_max"] - threads["after_warmup_min"] <= 1, summary
    assert report["rss_mb"]["growth_after_warmup"] < MAX_GROWTH_AFTER_WARMUP_MB, summary
    assert report["frames_drawn"] > 20 * 60, summary              # the UI kept drawing
    assert report["vision_frames_processed"] > 5 * 50, summary    # and the camera kept coming
    assert report["vision_error"] is None and report["speech_error"] is None, summary
