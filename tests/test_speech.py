"""Speech: real espeak-ng through pyttsx3, and the captions-only path when it fails."""

from __future__ import annotations

import array
import contextlib
import ctypes
import ctypes.util
import re
import shutil
import subprocess
import time
import tomllib
import wave

import pytest

from game.speech import (DEFAULT_PRONUNCIATIONS, RESTART_BACKOFF_S, SYNTH_TIMEOUT_S, PronunciationError,
                         Pronunciations, Speech, SpeechError, default_engine_factory, find_voice,
                         synthesize_to_file, wav_duration_s)
from tests.support.disk import mount_tmpfs

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


class StandInEngine:
    """A pyttsx3-shaped stand-in (for injected faults and timing, never the thing under test):
    remembers the job and can write a short real WAV."""

    def getProperty(self, name):
        return [type("V", (), {"id": "en", "languages": ["en"]})()]

    def setProperty(self, name, value):
        pass

    def save_to_file(self, text, path):
        self._job = (text, path)

    def write_wav(self, cycles: int) -> None:
        with wave.open(self._job[1], "wb") as wav:
            wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(8000)
            wav.writeframes(array.array("h", [3000, -3000] * cycles).tobytes())


def test_say_never_waits_for_a_slow_engine(tmp_path):
    """A prompt returns at once even when synthesis takes long; a stale result is dropped."""
    started = []

    class SlowEngine(StandInEngine):
        def runAndWait(self):
            started.append(self._job[0])
            time.sleep(0.5)
            self.write_wav(4000)

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


class ScriptedEngine(StandInEngine):
    """`script` says, line by line across every engine the factory makes, whether runAndWait
    writes a WAV or raises (an injected fault)."""

    def __init__(self, script: list[bool], calls: list[str]):
        self.script, self.calls = script, calls

    def runAndWait(self):
        works = self.script[len(self.calls)] if len(self.calls) < len(self.script) else False
        self.calls.append(self._job[0])
        if not works:
            raise RuntimeError("espeak crashed")
        self.write_wav(800)


def _say_and_wait(speech: Speech, text: str, lang: str = "en", timeout: float = 10):
    speech.say(text, lang)
    assert speech.wait_idle(timeout)
    return speech.take_ready()


def test_a_success_between_failures_keeps_speech_on_and_three_in_a_row_turn_it_off(tmp_path):
    calls: list[str] = []
    made = []

    def factory():
        made.append(1)
        return ScriptedEngine([False, False, True, False, False, False], calls)

    speech = Speech(engine_factory=factory, cache_dir=tmp_path, restart_backoff_s=(0.05, 0.1)).start()
    try:
        assert _say_and_wait(speech, "one") is None            # fails: skipped, not the end
        assert _say_and_wait(speech, "two") is None            # fails again
        assert speech.available and speech.error is None
        assert _say_and_wait(speech, "three").text == "three"  # spoken: the count starts over
        assert _say_and_wait(speech, "four") is None
        assert _say_and_wait(speech, "five") is None
        assert speech.available                                # two in a row, not three
        assert _say_and_wait(speech, "six") is None
        assert not speech.available                            # three in a row: captions only
        assert "espeak crashed" in speech.error and "'six'" in speech.error
        assert "3 failures in a row" in speech.error
        assert calls == ["one", "two", "three", "four", "five", "six"]
        assert len(made) == 5           # a new engine after every failure but the last
        assert len(speech.problems) == 5 and "'one'" in speech.problems[0]
        speech.say("Hooray!", "en")
        assert speech.caption == "Hooray!" and speech.take_ready() is None
        assert speech.wait_idle(1) and calls[-1] == "six"        # nothing more is tried
    finally:
        speech.close()


def test_restarts_wait_a_bounded_back_off(tmp_path):
    """The default back-off: a broken engine is retried twice, and given up within seconds."""
    made = []

    def factory():
        made.append(time.monotonic())
        return ScriptedEngine([], [])

    speech = Speech(engine_factory=factory, cache_dir=tmp_path).start()
    try:
        for text in ("a", "b", "c"):
            assert _say_and_wait(speech, text) is None
        assert not speech.available and "espeak crashed" in speech.error
        gaps = [b - a for a, b in zip(made, made[1:])]
        assert len(made) == 3
        assert RESTART_BACKOFF_S[0] <= gaps[0] < RESTART_BACKOFF_S[0] + 1.0, gaps
        assert RESTART_BACKOFF_S[1] <= gaps[1] < RESTART_BACKOFF_S[1] + 1.0, gaps
    finally:
        speech.close()


def test_an_engine_that_cannot_be_made_is_tried_again_then_given_up(tmp_path):
    attempts = []

    def flaky_factory():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("espeak-ng: could not open the audio data")
        return ScriptedEngine([True] * 5, [])

    speech = Speech(engine_factory=flaky_factory, cache_dir=tmp_path, restart_backoff_s=(0.05,)).start()
    try:
        assert speech.wait_idle(5)
        assert speech.available and len(attempts) == 2
        assert "could not open the audio data" in speech.problems[0]
        assert _say_and_wait(speech, "Hello!").text == "Hello!"
    finally:
        speech.close()


class EngineThatDiesMidLine(StandInEngine):
    """espeak-ng crashing halfway through a line: a WAV header and a little sound are on disk,
    then runAndWait raises."""

    def runAndWait(self):
        with open(self._job[1], "wb") as partial:
            partial.write(b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(100))
        raise RuntimeError("espeak-ng exited with status -11")


def test_a_line_that_dies_mid_synthesis_leaves_no_partial_file_in_the_voice_cache(tmp_path):
    """What a crashed line wrote is not a voice line: it is gone from the cache, and the next
    start sweeps away what a kiosk switched off mid-line left."""
    (tmp_path / "en-130-left-by-a-power-cut.tmp.wav").write_bytes(b"RIFF")
    speech = Speech(engine_factory=EngineThatDiesMidLine, cache_dir=tmp_path, restart_backoff_s=(0.05,)).start()
    try:
        assert _say_and_wait(speech, "Show me a happy face!") is None
        assert "exited with status -11" in speech.problems[-1]
        assert sorted(p.name for p in tmp_path.iterdir()) == []
    finally:
        speech.close()


class EngineThatFailsOnce:
    """Makes real pyttsx3 engines (espeak-ng); the `fail_on`-th line spoken through any of them
    raises before espeak-ng sees it, the way a crashed synthesis would."""

    def __init__(self, fail_on: int):
        self.fail_on, self.lines, self.made = fail_on, 0, 0

    def __call__(self):
        self.made += 1
        factory = self

        class Engine:
            def __init__(self):
                self._engine = default_engine_factory()

            def runAndWait(self):
                factory.lines += 1
                if factory.lines == factory.fail_on:
                    raise RuntimeError("espeak-ng exited with status -11")
                return self._engine.runAndWait()

            def __getattr__(self, name):
                return getattr(self._engine, name)

        return Engine()


@needs_espeak
def test_one_failed_line_mid_session_is_skipped_and_later_lines_are_spoken(tmp_path):
    factory = EngineThatFailsOnce(fail_on=2)
    speech = Speech(engine_factory=factory, cache_dir=tmp_path).start()
    try:
        first = _say_and_wait(speech, "Show me a happy face!")
        assert first is not None and _peak_amplitude(first.wav_path) > 2000, speech.problems

        assert _say_and_wait(speech, "Show me a sad face!") is None      # this line crashes
        assert speech.caption == "Show me a sad face!"                   # the child still reads it
        assert speech.available and speech.error is None
        assert len(speech.problems) == 1 and "exited with status -11" in speech.problems[0]
        assert "'Show me a sad face!'" in speech.problems[0]

        later = [_say_and_wait(speech, "Show me a scared face!"),
                 _say_and_wait(speech, "Tunjukkan wajah sedihmu!", "id")]
        for ready in later:
            assert ready is not None, speech.problems
            assert wav_duration_s(ready.wav_path) > 0.8 and _peak_amplitude(ready.wav_path) > 2000
        assert [r.text for r in later] == ["Show me a scared face!", "Tunjukkan wajah sedihmu!"]
        assert factory.made == 2 and factory.lines == 4   # one new engine after the crash
        assert speech.available and speech.error is None
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


@needs_espeak
# pyttsx3's espeak callback raises "No space left on device" inside ctypes, which only prints it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_full_cache_disk_skips_a_line_says_why_and_speech_comes_back_with_space(tmp_path):
    """A real fault: the disk under the speech cache fills up (a tiny tmpfs, as root)."""
    disk = mount_tmpfs(tmp_path / "small", "1m")
    if not disk.mounted:
        pytest.skip(disk.reason)
    (disk.path / "speech").mkdir()
    speech = Speech(cache_dir=disk.path / "speech", restart_backoff_s=(0.1,)).start()
    try:
        assert speech.wait_idle(10)
        filler = disk.fill()
        assert _say_and_wait(speech, "Show me a happy face!", timeout=SYNTH_TIMEOUT_S + 10) is None
        assert speech.caption == "Show me a happy face!"
        assert speech.available and speech.error is None
        assert "the disk holding it is full" in speech.problems[-1], speech.problems

        filler.unlink()                                        # the teacher makes space
        ready = _say_and_wait(speech, "Show me a sad face!", timeout=SYNTH_TIMEOUT_S + 10)
        assert ready is not None, speech.problems
        assert _peak_amplitude(ready.wav_path) > 2000
    finally:
        speech.close()
        disk.unmount()


# -- pronunciations ---------------------------------------------------------------------------
ESPEAK_NG = shutil.which("espeak-ng")


def _espeak_reading(text: str, lang: str) -> str:
    """espeak-ng's phoneme mnemonics for `text` (what it will say), from its own command line."""
    result = subprocess.run([ESPEAK_NG, "-v", lang, "-q", "-x", text], capture_output=True, text=True,
                            check=True)
    return result.stdout.strip()


@contextlib.contextmanager
def espeak_phoneme_trace(path):
    """Have the espeak-ng library inside pyttsx3 write the phonemes (IPA) of everything it
    synthesises to `path`: an ear-free record of what the game's voice really said."""
    from pyttsx3.drivers import _espeak

    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    stream = libc.fopen(str(path).encode(), b"w")
    assert stream, f"cannot open {path}"
    _espeak.SetPhonemeTrace(0x01 | 0x02, stream)   # espeakPHONEMES_SHOW | espeakPHONEMES_IPA
    try:
        yield
    finally:
        _espeak.SetPhonemeTrace(0, None)
        libc.fclose(stream)


@pytest.mark.skipif(ESPEAK_NG is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_every_respelling_reads_with_a_schwa_as_the_file_says():
    """Each entry of assets/speech/pronunciations.toml is needed (espeak-ng reads the word with an
    open e) and works (the respelling reads exactly as the entry says, with a schwa)."""
    with open(DEFAULT_PRONUNCIATIONS, "rb") as handle:
        table = tomllib.load(handle)
    assert table["id"], "no Indonesian entries"
    wrong = []
    for lang, words in table.items():
        for word, entry in words.items():
            plain, respelled = _espeak_reading(word, lang), _espeak_reading(entry["spell"], lang)
            if respelled != entry["espeak"] or "@" not in respelled or "E" not in plain:
                wrong.append(f"[{lang}] {word}: plain {plain!r}, {entry['spell']!r} reads {respelled!r}, "
                             f"file says {entry['espeak']!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.skipif(ESPEAK_NG is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_respellings_cover_the_schwa_words_in_levels_and_ui_text():
    """The words this game speaks that espeak-ng gets wrong are in the file (a level that adds
    "tenang" or "teman" is covered); found from the real level and UI files."""
    repo = DEFAULT_PRONUNCIATIONS.parents[2]
    texts = [text for f in sorted((repo / "levels").glob("*.toml"))
             for text in _indonesian_text(tomllib.loads(f.read_text(encoding="utf-8")))]
    texts += _indonesian_text({"id": tomllib.loads((repo / "assets" / "ui" / "id.toml").read_text(encoding="utf-8"))})
    spoken = " ".join(texts)
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", spoken)}
    must_be_listed = {"senang", "sedih", "teman", "seperti", "sentuh", "bermain", "selesai", "tersenyum"}
    assert must_be_listed <= words, must_be_listed - words      # the check below looks at real text
    listed = Pronunciations.load().respellings["id"]
    assert must_be_listed <= set(listed), must_be_listed - set(listed)


def _indonesian_text(data, in_id: bool = False) -> list[str]:
    if isinstance(data, dict):
        return [t for key, value in data.items() for t in _indonesian_text(value, in_id or key == "id")]
    if isinstance(data, list):
        return [t for value in data for t in _indonesian_text(value, in_id)]
    return [data] if in_id and isinstance(data, str) else []


@needs_espeak
def test_speech_says_the_schwa_and_the_caption_keeps_the_real_word(tmp_path):
    heard = {}
    for name, table in (("plain", Pronunciations()), ("game", None)):
        trace = tmp_path / f"{name}.txt"
        speech = Speech(cache_dir=tmp_path / name, pronunciations=table).start()
        try:
            with espeak_phoneme_trace(trace):
                ready = _say_and_wait(speech, "Ini wajah senang. Kamu selesai!", "id")
                assert ready is not None, speech.problems
            assert ready.text == "Ini wajah senang. Kamu selesai!"          # what the UI shows
            assert speech.caption == "Ini wajah senang. Kamu selesai!"
            heard[name] = (trace.read_text(encoding="utf-8"), wav_duration_s(ready.wav_path))
        finally:
            speech.close()
    plain, game = heard["plain"][0], heard["game"][0]
    assert "sˈɛnaŋ" in plain and "səlˈɛsaɪ" in plain          # espeak-ng's own reading: open e
    assert "sənˈaaŋ" in game and "sələsˈai" in game           # the game's voice: schwas
    assert "ɛ" not in game
    assert heard["game"][1] != heard["plain"][1]              # and the audio itself is different


def test_respell_matches_whole_words_in_any_case_for_its_language_only():
    table = Pronunciations({"id": {"senang": "senaang", "sedih": "sediih"}})
    assert table.respell("Senang! senang, SENANG.", "id") == "Senaang! senaang, SENAANG."
    assert table.respell("senangmu dan kesenangan", "id") == "senangmu dan kesenangan"
    assert table.respell("Ini wajah sedih-sedih", "id") == "Ini wajah sediih-sediih"
    assert table.respell("senang", "en") == "senang"


def test_a_broken_pronunciation_file_is_reported_and_speech_goes_on(tmp_path):
    bad = tmp_path / "pronunciations.toml"
    bad.write_text('[id]\nsenang = { spel = "senaang" }\n', encoding="utf-8")
    with pytest.raises(PronunciationError, match=r"\[id\] senang needs a spelling"):
        Pronunciations.load(bad)
    bad_toml = tmp_path / "broken.toml"
    bad_toml.write_text("[id\n", encoding="utf-8")
    with pytest.raises(PronunciationError, match="broken.toml: cannot be read"):
        Pronunciations.load(bad_toml)

    calls: list[str] = []
    speech = Speech(engine_factory=lambda: ScriptedEngine([True], calls), cache_dir=tmp_path / "c",
                    pronunciations=bad).start()
    try:
        assert "senang needs a spelling" in speech.problems[0]
        assert _say_and_wait(speech, "Hooray!", "en").text == "Hooray!"
        assert speech.available
    finally:
        speech.close()
