"""Sounds and the voice: effects from assets/sounds, and the speech thread's finished lines
played on their own channel (a new line cuts the one being said)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pygame

from game.play.play_settings import PlaySettings
from game.speech import Speech

#: Decoded voice lines kept in memory (about 2 MB each): enough for a level's prompts and
#: cheers; older ones are decoded again from the disk cache when needed. Bounded by their
#: decoded size too, so a few long stories cannot hold much more.
VOICE_CACHE_SIZE = 16
VOICE_CACHE_BYTES = 32 * 2**20
VOICE_CHANNEL = 7


class Audio:
    def __init__(self, speech: Speech, settings: PlaySettings, sounds_dir: Path, notes: list[str]):
        self.speech = speech
        self.settings = settings
        self.notes = notes                  # problems a teacher should see
        self.voice_channel = None
        self._sounds: dict[str, Any] = {}
        self._voices: dict[Path, Any] = {}
        self._voice_bytes: dict[Path, int] = {}
        if pygame.mixer.get_init():
            pygame.mixer.set_num_channels(VOICE_CHANNEL + 1)
            self.voice_channel = pygame.mixer.Channel(VOICE_CHANNEL)
            for path in sorted(sounds_dir.glob("*.wav")):
                try:
                    self._sounds[path.stem.replace("-", "_")] = pygame.mixer.Sound(str(path))
                except pygame.error as exc:
                    notes.append(f"sound {path.name}: {exc}")

    def cache_size(self) -> int:
        """Decoded voice lines held in memory."""
        return len(self._voices)

    def cache_bytes(self) -> int:
        """Their decoded size."""
        return sum(self._voice_bytes.values())

    def sound(self, name: str) -> None:
        if self.settings.muted or not pygame.mixer.get_init():
            return
        effect = self._sounds.get(name)
        if effect is not None:
            effect.set_volume(self.settings.volume * 0.8)
            effect.play()

    def say(self, text: str, caption: str | None = None) -> None:
        """Caption now, voice soon; whatever was still being said stops. `caption` shows a
        shorter line when the rest of what is said is already on the screen."""
        if self.voice_channel is not None:
            self.voice_channel.stop()
        self.speech.say(text, self.settings.lang)
        if caption is not None:
            self.speech.show_caption(caption, self.settings.lang)

    def caption_only(self, text: str) -> None:
        self.speech.show_caption(text, self.settings.lang)

    def play_ready_speech(self) -> None:
        """Play the line the speech thread has just finished, if any (called every frame)."""
        ready = self.speech.take_ready()
        if ready is None or self.voice_channel is None or self.settings.muted:
            return
        voice = self._voices.get(ready.wav_path)
        if voice is None:
            try:
                voice = pygame.mixer.Sound(str(ready.wav_path))
            except pygame.error as exc:
                self.notes.append(f"speech audio: {exc}")
                return
            size = decoded_bytes(voice)
            while self._voices and (len(self._voices) >= VOICE_CACHE_SIZE
                                    or self.cache_bytes() + size > VOICE_CACHE_BYTES):
                oldest = next(iter(self._voices))   # oldest first; its WAV stays cached on disk
                self._voices.pop(oldest)
                self._voice_bytes.pop(oldest)
            self._voices[ready.wav_path] = voice
            self._voice_bytes[ready.wav_path] = size
        voice.set_volume(self.settings.volume)
        self.voice_channel.play(voice)


def decoded_bytes(sound: Any) -> int:
    """The memory a decoded sound holds: its length in the mixer's own format."""
    mixer = pygame.mixer.get_init()
    if mixer is None:
        return 0
    frequency, sample_format, channels = mixer
    return int(sound.get_length() * frequency * channels * (abs(sample_format) // 8))
