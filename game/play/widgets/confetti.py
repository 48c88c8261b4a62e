"""Confetti for a celebration: deterministic per seed, so screenshots repeat."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import pygame

from game.play.ui_text import Colour


@dataclass
class Confetti:
    """A burst of paper pieces falling with a little wobble; deterministic per seed."""

    size: tuple[int, int]
    colours: tuple[Colour, ...]
    seed: int = 0
    count: int = 140
    pieces: list[list[float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        w, h = self.size
        for _ in range(self.count):
            self.pieces.append([rng.uniform(0, w), rng.uniform(-h, -10), rng.uniform(-60, 60),
                                rng.uniform(140, 320), rng.uniform(0, math.tau), rng.randrange(len(self.colours)),
                                rng.uniform(8, 16)])

    def update(self, dt: float) -> None:
        w, h = self.size
        for piece in self.pieces:
            piece[0] += piece[2] * dt
            piece[1] += piece[3] * dt
            piece[4] += dt * 5
            if piece[1] > h + 20:
                piece[1] -= h + 60
            piece[0] %= w

    def draw(self, surface: pygame.Surface) -> None:
        for x, y, _vx, _vy, angle, colour, size in self.pieces:
            wobble = abs(math.cos(angle))
            rect = pygame.Rect(0, 0, max(3, size * wobble), size * 0.6)
            rect.center = (int(x), int(y))
            pygame.draw.rect(surface, self.colours[int(colour)], rect)
