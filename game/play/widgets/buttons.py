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
    icon: str | None = None          # "arrow", "again", or None
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
            x = rect.centerx
            if button.icon:
                size = int(rect.height * 0.8)
                icon = res.shape(("icon", button.icon), (size, size),
                                 lambda s, name=button.icon: draw_arrow(s, (255, 255, 255), "right" if name == "arrow" else "again"))
                if button.label:
                    label = res.text(button.label, "small", (255, 255, 255), bold=True)
                    total = size + 10 + label.get_width()
                    surface.blit(icon, (x - total // 2, rect.centery - size // 2))
                    surface.blit(label, (x - total // 2 + size + 10, rect.centery - label.get_height() // 2))
                    continue
                blit_centered(surface, icon, rect.center)
            elif button.label:
                blit_centered(surface, res.text(button.label, "small", (255, 255, 255), bold=True), rect.center)
