"""'Just a moment': a child was chosen and their session is starting (off the UI thread, so a
slow database shows this instead of a frozen screen). It moves on by itself once the session
is ready, to the scene `then` names (the flow puts the calm-face step first if needed)."""

from __future__ import annotations

import pygame

from game.play.scenes.base import Scene
from game.play.services import Next, Services
from game.play.widgets import blit_centered, draw_waiting


class LoadingScene(Scene):
    name = "loading"
    SLOW_AFTER_S = 2.0            # from then on, a line for grown-ups says progress is safe

    def __init__(self, game: Services, then: Next):
        super().__init__(game)
        self.then = then

    def update(self, now: float, dt: float) -> None:
        if self.game.session.ready:
            self.game.session_ready(self.then)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        self.header(canvas, self.t("loading.title"))
        child = self.game.session.child
        if child is not None:
            self.draw_child(canvas, child, (w / 2, 300), 110)
        draw_waiting(canvas, theme.confetti, (w / 2, 470), now)
        if now - self.entered_at >= self.SLOW_AFTER_S:
            # above the caption box (two lines of it), so the caption never covers it
            for i, line in enumerate(res.wrapped(self.t("loading.slow"), "tiny", w - 200, theme["ink_soft"], max_lines=2)):
                blit_centered(canvas, line, (w / 2, 530 + i * 30))
