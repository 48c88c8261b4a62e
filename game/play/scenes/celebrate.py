"""Hooray: a big star, the points the match earned, a streak, confetti; then the next round."""

from __future__ import annotations

import math

import pygame

from game.levels import Level
from game.play.scenes.base import Scene
from game.play.scoring import LevelScore
from game.play.services import Services
from game.play.widgets import Confetti, blit_centered, draw_face, draw_star, pressed, star_points

CELEBRATE_S = 2.8
MIRROR_CELEBRATE_S = 1.6


class CelebrationScene(Scene):
    name = "celebrate"
    screenshot_after_s = 0.8

    def __init__(self, game: Services, level: Level, round_index: int, score: LevelScore, earned: int):
        super().__init__(game)
        self.level, self.round_index, self.score, self.earned = level, round_index, score, earned
        self.confetti = Confetti(game.size, game.theme.confetti, seed=round_index + 7 * game.turn())
        self.cheer = ""
        self.duration_s = MIRROR_CELEBRATE_S if level.mode == "mirror" else CELEBRATE_S

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.audio.sound("cheer")
        self.cheer = self.game.phrases.pick("celebrate.cheers", self.game.settings.lang, self.game.turn())
        self.game.audio.say(self.cheer)

    def update(self, now: float, dt: float) -> None:
        self.confetti.update(dt)
        if now - self.entered_at >= self.duration_s:
            self.game.next_round(self.level, self.round_index, self.score)

    def handle(self, event: pygame.event.Event) -> None:
        if pressed(event) and self.game.now - self.entered_at > 0.8:
            self.game.next_round(self.level, self.round_index, self.score)

    #: Where things sit: the cheer on top, the star under it (never over the cheer, even at
    #: the top of its pop), the points and the streak under the star, all above the caption.
    CHEER_Y = 80
    STAR_Y = 312
    STAR_R = 134
    POP = 1.25
    POINTS_Y = 515
    STREAK_Y = 575

    def _star_radius(self, now: float) -> float:
        pop = min(1.0, (now - self.entered_at) / 0.35)
        return self.STAR_R * (1 + (self.POP - 1) * math.sin(pop * math.pi) if pop < 1 else 1.0)

    def clear_areas(self) -> list[tuple[str, pygame.Rect]]:
        """The star at its biggest: no words may sit on it."""
        w, _h = self.game.size
        r = self.STAR_R * self.POP
        points = star_points((w / 2, self.STAR_Y), r)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return [("the star", pygame.Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))]

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        age = now - self.entered_at
        for k in range(12):   # sun rays behind the big star
            angle = k * math.tau / 12 + age * 0.6
            end = (w / 2 + math.cos(angle) * 520, self.STAR_Y + math.sin(angle) * 520)
            pygame.draw.line(canvas, theme["background_band"], (w / 2, self.STAR_Y), end, 40)
        draw_star(canvas, (w / 2, self.STAR_Y), self._star_radius(now), theme["star"], theme["ink"])
        emotion = self.level.rounds[self.round_index].emotion
        face = res.shape(("face", emotion), (130, 130), lambda s: draw_face(s, emotion, theme.emotion(emotion), theme["ink"]))
        blit_centered(canvas, face, (w / 2, self.STAR_Y + 12))
        blit_centered(canvas, res.text(self.cheer, "title", theme["ink"], bold=True), (w / 2, self.CHEER_Y))
        blit_centered(canvas, res.text(self.t("celebrate.points", points=self.earned), "big", theme["accent_dark"], bold=True),
                      (w / 2, self.POINTS_Y))
        if self.score.streak.current >= 2:
            blit_centered(canvas, res.text(self.t("celebrate.streak", n=self.score.streak.current), "small",
                                           theme["good"], bold=True), (w / 2, self.STREAK_Y))
        self.confetti.draw(canvas)
