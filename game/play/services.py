"""What a scene sees of the game: this small interface, not the concrete `Game`.

Scenes import this module (and widgets, rules, scoring), never `game.play.app` nor each other;
the game's flow module is the only one that knows the scene classes. So the rooms stack up
without an import circle: app -> flow -> scenes -> services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Protocol

import pygame

from game.play.rules import FaceState
from game.play.play_settings import PlaySettings
from game.play.thresholds import RoundRules
from game.play.ui_text import Phrases, Theme
from game.vision.observation import Observation

if TYPE_CHECKING:
    from game.levels import Level
    from game.play.audio import Audio
    from game.play.scoring import LevelScore
    from game.play.session import Session
    from game.play.store_link import StoreLink
    from game.play.teacher_pin import TeacherGate
    from game.play.widgets import Resources
    from game.speech import Speech


class Camera(Protocol):
    """What the game needs from the vision side: start/stop a source feeding the mailbox."""

    spec: str | int
    error: str | None

    def start(self, spec: str | int) -> None: ...
    def stop(self) -> None: ...


@dataclass(frozen=True)
class Next:
    """A scene to go to, by name (game.play.flow.SCENES), and what it is made with."""

    scene: str
    args: Mapping[str, Any] = field(default_factory=dict)


class Services(Protocol):
    """The game as a scene sees it."""

    settings: PlaySettings
    rules: RoundRules
    phrases: Phrases
    theme: Theme
    res: "Resources"
    audio: "Audio"
    speech: "Speech"
    store: "StoreLink"
    session: "Session"
    camera: Camera | None
    levels: list["Level"]
    level_problems: list
    labels: tuple[str, ...]
    notes: list[str]
    gate: "TeacherGate"                # the teacher PIN and the wrong tries, across visits to the gate
    size: tuple[int, int]              # the logical canvas (the theme's layout size)
    now: float
    obs: Observation | None            # the newest observation this frame
    model_problem: str | None          # the expression model is not working (rules.model_problem)
    first_prompt_at: float | None

    def face_state(self) -> FaceState: ...
    def canvas_pos(self, event: pygame.event.Event) -> tuple[int, int] | None: ...
    def turn(self) -> int: ...

    # moving on, by name (see game.play.flow)
    def push(self, name: str, **args: Any) -> None: ...
    def replace(self, name: str, **args: Any) -> None: ...
    def go(self, step: Next) -> None: ...
    def pop(self) -> None: ...
    def choose_child(self, child: Any, then: Next | None = None) -> None: ...
    def session_ready(self, then: Next) -> None: ...
    def start_level(self, level: "Level") -> None: ...
    def next_round(self, level: "Level", round_index: int, score: "LevelScore") -> None: ...

    def change_camera(self, spec: str | int) -> None: ...
    def quit(self) -> None: ...
