"""Level checks from issue 17: a huge picture is refused by `levels check` from its header
(item 8: a 20000 x 20000 PNG passed and froze the game for 5.6 s at 2.1 GB), and a `nan`
number names itself instead of "This is nan, but it must be at most 10.0" (item 9; the
message is made in game/levels/loader.py)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest

from game.levels import LevelError, load_level_file
from game.levels.assets import MAX_PICTURE_SIDE, picture_size
from tests.levels.helpers import ASSETS, MINIMAL, REPO


def level_text(picture: str, hold: str = "1.0", level_id: str = "t") -> str:
    """The smallest level showing `picture`, its round held `hold` seconds (TOML: "nan" passes)."""
    return MINIMAL.format(id=level_id, picture=picture) + f"hold_s = {hold}\n"


def write_png(path: Path, width: int, height: int) -> Path:
    """A real, valid 8-bit gray PNG of any size, streamed (a 20000 x 20000 one is ~400 kB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    squeeze = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * width          # filter byte 0, mid-gray
    body = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path


@pytest.fixture(scope="module")
def assets(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("assets")
    shutil.copytree(ASSETS / "faces", folder / "faces")
    write_png(folder / "faces" / "huge.png", 20_000, 20_000)
    write_png(folder / "faces" / "wide.png", MAX_PICTURE_SIDE + 1, 10)
    write_png(folder / "faces" / "largest.png", MAX_PICTURE_SIDE, MAX_PICTURE_SIDE // 64)
    return folder


def problems(tmp_path: Path, assets: Path, picture: str, hold: str = "1.0"):
    level = tmp_path / "t.toml"
    level.write_text(level_text(picture, hold), encoding="utf-8")
    with pytest.raises(LevelError) as caught:
        load_level_file(level, assets)
    return caught.value.problems


def test_a_20000_px_picture_is_refused_from_its_header_quickly(tmp_path, assets):
    tracemalloc.start()
    began = time.perf_counter()
    [problem] = problems(tmp_path, assets, "faces/huge.png")
    seconds = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problem.field == "rounds[1].picture" and problem.line == 7
    assert "20000 x 20000 pixels" in problem.message and "too big" in problem.message, problem.message
    assert f"at most {MAX_PICTURE_SIDE} pixels on each side" in problem.suggestion
    assert seconds < 2.0 and peak < 50 * 2**20, (seconds, peak)   # the picture was not decoded


def test_one_side_too_long_is_refused_and_the_largest_allowed_passes(tmp_path, assets):
    [problem] = problems(tmp_path, assets, "faces/wide.png")
    assert f"{MAX_PICTURE_SIDE + 1} x 10 pixels" in problem.message
    level = tmp_path / "ok.toml"
    level.write_text(level_text("faces/largest.png", level_id="ok"), encoding="utf-8")
    assert load_level_file(level, assets).rounds[0].picture.name == "largest.png"


def test_picture_size_reads_png_and_jpeg_headers(tmp_path, assets):
    import cv2
    import numpy as np
    assert picture_size(assets / "faces" / "huge.png") == (20_000, 20_000)
    jpeg = tmp_path / "p.jpg"
    assert cv2.imwrite(str(jpeg), np.zeros((31, 77, 3), np.uint8))
    assert picture_size(jpeg) == (77, 31)
    assert picture_size(assets / "faces" / "happy-1.png") is not None
    (tmp_path / "junk.png").write_bytes(b"not a picture")
    assert picture_size(tmp_path / "junk.png") is None


def test_levels_check_names_the_huge_picture(tmp_path, assets):
    levels = tmp_path / "levels"
    levels.mkdir()
    (levels / "t.toml").write_text(level_text("faces/huge.png"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "game.cli", "levels", "check", str(levels), "--assets",
                             str(assets)], capture_output=True, text=True, timeout=120, cwd=REPO)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "20000 x 20000 pixels" in output and "Traceback" not in output, output


def test_nan_is_named_as_not_a_number(tmp_path, assets):
    [problem] = problems(tmp_path, assets, "faces/happy-1.png", hold="nan")
    assert "must be at most" not in problem.message and "not a number" in problem.message, problem.message
    assert problem.field == "rounds[1].hold_s" and problem.suggestion
