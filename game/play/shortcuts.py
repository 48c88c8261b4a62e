"""The grown-ups' ways into the teacher area, which a child will not stumble on: Ctrl+Shift+T
held for two seconds, or (on a touch screen without a keyboard) a press held as long in the
bottom-left corner. Both lead to the gate, which asks for the teacher PIN: a child who finds
the keys is no further in than one who finds the corner."""

from __future__ import annotations

import pygame

HOLD_S = 2.0
CHORD_KEYS = (pygame.K_t,)
#: The corner a long press opens the grown-ups' question from, in canvas pixels.
CORNER_SIZE = 64


class TeacherShortcuts:
    def __init__(self, canvas_size: tuple[int, int]):
        self.canvas_size = canvas_size
        self._held_keys: set[int] = set()
        self._chord_since: float | None = None
        self._corner_since: float | None = None

    def in_corner(self, pos: tuple[int, int] | None) -> bool:
        return pos is not None and pos[0] < CORNER_SIZE and pos[1] > self.canvas_size[1] - CORNER_SIZE

    def handle(self, event: pygame.event.Event, pos: tuple[int, int] | None, now: float, open_allowed: bool) -> bool:
        """Follow keys and presses; True when the event was a press in the corner (nothing
        else should act on it)."""
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
            corner = self.in_corner(pos)
            self._corner_since = now if corner and open_allowed else None
            return corner
        if event.type in (pygame.MOUSEBUTTONUP, pygame.FINGERUP):
            self._corner_since = None
        elif event.type == pygame.KEYDOWN:
            self._held_keys.add(event.key)
        elif event.type == pygame.KEYUP:
            self._held_keys.discard(event.key)
        return False

    def _chord_held(self) -> bool:
        keys = self._held_keys
        ctrl = pygame.K_LCTRL in keys or pygame.K_RCTRL in keys
        shift = pygame.K_LSHIFT in keys or pygame.K_RSHIFT in keys
        return ctrl and shift and all(k in keys for k in CHORD_KEYS)

    def update(self, now: float, chord_allowed: bool) -> str | None:
        """"gate" when the corner or the key chord was held long enough, else None."""
        if self._corner_since is not None and now - self._corner_since >= HOLD_S:
            self._corner_since = None
            return "gate"
        if not chord_allowed or not self._chord_held():
            self._chord_since = None
            return None
        if self._chord_since is None:
            self._chord_since = now
        elif now - self._chord_since >= HOLD_S:
            self._chord_since = None
            self._held_keys.clear()
            return "gate"
        return None

    def progress(self, now: float) -> float | None:
        """How far a hold has got, 0..1 (None when nothing is held): the ring in the corner."""
        since = self._chord_since if self._chord_since is not None else self._corner_since
        return None if since is None else min(1.0, (now - since) / HOLD_S)
