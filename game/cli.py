"""`emotion-game` subcommands. Argument parsing only: each room registers its own commands.

Every room exposes `add_commands(subparsers)`; a command sets `func(args) -> int` as its
default. Rooms are imported lazily when they register, so `emotion-game levels check` does
not load MediaPipe and `emotion-game classify` does not load pygame.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Rooms that contribute subcommands, in the order `--help` lists them.
COMMAND_ROOMS = (
    "game.play.commands",       # play
    "game.vision.commands",     # classify, analyze
    "game.levels.commands",     # levels check / levels new
    "game.progress.commands",   # report
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="emotion-game",
        description="Emotion Game: children practise happy, sad and scared faces at a classroom kiosk.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for room in COMMAND_ROOMS:
        try:
            module = importlib.import_module(room)
        except ModuleNotFoundError as exc:
            if exc.name and (room == exc.name or room.startswith(exc.name + ".")):
                continue  # a room that is not built yet contributes nothing
            raise
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
