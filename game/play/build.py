"""`build_game(options)`: the one place that wires the game together - UI words and theme,
levels, the progress store, the expression model's card, the window, speech and the camera.

`emotion-game play`, tools/soak.py, tools/bench.py (through the CLI) and the tests' harness all
build the game here, so they all play by the kiosk's rules: the same round rules from the same
model card, the same settings. Bad input raises BuildError with a message naming the fix.
"""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from game.levels import LevelError, load_level_file, load_levels
from game.play import flow
from game.play.app import Game
from game.play.camera import VisionCamera
from game.play.play_settings import PlaySettings, parse_camera
from game.play.screen import Screen
from game.play.services import Camera, Next
from game.play.teacher_pin import PinLock, TeacherGate, TeacherPin, default_pin_file
from game.play.thresholds import Difficulty, RoundRules
from game.play.ui_text import UiDataError, load_phrases, load_theme
from game.play.widgets import avatar_names
from game.progress import ProgressError, open_store
from game.progress.names import match_child
from game.resources import assets_dir, levels_dir
from game.speech import CHILD_RATE_WPM, Speech
from game.vision.decision import MatchRule
from game.vision.card import DEFAULT_MODEL, GAME_LABELS, ModelCard, load_card
from game.vision.observation import Mailbox, Observation
from game.vocabulary import DEFAULT_LANGUAGE

#: How the game shows itself: a fullscreen kiosk, a window, or an off-screen canvas (tests).
WINDOWS = ("fullscreen", "windowed", "offscreen")


class BuildError(Exception):
    """The game cannot start; the message says why and what to do."""


@dataclass
class GameOptions:
    """What `emotion-game play` is given (see game.play.commands), with the same defaults.

    Tests and tools may hand over things already made instead: `store` (an open progress
    store) for `db`, `levels` for `levels_dir`, `speech`, or a `camera` maker.
    """

    lang: str = DEFAULT_LANGUAGE
    mute: bool = False
    difficulty: str = Difficulty.NORMAL.value
    camera: str | int | None = "0"          # None: no camera (whoever runs the game fills the mailbox)
    window: str = "fullscreen"
    kiosk: bool | None = None               # Esc does not quit; default: unless windowed
    model: Path | None = None               # default: the shipped model
    levels_dir: Path | None = None          # default: the shipped levels
    levels_folders: tuple[Path, ...] = ()   # the school's own level folders, played with those (settings file)
    levels: list | None = None
    level: str | None = None                # quick start: a level id or a level file
    db: str | None = None                   # default: SQLite in the user-data folder
    store: Any = None
    screenshots: Path | None = None
    screenshots_camera: bool = False        # screenshots show the child's camera picture (else a stand-in)
    speech: Speech | None = None
    speech_cache_dir: Path | None = None    # default: the user cache folder
    voice: bool = True                      # the voice speaks (the settings' `speech`); sounds follow `mute`
    voice_rate: int | None = None           # words per minute (the settings' `voice_rate`); default: the child pace
    kiosk_name: str | None = None           # default: the host name
    auto_next_s: float = PlaySettings.auto_next_s
    calibrate: bool = True
    loop_video: bool = False                # the camera video plays again and again (the soak)
    make_camera: Callable[[Mailbox[Observation], Path | None], Camera] | None = None
    teacher_pin: str | None = None          # the settings file's PIN (it wins over one chosen at the kiosk)
    pin_file: Path | None = None            # where a PIN chosen at the kiosk is kept (default: beside the settings)


def round_rules(card: ModelCard | None) -> RoundRules:
    """The one place the model card becomes round rules: its `level_threshold_scale` puts the
    levels' thresholds on the model's scale. Without a card (a broken model) levels are
    judged as written."""
    if card is None:
        return RoundRules()
    return RoundRules(threshold_scale=dict(card.level_threshold_scale), rule=MatchRule.from_card(card))


def read_model(model: Path | None, note: Callable[[str], None]) -> tuple[tuple[str, ...], RoundRules]:
    """The model's labels and round rules, from its card. A card that cannot be read is named
    in a note, and the game runs on face detection alone until the model is fixed."""
    try:
        card = load_card(model or DEFAULT_MODEL)
    except Exception as exc:  # noqa: BLE001 - the game still runs on face detection; say why
        note(f"note: {exc}; playing with face detection only until the model is fixed")
        return tuple(GAME_LABELS), round_rules(None)
    return tuple(card.labels), round_rules(card)


def find_level(spec: str, level_set, assets: Path):
    """A level by id from the set, or loaded from a file path. Returns (level, error message)."""
    path = Path(spec)
    if path.suffix.lower() == ".toml" or path.is_file():
        if not path.is_file():
            return None, f"level file {path} not found"
        try:
            return load_level_file(path, assets), None
        except LevelError as exc:
            return None, f"level file {path} cannot be played:\n" + "\n".join(f"  {p}" for p in exc.problems)
    level = level_set.get(spec)
    if level is None:
        ids = [lv.id for lv in level_set.levels]
        guess = difflib.get_close_matches(spec, ids, n=1)
        hint = f' Did you mean "{guess[0]}"?' if guess else f" Levels: {', '.join(ids) or 'none'}."
        return None, f'there is no level "{spec}".{hint}'
    return level, None


def _levels(options: GameOptions, note: Callable[[str], None]) -> tuple[list, list, Any]:
    """(levels to offer, problems for the teacher, the quick-start level or None)."""
    assets = assets_dir()
    folder = Path(options.levels_dir) if options.levels_dir else levels_dir()
    folders = [folder, *(Path(f) for f in options.levels_folders)]   # a school's own levels beside these
    if options.levels is not None:
        levels, problems = list(options.levels), []
        level_set = None
    else:
        level_set = load_levels(folders, assets)
        levels, problems = list(level_set.levels), list(level_set.problems)
        for problem in problems:
            note(f"level problem: {problem}")
    quick = None
    if options.level:
        if level_set is None:
            level_set = load_levels(folders, assets)
        quick, error = find_level(options.level, level_set, assets)
        if error:
            raise BuildError(error)
        if all(lv.id != quick.id for lv in levels):
            levels.append(quick)
    if not levels:
        raise BuildError(f"no playable levels in {folder} (run `emotion-game levels check`)")
    return levels, problems, quick


def _screen(window: str, size: tuple[int, int], title: str, note: Callable[[str], None]) -> Screen:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    if window not in WINDOWS:
        raise BuildError(f"window must be one of {', '.join(WINDOWS)}, not {window!r}")
    pygame.display.init()
    pygame.font.init()
    try:
        pygame.mixer.init()
    except pygame.error as exc:
        note(f"note: no sound ({exc}); captions only")
    if window == "offscreen":
        return Screen(size)
    try:
        if window == "fullscreen":
            surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)   # the screen's own size
        else:
            surface = pygame.display.set_mode(size, pygame.RESIZABLE)
    except pygame.error:
        surface = pygame.display.set_mode(size)
    pygame.display.set_caption(title)
    return Screen(size, surface)


def _speech_cache_dir() -> Path | None:
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("emotion-game")) / "speech"
    except Exception:  # noqa: BLE001 - a temporary folder is fine
        return None


def build_game(options: GameOptions, note: Callable[[str], None] | None = None) -> Game:
    """The game, ready to `run` (or to `step` in a test). `note` gets what a grown-up should
    read at start (default: stderr)."""
    note = note or (lambda text: print(text, file=sys.stderr))
    try:
        phrases, theme = load_phrases(), load_theme()
    except UiDataError as exc:
        raise BuildError(str(exc)) from exc
    for problem in phrases.problems:
        note(f"note: {problem}")
    levels, level_problems, quick_level = _levels(options, note)
    store = options.store
    if store is None:
        try:
            store = open_store(options.db)
        except Exception as exc:  # noqa: BLE001 - a bad URL or driver: say so plainly
            raise BuildError(f"cannot open the progress database: {exc}") from exc
    model = Path(options.model) if options.model else None
    labels, rules = read_model(model, note)
    screen = _screen(options.window, theme.size, phrases.get("welcome.title", options.lang), note)

    windowed = options.window != "fullscreen"
    settings = PlaySettings(lang=options.lang, muted=options.mute, difficulty=Difficulty(options.difficulty),
                            camera=parse_camera(options.camera) if options.camera is not None else 0,
                            kiosk=options.kiosk if options.kiosk is not None else not windowed,
                            auto_next_s=options.auto_next_s, calibrate=options.calibrate)
    if options.kiosk_name is not None:
        settings.kiosk_name = options.kiosk_name
    speech = options.speech or Speech(enabled=options.voice and not options.mute,
                                      rate=options.voice_rate or CHILD_RATE_WPM,
                                      cache_dir=options.speech_cache_dir or _speech_cache_dir()).start()
    mailbox: Mailbox[Observation] = Mailbox()
    camera = None
    if options.camera is not None:
        make_camera = options.make_camera or (lambda box, path: VisionCamera(box, path, loop=options.loop_video))
        camera = make_camera(mailbox, model)
        camera.start(settings.camera)
    game = Game(screen=screen, settings=settings, rules=rules, store=store, levels=levels, phrases=phrases,
                theme=theme, speech=speech, mailbox=mailbox, labels=labels, assets_dir=assets_dir(), camera=camera,
                screenshot_dir=Path(options.screenshots) if options.screenshots else None,
                screenshot_camera=options.screenshots_camera,
                level_problems=level_problems, display=options.window != "offscreen",
                gate=TeacherGate(TeacherPin(options.teacher_pin, Path(options.pin_file) if options.pin_file
                                            else default_pin_file()), PinLock()))
    game.quick_level = quick_level
    return game


def start(game: Game, child_name: str | list[str] | None = None) -> None:
    """The first scene: with a child's name, straight into their session (the quick-start
    level, else the map); otherwise the welcome screen. Two names (`--child A --child B`)
    start a friends level for both (start_friends)."""
    names = [child_name] if isinstance(child_name, str) else [name for name in (child_name or []) if name]
    if not names:
        game.replace("welcome")
        return
    if len(names) > 1:
        start_friends(game, names)
        return
    child = child_named(game, names[0])
    then = flow.after_choosing(game.quick_level)
    game.quick_level = None           # chosen from the menu later, a child goes to the map
    game.choose_child(child, then=then)


def child_named(game: Game, child_name: str):
    """The child a teacher means by `child_name`.

    The name is matched as a teacher means it (game.progress.names.match_child: "siti" finds
    "Siti"); a name that is close to others but none of them stops with BuildError offering
    them; a name like no other is a new child, with an animal no child has yet. The database
    being away does not stop the game: the store answers from this kiosk's copy of the list
    and journals a new child.
    """
    store = game.store.store
    children = store.play_children()
    match = match_child(child_name, [c.name for c in children])
    if match.name is None and match.ambiguous:
        raise BuildError(f'several children are called "{child_name.strip()}": '
                         f'{", ".join(match.suggestions)}. Type one of them exactly, e.g. --child "{match.suggestions[0]}".')
    if match.name is None and match.suggestions:
        raise BuildError(f'there is no child called "{child_name.strip()}". Did you mean '
                         f'{" or ".join(repr(name) for name in match.suggestions)}? Type the name exactly, or add '
                         "a new child in the teacher area.")
    taken = {c.avatar for c in children}
    animal = next((a for a in avatar_names(game.res.assets_dir) if a not in taken), "")
    try:
        return store.child_for_play(match.name or child_name, avatar=animal)
    except ProgressError as exc:
        raise BuildError(f"cannot play as {child_name[:60]!r}: {exc}") from exc


def start_friends(game: Game, child_names: list[str]) -> None:
    """`--child A --child B --level ID`: two friends side by side play a friends level
    (`players = 2`); A plays on the left of the screen, B on the right. A's session is the
    game's own (calibration first if A never did it), B's starts beside it."""
    level = game.quick_level
    if len(child_names) != 2:
        raise BuildError(f"friends play is for two children, but --child was given {len(child_names)} times")
    if level is None or level.players != 2:
        friends_levels = ", ".join(lv.id for lv in game.levels if lv.players == 2) or "none yet"
        which = f'level "{level.id}" is for one child' if level is not None else "two children need a level"
        raise BuildError(f"{which}: add --level with a friends level (players = 2): {friends_levels}")
    first, friend = (child_named(game, name) for name in child_names)
    if first.id == friend.id:
        raise BuildError(f'--child "{child_names[0]}" and --child "{child_names[1]}" are the same child: '
                         "name two different children")
    game.quick_level = None           # chosen from the menu later, a child goes to the map
    game.choose_child(first, then=Next("friends", {"level": level, "friend": friend}))
