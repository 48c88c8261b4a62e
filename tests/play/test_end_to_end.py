"""End to end: `emotion-game play` runs the shipped mirror-game level headless, with a made
video of real FER-2013 faces as the camera, the real vision worker and model, and a temporary
SQLite progress database. The video shows the prompted expression for most rounds and a
neutral face (with a stretch of nobody) for one round, which must time out.

The video is laid out from the game's own timings: each expression starts shortly after the
round it answers has started judging, so a match re-synchronises game and video; a
timed-out round takes exactly its time limit plus the "try again?" pause.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from game.levels import DEFAULT_ASSETS_DIR, DEFAULT_LEVELS_DIR, load_level_file
from game.play import calibration
from game.play.scenes.calibrate import THANKS_S
from game.play.scenes.celebrate import MIRROR_CELEBRATE_S
from game.play.scenes.round import MIRROR_AUTO_NEXT_S, MIRROR_INTRO_S
from tests.play.harness import clear_face, scene_checked_picker
from tests.conftest import REPO, fer_split
from tests.play.harness import model_path

LEVEL_FILE = DEFAULT_LEVELS_DIR / "mirror-game.toml"
TIMEOUT_ROUNDS = {4}                 # the child "forgets" round 5: a calm face, then nobody, then calm
FPS = 15.0
EXPRESSION_S = 2.8                   # how long each prompted expression is shown
AFTER_START_S = 1.0                  # an expression starts this long after its round starts judging
MATCH_LAG_S = 0.8                    # detection + smoothing: from the first frame to crossing the bar
SETTLE_S = 1.0                       # the game's start-up (window, model) before the first video frame


def plan_segments(level) -> tuple[list[tuple[str, float]], list[str]]:
    """(label, seconds) segments for the video, and the outcome each round should have."""
    segments: list[tuple[str, float]] = []
    expected: list[str] = []
    video_t = 0.0

    def show(label: str, seconds: float) -> None:
        nonlocal video_t
        if segments and segments[-1][0] == label:
            segments[-1] = (label, segments[-1][1] + seconds)
        else:
            segments.append((label, seconds))
        video_t += seconds

    # calibration: a calm face until the calm-face recorder has enough, then "thank you"
    judging = calibration.CALM_SECONDS + SETTLE_S * 0.2 + THANKS_S + MIRROR_INTRO_S
    for index, rnd in enumerate(level.rounds):
        if index in TIMEOUT_ROUNDS:
            expected.append("timeout")
            end = judging + rnd.time_limit_s + MIRROR_AUTO_NEXT_S + MIRROR_INTRO_S
            calm_until = judging + 2.0
            show("neutral", calm_until - video_t)
            show("none", 2.5)
            show("neutral", end - video_t)
            judging = end
            continue
        expected.append("matched")
        start = judging + AFTER_START_S
        show("neutral", start - video_t)
        show(rnd.emotion, EXPRESSION_S)
        matched_at = start + MATCH_LAG_S + rnd.hold_s
        judging = matched_at + MIRROR_CELEBRATE_S + MIRROR_INTRO_S
    show("neutral", 3.0)
    return segments, expected


def make_video(level, out: Path, model: Path, fer_val: Path) -> tuple[Path, list[str]]:
    from tools import make_test_video as mtv

    segments, expected = plan_segments(level)
    picker = scene_checked_picker(fer_val, model, clear_face)
    frames, truth = mtv.render([mtv.Segment(label, seconds) for label, seconds in segments], picker, fps=FPS)
    video = mtv.write(frames, out, FPS)
    mtv.write_truth(truth, mtv.truth_path_for(video))
    return video, expected


@pytest.mark.slow
def test_mirror_level_on_a_made_video(tmp_path):
    play_level_on_video(LEVEL_FILE, "mirror-game", tmp_path)


def play_level_on_video(level_file: Path, level_arg: str, tmp_path: Path) -> None:
    model = model_path()
    fer_val = fer_split("val")
    level = load_level_file(level_file, DEFAULT_ASSETS_DIR)
    video, expected = make_video(level, tmp_path / "camera.mp4", model, fer_val)
    truth = (tmp_path / "camera.csv").read_text()
    seconds = sum(float(row.split(",")[5]) - float(row.split(",")[4]) for row in truth.splitlines()[1:]) + 2.5
    db = tmp_path / "progress.sqlite3"
    shots = REPO / "tests" / "play" / "screenshots" / "e2e" if os.environ.get("EMOTION_GAME_KEEP_SHOTS") else tmp_path / "shots"
    stats_file = tmp_path / "stats.json"
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    command = [sys.executable, "-m", "game.cli", "play", "--camera", str(video), "--child", "Tester",
               "--level", level_arg, "--seconds", f"{seconds:.1f}", "--db", f"sqlite:///{db}",
               "--screenshots", str(shots), "--stats", str(stats_file), "--model", str(model)]
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=seconds + 120)
    assert result.returncode == 0, result.stderr[-3000:]

    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        attempts = [dict(r) for r in conn.execute("SELECT * FROM attempts ORDER BY started_at, id")]
        results = [dict(r) for r in conn.execute("SELECT * FROM level_results")]
        calibrations = [dict(r) for r in conn.execute("SELECT * FROM calibrations")]
    outcomes = [(a["round_index"], a["emotion"], a["outcome"]) for a in attempts]
    wanted = [(i, r.emotion, outcome) for i, (r, outcome) in enumerate(zip(level.rounds, expected))]
    assert outcomes == wanted, f"\nvideo truth:\n{truth}\nattempts: {outcomes}\nstderr: {result.stderr[-2000:]}"

    for attempt in attempts:
        if attempt["outcome"] == "matched":
            hold = level.rounds[attempt["round_index"]].hold_s
            # the expression appears about AFTER_START_S into the round; the match comes while it shows
            assert hold <= attempt["time_to_match_s"] <= AFTER_START_S + EXPRESSION_S + 0.5, attempt
            assert attempt["peak_prob"] >= level.rounds[attempt["round_index"]].threshold, attempt
            assert attempt["face_share"] > 0.6, attempt
        else:
            assert attempt["time_to_match_s"] is None
            assert attempt["noface_share"] > 0.15, attempt          # the stretch with nobody there
            assert attempt["face_share"] > 0.5, attempt
    matched = sum(1 for o in expected if o == "matched")
    assert results and results[-1]["stars"] == (3 if matched == len(expected) else 2)
    assert len(calibrations) == 1 and json.loads(calibrations[0]["baseline_json"]).keys() == {"happy", "sad", "fear"}

    names = {p.stem.split("-", 1)[1] for p in shots.glob("*.png")}
    assert {"calibrate", "round-intro", "round-play", "celebrate", "round-no-face", "round-encourage",
            "summary"} <= names, names
    stats = json.loads(stats_file.read_text())
    assert stats["frames"] > 30 * seconds        # the UI kept running at a good rate
    print(f"\nUI frame ms p50 {stats['ui_frame_ms_p50']} p99 {stats['ui_frame_ms_p99']} over {stats['frames']} frames")
