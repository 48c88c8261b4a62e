"""Where a level's files may live: only inside the assets folder, only if they exist, and only
pictures small enough to show (their size is read from the file's header, never by decoding)."""

from __future__ import annotations

import struct
from pathlib import Path, PurePosixPath, PureWindowsPath

from pydantic_core import PydanticCustomError

from game.levels.suggest import closest

#: Picture formats pygame loads on every platform we ship to.
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg")
#: The largest picture a level may use, per side and in all: the game shows pictures at most
#: screen-sized, and a 4096 x 4096 picture already takes 64 MB once decoded (a 20000 x 20000
#: one took 2.1 GB and froze the game for seconds).
MAX_PICTURE_SIDE = 4096
MAX_PICTURE_PIXELS = 4096 * 4096
#: How far into a JPEG its size may be found (after EXIF and other metadata blocks).
JPEG_HEADER_SEARCH_BYTES = 1 << 20


def picture_size(path: Path) -> tuple[int, int] | None:
    """(width, height) from a PNG's or JPEG's header, without decoding the picture; None when
    the header cannot be read (the picture loader reports such files itself)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(32)
            if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
                width, height = struct.unpack(">II", head[16:24])
                return width, height
            if head.startswith(b"\xff\xd8"):
                return _jpeg_size(head + handle.read(JPEG_HEADER_SEARCH_BYTES))
    except OSError:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG's marker segments to the first start-of-frame (SOF0..SOF15 but DHT, JPG,
    DAC), which holds the height and width."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:            # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):   # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        at += 2 + length
    return None


def asset_names(assets_dir: Path, suffixes: tuple[str, ...] = PICTURE_SUFFIXES) -> list[str]:
    """Every file under `assets_dir` with one of `suffixes`, as 'faces/happy-1.png'."""
    try:
        return sorted(p.relative_to(assets_dir).as_posix() for p in assets_dir.rglob("*")
                      if p.suffix.lower() in suffixes and p.is_file())
    except OSError:
        return []


def _error(error_type: str, message: str, suggestion: str | None, **ctx: object) -> PydanticCustomError:
    return PydanticCustomError(error_type, message, {**ctx, "suggestion": suggestion})


def resolve_asset(value: object, assets_dir: Path, kind: str = "picture",
                  suffixes: tuple[str, ...] = PICTURE_SUFFIXES) -> Path:
    """The absolute, resolved path of `value` (written relative to `assets_dir`).

    Refuses anything that is not plain text, absolute paths, '..', symlinks that lead out of
    the folder, missing files and formats the game cannot show. Each refusal is a
    PydanticCustomError whose ctx carries a suggestion, so the loader can report it.
    """
    example = "faces/happy-1.png"
    if not isinstance(value, str):
        raise _error("asset_type", "The {kind} must be a file name in quotes.",
                     f'For example: {kind} = "{example}"', kind=kind)
    text = value.strip()
    if not text:
        raise _error("asset_empty", "The {kind} is empty.", f'For example: {kind} = "{example}"', kind=kind)
    if "\\" in text:
        raise _error("asset_backslash", "The {kind} path uses '\\'; write folders with '/'.",
                     f'Did you mean "{text.replace(chr(92), "/")}"?', kind=kind)
    if "\x00" in text:
        raise _error("asset_outside", "The {kind} path has a character that no file name has.", None, kind=kind)
    root = assets_dir.resolve()
    if PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute() or PureWindowsPath(text).drive:
        suggestion = "Write it relative to the assets folder."
        try:
            suggestion = f'Did you mean "{Path(text).resolve().relative_to(root).as_posix()}"?'
        except (ValueError, OSError):
            pass
        raise _error("asset_absolute", "The {kind} \"{path}\" is a full path; pictures are named "
                     "from inside the assets folder.", suggestion, kind=kind, path=text)
    if ".." in PurePosixPath(text).parts:
        raise _error("asset_outside", "The {kind} \"{path}\" points outside the assets folder.",
                     "Keep pictures inside assets/ and name them from there.", kind=kind, path=text)
    try:
        resolved = (root / text).resolve()
        inside = resolved.is_relative_to(root)
        exists = inside and resolved.is_file()
    except (OSError, ValueError, RuntimeError):   # RuntimeError: a symlink loop
        inside, exists, resolved = False, False, root
    if not inside:
        raise _error("asset_outside", "The {kind} \"{path}\" leads outside the assets folder "
                     "(through a link).", "Copy the file into assets/ instead of linking to it.",
                     kind=kind, path=text)
    if not exists:
        names = asset_names(root, suffixes)
        guess = closest(text, names)
        if guess is None:   # "happy.png" for "faces/happy-1.png": match on the file name alone
            by_name = {PurePosixPath(n).name: n for n in names}
            name_guess = closest(PurePosixPath(text).name, by_name)
            guess = by_name[name_guess] if name_guess else None
        raise _error("asset_missing", "There is no {kind} \"{path}\" in the assets folder.",
                     f'Did you mean "{guess}"?' if guess else "Check the spelling and the folder name.",
                     kind=kind, path=text)
    if resolved.suffix.lower() not in suffixes:
        raise _error("asset_format", "The {kind} \"{path}\" is not a picture the game can show.",
                     "Use a " + " or ".join(s.lstrip(".").upper() for s in suffixes) + " file.",
                     kind=kind, path=text)
    size = picture_size(resolved) if suffixes == PICTURE_SUFFIXES else None
    if size is not None and (max(size) > MAX_PICTURE_SIDE or size[0] * size[1] > MAX_PICTURE_PIXELS):
        raise _error("asset_too_big",
                     "The {kind} \"{path}\" is {width} x {height} pixels, too big for the game to "
                     "show (at most {side} x {side}).",
                     f"Save a smaller copy (at most {MAX_PICTURE_SIDE} pixels on each side; about "
                     "1000 pixels is plenty for the screen) and use that.",
                     kind=kind, path=text, width=size[0], height=size[1], side=MAX_PICTURE_SIDE)
    return resolved
