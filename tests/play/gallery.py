"""Every child-facing scene in each state it can show, on the real game (dummy drivers, a real
SQLite store, the shipped levels), with what each frame drew written down: the text it put
on the canvas (its ink box and the words), the boxes a text must sit wholly inside or wholly
outside (buttons, the camera view, the picture card), the areas no text may cover (the
celebration star, the gauge) and the caption box over the scene.

`look_at_states` tours a list of states and checks those boxes; `tests/play/test_child_screens.py`
(every state here) and `tests/play/test_more_screens.py` (the other scenes) run it in English and
Bahasa Indonesia, saving a screenshot of each state at 1280x720, 1280x800 and 1920x1080 (the
window letterboxes the logical canvas: game.play.screen).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pygame

from game.levels import load_levels
from game.play.screen import Screen
from game.play.scoring import LevelScore, Streak
from game.play.widgets import Button, ButtonGroup, CameraView, caption_rect
from game.progress import open_store
from game.resources import assets_dir, levels_dir
from game.vision.observation import CameraStatus
from tests.play.harness import Driver, make_game
from tests.play.observations import obs
from tests.play.test_tour import camera_picture

SCREEN_SIZES = ((1280, 720), (1280, 800), (1920, 1080))


@dataclass
class DrawnText:
    text: str
    ink: pygame.Rect            # the painted pixels, on the canvas
    over_scene: bool            # drawn after the scene (the caption), not by it


@dataclass
class Frame:
    key: str
    texts: list[DrawnText] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)          # texts shortened to fit ("…")
    frames: list[tuple[str, pygame.Rect]] = field(default_factory=list)
    clear: list[tuple[str, pygame.Rect]] = field(default_factory=list)
    caption: pygame.Rect | None = None


class RecordingCanvas(pygame.Surface):
    """The game's canvas, noting where each rendered text lands."""

    def __init__(self, size, recorder: "Recorder"):
        super().__init__(size)
        self.recorder = recorder

    def blit(self, source, dest, area=None, special_flags=0):
        rect = super().blit(source, dest, area, special_flags)
        self.recorder.blitted(source, dest)
        return rect


class Recorder:
    """Writes down what every frame of `game` drew (see the module's docstring)."""

    def __init__(self, game):
        self.game = game
        self.rendered: dict[int, tuple[pygame.Surface, str]] = {}
        self.frame: Frame | None = None
        self.frames: list[Frame] = []
        self._in_scene = False
        res = game.res
        plain_text, plain_wrapped = res.text, res.wrapped

        def text(words, *args, **kwargs):
            surface = plain_text(words, *args, **kwargs)
            self.rendered[id(surface)] = (surface, str(words))
            return surface

        def wrapped(words, size, width, *args, max_lines=None, **kwargs):
            lines = plain_wrapped(words, size, width, *args, max_lines=max_lines, **kwargs)
            if max_lines is not None and self.frame is not None:
                full = plain_wrapped(words, size, width, *args, **kwargs)
                if len(full) > len(lines):
                    self.frame.cut.append(str(words))
            return lines

        res.text, res.wrapped = text, wrapped
        game.screen.canvas = RecordingCanvas(game.size, self)
        plain_draw = game.draw

        def draw(now):
            scene = game.scene
            self.frame = Frame(scene.screenshot_key)
            plain_scene_draw = scene.draw

            def scene_draw(canvas, now):
                self._in_scene = True
                try:
                    plain_scene_draw(canvas, now)
                finally:
                    self._in_scene = False
            scene.draw = scene_draw
            try:
                plain_draw(now)
            finally:
                del scene.draw
            self.frame.frames = text_frames(scene)
            self.frame.clear = list(getattr(scene, "clear_areas", lambda: [])())
            if scene.shows_caption and game.speech.caption:
                self.frame.caption = caption_rect(game.res, game.speech.caption, game.size)
            self.frames.append(self.frame)

        game.draw = draw

    def blitted(self, source, dest) -> None:
        found = self.rendered.get(id(source))
        if found is None or found[0] is not source or self.frame is None:
            return
        at = dest.topleft if isinstance(dest, pygame.Rect) else (int(dest[0]), int(dest[1]))
        ink = source.get_bounding_rect().move(at)
        if ink.width and ink.height:
            self.frame.texts.append(DrawnText(found[1], ink, over_scene=not self._in_scene))


def text_frames(scene) -> list[tuple[str, pygame.Rect]]:
    """The boxes of `scene` a text sits wholly inside or outside of: its buttons (every
    ButtonGroup and Button it holds) and camera views."""
    boxes = []
    for name, value in vars(scene).items():
        if isinstance(value, ButtonGroup):
            boxes += [(f"{name}:{b.action}", b.rect) for b in value.buttons]
        elif isinstance(value, Button):
            boxes.append((name, value.rect))
        elif isinstance(value, CameraView):
            boxes.append((name, value.rect))
    boxes += list(getattr(scene, "text_boxes", lambda: [])())
    return boxes


def problems(frame: Frame, size: tuple[int, int]) -> list[str]:
    """What is cut off or covered in one frame, said plainly (empty: all good)."""
    found = [f"{frame.key}: {text!r} is cut short" for text in frame.cut]
    canvas = pygame.Rect((0, 0), size)
    scene_texts = [t for t in frame.texts if not t.over_scene]
    for t in frame.texts:
        if not canvas.contains(t.ink):
            found.append(f"{frame.key}: {t.text!r} at {t.ink} goes off the screen")
    for i, a in enumerate(scene_texts):
        for b in scene_texts[i + 1:]:
            if a.ink.colliderect(b.ink):
                found.append(f"{frame.key}: {a.text!r} and {b.text!r} overlap")
        if frame.caption is not None and a.ink.colliderect(frame.caption):
            found.append(f"{frame.key}: {a.text!r} is behind the caption box")
        for name, box in frame.frames:
            if a.ink.colliderect(box) and not box.contains(a.ink):
                found.append(f"{frame.key}: {a.text!r} at {a.ink} sticks out of {name} {box}")
        for name, area in frame.clear:
            if a.ink.colliderect(area):
                found.append(f"{frame.key}: {a.text!r} at {a.ink} is covered by {name} {area}")
    return found


def save_screens(game, folder: Path, name: str) -> list[Path]:
    """The canvas as each screen size shows it (letterboxed by game.play.screen.Screen)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in SCREEN_SIZES:
        window = pygame.Surface(size)
        screen = Screen(game.size, window)
        screen.canvas = game.canvas
        screen.present()
        path = folder / f"{name}-{size[0]}x{size[1]}.png"
        pygame.image.save(window, str(path))
        paths.append(path)
    return paths


# ------------------------------------------------------------------------- the states
def camera(emotion=None, p=0.0, **kwargs) -> Callable[[float], object]:
    """What the camera shows: a picture with one face reading `emotion` at `p` (see obs)."""
    picture = camera_picture()

    def source(now):
        seen = obs(now, emotion, p, **kwargs)
        face = (240, 110, 150, 190) if seen.n_faces else None
        return replace(seen, preview=picture, face_box=face)
    return source


def no_camera(now):
    return obs(now, status=CameraStatus.NO_CAMERA)


def camera_starting(now):
    return obs(now, status=CameraStatus.STARTING)


@dataclass(frozen=True)
class State:
    """One thing a child can see: how to get there, and how long to let it play."""

    name: str
    setup: Callable[["Tour"], None]
    seconds: float = 1.5


class Tour:
    """Puts a game into each State in turn (the store, children and levels are real)."""

    def __init__(self, game, store):
        self.game, self.store = game, store
        self.driver = Driver(game)
        self.levels = {lv.id: lv for lv in game.levels}

    def child(self, name="Ana", avatar="cat"):
        found = next((c for c in self.store.list_children() if c.name == name), None)
        child = found or self.store.add_child(name, avatar)
        self.store.set_calibration(child.id, {})
        return child

    def session(self) -> None:
        """A chosen child whose session is ready (so rounds record and the map shows stars)."""
        child = self.child()
        if self.game.session.child is None or self.game.session.child.id != child.id:
            self.game.session.start(child, "test", self.game.settings.lang)
            self.driver.run(0.2, until=lambda g: g.session.ready)

    def go(self, name: str, **args) -> None:
        self.game.replace(name, **args)
        self.driver.run(1 / 30)

    def round(self, level_id: str, index: int = 0, **args) -> None:
        self.session()
        self.go("round", level=self.levels[level_id], round_index=index, **args)



def look_at_states(states: list[State], lang: str, tmp_path: Path,
                   first: Callable[[Tour], None] | None = None) -> tuple[dict[str, list[Frame]], list[str]]:
    """Tours the real game (the shipped levels, a real store in `tmp_path`) in `lang` through
    each of `states` in turn, after `first`, and saves each state's screens under
    EMOTION_GAME_SHOTS_DIR (default: `tmp_path`/shots)/`lang` for a person to look at.

    Returns the frames each state drew, by state name, and every problem of those frames (see
    `problems`), once each, named by its state."""
    shots = Path(os.environ.get("EMOTION_GAME_SHOTS_DIR") or tmp_path / "shots") / lang
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    game = make_game(store, load_levels(levels_dir(), assets_dir()).levels, lang=lang)
    recorder = Recorder(game)
    tour = Tour(game, store)
    drawn: dict[str, list[Frame]] = {}
    found: dict[str, None] = {}
    try:
        if first is not None:
            first(tour)
        for state in states:
            recorder.frames.clear()
            state.setup(tour)
            tour.driver.run(state.seconds)
            drawn[state.name] = list(recorder.frames)
            for frame in recorder.frames:
                for problem in problems(frame, game.size):
                    found.setdefault(f"[{state.name}] {problem}")
            save_screens(game, shots, state.name)
    finally:
        game.close()
        store.close()
    return drawn, list(found)

def _round_play(level_id, index=0, source=None, seconds=0.0, **args):
    def setup(tour: Tour):
        tour.driver.source = source or camera()
        tour.round(level_id, index, **args)
        tour.driver.run(seconds or tour.game.scene.intro_s + 0.2)
    return setup


def _celebrate(cheer_turn: int, streak: int):
    def setup(tour: Tour):
        tour.session()
        tour.game._turn = cheer_turn - 1
        level = tour.levels["meet-happy"]
        score = LevelScore(rounds_total=3, matched_rounds=frozenset({0, 1}), points=400,
                           streak=Streak(streak, streak))
        tour.go("celebrate", level=level, round_index=1, score=score, earned=210)
    return setup


def _summary(stars_matched: int):
    def setup(tour: Tour):
        tour.session()
        level = tour.levels["meet-happy"]
        score = LevelScore(rounds_total=3, matched_rounds=frozenset(range(stars_matched)), points=150 * stars_matched)
        tour.go("summary", level=level, score=score)
    return setup


def _choose(children: list[tuple[str, str]]):
    def setup(tour: Tour):
        for name, avatar in children:
            tour.child(name, avatar)
        tour.game.session.leave()
        tour.go("choose")
        tour.driver.run(0.3)
    return setup


def _calibrate(source):
    def setup(tour: Tour):
        from game.play.services import Next

        tour.driver.source = source
        tour.session()
        tour.go("calibrate", then=Next("map"))
    return setup


def _calibrated(tour: Tour) -> None:
    from game.play.services import Next

    tour.driver.source = camera(probs={"happy": 0.08, "sad": 0.1, "fear": 0.07})
    tour.session()
    tour.go("calibrate", then=Next("map"))
    tour.driver.run(8.0, until=lambda g: g.scene.screenshot_key == "calibrate-thanks")


def _map(tour: Tour) -> None:
    tour.session()
    tour.go("map")


def _welcome(tour: Tour) -> None:
    tour.go("welcome")


def _loading(tour: Tour) -> None:
    from game.play.services import Next

    tour.game.session.leave()
    tour.game.session.child = tour.child()
    tour.go("loading", then=Next("map"))


def _encourage(level_id, index=0):
    def setup(tour: Tour):
        tour.driver.source = camera(probs={"happy": 0.08, "sad": 0.1, "fear": 0.07})
        tour.round(level_id, index)
        tour.driver.run(60, until=lambda g: g.scene.screenshot_key == "round-encourage")
    return setup


def _skip_held(tour: Tour) -> None:
    tour.driver.source = camera()
    tour.round("meet-happy")
    tour.driver.run(tour.game.scene.intro_s + 0.2)
    pos = tour.game.scene.skip_button.rect.center
    tour.driver.run(1 / 30, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1)])
    tour.driver.run(0.8)


def _holding(tour: Tour) -> None:
    tour.driver.source = camera("happy", 0.95)
    tour.round("meet-happy", index=0)
    tour.driver.run(tour.game.scene.intro_s + 0.5)


CHEERS = 5

STATES: list[State] = [
    State("welcome", _welcome),
    State("choose-empty", _choose([])),
    State("choose", _choose([("Ana", "cat"), ("Budi", "lion"), ("Citra", "owl"), ("Dewi", "panda"),
                             ("Eko", "frog"), ("Fajar Nugroho", "dog"), ("Gita", "fox")])),
    State("choose-pages", _choose([(f"Anak {i}", "") for i in range(12)])),
    State("loading", _loading, 2.5),
    State("calibrate", _calibrate(camera(probs={"happy": 0.08, "sad": 0.1, "fear": 0.07})), 1.0),
    State("calibrate-no-camera", _calibrate(no_camera), 2.0),
    State("calibrate-camera-starting", _calibrate(camera_starting), 2.0),
    State("calibrate-thanks", _calibrated, 0.5),
    State("map", _map),
    State("round-intro", _round_play("meet-happy", seconds=0.3)),
    State("round-play", _round_play("meet-happy", source=camera("happy", 0.12))),
    State("round-holding", _holding, 0.5),
    State("round-no-face", _round_play("meet-happy", source=camera(n_faces=0)), 2.0),
    State("round-many-faces", _round_play("meet-happy", source=camera("happy", 0.12, n_faces=2)), 2.0),
    State("round-looking-away", _round_play("meet-happy", source=camera("happy", 0.12, looking_away=True)), 2.0),
    State("round-no-camera", _round_play("meet-happy", source=no_camera), 2.0),
    State("round-camera-starting", _round_play("meet-happy", source=camera_starting), 2.0),
    State("round-story", _round_play("story-time", seconds=0.5)),
    State("round-story-play", _round_play("story-time", source=camera("sad", 0.2), seconds=13.0)),
    State("round-mirror", _round_play("mirror-game", source=camera("happy", 0.12))),
    State("round-quiet", _round_play("meet-happy", source=camera("happy", 0.12), seconds=11.0), 0.5),
    State("round-encourage", _encourage("meet-happy", 1), 1.0),
    State("round-encourage-story", _encourage("story-time", 0), 1.0),
    State("round-skip-held", _skip_held, 0.1),
    *[State(f"celebrate-{k}", _celebrate(k, streak=3), 1.2) for k in range(CHEERS)],
    State("summary-0", _summary(0), 2.0),
    State("summary-3", _summary(3), 2.0),
]
