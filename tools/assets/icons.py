"""Icons for buttons and progress: star, empty star, lock, play, settings, speaker, home.

Chunky shapes with a dark outline so they read at 64 px on a kiosk screen; no text.
"""

from __future__ import annotations

import math
from pathlib import Path

from tools.assets.canvas import Canvas, arc_points, bezier, darker, lighter, render_all, star_points

ICON_SIZE = 128
C = 64.0
INK = (60, 50, 60)


def star(c: Canvas) -> None:
    gold = (255, 200, 40)
    c.polygon(star_points(C, 68, 58, 26), fill=gold)
    c.line(star_points(C, 68, 58, 26) + [star_points(C, 68, 58, 26)[0]], darker(gold, 0.35), 6)
    c.polygon(star_points(C - 4, 62, 30, 13), fill=lighter(gold, 0.45))


def star_empty(c: Canvas) -> None:
    # Not yet earned: a soft outline, never a cross or a dark mark.
    grey = (200, 200, 210)
    c.polygon(star_points(C, 68, 58, 26), fill=(240, 240, 245))
    c.line(star_points(C, 68, 58, 26) + [star_points(C, 68, 58, 26)[0]], grey, 6)


def lock(c: Canvas) -> None:
    metal, body = (150, 160, 175), (250, 190, 60)
    c.line(arc_points(C, 56, 26, 30, 180, 360), metal, 12)
    c.line([(C - 26, 56), (C - 26, 66)], metal, 12)
    c.line([(C + 26, 56), (C + 26, 66)], metal, 12)
    c.rounded_rect(C - 42, 60, C + 42, 118, 14, fill=body, outline=darker(body, 0.35), width=5)
    c.ellipse(C, 84, 9, fill=INK)
    c.polygon([(C - 5, 86), (C + 5, 86), (C + 3, 104), (C - 3, 104)], fill=INK)


def play(c: Canvas) -> None:
    green = (80, 190, 110)
    c.ellipse(C, C, 58, fill=green, outline=darker(green, 0.3), width=5)
    c.polygon([(C - 16, C - 28), (C - 16, C + 28), (C + 30, C)], fill=(255, 255, 255))


def settings(c: Canvas) -> None:
    grey = (130, 140, 160)
    teeth = []
    for i in range(8):
        a = math.radians(i * 45)
        for da, r in ((-12, 46), (-8, 58), (8, 58), (12, 46)):
            teeth.append((C + r * math.cos(a + math.radians(da)), C + r * math.sin(a + math.radians(da))))
    c.polygon(teeth, fill=grey)
    c.ellipse(C, C, 46, fill=grey)
    c.ellipse(C, C, 18, fill=(245, 245, 250))


def speaker(c: Canvas) -> None:
    blue = (70, 140, 220)
    c.polygon([(20, 50), (40, 50), (66, 26), (66, 102), (40, 78), (20, 78)], fill=blue)
    for r in (20, 36):
        c.line(arc_points(70, 64, r, r, -50, 50), blue, 8)


def home(c: Canvas) -> None:
    red, wall = (235, 100, 90), (250, 220, 150)
    c.rounded_rect(28, 58, 100, 116, 8, fill=wall, outline=darker(wall, 0.35), width=5)
    c.polygon([(C, 14), (118, 64), (10, 64)], fill=red)
    c.line([(10, 64), (C, 14), (118, 64)], darker(red, 0.3), 6)
    c.rounded_rect(52, 80, 76, 116, 6, fill=(150, 100, 70))


def heart(c: Canvas) -> None:
    pink = (250, 100, 130)
    shape = bezier((C, 112), (10, 70), (14, 20), (C, 40)) + bezier((C, 40), (114, 20), (118, 70), (C, 112))
    c.polygon(shape, fill=pink)
    c.line(shape, darker(pink, 0.3), 5)
    c.ellipse(42, 46, 9, 7, fill=lighter(pink, 0.6))


ICONS = {"star": star, "star-empty": star_empty, "lock": lock, "play": play, "settings": settings,
         "speaker": speaker, "home": home, "heart": heart}


def make_icons(out_dir: Path) -> list[Path]:
    """icons/<name>.png, ICON_SIZE pixels square on a transparent background."""
    return render_all(ICONS, ICON_SIZE, out_dir)
