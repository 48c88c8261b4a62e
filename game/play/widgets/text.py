"""Text and pictures for the scenes: fonts, rendered text and scaled pictures, each made once
and reused (a frame is mostly blits), and wrapping that keeps long words inside their box.

Every cache is bounded (least recently used goes first), so a kiosk that runs for days holds
no more than a screenful of each. A picture is decoded once, shrunk at once to at most the
canvas (nothing is ever shown larger), and scaled once per size it is shown at; one too big
to decode safely (its size is read from the file's header first) is not decoded at all: the
caller draws its stand-in and `problems` names the file.
"""

from __future__ import annotations

import collections
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import pygame

from game.levels.assets import MAX_PICTURE_PIXELS, MAX_PICTURE_SIDE, picture_size
from game.play.ui_text import Colour, Theme

#: Font sizes on the logical canvas.
SIZES = {"title": 76, "big": 58, "medium": 42, "small": 32, "tiny": 24}
#: Decoded pictures kept (each at most canvas-sized, about 3.5 MB at 1280 x 720): a level's
#: pictures and the avatars on the screen.
PICTURE_CACHE_SIZE = 8
#: Pictures at the sizes they are shown at, and drawn shapes (faces, stars, avatars, veils).
SCALED_CACHE_SIZE = 96
SHAPE_CACHE_SIZE = 160
#: Rendered text, by count and by pixel memory: a screenful of text is a few MB, so this keeps
#: many screens' worth, and text that changes (a child's name, a count) cannot pile up.
TEXT_CACHE_SIZE = 600
TEXT_CACHE_BYTES = 24 * 2**20
#: Pixel memory of the scaled pictures and of the shapes kept (each cache apart).
SCALED_CACHE_BYTES = 32 * 2**20
SHAPE_CACHE_BYTES = 24 * 2**20
#: A picture whose size its header does not tell (not a PNG or JPEG) is decoded only when its
#: file is at most this big.
MAX_UNKNOWN_PICTURE_BYTES = 8 * 1024 * 1024
#: Picture problems kept for the teacher area (the newest).
PROBLEMS_KEPT = 10


def surface_bytes(value: object) -> int:
    """The pixel memory a cached value holds (a surface, or nothing)."""
    return value.get_bytesize() * value.get_width() * value.get_height() if isinstance(value, pygame.Surface) else 0


class BoundedCache:
    """Least recently used goes first once there are more than `entries` values, or their
    `size_of` adds up to more than `max_bytes` (the newest is always kept)."""

    def __init__(self, entries: int, max_bytes: int | None = None, size_of: Callable[[object], int] = surface_bytes):
        self.entries, self.max_bytes, self.size_of = entries, max_bytes, size_of
        self._values: OrderedDict = OrderedDict()
        self._sizes: dict = {}
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._values)

    def recall(self, key) -> tuple[bool, object]:
        """(True, value), marked as recently used, or (False, None)."""
        if key not in self._values:
            return False, None
        self._values.move_to_end(key)
        return True, self._values[key]

    def remember(self, key, value):
        if key in self._values:
            self.bytes -= self._sizes.pop(key)
        self._values[key] = value
        self._values.move_to_end(key)
        self._sizes[key] = size = self.size_of(value) if self.max_bytes is not None else 0
        self.bytes += size
        while len(self._values) > 1 and (len(self._values) > self.entries
                                         or (self.max_bytes is not None and self.bytes > self.max_bytes)):
            oldest, _ = self._values.popitem(last=False)
            self.bytes -= self._sizes.pop(oldest)
        return value

    def newest(self, n: int) -> list:
        return list(self._values)[-n:]


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

    def __init__(self, theme: Theme, assets_dir: Path, text_cache_size: int = TEXT_CACHE_SIZE,
                 notes: list[str] | None = None):
        self.theme = theme
        self.assets_dir = assets_dir
        self.notes = notes                    # where a teacher sees problems (the teacher area), if given
        self.font_files = find_font_files(assets_dir)
        self._fonts: dict[tuple[int, bool], pygame.font.Font] = {}
        self._text = BoundedCache(text_cache_size, TEXT_CACHE_BYTES)
        self._wrapped = BoundedCache(text_cache_size)
        self._pictures = BoundedCache(PICTURE_CACHE_SIZE)          # each at most canvas-sized
        self._images = BoundedCache(SCALED_CACHE_SIZE, SCALED_CACHE_BYTES)
        self._shapes = BoundedCache(SHAPE_CACHE_SIZE, SHAPE_CACHE_BYTES)
        self._problems: collections.deque[str] = collections.deque(maxlen=PROBLEMS_KEPT)
        self._named: set[str] = set()         # pictures whose problem was told already
        #: False while a screenshot is drawn: the camera view shows a stand-in, not the child
        #: (children's faces never reach the disk unless a teacher asks for it).
        self.show_camera = True

    @property
    def problems(self) -> tuple[str, ...]:
        """Pictures that could not be shown and why, oldest first (the newest few)."""
        return tuple(self._problems)

    def cache_sizes(self) -> dict[str, int]:
        """How many entries each cache holds (the soak checks they stop growing)."""
        return {"fonts": len(self._fonts), "text": len(self._text), "wrapped": len(self._wrapped),
                "pictures": len(self._pictures), "images": len(self._images), "shapes": len(self._shapes),
                "text_kb": self._text.bytes // 1024, "images_kb": self._images.bytes // 1024,
                "shapes_kb": self._shapes.bytes // 1024}

    def newest_texts(self, n: int = 20) -> list[str]:
        """The texts rendered last (the soak shows them: text that keeps changing is a cache's load)."""
        return [key[0] for key in self._text.newest(n)]

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
        found, surface = self._text.recall(key)
        if not found:
            surface = self._text.remember(key, self.font(size, bold).render(text, True, colour))
        return surface

    def wrapped(self, text: str, size: int | str, width: int, colour: Colour | None = None,
                bold: bool = False, max_lines: int | None = None) -> list[pygame.Surface]:
        """Lines of text no wider than `width`: between words where they fit, inside a word
        (a file path, a database message) where it alone is too wide. With `max_lines`, the
        last line kept ends in "…" when text was left out."""
        key = (text, size, width, bold, max_lines)
        found, lines = self._wrapped.recall(key)
        if not found:
            font = self.font(size, bold)
            lines = self._wrapped.remember(key, wrap_text(text, width, lambda part: font.size(part)[0],
                                                          max_lines=max_lines))
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
        """A picture scaled to fit `size`, or None if it cannot be shown (the caller draws a stand-in)."""
        if path is None:
            return None
        key = (str(path), (int(size[0]), int(size[1])), keep_aspect)
        found, scaled = self._images.recall(key)
        if found:
            return scaled
        source = self.picture(path)
        if source is not None:
            if keep_aspect:
                scale = min(size[0] / source.get_width(), size[1] / source.get_height())
                target = (max(1, int(source.get_width() * scale)), max(1, int(source.get_height() * scale)))
            else:
                target = key[1]
            scaled = source if target == source.get_size() else pygame.transform.smoothscale(source, target)
        return self._images.remember(key, scaled)

    def picture(self, path: Path | str) -> pygame.Surface | None:
        """The picture at `path`, decoded once and no larger than the canvas; None when it
        cannot be read or is too big to decode (see `problems`)."""
        name = str(path)
        found, source = self._pictures.recall(name)
        if found:
            return source
        problem = picture_problem(Path(name))
        if problem is None:
            try:
                source = pygame.image.load(name)
                source = smooth_scalable(source)
                source = shrunk_to_fit(source, self.theme.size)
            except (pygame.error, OSError, ValueError, MemoryError) as exc:
                problem = f"picture {name} cannot be read ({exc})"
        if problem is not None:
            if name not in self._named:       # once a file, though it may be tried again after eviction
                self._named.add(name)
                self._problems.append(problem)
                if self.notes is not None:
                    self.notes.append(problem)
                print(f"emotion-game: {problem}", file=sys.stderr)
            source = None
        return self._pictures.remember(name, source)

    def shape(self, key: tuple, size: tuple[int, int], draw: Callable[[pygame.Surface], None]) -> pygame.Surface:
        """A drawn shape (face, star, lock) rendered once onto a transparent surface."""
        full_key = (key, size)
        found, surface = self._shapes.recall(full_key)
        if not found:
            surface = pygame.Surface(size, pygame.SRCALPHA)
            draw(surface)
            self._shapes.remember(full_key, surface)
        return surface


def picture_problem(path: Path) -> str | None:
    """Why the picture at `path` must not be decoded (too many pixels, by its header), or None.
    A school's file that slipped past `levels check`, or was changed after it, must not freeze
    the kiosk for seconds and take gigabytes (a 20000 x 20000 PNG decodes to 1.6 GB)."""
    size = picture_size(path)
    if size is not None:
        if max(size) > MAX_PICTURE_SIDE or size[0] * size[1] > MAX_PICTURE_PIXELS:
            return (f"picture {path} is {size[0]} x {size[1]} pixels, too big to show (at most "
                    f"{MAX_PICTURE_SIDE} x {MAX_PICTURE_SIDE}); save a smaller copy, about 1000 pixels a side")
        return None
    try:
        file_bytes = path.stat().st_size
    except OSError as exc:
        return f"picture {path} cannot be read ({exc.strerror or exc})"
    if file_bytes > MAX_UNKNOWN_PICTURE_BYTES:
        return (f"picture {path} is not a PNG or JPEG whose size can be read, and its file is "
                f"{file_bytes // 2**20} MB; save it as a PNG of about 1000 pixels a side")
    return None


def smooth_scalable(surface: pygame.Surface) -> pygame.Surface:
    """`surface` in a pixel format smoothscale takes (32-bit with alpha; a palette PNG is 8-bit),
    the display's own where there is a display (faster blits)."""
    if pygame.display.get_surface():
        return surface.convert_alpha()
    if surface.get_bitsize() in (24, 32):
        return surface
    converted = pygame.Surface(surface.get_size(), pygame.SRCALPHA, 32)
    converted.blit(surface, (0, 0))
    return converted


def shrunk_to_fit(surface: pygame.Surface, bounds: tuple[int, int]) -> pygame.Surface:
    """`surface` itself when it fits in `bounds`, else a copy scaled down (same shape) to fit."""
    width, height = surface.get_size()
    scale = min(bounds[0] / width, bounds[1] / height)
    if scale >= 1.0:
        return surface
    return pygame.transform.smoothscale(surface, (max(1, int(width * scale)), max(1, int(height * scale))))


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
