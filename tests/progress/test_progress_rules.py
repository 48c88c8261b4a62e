"""What the numbers mean: pure rules over attempts (no database)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from game.progress.model import Attempt, ProgressError, clean_name
from game.progress.report import csv_safe, heat_colour
from game.progress.report_text import REPORT_TEXT
from game.progress.summary import (EmotionStats, expression_shares, needs_practice,
                                   stats_by_emotion)
from progress_factory import T0, make_attempt


def stats(**rates: tuple) -> dict[str, EmotionStats]:
    """emotion=(tries, matched, median time[, skipped])"""
    return {e: EmotionStats(e, n, m, timed_out=n - m, skipped=rest[1] if len(rest) > 1 else 0,
                            median_time_to_match_s=rest[0])
            for e, (n, m, *rest) in rates.items()}


def test_lowest_success_rate_needs_practice():
    advice = needs_practice(stats(happy=(5, 5, 1.0), sad=(5, 2, 3.0), fear=(4, 3, 2.0)))
    assert (advice.emotion, advice.reason, advice.matched, advice.tries) == ("sad", "lowest", 2, 5)
    assert advice.text(REPORT_TEXT["en"]) == "Matched 2 of 5 tries (40%), the lowest."
    assert advice.text(REPORT_TEXT["id"]) == "Berhasil 2 dari 5 percobaan (40%), paling rendah."


def test_ties_go_to_the_slower_emotion():
    assert needs_practice(stats(happy=(4, 2, 1.0), sad=(4, 2, 4.0), fear=(4, 4, 1.0))).emotion == "sad"


def test_too_few_rounds_gives_no_advice_yet():
    assert needs_practice(stats(happy=(2, 0, None), sad=(1, 0, None), fear=(0, 0, None))).reason == "not_enough"
    assert needs_practice(stats(happy=(0, 0, None), sad=(0, 0, None), fear=(0, 0, None))).reason == "none"


def test_an_untried_game_emotion_comes_first_once_others_are_known():
    advice = needs_practice(stats(happy=(6, 1, 2.0), sad=(3, 3, 1.0), fear=(0, 0, None)))
    assert (advice.emotion, advice.reason) == ("fear", "not_tried")


def test_all_perfect_needs_nothing():
    assert needs_practice(stats(happy=(3, 3, 1.0), sad=(3, 3, 1.0), fear=(3, 3, 1.0))).emotion is None


def test_stats_median_counts_matched_rounds_only():
    attempts = [make_attempt(1, 1, 0, emotion="sad", time_to_match_s=1.0),
                make_attempt(1, 1, 1, emotion="sad", time_to_match_s=4.0),
                make_attempt(1, 1, 2, emotion="sad", outcome="timeout"),
                make_attempt(1, 1, 3, emotion="surprise", time_to_match_s=2.0)]
    result = stats_by_emotion(attempts)
    assert list(result) == ["happy", "sad", "fear", "surprise"]
    assert result["sad"].median_time_to_match_s == 2.5 and result["sad"].success_rate == pytest.approx(2 / 3)
    assert result["happy"].tries == 0 and result["happy"].success_rate is None


def test_expression_shares_are_weighted_by_time():
    long = make_attempt(1, 1, 0, seconds=9.0, positive_share=1.0, negative_share=0.0, noface_share=0.0)
    short = make_attempt(1, 1, 1, seconds=1.0, positive_share=0.0, negative_share=0.0, noface_share=1.0)
    shares = expression_shares([long, short])
    assert (shares.positive, shares.noface, shares.other, shares.seconds) == pytest.approx((0.9, 0.1, 0.0, 10.0))
    assert expression_shares([]) is None


def test_attempt_checks_explain_what_is_wrong():
    good = make_attempt(1, 1, 0)
    assert good.checked() == good
    with pytest.raises(ProgressError, match="outcome must be one of"):
        make_attempt(1, 1, 0, outcome="won").checked()
    with pytest.raises(ProgressError, match="between 0 and 1"):
        Attempt(**{**good.__dict__, "peak_prob": 1.7}).checked()
    with pytest.raises(ProgressError, match="cannot end before it starts"):
        Attempt(**{**good.__dict__, "ended_at": T0 - timedelta(seconds=1)}).checked()
    assert Attempt.from_json(good.to_json()) == good


def test_names_and_csv_cells():
    assert clean_name(" Ana ") == " Ana "
    with pytest.raises(ProgressError, match="cannot be empty"):
        clean_name("  ")
    with pytest.raises(ProgressError, match="NUL"):
        clean_name("A\x00")
    assert [csv_safe(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "Ana", -1.5, 3)] == \
        ["'=1+1", "'+1", "'-1", "'@x", "'\tx", "Ana", -1.5, 3]


def test_heat_colours_get_darker_and_text_stays_readable():
    light, dark_text = heat_colour(0.0)
    dark, light_text = heat_colour(1.0)
    assert (light, dark_text, dark, light_text) == ("#F7FBFF", "#10202F", "#08306B", "#FFFFFF")


def test_every_language_has_every_report_phrase():
    keys = {lang: set(words) for lang, words in REPORT_TEXT.items()}
    assert keys["en"] == keys["id"]
    assert len(REPORT_TEXT["id"]["months"].split(",")) == 12


# ------------------------------------------------------------------ issue 14, item 9
def rounds(*plan: tuple[str, str]) -> list[Attempt]:
    """(emotion, outcome) per round, as stored attempts."""
    return [make_attempt(1, 1, i, emotion=e, outcome=o) for i, (e, o) in enumerate(plan)]


def test_one_missed_scared_round_is_not_all_matched_every_time():
    """Issue 14: 'Scared 0/1' got "Practise next: —, All emotions matched every time"."""
    played = rounds(*[("happy", "matched")] * 3, *[("sad", "matched")] * 3, ("fear", "timeout"))
    advice = needs_practice(stats_by_emotion(played))
    assert (advice.emotion, advice.reason) == ("fear", "more_tries")
    en = REPORT_TEXT["en"]
    assert advice.text(en) == "Matched 0 of 1 so far: too few tries to tell (3 needed)."
    assert advice.details(en) == {
        "happy": "Happy: matched every time (3 of 3).",
        "sad": "Sad: matched every time (3 of 3).",
        "fear": "Scared: matched 0 of 1, too few tries to tell (3 needed).",
    }
    assert "Takut: berhasil 0 dari 1" in advice.details(REPORT_TEXT["id"])["fear"]


def test_skipped_rounds_are_skips_not_tries():
    """Issue 14: a child who skipped all three happy rounds got "Practise next: Sad — Not tried yet"."""
    played = rounds(*[("happy", "skipped")] * 3)
    stats_now = stats_by_emotion(played)
    happy = stats_now["happy"]
    assert (happy.tries, happy.matched, happy.timed_out, happy.skipped, happy.rounds) == (0, 0, 0, 3, 3)
    assert happy.success_rate is None                  # not 0%: nothing was tried
    advice = needs_practice(stats_now)
    assert (advice.emotion, advice.reason) == (None, "not_enough")
    en = REPORT_TEXT["en"]
    assert advice.text(en) == "Not enough tries yet to compare (3 per emotion needed)."
    assert advice.details(en)["happy"] == "Happy: skipped 3 times, not tried yet."
    assert advice.details(en)["sad"] == "Sad: not tried yet."
    assert advice.details(REPORT_TEXT["id"])["happy"] == "Senang: dilewati 3 kali, belum dicoba."


def test_a_skip_is_counted_apart_from_a_timed_out_try():
    played = rounds(("sad", "matched"), ("sad", "timeout"), ("sad", "skipped"), ("sad", "matched"),
                    ("sad", "skipped"))
    sad = stats_by_emotion(played)["sad"]
    assert (sad.tries, sad.matched, sad.timed_out, sad.skipped) == (3, 2, 1, 2)
    assert sad.success_rate == pytest.approx(2 / 3)    # skips neither help nor hurt
    line = needs_practice(stats_by_emotion(played)).details(REPORT_TEXT["en"])["sad"]
    assert line == "Sad: matched 2 of 3 tries (67%). Skipped 2 times."
    once = needs_practice(stats(happy=(3, 3, 1.0, 1))).details(REPORT_TEXT["en"])["happy"]
    assert once == "Happy: matched every time (3 of 3). Skipped once."


def test_an_emotion_only_skipped_comes_first_once_others_can_be_compared():
    advice = needs_practice(stats(happy=(4, 1, 2.0), sad=(3, 3, 1.0), fear=(0, 0, None, 2)))
    assert (advice.emotion, advice.reason, advice.skipped) == ("fear", "only_skipped", 2)
    assert advice.text(REPORT_TEXT["en"]) == "Skipped 2 times and not tried yet."


def test_advice_covers_every_emotion_tried_including_other_labels():
    played = rounds(*[("happy", "matched")] * 3, ("surprise", "timeout"), ("surprise", "matched"))
    details = needs_practice(stats_by_emotion(played)).details(REPORT_TEXT["en"])
    assert list(details) == ["happy", "sad", "fear", "surprise"]
    assert details["surprise"] == "Surprise: matched 1 of 2, too few tries to tell (3 needed)."


def test_lowest_wins_over_an_emotion_with_too_few_tries():
    advice = needs_practice(stats(happy=(5, 2, 1.0), sad=(4, 4, 1.0), fear=(1, 0, None)))
    assert (advice.emotion, advice.reason) == ("happy", "lowest")
    assert advice.details(REPORT_TEXT["en"])["fear"].startswith("Scared: matched 0 of 1, too few")


def test_every_reason_and_verdict_has_words_in_every_language():
    from game.progress.summary import REASONS, VERDICTS
    for words in REPORT_TEXT.values():
        assert all(f"reason_{r}" in words for r in REASONS)
        assert all(f"verdict_{v}" in words for v in VERDICTS)
