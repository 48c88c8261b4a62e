"""Touch keys for grown-ups: a number pad for the teacher PIN and an on-screen keyboard for
children's names and camera paths, so the kiosk needs no physical keyboard.

Both are a grid of `Key`s laid out in a rectangle; `handle` turns a tap (or the matching
physical key) into what was pressed, and the scene decides what it means. Text editing is the
pure `edit_text`, so it is tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pygame

from game.play.ui_text import Colour
from game.play.widgets.text import Resources, blit_centered, lerp_colour

#: What the special keys send.
BACKSPACE, ENTER, SHIFT, SPACE = "backspace", "enter", "shift", "space"

#: Keyboard layouts, row by row. A name needs letters, a space, a hyphen and an apostrophe;
#: a camera needs digits and the characters of a file path.
LAYOUTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "name": (tuple("qwertyuiop"), tuple("asdfghjkl") + ("'",), (SHIFT,) + tuple("zxcvbnm") + ("-", BACKSPACE),
             (SPACE,)),
    "path": (tuple("1234567890"), tuple("qwertyuiop"), tuple("asdfghjkl") + (":",),
             (SHIFT,) + tuple("zxcvbnm") + ("/", BACKSPACE), ("_", "-", SPACE, ".", "~")),
}
#: How much wider than a letter key the special keys are.
WIDE = {SHIFT: 1.5, BACKSPACE: 1.5, SPACE: 5.0}
ENTER_KEYS = (pygame.K_RETURN, pygame.K_KP_ENTER)


def edit_text(text: str, key: str, shift: bool, max_chars: int = 60) -> str:
    """`text` after the on-screen `key` (a character, BACKSPACE or SPACE)."""
    if key == BACKSPACE:
        return text[:-1]
    if key == SPACE:
        return text + " " if text and not text.endswith(" ") and len(text) < max_chars else text
    if len(key) != 1 or len(text) >= max_chars:
        return text
    return text + (key.upper() if shift else key)


def starts_word(text: str) -> bool:
    """The next letter begins a word (a name's first letter is a capital)."""
    return not text or text.endswith((" ", "-"))


@dataclass
class Key:
    rect: pygame.Rect
    value: str
    label: str


@dataclass
class KeyGrid:
    """Keys in rows filling `rect`; `gap` pixels between them."""

    rect: pygame.Rect
    keys: list[Key] = field(default_factory=list)
    enabled: bool = True

    def hit(self, pos: tuple[int, int] | None) -> Key | None:
        if pos is None or not self.enabled:
            return None
        return next((k for k in self.keys if k.rect.collidepoint(pos)), None)

    def tapped(self, event: pygame.event.Event,
               canvas_pos: Callable[[pygame.event.Event], tuple[int, int] | None]) -> Key | None:
        if event.type not in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
            return None
        return self.hit(canvas_pos(event))

    def draw_keys(self, surface: pygame.Surface, res: Resources, colour_of: Callable[[Key], Colour],
                  size: str = "small") -> None:
        theme = res.theme
        for key in self.keys:
            colour = colour_of(key) if self.enabled else theme["lock"]
            pygame.draw.rect(surface, lerp_colour(colour, (0, 0, 0), 0.25), key.rect.move(0, 4), border_radius=14)
            pygame.draw.rect(surface, colour, key.rect, border_radius=14)
            ink = theme["ink"] if colour == theme["panel"] else (255, 255, 255)
            label = res.fitted(key.label, size, key.rect.width - 10, ink, bold=True)
            blit_centered(surface, label, key.rect.center)


def _rows(rect: pygame.Rect, rows: list[list[tuple[str, str, float]]], gap: int) -> list[Key]:
    """Lay out rows of (value, label, width in key units), each row centred in `rect`."""
    units = max(sum(w for _v, _l, w in row) for row in rows)
    key_w = (rect.width - gap * (max(len(r) for r in rows) - 1)) / units
    key_h = (rect.height - gap * (len(rows) - 1)) / len(rows)
    keys = []
    for r, row in enumerate(rows):
        row_w = sum(w * key_w for _v, _l, w in row) + gap * (len(row) - 1)
        x = rect.x + (rect.width - row_w) / 2
        y = rect.y + r * (key_h + gap)
        for value, label, width in row:
            w = width * key_w
            keys.append(Key(pygame.Rect(round(x), round(y), round(w), round(key_h)), value, label))
            x += w + gap
    return keys


class NumberPad(KeyGrid):
    """1-9, then ← 0 OK: the PIN pad. Physical digits, Backspace and Enter work too."""

    def __init__(self, rect: pygame.Rect, ok_label: str = "OK", gap: int = 14):
        rows = [[(d, d, 1.0) for d in "123"], [(d, d, 1.0) for d in "456"], [(d, d, 1.0) for d in "789"],
                [(BACKSPACE, "←", 1.0), ("0", "0", 1.0), (ENTER, ok_label, 1.0)]]
        super().__init__(rect, _rows(rect, rows, gap))

    def handle(self, event: pygame.event.Event,
               canvas_pos: Callable[[pygame.event.Event], tuple[int, int] | None]) -> str | None:
        """The key pressed: a digit, BACKSPACE or ENTER (None for anything else)."""
        if not self.enabled:
            return None
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_BACKSPACE:
                return BACKSPACE
            if event.key in ENTER_KEYS:
                return ENTER
            text = getattr(event, "unicode", "") or ""
            if len(text) == 1 and text.isdigit() and text.isascii():
                return text
            if pygame.K_KP0 <= event.key <= pygame.K_KP9:
                return str(event.key - pygame.K_KP0)
            return None
        key = self.tapped(event, canvas_pos)
        return key.value if key is not None else None

    def draw(self, surface: pygame.Surface, res: Resources) -> None:
        theme = res.theme
        self.draw_keys(surface, res, lambda k: theme["good"] if k.value == ENTER else (
            theme["accent"] if k.value == BACKSPACE else theme["ink_soft"]), size="medium")


class OnScreenKeyboard(KeyGrid):
    """Letters (and digits and path characters for the "path" layout), space, shift and
    backspace. The first letter of a word comes as a capital unless shift is turned off."""

    def __init__(self, rect: pygame.Rect, layout: str = "name", space_label: str = "", gap: int = 8):
        self.layout = layout
        rows = [[(v, self._label(v, space_label), WIDE.get(v, 1.0)) for v in row] for row in LAYOUTS[layout]]
        super().__init__(rect, _rows(rect, rows, gap))
        self.shift = False              # the next letter as a capital (turned on by the shift key)

    @staticmethod
    def _label(value: str, space_label: str) -> str:
        return {BACKSPACE: "←", SHIFT: "Aa", SPACE: space_label or "_"}.get(value, value)

    def capital_next(self, text: str) -> bool:
        return self.shift or (self.layout == "name" and starts_word(text))

    def press(self, text: str, value: str, max_chars: int = 60) -> str:
        """`text` after the key `value` was tapped."""
        if value == SHIFT:
            self.shift = not self.shift
            return text
        edited = edit_text(text, value, self.capital_next(text), max_chars)
        if len(value) == 1:
            self.shift = False
        return edited

    def draw(self, surface: pygame.Surface, res: Resources, text: str) -> None:
        theme = res.theme
        capitals = self.capital_next(text)
        for key in self.keys:
            if len(key.value) == 1 and key.value.isalpha():
                key.label = key.value.upper() if capitals else key.value
        self.draw_keys(surface, res, lambda k: (theme["star"] if k.value == SHIFT and self.shift else (
            theme["accent"] if k.value == BACKSPACE else (theme["ink_soft"] if len(k.value) > 1 else theme["panel"]))))
        for key in self.keys:                           # letter keys are white: give them an edge
            if len(key.value) == 1:
                pygame.draw.rect(surface, theme["ink_soft"], key.rect, 2, border_radius=14)
