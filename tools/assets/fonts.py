"""Copy the game's font, SIL Andika (made for children learning to read), with its licence.

Andika is under the SIL Open Font License 1.1, which lets us bundle it with the game as long
as the licence travels with it. The source is Debian's fonts-sil-andika package (installed as
fonts-andika), so nothing is downloaded.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype/andika")
COPYRIGHT = Path("/usr/share/doc/fonts-sil-andika/copyright")
FONTS = ("Andika-Regular.ttf", "Andika-Bold.ttf")


def ofl_text(copyright_file: Path) -> str:
    """The licence stanza of a Debian copyright file, unwrapped from its one-space indent."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    # The stand-alone licence paragraph: a "License:" line followed by indented text.
    start = next(i for i, line in enumerate(lines[:-1])
                 if line.startswith("License: OFL") and lines[i + 1].startswith(" "))
    body = []
    for line in lines[start + 1:]:
        if line and not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    return "\n".join(body).strip() + "\n"


def copy_fonts(out_dir: Path, font_dir: Path = FONT_DIR, copyright_file: Path = COPYRIGHT) -> list[Path]:
    """assets/fonts/Andika-*.ttf and OFL.txt. Returns [] (and says why) when the package is absent."""
    missing = [name for name in FONTS if not (font_dir / name).is_file()]
    if missing or not copyright_file.is_file():
        print(f"fonts: Andika not found in {font_dir} (apt-get install fonts-sil-andika); keeping the copies in {out_dir}")
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FONTS:
        shutil.copyfile(font_dir / name, out_dir / name)
        written.append(out_dir / name)
    licence = out_dir / "OFL.txt"
    licence.write_text("Andika fonts: Copyright (c) 2004-2022 SIL International, with Reserved Font Names "
                       "\"Andika\" and \"SIL\".\nCopied unmodified from Debian's fonts-sil-andika package.\n\n"
                       + ofl_text(copyright_file), encoding="utf-8")
    written.append(licence)
    return written
