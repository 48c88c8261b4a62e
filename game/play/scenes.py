"""The scenes of the game, a small state machine driven by `Game`.

welcome -> choose (your picture) -> [calibrate, first session only] -> map -> round
round -> celebrate -> next round ... -> summary -> map
round (timeout) -> encourage: try again | next
any scene -> teacher (Ctrl+Shift+T held 2 s) -> back to where it was

A scene has `enter(now)`, `handle(event)`, `update(now, dt)` and `draw(canvas, now)`, and asks
the game to move on with `game.go(next_scene)`. `screenshot_key` names what the scene is
showing right now (a round showing "I can't see you" is "round-no-face"), so `--screenshots`
saves one picture of each thing a child can see.
"""

from __future__ import annotations

import time

import math
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import pygame

from game.play.calibration import CalmFaceRecorder, round_spec
from game.play.rules import FaceState, Outcome, RoundJudge
from game.play.scoring import MAX_STARS, LevelScore, is_unlocked
from game.play.widgets import (Button, ButtonGroup, CameraView, Confetti, blit_centered, draw_face,
                               draw_gauge, draw_lock, draw_person, draw_star, lerp_colour)

if TYPE_CHECKING:
    from game.levels import Level
    from game.play.app import Game

INTRO_S = 1.2                 # the picture and the prompt before the round starts judging
MIRROR_INTRO_S = 0.5          # mirror levels are quick copy-the-picture rounds
STORY_WORDS_PER_S = 2.2       # a story is told first, at the child-paced voice (about 130 words a minute)
CELEBRATE_S = 2.8
MIRROR_CELEBRATE_S = 1.6
MIRROR_AUTO_NEXT_S = 2.5      # a missed mirror round moves on quickly unless the child taps "try again"
THANKS_S = 1.6
FACE_NOTICE_AFTER_S = 0.8     # a face state must last this long before the game mentions it
FACE_NOTICE_REPEAT_S = 6.0    # and is spoken again at most this often
CALIBRATION_GIVE_UP_S = 25.0  # no calm face seen for this long: play now, calibrate next time
SUMMARY_BACK_TO_MAP_S = 30.0

FACE_PHRASES = {
    FaceState.NO_FACE: ("face.no_face", "face.no_face_spoken"),
    FaceState.MANY_FACES: ("face.many_faces", "face.many_faces_spoken"),
    FaceState.LOOKING_AWAY: ("face.looking_away", "face.looking_away_spoken"),
    FaceState.CAMERA_STARTING: ("face.camera_starting", None),
    FaceState.NO_CAMERA: ("face.no_camera", None),
    FaceState.NO_EXPRESSIONS: ("face.no_expressions", "face.no_expressions_spoken"),
}


class Scene:
    name = "scene"
    shows_caption = True
    screenshot_after_s = 0.3      # let an entrance animation settle before a screenshot

    def __init__(self, game: "Game"):
        self.game = game
        self.entered_at = 0.0
        self.paused_for = 0.0

    @property
    def screenshot_key(self) -> str:
        return self.name

    def enter(self, now: float) -> None:
        self.entered_at = now

    def resume(self, now: float) -> None:
        """Back from the teacher area: carry on, and give the child the words again."""
        self.paused_for = now - self.game.paused_at if self.game.paused_at is not None else 0.0
        self.entered_at += self.paused_for

    def handle(self, event: pygame.event.Event) -> None:
        pass

    def update(self, now: float, dt: float) -> None:
        pass

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        pass

    # helpers
    def t(self, key: str, **values) -> str:
        return self.game.phrases.get(key, self.game.settings.lang, **values)

    def header(self, canvas: pygame.Surface, title: str) -> None:
        theme = self.game.theme
        w = canvas.get_width()
        pygame.draw.rect(canvas, theme["background_band"], (0, 0, w, 120))
        pygame.draw.circle(canvas, theme["background_band"], (w // 2, -380), 520)
        blit_centered(canvas, self.game.res.text(title, "big", theme["ink"], bold=True), (w / 2, 62))


def _pressed(event: pygame.event.Event) -> bool:
    return (event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN)
            or (event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_SPACE, pygame.K_KP_ENTER)))


# ----------------------------------------------------------------------------------- welcome
class WelcomeScene(Scene):
    name = "welcome"

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.say(self.t("welcome.greeting"))

    def handle(self, event: pygame.event.Event) -> None:
        if _pressed(event):
            self.game.sound("pop")
            self.game.go(ChooseChildScene(self.game))

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        pygame.draw.circle(canvas, theme["background_band"], (w // 2, h + 260), 620)
        blit_centered(canvas, res.text(self.t("welcome.title"), "title", theme["ink"], bold=True), (w / 2, 120))
        for i, emotion in enumerate(("happy", "sad", "fear")):
            bounce = 14 * math.sin(now * 2.4 + i * 1.3)
            face = res.shape(("face", emotion), (200, 200),
                             lambda s, e=emotion: draw_face(s, e, theme.emotion(e), theme["ink"]))
            blit_centered(canvas, face, (w / 2 + (i - 1) * 270, 340 + bounce))
        pulse = 1.0 + 0.04 * math.sin(now * 4)
        rect = pygame.Rect(0, 0, int(460 * pulse), int(110 * pulse))
        rect.center = (w // 2, 548)
        ButtonGroup([Button(rect, "start", self.t("welcome.start"), icon="arrow")]).draw(canvas, res, now)


# ------------------------------------------------------------------------------- choose child
class ChooseChildScene(Scene):
    name = "choose"
    PER_PAGE = 10

    def __init__(self, game: "Game"):
        super().__init__(game)
        self.page = 0
        self.children = []
        self.loading = False      # the children are being read (off the UI thread)
        self.buttons = ButtonGroup()

    @property
    def screenshot_key(self) -> str:
        if self.loading:
            return "choose-loading"
        return "choose" if self.children else "choose-empty"

    def enter(self, now: float) -> None:
        super().enter(now)
        self.loading = True
        self.game.load_children(self._loaded)

    def _loaded(self, children: list) -> None:
        self.loading = False
        self.children = children
        if self.game.scene is self:
            self.game.say(self.t("choose.spoken") if self.children else self.t("choose.empty"))
        self._layout()

    def _layout(self) -> None:
        w, _h = self.game.canvas_size
        shown = self.children[self.page * self.PER_PAGE:(self.page + 1) * self.PER_PAGE]
        buttons = []
        per_row = 5
        for i, child in enumerate(shown):
            row, col = divmod(i, per_row)
            n_in_row = min(per_row, len(shown) - row * per_row)
            x = w / 2 + (col - (n_in_row - 1) / 2) * 220
            y = 250 + row * 250
            buttons.append(Button(pygame.Rect(x - 85, y - 85, 170, 170), f"child:{child.id}", child.name))
        pages = max(1, math.ceil(len(self.children) / self.PER_PAGE))
        if pages > 1:
            buttons.append(Button(pygame.Rect(w - 130, 300, 100, 100), "next-page", icon="arrow"))
        self.buttons = ButtonGroup(buttons, focus=min(self.buttons.focus, max(0, len(buttons) - 1)))

    def handle(self, event: pygame.event.Event) -> None:
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is None:
            return
        if chosen.action == "next-page":
            self.page = (self.page + 1) % max(1, math.ceil(len(self.children) / self.PER_PAGE))
            self._layout()
            return
        child_id = int(chosen.action.split(":", 1)[1])
        child = next(c for c in self.children if c.id == child_id)
        self.game.sound("pop")
        quick = self.game.quick_level
        self.game.choose_child(child, then=RoundScene(self.game, quick, 0, LevelScore(len(quick.rounds))) if quick else None)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        self.header(canvas, self.t("choose.title"))
        if self.loading:
            draw_waiting(canvas, res, theme, (w / 2, 340), now)
            return
        if not self.children:
            person = res.shape(("person",), (220, 220), lambda s: draw_person(s, theme["ink_soft"]))
            blit_centered(canvas, person, (w / 2, 320))
            for i, line in enumerate(res.wrapped(self.t("choose.empty"), "medium", 900, theme["ink"], bold=True)):
                blit_centered(canvas, line, (w / 2, 480 + i * 52))
            blit_centered(canvas, res.text(self.t("teacher.hold_hint"), "tiny", theme["ink_soft"]), (w / 2, 600))
            return
        for index, button in enumerate(self.buttons.buttons):
            focused = index == self.buttons.focus
            if button.action == "next-page":
                ButtonGroup([button], 0 if focused else -1).draw(canvas, res, now)
                continue
            child = next(c for c in self.children if f"child:{c.id}" == button.action)
            center = button.rect.center
            lift = -8 if focused else 0
            if focused:
                pygame.draw.circle(canvas, theme["star"], (center[0], center[1] + lift), 100 + 4 * math.sin(now * 5))
            self.game.draw_avatar(canvas, child, (center[0], center[1] + lift), 85)
            blit_centered(canvas, res.text(child.name, "small", theme["ink"], bold=True), (center[0], center[1] + 122))


# ----------------------------------------------------------------------------------- loading
def draw_waiting(canvas: pygame.Surface, res, theme, center: tuple[float, float], now: float) -> None:
    """Three dots taking turns to bounce: the game is busy, not stuck."""
    for i in range(3):
        lift = max(0.0, math.sin(now * 6 - i * 0.9)) * 26
        pygame.draw.circle(canvas, theme.confetti[i % len(theme.confetti)],
                           (center[0] + (i - 1) * 70, center[1] - lift), 22)


class LoadingScene(Scene):
    """'Just a moment': a child was chosen and their session is starting (off the UI thread,
    so a slow database shows this instead of a frozen screen). The game moves on by itself."""

    name = "loading"
    SLOW_AFTER_S = 2.0            # from then on, a line for grown-ups says progress is safe

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        self.header(canvas, self.t("loading.title"))
        if self.game.child is not None:
            self.game.draw_avatar(canvas, self.game.child, (w / 2, 300), 110)
        draw_waiting(canvas, res, theme, (w / 2, 500), now)
        if now - self.entered_at >= self.SLOW_AFTER_S:
            for i, line in enumerate(res.wrapped(self.t("loading.slow"), "tiny", w - 200, theme["ink_soft"], max_lines=2)):
                blit_centered(canvas, line, (w / 2, h - 90 + i * 30))


# ------------------------------------------------------------------------------- calibration
class CalibrationScene(Scene):
    """'Make a calm face': a few seconds of the child's resting face, once per child."""

    name = "calibrate"

    def __init__(self, game: "Game", then: Scene):
        super().__init__(game)
        self.then = then
        self.recorder = CalmFaceRecorder(game.labels)
        self.view = CameraView(pygame.Rect(390, 140, 500, 375))
        self.done_at: float | None = None
        self.last_progress_at = 0.0

    @property
    def screenshot_key(self) -> str:
        return "calibrate-thanks" if self.done_at is not None else "calibrate"

    def enter(self, now: float) -> None:
        super().enter(now)
        self.last_progress_at = now
        self.game.say(self.t("calibrate.spoken"))

    def update(self, now: float, dt: float) -> None:
        obs = self.game.obs
        if obs is not None:
            self.view.update(obs.preview, obs.frame_size, (obs.captured_at, obs.frame_index))
        if self.done_at is not None:
            if now - self.done_at >= THANKS_S:
                self.game.go(self.then)
            return
        before = self.recorder.face_time_s
        self.recorder.step(now, obs, self.game.model_problem)
        if self.recorder.face_time_s > before:
            self.last_progress_at = now
        if self.recorder.done:
            baseline = self.recorder.baseline()
            if baseline is not None:
                self.game.save_calibration(baseline)
            self.done_at = now
            self.game.sound("chime")
            self.game.say(self.t("calibrate.thanks"))
        elif now - self.last_progress_at > CALIBRATION_GIVE_UP_S:
            self.game.go(self.then)   # no clear face for a long time: play now, ask again next session

    def handle(self, event: pygame.event.Event) -> None:
        if self.done_at is not None and _pressed(event):
            self.game.go(self.then)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        self.header(canvas, self.t("calibrate.thanks") if self.done_at is not None else self.t("calibrate.title"))
        obs = self.game.obs
        state = FaceState.CAMERA_STARTING if obs is None else self.game.face_state()
        colour = theme["good"] if state is FaceState.OK else theme["face_frame"]
        self.view.draw(canvas, res, obs.face_box if obs else None, colour, now, has_picture=obs is not None)
        calm = res.shape(("face", "calm"), (170, 170), lambda s: draw_face(s, "calm", theme["good_light"], theme["ink"]))
        blit_centered(canvas, calm, (190, 330))
        # progress: a row of five stars filling up
        for i in range(5):
            filled = self.recorder.progress >= (i + 1) / 5 - 1e-6
            draw_star(canvas, (w / 2 + (i - 2) * 80, 575), 30, theme["star"] if filled else theme["star_empty"], theme["ink"])
        if state is not FaceState.OK and self.done_at is None:
            self.game.draw_face_notice(canvas, state, self.view.rect)


# ---------------------------------------------------------------------------------- level map
class LevelMapScene(Scene):
    name = "map"
    PER_PAGE = 5

    def __init__(self, game: "Game"):
        super().__init__(game)
        self.page = 0
        self.buttons = ButtonGroup()
        self.stars: dict[str, int] = {}

    def enter(self, now: float) -> None:
        super().enter(now)
        self.stars = self.game.child_stars()
        self.game.say(self.t("map.spoken"))
        self._layout()
        playable = [i for i, b in enumerate(self.buttons.buttons) if b.enabled and b.action.startswith("level:")]
        # focus the first unlocked level without stars: where the child should go next
        fresh = [i for i in playable if self.stars.get(self.buttons.buttons[i].action[6:], -1) <= 0]
        self.buttons.focus = (fresh or playable or [0])[0]

    def unlocked(self, level: "Level") -> bool:
        return is_unlocked(level.unlock.after, level.unlock.min_stars, self.stars)

    def _layout(self) -> None:
        w, _h = self.game.canvas_size
        levels = self.game.levels[self.page * self.PER_PAGE:(self.page + 1) * self.PER_PAGE]
        buttons = []
        for i, level in enumerate(levels):
            x = w / 2 - 50 + (i - (len(levels) - 1) / 2) * 215
            y = 270 if i % 2 == 0 else 410
            buttons.append(Button(pygame.Rect(x - 80, y - 80, 160, 160), f"level:{level.id}",
                                  enabled=self.unlocked(level)))
        pages = max(1, math.ceil(len(self.game.levels) / self.PER_PAGE))
        if pages > 1:
            buttons.append(Button(pygame.Rect(w - 130, 300, 100, 100), "next-page", icon="arrow"))
        buttons.append(Button(pygame.Rect(24, 14, 92, 92), "choose"))   # the child's picture: change child
        self.buttons = ButtonGroup(buttons)

    def handle(self, event: pygame.event.Event) -> None:
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is None:
            if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
                pos = self.game.canvas_pos(event)
                locked = next((b for b in self.buttons.buttons if not b.enabled and pos and b.rect.collidepoint(pos)), None)
                if locked is not None:
                    self.game.say(self.t("map.locked"))
            return
        if chosen.action == "next-page":
            self.page = (self.page + 1) % max(1, math.ceil(len(self.game.levels) / self.PER_PAGE))
            self._layout()
        elif chosen.action == "choose":
            self.game.go(ChooseChildScene(self.game))
        else:
            level = next(lv for lv in self.game.levels if lv.id == chosen.action[6:])
            self.game.sound("pop")
            self.game.start_level(level)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        self.header(canvas, self.t("map.title"))
        level_buttons = [b for b in self.buttons.buttons if b.action.startswith("level:")]
        # the path between levels
        points = [b.rect.center for b in level_buttons]
        if len(points) > 1:
            for a, b in zip(points, points[1:]):
                steps = 9
                for k in range(1, steps):
                    x = a[0] + (b[0] - a[0]) * k / steps
                    y = a[1] + (b[1] - a[1]) * k / steps
                    pygame.draw.circle(canvas, theme["panel_edge"], (x, y), 9)
        for index, button in enumerate(self.buttons.buttons):
            focused = index == self.buttons.focus
            if button.action == "choose":
                if self.game.child is not None:
                    if focused:
                        pygame.draw.circle(canvas, theme["star"], button.rect.center, 54)
                    self.game.draw_avatar(canvas, self.game.child, button.rect.center, 44)
                continue
            if button.action == "next-page":
                ButtonGroup([button], 0 if focused else -1).draw(canvas, res, now)
                continue
            level = next(lv for lv in self.game.levels if lv.id == button.action[6:])
            center = button.rect.center
            bob = 6 * math.sin(now * 3) if focused and button.enabled else 0
            c = (center[0], center[1] + bob)
            if focused:
                pygame.draw.circle(canvas, theme["star"], c, 96 + 4 * math.sin(now * 5))
            pygame.draw.circle(canvas, lerp_colour(theme["ink"], theme["panel"], 0.1), (c[0], c[1] + 7), 82)
            if button.enabled:
                emotion = level.emotions[0] if level.emotions else "happy"
                face = res.shape(("face", emotion), (164, 164),
                                 lambda s, e=emotion: draw_face(s, e, theme.emotion(e), theme["ink"]))
                blit_centered(canvas, face, c)
            else:
                pygame.draw.circle(canvas, theme["lock"], c, 82)
                lock = res.shape(("lock",), (90, 90), lambda s: draw_lock(s, theme["panel"]))
                blit_centered(canvas, lock, c)
            earned = self.stars.get(level.id, 0)
            for k in range(MAX_STARS):
                draw_star(canvas, (c[0] + (k - 1) * 44, c[1] + 112), 20,
                          theme["star"] if k < earned else theme["star_empty"], theme["ink"])
            for k, line in enumerate(res.wrapped(level.title.get(self.game.settings.lang), "tiny", 190,
                                                 theme["ink"], bold=True)[:2]):
                blit_centered(canvas, line, (c[0], c[1] + 150 + k * 28))


# ------------------------------------------------------------------------------------- round
class RoundScene(Scene):
    name = "round"

    def __init__(self, game: "Game", level: "Level", round_index: int, score: LevelScore, tries: int = 0):
        super().__init__(game)
        self.level = level
        self.round_index = round_index
        self.round = level.rounds[round_index]
        self.score = score
        self.tries = tries
        self.spec = self._spec()
        self.phase = "intro"
        self.judge: RoundJudge | None = None
        self.started_wall: datetime | None = None
        self.view = CameraView(pygame.Rect(668, 104, 548, 411))
        self.face = FaceState.CAMERA_STARTING
        self.face_since = 0.0
        self.noticed: FaceState | None = None
        self.noticed_at = -1e9
        self.status = None
        self.encourage_at = 0.0
        self.buttons = ButtonGroup()
        self.skip_button = Button(pygame.Rect(1160, 12, 96, 96), "skip", icon="arrow", colour=game.theme["ink_soft"])
        self.mirror = level.mode == "mirror"
        self.intro_s = self._intro_seconds()

    @property
    def screenshot_key(self) -> str:
        if self.phase == "encourage":
            return "round-encourage"
        if self.phase == "play" and self.noticed is not None and self.noticed is self.face:
            return f"round-{self.face.value.replace(' ', '-')}"
        if self.phase == "play" and self.status is not None and self.status.hold_progress > 0:
            return "round-holding"
        return f"round-{self.phase}"

    def _intro_seconds(self) -> float:
        if self.mirror:
            return MIRROR_INTRO_S
        if self.round.story is not None and self.tries == 0:
            words = len(self.round.story.get(self.game.settings.lang).split())
            return min(12.0, max(INTRO_S, words / STORY_WORDS_PER_S + 0.5))
        return INTRO_S

    def spoken_prompt(self) -> str:
        lang = self.game.settings.lang
        speech = self.round.speech.get(lang)
        if self.round.story is not None and self.tries == 0:
            return f"{self.round.story.get(lang)} {speech}"
        return speech

    def _spec(self):
        """The rules for this attempt: the level's, then difficulty, then this child's calibration."""
        return round_spec(self.round.emotion, self.round.threshold, self.round.hold_s, self.round.time_limit_s,
                          baseline=self.game.calibration, difficulty=self.game.settings.difficulty,
                          threshold_scale=self.game.settings.threshold_scale.get(self.round.emotion, 1.0))

    def enter(self, now: float) -> None:
        super().enter(now)
        self.spec = self._spec()      # calibration may have happened since this scene was made
        if self.game.first_prompt_at is None:
            self.game.first_prompt_at = time.time()  # start-up measure (tools/bench.py)
        # a story is on the card already; the caption keeps to the question
        self.game.say(self.spoken_prompt(), caption=self.round.prompt.get(self.game.settings.lang))

    def resume(self, now: float) -> None:
        super().resume(now)
        self.encourage_at += self.paused_for
        self.face_since += self.paused_for
        if self.judge is not None:
            self.judge.resume(now)
        self.game.say(self.spoken_prompt() if self.phase != "encourage" else self.hint() or self.spoken_prompt())

    def _start_judging(self, now: float) -> None:
        self.phase = "play"
        self.face_since = now
        self.judge = RoundJudge(self.spec, now)
        self.started_wall = datetime.now(timezone.utc)

    def update(self, now: float, dt: float) -> None:
        obs = self.game.obs
        if obs is not None:
            self.view.update(obs.preview, obs.frame_size, (obs.captured_at, obs.frame_index))
        if self.phase == "intro":
            if now - self.entered_at < self.intro_s:
                return
            self._start_judging(now)
        if self.phase == "encourage":
            wait = min(self.game.settings.auto_next_s, MIRROR_AUTO_NEXT_S) if self.mirror else self.game.settings.auto_next_s
            if now - self.encourage_at >= wait:
                self._next()
            return
        self.status = self.judge.step(now, obs, self.game.model_problem)
        self._face_notices(now, self.status.face)
        if self.status.outcome is Outcome.MATCHED:
            self._record("matched")
            score, earned = self.score.matched(self.round_index, self.judge.time_to_match_s,
                                               self.spec.hold_s, self.spec.time_limit_s)
            self.game.go(CelebrationScene(self.game, self.level, self.round_index, score, earned))
        elif self.status.outcome is Outcome.TIMEOUT:
            self._record("timeout")
            self.score = self.score.missed()
            self._encourage(now)

    def _face_notices(self, now: float, state: FaceState) -> None:
        """Say kindly what is wrong, once it has lasted a moment; go back to the prompt after."""
        if state is not self.face:
            self.face, self.face_since = state, now
        if state is FaceState.OK:
            if self.noticed is not None:
                self.noticed = None
                self.game.caption_only(self.round.prompt.get(self.game.settings.lang))
            return
        if self.noticed is state or now - self.face_since < FACE_NOTICE_AFTER_S:
            return
        self.noticed = state
        shown, spoken = FACE_PHRASES[state]
        if spoken and not self.mirror and now - self.noticed_at >= FACE_NOTICE_REPEAT_S:
            self.noticed_at = now
            self.game.say(self.t(spoken))
        else:
            self.game.caption_only(self.t(shown))

    def _encourage(self, now: float) -> None:
        self.phase = "encourage"
        self.encourage_at = now
        self.game.sound("try_again")
        lang = self.game.settings.lang
        line = self.game.phrases.pick("encourage.lines", lang, self.game.turn())
        hint = self.hint()
        self.game.say(f"{line} {hint}" if hint else line, caption=line)   # the hint is on the card
        self.buttons = ButtonGroup([
            Button(pygame.Rect(680, 540, 300, 88), "again", self.t("round.try_again"), icon="again",
                   colour=self.game.theme["good"]),
            Button(pygame.Rect(1000, 540, 210, 88), "next", self.t("round.next"), icon="arrow",
                   colour=self.game.theme["accent"]),
        ])

    def hint(self) -> str:
        hints = self.round.hints
        return hints[self.tries % len(hints)].get(self.game.settings.lang) if hints else ""

    def _record(self, outcome: str) -> None:
        judge = self.judge
        if judge is None or self.game.model_problem:
            return    # nothing could be judged: a try the child never had is not recorded
        stats = judge.stats
        self.game.record_attempt(
            level_id=self.level.id, round_index=self.round_index, emotion=self.round.emotion,
            started_at=self.started_wall or datetime.now(timezone.utc), ended_at=datetime.now(timezone.utc),
            outcome=outcome, time_to_match_s=judge.time_to_match_s if outcome == "matched" else None,
            peak_prob=stats.peak_prob, mean_prob=stats.mean_prob, face_share=stats.face_share,
            positive_share=stats.positive_share, negative_share=stats.negative_share,
            noface_share=stats.noface_share)

    def _next(self) -> None:
        self.game.next_round(self.level, self.round_index, self.score)

    def handle(self, event: pygame.event.Event) -> None:
        if self.phase == "encourage":
            chosen = self.buttons.handle(event, self.game.canvas_pos)
            if chosen is None:
                return
            self.game.sound("pop")
            if chosen.action == "again":
                self.game.go(RoundScene(self.game, self.level, self.round_index, self.score, self.tries + 1))
            else:
                self._next()
            return
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
            pos = self.game.canvas_pos(event)
            if pos and self.skip_button.rect.collidepoint(pos):
                if self.phase == "play":
                    self._record("skipped")
                self.score = self.score.missed()
                self._next()

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        lang = self.game.settings.lang
        emotion = self.round.emotion
        # progress dots: one per round
        total = len(self.level.rounds)
        for i in range(total):
            x = 640 + (i - (total - 1) / 2) * 40
            done = i in self.score.matched_rounds
            colour = theme["good"] if done else (theme["accent"] if i == self.round_index else theme["star_empty"])
            pygame.draw.circle(canvas, colour, (x, 44), 14 if i == self.round_index else 11)
        if self.game.child is not None:
            self.game.draw_avatar(canvas, self.game.child, (70, 56), 40)
        ButtonGroup([self.skip_button], -1).draw(canvas, res, now)
        # the target picture card
        card = pygame.Rect(48, 104, 560, 500)
        pygame.draw.rect(canvas, theme["panel"], card, border_radius=36)
        pygame.draw.rect(canvas, theme.emotion(emotion), card, 10, border_radius=36)
        if self.phase == "encourage" and (self.hint() or self.round.story is not None):
            picture = self._picture((230, 230))
            blit_centered(canvas, picture, (card.centerx, card.y + 150))
            blit_centered(canvas, res.text(self.t("round.hint_title"), "small", theme["ink_soft"], bold=True),
                          (card.centerx, card.y + 300))
            for i, line in enumerate(res.wrapped(self.hint(), "small", card.width - 60, theme["ink"], bold=True)[:4]):
                blit_centered(canvas, line, (card.centerx, card.y + 350 + i * 40))
        elif self.round.story is not None:
            # a story round: the picture is the answer, so it waits until it is needed as a hint
            bob = 8 * math.sin(now * 2.5)
            bubble = pygame.Rect(0, 0, 230, 230)
            bubble.center = (card.centerx, card.y + 150 + bob)
            pygame.draw.circle(canvas, theme["background_band"], bubble.center, 115)
            pygame.draw.circle(canvas, theme["panel_edge"], bubble.center, 115, 8)
            blit_centered(canvas, res.text("?", 150, theme["ink"], bold=True), bubble.center)
            lines = res.wrapped(self.round.story.get(lang), "small", card.width - 70, theme["ink"], bold=True)[:4]
            for i, line in enumerate(lines):
                blit_centered(canvas, line, (card.centerx, card.y + 320 + i * 42))
        else:
            bob = 8 * math.sin(now * 2.5)
            blit_centered(canvas, self._picture((380, 380)), (card.centerx, card.y + 215 + bob))
            word = self.game.phrases.get(f"emotions.{emotion}", lang)
            blit_centered(canvas, res.text(word, "big", theme["ink"], bold=True), (card.centerx, card.bottom - 60))
        # the child's mirrored camera picture
        obs = self.game.obs
        holding = self.status is not None and self.status.hold_progress > 0
        frame_colour = theme["good"] if holding else theme["face_frame"]
        self.view.draw(canvas, res, obs.face_box if obs is not None else None, frame_colour, now,
                       has_picture=obs is not None)
        if self.phase == "encourage":
            self.buttons.draw(canvas, res, now)
            return
        p = self.status.p_target if self.status else 0.0
        progress = self.status.hold_progress if self.status else 0.0
        draw_gauge(canvas, res, pygame.Rect(690, 550, 430, 50), p, self.spec.threshold, emotion, progress, now)
        if holding:
            label = res.text(self.t("round.hold"), "medium", (255, 255, 255), bold=True)
            pill = label.get_rect(center=(self.view.rect.centerx, self.view.rect.bottom - 44)).inflate(48, 12)
            pygame.draw.rect(canvas, theme["good"], pill, border_radius=pill.height // 2)
            blit_centered(canvas, label, pill.center)
        if self.phase == "play" and self.noticed is not None and self.noticed is self.face:
            self.game.draw_face_notice(canvas, self.face, self.view.rect)
        elif (self.face in (FaceState.CAMERA_STARTING, FaceState.NO_CAMERA, FaceState.NO_EXPRESSIONS)
              and (obs is None or self.phase == "play")):
            if self.face is not FaceState.CAMERA_STARTING or now - self.face_since > FACE_NOTICE_AFTER_S:
                self.game.draw_face_notice(canvas, self.face, self.view.rect)

    def _picture(self, size: tuple[int, int]) -> pygame.Surface:
        res, theme = self.game.res, self.game.theme
        picture = res.image(self.round.picture, size)
        if picture is None:
            emotion = self.round.emotion
            picture = res.shape(("face", emotion), size, lambda s: draw_face(s, emotion, theme.emotion(emotion), theme["ink"]))
        return picture


# -------------------------------------------------------------------------------- celebration
class CelebrationScene(Scene):
    name = "celebrate"
    screenshot_after_s = 0.8

    def __init__(self, game: "Game", level: "Level", round_index: int, score: LevelScore, earned: int):
        super().__init__(game)
        self.level, self.round_index, self.score, self.earned = level, round_index, score, earned
        self.confetti = Confetti(game.canvas_size, game.theme.confetti, seed=round_index + 7 * game.turn())
        self.cheer = ""
        self.duration_s = MIRROR_CELEBRATE_S if level.mode == "mirror" else CELEBRATE_S

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.sound("cheer")
        self.cheer = self.game.phrases.pick("celebrate.cheers", self.game.settings.lang, self.game.turn())
        self.game.say(self.cheer)

    def update(self, now: float, dt: float) -> None:
        self.confetti.update(dt)
        if now - self.entered_at >= self.duration_s:
            self.game.next_round(self.level, self.round_index, self.score)

    def handle(self, event: pygame.event.Event) -> None:
        if _pressed(event) and self.game.now - self.entered_at > 0.8:
            self.game.next_round(self.level, self.round_index, self.score)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        age = now - self.entered_at
        pop = min(1.0, age / 0.35)
        pop = 1 + 0.25 * math.sin(pop * math.pi) if pop < 1 else 1.0
        for k in range(12):   # sun rays behind the big star
            angle = k * math.tau / 12 + age * 0.6
            end = (w / 2 + math.cos(angle) * 520, 330 + math.sin(angle) * 520)
            pygame.draw.line(canvas, theme["background_band"], (w / 2, 330), end, 40)
        draw_star(canvas, (w / 2, 330), 190 * pop, theme["star"], theme["ink"])
        emotion = self.level.rounds[self.round_index].emotion
        face = res.shape(("face", emotion), (170, 170), lambda s: draw_face(s, emotion, theme.emotion(emotion), theme["ink"]))
        blit_centered(canvas, face, (w / 2, 345))
        blit_centered(canvas, res.text(self.cheer, "title", theme["ink"], bold=True), (w / 2, 100))
        blit_centered(canvas, res.text(self.t("celebrate.points", points=self.earned), "big", theme["accent_dark"], bold=True),
                      (w / 2, 580))
        if self.score.streak.current >= 2:
            blit_centered(canvas, res.text(self.t("celebrate.streak", n=self.score.streak.current), "small",
                                           theme["good"], bold=True), (w / 2, 640))
        self.confetti.draw(canvas)


# ----------------------------------------------------------------------------------- summary
class SummaryScene(Scene):
    name = "summary"
    screenshot_after_s = 1.6

    def __init__(self, game: "Game", level: "Level", score: LevelScore):
        super().__init__(game)
        self.level, self.score = level, score
        self.stars_shown = 0
        w, _h = game.canvas_size
        self.buttons = ButtonGroup([
            Button(pygame.Rect(w / 2 - 340, 522, 310, 92), "again", self.t("summary.play_again"), icon="again",
                   colour=game.theme["good"]),
            Button(pygame.Rect(w / 2 + 30, 522, 310, 92), "map", self.t("summary.map"), icon="arrow"),
        ], focus=1)

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.finish_level(self.level, self.score)
        self.game.sound("chime")
        if self.score.stars:
            self.game.say(self.t("summary.spoken"))
        else:
            self.game.say(self.t("summary.stars_zero"))

    def update(self, now: float, dt: float) -> None:
        shown = min(self.score.stars, int((now - self.entered_at) / 0.4))   # the stars pop in one by one
        if shown > self.stars_shown:
            self.stars_shown = shown
            self.game.sound("star")
        if now - self.entered_at >= SUMMARY_BACK_TO_MAP_S:
            self.game.go(LevelMapScene(self.game))

    def handle(self, event: pygame.event.Event) -> None:
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is None:
            return
        self.game.sound("pop")
        if chosen.action == "again":
            self.game.start_level(self.level)
        else:
            self.game.go(LevelMapScene(self.game))

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        self.header(canvas, self.t("summary.title"))
        age = now - self.entered_at
        for k in range(MAX_STARS):
            appear = age - 0.4 * k
            earned = k < self.score.stars
            scale = 1.0
            if earned and appear < 0.4:
                scale = max(0.0, appear / 0.4) * 1.2
            x, y = w / 2 + (k - 1) * 230, 300 - (30 if k == 1 else 0)
            draw_star(canvas, (x, y), 95, theme["star_empty"], theme["ink"])
            if earned and scale > 0:
                draw_star(canvas, (x, y), 95 * scale, theme["star"], theme["ink"])
        title = self.level.title.get(self.game.settings.lang)
        blit_centered(canvas, res.text(title, "small", theme["ink_soft"], bold=True), (w / 2, 420))
        blit_centered(canvas, res.text(f"{self.score.points}", "big", theme["accent_dark"], bold=True), (w / 2, 468))
        self.buttons.draw(canvas, res, now)
