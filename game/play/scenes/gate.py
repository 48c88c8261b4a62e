"""The teacher gate: a PIN typed on a number pad, pushed over the game before the teacher area
opens (a long press in the corner of a touch screen, or a window close request in kiosk mode).

The right PIN puts the teacher area in the gate's place. A wrong one says so and counts: after
three in a row the pad locks for a minute, then longer each time (game.play.teacher_pin), and
the lock holds across visits, so a child cannot simply try again. With no PIN yet (none in the
settings file, none chosen on this kiosk) the gate asks a grown-up to choose one, twice; the
teacher area can change it the same way (`purpose="change"`). Untouched, the gate goes back to
the game quietly.
"""

from __future__ import annotations

import math

import pygame

from game.play.scenes.base import Scene
from game.play.services import Services
from game.play.teacher_pin import PIN_LENGTHS, valid_pin
from game.play.widgets import Button, ButtonGroup, blit_centered
from game.play.widgets.keys import BACKSPACE, ENTER, NumberPad

#: A PIN typed is shown as this many dots at most.
MAX_DIGITS = PIN_LENGTHS[1]


class GateScene(Scene):
    name = "gate"
    shows_caption = False
    for_grown_ups = True
    watches_idle = False
    screenshot_after_s = 0.0
    #: Nobody touched the gate for this long: back to the game.
    GIVE_UP_S = 20.0

    def __init__(self, game: Services, purpose: str = "open"):
        super().__init__(game)
        self.purpose = purpose               # "open": the teacher area; "change": a new PIN, then back
        self.pin = game.gate.pin
        self.lock = game.gate.lock
        self.step = "enter" if self.pin.is_set and purpose == "open" else "choose"
        self.digits = ""
        self.first_choice: str | None = None  # the new PIN typed once, waiting to be typed again
        self.message = ""
        self.touched_at = 0.0
        w, _h = game.size
        self.pad = NumberPad(pygame.Rect(w // 2 - 190, 330, 380, 370), ok_label=self.t("gate.ok"))
        self.back = ButtonGroup([Button(pygame.Rect(30, 24, 200, 64), "back", self.t("gate.back"),
                                        colour=game.theme["ink_soft"])], focus=-1)

    @property
    def screenshot_key(self) -> str:
        return "gate-locked" if self.locked_for() > 0 else "gate"

    def enter(self, now: float) -> None:
        super().enter(now)
        self.touched_at = now
        self.game.speech.silence()

    def locked_for(self) -> float:
        return self.lock.locked_for(self.game.now) if self.step == "enter" else 0.0

    # ------------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN, pygame.KEYDOWN):
            self.touched_at = self.game.now
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.game.pop()
            return
        if self.back.handle(event, self.game.canvas_pos) is not None:
            self.game.pop()
            return
        self.pad.enabled = self.locked_for() <= 0
        key = self.pad.handle(event, self.game.canvas_pos)
        if key is None:
            return
        if key == BACKSPACE:
            self.digits = self.digits[:-1]
        elif key == ENTER:
            self._typed(self.digits)
            self.digits = ""
        elif len(self.digits) < MAX_DIGITS:
            self.digits += key
            self.message = ""

    def _typed(self, pin: str) -> None:
        if self.step == "enter":
            if self.pin.matches(pin):
                self.lock.right_pin()
                self.game.replace("teacher")  # the teacher area takes the gate's place
                return
            locked = self.lock.wrong_pin(self.game.now)
            self.message = "" if locked else self.t("gate.wrong", n=self.lock.tries_left())
            return
        if not valid_pin(pin):
            self.message = self.t("gate.pin_rule")
        elif self.first_choice is None:
            self.first_choice, self.message = pin, ""
        elif pin != self.first_choice:
            self.first_choice, self.message = None, self.t("gate.not_same")
        else:
            self.pin.choose(pin)
            self.lock.right_pin()
            if self.purpose == "change":
                self.game.pop()
            else:
                self.game.replace("teacher")

    def update(self, now: float, dt: float) -> None:
        if now - self.touched_at > self.GIVE_UP_S:
            self.game.pop()

    # -------------------------------------------------------------------------- draw
    def _title(self) -> str:
        if self.step == "enter":
            return self.t("gate.title")
        return self.t("gate.choose_again") if self.first_choice is not None else self.t("gate.choose")

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        canvas.fill(theme["panel"])
        blit_centered(canvas, res.fitted(self._title(), "medium", w - 520, theme["ink"], bold=True), (w / 2, 60))
        locked = self.locked_for()
        self.pad.enabled = locked <= 0
        if locked > 0:
            text = self.t("gate.locked", s=math.ceil(locked))
            for i, line in enumerate(res.wrapped(text, "small", w - 200, theme["accent_dark"], bold=True)):
                blit_centered(canvas, line, (w / 2, 140 + i * 40))
            for i, line in enumerate(res.wrapped(self.t("gate.forgot"), "tiny", w - 200, theme["ink_soft"])):
                blit_centered(canvas, line, (w / 2, 240 + i * 30))
        else:
            sub = self.message or (self.t("gate.pin_rule") if self.step == "choose" else "")
            colour = theme["accent_dark"] if self.message else theme["ink_soft"]
            for i, line in enumerate(res.wrapped(sub, "small", w - 200, colour)):
                blit_centered(canvas, line, (w / 2, 140 + i * 40))
            self._draw_dots(canvas, (w / 2, 260))
        self.pad.draw(canvas, res)
        self.back.draw(canvas, res, now)

    def _draw_dots(self, canvas: pygame.Surface, center: tuple[float, float]) -> None:
        """One circle a digit, filled as it is typed (never the digits themselves)."""
        theme = self.game.theme
        slots = max(PIN_LENGTHS[0], len(self.digits))
        gap = 56
        x0 = center[0] - gap * (slots - 1) / 2
        for i in range(slots):
            pos = (int(x0 + i * gap), int(center[1]))
            if i < len(self.digits):
                pygame.draw.circle(canvas, theme["ink"], pos, 16)
            else:
                pygame.draw.circle(canvas, theme["ink_soft"], pos, 16, 3)
