"""Speech: real espeak-ng through pyttsx3, and the captions-only path when it fails."""

from __future__ import annotations

import array
import shutil
import time
import wave

import pytest

from game.speech import Speech, SpeechError, find_voice, synthesize_to_file, wav_duration_s

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None and shutil.which("espeak") is None,
                                  reason="espeak-ng is not installed (apt-get install espeak-ng)")


def _peak_amplitude(path) -> int:
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2
        samples = array.array("h", wav.readframes(wav.getnframes()))
    return max(abs(s) for s in samples)


@needs_espeak
@pytest.mark.parametrize("lang,text", [("en", "Show me a happy face!"), ("id", "Tunjukkan wajah senangmu!")])
def test_synthesize_writes_real_speech(tmp_path, lang, text):
    path = synthesize_to_file(text, lang, tmp_path / f"{lang}.wav")
    duration = wav_duration_s(path)
    assert 0.8 < duration < 6.0, duration          # a short sentence at a child's pace
    assert _peak_amplitude(path) > 2000            # not silence


@needs_espeak
def test_voices_are_found_by_listing_the_engine():
    import pyttsx3

    engine = pyttsx3.init()
    assert find_voice(engine, "id").endswith("id")
    assert "en" in find_voice(engine, "en")
    with pytest.raises(SpeechError, match="no text-to-speech voice"):
        find_voice(engine, "xx-nonexistent")


@needs_espeak
def test_slower_rate_makes_longer_audio(tmp_path):
    slow = wav_duration_s(synthesize_to_file("Show me a sad face", "en", tmp_path / "slow.wav", rate=110))
    fast = wav_duration_s(synthesize_to_file("Show me a sad face", "en", tmp_path / "fast.wav", rate=220))
    assert slow > fast * 1.4


@needs_espeak
def test_speech_thread_speaks_the_newest_prompt_only(tmp_path):
    speech = Speech(cache_dir=tmp_path).start()
    try:
        speech.say("Show me a happy face!", "en")
        speech.say("Tunjukkan wajah sedihmu!", "id")   # replaces the first before it is spoken
        assert speech.caption == "Tunjukkan wajah sedihmu!"  # the caption changes at once
        ready = None
        deadline = time.monotonic() + 20
        while ready is None and time.monotonic() < deadline:
            ready = speech.take_ready()
            time.sleep(0.01)
        assert ready is not None, speech.error
        assert (ready.text, ready.lang) == ("Tunjukkan wajah sedihmu!", "id")
        assert wav_duration_s(ready.wav_path) > 0.8
        assert speech.take_ready() is None              # handed out once
        assert speech.available and speech.error is None
    finally:
        speech.close()


def test_say_never_waits_for_a_slow_engine(tmp_path):
    """A prompt returns at once even when synthesis takes long; a stale result is dropped."""
    started = []

    class SlowEngine:
        def getProperty(self, name):
            return [type("V", (), {"id": "en", "languages": ["en"]})()]

        def setProperty(self, name, value):
            pass

        def save_to_file(self, text, path):
            self._job = (text, path)

        def runAndWait(self):
            started.append(self._job[0])
            time.sleep(0.5)
            with wave.open(self._job[1], "wb") as wav:
                wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(8000)
                wav.writeframes(array.array("h", [3000, -3000] * 4000).tobytes())

    speech = Speech(engine_factory=SlowEngine, cache_dir=tmp_path).start()
    try:
        t0 = time.monotonic()
        speech.say("first", "en")
        time.sleep(0.1)                                 # "first" is now being synthesised
        speech.say("second", "en")
        assert time.monotonic() - t0 < 0.3
        assert speech.wait_idle(10)
        ready = speech.take_ready()
        assert ready is not None and ready.text == "second"   # "first" finished late and was dropped
        assert started == ["first", "second"]
    finally:
        speech.close()


def test_failing_engine_leaves_captions_working(tmp_path):
    def broken_factory():
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    speech = Speech(engine_factory=broken_factory, cache_dir=tmp_path).start()
    try:
        speech.say("Show me a happy face!", "en")
        assert speech.caption == "Show me a happy face!"
        deadline = time.monotonic() + 5
        while speech.available and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not speech.available
        assert "libespeak" in speech.error
        speech.say("Look at me!", "en")                 # the game goes on: captions only
        assert speech.caption == "Look at me!"
        assert speech.take_ready() is None
    finally:
        speech.close()


def test_engine_that_raises_while_speaking_turns_speech_off(tmp_path):
    class RaisingEngine:
        def getProperty(self, name):
            return [type("V", (), {"id": "en", "languages": ["en"]})()]

        def setProperty(self, name, value):
            pass

        def save_to_file(self, text, path):
            pass

        def runAndWait(self):
            raise RuntimeError("espeak crashed")

    speech = Speech(engine_factory=RaisingEngine, cache_dir=tmp_path).start()
    try:
        speech.say("Hooray!", "en")
        assert speech.wait_idle(5)
        assert not speech.available and "espeak crashed" in speech.error
        assert speech.caption == "Hooray!"
    finally:
        speech.close()


def test_synthesize_reports_a_missing_engine(tmp_path):
    def broken_factory():
        raise ImportError("No module named 'pyttsx3'")

    with pytest.raises(SpeechError, match="not available"):
        synthesize_to_file("hello", "en", tmp_path / "x.wav", engine_factory=broken_factory)


def test_muted_speech_keeps_captions():
    speech = Speech(enabled=False).start()
    speech.say("Hooray!", "en")
    assert speech.caption == "Hooray!" and not speech.available and speech.take_ready() is None
    speech.close()
