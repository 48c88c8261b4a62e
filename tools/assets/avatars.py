"""Friendly animal avatars for the "choose your picture" screen: twelve, each easy to tell apart.

No text and no letters: a four-year-old picks "the frog" or "the blue one" by sight. Each
animal has its own silhouette (ears, mane, trunk, beak) and its own backdrop colour.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from tools.assets.canvas import Canvas, arc_points, bezier, darker, lighter, render_all

AVATAR_SIZE = 256
C = 128.0          # centre of the picture
INK = (52, 40, 40)
WHITE = (255, 255, 255)
PINK = (255, 160, 170)


def _backdrop(c: Canvas, colour: tuple[int, int, int]) -> None:
    c.ellipse(C, C, 124, 124, fill=colour)
    c.ellipse(C, C, 112, 112, fill=lighter(colour, 0.45))


def _eyes(c: Canvas, y: float, gap: float = 30, r: float = 11) -> None:
    for side in (-1, 1):
        c.ellipse(C + side * gap, y, r, r * 1.1, fill=INK)
        c.ellipse(C + side * gap + r * 0.35, y - r * 0.4, r * 0.38, fill=WHITE)


def _smile(c: Canvas, y: float, w: float = 14, colour: tuple[int, int, int] = INK) -> None:
    # A small "w" mouth, the classic cute animal smile.
    c.line(bezier((C - w * 2, y - 3), (C - w, y + w * 0.9), (C, y - 2)), colour, 4)
    c.line(bezier((C, y - 2), (C + w, y + w * 0.9), (C + w * 2, y - 3)), colour, 4)


def _blush(c: Canvas, y: float, gap: float = 52) -> None:
    overlay = Canvas(c.size)
    for side in (-1, 1):
        overlay.ellipse(C + side * gap, y, 14, 9, fill=(255, 120, 140, 110))
    c.image.alpha_composite(overlay.image)


def cat(c: Canvas) -> None:
    fur, line = (250, 170, 80), darker((250, 170, 80), 0.3)
    _backdrop(c, (120, 200, 230))
    for side in (-1, 1):
        c.polygon([(C + side * 86, 118), (C + side * 78, 36), (C + side * 30, 74)], fill=fur, outline=line, width=4)
        c.polygon([(C + side * 76, 104), (C + side * 72, 56), (C + side * 44, 78)], fill=PINK)
    c.ellipse(C, 140, 86, 74, fill=fur, outline=line, width=4)
    for dy in (-8, 8):   # stripes on the forehead
        c.line([(C + dy * 2, 70), (C + dy * 2, 92)], line, 6)
    _eyes(c, 128)
    c.polygon([(C - 9, 150), (C + 9, 150), (C, 160)], fill=PINK)
    _smile(c, 164, 8)
    for side in (-1, 1):
        for dy in (-6, 8):
            c.line([(C + side * 46, 156 + dy), (C + side * 92, 150 + dy * 1.6)], INK, 3)


def dog(c: Canvas) -> None:
    fur, ear = (222, 184, 135), (140, 95, 60)
    _backdrop(c, (250, 200, 90))
    c.ellipse(C, 132, 80, 80, fill=fur, outline=darker(fur, 0.3), width=4)
    for side in (-1, 1):   # floppy ears
        c.polygon(bezier((C + side * 56, 70), (C + side * 118, 70), (C + side * 104, 170))
                  + bezier((C + side * 104, 170), (C + side * 80, 190), (C + side * 60, 110)), fill=ear)
    c.ellipse(C + 30, 116, 24, 22, fill=lighter(ear, 0.5))   # a patch over one eye
    c.ellipse(C, 166, 40, 30, fill=lighter(fur, 0.5))
    _eyes(c, 118)
    c.ellipse(C, 152, 14, 10, fill=INK)
    c.line([(C, 160), (C, 172)], INK, 4)
    c.line(arc_points(C, 166, 20, 12, 20, 160), INK, 4)
    c.ellipse(C, 186, 8, 9, fill=(240, 100, 120))


def bear(c: Canvas) -> None:
    fur = (165, 110, 70)
    _backdrop(c, (140, 210, 140))
    for side in (-1, 1):
        c.ellipse(C + side * 62, 66, 28, fill=fur)
        c.ellipse(C + side * 62, 66, 15, fill=lighter(fur, 0.45))
    c.ellipse(C, 136, 84, 78, fill=fur)
    c.ellipse(C, 162, 38, 30, fill=lighter(fur, 0.55))
    _eyes(c, 124, 32)
    c.ellipse(C, 150, 15, 11, fill=INK)
    _smile(c, 170, 9)
    _blush(c, 152, 58)


def rabbit(c: Canvas) -> None:
    fur = (245, 245, 250)
    _backdrop(c, (240, 150, 180))
    for side in (-1, 1):
        c.ellipse(C + side * 32, 58, 22, 54, fill=fur, outline=(200, 200, 210), width=3)
        c.ellipse(C + side * 32, 62, 11, 40, fill=PINK)
    c.ellipse(C, 148, 76, 70, fill=fur, outline=(200, 200, 210), width=3)
    _eyes(c, 138, 28)
    c.ellipse(C, 160, 9, 7, fill=(240, 110, 140))
    _smile(c, 172, 8)
    c.rounded_rect(C - 9, 176, C + 9, 190, 3, fill=WHITE, outline=(200, 200, 210), width=2)
    _blush(c, 164, 48)


def panda(c: Canvas) -> None:
    black = (45, 45, 55)
    _backdrop(c, (150, 220, 120))
    for side in (-1, 1):
        c.ellipse(C + side * 64, 64, 26, fill=black)
    c.ellipse(C, 136, 86, 78, fill=WHITE, outline=(190, 190, 200), width=3)
    for side in (-1, 1):   # the tilted eye patches
        c.polygon(arc_points(C + side * 32, 128, 22, 28, 0, 360), fill=black)
        c.ellipse(C + side * 32, 126, 9, fill=WHITE)
        c.ellipse(C + side * 32, 127, 6, fill=INK)
    c.ellipse(C, 156, 12, 8, fill=black)
    _smile(c, 172, 9)
    _blush(c, 160, 60)


def frog(c: Canvas) -> None:
    skin = (110, 200, 90)
    _backdrop(c, (110, 180, 240))
    for side in (-1, 1):   # eyes on top of the head
        c.ellipse(C + side * 44, 76, 32, fill=skin)
        c.ellipse(C + side * 44, 76, 21, fill=WHITE)
        c.ellipse(C + side * 44, 79, 11, fill=INK)
        c.ellipse(C + side * 44 + 4, 74, 4, fill=WHITE)
    c.ellipse(C, 144, 92, 66, fill=skin)
    c.line(bezier((C - 56, 150), (C, 196), (C + 56, 150)), darker(skin, 0.45), 6)
    for side in (-1, 1):
        c.ellipse(C + side * 10, 126, 3, fill=darker(skin, 0.4))
    _blush(c, 152, 66)


def lion(c: Canvas) -> None:
    mane, fur = (215, 120, 40), (250, 200, 90)
    _backdrop(c, (250, 140, 120))
    for i in range(14):   # a ring of mane petals
        a = math.radians(i * 360 / 14)
        c.ellipse(C + 82 * math.cos(a), 132 + 82 * math.sin(a), 30, fill=mane)
    c.ellipse(C, 132, 84, fill=mane)
    for side in (-1, 1):
        c.ellipse(C + side * 50, 76, 16, fill=fur)
    c.ellipse(C, 136, 66, 64, fill=fur)
    _eyes(c, 124, 26, 10)
    c.ellipse(C, 158, 26, 18, fill=lighter(fur, 0.6))
    c.polygon([(C - 11, 148), (C + 11, 148), (C, 160)], fill=(140, 70, 50))
    _smile(c, 166, 8)


def owl(c: Canvas) -> None:
    body = (150, 110, 200)
    _backdrop(c, (255, 210, 120))
    c.polygon([(C - 76, 52), (C - 44, 80), (C - 84, 100)], fill=body)
    c.polygon([(C + 76, 52), (C + 44, 80), (C + 84, 100)], fill=body)
    c.ellipse(C, 140, 84, 86, fill=body)
    c.ellipse(C, 174, 50, 42, fill=lighter(body, 0.5))
    for side in (-1, 1):   # big round eyes in pale discs
        c.ellipse(C + side * 36, 118, 32, fill=WHITE)
        c.ellipse(C + side * 36, 120, 14, fill=INK)
        c.ellipse(C + side * 36 + 5, 114, 5, fill=WHITE)
    c.polygon([(C - 11, 144), (C + 11, 144), (C, 164)], fill=(250, 170, 50))
    for dx in (-20, 0, 20):   # chest feathers
        c.line(arc_points(C + dx, 176, 10, 8, 20, 160), darker(body, 0.1), 4)


def fox(c: Canvas) -> None:
    fur = (240, 130, 50)
    _backdrop(c, (130, 200, 190))
    for side in (-1, 1):
        c.polygon([(C + side * 88, 110), (C + side * 74, 30), (C + side * 26, 78)], fill=fur)
        c.polygon([(C + side * 76, 98), (C + side * 68, 52), (C + side * 42, 80)], fill=INK)
    # The face narrows to a point at the chin, with white cheeks.
    c.polygon(bezier((C - 92, 120), (C - 80, 60), (C + 80, 60), (C + 92, 120)) + [(C + 40, 190), (C, 206), (C - 40, 190)],
              fill=fur)
    c.polygon([(C - 92, 120), (C - 10, 150), (C, 206), (C - 40, 190)], fill=WHITE)
    c.polygon([(C + 92, 120), (C + 10, 150), (C, 206), (C + 40, 190)], fill=WHITE)
    _eyes(c, 124, 30)
    c.ellipse(C, 188, 12, 9, fill=INK)
    c.line(bezier((C - 12, 170), (C, 178), (C + 12, 170)), INK, 3)


def pig(c: Canvas) -> None:
    skin = (255, 170, 185)
    _backdrop(c, (170, 150, 230))
    for side in (-1, 1):
        c.polygon([(C + side * 80, 86), (C + side * 76, 44), (C + side * 40, 66)], fill=darker(skin, 0.1))
    c.ellipse(C, 138, 84, 76, fill=skin)
    c.ellipse(C, 156, 32, 22, fill=lighter(skin, 0.35), outline=darker(skin, 0.2), width=4)
    for side in (-1, 1):
        c.ellipse(C + side * 11, 156, 5, 8, fill=darker(skin, 0.45))
    _eyes(c, 118, 34, 10)
    c.line(arc_points(C, 184, 14, 8, 20, 160), INK, 4)


def mouse(c: Canvas) -> None:
    fur = (170, 175, 190)
    _backdrop(c, (255, 180, 120))
    for side in (-1, 1):
        c.ellipse(C + side * 68, 68, 42, fill=fur)
        c.ellipse(C + side * 68, 68, 27, fill=PINK)
    c.ellipse(C, 148, 70, 66, fill=fur)
    _eyes(c, 138, 26, 10)
    c.ellipse(C, 166, 10, 8, fill=(240, 110, 140))
    _smile(c, 178, 7)
    for side in (-1, 1):
        for dy in (-5, 7):
            c.line([(C + side * 30, 170 + dy), (C + side * 80, 164 + dy * 1.8)], INK, 3)


def elephant(c: Canvas) -> None:
    skin = (150, 170, 200)
    _backdrop(c, (250, 220, 110))
    for side in (-1, 1):   # big ears
        c.ellipse(C + side * 74, 118, 46, 60, fill=skin, outline=darker(skin, 0.25), width=4)
        c.ellipse(C + side * 78, 118, 28, 40, fill=(240, 180, 195))
    c.ellipse(C, 116, 62, 60, fill=skin)
    # The trunk curls up at the tip.
    c.line(bezier((C, 140), (C - 4, 200), (C + 30, 214), (C + 38, 186)), skin, 30)
    c.line(bezier((C - 12, 170), (C - 4, 174), (C + 6, 172)), darker(skin, 0.25), 3)
    c.line(bezier((C - 12, 188), (C - 2, 194), (C + 10, 192)), darker(skin, 0.25), 3)
    _eyes(c, 108, 28, 10)
    _blush(c, 134, 44)


def chick(c: Canvas) -> None:
    feathers = (255, 215, 60)
    _backdrop(c, (120, 180, 250))
    for dx, h in ((-10, 36), (4, 46), (16, 34)):   # a tuft on top
        c.line(bezier((C + dx * 0.3, 64), (C + dx, 64 - h * 0.6), (C + dx * 1.8, 64 - h)), darker(feathers, 0.1), 7)
    c.ellipse(C, 138, 80, 78, fill=feathers)
    for side in (-1, 1):   # little wings
        c.ellipse(C + side * 78, 160, 18, 30, fill=darker(feathers, 0.1))
    _eyes(c, 124, 30)
    c.polygon([(C - 16, 146), (C + 16, 146), (C, 166)], fill=(250, 140, 40))
    _blush(c, 156, 52)


def penguin(c: Canvas) -> None:
    black = (50, 60, 80)
    _backdrop(c, (150, 220, 230))
    c.ellipse(C, 132, 86, 84, fill=black)
    # The white face: two overlapping circles make the heart-shaped mask.
    c.ellipse(C - 28, 128, 40, 46, fill=WHITE)
    c.ellipse(C + 28, 128, 40, 46, fill=WHITE)
    c.ellipse(C, 156, 52, 44, fill=WHITE)
    _eyes(c, 124, 28)
    c.polygon([(C - 14, 146), (C + 14, 146), (C, 162)], fill=(250, 160, 40))
    _blush(c, 158, 50)


def monkey(c: Canvas) -> None:
    fur, face = (140, 90, 60), (240, 205, 165)
    _backdrop(c, (190, 230, 110))
    for side in (-1, 1):
        c.ellipse(C + side * 84, 132, 26, fill=fur)
        c.ellipse(C + side * 84, 132, 15, fill=face)
    c.ellipse(C, 132, 78, 76, fill=fur)
    # The pale face: two eye discs above a wide muzzle.
    c.ellipse(C - 26, 118, 30, 32, fill=face)
    c.ellipse(C + 26, 118, 30, 32, fill=face)
    c.ellipse(C, 162, 50, 36, fill=face)
    _eyes(c, 120, 26, 10)
    for side in (-1, 1):
        c.ellipse(C + side * 7, 150, 3, 4, fill=darker(face, 0.5))
    c.line(bezier((C - 26, 166), (C, 186), (C + 26, 166)), INK, 4)


ANIMALS: dict[str, Callable[[Canvas], None]] = {
    "cat": cat, "dog": dog, "bear": bear, "rabbit": rabbit, "panda": panda, "frog": frog,
    "lion": lion, "owl": owl, "fox": fox, "pig": pig, "mouse": mouse, "elephant": elephant,
    "chick": chick, "penguin": penguin, "monkey": monkey,
}


def make_avatars(out_dir: Path) -> list[Path]:
    """avatars/<animal>.png, AVATAR_SIZE pixels square, transparent outside the disc."""
    return render_all(ANIMALS, AVATAR_SIZE, out_dir)
