"""`emotion-game play`: the kiosk game. Argument parsing only; the work is in game.play.launch."""

from __future__ import annotations

import argparse


def add_commands(sub: argparse._SubParsersAction) -> None:
    play = sub.add_parser(
        "play", help="start the game (fullscreen kiosk; --windowed for a window)",
        description="Children practise happy, sad and scared faces in front of the camera. "
                    "Fullscreen by default; the teacher area opens with Ctrl+Shift+T held for 2 seconds. "
                    "--child and --level together skip the menus and start that level for that child.")
    play.add_argument("--camera", default="0", metavar="SRC",
                      help="webcam index, video file, or folder of images (default: 0)")
    play.add_argument("--child", default=None, metavar="NAME", help="play as this child (created if new)")
    play.add_argument("--level", default=None, metavar="ID_OR_PATH", help="a level id, or the path of a level file")
    play.add_argument("--lang", default="en", choices=("en", "id"), help="en (English) or id (Bahasa Indonesia)")
    play.add_argument("--windowed", action="store_true", help="a window instead of fullscreen (Esc quits)")
    play.add_argument("--mute", action="store_true", help="no sounds and no voice; captions only")
    play.add_argument("--seconds", type=float, default=None, metavar="N", help="quit after N seconds (tests)")
    play.add_argument("--db", default=None, metavar="URL", help="progress database URL (default: SQLite in the user folder)")
    play.add_argument("--screenshots", default=None, metavar="DIR", help="save a PNG of every scene the first time it shows")
    play.add_argument("--fps", type=int, default=60, help="UI frames per second (default 60)")
    play.add_argument("--difficulty", default="normal", choices=("easy", "normal", "hard"))
    play.add_argument("--model", default=None, help="expression model (default: models/expression.tflite)")
    play.add_argument("--levels-dir", default=None, help="folder of level files (default: levels/)")
    play.add_argument("--stats", default=None, metavar="FILE", help="write UI frame times and counts as JSON")
    play.set_defaults(func=run_play)


def run_play(args: argparse.Namespace) -> int:
    from game.play.launch import play

    return play(args)
