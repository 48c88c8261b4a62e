"""'Which one is you?': the children's pictures, ten to a page; a tap starts their session.

The list is read again whenever the screen comes back on top (a teacher may just have added
children in the teacher area), and the house in the corner goes back to the welcome screen, so
a first run with no children is never a dead end."""

from __future__ import annotations

import math

import pygame

from game.play.scenes.base import Scene
from game.play.services import Services
from game.play.widgets import Button, ButtonGroup, blit_centered, draw_person, draw_waiting


class ChooseChildScene(Scene):
    name = "choose"
    PER_PAGE = 10
    PER_ROW = 5

    def __init__(self, game: Services):
        super().__init__(game)
        self.page = 0
        self.children = []
        self.loading = False      # the children are being read (off the UI thread)
        self.on_top = False
        self.buttons = ButtonGroup()

    @property
    def screenshot_key(self) -> str:
        if self.loading:
            return "choose-loading"
        return "choose" if self.children else "choose-empty"

    def enter(self, now: float) -> None:
        super().enter(now)
        self.on_top = True
        self.loading = True
        self.game.store.load_children(self._loaded, self.game.notes)

    def pause(self, now: float) -> None:
        super().pause(now)
        self.on_top = False

    def resume(self, now: float) -> None:
        super().resume(now)
        self.on_top = True
        self.loading = True       # the teacher area may have added (or renamed) children
        self.game.store.load_children(self._loaded, self.game.notes)

    def leave(self, now: float) -> None:
        self.on_top = False

    def _loaded(self, children: list) -> None:
        self.loading = False
        self.children = children
        if self.on_top:
            self.game.audio.say(self.t("choose.spoken") if self.children else self.t("choose.empty"))
        self._layout()

    def _pages(self) -> int:
        return max(1, math.ceil(len(self.children) / self.PER_PAGE))

    #: A child's picture (radius), where the rows are, and the name under each picture; the
    #: second row's names stay above the caption box.
    RADIUS = 78
    ROWS_Y = (228, 440)
    NAME_DY = 108

    def _layout(self) -> None:
        w, _h = self.game.size
        self.page = min(self.page, self._pages() - 1)
        shown = self.children[self.page * self.PER_PAGE:(self.page + 1) * self.PER_PAGE]
        buttons = []
        r = self.RADIUS
        for i, child in enumerate(shown):
            row, col = divmod(i, self.PER_ROW)
            n_in_row = min(self.PER_ROW, len(shown) - row * self.PER_ROW)
            x = w / 2 + (col - (n_in_row - 1) / 2) * 220
            y = self.ROWS_Y[row]
            buttons.append(Button(pygame.Rect(x - r, y - r, 2 * r, 2 * r), f"child:{child.id}", child.name))
        if self._pages() > 1:
            buttons.append(Button(pygame.Rect(w - 112, 284, 96, 96), "next-page", icon="arrow"))   # clear of the fifth picture
        buttons.append(Button(pygame.Rect(24, 14, 92, 92), "welcome", icon="home", colour=self.game.theme["panel"]))
        self.buttons = ButtonGroup(buttons, focus=min(self.buttons.focus, max(0, len(buttons) - 1)))

    def handle(self, event: pygame.event.Event) -> None:
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is None:
            return
        if chosen.action == "next-page":
            self.page = (self.page + 1) % self._pages()
            self._layout()
            return
        if chosen.action == "welcome":
            self.game.audio.sound("pop")
            self.game.replace("welcome")
            return
        child_id = int(chosen.action.split(":", 1)[1])
        child = next(c for c in self.children if c.id == child_id)
        self.game.audio.sound("pop")
        self.game.choose_child(child)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        self.header(canvas, self.t("choose.title"))
        home = next(i for i, b in enumerate(self.buttons.buttons) if b.action == "welcome") if self.buttons.buttons else -1
        if home >= 0:
            button = self.buttons.buttons[home]
            ButtonGroup([button], 0 if home == self.buttons.focus else -1).draw(canvas, res, now)
        if self.loading:
            draw_waiting(canvas, theme.confetti, (w / 2, 340), now)
            return
        if not self.children:
            person = res.shape(("person",), (200, 200), lambda s: draw_person(s, theme["ink_soft"]))
            blit_centered(canvas, person, (w / 2, 270))
            for i, line in enumerate(res.wrapped(self.t("choose.empty"), "medium", 900, theme["ink"], bold=True)[:2]):
                blit_centered(canvas, line, (w / 2, 420 + i * 52))
            # how to open the teacher area is not spelled out to children: the terminal, --help,
            # the README and the teacher area say it (issue 14 item 7)
            return
        for index, button in enumerate(self.buttons.buttons):
            focused = index == self.buttons.focus
            if button.action == "welcome":
                continue
            if button.action == "next-page":
                ButtonGroup([button], 0 if focused else -1).draw(canvas, res, now)
                continue
            child = next(c for c in self.children if f"child:{c.id}" == button.action)
            center = button.rect.center
            lift = -8 if focused else 0
            if focused:
                pygame.draw.circle(canvas, theme["star"], (center[0], center[1] + lift),
                                   self.RADIUS + 14 + 4 * math.sin(now * 5))
            self.draw_child(canvas, child, (center[0], center[1] + lift), self.RADIUS)
            size = "small" if res.font("small", bold=True).size(child.name)[0] <= 210 else "tiny"
            name = res.fitted(child.name, size, 210, theme["ink"], bold=True)
            blit_centered(canvas, name, (center[0], center[1] + self.NAME_DY))
