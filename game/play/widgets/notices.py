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


def draw_caption(canvas: pygame.Surface, res: Resources, caption: str) -> None:
    """What is being said, in a box along the bottom (up to three lines)."""
    if not caption:
        return
    theme = res.theme
    w, h = canvas.get_size()
    lines = res.wrapped(caption, "small", w - 160, theme["ink"], bold=True)[:3]
    height = 24 + 42 * len(lines)
    panel = pygame.Rect(60, h - height - 14, w - 120, height)
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
    blit_centered(canvas, icon, (rect.centerx, rect.centery - 60))
    for i, line in enumerate(res.wrapped(text, "medium", rect.width - 40, white, bold=True, max_lines=2)):
        blit_centered(canvas, line, (rect.centerx, rect.centery + 70 + i * 48))
