"""The child's mirrored camera picture with a friendly frame around their face."""

from __future__ import annotations

import math

import numpy as np
import pygame

from game.play.ui_text import Colour
from game.play.widgets.shapes import draw_person, draw_star
from game.play.widgets.text import Resources


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
            if res.show_camera:
                clip = surface.get_clip()
                surface.set_clip(self.rect)
                surface.blit(self._surface, (self.rect.x + self._offset[0], self.rect.y + self._offset[1]))
                surface.set_clip(clip)
            else:   # a screenshot: a stand-in figure where the child's picture would be
                side = min(self.rect.width, self.rect.height) * 2 // 3
                figure = res.shape(("camera-stand-in",), (side, side), lambda s: draw_person(s, theme["ink_soft"]))
                surface.blit(figure, figure.get_rect(center=self.rect.center))
            face = self.face_rect(face_box)
            if face is not None:
                face = face.inflate(face.width * 0.25, face.height * 0.3).clip(self.rect)
                pygame.draw.rect(surface, frame_colour, face, 9, border_radius=max(12, face.width // 5))
                for corner in (face.topleft, face.topright):
                    draw_star(surface, corner, 20 + 3 * math.sin(now * 4), theme["star"], theme["ink"])
        # round the corners of the picture with the frame colour
        pygame.draw.rect(surface, theme["panel_edge"], border, 14, border_radius=34)
