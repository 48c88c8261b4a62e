"""A small drawing surface for the asset makers: smooth shapes in picture coordinates.

Everything is drawn at SUPERSAMPLE times the final size and shrunk with a Lanczos filter at
the end, which gives clean antialiased edges without an antialiasing library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from PIL import Image, ImageDraw

Point = tuple[float, float]
Colour = tuple[int, int, int] | tuple[int, int, int, int]

SUPERSAMPLE = 4


class Canvas:
    """An RGBA picture of `size` x `size` pixels; coordinates are in final pixels."""

    def __init__(self, size: int, background: Colour = (0, 0, 0, 0)):
        self.size = size
        self.k = SUPERSAMPLE
        self.image = Image.new("RGBA", (size * self.k, size * self.k), background)
        self.draw = ImageDraw.Draw(self.image)

    def _p(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        return [(x * self.k, y * self.k) for x, y in points]

    def ellipse(self, cx: float, cy: float, rx: float, ry: float | None = None, fill: Colour | None = None,
                outline: Colour | None = None, width: float = 0) -> None:
        ry = rx if ry is None else ry
        box = [(cx - rx) * self.k, (cy - ry) * self.k, (cx + rx) * self.k, (cy + ry) * self.k]
        self.draw.ellipse(box, fill=fill, outline=outline, width=round(width * self.k))

    def polygon(self, points: Sequence[Point], fill: Colour | None = None, outline: Colour | None = None,
                width: float = 0) -> None:
        self.draw.polygon(self._p(points), fill=fill)
        if outline is not None and width:
            self.line(list(points) + [points[0]], outline, width)

    def line(self, points: Sequence[Point], fill: Colour, width: float) -> None:
        """A thick line with round ends and joins."""
        pts = self._p(points)
        w = width * self.k
        self.draw.line(pts, fill=fill, width=round(w), joint="curve")
        for x, y in (pts[0], pts[-1]):
            self.draw.ellipse([x - w / 2 + 0.5, y - w / 2 + 0.5, x + w / 2 - 0.5, y + w / 2 - 0.5], fill=fill)

    def rounded_rect(self, x0: float, y0: float, x1: float, y1: float, radius: float, fill: Colour | None = None,
                     outline: Colour | None = None, width: float = 0) -> None:
        self.draw.rounded_rectangle([x0 * self.k, y0 * self.k, x1 * self.k, y1 * self.k], radius * self.k,
                                    fill=fill, outline=outline, width=round(width * self.k))

    def finish(self) -> Image.Image:
        return self.image.resize((self.size, self.size), Image.Resampling.LANCZOS)


def bezier(p0: Point, p1: Point, p2: Point, p3: Point | None = None, steps: int = 40) -> list[Point]:
    """Points along a quadratic (three points) or cubic (four points) Bezier curve."""
    out = []
    for i in range(steps + 1):
        t = i / steps
        if p3 is None:
            x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t ** 2 * p2[0]
            y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t ** 2 * p2[1]
        else:
            x = ((1 - t) ** 3 * p0[0] + 3 * (1 - t) ** 2 * t * p1[0] + 3 * (1 - t) * t ** 2 * p2[0]
                 + t ** 3 * p3[0])
            y = ((1 - t) ** 3 * p0[1] + 3 * (1 - t) ** 2 * t * p1[1] + 3 * (1 - t) * t ** 2 * p2[1]
                 + t ** 3 * p3[1])
        out.append((x, y))
    return out


def arc_points(cx: float, cy: float, rx: float, ry: float, start_deg: float, end_deg: float,
               steps: int = 48) -> list[Point]:
    """Points on an ellipse from start to end angle (degrees, 0 = right, 90 = down)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in (start_deg + (end_deg - start_deg) * i / steps for i in range(steps + 1))]


def star_points(cx: float, cy: float, outer: float, inner: float, n: int = 5, rotation: float = -90) -> list[Point]:
    pts = []
    for i in range(n * 2):
        r = outer if i % 2 == 0 else inner
        a = math.radians(rotation + i * 180 / n)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def darker(colour: Colour, amount: float = 0.25) -> tuple[int, int, int]:
    return tuple(max(0, round(c * (1 - amount))) for c in colour[:3])  # type: ignore[return-value]


def lighter(colour: Colour, amount: float = 0.25) -> tuple[int, int, int]:
    return tuple(min(255, round(c + (255 - c) * amount)) for c in colour[:3])  # type: ignore[return-value]


def render_all(drawers: Mapping[str, Callable[["Canvas"], None]], size: int, out_dir: Path) -> list[Path]:
    """Draw each picture on its own `size` canvas and save it as `out_dir/<name>.png`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in drawers.items():
        c = Canvas(size)
        draw(c)
        path = out_dir / f"{name}.png"
        c.finish().save(path, optimize=True)
        written.append(path)
    return written
