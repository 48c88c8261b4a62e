"""The pictures, sounds and font made for the game: present, decodable, the right sizes, gentle."""

from __future__ import annotations

import hashlib
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.levels.helpers import ASSETS

pygame = pytest.importorskip("pygame")

EMOTIONS = ("happy", "sad", "fear")


def picture(path: Path):
    image = pygame.image.load(str(path))   # decoding needs no display
    return image


def samples(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2), f"{path.name}: not 16-bit mono"
        rate = audio.getframerate()
        data = np.frombuffer(audio.readframes(audio.getnframes()), dtype="<i2").astype(float) / 32768
    return data, rate


def test_three_faces_for_each_emotion_at_512_px():
    for emotion in EMOTIONS:
        files = sorted((ASSETS / "faces").glob(f"{emotion}-*.png"))
        assert len(files) >= 3, emotion
        for file in files:
            assert picture(file).get_size() == (512, 512), file.name


def test_faces_of_different_emotions_really_differ():
    # The mouth region of the same child must change between emotions.
    def mouth(name: str) -> np.ndarray:
        return pygame.surfarray.array3d(picture(ASSETS / "faces" / name))[180:330, 330:460].astype(float)
    for child in ("1", "2", "3"):
        happy, sad, fear = (mouth(f"{e}-{child}.png") for e in EMOTIONS)
        assert np.abs(happy - sad).mean() > 5 and np.abs(happy - fear).mean() > 5 and np.abs(sad - fear).mean() > 5


def test_at_least_twelve_distinct_avatars():
    files = sorted((ASSETS / "avatars").glob("*.png"))
    assert len(files) >= 12
    digests = {hashlib.sha256(pygame.image.tobytes(picture(f), "RGBA")).hexdigest() for f in files}
    assert len(digests) == len(files)
    for file in files:
        image = picture(file)
        assert image.get_size() == (256, 256)
        assert image.get_at((0, 0)).a == 0, f"{file.name}: corners should be transparent"


def test_icons():
    for name in ("star", "star-empty", "lock", "play", "settings"):
        image = picture(ASSETS / "icons" / f"{name}.png")
        assert image.get_size() == (128, 128) and image.get_at((64, 64)).a > 0


@pytest.mark.parametrize(("name", "shortest", "longest"), [
    ("chime", 0.5, 1.5), ("pop", 0.03, 0.3), ("cheer", 1.0, 2.5), ("try_again", 0.4, 1.2), ("tick", 0.01, 0.1),
    ("star", 0.3, 1.2),
])
def test_sounds_are_short_soft_and_click_free(name, shortest, longest):
    data, rate = samples(ASSETS / "sounds" / f"{name}.wav")
    assert shortest <= len(data) / rate <= longest
    peak = np.abs(data).max()
    assert 0.1 < peak <= 0.55, f"{name}: peak {peak:.2f}"
    assert np.abs(data[-10:]).max() < 0.01, f"{name}: ends with a click"


def test_try_again_is_warm_not_harsh():
    gentle, rate = samples(ASSETS / "sounds" / "try_again.wav")
    bright, _ = samples(ASSETS / "sounds" / "chime.wav")

    def centroid(data: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(data))
        return float((np.fft.rfftfreq(len(data), 1 / rate) * spectrum).sum() / spectrum.sum())
    assert centroid(gentle) < 800, "most of its energy should sit low, like a voice humming"
    assert np.abs(gentle).max() < np.abs(bright).max()
    assert np.abs(gentle[: rate // 50]).max() < 0.1, "it fades in instead of starting sharply"


def test_no_sound_is_called_wrong_or_buzz():
    names = {p.stem for p in (ASSETS / "sounds").iterdir()}
    assert not any(word in name for name in names for word in ("wrong", "buzz", "error", "fail"))


def test_font_renders_indonesian_and_carries_its_licence():
    pygame.font.init()
    for name in ("Andika-Regular.ttf", "Andika-Bold.ttf"):
        font = pygame.font.Font(str(ASSETS / "fonts" / name), 48)
        text = font.render("Tunjukkan wajah senangmu!", True, (0, 0, 0))
        assert text.get_width() > 300
    licence = (ASSETS / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Reserved Font Names" in licence


def test_the_source_remakes_the_committed_pictures(tmp_path):
    """tools/make_assets.py is the source of truth: its output matches what is committed."""
    from tools.make_assets import make_all

    made = make_all(tmp_path, fonts=False)
    names = {p.relative_to(tmp_path).as_posix() for p in made}
    committed = {p.relative_to(ASSETS).as_posix() for folder in ("faces", "avatars", "icons", "sounds")
                 for p in (ASSETS / folder).rglob("*") if p.is_file()}
    assert names == committed
    for name in sorted(n for n in names if n.endswith(".png")):
        ours = pygame.surfarray.array3d(picture(tmp_path / name)).astype(float)
        theirs = pygame.surfarray.array3d(picture(ASSETS / name)).astype(float)
        assert np.abs(ours - theirs).mean() < 1.0, f"{name} differs from its source"
    for name in sorted(n for n in names if n.endswith(".wav")):
        assert np.allclose(samples(tmp_path / name)[0], samples(ASSETS / name)[0], atol=2 / 32768), name
