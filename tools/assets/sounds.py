"""Short, gentle sounds synthesised with numpy and saved as 16-bit mono WAV.

Every sound starts and ends softly (no clicks) and stays well below full scale. The game has
no "wrong" buzzer: a miss gets `try_again`, two warm notes that rise like "let's go again".
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

RATE = 44100
PEAK = 0.5            # of full scale: loud enough for a classroom, never piercing

# Equal-tempered pitches (Hz) of the notes used below.
NOTE = {"C4": 261.63, "E4": 329.63, "G4": 392.00, "A4": 440.00, "C5": 523.25, "D5": 587.33,
        "E5": 659.25, "G5": 783.99, "C6": 1046.50, "E6": 1318.51, "G6": 1567.98}


def _t(seconds: float) -> np.ndarray:
    return np.arange(int(RATE * seconds)) / RATE


def _fade(signal: np.ndarray, attack: float = 0.005, release: float = 0.02) -> np.ndarray:
    env = np.ones_like(signal)
    a, r = max(1, int(RATE * attack)), max(1, int(RATE * release))
    env[:a] = np.linspace(0, 1, a)
    env[-r:] = np.minimum(env[-r:], np.linspace(1, 0, r))
    return signal * env


def _bell(freq: float, seconds: float, decay: float = 4.0) -> np.ndarray:
    """A soft bell: a sine with a few quiet inharmonic partials, dying away."""
    t = _t(seconds)
    tone = (np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(2 * np.pi * freq * 2.76 * t) * np.exp(-t * 6)
            + 0.12 * np.sin(2 * np.pi * freq * 5.4 * t) * np.exp(-t * 10))
    return _fade(tone * np.exp(-t * decay), attack=0.003, release=0.05)


def _warm(freq: float, seconds: float) -> np.ndarray:
    """A round, flute-like note with a slow attack: for the gentle sounds."""
    t = _t(seconds)
    vibrato = 1 + 0.003 * np.sin(2 * np.pi * 5 * t)   # a slight waver makes it sound sung
    tone = np.sin(2 * np.pi * freq * np.cumsum(vibrato) / RATE) + 0.2 * np.sin(4 * np.pi * freq * t)
    return _fade(tone, attack=0.06, release=0.12)


def _place(parts: list[tuple[float, np.ndarray]], seconds: float) -> np.ndarray:
    out = np.zeros(int(RATE * seconds))
    for start, sound in parts:
        i = int(RATE * start)
        n = min(len(sound), len(out) - i)
        out[i:i + n] += sound[:n]
    return out


def _normalise(signal: np.ndarray, peak: float = PEAK) -> np.ndarray:
    return signal / max(1e-9, float(np.max(np.abs(signal)))) * peak


def chime() -> np.ndarray:
    """A round is won: two bright bell notes, a rising major third."""
    return _normalise(_place([(0.0, _bell(NOTE["C6"], 0.9)), (0.12, _bell(NOTE["E6"], 0.8))], 0.95))


def pop() -> np.ndarray:
    """A tap or a bubble: a quick falling sine."""
    t = _t(0.09)
    freq = 900 * np.exp(-t * 30) + 300
    return _normalise(_fade(np.sin(2 * np.pi * np.cumsum(freq) / RATE) * np.exp(-t * 40), 0.002, 0.02), 0.45)


def cheer() -> np.ndarray:
    """A level is done: a rising arpeggio that lands on a shimmering chord."""
    notes = ["C5", "E5", "G5", "C6"]
    parts = [(i * 0.11, _bell(NOTE[n], 0.6, decay=5)) for i, n in enumerate(notes)]
    chord = sum(_bell(NOTE[n], 1.2, decay=2.5) for n in ("C5", "E5", "G5", "C6"))
    t = _t(1.2)
    sparkle = sum(0.15 * np.sin(2 * np.pi * f * t) * np.exp(-((t - d) ** 2) / 0.002)
                  for f, d in ((NOTE["E6"] * 2, 0.3), (NOTE["G6"] * 2, 0.5), (NOTE["C6"] * 2, 0.7)))
    parts.append((0.45, chord + sparkle))
    return _normalise(_place(parts, 1.7))


def try_again() -> np.ndarray:
    """Not yet: two soft, low notes that rise ("let's go again"), never a buzz or a fall."""
    parts = [(0.0, _warm(NOTE["E4"], 0.28)), (0.26, _warm(NOTE["G4"], 0.42))]
    return _normalise(_place(parts, 0.72), 0.22)


def tick() -> np.ndarray:
    """The clock: a tiny wooden click."""
    t = _t(0.035)
    return _normalise(_fade(np.sin(2 * np.pi * 1800 * t) * np.exp(-t * 200), 0.0005, 0.005), 0.3)


def star() -> np.ndarray:
    """A star is earned: a quick sparkle of three high bells."""
    parts = [(i * 0.07, _bell(NOTE[n], 0.5, decay=7)) for i, n in enumerate(("G5", "C6", "E6"))]
    return _normalise(_place(parts, 0.7), 0.4)


SOUNDS = {"chime": chime, "pop": pop, "cheer": cheer, "try_again": try_again, "tick": tick, "star": star}


def write_wav(path: Path, signal: np.ndarray) -> None:
    data = np.clip(signal, -1, 1)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((data * 32767).astype("<i2").tobytes())


def make_sounds(out_dir: Path) -> list[Path]:
    """sounds/<name>.wav: 16-bit mono WAV at RATE Hz."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in SOUNDS.items():
        path = out_dir / f"{name}.wav"
        write_wav(path, make())
        written.append(path)
    return written
