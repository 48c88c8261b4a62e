"""The game loop: one `Game` owns the window canvas, the scenes, speech playback, sounds and
the link to the progress store. It only ever reads the vision mailbox, so a slow camera or
model can never hold a frame back.

Tests build a `Game` on an off-screen canvas, put Observations into its mailbox, and call
`step(events, now)` with their own clock.
"""

from __future__ import annotations

import hashlib
import logging
import math
import queue
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

import pygame

from game.play import rules
from game.play.calibration import Difficulty
from game.play.rules import FaceState
from game.play.scoring import LevelScore
from game.play.ui_text import Phrases, Theme
from game.play.widgets import ASSETS_DIR, Resources, blit_centered, draw_person, lerp_colour
from game.speech import Speech
from game.vision.observation import Mailbox, Observation

log = logging.getLogger(__name__)

TEACHER_HOLD_S = 2.0
#: Decoded voice lines kept in memory (about 2 MB each): enough for a level's prompts and
#: cheers; older ones are decoded again from the disk cache when needed.
VOICE_CACHE_SIZE = 16
CHORD_KEYS = (pygame.K_t,)
#: On a touch screen without a keyboard: a press held this long in the bottom-left corner
#: opens a grown-ups' question (a "parental gate"), then the teacher area.
CORNER_SIZE = 64
#: Nobody touched the kiosk or showed a face for this long: the child has gone; back to the
#: welcome screen so the next child does not play as them.
IDLE_RETURN_S = 60.0
#: A calibration the database did not take is tried again after this long, doubling up to
#: the maximum (it is kept in memory meanwhile and used for the child).
CALIBRATION_RETRY_S = 3.0
CALIBRATION_RETRY_MAX_S = 30.0


@dataclass
class PlaySettings:
    lang: str = "en"
    volume: float = 0.8
    muted: bool = False
    difficulty: Difficulty = Difficulty.NORMAL
    camera: str | int = 0
    kiosk: bool = True                 # fullscreen, Esc does not quit
    kiosk_name: str = field(default_factory=socket.gethostname)
    auto_next_s: float = 12.0          # the "try again?" screen moves on by itself after this
    calibrate: bool = True             # ask for a calm face at a child's first session
    #: Per emotion, puts level thresholds on the model's scale (its card's level_threshold_scale).
    threshold_scale: dict[str, float] = field(default_factory=dict)


class Camera(Protocol):
    """What the game needs from the vision side: start/stop a source feeding the mailbox."""

    spec: str | int
    error: str | None

    def start(self, spec: str | int) -> None: ...
    def stop(self) -> None: ...


class StoreThread:
    """One background thread that makes progress-store calls in order, so a frame never waits
    on a database (a locked SQLite file, a school server that does not answer).

    `submit(method, *args)` is a write whose answer the game does not need (a failure is kept
    in `error` for the teacher). `call(work, then)` runs `work(store)` here and hands
    `then(result, error)` to the `done` queue, which the game empties on the UI thread
    (`Game.step`), so scenes only ever change on the UI thread.
    """

    def __init__(self, store: Any, name: str, done: queue.Queue):
        self.store = store
        self.name = name
        self._done = done
        self._queue: queue.Queue = queue.Queue()
        self._calls_running = 0
        self._calls_changed = threading.Condition()
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, method: str, *args: Any) -> None:
        self._queue.put(("write", method, args))

    def call(self, work: Callable[[Any], Any], then: Callable[[Any, BaseException | None], None]) -> None:
        with self._calls_changed:
            self._calls_running += 1
        self._queue.put(("call", work, then))

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                kind, what, extra = item
                if kind == "write":
                    self._write(what, extra)
                else:
                    self._call(what, extra)
            finally:
                self._queue.task_done()

    def _write(self, method: str, args: tuple) -> None:
        try:
            getattr(self.store, method)(*args)
        except Exception as exc:  # noqa: BLE001 - a failed write is reported to the teacher, never fatal
            self.error = f"{type(exc).__name__}: {exc}"
            log.warning("store %s failed: %s", method, exc)

    def _call(self, work: Callable[[Any], Any], then: Callable) -> None:
        result, error = None, None
        try:
            result = work(self.store)
        except Exception as exc:  # noqa: BLE001 - the answer, good or bad, goes back to the UI
            error = exc
            log.warning("store call on %s failed: %s", self.name, exc)
        self._done.put((then, result, error))
        with self._calls_changed:
            self._calls_running -= 1
            self._calls_changed.notify_all()

    def calls_running(self) -> int:
        with self._calls_changed:
            return self._calls_running

    def wait_for_calls(self, timeout_s: float = 10.0) -> bool:
        """Until every `call` so far has its answer queued for the UI (fake-clock tests use
        this so a database answer takes no game time). True when none is left running."""
        with self._calls_changed:
            return self._calls_changed.wait_for(lambda: self._calls_running == 0, timeout_s)

    def drain(self, timeout_s: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout_s
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        return not self._queue.unfinished_tasks

    def close(self, timeout_s: float = 10.0) -> None:
        self.drain(timeout_s)
        self._queue.put(None)
        self._thread.join(timeout_s)


class Game:
    def __init__(self, *, canvas: pygame.Surface, settings: PlaySettings, store: Any, levels: list,
                 phrases: Phrases, theme: Theme, speech: Speech, mailbox: Mailbox[Observation],
                 labels: tuple[str, ...] = ("happy", "sad", "fear"), camera: Camera | None = None,
                 screenshot_dir: Path | None = None, assets_dir: Path = ASSETS_DIR,
                 level_problems: list | None = None, display: bool = False):
        self.canvas = canvas
        self.canvas_size = canvas.get_size()
        self.settings = settings
        self.store = store
        # Writes in order on one thread, reads on another (a slow read never holds a write
        # back); their answers come back through `_store_answers`, emptied in `step`.
        self._store_answers: queue.Queue = queue.Queue()
        self.writer = StoreThread(store, "store-writer", self._store_answers)
        self.reader = StoreThread(store, "store-reader", self._store_answers)
        self.unsaved_calibrations: dict[int, dict[str, float]] = {}   # child id -> baseline not yet stored
        self.calibration_note: str | None = None   # why the last try to store one failed
        self._calibration_saving = False
        self._calibration_retry_at = 0.0
        self._calibration_retry_s = CALIBRATION_RETRY_S
        self._choosing: object | None = None     # the child choice whose session is starting
        self.levels = list(levels)
        self.level_problems = list(level_problems or [])
        self.phrases = phrases
        self.theme = theme
        self.res = Resources(theme, assets_dir)
        self.speech = speech
        self.mailbox = mailbox
        self.labels = labels
        self.camera = camera
        self.screenshot_dir = Path(screenshot_dir) if screenshot_dir else None
        self.assets_dir = assets_dir
        self.display = display
        self.running = True
        self.now = 0.0
        self.obs: Observation | None = None
        self.model_problem: str | None = None  # the expression model is not working (rules.model_problem)
        self.child = None
        self.quick_level = None               # --level without --child: play it once a child is chosen
        self.paused_at: float | None = None   # when the teacher area interrupted the game
        self.last_activity = 0.0              # the last input, or the last moment a face was seen
        self._last_activity_unset = True
        self.session_id: int | None = None
        self.calibration: dict[str, float] | None = None
        self._stars: dict[str, int] = {}
        self._turn = 0
        self.scene = None
        self._next_scene = None
        self._last_now: float | None = None
        self._held_keys: set[int] = set()
        self._chord_since: float | None = None
        self._corner_since: float | None = None
        self.screenshots: dict[str, Path] = {}
        self.first_prompt_at: float | None = None  # wall clock (time.time()) of the first round prompt
        self.frame_ms: deque[float] = deque(maxlen=200_000)       # wall time of each frame's work
        self.frame_cpu_ms: deque[float] = deque(maxlen=200_000)   # CPU time the UI thread spent on it
        self.notes: list[str] = []            # problems a teacher should see (speech, store, camera)
        self._sounds = self._load_sounds()
        self._voice_channel = None
        if pygame.mixer.get_init():
            pygame.mixer.set_num_channels(8)
            self._voice_channel = pygame.mixer.Channel(7)
        self._voices: dict[Path, Any] = {}

    # ------------------------------------------------------------------------ scenes
    def go(self, scene, resume: bool = False) -> None:
        """Switch scenes before the next update (a scene may call this from its own update).

        `resume` returns to a scene that was interrupted (by the teacher area): it carries on
        where it was instead of starting again, so nothing is recorded twice.
        """
        self._next_scene = (scene, resume)

    def _switch(self, now: float) -> None:
        while self._next_scene is not None:
            (scene, resume), self._next_scene = self._next_scene, None
            self.scene = scene
            if resume:
                scene.resume(now)
            else:
                scene.enter(now)

    def turn(self) -> int:
        """A counter for rotating phrases (cheers, encouragements)."""
        self._turn += 1
        return self._turn

    # -------------------------------------------------------------------------- loop
    def step(self, events: list[pygame.event.Event], now: float) -> None:
        dt = 0.0 if self._last_now is None else max(0.0, min(0.25, now - self._last_now))
        self._last_now = self.now = now
        self.obs = self.mailbox.get()
        self.model_problem = rules.model_problem(self.obs, self.model_problem)
        self._switch(now)
        self._take_store_answers()
        self._switch(now)
        if self.unsaved_calibrations and now >= self._calibration_retry_at:
            self._save_calibrations()
        if self._last_activity_unset:
            self.last_activity, self._last_activity_unset = now, False
        for event in events:
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN, pygame.TEXTINPUT):
                self.last_activity = now
            if self._global_event(event, now):
                continue
            self.scene.handle(event)
            self._switch(now)
        self._teacher_chord(now)
        self._switch(now)
        self.scene.update(now, dt)
        self._switch(now)
        self._check_walked_away(now)
        self._switch(now)
        self._play_ready_speech()
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
                pygame.display.flip()
            self.frame_ms.append((time.perf_counter() - began) * 1000.0)
            self.frame_cpu_ms.append((time.thread_time() - began_cpu) * 1000.0)
            tick.tick(fps)

    def frame_stats(self) -> dict[str, float]:
        """UI work per frame (update + draw + flip) in ms, wall clock and the UI thread's own CPU
        time (the difference is time the OS gave to other threads and processes)."""
        if not self.frame_ms:
            return {"frames": 0, "first_prompt_at": self.first_prompt_at}

        def quantile(values, q: float) -> float:
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

        return {"frames": len(self.frame_ms),
                "ui_frame_ms_p50": quantile(self.frame_ms, 0.5), "ui_frame_ms_p99": quantile(self.frame_ms, 0.99),
                "ui_frame_ms_max": round(max(self.frame_ms), 3),
                "ui_frame_cpu_ms_p50": quantile(self.frame_cpu_ms, 0.5),
                "ui_frame_cpu_ms_p99": quantile(self.frame_cpu_ms, 0.99),
                "first_prompt_at": self.first_prompt_at}

    def _global_event(self, event: pygame.event.Event, now: float) -> bool:
        if event.type == pygame.QUIT:
            self.quit()
            return True
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
            pos = self.canvas_pos(event)
            in_corner = pos is not None and pos[0] < CORNER_SIZE and pos[1] > self.canvas_size[1] - CORNER_SIZE
            self._corner_since = now if in_corner and getattr(self.scene, "name", "") not in ("teacher", "gate") else None
            if in_corner:
                return True
        elif event.type in (pygame.MOUSEBUTTONUP, pygame.FINGERUP):
            self._corner_since = None
        if event.type == pygame.KEYDOWN:
            self._held_keys.add(event.key)
            if event.key == pygame.K_ESCAPE and not self.settings.kiosk and getattr(self.scene, "name", "") != "teacher":
                self.quit()
                return True
        elif event.type == pygame.KEYUP:
            self._held_keys.discard(event.key)
        return False

    def _chord_held(self) -> bool:
        keys = self._held_keys
        ctrl = pygame.K_LCTRL in keys or pygame.K_RCTRL in keys
        shift = pygame.K_LSHIFT in keys or pygame.K_RSHIFT in keys
        return ctrl and shift and all(k in keys for k in CHORD_KEYS)

    def _teacher_chord(self, now: float) -> None:
        """Ctrl+Shift+T held for two seconds opens the teacher area (a child will not do that);
        a long press in the corner asks a grown-ups' question first."""
        if self._corner_since is not None and now - self._corner_since >= TEACHER_HOLD_S:
            from game.play.teacher import GateScene

            self._corner_since = None
            self.paused_at = self.now
            self.go(GateScene(self, self.scene))
        if getattr(self.scene, "name", "") == "teacher" or not self._chord_held():
            self._chord_since = None
            return
        if self._chord_since is None:
            self._chord_since = now
        elif now - self._chord_since >= TEACHER_HOLD_S:
            self._chord_since = None
            self._held_keys.clear()
            self.open_teacher()

    def _check_walked_away(self, now: float) -> None:
        if self.face_state() is FaceState.OK:
            self.last_activity = now
        if self.child is None or getattr(self.scene, "name", "") in ("teacher", "gate", "welcome"):
            return
        if now - self.last_activity >= IDLE_RETURN_S:
            from game.play.scenes import WelcomeScene

            self.end_session()
            self.child = None
            self.calibration = None
            self.go(WelcomeScene(self))

    def open_teacher(self) -> None:
        from game.play.teacher import TeacherScene

        self.paused_at = self.now
        self.go(TeacherScene(self, self.scene))

    def quit(self) -> None:
        self.running = False

    # -------------------------------------------------------------------------- drawing
    def draw(self, now: float) -> None:
        canvas, theme = self.canvas, self.theme
        canvas.fill(theme["background"])
        self.scene.draw(canvas, now)
        if self.scene.shows_caption:
            self._draw_caption(canvas)
        since = self._chord_since if self._chord_since is not None else self._corner_since
        if since is not None:
            progress = min(1.0, (now - since) / TEACHER_HOLD_S)
            pygame.draw.arc(canvas, theme["ink"], pygame.Rect(self.canvas_size[0] - 70, self.canvas_size[1] - 70, 50, 50),
                            math.pi / 2, math.pi / 2 + progress * math.tau, 8)

    def _draw_caption(self, canvas: pygame.Surface) -> None:
        caption = self.speech.caption
        if not caption:
            return
        w, h = self.canvas_size
        lines = self.res.wrapped(caption, "small", w - 160, self.theme["ink"], bold=True)[:3]
        height = 24 + 42 * len(lines)
        panel = pygame.Rect(60, h - height - 14, w - 120, height)
        pygame.draw.rect(canvas, self.theme["panel"], panel, border_radius=24)
        pygame.draw.rect(canvas, self.theme["panel_edge"], panel, 5, border_radius=24)
        for i, line in enumerate(lines):
            blit_centered(canvas, line, (w / 2, panel.y + 12 + 21 + i * 42))

    def draw_face_notice(self, canvas: pygame.Surface, state: FaceState, rect: pygame.Rect) -> None:
        """A kind message over the camera view: nobody there, crowding, looking away, camera."""
        from game.play.scenes import FACE_PHRASES

        key = FACE_PHRASES[state][0]
        text = self.phrases.get(key, self.settings.lang)
        veil = self.res.shape(("veil", rect.size), rect.size,
                              lambda s: pygame.draw.rect(s, (*self.theme["notice"], 205), s.get_rect(), border_radius=26))
        canvas.blit(veil, rect)
        white = (255, 255, 255)
        icon_size = (150, 150)
        if state is FaceState.MANY_FACES:
            icon = self.res.shape(("people",), (260, 150), lambda s: (draw_person(s.subsurface((0, 0, 130, 150)), white),
                                                                     draw_person(s.subsurface((130, 0, 130, 150)), white)))
        elif state is FaceState.LOOKING_AWAY:
            icon = self.res.shape(("eyes",), icon_size, lambda s: _draw_eyes(s, white, self.theme["notice"]))
        else:
            icon = self.res.shape(("person-light",), icon_size, lambda s: draw_person(s, lerp_colour(white, self.theme["notice"], 0.1)))
        blit_centered(canvas, icon, (rect.centerx, rect.centery - 60))
        for i, line in enumerate(self.res.wrapped(text, "medium", rect.width - 40, white, bold=True, max_lines=2)):
            blit_centered(canvas, line, (rect.centerx, rect.centery + 70 + i * 48))

    def draw_avatar(self, canvas: pygame.Surface, child, center: tuple[float, float], radius: int) -> None:
        """The child's picture in a circle (their initial on a colour when the picture is missing)."""
        size = (radius * 2, radius * 2)
        path = self.avatar_path(child.avatar)
        theme = self.theme

        def paint(surface: pygame.Surface) -> None:
            picture = self.res.image(path, size, keep_aspect=False) if path else None
            if picture is not None:
                pygame.draw.circle(surface, theme["panel"], (radius, radius), radius)
                surface.blit(picture, (0, 0))
                mask = pygame.Surface(size, pygame.SRCALPHA)
                pygame.draw.circle(mask, (255, 255, 255, 255), (radius, radius), radius)
                surface.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
            else:
                hue = int(hashlib.md5(child.name.encode("utf-8")).hexdigest()[:2], 16)
                colour = theme.confetti[hue % len(theme.confetti)]
                pygame.draw.circle(surface, colour, (radius, radius), radius)
                initial = self.res.font(int(radius * 1.1), bold=True).render(child.name[:1].upper(), True, (255, 255, 255))
                surface.blit(initial, initial.get_rect(center=(radius, radius)))
            pygame.draw.circle(surface, theme["ink"], (radius, radius), radius, max(3, radius // 14))

        canvas.blit(self.res.shape(("avatar", child.avatar, child.name), size, paint),
                    (int(center[0] - radius), int(center[1] - radius)))

    def avatar_path(self, avatar: str) -> Path | None:
        if not avatar:
            return None
        candidate = Path(avatar)
        if candidate.is_absolute() and candidate.is_file():
            return candidate
        for path in (self.assets_dir / "avatars" / avatar, self.assets_dir / "avatars" / f"{avatar}.png"):
            if path.is_file():
                return path
        return None

    def avatar_names(self) -> list[str]:
        folder = self.assets_dir / "avatars"
        return sorted(p.stem for p in folder.glob("*.png")) if folder.is_dir() else []

    def canvas_pos(self, event: pygame.event.Event) -> tuple[int, int] | None:
        if event.type == pygame.FINGERDOWN:
            return int(event.x * self.canvas_size[0]), int(event.y * self.canvas_size[1])
        return getattr(event, "pos", None)

    def face_state(self) -> FaceState:
        return rules.face_state(self.obs, self.now, self.model_problem)

    def _screenshot(self) -> None:
        if self.screenshot_dir is None:
            return
        key = self.scene.screenshot_key
        if key in self.screenshots or self.now - self.scene.entered_at < getattr(self.scene, "screenshot_after_s", 0.0):
            return
        self.screenshot_dir.mkdir(parents=True, exist_ok=True)
        path = self.screenshot_dir / f"{len(self.screenshots) + 1:02d}-{key}.png"
        pygame.image.save(self.canvas, str(path))
        self.screenshots[key] = path

    # ------------------------------------------------------------------ sound and speech
    def _load_sounds(self) -> dict[str, Any]:
        sounds: dict[str, Any] = {}
        if not pygame.mixer.get_init():
            return sounds
        for path in sorted((self.assets_dir / "sounds").glob("*.wav")):
            try:
                sounds[path.stem.replace("-", "_")] = pygame.mixer.Sound(str(path))
            except pygame.error as exc:
                self.notes.append(f"sound {path.name}: {exc}")
        return sounds

    def sound(self, name: str) -> None:
        if self.settings.muted or not pygame.mixer.get_init():
            return
        effect = self._sounds.get(name)
        if effect is not None:
            effect.set_volume(self.settings.volume * 0.8)
            effect.play()

    def say(self, text: str, caption: str | None = None) -> None:
        """Caption now, voice soon; whatever was still being said stops. `caption` shows a
        shorter line when the rest of what is said is already on the screen."""
        if self._voice_channel is not None:
            self._voice_channel.stop()
        self.speech.say(text, self.settings.lang)
        if caption is not None:
            self.speech.show_caption(caption, self.settings.lang)

    def caption_only(self, text: str) -> None:
        self.speech.show_caption(text, self.settings.lang)

    def _play_ready_speech(self) -> None:
        ready = self.speech.take_ready()
        if ready is None or self._voice_channel is None or self.settings.muted:
            return
        voice = self._voices.get(ready.wav_path)
        if voice is None:
            try:
                voice = pygame.mixer.Sound(str(ready.wav_path))
            except pygame.error as exc:
                self.notes.append(f"speech audio: {exc}")
                return
            while len(self._voices) >= VOICE_CACHE_SIZE:
                self._voices.pop(next(iter(self._voices)))  # oldest first; its WAV stays cached on disk
            self._voices[ready.wav_path] = voice
        voice.set_volume(self.settings.volume)
        self._voice_channel.play(voice)

    # ------------------------------------------------------------------- children, store
    def _take_store_answers(self) -> None:
        """Hand finished store calls their answers, on the UI thread."""
        while True:
            try:
                then, result, error = self._store_answers.get_nowait()
            except queue.Empty:
                return
            then(result, error)

    def store_answers_waiting(self) -> bool:
        """Store calls have answered and the next `step` hands the answers over."""
        return not self._store_answers.empty()

    def wait_for_store(self, timeout_s: float = 10.0) -> bool:
        """Until every store call so far has its answer waiting for the next `step`."""
        return self.writer.wait_for_calls(timeout_s) and self.reader.wait_for_calls(timeout_s)

    def load_children(self, then: Callable[[list], None]) -> None:
        """The children, read off the UI thread; `then(children)` runs on it ([] when the
        database cannot say, with a note for the teacher)."""
        def answered(children, error) -> None:
            if error is not None:
                self.notes.append(f"could not list children: {error}")
            then(list(children or []))

        self.reader.call(lambda store: list(store.list_children()), answered)

    def choose_child(self, child, then=None) -> None:
        """Start a session for `child` (calibrate first if this child never has).

        The session starts and the child's calibration and stars are read off the UI thread;
        a "just a moment" scene shows meanwhile, and the game goes on when both are back.
        """
        from game.play.scenes import CalibrationScene, LevelMapScene, LoadingScene

        self.end_session()
        self.child = child
        self.calibration = None
        self._stars = {}
        then = then if then is not None else LevelMapScene(self)
        choice = self._choosing = object()
        answers: dict[str, Any] = {}
        kept = self.unsaved_calibrations.get(child.id)
        settings = self.settings

        def read(store) -> tuple[dict | None, dict[str, int], list[str]]:
            notes = []
            calibration = kept
            if calibration is None:
                try:
                    calibration = store.get_calibration(child.id)
                except Exception as exc:  # noqa: BLE001 - a database problem must not stop the game
                    notes.append(f"could not read calibration: {exc}")
            try:
                stars = dict(store.level_stars(child.id))
            except Exception as exc:  # noqa: BLE001
                notes.append(f"could not read stars: {exc}")
                stars = {}
            return calibration, stars, notes

        def answered(name: str, result, error) -> None:
            if choice is not self._choosing:
                if name == "session" and result is not None:   # another child was chosen meanwhile
                    self.writer.submit("end_session", result)
                return
            answers[name] = (result, error)
            if len(answers) < 2:
                return
            self._choosing = None
            session_id, session_error = answers["session"]
            if session_error is not None:
                self.notes.append(f"could not start a session: {session_error}")
            self.session_id = session_id
            progress, read_error = answers["read"]
            calibration, stars, notes = progress if progress is not None else (
                None, {}, [f"could not read progress: {read_error}"])
            self.notes.extend(notes)
            self.calibration, self._stars = calibration, stars
            ready = CalibrationScene(self, then) if calibration is None and settings.calibrate else then
            if getattr(self.scene, "name", "") in ("teacher", "gate"):
                self.scene.previous = ready      # the teacher area was opened meanwhile: go there after
            else:
                self.go(ready)

        self.go(LoadingScene(self))
        self.writer.call(lambda store: store.start_session(child.id, settings.kiosk_name, settings.lang),
                         lambda result, error: answered("session", result, error))
        self.reader.call(read, lambda result, error: answered("read", result, error))

    def end_session(self) -> None:
        self._choosing = None
        if self.session_id is not None:
            self.writer.submit("end_session", self.session_id)
            self.session_id = None

    def save_calibration(self, baseline: dict[str, float]) -> None:
        """Use the baseline now; store it off the UI thread, and keep trying while the
        database will not take it (it is kept in memory, and used if the child comes back)."""
        self.calibration = dict(baseline)
        if self.child is not None:
            self.unsaved_calibrations[self.child.id] = dict(baseline)
            self._calibration_retry_s = CALIBRATION_RETRY_S
            self._save_calibrations()

    def _save_calibrations(self) -> None:
        if self._calibration_saving or not self.unsaved_calibrations:
            return
        batch = {child_id: dict(baseline) for child_id, baseline in self.unsaved_calibrations.items()}
        self._calibration_saving = True

        def store_them(store) -> tuple[list[int], str | None]:
            saved, problem = [], None
            for child_id, baseline in batch.items():
                try:
                    store.set_calibration(child_id, baseline)
                    saved.append(child_id)
                except Exception as exc:  # noqa: BLE001 - kept and tried again later
                    problem = str(exc)
            return saved, problem

        def answered(result, error) -> None:
            self._calibration_saving = False
            saved, problem = result if result is not None else ([], str(error))
            for child_id in saved:
                if self.unsaved_calibrations.get(child_id) == batch[child_id]:   # not replaced meanwhile
                    del self.unsaved_calibrations[child_id]
            self.calibration_note = problem
            if self.unsaved_calibrations:
                self._calibration_retry_at = self.now + self._calibration_retry_s
                self._calibration_retry_s = min(self._calibration_retry_s * 2, CALIBRATION_RETRY_MAX_S)

        self.writer.call(store_them, answered)

    def child_stars(self) -> dict[str, int]:
        return dict(self._stars)

    def record_attempt(self, **fields: Any) -> None:
        from game.progress import Attempt

        if self.child is None or self.session_id is None:
            return
        self.writer.submit("record_attempt", Attempt(child_id=self.child.id, session_id=self.session_id, **fields))

    def start_level(self, level) -> None:
        from game.play.scenes import RoundScene

        self.go(RoundScene(self, level, 0, LevelScore(rounds_total=len(level.rounds))))

    def next_round(self, level, round_index: int, score: LevelScore) -> None:
        from game.play.scenes import RoundScene, SummaryScene

        if round_index + 1 < len(level.rounds):
            self.go(RoundScene(self, level, round_index + 1, score))
        else:
            self.go(SummaryScene(self, level, score))

    def finish_level(self, level, score: LevelScore) -> None:
        if self.child is None:
            return
        self._stars[level.id] = max(self._stars.get(level.id, 0), score.stars)
        self.writer.submit("record_level_result", self.child.id, level.id, score.stars, score.points)

    # -------------------------------------------------------------------------- camera
    def change_camera(self, spec: str | int) -> None:
        self.settings.camera = spec
        if self.camera is not None:
            self.camera.stop()
            self.camera.start(spec)

    def close(self) -> None:
        self.end_session()
        if self.unsaved_calibrations and not self._calibration_saving:
            self._save_calibrations()      # one last try: a calibration lives in memory only
        self.writer.close()
        self.reader.close()
        self._take_store_answers()
        for child_id in self.unsaved_calibrations:
            log.warning("calibration for child %s could not be stored: %s", child_id, self.calibration_note)
        if self.camera is not None:
            self.camera.stop()
        self.speech.close()


def _draw_eyes(surface: pygame.Surface, white: tuple[int, int, int], pupil: tuple[int, int, int]) -> None:
    w, h = surface.get_size()
    for side in (-1, 1):
        center = (w / 2 + side * w * 0.22, h / 2)
        pygame.draw.ellipse(surface, white, pygame.Rect(center[0] - w * 0.18, center[1] - h * 0.24, w * 0.36, h * 0.48))
        pygame.draw.circle(surface, pupil, (center[0] + w * 0.08, center[1]), w * 0.08)

