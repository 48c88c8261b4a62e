"""A question young children cannot answer, pushed over the game before the teacher area opens
from a long press in the corner of a touch screen. The right answer puts the teacher area in
its place; a wrong answer (or waiting) pops back quietly to the game."""

from __future__ import annotations

import random

import pygame

from game.play.scenes.base import Scene
from game.play.services import Services
from game.play.widgets import Button, ButtonGroup, blit_centered


class GateScene(Scene):
    name = "gate"
    shows_caption = False
    for_grown_ups = True
    screenshot_after_s = 0.0
    GIVE_UP_S = 20.0

    def __init__(self, game: Services, rng: random.Random | None = None):
        super().__init__(game)
        rng = rng or random.Random()
        self.a, self.b = rng.randint(3, 9), rng.randint(3, 9)
        answer = self.a * self.b
        choices = {answer}
        while len(choices) < 4:
            choices.add(max(1, answer + rng.choice((-1, 1)) * rng.randint(1, 12)))
        self.choices = sorted(choices)
        self.answer = answer
        w, _h = game.size
        self.buttons = ButtonGroup([Button(pygame.Rect(w / 2 - 470 + i * 240, 360, 210, 130), str(value),
                                          str(value), colour=game.theme["ink_soft"])
                                   for i, value in enumerate(self.choices)])

    def handle(self, event: pygame.event.Event) -> None:
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is None:
            return
        if int(chosen.action) == self.answer:
            self.game.replace("teacher")      # the teacher area takes the question's place
        else:
            self.game.pop()

    def update(self, now: float, dt: float) -> None:
        if now - self.entered_at > self.GIVE_UP_S:
            self.game.pop()

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        canvas.fill(theme["panel"])
        question = self.t("gate.question", a=self.a, b=self.b)
        blit_centered(canvas, res.text(question, "medium", theme["ink"], bold=True), (w / 2, 200))
        blit_centered(canvas, res.text(self.t("gate.hint"), "small",
                                       theme["ink_soft"]), (w / 2, 270))
        self.buttons.draw(canvas, res, now)
