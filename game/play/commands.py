"""`emotion-game play`: the kiosk game. Argument parsing only; game.play.build wires the game."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from game.vocabulary import DEFAULT_LANGUAGE, LANGUAGES


def add_commands(sub: argparse._SubParsersAction) -> None:
    play = sub.add_parser(
        "play", help="start the game (fullscreen kiosk; --windowed for a window)",
        description="Children practise happy, sad and scared faces in front of the camera. "
                    "Fullscreen by default; the teacher area opens with Ctrl+Shift+T held for 2 seconds. "
                    "--child and --level together skip the menus and start that level for that child.")
    play.add_argument("--camera", default="0", metavar="SRC",
                      help="webcam index, video file, or folder of images (default: 0)")
    play.add_argument("--child", action="append", default=None, metavar="NAME",
                      help="play as this child (created if new); give it twice with a friends level "
                           "(players = 2) for two friends side by side: --child A --child B --level ID")
    play.add_argument("--level", default=None, metavar="ID_OR_PATH", help="a level id, or the path of a level file")
    play.add_argument("--lang", default=DEFAULT_LANGUAGE, choices=[lang.code for lang in LANGUAGES],
                      help=" or ".join(f"{lang.code} ({lang.name})" for lang in LANGUAGES))
    play.add_argument("--windowed", action="store_true", help="a window instead of fullscreen (Esc quits)")
    play.add_argument("--mute", action="store_true", help="no sounds and no voice; captions only")
    play.add_argument("--seconds", type=float, default=None, metavar="N", help="quit after N seconds (tests)")
    play.add_argument("--db", default=None, metavar="URL", help="progress database URL (default: SQLite in the user folder)")
    play.add_argument("--screenshots", default=None, metavar="DIR",
                      help="save a PNG of every scene the first time it shows; the camera view shows a stand-in "
                           "figure, not the child (see --screenshots-camera)")
    play.add_argument("--screenshots-camera", action="store_true",
                      help="with --screenshots: put the child's camera picture in them too (writes the child's "
                           "face to disk; only with the family's and the school's consent)")
    play.add_argument("--fps", type=int, default=60, help="UI frames per second (default 60)")
    play.add_argument("--difficulty", default="normal", choices=("easy", "normal", "hard"))
    play.add_argument("--model", default=None, help="expression model (default: models/expression.tflite)")
    play.add_argument("--levels-dir", default=None, help="folder of level files (default: levels/)")
    play.add_argument("--stats", default=None, metavar="FILE", help="write UI frame times and counts as JSON")
    play.set_defaults(func=run_play)


def options_from_args(args: argparse.Namespace):
    """The command line as game.play.build.GameOptions."""
    from game.play.build import GameOptions

    return GameOptions(lang=args.lang, mute=args.mute, difficulty=args.difficulty, camera=args.camera,
                       window="windowed" if args.windowed else "fullscreen",
                       model=Path(args.model) if args.model else None,
                       levels_dir=Path(args.levels_dir) if args.levels_dir else None, level=args.level,
                       db=args.db, screenshots=Path(args.screenshots) if args.screenshots else None,
                       # from the settings file (game/cli.py hands them over on the parsed options)
                       levels_folders=tuple(Path(f) for f in getattr(args, "levels_folders", None) or ()),
                       voice=getattr(args, "speech", True), voice_rate=getattr(args, "voice_rate", None),
                       screenshots_camera=getattr(args, "screenshots_camera", False),
                       teacher_pin=getattr(args, "teacher_pin", None))


def run_play(args: argparse.Namespace) -> int:
    # SDL would turn SIGTERM/SIGINT into a window close, which a kiosk answers with the teacher
    # gate: a logout or Ctrl+C must end the game instead (cleanly, below).
    os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")
    import pygame

    from game.play.build import BuildError, build_game, start

    try:
        game = build_game(options_from_args(args))
    except BuildError as exc:
        print(f"emotion-game play: {exc}", file=sys.stderr)
        return 2
    try:
        start(game, args.child)
    except BuildError as exc:
        print(f"emotion-game play: {exc}", file=sys.stderr)
        game.close()
        game.store.store.close()
        pygame.quit()
        return 2
    print(f"emotion-game play: {game.phrases.get('teacher.hold_hint', 'en')}", file=sys.stderr)
    previous = signal.signal(signal.SIGTERM, lambda _signum, _frame: game.quit())
    try:
        game.run(seconds=args.seconds, fps=args.fps)
    finally:
        signal.signal(signal.SIGTERM, previous)
        game.close()
        game.store.store.close()
        said = _store_status(game.store.store)
        if said:   # once, in full: what was not saved yet and where it is kept
            print(f"emotion-game play: {said}", file=sys.stderr)
        stats = game.frame_stats()
        stats["screenshots"] = {k: str(v) for k, v in game.screenshots.items()}
        if args.stats:
            Path(args.stats).write_text(json.dumps(stats, indent=2))
        if stats.get("frames"):
            print(f"ui frame ms: p50 {stats['ui_frame_ms_p50']} p99 {stats['ui_frame_ms_p99']} "
                  f"(UI thread CPU p50 {stats['ui_frame_cpu_ms_p50']} p99 {stats['ui_frame_cpu_ms_p99']}) "
                  f"over {stats['frames']} frames", file=sys.stderr)
        pygame.quit()
    return 0


def _store_status(store) -> str | None:
    """The store's whole note on results not saved (None when all is well, or for a store
    without one)."""
    status = getattr(store, "status", None)
    return status().message if callable(status) else None
