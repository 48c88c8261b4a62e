"""tools/play_eval.py: rounds from a recorded video through the kiosk's own rules."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools import play_eval

REPO = Path(__file__).resolve().parents[2]


def test_truth_rows_of_the_main_face_become_segments(tmp_path):
    truth = tmp_path / "t.csv"
    truth.write_text("face,label,start_s,end_s\n0,happy,0,4\n1,sad,0,4\n0,none,4,6\n0,neutral,6,10\n")
    assert play_eval.read_truth(truth) == [play_eval.Segment(0, 4, "happy"), play_eval.Segment(6, 10, "neutral")]
    (tmp_path / "bad.csv").write_text("start_s,end_s,emotion\n0,4,surprise\n")
    with pytest.raises(ValueError, match="bad.csv:2: emotion 'surprise'"):
        play_eval.read_truth(tmp_path / "bad.csv")


def test_cells_hit_rate_and_false_accept_by_hand():
    rows = [{"shown": "happy", "matched": {"happy": True, "sad": False, "fear": False}},
            {"shown": "sad", "matched": {"happy": False, "sad": False, "fear": True}},
            {"shown": "neutral", "matched": {"happy": False, "sad": True, "fear": False}}]
    result = play_eval.summarise(rows, None)
    assert result["cells"]["happy>happy"] == [1, 1] and result["cells"]["sad>fear"] == [1, 1]
    assert result["hit_rate"] == 0.5                   # happy matched, sad not
    assert result["false_accept"] == pytest.approx(2 / 7, abs=1e-4)   # sad>fear and neutral>sad, of 7 others
    assert result["calm_false_accept"] == pytest.approx(1 / 3, abs=1e-4)


@pytest.mark.slow
def test_a_video_plays_rounds_for_every_prompt(fer_val, model_path, tmp_path):
    from tools.make_test_video import make_video

    video, _ = make_video("happy:5,none:1,neutral:5", fer_val, tmp_path / "clip.mp4", seed=2,
                          confident_model=model_path, min_prob=0.6)
    result = subprocess.run([sys.executable, "tools/play_eval.py", "--video", str(video), "--truth",
                             str(tmp_path / "clip.csv"), "--level", "meet-happy", "--json", "-"],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["segments"] == 2 and report["level"] == "meet-happy"
    assert report["cells"]["happy>happy"] == [1, 1]          # a clear happy face matches its round
    assert report["cells"]["happy>sad"] == [0, 1] and report["cells"]["happy>fear"] == [0, 1]
    assert set(report["cells"]) >= {"neutral>happy", "neutral>sad", "neutral>fear"}
