"""'Touch to start': the three faces bounce; any press goes to choosing who is playing."""

from __future__ import annotations

import math

import pygame

from game.play.scenes.base import Scene
from game.play.widgets import Button, ButtonGroup, blit_centered, draw_face, pressed
from game.vocabulary import EMOTION_NAMES


class WelcomeScene(Scene):
    name = "welcome"
    watches_idle = False          # this is where an idle kiosk goes

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.audio.say(self.t("welcome.greeting"))

    def handle(self, event: pygame.event.Event) -> None:
        if pressed(event):
            self.game.audio.sound("pop")
            self.game.replace("choose")

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        pygame.draw.circle(canvas, theme["background_band"], (w // 2, h + 260), 620)
        blit_centered(canvas, res.text(self.t("welcome.title"), "title", theme["ink"], bold=True), (w / 2, 120))
        middle = (len(EMOTION_NAMES) - 1) / 2
        for i, emotion in enumerate(EMOTION_NAMES):
            bounce = 14 * math.sin(now * 2.4 + i * 1.3)
            face = res.shape(("face", emotion), (200, 200),
                             lambda s, e=emotion: draw_face(s, e, theme.emotion(e), theme["ink"]))
            blit_centered(canvas, face, (w / 2 + (i - middle) * 270, 340 + bounce))
        pulse = 1.0 + 0.04 * math.sin(now * 4)
        rect = pygame.Rect(0, 0, int(460 * pulse), int(110 * pulse))
        rect.center = (w // 2, 548)
        ButtonGroup([Button(rect, "start", self.t("welcome.start"), icon="arrow")]).draw(canvas, res, now)
