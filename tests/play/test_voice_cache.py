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
            audio.say(STORY.format(n=n))
            assert speech.wait_idle(30), "the speech thread did not finish a line in 30 s"
            audio.play_ready_speech()                   # decoded, played and kept
            sizes.append(audio.cache_bytes())
            kept.append(audio.cache_size())
        assert speech.error is None and not notes, (speech.error, notes)
        one_line = decoded_bytes(pygame.mixer.Sound(str(next(tmp_path.glob("*.wav")))))
        assert one_line > budget / 6                    # six of these would not fit
        assert max(sizes) <= budget, sizes
        assert len(list(tmp_path.glob("*.wav"))) == 6   # every line was spoken
        assert kept[0] == 1 and 1 <= kept[-1] < 6, kept
    finally:
        speech.close()
        pygame.mixer.quit()
