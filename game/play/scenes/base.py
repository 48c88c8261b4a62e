"""The one base of every scene.

A scene lives on the game's scene stack (game.play.stack) and goes through a symmetric
lifecycle: `enter` when it comes on top, `pause` when another is pushed over it, `resume`
when that one is popped, `leave` when it is taken off. Every frame the top scene gets its
events (`handle`), then `update(now, dt)`, then `draw(canvas, now)`.

A scene sees the game only through `game.play.services.Services`, and moves on by asking for
the next scene by name (`game.replace("map")`, `game.push("teacher")`, `game.pop()`); it never
builds another scene. `screenshot_key` names what the scene is showing right now (a round
showing "I can't see you" is "round-no-face"), so `--screenshots` saves one picture of each
thing a child can see.
"""

from __future__ import annotations

import pygame

from game.play.rules import FaceState
from game.play.services import Services
from game.play.widgets import FACE_PHRASES, draw_avatar, draw_face_notice, draw_header


class Scene:
    #: The name the flow knows this scene by (game.play.flow.SCENES).
    name = "scene"
    shows_caption = True
    screenshot_after_s = 0.3      # let an entrance animation settle before a screenshot
    #: Grown-ups' screens: the corner press does not open the gate over them, and a child who
    #: walked away is not looked for.
    for_grown_ups = False
    #: The teacher area itself: the key chord has nothing to open, Esc is its own way back.
    teacher_area = False
    #: While this shows, a kiosk nobody uses goes back to the welcome screen.
    watches_idle = True

    def __init__(self, game: Services):
        self.game = game
        self.entered_at = 0.0
        self.paused_at: float | None = None
        self.paused_for = 0.0         # how long the last pause lasted

    @property
    def screenshot_key(self) -> str:
        return self.name

    # lifecycle
    def enter(self, now: float) -> None:
        self.entered_at = now

    def pause(self, now: float) -> None:
        """Another scene (the teacher area) was pushed over this one."""
        self.paused_at = now

    def resume(self, now: float) -> None:
        """Back on top: carry on where it was, the pause not counted in its timings."""
        self.paused_for = now - self.paused_at if self.paused_at is not None else 0.0
        self.paused_at = None
        self.entered_at += self.paused_for

    def leave(self, now: float) -> None:
        """Taken off the stack for good."""

    # every frame
    def handle(self, event: pygame.event.Event) -> None:
        pass

    def update(self, now: float, dt: float) -> None:
        pass

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        pass

    # helpers
    def t(self, key: str, **values) -> str:
        return self.game.phrases.get(key, self.game.settings.lang, **values)

    def header(self, canvas: pygame.Surface, title: str) -> None:
        draw_header(canvas, self.game.res, title)

    def draw_child(self, canvas: pygame.Surface, child, center: tuple[float, float], radius: int) -> None:
        draw_avatar(canvas, self.game.res, child.name, child.avatar, center, radius)

    def face_notice(self, canvas: pygame.Surface, state: FaceState, rect: pygame.Rect) -> None:
        """The kind words for `state` over the camera view `rect`."""
        draw_face_notice(canvas, self.game.res, state, self.t(FACE_PHRASES[state][0]), rect)
