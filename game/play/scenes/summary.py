"""'You finished!': the level's stars pop in one by one, its points; play again or more games.
The level's result is recorded once, when this scene enters (not again after the teacher area)."""

from __future__ import annotations

import pygame

from game.levels import Level
from game.play.scenes.base import Scene
from game.play.scoring import LevelScore
from game.play.services import Services
from game.play.practice import PRACTICE_LEVEL_ID
from game.play.widgets import Button, ButtonGroup, blit_centered, draw_star
from game.vocabulary import MAX_STARS

SUMMARY_BACK_TO_MAP_S = 30.0


class SummaryScene(Scene):
    name = "summary"
    screenshot_after_s = 1.6

    def __init__(self, game: Services, level: Level, score: LevelScore):
        super().__init__(game)
        self.level, self.score = level, score
        self.stars_shown = 0
        w, _h = game.size
        # After a level, practice made from the child's own record is offered (game.play.practice),
        # except after a practice session itself.
        offer_practice = level.id != PRACTICE_LEVEL_ID
        width, gap = (340, 25) if offer_practice else (360, 60)
        actions = [("again", self.t("summary.play_again"), "again", game.theme["good"])]
        if offer_practice:
            actions.append(("practice", self.t("practice.button"), "star", None))
        actions.append(("map", self.t("summary.map"), "arrow", None))
        left = w / 2 - (len(actions) * width + (len(actions) - 1) * gap) / 2
        self.buttons = ButtonGroup([
            Button(pygame.Rect(left + i * (width + gap), 512, width, 92), action, label, icon=icon,
                   **({"colour": colour} if colour else {}))
            for i, (action, label, icon, colour) in enumerate(actions)], focus=len(actions) - 1)

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.session.finish_level(self.level.id, self.score.stars, self.score.points)
        self.game.audio.sound("chime")
        if self.score.stars:
            self.game.audio.say(self.t("summary.spoken"))
        else:
            self.game.audio.say(self.t("summary.stars_zero"))

    def update(self, now: float, dt: float) -> None:
        shown = min(self.score.stars, int((now - self.entered_at) / 0.4))   # the stars pop in one by one
        if shown > self.stars_shown:
            self.stars_shown = shown
            self.game.audio.sound("star")
        if now - self.entered_at >= SUMMARY_BACK_TO_MAP_S:
            self.game.replace("map")

    def handle(self, event: pygame.event.Event) -> None:
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is None:
            return
        self.game.audio.sound("pop")
        if chosen.action == "again":
            self.game.start_level(self.level)
        elif chosen.action == "practice":
            self.game.replace("practice")
        else:
            self.game.replace("map")

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        self.header(canvas, self.t("summary.title"))
        age = now - self.entered_at
        for k in range(MAX_STARS):
            appear = age - 0.4 * k
            earned = k < self.score.stars
            scale = 1.0
            if earned and appear < 0.4:
                scale = max(0.0, appear / 0.4) * 1.2
            x, y = w / 2 + (k - 1) * 230, 300 - (30 if k == 1 else 0)
            draw_star(canvas, (x, y), 95, theme["star_empty"], theme["ink"])
            if earned and scale > 0:
                draw_star(canvas, (x, y), 95 * scale, theme["star"], theme["ink"])
        title = self.level.title.get(self.game.settings.lang)
        blit_centered(canvas, res.text(title, "small", theme["ink_soft"], bold=True), (w / 2, 420))
        blit_centered(canvas, res.text(f"{self.score.points}", "big", theme["accent_dark"], bold=True), (w / 2, 468))
        self.buttons.draw(canvas, res, now)
