"""The decoded voice lines the game keeps (issue 17, item 10): bounded by count and by their
decoded size, so long spoken stories cannot pile up in memory over a day. Real espeak-ng
through the real speech thread, real pygame mixer (dummy audio driver)."""

from __future__ import annotations

import os
import shutil
import time

os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.play import audio as audio_module  # noqa: E402
from game.play.audio import Audio, decoded_bytes  # noqa: E402
from game.play.play_settings import PlaySettings  # noqa: E402
from game.resources import assets_dir  # noqa: E402
from game.speech import Speech  # noqa: E402

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None and shutil.which("espeak") is None,
                                  reason="espeak-ng is not installed (apt-get install espeak-ng)")

STORY = ("Once upon a time a little cat found a red ball in the garden, and she played with it "
         "all afternoon until the sun went down behind the hills, number {n}.")


def spoken_lines(cache_dir):
    """The finished voice lines in the cache (not a line still being written)."""
    return sorted(p for p in cache_dir.glob("*.wav") if not p.name.endswith(".tmp.wav"))


@needs_espeak
def test_long_spoken_lines_stay_within_the_voice_memory_budget(tmp_path, monkeypatch):
    pygame.mixer.init()
    budget = 3 * 2**20
    monkeypatch.setattr(audio_module, "VOICE_CACHE_BYTES", budget)
    speech = Speech(cache_dir=tmp_path).start()
    notes: list[str] = []
    audio = Audio(speech, PlaySettings(lang="en", kiosk_name="test"), assets_dir() / "sounds", notes)
    try:
        sizes, kept = [], []
        for n in range(6):
            # A line espeak-ng fails on is skipped by design (tests/test_speech.py covers that);
            # this test is about the memory the spoken ones hold, so such a line is said again.
            for _attempt in range(3):
                audio.say(STORY.format(n=n))
                assert speech.wait_idle(30), "the speech thread did not finish a line in 30 s"
                if len(spoken_lines(tmp_path)) == n + 1:
                    break
            audio.play_ready_speech()                   # decoded, played and kept
            sizes.append(audio.cache_bytes())
            kept.append(audio.cache_size())
        assert speech.error is None and not notes, (speech.error, notes, speech.problems)
        lines = spoken_lines(tmp_path)
        assert len(lines) == 6, (lines, speech.problems)   # every line was spoken
        one_line = decoded_bytes(pygame.mixer.Sound(str(lines[0])))
        assert one_line > budget / 6, (one_line, lines[0].stat().st_size)   # six would not fit
        assert max(sizes) <= budget, sizes
        assert kept[0] == 1 and 1 <= kept[-1] < 6, kept
    finally:
        speech.close()
        pygame.mixer.quit()
