"""Spoken prompts and captions: pyttsx3 (espeak-ng on Linux) on its own thread.

The UI calls `Speech.say(text, lang)` and never waits: the caption changes at once and the
words are synthesised on a background thread into a small WAV file. The UI picks the finished
file up with `take_ready()` and plays it on its own sound channel, so a new prompt can cut the
old one off mid-word and the volume and mute settings apply to speech like every other sound.
(pyttsx3's own `say` on Linux hands the audio to an external `aplay`, which cannot be
interrupted and is often not installed on a kiosk.)

A newer `say` always wins: a request that is still waiting, or whose audio arrives after a
newer request, is dropped. One line that cannot be spoken is skipped (its caption still shows,
`problems` says why) and the engine is made afresh after a short pause, so speech comes back for
the next line. Only when making the engine or speaking fails `MAX_FAILURES_IN_A_ROW` times in a
row (as it does within seconds when pyttsx3 or espeak-ng is missing) does `available` turn False,
`error` say why, and the game go on with captions only.

Words espeak-ng's rules get wrong (the Indonesian schwa in senang, sedih, teman ...) are respelled
from assets/speech/pronunciations.toml in the text handed to espeak-ng; captions keep the word.
"""

from __future__ import annotations

import contextlib
import collections
import hashlib
import io
import re
import shutil
import threading
import time
import tomllib
import wave
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import mkdtemp
from typing import Any, Callable, Mapping

#: How long one sentence may take to synthesise before it is skipped as a failure.
SYNTH_TIMEOUT_S = 10.0

#: Words per minute. espeak-ng's default (175) is too fast for four-year-olds.
CHILD_RATE_WPM = 130

#: Preferred espeak-ng voice ids per game language, best first (ids as pyttsx3 lists them).
VOICE_PREFERENCES = {
    "en": ("gmw/en-us", "gmw/en", "en"),
    "id": ("poz/id", "id"),
}

#: Failed attempts in a row (making the engine, or speaking a line) after which speech is given
#: up for the session. One odd line or one espeak-ng crash must not silence the kiosk for the day;
#: an engine that fails again and again would only keep the child waiting for words.
MAX_FAILURES_IN_A_ROW = 3

#: Seconds to wait before making a new engine after the first, second, ... failure in a row
#: (the last value repeats). Bounded: a restarting engine never holds speech up for long.
RESTART_BACKOFF_S = (0.5, 2.0)

#: How many of the newest problems `Speech.problems` keeps for the teacher area.
PROBLEMS_KEPT = 10

#: Words espeak-ng's own rules say wrongly, respelled per language (see the file's header).
DEFAULT_PRONUNCIATIONS = Path(__file__).resolve().parents[1] / "assets" / "speech" / "pronunciations.toml"

EngineFactory = Callable[[], Any]

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")   # letters, with an apostrophe inside (Jum'at)


class SpeechError(RuntimeError):
    """Text could not be turned into audio. The message says which language and why."""


class PronunciationError(ValueError):
    """The pronunciation file cannot be used. The message names the file and the entry."""


@dataclass(frozen=True)
class Pronunciations:
    """Respellings that make espeak-ng say words right, per language: lang -> word -> spelling.

    Applied only to the text handed to espeak-ng, never to captions. Words match whole and in
    any letter case ("Senang!" and "senang" alike); a respelling keeps the word's capitals.
    """

    respellings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PRONUNCIATIONS) -> "Pronunciations":
        """Read a pronunciations TOML file: `[lang]` tables of `word = { spell = "..." }`."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise PronunciationError(f"{path}: cannot be read ({exc})") from exc
        respellings: dict[str, dict[str, str]] = {}
        for lang, words in data.items():
            if not isinstance(words, dict):
                raise PronunciationError(f"{path}: [{lang}] must be a table of words, not {words!r}")
            table = respellings.setdefault(lang, {})
            for word, entry in words.items():
                spell = entry.get("spell") if isinstance(entry, dict) else None
                if not isinstance(spell, str) or not spell.strip():
                    raise PronunciationError(
                        f'{path}: [{lang}] {word} needs a spelling, like {word} = {{ spell = "..." }}')
                if _WORD.fullmatch(word) is None:
                    raise PronunciationError(f"{path}: [{lang}] {word!r} is not a single word")
                table[word.lower()] = spell
        return cls(respellings)

    def respell(self, text: str, lang: str) -> str:
        """`text` with every listed word of `lang` replaced by its respelling."""
        table = self.respellings.get(lang)
        if not table:
            return text

        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            spell = table.get(word.lower())
            if spell is None:
                return word
            if word.isupper() and len(word) > 1:
                return spell.upper()
            return spell[:1].upper() + spell[1:] if word[:1].isupper() else spell

        return _WORD.sub(replace, text)


def reads_with_espeak(engine: Any) -> bool:
    """True for a pyttsx3 engine driving espeak-ng (the respellings are written for its rules)."""
    return getattr(engine, "driver_name", None) == "espeak"


def default_engine_factory() -> Any:
    """A pyttsx3 engine (espeak-ng on Linux). Imported here so the game starts without it."""
    import pyttsx3

    return pyttsx3.init()


def find_voice(engine: Any, lang: str) -> str:
    """The id of the engine voice that speaks `lang` ("en" or "id"), found by listing voices."""
    voices = list(engine.getProperty("voices") or [])
    ids = {str(voice.id).lower(): voice for voice in voices}
    for preferred in VOICE_PREFERENCES.get(lang, (lang,)):
        if preferred in ids:
            return ids[preferred].id
    for voice in voices:  # any voice whose language or file name is this language
        languages = [str(code).lower() for code in (getattr(voice, "languages", None) or [])]
        if any(code == lang or code.startswith(lang + "-") for code in languages):
            return voice.id
        if str(voice.id).lower().rsplit("/", 1)[-1] == lang:
            return voice.id
    raise SpeechError(f"no text-to-speech voice for language {lang!r} (listed {len(voices)} voices)")


def _synthesize(engine: Any, text: str, lang: str, path: Path, rate: int) -> Path:
    engine.setProperty("voice", find_voice(engine, lang))
    engine.setProperty("rate", rate)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine.save_to_file(text, str(path))
    # pyttsx3's espeak driver prints "Audio saved to ..." for every file; keep the console for
    # messages that matter. (The swap of sys.stdout lasts only while espeak-ng synthesises.)
    with contextlib.redirect_stdout(io.StringIO()):
        engine.runAndWait()
        # pyttsx3 2.99 runs espeak-ng asynchronously and its runAndWait can return before the
        # file is written (its queued endLoop runs first), so wait for the finished file.
        finished = _wait_for_file(engine, path, SYNTH_TIMEOUT_S)
    if not finished:
        raise SpeechError(f"speech engine wrote no audio for {lang!r} text {text[:40]!r} to {path}"
                          f"{_disk_space_note(path.parent)}")
    return path


#: Below this much free space, a missing WAV file is blamed on the disk in the error message.
LOW_DISK_BYTES = 1024 * 1024


def _disk_space_note(folder: Path) -> str:
    """", the disk holding it is full" when that is the likely reason no file appeared."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    if free >= LOW_DISK_BYTES:
        return ""
    return f"; the disk holding it is full ({free // 1024} KB free)"


def _wait_for_file(engine: Any, path: Path, timeout_s: float) -> bool:
    """True once the engine has finished the utterance and `path` holds more than a WAV header.

    Waiting for the engine too means the next utterance never starts while espeak-ng is still
    delivering this one (its callback writes to whichever file was asked for last).
    """
    deadline = time.monotonic() + timeout_s
    busy = getattr(engine, "isBusy", None)
    last_size = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        idle = not busy() if callable(busy) else size == last_size
        if size > 44 and idle:   # 44 bytes = a WAV header with no sound
            return True
        last_size = size
        time.sleep(0.02)
    return False


def synthesize_to_file(text: str, lang: str, path: str | Path, *, rate: int = CHILD_RATE_WPM,
                       engine_factory: EngineFactory = default_engine_factory,
                       pronunciations: Pronunciations | None = None) -> Path:
    """Write `text` spoken in `lang` to the WAV file `path` and return the path.

    `pronunciations` (default: the game's file) respell words for espeak-ng; pass
    `Pronunciations()` to hear espeak-ng's own reading. For tools and tests. Do not call it while
    a `Speech` is running in the same process: pyttsx3 keeps one espeak-ng engine per process
    and it is not safe to drive from two threads.
    """
    if pronunciations is None:
        pronunciations = Pronunciations.load()
    try:
        engine = engine_factory()
    except Exception as exc:  # noqa: BLE001 - any failure means "no speech here"
        raise SpeechError(f"text-to-speech is not available: {exc}") from exc
    spoken = pronunciations.respell(text, lang) if reads_with_espeak(engine) else text
    return _synthesize(engine, spoken, lang, Path(path), rate)


def wav_duration_s(path: str | Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


@dataclass(frozen=True)
class Utterance:
    """Synthesised speech ready to play. `generation` orders requests: newer is larger."""

    text: str
    lang: str
    generation: int
    wav_path: Path


class Speech:
    """Captions now, spoken words soon after, never a wait.

    `say` sets `caption` immediately and queues the words (replacing anything not yet spoken).
    The UI calls `take_ready()` each frame and plays what it returns. Synthesised files are
    cached by (language, rate, text as spoken), so repeated prompts cost nothing after the first
    time. `pronunciations` (default: assets/speech/pronunciations.toml) respell words for
    espeak-ng only; a file that cannot be used is reported in `problems` and speech goes on
    with espeak-ng's own reading.
    """

    def __init__(self, *, engine_factory: EngineFactory = default_engine_factory,
                 rate: int = CHILD_RATE_WPM, cache_dir: str | Path | None = None,
                 enabled: bool = True, restart_backoff_s: tuple[float, ...] = RESTART_BACKOFF_S,
                 pronunciations: Pronunciations | str | Path | None = None) -> None:
        self._engine_factory = engine_factory
        self._restart_backoff_s = tuple(restart_backoff_s) or (0.0,)
        self._rate = rate
        self._cache_dir = Path(cache_dir) if cache_dir else None
        self._enabled = enabled
        self._lock = threading.Condition()
        self._generation = 0
        self._pending: tuple[int, str, str] | None = None
        self._ready: Utterance | None = None
        self._caption = ""
        self._caption_lang = ""
        self._error: str | None = None if enabled else "muted"
        self._problems: collections.deque[str] = collections.deque(maxlen=PROBLEMS_KEPT)
        self._pronunciations = Pronunciations()
        if enabled:
            try:
                self._pronunciations = (pronunciations if isinstance(pronunciations, Pronunciations)
                                        else Pronunciations.load(pronunciations or DEFAULT_PRONUNCIATIONS))
            except PronunciationError as exc:
                self._problems.append(f"pronunciations not used: {exc}")
        self._closing = False
        self._busy = False                    # the speech thread is making an engine or synthesising
        self._thread: threading.Thread | None = None

    # -- UI side -------------------------------------------------------------------------
    def start(self) -> "Speech":
        if self._enabled and self._thread is None:
            with self._lock:
                self._busy = True             # until the engine is made (or given up)
            self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
            self._thread.start()
        return self

    def say(self, text: str, lang: str) -> None:
        """Show `text` as the caption now and speak it soon; stale requests are dropped."""
        with self._lock:
            self._generation += 1
            self._caption, self._caption_lang = text, lang
            self._ready = None
            if self._enabled and self._error is None and text.strip():
                self._pending = (self._generation, text, lang)
                self._lock.notify_all()       # the speech thread (wait_idle may be waiting too)
            else:
                self._pending = None

    def show_caption(self, text: str, lang: str) -> None:
        """Change the caption without speaking (what is being said keeps playing)."""
        with self._lock:
            self._caption, self._caption_lang = text, lang

    def silence(self) -> None:
        """Drop anything not yet played and clear the caption."""
        with self._lock:
            self._generation += 1
            self._pending, self._ready = None, None
            self._caption = ""

    def take_ready(self) -> Utterance | None:
        """The newest finished utterance, once; None when nothing new is ready."""
        with self._lock:
            ready, self._ready = self._ready, None
            return ready

    @property
    def caption(self) -> str:
        with self._lock:
            return self._caption

    @property
    def generation(self) -> int:
        with self._lock:
            return self._generation

    @property
    def available(self) -> bool:
        with self._lock:
            return self._enabled and self._error is None

    @property
    def error(self) -> str | None:
        """Why speech is off for this session ("muted", or the last failure); None while it works."""
        with self._lock:
            return self._error

    @property
    def problems(self) -> tuple[str, ...]:
        """What went wrong with speech this session, oldest first (the newest few): skipped lines
        and engine restarts that the child only noticed as a caption without a voice."""
        with self._lock:
            return tuple(self._problems)

    def close(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._closing = True
            self._pending = None
            self._lock.notify()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until nothing is pending (tests and tools only; the UI never calls this)."""
        with self._lock:
            return self._lock.wait_for(lambda: self._pending is None and not self._busy, timeout)

    # -- speech thread -------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._speak_lines()
        finally:
            with self._lock:
                self._busy = False
                self._lock.notify_all()

    def _speak_lines(self) -> None:
        cache_dir = self._cache_dir or Path(mkdtemp(prefix="emotion-game-speech-"))
        for partial in cache_dir.glob("*.tmp.wav"):   # left by a kiosk switched off mid-line
            with contextlib.suppress(OSError):
                partial.unlink()
        engine: Any = None
        failures = 0                          # failed attempts in a row; any spoken line resets it
        while True:
            if engine is None:
                backoff = self._restart_backoff_s
                if failures and not self._pause(backoff[min(failures, len(backoff)) - 1]):
                    return                    # closing
                try:
                    engine = self._engine_factory()
                except Exception as exc:  # noqa: BLE001 - no engine yet: try again, then captions only
                    failures += 1
                    if not self._note_failure(
                            f"text-to-speech is not available ({type(exc).__name__}: {exc})", failures):
                        return
                    continue
            with self._lock:
                self._busy = False
                self._lock.notify_all()       # wait_idle: the engine is ready and nothing is pending
                self._lock.wait_for(lambda: self._pending is not None or self._closing)
                if self._closing:
                    return
                generation, text, lang = self._pending
                self._pending = None
                self._busy = True
            spoken = self._pronunciations.respell(text, lang) if reads_with_espeak(engine) else text
            path = cache_dir / f"{lang}-{self._rate}-{_digest(spoken)}.wav"
            partial = path.with_suffix(".tmp.wav")
            try:
                if not path.exists():
                    _synthesize(engine, spoken, lang, partial, self._rate)
                    partial.replace(path)
            except Exception as exc:  # noqa: BLE001 - this line stays a caption; the next gets a new engine
                # The old engine may be stuck mid-utterance (pyttsx3 keeps its run loop marked as
                # running after a raise), so it is dropped, not reused. What it wrote so far (a
                # bare header, half a line) is not a voice line: it must not sit in the cache.
                engine = None
                with contextlib.suppress(OSError):
                    partial.unlink(missing_ok=True)
                failures += 1
                if not self._note_failure(
                        f"could not speak {lang!r} text {text[:40]!r} ({type(exc).__name__}: {exc})", failures):
                    return
                continue
            failures = 0
            with self._lock:
                if generation == self._generation:  # still the newest request
                    self._ready = Utterance(text, lang, generation, path)

    def _note_failure(self, message: str, failures: int) -> bool:
        """Record a failed attempt; True to try again, False when speech is given up."""
        with self._lock:
            if failures < MAX_FAILURES_IN_A_ROW:
                self._problems.append(f"{message}; trying again with a new speech engine")
                return True
            self._error = f"{message} ({failures} failures in a row, speech given up)"
            self._problems.append(self._error)
            self._pending = None
            self._busy = False
            self._lock.notify_all()
            return False

    def _pause(self, seconds: float) -> bool:
        """Wait `seconds` unless closing; True when the thread should go on."""
        with self._lock:
            return not self._lock.wait_for(lambda: self._closing, seconds)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
