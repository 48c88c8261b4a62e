"""The kiosk's settings: what the command line starts with and the teacher area changes."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from game.play.thresholds import Difficulty
from game.vocabulary import DEFAULT_LANGUAGE


@dataclass
class PlaySettings:
    """What the teacher (or the command line) sets; the teacher area changes it while playing."""

    lang: str = DEFAULT_LANGUAGE
    volume: float = 0.8
    muted: bool = False
    difficulty: Difficulty = Difficulty.NORMAL
    camera: str | int = 0
    kiosk: bool = True                 # fullscreen, Esc does not quit
    kiosk_name: str = field(default_factory=socket.gethostname)
    auto_next_s: float = 12.0          # the "try again?" screen moves on by itself after this
    calibrate: bool = True             # ask for a calm face at a child's first session


def parse_camera(text: str) -> str | int:
    """A camera as typed: "0" is webcam 0, anything else a video file or a folder."""
    text = str(text).strip()
    return int(text) if text.isdigit() else text
