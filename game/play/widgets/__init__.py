"""Drawing pieces the scenes share, one small module each: text and pictures (`text`), shapes,
buttons, the gauge, the camera view, confetti, avatars, and notices (header, caption, the kind
camera notice). Everything that costs time is cached, so a frame is mostly blits."""

from game.play.widgets.avatar import avatar_names, avatar_path, draw_avatar
from game.play.widgets.buttons import Button, ButtonGroup, pressed
from game.play.widgets.camera_view import CameraView
from game.play.widgets.confetti import Confetti
from game.play.widgets.gauge import draw_gauge
from game.play.widgets.notices import FACE_PHRASES, caption_rect, draw_caption, draw_face_notice, draw_header
from game.play.widgets.shapes import (draw_face, draw_lock, draw_person, draw_round_dots, draw_star, draw_waiting,
                                      round_picture, star_points)
from game.play.widgets.text import ELLIPSIS, Resources, blit_centered, lerp_colour, wrap_text

__all__ = ["ELLIPSIS", "FACE_PHRASES", "Button", "ButtonGroup", "CameraView", "Confetti", "Resources",
           "avatar_names", "avatar_path", "blit_centered", "caption_rect", "draw_avatar", "draw_caption", "draw_face",
           "draw_face_notice", "draw_gauge", "draw_header", "draw_lock", "draw_person", "draw_round_dots", "draw_star",
           "draw_waiting", "lerp_colour", "pressed", "round_picture", "star_points", "wrap_text"]
