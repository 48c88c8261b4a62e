"""How fast the game feels, measured on a headless run: for `tools/bench.py --game`.

`measure_game(data, model)` builds a camera-like video of FER-2013 faces (calm, then a clear
happy face, three times), plays a three-round happy level on it in this process with the real
vision worker, and returns:

- `ui_frame_ms_p50` / `ui_frame_ms_p99`: the UI's work per frame (update, draw, flip) while
  the worker runs, and the same as the UI thread's own CPU time;
- `match_delay_s`: from the first camera frame of the held expression to the match, minus the
  hold time (detection + model + smoothing + the UI noticing), median over the matches;
- `startup_s`: from starting to build the game (window, store, speech, camera, model) to the
  first frame that shows the child's camera picture.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

HOLD_S = 1.0
LEAD_S = 4.0            # calm face first: the round is waiting when the expression comes
EXPRESSION_S = 4.0
GAP_S = 3.0             # calm between expressions: covers the celebration and the next intro
ROUNDS = 3


def _level(assets_dir: Path):
    from game.levels import Level

    picture = str(assets_dir / "faces" / "happy-1.png")
    prompt = {"en": "Show me a happy face!", "id": "Tunjukkan wajah senangmu!"}
    return Level.model_validate({
        "id": "bench-happy", "order": 1, "title": {"en": "Bench", "id": "Bench"},
        "rounds": [{"emotion": "happy", "picture": picture, "prompt": prompt, "hold_s": HOLD_S,
                    "time_limit_s": 20.0, "threshold": 0.6} for _ in range(ROUNDS)]})


def scene_checked_picker(data: Path, model: Path, accept, seed: int = 3):
    """A make_test_video FacePicker that accepts a FER face only if the real vision pipeline,
    looking at it pasted into camera-like scenes (a little moved, scaled and relit, as the
    video will show it), finds it in every one and `accept(label, probs_per_scene)` agrees.
    Faces are judged as the game will see them, not as 48x48 crops."""
    from tools import make_test_video as mtv   # measurement only: tools and tests are the callers

    return mtv.FacePicker(Path(data), seed, confident_model=model, accept=accept)


def clear_face(label: str, seen: list[dict]) -> bool:
    """Expressions the model reads clearly in every scene; calm faces that fire nothing."""
    if label in seen[0]:
        return min(p[label] for p in seen) >= 0.75
    return max(max(p.values()) for p in seen) < 0.45


def measure_game(data: Path, model: Path, fps: float = 15.0) -> dict:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from game.levels import DEFAULT_ASSETS_DIR
    from game.play.app import Game, PlaySettings
    from game.play.scenes import RoundScene
    from game.play.scoring import LevelScore
    from game.play.ui_text import load_phrases, load_theme
    from game.progress import open_store
    from game.speech import Speech
    from game.vision.observation import Mailbox
    from tools import make_test_video as mtv   # measurement only: tools/bench.py is the caller

    segments = [mtv.Segment("neutral", LEAD_S)]
    for _ in range(ROUNDS):
        segments += [mtv.Segment("happy", EXPRESSION_S), mtv.Segment("neutral", GAP_S)]

    class RecordingMailbox(Mailbox):
        """Remembers when each camera frame was captured, to time the match from the first frame."""

        def __init__(self) -> None:
            super().__init__()
            self.captured: dict[int, float] = {}

        def put(self, value) -> None:
            if value.frame_index >= 0 and value.preview is not None:
                self.captured.setdefault(value.frame_index, value.captured_at)
            super().put(value)

    with tempfile.TemporaryDirectory() as tmp:
        frames, truth = mtv.render(segments, scene_checked_picker(data, model, clear_face), fps=fps)
        video = mtv.write(frames, Path(tmp) / "bench.mp4", fps)
        expression_frames = [row.start_frame for row in truth if row.label == "happy"]
        started = time.monotonic()
        pygame.display.init()
        pygame.font.init()
        pygame.mixer.init()
        theme = load_theme()
        canvas = pygame.display.set_mode(theme.size, pygame.SCALED)
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", journal_dir=Path(tmp) / "journal")
        mailbox = RecordingMailbox()
        from game.play.launch import VisionCamera

        camera = VisionCamera(mailbox, model)
        camera.start(str(video))
        game = Game(canvas=canvas, settings=PlaySettings(kiosk=False), store=store, levels=[_level(DEFAULT_ASSETS_DIR)],
                    phrases=load_phrases(), theme=theme, speech=Speech(cache_dir=Path(tmp) / "speech").start(),
                    mailbox=mailbox, camera=camera, display=True)
        matches: list[float] = []
        record = game.record_attempt

        def timed_record(**fields) -> None:
            if fields.get("outcome") == "matched":
                matches.append(time.monotonic())
            record(**fields)

        game.record_attempt = timed_record
        child = store.get_or_create_child("Bench")
        store.set_calibration(child.id, {})
        level = game.levels[0]
        game.choose_child(child, then=RoundScene(game, level, 0, LevelScore(len(level.rounds))))
        first_picture: float | None = None
        total_s = LEAD_S + ROUNDS * (EXPRESSION_S + GAP_S) + 2.0
        clock = pygame.time.Clock()
        try:
            while time.monotonic() - started < total_s + 10 and game.running:
                began, began_cpu = time.perf_counter(), time.thread_time()
                game.step(pygame.event.get(), time.monotonic())
                pygame.display.flip()
                game.frame_ms.append((time.perf_counter() - began) * 1000.0)
                game.frame_cpu_ms.append((time.thread_time() - began_cpu) * 1000.0)
                if first_picture is None and game.obs is not None and game.obs.preview is not None:
                    first_picture = time.monotonic()
                if len(matches) >= ROUNDS or (mailbox.captured and game.obs is not None
                                              and game.obs.camera_status.value == "ended"):
                    break
                clock.tick(60)
        finally:
            game.close()
            store.close()
            pygame.quit()
    delays = []
    shown = sorted(mailbox.captured[f] for f in expression_frames if f in mailbox.captured)
    for matched_at in matches:   # each match against the expression that was showing
        before = [t for t in shown if t <= matched_at]
        if before:
            delays.append(matched_at - before[-1] - HOLD_S)
    stats = game.frame_stats()
    return {
        "ui_frame_ms_p50": stats.get("ui_frame_ms_p50"), "ui_frame_ms_p99": stats.get("ui_frame_ms_p99"),
        "ui_frame_cpu_ms_p50": stats.get("ui_frame_cpu_ms_p50"), "ui_frame_cpu_ms_p99": stats.get("ui_frame_cpu_ms_p99"),
        "ui_frames": stats.get("frames"),
        "match_delay_s": round(statistics.median(delays), 3) if delays else None,
        "matches": f"{len(matches)}/{ROUNDS}",
        "startup_s": round(first_picture - started, 3) if first_picture is not None else None,
    }
