"""Pictures and the UI's caches (issue 17, items 8 and 10): a picture is decoded once and
scaled once per size; one too big to decode (a real 20000 x 20000 PNG) is refused by its
header, quickly and without the gigabytes; the caches and the frame-time record stay bounded
however long the kiosk runs. Real pygame (dummy driver), real PNG files."""

from __future__ import annotations

import os
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

from game.play.frame_times import FrameTimes  # noqa: E402
from game.play.ui_text import load_theme  # noqa: E402
from game.play.widgets import text as text_module  # noqa: E402
from game.play.widgets.text import Resources  # noqa: E402
from game.resources import assets_dir  # noqa: E402


def write_png(path: Path, width: int, height: int, rgb=(200, 40, 90)) -> Path:
    """A real, valid RGB PNG of one colour, written row by row (never held whole in memory)."""
    row = b"\x00" + bytes(rgb) * width
    packer = zlib.compressobj(1)
    chunks, rows_per_chunk = [], max(1, 4_000_000 // len(row))
    for start in range(0, height, rows_per_chunk):
        chunks.append(packer.compress(row * min(rows_per_chunk, height - start)))
    chunks.append(packer.flush())
    data = b"".join(chunks)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture(scope="module")
def huge_png(tmp_path_factory) -> Path:
    return write_png(tmp_path_factory.mktemp("pictures") / "huge.png", 20000, 20000)


@pytest.fixture()
def res():
    pygame.display.init()
    pygame.font.init()
    yield Resources(load_theme(), assets_dir())
    pygame.quit()


def test_a_20000_pixel_png_is_refused_by_its_header_quickly_and_named(res, huge_png):
    before = rss_mb()
    began = time.perf_counter()
    picture = res.image(huge_png, (300, 300))
    again = res.image(huge_png, (150, 150))
    took = time.perf_counter() - began
    assert picture is None and again is None            # the caller draws its stand-in
    assert took < 0.5, f"{took:.2f} s: the picture was decoded"
    assert rss_mb() - before < 50, "the picture was decoded"
    assert len(res.problems) == 1, res.problems                 # named once, not once per size
    for i in range(text_module.PICTURE_CACHE_SIZE + 1):        # other pictures push it out of the cache
        res.picture(write_png(huge_png.parent / f"small-{i}.png", 20, 20))
    assert res.image(huge_png, (40, 40)) is None and len(res.problems) == 1, res.problems   # and still once
    assert "huge.png" in res.problems[0] and "20000 x 20000" in res.problems[0]


def test_a_picture_is_decoded_once_and_kept_no_larger_than_the_canvas(res, tmp_path, monkeypatch):
    big = write_png(tmp_path / "big.png", 3000, 2000)
    decoded: list[str] = []
    real_load = pygame.image.load
    monkeypatch.setattr(pygame.image, "load", lambda name, *a: decoded.append(name) or real_load(name, *a))
    sizes = [(300, 300), (200, 120), (640, 480), (300, 300)]
    pictures = [res.image(big, size) for size in sizes]
    assert decoded == [str(big)]                                # one decode for every size
    assert pictures[0] is pictures[3]                           # one scaling per size
    assert [p.get_size() for p in pictures] == [(300, 200), (180, 120), (640, 426), (300, 200)]
    canvas = res.theme.size
    kept = res.picture(big)
    assert kept.get_width() <= canvas[0] and kept.get_height() <= canvas[1]
    assert all(abs(a - b) <= 4 for a, b in zip(kept.get_at((10, 10))[:3], (200, 40, 90)))   # the picture itself


def test_a_palette_png_scales(res, tmp_path):
    pygame.display.quit()          # no display: the picture keeps its own 8-bit format
    palette = pygame.Surface((40, 30), depth=8)
    palette.fill((10, 200, 30))
    path = tmp_path / "palette.png"
    pygame.image.save(palette, str(path))
    picture = res.image(path, (20, 20))
    assert picture is not None and picture.get_size() == (20, 15), res.problems


def test_every_cache_stays_bounded(res, tmp_path):
    pictures = [write_png(tmp_path / f"p{i}.png", 40, 40) for i in range(text_module.PICTURE_CACHE_SIZE + 5)]
    for i in range(400):
        res.text(f"line {i}", "small")
        res.wrapped(f"some words to wrap {i}", "small", 200)
        res.image(pictures[i % len(pictures)], (10 + i, 10 + i))
        res.shape(("dot", i), (8, 8), lambda s: s.fill((1, 2, 3)))
    sizes = res.cache_sizes()
    assert sizes["pictures"] <= text_module.PICTURE_CACHE_SIZE, sizes
    assert sizes["images"] <= text_module.SCALED_CACHE_SIZE, sizes
    assert sizes["shapes"] <= text_module.SHAPE_CACHE_SIZE, sizes
    assert sizes["text"] <= text_module.TEXT_CACHE_SIZE and sizes["wrapped"] <= text_module.TEXT_CACHE_SIZE, sizes


def test_text_that_keeps_changing_stays_within_the_pixel_budget(res):
    for i in range(600):                  # a count shown in big letters: a new surface every time
        res.text(f"{i:04d} points for the whole class today", "title")
    sizes = res.cache_sizes()
    assert sizes["text_kb"] * 1024 <= text_module.TEXT_CACHE_BYTES, sizes
    assert res.newest_texts(1) == ["0599 points for the whole class today"]


def test_frame_times_take_no_more_memory_as_frames_go_by():
    times = FrameTimes()                  # what the game keeps: about 55 minutes at 60 fps
    for i in range(1000):
        times.add(1.0 + i % 7, 0.5)
    tracemalloc.start()
    try:
        first = tracemalloc.take_snapshot()
        for i in range(120_000):          # half an hour at 60 fps
            times.add(2.0 + i % 11, 1.0)
        grown = sum(stat.size_diff for stat in tracemalloc.take_snapshot().compare_to(first, "filename")
                    if stat.traceback[0].filename.endswith(("frame_times.py", "test_pictures_and_caches.py")))
    finally:
        tracemalloc.stop()
    assert grown < 64 * 1024, f"frame times grew by {grown / 1024:.0f} KB over 120,000 frames"
    stats = times.stats()
    assert stats["frames"] == 121_000 and stats["ui_frame_ms_max"] == 12.0 and 2.0 <= stats["ui_frame_ms_p50"] <= 12.0


def test_the_oldest_frame_times_give_way():
    times = FrameTimes(kept=50_000)
    for i in range(120_000):
        times.add(100.0 if i < 70_000 else 2.0, 1.0)
    stats = times.stats()
    assert stats["frames"] == 120_000 and stats["frames_timed"] == 50_000
    assert stats["ui_frame_ms_max"] == 2.0            # only the newest 50,000 are kept


def test_the_kiosk_shows_a_stand_in_for_a_huge_avatar_at_once_and_tells_the_teacher(tmp_path, huge_png):
    from game.progress import open_store
    from tests.faults.kiosk import two_levels
    from tests.play.harness import Driver, make_game

    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    store.add_child("Ana", str(huge_png))           # a picture file given as the child's avatar
    game = make_game(store, two_levels(tmp_path / "levels"))
    driver = Driver(game)
    try:
        game.replace("welcome")
        driver.run(0.5)
        began = time.perf_counter()
        driver.press(pygame.K_RETURN)                # the children's pictures
        driver.run(0.5)
        took = time.perf_counter() - began
        assert game.scene.name == "choose", game.scene.name
        assert took < 3.0, f"{took:.1f} s to show the children"
        assert any("huge.png" in note and "too big" in note for note in game.notes), game.notes
    finally:
        game.close()
        store.close()
