"""`emotion-game levels check [DIR]` and `emotion-game levels new ID`: the teacher's tools.

`check` loads every level file the way the game does and prints a report: each level that is
ready with its rounds, and each problem with its file, line, field and a suggestion. It exits
0 when everything is ready and 1 otherwise, so it can also guard a commit or a CI run.
`new` writes a small, valid level to start from, and never overwrites a file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TextIO

from game.levels import DEFAULT_ASSETS_DIR, DEFAULT_LEVELS_DIR, EMOTIONS
from game.levels.model import LEVEL_ID_MAX, LEVEL_ID_PATTERN, LevelProblem, LevelSet
from game.levels.suggest import did_you_mean


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    levels = subparsers.add_parser("levels", help="check level files, or start a new one",
                                   description="Tools for the level files in levels/.")
    sub = levels.add_subparsers(dest="levels_command", metavar="ACTION")
    levels.set_defaults(func=lambda args: (levels.print_help(), 2)[1])

    check = sub.add_parser("check", help="check level files and report what to fix",
                           description="Load every level file as the game would and report what is wrong. "
                                       "Exit status 0 when all levels are ready, 1 otherwise.")
    check.add_argument("path", nargs="?", type=Path, default=None, metavar="DIR",
                       help="folder of level files, or one .toml file (default: the game's levels, the shipped "
                            "ones and the school's levels_folders from the settings file)")
    check.add_argument("--assets", type=Path, default=DEFAULT_ASSETS_DIR, metavar="DIR",
                       help="folder the pictures are in (default: the game's assets/)")
    check.set_defaults(func=run_check)

    new = sub.add_parser("new", help="write a new level file to edit",
                         description="Write levels/ID.toml: a small level that already passes the check, "
                                     "to change into your own. Never overwrites a file.")
    new.add_argument("level_id", metavar="ID", help='the level\'s id and file name, e.g. "happy-animals"')
    new.add_argument("--dir", type=Path, default=DEFAULT_LEVELS_DIR, help="where to write it (default: levels/)")
    new.add_argument("--assets", type=Path, default=DEFAULT_ASSETS_DIR, metavar="DIR",
                     help="folder the pictures are in (default: the game's assets/)")
    new.add_argument("--emotion", choices=EMOTIONS, default="happy", help="the emotion of the first round")
    new.set_defaults(func=run_new)

    preview = sub.add_parser("preview", help="play one level in a window with a made camera",
                             description="Plays the level as a child would see it, in a window, with a made camera "
                                         "that shows each round's own picture in turn (no child and no webcam "
                                         "needed). Nothing is saved: the player \"Preview\" lives in a temporary "
                                         "database. Like any new player it is first asked for a calm face.")
    preview.add_argument("level", metavar="ID_OR_FILE", help="a level id from --dir, or a level file")
    preview.add_argument("--dir", type=Path, default=DEFAULT_LEVELS_DIR, help="the levels folder (default: levels/)")
    preview.add_argument("--assets", type=Path, default=DEFAULT_ASSETS_DIR, metavar="DIR",
                         help="folder the pictures are in (default: the game's assets/)")
    preview.add_argument("--lang", default=None, help="the language to show (default: the settings file's)")
    preview.add_argument("--mute", action="store_true", help="no sounds and no voice")
    preview.add_argument("--seconds", type=float, default=None, metavar="N", help="close the preview after N seconds")
    preview.set_defaults(func=run_preview)


# -- check ---------------------------------------------------------------------------------

def _shown(path: Path) -> str:
    """A path as short as it can be said: relative to where the teacher is, if inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:   # another drive on Windows
        return str(path)
    return str(path.absolute()) if relative.startswith("..") else relative


def _problem_lines(problem: LevelProblem) -> list[str]:
    where = _shown(problem.file)
    if problem.line is not None:
        where += f", line {problem.line}"
    if problem.field:
        where += f", {problem.field_label}"
    lines = [f"  {where}", f"      {problem.message}"]
    if problem.suggestion:
        lines.append(f"      {problem.suggestion}")
    return lines


def format_report(level_set: LevelSet, source: Path | list[Path], assets_dir: Path,
                  warnings: list[LevelProblem] | tuple = ()) -> str:
    """The check report: what is ready, what to fix, what to look at (warnings), then a summary."""
    sources = source if isinstance(source, list) else [source]
    out = [f"Checking levels in {' and '.join(_shown(s) for s in sources)} (pictures from {_shown(assets_dir)})", ""]
    width = max((len(lv.id) for lv in level_set.levels), default=0)
    title_width = max((len(str(lv.title)) for lv in level_set.levels), default=0)
    for level in level_set.levels:
        rounds = f"{len(level.rounds)} round" + ("s" if len(level.rounds) != 1 else "")
        unlock = "open from the start" if level.unlock.after is None else f"after {level.unlock.after}"
        if level.unlock.min_stars:
            unlock += f" with {level.unlock.min_stars} star" + ("s" if level.unlock.min_stars > 1 else "")
        mode = ", mirror game" if level.mode == "mirror" else ""
        out.append(f"  OK  {level.order:>2}  {level.id:<{width}}  {str(level.title):<{title_width}}"
                   f"  {rounds}{mode}, {unlock}")
    if level_set.problems:
        if level_set.levels:
            out.append("")
        out.append(f"Problems to fix ({len(level_set.problems)}):")
        for problem in level_set.problems:
            out.append("")
            out.extend(_problem_lines(problem))
    if warnings:
        out.append("")
        out.append(f"Warnings ({len(warnings)}): these levels still work, but look again:")
        for warning in warnings:
            out.append("")
            out.extend(_problem_lines(warning))
    out.append("")
    n_ready = len(level_set.levels)
    ready = f"{n_ready} level" + (" is" if n_ready == 1 else "s are") + " ready"
    if level_set.problems:
        files = len({p.file for p in level_set.problems})
        out.append(f"{ready}; {files} file" + (" needs" if files == 1 else "s need") + " fixing.")
        out.append("The game offers the levels that are ready and leaves out a file until it is fixed.")
    elif warnings:
        out.append(f"{ready}, with {len(warnings)} warning" + ("s" if len(warnings) != 1 else "") + " to look at.")
    else:
        out.append(f"All good: {ready}.")
    return "\n".join(out)


def game_folders(args: argparse.Namespace) -> list[Path]:
    """The folders the game plays from: the shipped levels, then the settings' levels_folders."""
    settings = getattr(args, "settings", None)
    extra = list(settings.values.levels_folders) if settings is not None else []
    return [DEFAULT_LEVELS_DIR, *extra]


def check(path: Path | list[Path], assets_dir: Path) -> LevelSet:
    """The same loading the game does, for a folder, several folders, or one file."""
    from game.levels import LevelError, load_level_file, load_levels

    if isinstance(path, list):
        return load_levels(path, assets_dir)
    if path.is_file():
        try:
            return LevelSet(levels=[load_level_file(path, assets_dir)])
        except LevelError as exc:
            return LevelSet(problems=exc.problems)
    if not path.is_dir():
        return LevelSet(problems=[LevelProblem(file=path, message="There is no such folder or file.",
                                               suggestion="Check the name, e.g. emotion-game levels check levels/")])
    return load_levels(path, assets_dir)


def warnings_for(level_set: LevelSet, path: Path | list[Path], assets_dir: Path) -> list[LevelProblem]:
    """What `review_levels` finds in the levels that loaded from `path` (folders or one file)."""
    from game.levels.review import review_levels

    folders = path if isinstance(path, list) else [path]

    def file_of(level) -> Path:   # a level's id is its file name (the loader insists)
        if len(folders) == 1 and folders[0].is_file():
            return folders[0]
        found = (folder / f"{level.id}.toml" for folder in folders)
        return next((file for file in found if file.is_file()), folders[0] / f"{level.id}.toml")

    return review_levels(level_set.levels, file_of, assets_dir)


def run_check(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    path = args.path if args.path is not None else game_folders(args)
    level_set = check(path, args.assets)
    warnings = warnings_for(level_set, path, args.assets)
    shown = path if not isinstance(path, list) or len(path) > 1 else path[0]
    print(format_report(level_set, shown, args.assets, warnings), file=out)
    return 0 if level_set.levels and not level_set.problems else 1


# -- new -----------------------------------------------------------------------------------

TEMPLATE_PROMPTS = {
    "happy": ('Show me your happy face!', 'Tunjukkan wajah senangmu!',
              'Show me your teeth!', 'Tunjukkan gigimu!'),
    "sad": ('Show me your sad face.', 'Tunjukkan wajah sedihmu.',
            'Turn the corners of your mouth down.', 'Turunkan ujung bibirmu ke bawah.'),
    "fear": ('Show me your scared face!', 'Tunjukkan wajah takutmu!',
             'Make your eyes big and round!', 'Buat matamu besar dan bulat!'),
}

TEMPLATE = '''\
# A new level. Change the words, pictures and numbers, then check it with:
#     emotion-game levels check
# levels/README.md explains every setting, with a worked example.

# The id must match the file name ({level_id}.toml). Order is the level's place in the list.
id = "{level_id}"
order = {order}
title = {title}
{unlock}
# Settings for every round below; a round can set its own to override them.
[defaults]
hold_s = 1.0               # seconds the face must be held
time_limit_s = 20          # seconds before the game moves on kindly
threshold = 0.6            # how clear the face must be, 0.3 (easy) to 0.95 (hard)

# One [[rounds]] block for each face. Copy the block to add another round.
[[rounds]]
# emotion is happy, sad or fear; the picture is a file inside assets/.
emotion = "{emotion}"
picture = "{picture}"
prompt = {{ en = "{prompt_en}", id = "{prompt_id}" }}
# speech = {{ en = "...", id = "..." }}   # what the voice says, if not the prompt
# story = {{ en = "...", id = "..." }}    # a short situation told before the prompt
hints = [
  {{ en = "{hint_en}", id = "{hint_id}" }},
]
'''


def _suggest_id(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.strip().lower()).strip("-")
    return slug[:LEVEL_ID_MAX].strip("-")


def scaffold(level_id: str, emotion: str, order: int, after: str | None, picture: str) -> str:
    prompt_en, prompt_id, hint_en, hint_id = TEMPLATE_PROMPTS[emotion]
    unlock = (f'# Opens when "{after}" is done.\nunlock = {{ after = "{after}" }}\n' if after
              else '# Open from the start. To wait for another level: unlock = { after = "its-id" }\n')
    from game.levels.review import SCAFFOLD_TITLE

    title = "{ " + ", ".join(f'{lang} = "{text}"' for lang, text in SCAFFOLD_TITLE.items()) + " }"
    return TEMPLATE.format(level_id=level_id, order=order, unlock=unlock, emotion=emotion, picture=picture, title=title,
                           prompt_en=prompt_en, prompt_id=prompt_id, hint_en=hint_en, hint_id=hint_id)


def run_new(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from game.levels import LevelError, load_level_file, load_levels
    from game.levels.assets import asset_names

    out = out or sys.stdout
    level_id: str = args.level_id
    if not re.match(LEVEL_ID_PATTERN, level_id) or len(level_id) > LEVEL_ID_MAX:
        guess = _suggest_id(level_id)
        print(f'"{level_id}" cannot be a level id: use small letters, digits and dashes '
              f"(at most {LEVEL_ID_MAX} characters).", file=out)
        if guess and re.match(LEVEL_ID_PATTERN, guess):
            print(f"Try: emotion-game levels new {guess}", file=out)
        return 1
    target: Path = args.dir / f"{level_id}.toml"
    if target.exists():
        print(f"{_shown(target)} already exists; nothing was changed. Choose another id, or edit that file.",
              file=out)
        return 1
    existing = load_levels(args.dir, args.assets).levels if args.dir.is_dir() else []
    if any(level.id == level_id for level in existing):
        print(f'Another file already has the id "{level_id}"; choose another id.', file=out)
        return 1
    pictures = asset_names(args.assets.resolve())
    preferred = [p for p in pictures if p.startswith(f"faces/{args.emotion}")]
    if not (preferred or pictures):
        print(f"There are no pictures in {_shown(args.assets)} for the level to show.", file=out)
        return 1
    last = max(existing, key=lambda level: level.order, default=None)
    text = scaffold(level_id, args.emotion, order=(last.order + 1) if last else 1,
                    after=last.id if last else None, picture=(preferred or pictures)[0])
    args.dir.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as handle:   # "x": never overwrite, even in a race
            handle.write(text)
    except FileExistsError:
        print(f"{_shown(target)} already exists; nothing was changed.", file=out)
        return 1
    try:
        load_level_file(target, args.assets)
    except LevelError as exc:   # the template is meant to pass; if it does not, say so plainly
        target.unlink()
        print("The new level did not pass the check, so it was not kept:", file=out)
        for problem in exc.problems:
            print(f"  {problem}", file=out)
        return 1
    print(f"Wrote {_shown(target)}. Edit it, then run: emotion-game levels check {_shown(args.dir)}", file=out)
    return 0


# -- preview -------------------------------------------------------------------------------

#: The frame rate a folder camera plays at (game.vision.sources.open_source's default for folders).
PREVIEW_FPS = 10
#: How long the made camera shows each round's picture: the intro, then the hold, then a little.
PREVIEW_ROUND_EXTRA_S = 3.0


def made_camera(level, out_dir: Path, fps: int = PREVIEW_FPS) -> Path:
    """A folder camera that shows each round's picture in turn, long enough to hold it.

    Frames are links to the pictures (copies where links are not allowed), so the folder costs
    next to nothing and the level's own pictures are what the game sees.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    index = 0
    for rnd in level.rounds:
        frames = int(round((rnd.hold_s + PREVIEW_ROUND_EXTRA_S) * fps))
        for _ in range(frames):
            frame = out_dir / f"frame_{index:05d}{rnd.picture.suffix.lower()}"
            try:
                frame.symlink_to(rnd.picture)
            except OSError:
                shutil.copyfile(rnd.picture, frame)
            index += 1
    return out_dir


def run_preview(args: argparse.Namespace, out: TextIO | None = None) -> int:
    import subprocess
    import tempfile

    from game.levels import LevelError, load_level_file

    out = out or sys.stdout
    spec = Path(args.level)
    file = spec if spec.suffix.lower() == ".toml" or spec.is_file() else args.dir / f"{args.level}.toml"
    if not file.is_file():
        known = sorted(p.stem for p in args.dir.glob("*.toml")) if args.dir.is_dir() else []
        guess = did_you_mean(args.level, known)
        print(f'There is no level "{args.level}" in {_shown(args.dir)}. ' + (guess or "Levels: " + ", ".join(known)),
              file=out)
        return 1
    try:
        level = load_level_file(file, args.assets)
    except LevelError as exc:
        print(f"{_shown(file)} cannot be played yet:", file=out)
        for problem in exc.problems:
            out.write("\n".join(_problem_lines(problem)) + "\n")
        return 1
    with tempfile.TemporaryDirectory(prefix="emotion-game-preview-") as temporary:
        camera = made_camera(level, Path(temporary) / "camera")
        # The game is another room (game.play): start it as the kiosk does, not by importing it.
        command = [sys.executable, "-m", "game.cli", "play", "--windowed", "--camera", str(camera),
                   "--child", "Preview", "--level", str(file.resolve()),
                   "--levels-dir", str(file.resolve().parent),
                   "--db", f"sqlite:///{Path(temporary) / 'preview.sqlite3'}"]
        command += (["--lang", args.lang] if args.lang else []) + (["--mute"] if args.mute else [])
        command += ["--seconds", f"{args.seconds:g}"] if args.seconds else []
        print(f"Previewing {level.id} ({len(level.rounds)} rounds) with a made camera; close the window to stop.",
              file=out)
        out.flush()
        return subprocess.run(command).returncode
