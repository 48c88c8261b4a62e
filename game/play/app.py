"""The game loop: `Game` owns the scene stack, the loop and the input that works everywhere
(quitting, the teacher shortcuts, a child who walked away). It only ever reads the vision
mailbox, so a slow camera or model can never hold a frame back.

Everything else lives in its own room: the child's session (session.py), the store threads
(store_link.py), sounds and voice (audio.py), the window's scaling (screen.py), which scene
follows which (flow.py). Scenes see this class only as game.play.services.Services.

Tests build a `Game` through game.play.build.build_game on an off-screen canvas, put
Observations into its mailbox, and call `step(events, now)` with their own clock.
"""

from __future__ import annotations

import math
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable

import pygame

from game.play import flow, rules
from game.play.audio import Audio
from game.play.frame_times import FrameTimes
from game.play.play_settings import PlaySettings
from game.play.rules import FaceState
from game.play.scenes.base import Scene
from game.play.screen import Screen
from game.play.services import Camera, Next
from game.play.session import Session
from game.play.shortcuts import TeacherShortcuts
from game.play.stack import SceneStack
from game.play.store_link import StoreLink
from game.play.teacher_pin import PinLock, TeacherGate, TeacherPin
from game.play.thresholds import RoundRules
from game.play.ui_text import Phrases, Theme
from game.play.widgets import Resources, draw_caption
from game.speech import Speech
from game.vision.observation import Mailbox, Observation

#: Nobody touched the kiosk or showed a face for this long: the child has gone; back to the
#: welcome screen so the next child does not play as them.
IDLE_RETURN_S = 60.0
#: The teacher sees the newest of these notes; older ones are dropped so a long run stays small.
NOTES_KEPT = 50
#: Input that shows somebody is at the kiosk.
ACTIVITY_EVENTS = (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN, pygame.TEXTINPUT)


class Game:
    def __init__(self, *, screen: Screen, settings: PlaySettings, rules: RoundRules, store: Any, levels: list,
                 phrases: Phrases, theme: Theme, speech: Speech, mailbox: Mailbox[Observation],
                 labels: tuple[str, ...], assets_dir: Path, camera: Camera | None = None,
                 screenshot_dir: Path | None = None, level_problems: list | None = None, display: bool = False,
                 gate: TeacherGate | None = None, screenshot_camera: bool = False):
        self.screen = screen
        self.size = screen.size
        self.settings = settings
        self.rules = rules
        self.phrases = phrases
        self.theme = theme
        self.levels = list(levels)
        self.level_problems = list(level_problems or [])
        self.labels = labels
        # problems a teacher should see (speech, store, camera); bounded, as a kiosk runs for days
        self.notes: deque[str] = deque(maxlen=NOTES_KEPT)
        self.res = Resources(theme, assets_dir, notes=self.notes)
        self.gate = gate or TeacherGate(TeacherPin(), PinLock())   # default: a PIN chosen here, kept in memory
        self.store = StoreLink(store)
        self.session = Session(self.store, self.notes)
        self.speech = speech
        self.audio = Audio(speech, settings, assets_dir / "sounds", self.notes)
        self.mailbox = mailbox
        self.camera = camera
        self.display = display
        self.quick_level = None               # --level without --child: play it once a child is chosen
        self.running = True
        self.now = 0.0
        self.obs: Observation | None = None
        self.model_problem: str | None = None
        self.first_prompt_at: float | None = None  # wall clock (time.time()) of the first round prompt
        self.frame_times = FrameTimes()
        self.screenshot_dir = Path(screenshot_dir) if screenshot_dir else None
        self.screenshot_camera = screenshot_camera   # screenshots show the camera picture (opted in)
        self.screenshots: dict[str, Path] = {}
        self._stack = SceneStack()
        self._shortcuts = TeacherShortcuts(self.size)
        self._last_now: float | None = None
        self._last_activity: float | None = None   # the last input, or the last moment a face was seen
        self._chosen = False                       # a child was just chosen (by a tap or a quick start)
        self._turn = 0

    @property
    def canvas(self) -> pygame.Surface:
        return self.screen.canvas

    @property
    def scene(self) -> Scene | None:
        """The scene on top of the stack: the one the child (or teacher) sees."""
        return self._stack.top

    # ------------------------------------------------------------------- moving on
    def _make(self, name: str, args: dict[str, Any]) -> Scene:
        return flow.make(self, name, args)

    def push(self, name: str, **args: Any) -> None:
        self._stack.push(self._make(name, args))

    def replace(self, name: str, **args: Any) -> None:
        self._stack.replace(self._make(name, args))

    def go(self, step: Next) -> None:
        self._stack.replace(self._make(step.scene, dict(step.args)))

    def pop(self) -> None:
        self._stack.pop()

    def choose_child(self, child, then: Next | None = None) -> None:
        """Start a session for `child`: "just a moment" while it starts off the UI thread,
        then `then` (the quick-start level or the map), after the calm-face step if needed."""
        self.session.start(child, self.settings.kiosk_name, self.settings.lang)
        self._chosen = True     # choosing is activity: the walked-away clock starts again
        then = then if then is not None else flow.after_choosing(self.quick_level)
        self._stack.reset(self._make("loading", {"then": then}))

    def session_ready(self, then: Next) -> None:
        self.go(flow.session_ready(then, self.session.calibration, self.settings.calibrate))

    def start_level(self, level) -> None:
        self.go(flow.first_round(level))

    def next_round(self, level, round_index: int, score) -> None:
        self.go(flow.after_round(level, round_index, score))

    def open_teacher(self) -> None:
        self.push("teacher")

    def change_camera(self, spec: str | int) -> None:
        self.settings.camera = spec
        if self.camera is not None:
            self.camera.stop()
            self.camera.start(spec)

    def quit(self) -> None:
        self.running = False

    def turn(self) -> int:
        """A counter for rotating phrases (cheers, encouragements)."""
        self._turn += 1
        return self._turn

    def face_state(self) -> FaceState:
        return rules.face_state(self.obs, self.now, self.model_problem)

    def canvas_pos(self, event: pygame.event.Event) -> tuple[int, int] | None:
        return self.screen.event_pos(event)

    # -------------------------------------------------------------------------- loop
    def step(self, events: list[pygame.event.Event], now: float) -> None:
        dt = 0.0 if self._last_now is None else max(0.0, min(0.25, now - self._last_now))
        self._last_now = self.now = now
        self.obs = self.mailbox.get()
        self.model_problem = rules.model_problem(self.obs, self.model_problem)
        self._stack.apply(now)
        self.store.take_answers()
        self._stack.apply(now)
        self.session.retry_due(now)
        if self._last_activity is None:
            self._last_activity = now
        for event in events:
            if event.type in ACTIVITY_EVENTS:
                self._last_activity = now
            if self._global_event(event, now):
                continue
            self.scene.handle(event)
            self._stack.apply(now)
        opened = self._shortcuts.update(now, chord_allowed=not self.scene.teacher_area)
        if opened is not None:
            self.push(opened)
            self._stack.apply(now)
        self.scene.update(now, dt)
        self._stack.apply(now)
        self._check_walked_away(now)
        self._stack.apply(now)
        self.audio.play_ready_speech()
        self.draw(now)
        self._screenshot()

    def run(self, seconds: float | None = None, fps: int = 60, clock: Callable[[], float] = time.monotonic) -> None:
        tick = pygame.time.Clock()
        start = clock()
        while self.running:
            now = clock()
            if seconds is not None and now - start >= seconds:
                break
            began, began_cpu = time.perf_counter(), time.thread_time()
            self.step(pygame.event.get(), now)
            if self.display:
                self.screen.present()
                pygame.display.flip()
            self.frame_times.add((time.perf_counter() - began) * 1000.0, (time.thread_time() - began_cpu) * 1000.0)
            tick.tick(fps)

    def frame_stats(self) -> dict[str, Any]:
        return {**self.frame_times.stats(), "first_prompt_at": self.first_prompt_at}

    def _global_event(self, event: pygame.event.Event, now: float) -> bool:
        """Input that works whatever scene shows; True when nothing else should act on it."""
        if event.type == pygame.QUIT:
            # A window close (Alt+F4, the window manager's button) must not end a kiosk: it asks
            # for the teacher PIN, and the teacher quits from the teacher area.
            if not self.settings.kiosk:
                self.quit()
            elif not self.scene.for_grown_ups:
                self.push("gate")
                self._stack.apply(now)
            return True
        if event.type == pygame.VIDEORESIZE:
            self.screen.resized()
            return True
        pos = self.canvas_pos(event) if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN) else None
        if self._shortcuts.handle(event, pos, now, open_allowed=not self.scene.for_grown_ups):
            return True
        if (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and not self.settings.kiosk
                and not self.scene.teacher_area):
            self.quit()
            return True
        return False

    def _check_walked_away(self, now: float) -> None:
        # Anyone in front of the camera is someone at the kiosk: one child, or friends together.
        someone_there = self.face_state() is FaceState.OK or (self.obs is not None and self.obs.n_faces > 0)
        if someone_there or self._chosen:
            self._last_activity = now
            self._chosen = False
        scene = self.scene
        if self.session.child is None or scene.for_grown_ups or not scene.watches_idle:
            return
        if now - self._last_activity >= IDLE_RETURN_S:
            self.session.leave()
            self._stack.reset(self._make("welcome", {}))

    # -------------------------------------------------------------------------- drawing
    def draw(self, now: float) -> None:
        canvas, theme = self.canvas, self.theme
        canvas.fill(theme["background"])
        self.scene.draw(canvas, now)
        if self.scene.shows_caption:
            draw_caption(canvas, self.res, self.speech.caption)
        progress = self._shortcuts.progress(now)
        if progress is not None:
            w, h = self.size
            pygame.draw.arc(canvas, theme["ink"], pygame.Rect(w - 70, h - 70, 50, 50),
                            math.pi / 2, math.pi / 2 + progress * math.tau, 8)

    def _screenshot(self) -> None:
        if self.screenshot_dir is None:
            return
        key = self.scene.screenshot_key
        if key in self.screenshots or self.now - self.scene.entered_at < self.scene.screenshot_after_s:
            return
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        path = self.screenshot_dir / f"{len(self.screenshots) + 1:02d}-{key}.png"
        if not self.screenshot_camera:    # the child's picture stays off the disk: draw the frame without it
            self.res.show_camera = False
            try:
                self.draw(self.now)
                pygame.image.save(self.canvas, str(path))
            finally:
                self.res.show_camera = True
            self.draw(self.now)          # what the window shows is the real frame
        else:
            pygame.image.save(self.canvas, str(path))
        self.screenshots[key] = path

    def close(self) -> None:
        self._stack.leave_all(time.monotonic())
        self.session.close()
        self.store.close()
        self.session.log_unsaved()
        if self.camera is not None:
            self.camera.stop()
        self.speech.close()
