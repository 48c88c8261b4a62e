"""The teacher PIN that keeps children out of the teacher area (no pygame).

`TeacherPin` knows the PIN: the settings file's `teacher_pin` when it has one (it wins, and
the kiosk cannot change it), else the PIN a teacher chose on this kiosk at first use, kept as
a salted hash in a small file beside the settings file. `PinLock` counts wrong tries: after
`tries` wrong PINs in a row the gate locks for `first_lock_s`, doubling with each lock-out
up to `max_lock_s`, so guessing 4 digits takes a child weeks, not minutes. Both are plain
classes the gate scene drives with the game clock.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PIN_LENGTHS = (4, 8)
PIN_FILE_NAME = "teacher-pin"


def valid_pin(pin: str) -> bool:
    """4 to 8 digits, as the settings file asks for."""
    low, high = PIN_LENGTHS
    return pin.isdigit() and low <= len(pin) <= high and pin.isascii()


def default_pin_file() -> Path:
    """Beside the settings file, in the platform's config folder."""
    from platformdirs import user_config_path

    return user_config_path("emotion-game") / PIN_FILE_NAME


def _digest(salt: str, pin: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt.encode("ascii"), 100_000).hex()


class TeacherPin:
    """The PIN in force. `file` None keeps a PIN chosen at the kiosk in memory only."""

    def __init__(self, from_settings: str | None = None, file: Path | None = None):
        self.from_settings = from_settings if from_settings and valid_pin(from_settings) else None
        self.file = Path(file) if file is not None else None
        self._kept: tuple[str, str] | None = None      # (salt, digest) of a PIN chosen here
        self.problem: str | None = None                # why the PIN file could not be read or written
        if self.from_settings is None and self.file is not None:
            self._kept = self._read()

    @property
    def in_settings(self) -> bool:
        """The settings file sets the PIN (the teacher area cannot change it)."""
        return self.from_settings is not None

    @property
    def is_set(self) -> bool:
        return self.from_settings is not None or self._kept is not None

    def matches(self, pin: str) -> bool:
        if self.from_settings is not None:
            return hmac.compare_digest(pin.encode(), self.from_settings.encode())
        if self._kept is None or not valid_pin(pin):
            return False
        salt, digest = self._kept
        return hmac.compare_digest(_digest(salt, pin), digest)

    def choose(self, pin: str) -> None:
        """Keep `pin` as this kiosk's PIN (ValueError for a PIN that is not 4-8 digits, or when
        the settings file sets it). The file is written whole or not at all."""
        if self.in_settings:
            raise ValueError("the settings file sets the teacher PIN")
        if not valid_pin(pin):
            raise ValueError("a PIN is 4 to 8 digits")
        salt = secrets.token_hex(16)
        self._kept = (salt, _digest(salt, pin))
        if self.file is None:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            part = self.file.with_name(self.file.name + ".part")
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(f"pbkdf2-sha256 {salt} {self._kept[1]}\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(part, self.file)
            self.problem = None
        except OSError as exc:
            # The PIN works until the game stops; the teacher area says it was not kept.
            self.problem = f"{self.file}: {exc.strerror or exc}"

    def _read(self) -> tuple[str, str] | None:
        try:
            text = self.file.read_text(encoding="ascii").split()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.problem = f"{self.file}: {getattr(exc, 'strerror', None) or exc}"
            return None
        if len(text) != 3 or text[0] != "pbkdf2-sha256":
            self.problem = f"{self.file}: not a teacher PIN file; choose a PIN again"
            return None
        return text[1], text[2]


@dataclass
class PinLock:
    """Wrong tries in a row and the lock-outs they earn; the caller gives the time."""

    tries: int = 3
    first_lock_s: float = 60.0
    max_lock_s: float = 30 * 60.0
    wrong: int = 0                 # wrong PINs since the last lock-out (or the right PIN)
    lockouts: int = 0              # lock-outs since the right PIN was last typed
    locked_until: float = float("-inf")

    def locked_for(self, now: float) -> float:
        """Seconds until PINs are taken again (0: now)."""
        return max(0.0, self.locked_until - now)

    def tries_left(self) -> int:
        return self.tries - self.wrong

    def wrong_pin(self, now: float) -> float:
        """A wrong PIN at `now`; the lock-out it starts, in seconds (0: none yet)."""
        self.wrong += 1
        if self.wrong < self.tries:
            return 0.0
        self.wrong = 0
        self.lockouts += 1
        self.locked_until = now + min(self.max_lock_s, self.first_lock_s * 2 ** (self.lockouts - 1))
        return self.locked_for(now)

    def right_pin(self) -> None:
        self.wrong, self.lockouts, self.locked_until = 0, 0, float("-inf")


@dataclass
class TeacherGate:
    """What the gate remembers between visits: the PIN and the wrong tries."""

    pin: TeacherPin
    lock: PinLock
