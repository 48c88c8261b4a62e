"""End to end, friends mode: `emotion-game play --child Ani --child Budi --level
faces-with-a-friend` runs headless with a made video of two FER-2013 faces side by side as the
camera (tools/make_test_video.py, pair layout), the real vision worker and model, and a
temporary SQLite database. Both children make each face together; for the first moments of the
first round Budi is not there yet, which the game says kindly. Every round is stored as one
matched attempt for each child, and the level's stars for both.

The video shows each expression on both faces for a long stretch, placed from the friends
scene's own timings, so the game finds it whatever the machine's speed within a few seconds.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from game.levels import DEFAULT_ASSETS_DIR, DEFAULT_LEVELS_DIR, load_level_file
from game.play.scenes import friends_round
from tests.conftest import REPO, fer_split
from tests.play.harness import clear_face, model_path, scene_checked_picker

LEVEL_ID = "faces-with-a-friend"
FPS = 15.0
START_S = 2.0                 # the game's start-up and the two sessions before the first prompt
FRIEND_LATE_S = 6.5           # Budi sits down this long into the video (well into the first round)
MATCH_S = 3.5                 # a generous time from the first frame of a face to the pair's match


def plan(level) -> tuple[str, str, float]:
    """(Ani's segments, Budi's segments, seconds): each round's expression from about when the
    round before it is cheered, until well after this one should have matched."""
    ani, budi = [], []
    t = 0.0
    judging = START_S + friends_round.INTRO_S
    for index, rnd in enumerate(level.rounds):
        matched_by = judging + MATCH_S + (FRIEND_LATE_S if index == 0 else 0.0)
        end = matched_by + 1.0
        ani.append(f"{rnd.emotion}:{end - t:.2f}")
        if index == 0:
            budi += [f"none:{FRIEND_LATE_S:.2f}", f"{rnd.emotion}:{end - FRIEND_LATE_S:.2f}"]
        else:
            budi.append(f"{rnd.emotion}:{end - t:.2f}")
        t = end
        following = level.rounds[index + 1] if index + 1 < len(level.rounds) else None
        intro = friends_round.INTRO_S
        if following is not None and following.story is not None:
            intro = max(intro, len(following.story.get("en").split()) / friends_round.STORY_WORDS_PER_S + 0.5)
        judging = matched_by - MATCH_S + 2.0 + friends_round.CHEER_S + intro
    ani.append("neutral:3")
    budi.append("neutral:3")
    return ",".join(ani), ",".join(budi), t + 3.0


def make_pair_video(level, out: Path, model: Path) -> tuple[Path, float]:
    from tools import make_test_video as mtv

    ani, budi, seconds = plan(level)
    picker = scene_checked_picker(fer_split("val"), model, clear_face, seed=5)
    frames, truth = mtv.render(mtv.parse_segments(ani), picker, fps=FPS, second=mtv.parse_segments(budi), pair=True)
    video = mtv.write(frames, out, FPS)
    mtv.write_truth(truth, mtv.truth_path_for(video))
    return video, seconds


def play(video: Path, seconds: float, db: Path, shots: Path, model: Path, lang: str = "en",
         extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    command = [sys.executable, "-m", "game.cli", "play", "--camera", str(video), "--child", "Ani", "--child", "Budi",
               "--level", LEVEL_ID, "--seconds", f"{seconds:.1f}", "--db", f"sqlite:///{db}", "--mute",
               "--lang", lang, "--screenshots", str(shots), "--model", str(model), *extra]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=seconds + 120)


@pytest.mark.slow
def test_two_friends_play_a_level_from_a_two_face_video(tmp_path):
    model = model_path()
    level = load_level_file(DEFAULT_LEVELS_DIR / f"{LEVEL_ID}.toml", DEFAULT_ASSETS_DIR)
    assert level.players == 2
    video, seconds = make_pair_video(level, tmp_path / "pair.mp4", model)
    db = tmp_path / "progress.sqlite3"
    keep = os.environ.get("EMOTION_GAME_KEEP_SHOTS")
    shots = REPO / "tests" / "play" / "screenshots" / "friends" if keep else tmp_path / "shots"
    result = play(video, seconds + 6.0, db, shots, model)    # time for the last cheer and the stars
    assert result.returncode == 0, result.stderr[-3000:]

    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        children = {r["id"]: r["name"] for r in conn.execute("SELECT id, name FROM children")}
        attempts = [dict(r) for r in conn.execute("SELECT * FROM attempts ORDER BY id")]
        results = {children[r["child_id"]]: r["stars"] for r in conn.execute("SELECT * FROM level_results")}
        sessions = {children[r["child_id"]] for r in conn.execute("SELECT child_id FROM sessions")}
    truth = (tmp_path / "pair.csv").read_text()
    by_child = {name: [(a["round_index"], a["emotion"], a["outcome"]) for a in attempts if a["child_id"] == cid]
                for cid, name in children.items()}
    wanted = [(i, r.emotion, "matched") for i, r in enumerate(level.rounds)]
    assert by_child == {"Ani": wanted, "Budi": wanted}, f"\nvideo truth:\n{truth}\nstderr: {result.stderr[-2000:]}"
    assert sessions == {"Ani", "Budi"}
    assert results == {"Ani": 3, "Budi": 3}
    for attempt in attempts:
        assert attempt["level_id"] == LEVEL_ID, attempt
        assert attempt["time_to_match_s"] >= level.rounds[attempt["round_index"]].hold_s, attempt
        late = children[attempt["child_id"]] == "Budi" and attempt["round_index"] == 0
        assert attempt["face_share"] > (0.0 if late else 0.6), attempt
    budi_first = next(a for a in attempts if children[a["child_id"]] == "Budi" and a["round_index"] == 0)
    ani_first = next(a for a in attempts if children[a["child_id"]] == "Ani" and a["round_index"] == 0)
    assert budi_first["noface_share"] > 0.3 > ani_first["noface_share"]     # Budi came late
    assert budi_first["time_to_match_s"] > ani_first["time_to_match_s"]     # and held it later
    names = {p.stem.split("-", 1)[1] for p in shots.glob("*.png")}
    assert {"friends-intro", "friends-missing", "friends-holding", "friends-play", "friends-summary"} <= names, names
