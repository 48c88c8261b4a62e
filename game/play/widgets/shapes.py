"""Shapes drawn in code: stars, the cartoon faces (and a round's picture, with its drawn face
standing in), a lock, arrows, a person, eyes, waiting dots."""

from __future__ import annotations

import math

import pygame

from game.levels import Round
from game.play.ui_text import Colour, Theme
from game.play.widgets.text import Resources

def star_points(center: tuple[float, float], outer: float, inner: float | None = None) -> list[tuple[float, float]]:
    inner = outer * 0.48 if inner is None else inner
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((center[0] + radius * math.cos(angle), center[1] + radius * math.sin(angle)))
    return points


def draw_star(surface: pygame.Surface, center: tuple[float, float], radius: float, colour: Colour,
              edge: Colour | None = None) -> None:
    points = star_points(center, radius)
    pygame.draw.polygon(surface, colour, points)
    if edge:
        pygame.draw.polygon(surface, edge, points, max(2, int(radius / 10)))


def draw_face(surface: pygame.Surface, emotion: str, colour: Colour, ink: Colour) -> None:
    """A friendly cartoon face filling `surface`: happy, sad, fear, or calm (anything else)."""
    w, h = surface.get_size()
    r = min(w, h) / 2 - 3
    cx, cy = w / 2, h / 2
    pygame.draw.circle(surface, colour, (cx, cy), r)
    pygame.draw.circle(surface, ink, (cx, cy), r, max(3, int(r / 14)))
    eye_dx, eye_y = r * 0.36, cy - r * 0.18
    line = max(3, int(r / 12))
    if emotion == "fear":
        for side in (-1, 1):
            pygame.draw.circle(surface, (255, 255, 255), (cx + side * eye_dx, eye_y), r * 0.17)
            pygame.draw.circle(surface, ink, (cx + side * eye_dx, eye_y), r * 0.17, max(2, line // 2))
            pygame.draw.circle(surface, ink, (cx + side * eye_dx, eye_y), r * 0.08)
            pygame.draw.line(surface, ink, (cx + side * eye_dx - r * 0.17, eye_y - r * 0.28 - side * r * 0.06),
                             (cx + side * eye_dx + r * 0.17, eye_y - r * 0.28 + side * r * 0.06), line)
        mouth = pygame.Rect(0, 0, r * 0.42, r * 0.5)
        mouth.center = (cx, cy + r * 0.45)
        pygame.draw.ellipse(surface, ink, mouth)
        return
    for side in (-1, 1):
        pygame.draw.circle(surface, ink, (cx + side * eye_dx, eye_y), r * 0.1)
    mouth = pygame.Rect(0, 0, r * 1.0, r * 0.7)
    if emotion == "happy":
        # an open smile: the lower half of an ellipse, with a tongue
        mouth = pygame.Rect(0, 0, r * 0.9, r * 0.72)
        mouth.center = (cx, cy + r * 0.2)
        smile = pygame.Surface(mouth.size, pygame.SRCALPHA)
        pygame.draw.ellipse(smile, ink, smile.get_rect())
        tongue = pygame.Rect(0, 0, mouth.width * 0.5, mouth.height * 0.45)
        tongue.midbottom = (mouth.width / 2, mouth.height - mouth.height * 0.06)
        pygame.draw.ellipse(smile, (240, 110, 120), tongue)
        half = mouth.height // 2
        surface.blit(smile, (mouth.x, mouth.y + half), area=pygame.Rect(0, half, mouth.width, mouth.height - half))
        for side in (-1, 1):
            pygame.draw.circle(surface, (255, 150, 140), (cx + side * r * 0.6, cy + r * 0.16), r * 0.12)
    elif emotion == "sad":
        mouth.center = (cx, cy + r * 0.72)
        _thick_arc(surface, ink, mouth, math.pi * 0.15, math.pi * 0.85, line + 2)
        for side in (-1, 1):   # worried brows: inner ends raised
            pygame.draw.line(surface, ink, (cx + side * eye_dx - r * 0.15, eye_y - r * 0.2 - side * r * 0.08),
                             (cx + side * eye_dx + r * 0.15, eye_y - r * 0.2 + side * r * 0.08), line)
        tear = [(cx + eye_dx, eye_y + r * 0.14), (cx + eye_dx - r * 0.08, eye_y + r * 0.32),
                (cx + eye_dx + r * 0.08, eye_y + r * 0.32)]
        pygame.draw.polygon(surface, (76, 201, 240), tear)
        pygame.draw.circle(surface, (76, 201, 240), (cx + eye_dx, eye_y + r * 0.33), r * 0.08)
    else:
        pygame.draw.line(surface, ink, (cx - r * 0.3, cy + r * 0.42), (cx + r * 0.3, cy + r * 0.42), line + 1)


def round_picture(res: Resources, theme: Theme, round_: Round, size: tuple[int, int]) -> pygame.Surface:
    """The round's picture scaled to `size`; the emotion's cartoon face when the picture cannot
    be shown, so a missing or broken file never leaves the child without a face to copy."""
    picture = res.image(round_.picture, size)
    if picture is None:
        emotion = round_.emotion
        picture = res.shape(("face", emotion), size, lambda s: draw_face(s, emotion, theme.emotion(emotion), theme["ink"]))
    return picture


def _thick_arc(surface: pygame.Surface, colour: Colour, rect: pygame.Rect, start: float, stop: float,
               width: int) -> None:
    """A smooth thick arc (pygame's own thick arcs leave gaps): round dots along the curve."""
    steps = max(12, int((stop - start) * max(rect.width, rect.height) / max(2, width / 2)))
    for i in range(steps + 1):
        angle = start + (stop - start) * i / steps
        x = rect.centerx + math.cos(angle) * rect.width / 2
        y = rect.centery - math.sin(angle) * rect.height / 2
        pygame.draw.circle(surface, colour, (x, y), width / 2)


def draw_lock(surface: pygame.Surface, colour: Colour) -> None:
    w, h = surface.get_size()
    body = pygame.Rect(w * 0.2, h * 0.45, w * 0.6, h * 0.45)
    pygame.draw.rect(surface, colour, body, border_radius=int(w * 0.08))
    shackle = pygame.Rect(w * 0.3, h * 0.12, w * 0.4, h * 0.6)
    pygame.draw.arc(surface, colour, shackle, 0, math.pi, max(4, int(w * 0.1)))
    pygame.draw.circle(surface, (255, 255, 255), (w * 0.5, h * 0.65), w * 0.07)


def draw_arrow(surface: pygame.Surface, colour: Colour, direction: str = "right") -> None:
    w, h = surface.get_size()
    if direction == "right":
        points = [(w * 0.2, h * 0.38), (w * 0.55, h * 0.38), (w * 0.55, h * 0.2), (w * 0.85, h * 0.5),
                  (w * 0.55, h * 0.8), (w * 0.55, h * 0.62), (w * 0.2, h * 0.62)]
    else:  # "again": a round arrow
        rect = pygame.Rect(w * 0.18, h * 0.18, w * 0.64, h * 0.64)
        pygame.draw.arc(surface, colour, rect, math.pi * 0.35, math.pi * 2.0, max(5, int(w * 0.12)))
        tip = (w * 0.66, h * 0.2)
        points = [(tip[0] - w * 0.2, tip[1] - h * 0.08), (tip[0] + w * 0.1, tip[1] - h * 0.02), (tip[0] - w * 0.1, tip[1] + h * 0.2)]
    pygame.draw.polygon(surface, colour, points)


def draw_person(surface: pygame.Surface, colour: Colour) -> None:
    """A simple head-and-shoulders silhouette (the 'nobody here' and avatar stand-in)."""
    w, h = surface.get_size()
    pygame.draw.circle(surface, colour, (w / 2, h * 0.36), min(w, h) * 0.2)
    body = pygame.Rect(w * 0.2, h * 0.6, w * 0.6, h * 0.5)
    pygame.draw.ellipse(surface, colour, body)


def draw_eyes(surface: pygame.Surface, white: Colour, pupil: Colour) -> None:
    """Two big eyes glancing sideways (the "look at me!" notice)."""
    w, h = surface.get_size()
    for side in (-1, 1):
        center = (w / 2 + side * w * 0.22, h / 2)
        pygame.draw.ellipse(surface, white, pygame.Rect(center[0] - w * 0.18, center[1] - h * 0.24, w * 0.36, h * 0.48))
        pygame.draw.circle(surface, pupil, (center[0] + w * 0.08, center[1]), w * 0.08)


def draw_waiting(canvas: pygame.Surface, colours: tuple[Colour, ...], center: tuple[float, float], now: float) -> None:
    """Three dots taking turns to bounce: the game is busy, not stuck."""
    for i in range(3):
        lift = max(0.0, math.sin(now * 6 - i * 0.9)) * 26
        pygame.draw.circle(canvas, colours[i % len(colours)], (center[0] + (i - 1) * 70, center[1] - lift), 22)


def draw_round_dots(surface: pygame.Surface, theme, total: int, current: int, matched, y: int = 44) -> None:
    """One dot a round across the top: green once matched, the current one bigger."""
    for i in range(total):
        x = surface.get_width() / 2 + (i - (total - 1) / 2) * 40
        colour = theme["good"] if i in matched else (theme["accent"] if i == current else theme["star_empty"])
        pygame.draw.circle(surface, colour, (x, y), 14 if i == current else 11)
