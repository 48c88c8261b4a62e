"""The gauge: how close the child's face is to the level's mark, and the hold star."""

from __future__ import annotations

import math

import pygame

from game.play.widgets.shapes import draw_star, star_points
from game.play.widgets.text import Resources, lerp_colour


def draw_gauge(surface: pygame.Surface, res: Resources, rect: pygame.Rect, p: float, threshold: float,
               emotion: str, hold_progress: float, now: float) -> None:
    """How close the child's face is: a rounded bar filling toward the emotion colour, a mark
    at the threshold (none when the threshold is the bar's end: then the goal star is the mark),
    and a star at the end that fills while the face is held."""
    theme = res.theme
    radius = rect.height // 2
    pygame.draw.rect(surface, theme["gauge_back"], rect, border_radius=radius)
    fill_w = int(rect.width * max(0.0, min(1.0, p)))
    reached = p >= threshold
    if fill_w > 0:
        # the emotion's own colour, brighter as the face nears the mark; green once it is there
        near = min(1.0, p / max(threshold, 1e-3))
        colour = theme["good"] if reached else lerp_colour(theme["gauge_back"], theme.emotion(emotion), 0.55 + 0.45 * near)
        fill = pygame.Rect(rect.x, rect.y, max(fill_w, rect.height), rect.height)
        clip = surface.get_clip()
        surface.set_clip(pygame.Rect(rect.x, rect.y, fill_w, rect.height).clip(clip))
        pygame.draw.rect(surface, colour, fill, border_radius=radius)
        surface.set_clip(clip)
    pygame.draw.rect(surface, theme["ink"], rect, 4, border_radius=radius)
    if threshold < 1.0:
        mark_x = rect.x + int(rect.width * threshold)
        pygame.draw.line(surface, theme["gauge_mark"], (mark_x, rect.y - 10), (mark_x, rect.bottom + 10), 6)
        pygame.draw.polygon(surface, theme["gauge_mark"],
                            [(mark_x - 12, rect.y - 20), (mark_x + 12, rect.y - 20), (mark_x, rect.y - 6)])
    # the goal star at the right end fills with the hold
    center = (rect.right + rect.height * 1.05, rect.centery)
    star_r = rect.height * 0.9
    pulse = 1.0 + (0.08 * math.sin(now * 10) if 0 < hold_progress < 1 else 0)
    if reached:   # at the mark: the goal star lights up, and fills while the face is held
        pygame.draw.circle(surface, theme["good_light"], center, star_r * 1.12)
    draw_star(surface, center, star_r * pulse, theme["star_empty"], theme["ink"])
    if hold_progress > 0:
        draw_star(surface, center, star_r * pulse * max(0.25, hold_progress), theme["star"])
        pygame.draw.polygon(surface, theme["ink"], star_points(center, star_r * pulse), 4)
