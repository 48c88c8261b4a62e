"""What sits over or around a scene: the header band, the caption box, and the kind notice over
the camera view (nobody there, crowding, looking away, the camera or the model out)."""

from __future__ import annotations

import pygame

from game.play.rules import FaceState
from game.play.widgets.shapes import draw_eyes, draw_person
from game.play.widgets.text import Resources, blit_centered, lerp_colour

#: Per face state: the words shown on the camera view, and the longer words said (None: only shown).
FACE_PHRASES = {
    FaceState.NO_FACE: ("face.no_face", "face.no_face_spoken"),
    FaceState.MANY_FACES: ("face.many_faces", "face.many_faces_spoken"),
    FaceState.LOOKING_AWAY: ("face.looking_away", "face.looking_away_spoken"),
    FaceState.CAMERA_STARTING: ("face.camera_starting", None),
    FaceState.NO_CAMERA: ("face.no_camera", None),
    FaceState.NO_EXPRESSIONS: ("face.no_expressions", "face.no_expressions_spoken"),
}


def draw_header(canvas: pygame.Surface, res: Resources, title: str) -> None:
    """The sun band at the top of a scene, with its title."""
    theme = res.theme
    w = canvas.get_width()
    pygame.draw.rect(canvas, theme["background_band"], (0, 0, w, 120))
    pygame.draw.circle(canvas, theme["background_band"], (w // 2, -380), 520)
    blit_centered(canvas, res.text(title, "big", theme["ink"], bold=True), (w / 2, 62))


#: The caption box holds this many lines; scenes keep their words above the box's top.
CAPTION_LINES = 3


def caption_rect(res: Resources, caption: str, size: tuple[int, int]) -> pygame.Rect:
    """Where the caption box for `caption` goes on a canvas of `size`."""
    w, h = size
    lines = len(res.wrapped(caption, "small", w - 160, bold=True)[:CAPTION_LINES])
    height = 24 + 42 * lines
    return pygame.Rect(60, h - height - 14, w - 120, height)


def draw_caption(canvas: pygame.Surface, res: Resources, caption: str) -> None:
    """What is being said, in a box along the bottom (up to three lines)."""
    if not caption:
        return
    theme = res.theme
    w, _h = canvas.get_size()
    lines = res.wrapped(caption, "small", w - 160, theme["ink"], bold=True)[:CAPTION_LINES]
    panel = caption_rect(res, caption, canvas.get_size())
    pygame.draw.rect(canvas, theme["panel"], panel, border_radius=24)
    pygame.draw.rect(canvas, theme["panel_edge"], panel, 5, border_radius=24)
    for i, line in enumerate(lines):
        blit_centered(canvas, line, (w / 2, panel.y + 12 + 21 + i * 42))


def draw_face_notice(canvas: pygame.Surface, res: Resources, state: FaceState, text: str,
                     rect: pygame.Rect) -> None:
    """A kind message (`text`, the words for `state`) on a veil over the camera view `rect`."""
    theme = res.theme
    veil = res.shape(("veil", rect.size), rect.size,
                     lambda s: pygame.draw.rect(s, (*theme["notice"], 205), s.get_rect(), border_radius=26))
    canvas.blit(veil, rect)
    white = (255, 255, 255)
    icon_size = (150, 150)
    if state is FaceState.MANY_FACES:
        icon = res.shape(("people",), (260, 150), lambda s: (draw_person(s.subsurface((0, 0, 130, 150)), white),
                                                            draw_person(s.subsurface((130, 0, 130, 150)), white)))
    elif state is FaceState.LOOKING_AWAY:
        icon = res.shape(("eyes",), icon_size, lambda s: draw_eyes(s, white, theme["notice"]))
    else:
        icon = res.shape(("person-light",), icon_size, lambda s: draw_person(s, lerp_colour(white, theme["notice"], 0.1)))
    lines, step = notice_lines(res, text, rect.width - 48, rect.height - icon.get_height() - NOTICE_GAP - 40)
    top = rect.centery - (icon.get_height() + NOTICE_GAP + step * len(lines)) / 2
    blit_centered(canvas, icon, (rect.centerx, top + icon.get_height() / 2))
    for i, line in enumerate(lines):
        blit_centered(canvas, line, (rect.centerx, top + icon.get_height() + NOTICE_GAP + step * (i + 0.5)))


#: Between the notice's picture and its words.
NOTICE_GAP = 16
#: The notice's words take the first size (and up to that many lines) that fits the view.
NOTICE_SIZES = (("medium", 3, 48), ("small", 4, 38), ("tiny", 5, 30))


def notice_lines(res: Resources, text: str, width: int, height: int) -> tuple[list[pygame.Surface], int]:
    """The notice's words, whole, in the biggest size that fits `width` x `height`: a child's
    "Ask your teacher" must never be cut to "Ask your…". Returns the lines and their spacing."""
    white = (255, 255, 255)
    for size, most, step in NOTICE_SIZES:
        lines = res.wrapped(text, size, width, white, bold=True)
        if len(lines) <= most and len(lines) * step <= height:
            return lines, step
    size, most, step = NOTICE_SIZES[-1]
    return res.wrapped(text, size, width, white, bold=True, max_lines=max(1, height // step)), step
