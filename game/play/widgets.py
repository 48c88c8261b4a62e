"""Drawing helpers for the scenes: cached text and pictures, buttons, stars, faces, the gauge,
the mirrored camera view and confetti. Everything that costs time is cached, so a frame is
mostly blits.
"""

from __future__ import annotations

import math
import random
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pygame

from game.play.ui_text import Colour, Theme

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"

#: Font sizes on the logical canvas.
SIZES = {"title": 76, "big": 58, "medium": 42, "small": 32, "tiny": 24}


def find_font_files(assets_dir: Path = ASSETS_DIR) -> tuple[Path | None, Path | None]:
    """(regular, bold) Andika: from assets/fonts, else the system's, else None (pygame default)."""
    fonts = sorted((assets_dir / "fonts").glob("*.ttf")) if (assets_dir / "fonts").is_dir() else []
    andika = [p for p in fonts if "andika" in p.name.lower()] or fonts
    regular = next((p for p in andika if "bold" not in p.name.lower() and "italic" not in p.name.lower()), None)
    bold = next((p for p in andika if "bold" in p.name.lower() and "italic" not in p.name.lower()), None)
    if regular is None:
        found = pygame.font.match_font("andika")
        regular = Path(found) if found else None
    if bold is None:
        found = pygame.font.match_font("andika", bold=True)
        bold = Path(found) if found and "bold" in found.lower() else regular
    return regular, bold


class Resources:
    """Fonts, rendered text and scaled pictures, each made once and reused."""

    def __init__(self, theme: Theme, assets_dir: Path = ASSETS_DIR, text_cache_size: int = 600):
        self.theme = theme
        self.assets_dir = assets_dir
        self.font_files = find_font_files(assets_dir)
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._text: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._text_cache_size = text_cache_size
        self._wrapped: OrderedDict[tuple, list[str]] = OrderedDict()
        self._images: dict[tuple, pygame.Surface | None] = {}
        self._shapes: dict[tuple, pygame.Surface] = {}

    def font(self, size: int | str, bold: bool = False) -> pygame.font.Font:
        px = SIZES[size] if isinstance(size, str) else int(size)
        key = (px, bold)
        if key not in self._fonts:
            path = self.font_files[1 if bold else 0]
            self._fonts[key] = pygame.font.Font(str(path) if path else None, px)
        return self._fonts[key]

    def text(self, text: str, size: int | str = "medium", colour: Colour | None = None,
             bold: bool = False) -> pygame.Surface:
        colour = colour or self.theme["ink"]
        key = (text, size, colour, bold)
        surface = self._text.get(key)
        if surface is None:
            surface = self.font(size, bold).render(text, True, colour)
            self._text[key] = surface
            if len(self._text) > self._text_cache_size:
                self._text.popitem(last=False)
        else:
            self._text.move_to_end(key)
        return surface

    def wrapped(self, text: str, size: int | str, width: int, colour: Colour | None = None,
                bold: bool = False, max_lines: int | None = None) -> list[pygame.Surface]:
        """Lines of text no wider than `width`: between words where they fit, inside a word
        (a file path, a database message) where it alone is too wide. With `max_lines`, the
        last line kept ends in "…" when text was left out."""
        key = (text, size, width, bold, max_lines)
        lines = self._wrapped.get(key)
        if lines is None:
            font = self.font(size, bold)
            lines = wrap_text(text, width, lambda part: font.size(part)[0], max_lines=max_lines)
            self._wrapped[key] = lines
            if len(self._wrapped) > self._text_cache_size:
                self._wrapped.popitem(last=False)
        else:
            self._wrapped.move_to_end(key)
        return [self.text(part, size, colour, bold) for part in lines]

    def fitted(self, text: str, size: int | str, width: int, colour: Colour | None = None,
               bold: bool = False) -> pygame.Surface:
        """One line no wider than `width`: the start of `text` gives way to "…" (the end of a
        file path or camera name is the part that tells them apart)."""
        font = self.font(size, bold)
        if font.size(text)[0] > width:
            while text and font.size(ELLIPSIS + text)[0] > width:
                text = text[1:]
            text = ELLIPSIS + text
        return self.text(text, size, colour, bold)

    def image(self, path: Path | str | None, size: tuple[int, int], keep_aspect: bool = True) -> pygame.Surface | None:
        """A picture scaled to fit `size`, or None if it cannot be read (the caller draws a stand-in)."""
        if path is None:
            return None
        key = (str(path), size, keep_aspect)
        if key not in self._images:
            try:
                raw = pygame.image.load(str(path))
                raw = raw.convert_alpha() if pygame.display.get_surface() else raw
                if keep_aspect:
                    scale = min(size[0] / raw.get_width(), size[1] / raw.get_height())
                    target = (max(1, int(raw.get_width() * scale)), max(1, int(raw.get_height() * scale)))
                else:
                    target = size
                self._images[key] = pygame.transform.smoothscale(raw, target)
            except (pygame.error, FileNotFoundError, OSError):
                self._images[key] = None
        return self._images[key]

    def shape(self, key: tuple, size: tuple[int, int], draw: Callable[[pygame.Surface], None]) -> pygame.Surface:
        """A drawn shape (face, star, lock) rendered once onto a transparent surface."""
        full_key = (key, size)
        surface = self._shapes.get(full_key)
        if surface is None:
            surface = pygame.Surface(size, pygame.SRCALPHA)
            draw(surface)
            self._shapes[full_key] = surface
        return surface


#: Where a word too wide for its line is best broken: after these (path and name separators).
WORD_BREAKS = "/\\_-.:,;=&?"
ELLIPSIS = "…"


def _word_parts(word: str) -> list[str]:
    """A word cut after each separator: "/srv/a_b" -> ["/", "srv/", "a_", "b"]."""
    parts, part = [], ""
    for char in word:
        part += char
        if char in WORD_BREAKS:
            parts.append(part)
            part = ""
    if part:
        parts.append(part)
    return parts


def wrap_text(text: str, width: int, measure: Callable[[str], int], max_lines: int | None = None) -> list[str]:
    """Split `text` into lines whose `measure` (width in pixels) is at most `width`.

    Words stay whole where they fit on a line. A word wider than a line (a file path, a
    database message) is broken after its separators (/ _ - . ...), and a run still too wide
    between characters, filling each line. Only a single character wider than `width` can
    make a line too wide.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        whole = measure(word) <= width
        for index, part in enumerate([word] if whole else _word_parts(word)):
            joined = f"{line} {part}" if line and index == 0 else line + part
            if measure(joined) <= width:
                line = joined
                continue
            if line and measure(part) <= width:
                lines.append(line)
                line = part
                continue
            # too wide even on a line of its own: fill this line, then the next ones
            if line and index == 0:
                line += " "
            for char in part:
                if line.strip() and measure(line + char) > width:
                    lines.append(line.rstrip())
                    line = ""
                line += char
    if line:
        lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max(0, max_lines)]
        if lines:
            last = lines[-1]
            while last and measure(last + ELLIPSIS) > width:
                last = last[:-1]
            lines[-1] = last + ELLIPSIS
    return lines


def blit_centered(target: pygame.Surface, surface: pygame.Surface, center: tuple[float, float]) -> pygame.Rect:
    rect = surface.get_rect(center=(int(center[0]), int(center[1])))
    target.blit(surface, rect)
    return rect


def lerp_colour(a: Colour, b: Colour, t: float) -> Colour:
    t = max(0.0, min(1.0, t))
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))  # type: ignore[return-value]


# ---------------------------------------------------------------------------------- shapes
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


# --------------------------------------------------------------------------------- buttons
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
            elif event.key in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER):
                button = self.buttons[self.focus % len(self.buttons)]
                return button if button.enabled else None
        return None

    def draw(self, surface: pygame.Surface, res: Resources, now: float) -> None:
        theme = res.theme
        for index, button in enumerate(self.buttons):
            focused = index == self.focus % max(1, len(self.buttons))
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


# ----------------------------------------------------------------------------- the gauge
def draw_gauge(surface: pygame.Surface, res: Resources, rect: pygame.Rect, p: float, threshold: float,
               emotion: str, hold_progress: float, now: float) -> None:
    """How close the child's face is: a rounded bar filling toward the emotion colour, a mark
    at the threshold, and a star at the end that fills while the face is held."""
    theme = res.theme
    radius = rect.height // 2
    pygame.draw.rect(surface, theme["gauge_back"], rect, border_radius=radius)
    fill_w = int(rect.width * max(0.0, min(1.0, p)))
    if fill_w > rect.height // 2:
        colour = lerp_colour(theme["ink_soft"], theme.emotion(emotion), min(1.0, p / max(threshold, 1e-3)))
        if p >= threshold:
            colour = theme["good"]
        pygame.draw.rect(surface, colour, pygame.Rect(rect.x, rect.y, fill_w, rect.height), border_radius=radius)
    pygame.draw.rect(surface, theme["ink"], rect, 4, border_radius=radius)
    mark_x = rect.x + int(rect.width * threshold)
    pygame.draw.line(surface, theme["gauge_mark"], (mark_x, rect.y - 10), (mark_x, rect.bottom + 10), 6)
    pygame.draw.polygon(surface, theme["gauge_mark"], [(mark_x - 12, rect.y - 20), (mark_x + 12, rect.y - 20), (mark_x, rect.y - 6)])
    # the goal star at the right end fills with the hold
    center = (rect.right + rect.height * 1.05, rect.centery)
    star_r = rect.height * 0.9
    pulse = 1.0 + (0.08 * math.sin(now * 10) if 0 < hold_progress < 1 else 0)
    draw_star(surface, center, star_r * pulse, theme["star_empty"], theme["ink"])
    if hold_progress > 0:
        draw_star(surface, center, star_r * pulse * max(0.25, hold_progress), theme["star"])
        pygame.draw.polygon(surface, theme["ink"], star_points(center, star_r * pulse), 4)


# ---------------------------------------------------------------------------- camera view
class CameraView:
    """The child's mirrored camera picture, scaled once per new frame, with a face frame."""

    def __init__(self, rect: pygame.Rect):
        self.rect = rect
        self._surface: pygame.Surface | None = None
        self._key: tuple | None = None
        self._scale = 1.0
        self._offset = (0, 0)
        self._frame_size = (0, 0)

    def update(self, preview: np.ndarray | None, frame_size: tuple[int, int], key: tuple) -> None:
        if preview is None or key == self._key:
            return
        self._key = key
        height, width = preview.shape[:2]
        rgb = preview if preview.flags.c_contiguous and preview.shape[2] == 3 else np.ascontiguousarray(preview[:, :, :3])
        raw = pygame.image.frombuffer(rgb, (width, height), "RGB")
        scale = max(self.rect.width / width, self.rect.height / height)   # fill the view, crop edges
        size = (int(width * scale) + 1, int(height * scale) + 1)
        # the child sees a mirror, as in any mirror: their right hand on the right
        self._surface = pygame.transform.flip(pygame.transform.scale(raw, size), True, False)
        self._offset = ((self.rect.width - size[0]) // 2, (self.rect.height - size[1]) // 2)
        self._frame_size = frame_size
        self._scale = size[0] / max(1, frame_size[0])

    def face_rect(self, face_box: tuple[int, int, int, int] | None) -> pygame.Rect | None:
        """The face box mirrored and mapped into the view (frame pixels -> canvas)."""
        if face_box is None or self._frame_size[0] <= 0:
            return None
        x, y, w, h = face_box
        mirrored_x = self._frame_size[0] - (x + w)
        return pygame.Rect(self.rect.x + self._offset[0] + int(mirrored_x * self._scale),
                           self.rect.y + self._offset[1] + int(y * self._scale),
                           int(w * self._scale), int(h * self._scale))

    def draw(self, surface: pygame.Surface, res: Resources, face_box, frame_colour: Colour, now: float,
             has_picture: bool = True) -> None:
        theme = res.theme
        border = self.rect.inflate(24, 24)
        pygame.draw.rect(surface, theme["panel_edge"], border, border_radius=34)
        pygame.draw.rect(surface, theme["camera_back"], self.rect, border_radius=26)
        if self._surface is not None and has_picture:
            clip = surface.get_clip()
            surface.set_clip(self.rect)
            surface.blit(self._surface, (self.rect.x + self._offset[0], self.rect.y + self._offset[1]))
            surface.set_clip(clip)
            face = self.face_rect(face_box)
            if face is not None:
                face = face.inflate(face.width * 0.25, face.height * 0.3).clip(self.rect)
                pygame.draw.rect(surface, frame_colour, face, 9, border_radius=max(12, face.width // 5))
                for corner in (face.topleft, face.topright):
                    draw_star(surface, corner, 20 + 3 * math.sin(now * 4), theme["star"], theme["ink"])
        # round the corners of the picture with the frame colour
        pygame.draw.rect(surface, theme["panel_edge"], border, 14, border_radius=34)


# -------------------------------------------------------------------------------- confetti
@dataclass
class Confetti:
    """A burst of paper pieces falling with a little wobble; deterministic per seed."""

    size: tuple[int, int]
    colours: tuple[Colour, ...]
    seed: int = 0
    count: int = 140
    pieces: list[list[float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        w, h = self.size
        for _ in range(self.count):
            self.pieces.append([rng.uniform(0, w), rng.uniform(-h, -10), rng.uniform(-60, 60),
                                rng.uniform(140, 320), rng.uniform(0, math.tau), rng.randrange(len(self.colours)),
                                rng.uniform(8, 16)])

    def update(self, dt: float) -> None:
        w, h = self.size
        for piece in self.pieces:
            piece[0] += piece[2] * dt
            piece[1] += piece[3] * dt
            piece[4] += dt * 5
            if piece[1] > h + 20:
                piece[1] -= h + 60
            piece[0] %= w

    def draw(self, surface: pygame.Surface) -> None:
        for x, y, _vx, _vy, angle, colour, size in self.pieces:
            wobble = abs(math.cos(angle))
            rect = pygame.Rect(0, 0, max(3, size * wobble), size * 0.6)
            rect.center = (int(x), int(y))
            pygame.draw.rect(surface, self.colours[int(colour)], rect)
