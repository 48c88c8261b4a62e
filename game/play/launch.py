"""Build the running game from command-line options: levels, store, window, speech, camera."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import warnings
from pathlib import Path

from game.vision.observation import CameraStatus, Mailbox, Observation


class VisionCamera:
    """Starts and stops the vision worker for a camera spec; the game only sees the mailbox."""

    def __init__(self, mailbox: Mailbox[Observation], model_path: Path | None):
        self.mailbox = mailbox
        self.model_path = model_path
        self.spec: str | int = 0
        self.worker = None
        self._error: str | None = None

    def start(self, spec: str | int) -> None:
        from game.vision.worker import VisionWorker

        self.spec = spec
        self._error = None
        kwargs = {"model_path": self.model_path} if self.model_path else {}
        try:
            self.worker = VisionWorker(spec, self.mailbox, preview_width=320, **kwargs).start()
        except Exception as exc:  # noqa: BLE001 - the game goes on and says the camera is not working
            self._error = f"{spec}: {exc}"
            self.worker = None
            self.mailbox.put(Observation(t=0.0, frame_index=-1, frame_size=(0, 0), preview=None, face_box=None,
                                         n_faces=0, camera_status=CameraStatus.NO_CAMERA, error=self._error))

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    @property
    def error(self) -> str | None:
        return self._error or (self.worker.error if self.worker is not None else None)


def parse_camera(text: str) -> str | int:
    text = str(text).strip()
    return int(text) if text.isdigit() else text


def find_level(spec: str, level_set, assets_dir: Path):
    """A level by id from the set, or loaded from a file path. Returns (level, error message)."""
    from game.levels import LevelError, load_level_file

    path = Path(spec)
    if path.suffix.lower() == ".toml" or path.is_file():
        if not path.is_file():
            return None, f"level file {path} not found"
        try:
            return load_level_file(path, assets_dir), None
        except LevelError as exc:
            return None, f"level file {path} cannot be played:\n" + "\n".join(f"  {p}" for p in exc.problems)
    level = level_set.get(spec)
    if level is None:
        ids = [lv.id for lv in level_set.levels]
        guess = difflib.get_close_matches(spec, ids, n=1)
        hint = f' Did you mean "{guess[0]}"?' if guess else f" Levels: {', '.join(ids) or 'none'}."
        return None, f'there is no level "{spec}".{hint}'
    return level, None


def play(args: argparse.Namespace) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from game.levels import DEFAULT_ASSETS_DIR, DEFAULT_LEVELS_DIR, load_levels
    from game.play.app import Game, PlaySettings
    from game.play.calibration import Difficulty
    from game.play.scenes import RoundScene, WelcomeScene
    from game.play.scoring import LevelScore
    from game.play.ui_text import UiDataError, load_phrases, load_theme
    from game.progress import ProgressError, open_store
    from game.speech import Speech
    from game.vision.card import DEFAULT_MODEL, GAME_LABELS, load_card

    def fail(message: str) -> int:
        print(f"emotion-game play: {message}", file=sys.stderr)
        return 2

    try:
        phrases, theme = load_phrases(), load_theme()
    except UiDataError as exc:
        return fail(str(exc))
    for problem in phrases.problems:
        print(f"note: {problem}", file=sys.stderr)

    levels_dir = Path(args.levels_dir) if args.levels_dir else DEFAULT_LEVELS_DIR
    level_set = load_levels(levels_dir, DEFAULT_ASSETS_DIR)
    for problem in level_set.problems:
        print(f"level problem: {problem}", file=sys.stderr)
    levels = list(level_set.levels)
    quick_level = None
    if args.level:
        quick_level, error = find_level(args.level, level_set, DEFAULT_ASSETS_DIR)
        if error:
            return fail(error)
        if all(lv.id != quick_level.id for lv in levels):
            levels.append(quick_level)
    if not levels:
        return fail(f"no playable levels in {levels_dir} (run `emotion-game levels check`)")

    try:
        store = open_store(args.db)
    except (ProgressError, Exception) as exc:  # noqa: BLE001 - a bad URL or driver: say so plainly
        return fail(f"cannot open the progress database: {exc}")

    model_path = Path(args.model) if args.model else DEFAULT_MODEL
    threshold_scale: dict[str, float] = {}
    try:
        card = load_card(model_path)
        labels, threshold_scale = tuple(card.labels), dict(card.level_threshold_scale)
    except Exception as exc:  # noqa: BLE001 - the game still runs on face detection; say why
        print(f"note: {exc}; playing with face detection only until the model is fixed", file=sys.stderr)
        labels = tuple(GAME_LABELS)

    pygame.display.init()
    pygame.font.init()
    try:
        pygame.mixer.init()
    except pygame.error as exc:
        print(f"note: no sound ({exc}); captions only", file=sys.stderr)
    flags = pygame.SCALED | (pygame.RESIZABLE if args.windowed else pygame.FULLSCREEN)
    try:
        with warnings.catch_warnings():
            # SDL's dummy driver (headless runs) has no GPU renderer; software scaling is fine
            warnings.filterwarnings("ignore", message="no fast renderer available")
            canvas = pygame.display.set_mode(theme.size, flags)
    except pygame.error:
        canvas = pygame.display.set_mode(theme.size)
    pygame.display.set_caption(phrases.get("welcome.title", args.lang))

    settings = PlaySettings(lang=args.lang, muted=args.mute, difficulty=Difficulty(args.difficulty),
                            camera=parse_camera(args.camera), kiosk=not args.windowed,
                            threshold_scale=threshold_scale)
    speech = Speech(enabled=not args.mute, cache_dir=_speech_cache_dir()).start()
    mailbox: Mailbox[Observation] = Mailbox()
    camera = VisionCamera(mailbox, model_path if args.model else None)
    camera.start(settings.camera)
    game = Game(canvas=canvas, settings=settings, store=store, levels=levels, phrases=phrases, theme=theme,
                speech=speech, mailbox=mailbox, labels=labels, camera=camera,
                screenshot_dir=Path(args.screenshots) if args.screenshots else None,
                level_problems=list(level_set.problems), display=True)
    try:
        if args.child:
            child = store.get_or_create_child(args.child)
            then = RoundScene(game, quick_level, 0, LevelScore(len(quick_level.rounds))) if quick_level else None
            game.choose_child(child, then=then)
        else:
            game.quick_level = quick_level
            game.go(WelcomeScene(game))
        game.run(seconds=args.seconds, fps=args.fps)
    finally:
        game.close()
        store.close()
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


def _speech_cache_dir() -> Path | None:
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("emotion-game")) / "speech"
    except Exception:  # noqa: BLE001 - a temporary folder is fine
        return None
