"""`emotion-game kiosk install | remove | run`: the game starts at login and comes back after a crash.

`install` writes an XDG autostart entry (~/.config/autostart/emotion-game.desktop) that
starts `emotion-game kiosk run` when the kiosk's user logs in to the desktop; `remove`
takes it away. `run` is a small supervisor: it plays (`emotion-game play`, options from the
settings file) and starts the game again when it crashes, waiting a little longer after each
crash in a row; a game that ends cleanly (the teacher quit it) is not restarted.

Why XDG autostart and not a systemd user unit: every Debian/Ubuntu desktop (GNOME, Xfce,
LXQt, MATE, Cinnamon, KDE) starts ~/.config/autostart entries inside the graphical session,
with DISPLAY / WAYLAND_DISPLAY and the audio session already there. A user unit only starts
with the desktop where the desktop reaches graphical-session.target (GNOME does, Xfce and
LXDE do not) and needs the display variables imported into the user manager; the supervisor
gives the restart that systemd's Restart=on-failure would.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

ENTRY_NAME = "emotion-game.desktop"
#: Written into the entry so `remove` takes away only what `install` wrote.
MARKER = "X-Emotion-Game-Kiosk=true"


def autostart_dir() -> Path:
    """$XDG_CONFIG_HOME/autostart (~/.config/autostart), where desktops look at login."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart"


def entry_path() -> Path:
    return autostart_dir() / ENTRY_NAME


def run_command(python: str | None = None) -> list[str]:
    """What the entry starts: this installation's Python running the supervisor."""
    return [python or sys.executable, "-m", "game.cli", "kiosk", "run"]


def desktop_entry(command: Sequence[str]) -> str:
    # Exec follows the Desktop Entry spec's quoting: double quotes around an argument with
    # spaces, and `\\`, `"`, `` ` `` and `$` escaped inside them.
    def quoted(arg: str) -> str:
        if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
            return arg
        return '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'

    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=Emotion Game",
        "Comment=Starts the Emotion Game kiosk at login (emotion-game kiosk remove takes this away)",
        "Exec=" + " ".join(quoted(a) for a in command),
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "X-GNOME-Autostart-Delay=3",
        MARKER,
        "",
    ])


def install(python: str | None = None) -> Path:
    path = entry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(desktop_entry(run_command(python)), encoding="utf-8")
    os.replace(temporary, path)   # a login in the middle never reads half an entry
    return path


def remove() -> tuple[Path, bool]:
    """(the entry's path, whether one was removed). Leaves a file it did not write alone."""
    path = entry_path()
    if not path.is_file():
        return path, False
    if MARKER not in path.read_text(encoding="utf-8", errors="replace"):
        raise OSError(f"{path} was not written by `emotion-game kiosk install`; remove it by hand if it should go")
    path.unlink()
    return path, True


# -- the supervisor ------------------------------------------------------------------------

@dataclass(frozen=True)
class RestartPolicy:
    """When to start the game again. Pure: `next_wait` looks only at what it is given.

    A clean end (exit status 0), Ctrl+C (130) or a stop asked for (SIGTERM/SIGINT, e.g. at
    logout) is not restarted. A crash is, after `first_wait_s`, doubling for each crash in a
    row up to `max_wait_s`; a game that ran `stable_s` or longer starts the count again.
    """

    first_wait_s: float = 2.0
    max_wait_s: float = 60.0
    stable_s: float = 120.0

    def next_wait(self, exit_status: int, ran_s: float, crashes_in_a_row: int) -> float | None:
        """Seconds to wait before restarting, or None to stop. `crashes_in_a_row` counts this one."""
        if exit_status in (0, 130, -signal.SIGTERM, -signal.SIGINT, 128 + signal.SIGTERM):
            return None
        streak = 1 if ran_s >= self.stable_s else max(1, crashes_in_a_row)
        return min(self.max_wait_s, self.first_wait_s * 2 ** (streak - 1))


def supervise(command: Sequence[str], policy: RestartPolicy = RestartPolicy(), *,
              say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
              sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> int:
    """Run `command` until it ends cleanly; restart it after a crash. Returns its last status."""
    stopping = {"asked": False}
    child: dict[str, subprocess.Popen | None] = {"process": None}

    def stop(signum, _frame) -> None:
        stopping["asked"] = True
        process = child["process"]
        if process is not None and process.poll() is None:
            process.send_signal(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    crashes = 0
    try:
        while True:
            started = clock()
            child["process"] = subprocess.Popen(list(command))
            status = child["process"].wait()
            ran_s = clock() - started
            if stopping["asked"]:
                return status
            crashes = crashes + 1 if ran_s < policy.stable_s else 1
            wait = policy.next_wait(status, ran_s, crashes)
            if wait is None:
                return status
            say(f"emotion-game kiosk: the game stopped with exit status {status} after {ran_s:.0f} s; "
                f"starting it again in {wait:.0f} s")
            sleep(wait)
            if stopping["asked"]:
                return status
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# -- commands ------------------------------------------------------------------------------

def add_commands(sub: argparse._SubParsersAction) -> None:
    kiosk = sub.add_parser("kiosk", help="start the game at login, and again after a crash",
                           description="install: start the game when this user logs in (an XDG autostart entry); "
                                       "remove: stop doing that; run: play and restart the game if it crashes "
                                       "(what the autostart entry runs). Options come from the settings file "
                                       "(emotion-game settings).")
    actions = kiosk.add_subparsers(dest="kiosk_command", metavar="ACTION")
    kiosk.set_defaults(func=lambda args: (kiosk.print_help(), 2)[1])
    actions.add_parser("install", help="start the game at login").set_defaults(func=run_install)
    actions.add_parser("remove", help="no longer start the game at login").set_defaults(func=run_remove)
    run = actions.add_parser("run", help="play, and start the game again if it crashes",
                             description="Plays fullscreen with the settings file's options; anything after "
                                         "`--` is passed on to `emotion-game play`.")
    run.add_argument("play_options", nargs=argparse.REMAINDER, help="options for emotion-game play, after --")
    run.set_defaults(func=run_supervised)


def run_install(args: argparse.Namespace) -> int:
    path = install()
    print(f"Wrote {path}: the game starts when this user logs in to the desktop, and again if it crashes.")
    print("To stop that: emotion-game kiosk remove")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    try:
        path, removed = remove()
    except OSError as exc:
        print(f"emotion-game kiosk remove: {exc}", file=sys.stderr)
        return 1
    print(f"Removed {path}: the game no longer starts at login." if removed
          else f"Nothing to remove: {path} is not there, so the game does not start at login.")
    return 0


def run_supervised(args: argparse.Namespace) -> int:
    options = [o for o in args.play_options if o != "--"]
    command = [sys.executable, "-m", "game.cli", "play", *options]
    print(f"emotion-game kiosk: starting {shlex.join(command)}", file=sys.stderr, flush=True)
    return supervise(command)
