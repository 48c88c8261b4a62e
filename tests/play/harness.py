"""A real Game on SDL's dummy drivers with a test clock: tests push observations into its
mailbox and pygame events into `step`, exactly what the camera worker and a child would do."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.play.app import Game  # noqa: E402
from game.play.build import GameOptions, build_game  # noqa: E402
from game.speech import Speech  # noqa: E402
from game.vision.card import DEFAULT_MODEL  # noqa: E402
from game.vision.observation import Observation  # noqa: E402
from tests.play.observations import obs  # noqa: E402

FPS = 30.0


def model_path() -> Path:
    """The expression model the camera tests run (EMOTION_GAME_TEST_MODEL overrides the shipped one)."""
    path = Path(os.environ.get("EMOTION_GAME_TEST_MODEL", DEFAULT_MODEL))
    if not path.is_file():
        pytest.skip(f"no expression model at {path} (train one with tools/train.py)")
    card = path.with_suffix(".json")
    if card.is_file() and json.loads(card.read_text()).get("temporary") and "EMOTION_GAME_TEST_MODEL" not in os.environ:
        pytest.skip(f"{path} is a temporary stand-in model (its card says so); these tests need the trained one")
    return path


#: The prompts of a happy round then a sad one, as TOML inline tables.
HAPPY_PROMPT = '{ en = "Show me a happy face!", id = "Tunjukkan wajah senang!" }'
SAD_PROMPT = '{ en = "Show me a sad face!", id = "Tunjukkan wajah sedih!" }'


def happy_then_sad_level(header: str, *, happy_prompt: str = HAPPY_PROMPT, sad_prompt: str = SAD_PROMPT,
                         sad_hints: str | None = None, time_limit_s: float = 5.0) -> str:
    """A level file of two rounds, a happy face then a sad one, each held 1 s at the 0.6 mark
    within `time_limit_s`. `header` is the level's own lines (id, order, title...); the
    prompts and `sad_hints` are TOML, so each test's level reads as the file it writes."""
    hints = "" if sad_hints is None else f"hints = {sad_hints}\n"
    return f"""
{header}

[defaults]
hold_s = 1.0
time_limit_s = {time_limit_s}
threshold = 0.6

[[rounds]]
emotion = "happy"
picture = "faces/happy-1.png"
prompt = {happy_prompt}

[[rounds]]
emotion = "sad"
picture = "faces/sad-1.png"
prompt = {sad_prompt}
{hints}"""


LEVEL_ONE = happy_then_sad_level(
    'id = "test-one"\norder = 1\ntitle = { en = "First", id = "Pertama" }',
    sad_hints='[{ en = "Turn your mouth down.", id = "Turunkan ujung bibirmu." }]')

LEVEL_TWO = """
id = "test-two"
order = 2
title = { en = "Second", id = "Kedua" }
unlock = { after = "test-one", min_stars = 2 }

[[rounds]]
emotion = "fear"
picture = "faces/fear-1.png"
prompt = { en = "Show me a scared face!", id = "Tunjukkan wajah takut!" }
time_limit_s = 5.0
"""


def write_levels(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "test-one.toml").write_text(LEVEL_ONE)
    (folder / "test-two.toml").write_text(LEVEL_TWO)
    return folder


class Driver:
    """Runs a Game with a fake clock. `source(now)` says what the camera shows at `now`.

    The game asks the progress store off the UI thread; with `wait_for_store` (the default)
    each frame first waits for the answers to calls already made, so on the fake clock the
    database answers at once and tests stay deterministic. Tests of a slow database step the
    game on the real clock instead.
    """

    def __init__(self, game: Game, start: float = 1000.0, wait_for_store: bool = True):
        self.game = game
        self.now = start
        self.wait_for_store = wait_for_store
        self.source: Callable[[float], Observation | None] = lambda now: obs(now)

    def run(self, seconds: float, events_at_start: list | None = None,
            until: Callable[[Game], bool] | None = None) -> None:
        events = list(events_at_start or [])
        for _ in range(max(1, int(round(seconds * FPS)))):
            seen = self.source(self.now)
            if seen is not None:
                self.game.mailbox.put(seen)
            self._settle()
            self.game.step(events, self.now)
            events = []
            stepped_at = self.now
            self.now += 1.0 / FPS
            if until is not None and until(self.game):
                break
        if self._settle():
            self.game.step([], stepped_at)     # hand over the answers at once (no game time passes)

    def _settle(self) -> bool:
        """Wait for the store calls made so far; True when answers wait for the game."""
        if not self.wait_for_store:
            return False
        assert self.game.store.wait(30.0), "a progress store call did not answer in 30 s"
        return self.game.store.answers_waiting()

    def press(self, key: int, mod: int = 0) -> None:
        self.run(1 / FPS, [pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0)])

    def click(self, pos: tuple[int, int]) -> None:
        self.run(1 / FPS, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)])

    def type_text(self, text: str) -> None:
        self.run(1 / FPS, [pygame.event.Event(pygame.TEXTINPUT, text=text)])

    @property
    def scene(self) -> str:
        return self.game.scene.screenshot_key


def game_options(store, levels: list, *, screenshot_dir: Path | None = None, kiosk: bool = True,
                 lang: str = "en", speech: Speech | None = None) -> GameOptions:
    """What the tests build the game with: `emotion-game play`'s options (so the same model
    card and round rules), on an off-screen canvas, with no camera (the test fills the
    mailbox), their own store and levels, and a quicker "try again?" screen."""
    return GameOptions(lang=lang, camera=None, window="offscreen", kiosk=kiosk, levels=levels, store=store,
                       screenshots=screenshot_dir, speech=speech or Speech(enabled=False),
                       kiosk_name="test", auto_next_s=3.0)


def make_game(store, levels: list, **kwargs) -> Game:
    return build_game(game_options(store, levels, **kwargs), note=lambda text: None)


def scene_checked_picker(data: Path, model: Path, accept, seed: int = 3):
    """A make_test_video FacePicker that accepts a FER face only if the real vision pipeline,
    looking at it pasted into camera-like scenes (a little moved, scaled and relit, as the
    video will show it), finds it in every one and `accept(label, probs_per_scene)` agrees.
    Faces are judged as the game will see them, not as 48x48 crops."""
    from tools import make_test_video as mtv

    return mtv.FacePicker(Path(data), seed, confident_model=model, accept=accept)


def clear_face(label: str, seen: list[dict]) -> bool:
    """Expressions the model reads clearly in every scene; calm faces that fire nothing."""
    if label in seen[0]:
        return min(p[label] for p in seen) >= 0.75
    return max(max(p.values()) for p in seen) < 0.45
