"""The text-to-speech engine raises (at start, or in the middle of a session): the game goes on
with captions, nothing recorded is lost, and the teacher area says why the kiosk is silent."""

from __future__ import annotations

import shutil

import pytest

from game.speech import MAX_FAILURES_IN_A_ROW, Speech, default_engine_factory
from tests.faults.kiosk import Kiosk, drawn_text, two_levels


class EnginesBreakingAfter:
    """Makes real pyttsx3 engines; espeak-ng fails on every utterance after the first `works`,
    counted over all the engines made (the speech thread makes a new one after a failure)."""

    def __init__(self, works: int):
        self.works, self.calls = works, 0

    def __call__(self):
        return EngineThatBreaks(self)


class EngineThatBreaks:
    def __init__(self, counter: EnginesBreakingAfter):
        self._engine = default_engine_factory()
        self._counter = counter

    def runAndWait(self):
        self._counter.calls += 1
        if self._counter.calls > self._counter.works:
            raise RuntimeError("espeak-ng exited with status -11")
        return self._engine.runAndWait()

    def __getattr__(self, name):
        return getattr(self._engine, name)


def no_engine():
    raise OSError("libespeak-ng.so.1: cannot open shared object file")


@pytest.mark.parametrize("make_factory,error", [
    pytest.param(lambda: no_engine, "text-to-speech is not available (OSError: libespeak-ng.so.1",
                 id="no-engine-at-start"),
    pytest.param(lambda: EnginesBreakingAfter(works=1), "espeak-ng exited with status -11",
                 id="engine-raises-mid-session",
                 marks=pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")),
])
def test_tts_engine_raising_leaves_captions_and_loses_nothing(tmp_path, make_factory, error):
    speech = Speech(engine_factory=make_factory(), cache_dir=tmp_path / "speech").start()
    kiosk = Kiosk(tmp_path / "progress.sqlite3", two_levels(tmp_path / "levels"), speech=speech)
    level = kiosk.levels[0]
    try:
        kiosk.start()
        assert speech.wait_idle(20)
        kiosk.play_level(level)
        assert speech.wait_idle(20)
        # One failed line is skipped and the engine made again; speech is given up only after
        # MAX_FAILURES_IN_A_ROW failures in a row (newer prompts replace older ones, so fewer
        # than that may have been tried while the level played).
        for _ in range(MAX_FAILURES_IN_A_ROW):
            if not speech.available:
                break
            speech.say("Look at me!", "en")
            assert speech.wait_idle(20)
        assert speech.error is not None and error in speech.error, speech.error
        assert not speech.available

        # silent now: every prompt still shows as a caption, and the child plays on
        kiosk.game.start_level(level)
        kiosk.run(0.5)
        assert kiosk.game.speech.caption == "Show me a happy face!"
        kiosk.run(20, until=lambda g: g.scene.name == "celebrate")
        assert kiosk.game.speech.caption in kiosk.game.phrases.choices("celebrate.cheers", "en")
        kiosk.run(20, until=lambda g: g.scene.name == "round")
        assert kiosk.game.speech.caption == "Show me a sad face!"
        kiosk.run(20, until=lambda g: g.scene.name == "summary")
        assert kiosk.game.scene.name == "summary"

        kiosk.game.open_teacher()
        kiosk.run(0.2)
        assert f"Speech is off: {speech.error}" in drawn_text(kiosk)
    finally:
        kiosk.close()
    assert kiosk.store.attempts == 4
    assert kiosk.stored() == [("test-one", i % 2, "matched") for i in range(4)]


class EngineFailingOnce:
    """Real pyttsx3 engines; only the `fail_at`-th utterance over all of them fails."""

    def __init__(self, fail_at: int):
        self.fail_at, self.calls = fail_at, 0

    def __call__(self):
        return EngineThatFailsOnce(self)


class EngineThatFailsOnce(EngineThatBreaks):
    def runAndWait(self):
        self._counter.calls += 1
        if self._counter.calls == self._counter.fail_at:
            raise RuntimeError("espeak-ng exited with status -11")
        return self._engine.runAndWait()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_one_failed_line_is_named_for_the_teacher_while_speech_goes_on(tmp_path):
    speech = Speech(engine_factory=EngineFailingOnce(fail_at=2), cache_dir=tmp_path / "speech",
                    restart_backoff_s=(0.05,)).start()
    kiosk = Kiosk(tmp_path / "progress.sqlite3", two_levels(tmp_path / "levels"), speech=speech)
    try:
        kiosk.start()
        for text in ("One.", "Two.", "Three."):
            speech.say(text, "en")
            assert speech.wait_idle(20)
        assert speech.available and speech.error is None
        assert any("status -11" in p for p in speech.problems), speech.problems
        kiosk.game.open_teacher()
        kiosk.run(0.2)
        text = drawn_text(kiosk)
        assert "A spoken line was skipped" in text and "Speech is off" not in text, text
    finally:
        kiosk.close()
