"""A plain question for the teacher, pushed over the teacher area: "Quit the game?", "Remove
Ana from this kiosk?". One big button an answer, stacked so a long answer reads whole; the
last answer is the safe one (it only goes back) and is where the focus starts.

`answered(action)` is called once, after the question is popped, with the chosen answer's
action ("" when the teacher went back with Esc or the safe answer).
"""

from __future__ import annotations

from typing import Callable, Sequence

import pygame

from game.play.scenes.base import Scene
from game.play.services import Services
from game.play.widgets import Button, ButtonGroup, blit_centered

ANSWER_H = 84
ANSWER_GAP = 22


class AskScene(Scene):
    name = "ask"
    shows_caption = False
    for_grown_ups = True
    teacher_area = True
    watches_idle = False
    screenshot_after_s = 0.0

    def __init__(self, game: Services, question: str, answers: Sequence[tuple[str, str, str]],
                 answered: Callable[[str], None], details: str = "", key: str = "ask"):
        """`answers`: (action, label, theme colour name); the last is the safe one (action "")."""
        super().__init__(game)
        self.question, self.details, self.key = question, details, key
        self.answered = answered
        self.answers = list(answers)
        w, _h = game.size
        width = w - 240
        top = game.size[1] - 40 - len(answers) * (ANSWER_H + ANSWER_GAP) + ANSWER_GAP
        self.buttons = ButtonGroup([
            Button(pygame.Rect(120, top + i * (ANSWER_H + ANSWER_GAP), width, ANSWER_H), action, label,
                   colour=game.theme[colour]) for i, (action, label, colour) in enumerate(answers)],
            focus=len(answers) - 1)
        self.answer_top = top
        for button in self.buttons.buttons:
            if game.res.font("small", bold=True).size(button.label)[0] > button.rect.width - 60:
                button.label = ""          # drawn on two lines by `draw`

    @property
    def screenshot_key(self) -> str:
        return self.key

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self._answer("")
            return
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is not None:
            self._answer(chosen.action)

    def _answer(self, action: str) -> None:
        self.game.pop()
        self.answered(action)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        canvas.fill(theme["panel"])
        pygame.draw.rect(canvas, theme["background_band"], (0, 0, w, 96))
        blit_centered(canvas, res.text(self.t("teacher.title"), "small", theme["ink_soft"], bold=True), (w / 2, 48))
        y = 150
        for line in res.wrapped(self.question, "medium", w - 160, theme["ink"], bold=True):
            blit_centered(canvas, line, (w / 2, y))
            y += 52
        y += 10
        for line in res.wrapped(self.details, "small", w - 200, theme["ink_soft"]):
            if y > self.answer_top - 30:
                break
            blit_centered(canvas, line, (w / 2, y))
            y += 40
        self.buttons.draw(canvas, res, now)
        for button, (_action, label, _colour) in zip(self.buttons.buttons, self.answers):
            if not button.label:       # too long for one line in its button: two smaller lines
                lines = res.wrapped(label, "tiny", button.rect.width - 60, (255, 255, 255), bold=True)
                for i, line in enumerate(lines):
                    blit_centered(canvas, line, (button.rect.centerx,
                                                 button.rect.centery + (i - (len(lines) - 1) / 2) * 30))
