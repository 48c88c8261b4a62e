"""A child's picture: one of assets/avatars/*.png in a circle, or their initial on a colour."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pygame

from game.play.widgets.text import Resources


def avatar_path(assets_dir: Path, avatar: str) -> Path | None:
    """The picture file for an avatar name ("cat"), or an absolute path; None if there is none."""
    if not avatar:
        return None
    candidate = Path(avatar)
    if candidate.is_absolute() and candidate.is_file():
        return candidate
    for path in (assets_dir / "avatars" / avatar, assets_dir / "avatars" / f"{avatar}.png"):
        if path.is_file():
            return path
    return None


def avatar_names(assets_dir: Path) -> list[str]:
    folder = assets_dir / "avatars"
    return sorted(p.stem for p in folder.glob("*.png")) if folder.is_dir() else []


def draw_avatar(canvas: pygame.Surface, res: Resources, name: str, avatar: str,
                center: tuple[float, float], radius: int) -> None:
    """The picture called `avatar` in a circle (`name`'s initial on a colour when it is missing)."""
    size = (radius * 2, radius * 2)
    path = avatar_path(res.assets_dir, avatar)
    theme = res.theme

    def paint(surface: pygame.Surface) -> None:
        picture = res.image(path, size, keep_aspect=False) if path else None
        if picture is not None:
            pygame.draw.circle(surface, theme["panel"], (radius, radius), radius)
            surface.blit(picture, (0, 0))
            mask = pygame.Surface(size, pygame.SRCALPHA)
            pygame.draw.circle(mask, (255, 255, 255, 255), (radius, radius), radius)
            surface.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
        else:
            hue = int(hashlib.md5(name.encode("utf-8")).hexdigest()[:2], 16)
            colour = theme.confetti[hue % len(theme.confetti)]
            pygame.draw.circle(surface, colour, (radius, radius), radius)
            initial = res.font(int(radius * 1.1), bold=True).render(name[:1].upper(), True, (255, 255, 255))
            surface.blit(initial, initial.get_rect(center=(radius, radius)))
        pygame.draw.circle(surface, theme["ink"], (radius, radius), radius, max(3, radius // 14))

    canvas.blit(res.shape(("avatar", avatar, name), size, paint), (int(center[0] - radius), int(center[1] - radius)))
