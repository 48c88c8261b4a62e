"""Big tappable buttons a child can also walk through with the arrow keys."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import pygame

from game.play.ui_text import Colour
from game.play.widgets.shapes import draw_arrow
from game.play.widgets.text import Resources, blit_centered, lerp_colour

CONFIRM_KEYS = (pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER)


def pressed(event: pygame.event.Event) -> bool:
    """A tap, a click, or Enter/Space: "go on" on a screen without buttons."""
    return (event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN)
            or (event.type == pygame.KEYDOWN and event.key in CONFIRM_KEYS))


@dataclass
class Button:
    """A big tappable area. `action` is what the scene does when it is chosen."""

    rect: pygame.Rect
    action: str
    label: str = ""
    colour: Colour | None = None
    icon: str | None = None          # "arrow", "again" (drawn), a picture in assets/icons ("home"), or None
    enabled: bool = True


@dataclass
class ButtonGroup:
    """Buttons a child can tap, or walk through with the arrow keys and press with Enter/Space."""

    buttons: list[Button] = field(default_factory=list)
    focus: int = 0

    def hit(self, pos: tuple[int, int]) -> Button | None:
        for button in self.buttons:
            if button.enabled and button.rect.collidepoint(pos):
                return button
        return None

    def handle(self, event: pygame.event.Event, canvas_pos: Callable[[pygame.event.Event], tuple[int, int] | None]) -> Button | None:
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
            pos = canvas_pos(event)
            hit = self.hit(pos) if pos else None
            if hit is not None:
                self.focus = self.buttons.index(hit)
            return hit
        if event.type == pygame.KEYDOWN and self.buttons:
            if event.key in (pygame.K_RIGHT, pygame.K_DOWN, pygame.K_TAB):
                self.focus = (self.focus + 1) % len(self.buttons)
            elif event.key in (pygame.K_LEFT, pygame.K_UP):
                self.focus = (self.focus - 1) % len(self.buttons)
            elif event.key in CONFIRM_KEYS:
                button = self.buttons[self.focus % len(self.buttons)]
                return button if button.enabled else None
        return None

    def draw(self, surface: pygame.Surface, res: Resources, now: float) -> None:
        theme = res.theme
        for index, button in enumerate(self.buttons):
            focused = self.focus >= 0 and index == self.focus % max(1, len(self.buttons))   # -1: none
            colour = button.colour or theme["accent"]
            if not button.enabled:
                colour = theme["lock"]
            rect = button.rect
            if focused:
                glow = rect.inflate(14 + 4 * math.sin(now * 5), 14 + 4 * math.sin(now * 5))
                pygame.draw.rect(surface, theme["star"], glow, border_radius=rect.height // 2 + 7)
            shadow = rect.move(0, 6)
            pygame.draw.rect(surface, lerp_colour(colour, (0, 0, 0), 0.25), shadow, border_radius=rect.height // 2)
            pygame.draw.rect(surface, colour, rect, border_radius=rect.height // 2)
            self._draw_face(surface, res, button)

    @staticmethod
    def _draw_face(surface: pygame.Surface, res: Resources, button: Button) -> None:
        """The icon and the label, side by side, inside the button (the label takes the
        biggest size that fits, then two lines)."""
        rect = button.rect
        icon = button_icon(res, button.icon, int(rect.height * 0.8)) if button.icon else None
        if not button.label:
            if icon is not None:
                blit_centered(surface, icon, rect.center)
            return
        room = rect.width - rect.height // 2 - (icon.get_width() + ICON_GAP if icon is not None else 0)
        lines = fit_label(res, button.label, room, int(rect.height * 0.9))
        text_w = max(line.get_width() for line in lines)
        total = text_w + (icon.get_width() + ICON_GAP if icon is not None else 0)
        x = rect.centerx - total // 2
        if icon is not None:
            surface.blit(icon, (x, rect.centery - icon.get_height() // 2))
            x += icon.get_width() + ICON_GAP
        step = lines[0].get_height() * 0.8 if len(lines) > 1 else 0
        for i, line in enumerate(lines):
            y = rect.centery + (i - (len(lines) - 1) / 2) * step
            surface.blit(line, (x + (text_w - line.get_width()) // 2, int(y - line.get_height() / 2)))


#: Icons drawn in code; any other icon name is a picture in assets/icons/<name>.png.
DRAWN_ICONS = ("arrow", "again")
ICON_GAP = 10
#: Label sizes tried in turn until one fits the button.
LABEL_SIZES = ("small", "tiny")


def button_icon(res: Resources, name: str, size: int) -> pygame.Surface | None:
    if name in DRAWN_ICONS:
        return res.shape(("icon", name), (size, size),
                         lambda s: draw_arrow(s, (255, 255, 255), "right" if name == "arrow" else "again"))
    return res.image(res.assets_dir / "icons" / f"{name}.png", (size, size))


def fit_label(res: Resources, label: str, width: int, height: int) -> list[pygame.Surface]:
    """The label in the biggest size that fits `width` on one line, else on two lines."""
    white = (255, 255, 255)
    for size in LABEL_SIZES:
        if res.font(size, bold=True).size(label)[0] <= width:
            return [res.text(label, size, white, bold=True)]
    for size in LABEL_SIZES:
        lines = res.wrapped(label, size, width, white, bold=True)
        if len(lines) <= 2 and res.font(size, bold=True).get_linesize() * 0.8 * len(lines) <= height:
            return lines
    return res.wrapped(label, LABEL_SIZES[-1], width, white, bold=True, max_lines=2)
