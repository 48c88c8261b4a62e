"""Make every picture and sound the game ships, from code, and copy its font.

    .venv/bin/python -m tools.make_assets            # writes into assets/
    .venv/bin/python -m tools.make_assets --out DIR  # somewhere else, e.g. to compare

Outputs: assets/faces/<emotion>-<n>.png (512 px), assets/avatars/<animal>.png (256 px),
assets/icons/<name>.png (128 px), assets/sounds/<name>.wav (16-bit mono) and
assets/fonts/Andika-*.ttf with OFL.txt. Running it again gives the same files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.assets.avatars import make_avatars
from tools.assets.faces import make_faces
from tools.assets.fonts import copy_fonts
from tools.assets.icons import make_icons
from tools.assets.sounds import make_sounds

ASSETS_DIR = Path(__file__).resolve().parents[1] / "assets"


def make_all(out: Path, fonts: bool = True) -> list[Path]:
    written = (make_faces(out / "faces") + make_avatars(out / "avatars") + make_icons(out / "icons")
               + make_sounds(out / "sounds"))
    if fonts:
        written += copy_fonts(out / "fonts")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ASSETS_DIR, help="folder to write into (default: assets/)")
    parser.add_argument("--no-fonts", action="store_true", help="do not copy the Andika font")
    args = parser.parse_args(argv)
    written = make_all(args.out, fonts=not args.no_fonts)
    for path in written:
        print(path)
    print(f"{len(written)} files written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
