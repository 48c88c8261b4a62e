"""tools/soak.py --tracemalloc (issue 17, item 10): a short soak of the real game that says what
grew after the warm-up - the source lines whose Python allocations grew most, the object types
whose count grew, and the sizes of the game's caches - and the caches it names stay within
their bounds."""

from __future__ import annotations

import pytest

from game.play.widgets import text as text_module
from tests.conftest import fer_split
from tests.play.harness import model_path
from tools.soak import run_soak


@pytest.mark.slow
def test_a_soak_with_tracemalloc_names_what_grew_and_the_caches_stay_bounded(tmp_path):
    report = run_soak(0.75, workdir=tmp_path, data_dir=fer_split("val"), model=model_path(), sample_s=1.0,
                      warmup_s=15.0, tracemalloc_top=8, mute=True, log=lambda text: None)
    assert report["returncode"] == 0, report.get("stderr_tail")
    growth = report["tracemalloc"]
    assert 0 < len(growth["top_growth"]) <= 8, growth
    assert all(":" in row["where"] and "size_diff_kb" in row for row in growth["top_growth"])
    assert growth["traced_mb"] > 0 and isinstance(growth["object_types_grown"], dict)
    before, after = growth["caches_after_warmup"], growth["caches_at_end"]
    assert set(before) == set(after) and after["res.text"] >= 1 and after["frame_times"] >= before["frame_times"]
    assert after["res.text"] <= text_module.TEXT_CACHE_SIZE
    assert after["res.text_kb"] * 1024 <= text_module.TEXT_CACHE_BYTES
    assert after["res.images"] <= text_module.SCALED_CACHE_SIZE and after["res.shapes"] <= text_module.SHAPE_CACHE_SIZE
    assert growth["newest_texts"] and all(isinstance(t, str) for t in growth["newest_texts"])
    assert report["attempts_lost"] == 0
