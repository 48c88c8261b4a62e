"""A tiny disk that tests can fill up: a tmpfs of a few megabytes, mounted for one test.

Mounting needs root (CI runs as root) and a kernel that allows it (some containers do not).
`mount_tmpfs` never raises for either: it returns a `SmallDisk` whose `reason` says why it is
not mounted, so a test can skip with that reason or fall back to an injected "disk is full".
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Bytes written per call while filling; small enough that the last partial block is used too.
FILL_CHUNK = 4096


@dataclass(frozen=True)
class SmallDisk:
    """A folder that is its own small tmpfs, or (when `reason` is set) a plain folder."""

    path: Path
    reason: str | None = None

    @property
    def mounted(self) -> bool:
        return self.reason is None

    def fill(self) -> Path:
        """Write zeros into `path/filler` until the disk is full; unlink the file for space again."""
        filler = self.path / "filler"
        with open(filler, "wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * FILL_CHUNK)
            except OSError:
                pass  # ENOSPC: the disk is full now
        return filler

    def unmount(self) -> None:
        """Lazily unmount (files still open in the test are let go of when they close)."""
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False, capture_output=True)


def mount_tmpfs(path: Path, size: str) -> SmallDisk:
    """Make the folder `path` and mount a tmpfs of `size` (e.g. "3m") on it.

    The result's `reason` is None when mounted, else why not (not root, no mount command, the
    kernel refused), worded for a pytest skip message.
    """
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return SmallDisk(path, f"mounting a {size} tmpfs needs root (running as uid {os.geteuid()})")
    if shutil.which("mount") is None:
        return SmallDisk(path, "mounting a tmpfs needs the mount command (util-linux), which is not installed")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        why = " ".join((result.stderr or result.stdout).split()) or f"exit status {result.returncode}"
        return SmallDisk(path, f"mount -t tmpfs was refused here ({why})")
    return SmallDisk(path)
