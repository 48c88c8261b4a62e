"""Cartoon children's faces showing happy, sad and fear, for the game's rounds.

Each face exaggerates the cues a child can copy: happy lifts the cheeks and shows the teeth;
sad lifts the inner eyebrows and turns the mouth down; fear opens the eyes wide and round,
raises the brows and opens the mouth. Five children (different skin tones, hair, a hijab and
a peci, as in an Indonesian classroom) make each face, so a class sees itself in the pictures
and a child cannot learn one drawing by heart.

Every face is drawn twice: on its emotion's colour (faces/<emotion>-<n>.png, for rounds where
the child makes the face) and on one plain card for all (faces/plain/<emotion>-<n>.png, for
recognise rounds, where a coloured card would give the answer away).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tools.assets.canvas import Canvas, arc_points, bezier, darker, lighter

FACE_SIZE = 512
INK = (62, 44, 40)
WHITE = (255, 255, 255)
MOUTH = (140, 36, 46)
TONGUE = (236, 110, 118)
TEAR = (120, 190, 245)

#: A soft card behind each emotion, the same colour the game can use for that emotion.
BACKDROPS = {"happy": (255, 226, 130), "sad": (170, 205, 240), "fear": (211, 192, 240)}
#: The one card behind every face of a recognise round: the face alone tells the emotion.
PLAIN_BACKDROP = (226, 222, 212)
PLAIN_FOLDER = "plain"


@dataclass(frozen=True)
class Child:
    name: str
    skin: tuple[int, int, int]
    hair: tuple[int, int, int]
    style: str            # "pigtails", "short", "hijab", "curly" or "peci"
    accent: tuple[int, int, int]   # hair ties or headscarf


CHILDREN = (
    Child("1", skin=(255, 214, 170), hair=(92, 58, 38), style="pigtails", accent=(240, 90, 120)),
    Child("2", skin=(198, 140, 96), hair=(40, 30, 30), style="short", accent=(70, 150, 220)),
    Child("3", skin=(234, 182, 132), hair=(40, 30, 30), style="hijab", accent=(64, 170, 150)),
    Child("4", skin=(140, 92, 62), hair=(28, 20, 18), style="curly", accent=(250, 170, 60)),
    Child("5", skin=(222, 168, 120), hair=(34, 26, 24), style="peci", accent=(30, 30, 36)),
)

CX, CY = 256.0, 272.0      # centre of the head
RX, RY = 158.0, 170.0      # head radii


def _backdrop(c: Canvas, emotion: str, plain: bool = False) -> None:
    colour = PLAIN_BACKDROP if plain else BACKDROPS[emotion]
    c.rounded_rect(8, 8, 504, 504, 64, fill=colour)
    c.ellipse(256, 256, 236, 236, fill=lighter(colour, 0.35))


def _hair_back(c: Canvas, child: Child) -> None:
    if child.style == "pigtails":
        for side in (-1, 1):
            x = CX + side * (RX + 18)
            c.ellipse(x, CY - 20, 52, 64, fill=child.hair)
            c.ellipse(CX + side * (RX - 6), CY - 70, 16, 18, fill=child.accent)
    elif child.style == "hijab":
        # The scarf frames the face and falls to the shoulders.
        c.ellipse(CX, CY - 6, RX + 34, RY + 40, fill=child.accent)
        c.polygon([(CX - RX - 30, CY + 40), (CX + RX + 30, CY + 40), (CX + RX + 60, 500), (CX - RX - 60, 500)],
                  fill=child.accent)


def _head(c: Canvas, child: Child) -> None:
    line = darker(child.skin, 0.3)
    if child.style != "hijab":
        for side in (-1, 1):
            c.ellipse(CX + side * (RX - 4), CY + 12, 26, 34, fill=child.skin, outline=line, width=5)
    c.ellipse(CX, CY, RX, RY, fill=child.skin, outline=line, width=6)


def _hair_front(c: Canvas, child: Child) -> None:
    if child.style == "hijab":
        # The band of the scarf across the forehead, following the head's outline.
        band = arc_points(CX, CY, RX + 4, RY + 4, 180, 360)
        inner = arc_points(CX, CY - 6, RX - 16, RY - 48, 360, 180)
        c.polygon(band + inner, fill=child.accent)
        c.line(arc_points(CX, CY - 6, RX - 16, RY - 48, 190, 350), darker(child.accent, 0.2), 5)
        return
    if child.style == "curly":
        # Tight curls: a ring of small round tufts over the crown, the forehead left clear.
        for angle in range(190, 351, 16):
            x, y = arc_points(CX, CY - 8, RX - 2, RY - 4, angle, angle, steps=1)[0]
            c.ellipse(x, y, 34, 32, fill=child.hair)
        c.polygon(arc_points(CX, CY - 8, RX - 2, RY - 4, 188, 352)
                  + bezier((CX + RX - 2, CY - 16), (CX + RX - 24, CY - 150), (CX - RX + 24, CY - 150), (CX - RX + 2, CY - 16)),
                  fill=child.hair)
        return
    if child.style == "peci":
        # Short hair at the temples under a black peci (the cap many Indonesian boys wear to school).
        c.polygon(arc_points(CX, CY, RX + 4, RY + 6, 186, 354)
                  + bezier((CX + RX + 4, CY - 16), (CX + RX - 24, CY - 150), (CX - RX + 24, CY - 150), (CX - RX - 4, CY - 16)),
                  fill=child.hair)
        c.polygon([(CX - 118, CY - 118), (CX + 118, CY - 118), (CX + 104, CY - 196), (CX - 104, CY - 196)],
                  fill=child.accent)
        c.line([(CX - 116, CY - 122), (CX + 116, CY - 122)], lighter(child.accent, 0.25), 6)
        return
    top = arc_points(CX, CY, RX + 6, RY + 8, 180, 360)
    # The hairline sits high (about 110 px above the head's centre) so the eyebrows, the
    # most telling part of sad and scared faces, are never hidden.
    fringe = bezier((CX + RX + 6, CY - 16), (CX + RX - 24, CY - 150), (CX - RX + 24, CY - 150),
                    (CX - RX - 6, CY - 16))
    c.polygon(top + fringe, fill=child.hair)
    if child.style == "short":
        # A cowlick curling up from the crown.
        c.line(bezier((CX - 6, CY - RY - 2), (CX - 10, CY - RY - 30), (CX + 22, CY - RY - 34), (CX + 20, CY - RY - 14)),
               child.hair, 12)
    else:
        # A side parting: one lock sweeps across.
        c.polygon(bezier((CX - 20, CY - 168), (CX - 40, CY - 100), (CX - 110, CY - 96), (CX - RX + 2, CY - 40))
                  + bezier((CX - RX + 2, CY - 40), (CX - 80, CY - 140), (CX - 40, CY - 160), (CX - 20, CY - 168)),
                  fill=child.hair)
    shine = lighter(child.hair, 0.3)
    c.line(arc_points(CX, CY, RX - 30, RY - 24, 222, 250), shine, 9)


def _brows(c: Canvas, emotion: str, child: Child) -> None:
    colour = darker(child.hair, 0.1) if child.style != "hijab" else INK
    for side in (-1, 1):
        x = CX + side * 62
        if emotion == "happy":
            pts = bezier((x - 30, CY - 58), (x, CY - 78), (x + 30, CY - 58))
        elif emotion == "sad":
            # The inner ends lift: the clearest sign of sadness.
            inner, outer = x - side * 30, x + side * 32
            pts = bezier((inner, CY - 84), (x, CY - 76), (outer, CY - 58))
        else:
            # Raised high and arched, inner ends lifted: surprise turning into worry.
            pts = bezier((x - side * 32, CY - 80), (x - side * 4, CY - 112), (x + side * 36, CY - 74))
        c.line(pts, colour, 12)


def _eyes(c: Canvas, emotion: str, child: Child) -> None:
    ey = CY - 16
    for side in (-1, 1):
        x = CX + side * 62
        if emotion == "happy":
            # Smiling eyes: cheeks push up, the eye becomes an upward arc.
            c.line(arc_points(x, ey + 10, 28, 26, 200, 340), INK, 12)
        elif emotion == "sad":
            c.ellipse(x, ey + 4, 27, 30, fill=WHITE, outline=INK, width=4)
            c.ellipse(x, ey + 14, 17, 19, fill=INK)
            c.ellipse(x + 6, ey + 8, 6, fill=WHITE)
            # A heavy upper lid drooping at the outer corner.
            lid = [(x - 30, ey - 30), (x + 30, ey - 30)]
            outer_low, inner_high = ey + 2, ey - 14
            if side < 0:
                lid_edge = bezier((x - 30, outer_low), (x, ey - 12), (x + 30, inner_high))
            else:
                lid_edge = bezier((x - 30, inner_high), (x, ey - 12), (x + 30, outer_low))
            c.polygon(lid + lid_edge[::-1], fill=child.skin)
            c.line(lid_edge, INK, 5)
        else:
            # Wide, round eyes with small pupils: white shows all round.
            c.ellipse(x, ey - 2, 32, 36, fill=WHITE, outline=INK, width=5)
            c.ellipse(x, ey, 11, 12, fill=INK)
            c.ellipse(x + 4, ey - 4, 4, fill=WHITE)


def _nose(c: Canvas, child: Child) -> None:
    c.line(bezier((CX - 12, CY + 34), (CX, CY + 46), (CX + 12, CY + 34)), darker(child.skin, 0.3), 7)


def _cheeks(c: Canvas, emotion: str) -> None:
    pink = (255, 140, 150, 110) if emotion == "happy" else (255, 150, 160, 60)
    overlay = Canvas(c.size)
    for side in (-1, 1):
        overlay.ellipse(CX + side * 104, CY + 44, 30, 20, fill=pink)
    c.image.alpha_composite(overlay.image)


def _mouth(c: Canvas, emotion: str, child: Child) -> None:
    my = CY + 92
    lip = darker(child.skin, 0.45)
    if emotion == "happy":
        top = bezier((CX - 74, my - 12), (CX, my + 2), (CX + 74, my - 12))
        bottom = bezier((CX + 74, my - 12), (CX + 50, my + 78), (CX - 50, my + 78), (CX - 74, my - 12))
        c.polygon(top + bottom, fill=MOUTH)
        teeth_bottom = bezier((CX + 64, my - 4), (CX, my + 26), (CX - 64, my - 4))
        c.polygon(top[3:-3] + teeth_bottom, fill=WHITE)
        c.ellipse(CX, my + 40, 30, 12, fill=TONGUE)
        c.line(top + bottom, lip, 6)
    elif emotion == "sad":
        c.line(bezier((CX - 58, my + 30), (CX - 24, my - 10), (CX + 24, my - 10), (CX + 58, my + 30)), lip, 13)
    else:
        outline = arc_points(CX, my + 18, 36, 42, 0, 360, steps=72)
        c.polygon(outline, fill=MOUTH)
        c.polygon(arc_points(CX, my + 18, 36, 42, 205, 335), fill=WHITE)
        c.ellipse(CX, my + 46, 20, 9, fill=TONGUE)
        c.line(outline, lip, 6)


def _extras(c: Canvas, emotion: str) -> None:
    if emotion == "sad":
        # One tear on the cheek.
        x, y = CX + 96, CY + 30
        c.polygon(bezier((x, y - 26), (x - 22, y + 4), (x, y + 16)) + bezier((x, y + 16), (x + 22, y + 4), (x, y - 26)),
                  fill=TEAR)
        c.ellipse(x - 5, y + 2, 4, 6, fill=lighter(TEAR, 0.6))
    elif emotion == "fear":
        # A drop of sweat by the temple.
        x, y = CX + RX - 34, CY - 6
        c.polygon(bezier((x, y - 22), (x - 18, y + 4), (x, y + 14)) + bezier((x, y + 14), (x + 18, y + 4), (x, y - 22)),
                  fill=TEAR)


def draw_face(emotion: str, child: Child, plain: bool = False) -> Canvas:
    c = Canvas(FACE_SIZE)
    _backdrop(c, emotion, plain)
    _hair_back(c, child)
    _head(c, child)
    _hair_front(c, child)
    _cheeks(c, emotion)
    _brows(c, emotion, child)
    _eyes(c, emotion, child)
    _nose(c, child)
    _mouth(c, emotion, child)
    _extras(c, emotion)
    return c


def make_faces(out_dir: Path) -> list[Path]:
    """faces/<emotion>-<n>.png and faces/plain/<emotion>-<n>.png for every emotion and child,
    FACE_SIZE pixels square."""
    written = []
    for plain, folder in ((False, out_dir), (True, out_dir / PLAIN_FOLDER)):
        folder.mkdir(parents=True, exist_ok=True)
        for emotion in BACKDROPS:
            for child in CHILDREN:
                path = folder / f"{emotion}-{child.name}.png"
                draw_face(emotion, child, plain).finish().save(path, optimize=True)
                written.append(path)
    return written
