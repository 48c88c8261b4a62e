"""Text and pictures for the scenes: fonts, rendered text and scaled pictures, each made once
and reused (a frame is mostly blits), and wrapping that keeps long words inside their box."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Callable

import pygame

from game.play.ui_text import Colour, Theme

#: Font sizes on the logical canvas.
SIZES = {"title": 76, "big": 58, "medium": 42, "small": 32, "tiny": 24}


def find_font_files(assets_dir: Path) -> tuple[Path | None, Path | None]:
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

    def __init__(self, theme: Theme, assets_dir: Path, text_cache_size: int = 600):
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
