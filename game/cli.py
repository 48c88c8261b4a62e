"""`emotion-game` subcommands. Argument parsing only: each room registers its own commands.

Every room exposes `add_commands(subparsers)`; a command sets `func(args) -> int` as its
default. Rooms are imported lazily when they register, so `emotion-game levels check` does
not load MediaPipe and `emotion-game classify` does not load pygame.

The settings file (game/settings.py) gives the `play` options their defaults, so anything
typed on the command line overrides it; `emotion-game settings` shows what is in force.
Every command takes `--verbose`, which lets OpenCV's and FFmpeg's own log lines through.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from game.settings import LoadedSettings, describe, load_settings

#: Rooms that contribute subcommands, in the order `--help` lists them.
COMMAND_ROOMS = (
    "game.play.commands",       # play
    "game.vision.commands",     # classify, analyze
    "game.levels.commands",     # levels check / levels new / levels preview
    "game.progress.commands",   # report
    "game.kiosk",               # kiosk install / kiosk remove
)

#: Read by game.vision.sources: "1" lets OpenCV's and FFmpeg's own lines reach the terminal.
VERBOSE_ENV = "EMOTION_GAME_VERBOSE"


def build_parser(settings: LoadedSettings | None = None) -> argparse.ArgumentParser:
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
    show = sub.add_parser("settings", help="show the settings file's path and the values in force",
                          description="Prints where the settings file is and every value the game uses now: "
                                      "from the file, or the default. Edit the file to change them.")
    show.set_defaults(func=run_settings)
    for command in _commands(sub):
        command.add_argument("--verbose", action="store_true",
                             help="also show OpenCV's and FFmpeg's own log lines (camera and video details)")
    if settings is not None and "play" in sub.choices:
        apply_settings(sub.choices["play"], settings)
    return parser


def _commands(sub: argparse._SubParsersAction):
    """Every command parser, nested ones (levels check, kiosk install) included."""
    for parser in dict.fromkeys(sub.choices.values()):
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        yield parser
        for action in nested:
            yield from _commands(action)


def apply_settings(play: argparse.ArgumentParser, settings: LoadedSettings) -> None:
    """The settings file's values become the play options' defaults (the command line still wins).

    `teacher_pin`, `voice_rate` and `levels_folders` have no play option: they are handed to
    the game on the parsed options under those names.
    """
    values = settings.values
    play.set_defaults(lang=values.language, camera=values.camera, db=values.database_url,
                      teacher_pin=values.teacher_pin, voice_rate=values.voice_rate, speech=values.speech,
                      levels_folders=list(values.levels_folders))
    if not values.speech:
        play.set_defaults(mute=True)   # the game has one switch for voice and sounds today


def run_settings(args: argparse.Namespace) -> int:
    print(describe(args.settings))
    return 1 if args.settings.problems else 0


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = build_parser(settings)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    args.settings = settings
    if getattr(args, "verbose", False):
        os.environ[VERBOSE_ENV] = "1"
    if args.command != "settings":
        for problem in settings.problems:   # the game goes on with the defaults for these keys
            print(f"settings: {problem}", file=sys.stderr)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
