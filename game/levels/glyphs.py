"""Which characters the game's font can draw: a level's text in a script the shipped font
(assets/fonts, Andika: Latin and Cyrillic letters) has no letters for would show the child empty
boxes, so the loader refuses it and names the characters.

The characters a font draws are read from its `cmap` table (formats 4 and 12, which every
TrueType/OpenType font for Unicode carries), with no font library needed.
"""

from __future__ import annotations

import struct
import unicodedata
from pathlib import Path

#: Font files the game draws level text with (regular and bold), inside the assets folder.
FONTS_FOLDER = "fonts"
FONT_SUFFIXES = (".ttf", ".otf")
#: Unicode cmap subtables, best first: (platform, encoding) - full repertoire, then the BMP.
_UNICODE_TABLES = ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


class FontError(ValueError):
    """A font file whose character map cannot be read."""


def font_files(assets_dir: Path) -> list[Path]:
    """The fonts in `assets_dir`/fonts (none: the game draws with the system's font)."""
    folder = Path(assets_dir) / FONTS_FOLDER
    try:
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file())
    except OSError:
        return []


def drawable_characters(font: Path) -> frozenset[int]:
    """The code points `font` has a glyph for (its best Unicode cmap subtable)."""
    try:
        data = Path(font).read_bytes()
        _version, n_tables = struct.unpack_from(">IH", data, 0)
        directory = {data[12 + 16 * i:16 + 16 * i]: struct.unpack_from(">II", data, 20 + 16 * i)
                     for i in range(n_tables)}
        if b"cmap" not in directory:
            raise FontError(f"{font}: the font has no character map (cmap table)")
        cmap, _length = directory[b"cmap"]
        _cmap_version, n_subtables = struct.unpack_from(">HH", data, cmap)
        subtables = {}
        for i in range(n_subtables):
            platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
            (fmt,) = struct.unpack_from(">H", data, cmap + offset)
            subtables.setdefault((platform, encoding), (fmt, cmap + offset))
        for key in _UNICODE_TABLES:
            fmt, at = subtables.get(key, (None, 0))
            if fmt == 12:
                return _format_12(data, at)
            if fmt == 4:
                return _format_4(data, at)
    except (OSError, struct.error, IndexError) as exc:
        raise FontError(f"{font}: the font's character map cannot be read ({exc})") from exc
    raise FontError(f"{font}: the font has no Unicode character map (format 4 or 12)")


def _format_4(data: bytes, at: int) -> frozenset[int]:
    """Segments of consecutive code points (the Basic Multilingual Plane)."""
    seg_x2 = struct.unpack_from(">H", data, at + 6)[0]
    segments = seg_x2 // 2
    ends_at = at + 14
    starts_at = ends_at + seg_x2 + 2
    deltas_at = starts_at + seg_x2
    ranges_at = deltas_at + seg_x2
    found: set[int] = set()
    for s in range(segments):
        (end,) = struct.unpack_from(">H", data, ends_at + 2 * s)
        (start,) = struct.unpack_from(">H", data, starts_at + 2 * s)
        (delta,) = struct.unpack_from(">h", data, deltas_at + 2 * s)
        range_at = ranges_at + 2 * s
        (range_offset,) = struct.unpack_from(">H", data, range_at)
        for code in range(start, min(end, 0xFFFE) + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                (glyph,) = struct.unpack_from(">H", data, range_at + range_offset + 2 * (code - start))
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                found.add(code)
    return frozenset(found)


def _format_12(data: bytes, at: int) -> frozenset[int]:
    """Groups of consecutive code points (all of Unicode)."""
    (n_groups,) = struct.unpack_from(">I", data, at + 12)
    found: set[int] = set()
    for g in range(n_groups):
        start, end, first_glyph = struct.unpack_from(">III", data, at + 16 + 12 * g)
        found.update(range(start if first_glyph else start + 1, end + 1))
    return frozenset(found)


def needs_no_glyph(char: str) -> bool:
    """Spaces, line breaks and invisible format marks (a zero-width joiner...) draw nothing."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def undrawable(text: str, drawable: frozenset[int]) -> list[str]:
    """The characters of `text` (each once, in order) that are not in `drawable`."""
    missing: list[str] = []
    for char in text:
        if ord(char) not in drawable and not needs_no_glyph(char) and char not in missing:
            missing.append(char)
    return missing


def describe(chars: list[str], most: int = 4) -> str:
    """'"ب" (U+0628 ARABIC LETTER BEH), ...' for a teacher to find them in the file."""
    named = [f'"{c}" (U+{ord(c):04X} {unicodedata.name(c, "unnamed character")})' for c in chars[:most]]
    more = len(chars) - most
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def shown_characters(assets_dir: Path) -> frozenset[int] | None:
    """The characters every font in `assets_dir`/fonts draws (level text is drawn in the
    regular and the bold face); None when there is no font there to check against (the game
    then draws with the system's font) or a font cannot be read."""
    fonts = font_files(assets_dir)
    if not fonts:
        return None
    try:
        sets = [drawable_characters(font) for font in fonts]
    except FontError:
        return None
    return frozenset.intersection(*sets)


def texts_in(model: object, loc: tuple = ()):
    """(location, language, text) of every text a level shows, found by walking the level
    (so a new kind of text, or a new level mode's, is checked without code here)."""
    from pydantic import BaseModel

    from game.levels.model import Localized

    if isinstance(model, Localized):
        for lang, text in model.texts.items():
            yield (*loc, lang), lang, text
    elif isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from texts_in(getattr(model, name), (*loc, name))
    elif isinstance(model, (list, tuple)):
        for index, item in enumerate(model):
            yield from texts_in(item, (*loc, index))


def undrawable_texts(level: object, drawable: frozenset[int]):
    """(location, message, suggestion) for each text with characters the font cannot draw."""
    for loc, _lang, text in texts_in(level):
        missing = undrawable(text, drawable)
        if missing:
            yield (loc, f"The game's font cannot draw {describe(missing)}: the child would see empty boxes.",
                   "Write this text in letters the font has (Latin or Cyrillic), or put a font "
                   "that draws them in assets/fonts.")
