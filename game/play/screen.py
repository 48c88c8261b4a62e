"""The window and the logical canvas: scenes draw on a canvas of the theme's layout size, and
the window shows it as large as it fits, centred, with bars where the shapes differ
(letterboxing), so a 1280x800 or a 1920x1080 kiosk shows all of it. Taps and clicks are
mapped back onto the canvas.
"""

from __future__ import annotations

import pygame

BARS = (0, 0, 0)


def fitted(logical: tuple[int, int], window: tuple[int, int]) -> pygame.Rect:
    """Where the canvas goes in a window: the largest same-shape rectangle, centred."""
    scale = min(window[0] / logical[0], window[1] / logical[1])
    size = (max(1, round(logical[0] * scale)), max(1, round(logical[1] * scale)))
    return pygame.Rect((window[0] - size[0]) // 2, (window[1] - size[1]) // 2, *size)


class Screen:
    """`canvas` is what scenes draw on. With a `window` the same size it is the window itself;
    otherwise `present()` scales it into the window. Without a window (tests) it is off-screen."""

    def __init__(self, size: tuple[int, int], window: pygame.Surface | None = None):
        self.size = (int(size[0]), int(size[1]))
        self.window = window
        direct = window is not None and window.get_size() == self.size
        self.canvas = window if direct else pygame.Surface(self.size)

    @property
    def area(self) -> pygame.Rect:
        """Where the canvas shows in the window (the whole canvas when there is no window)."""
        if self.window is None:
            return pygame.Rect((0, 0), self.size)
        return fitted(self.size, self.window.get_size())

    def resized(self) -> None:
        """The window changed size (a resizable window): draw straight into it only if it fits exactly."""
        self.window = pygame.display.get_surface() or self.window
        if self.window is not None and self.window.get_size() == self.size:
            self.canvas = self.window
        elif self.canvas is self.window:
            self.canvas = pygame.Surface(self.size)

    def present(self) -> None:
        """Put the canvas on the window (no work when the canvas is the window)."""
        if self.window is None or self.canvas is self.window:
            return
        area = self.area
        self.window.fill(BARS)
        pygame.transform.scale(self.canvas, area.size, self.window.subsurface(area))

    def to_canvas(self, window_pos: tuple[float, float]) -> tuple[int, int]:
        """A point in the window -> the same point on the canvas."""
        area = self.area
        x = (window_pos[0] - area.x) * self.size[0] / area.width
        y = (window_pos[1] - area.y) * self.size[1] / area.height
        return int(x), int(y)

    def event_pos(self, event: pygame.event.Event) -> tuple[int, int] | None:
        """Where a click or touch lands on the canvas (a finger is given as 0..1 of the window)."""
        if event.type in (pygame.FINGERDOWN, pygame.FINGERUP, pygame.FINGERMOTION):
            if self.window is None:
                return int(event.x * self.size[0]), int(event.y * self.size[1])
            w, h = self.window.get_size()
            return self.to_canvas((event.x * w, event.y * h))
        pos = getattr(event, "pos", None)
        if pos is None or self.window is None:
            return pos
        return self.to_canvas(pos)
