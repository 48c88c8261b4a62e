"""'Make a calm face': a few seconds of the child's resting face, once per child (see
game.play.calibration); then thanks, and on to the scene `then` names."""

from __future__ import annotations

import pygame

from game.play.calibration import CalmFaceRecorder
from game.play.rules import FaceState
from game.play.scenes.base import Scene
from game.play.services import Next, Services
from game.play.widgets import FACE_PHRASES, CameraView, blit_centered, draw_face, draw_star, pressed

THANKS_S = 1.6
CALIBRATION_GIVE_UP_S = 25.0  # no calm face seen for this long: play now, calibrate next time
PROGRESS_STARS = 5
CALM_TRIES = 2                # a face that is not calm is asked for again this many times


class CalibrationScene(Scene):
    name = "calibrate"

    def __init__(self, game: Services, then: Next):
        super().__init__(game)
        self.then = then
        self.recorder = CalmFaceRecorder(game.labels)
        w, _h = game.size
        self.view = CameraView(pygame.Rect(w / 2 - 250, 140, 500, 375))
        self.done_at: float | None = None
        self.last_progress_at = 0.0
        self.tries_left = CALM_TRIES
        self.asked = False            # "make a calm face" said (once the camera works)
        self.noticed: FaceState | None = None   # the camera trouble the caption names

    @property
    def screenshot_key(self) -> str:
        return "calibrate-thanks" if self.done_at is not None else "calibrate"

    def enter(self, now: float) -> None:
        super().enter(now)
        self.last_progress_at = now
        self._ask_when_the_camera_works()

    def _camera_working(self) -> bool:
        return self.game.obs is not None and self.game.face_state().camera_working

    def _ask_when_the_camera_works(self) -> None:
        """"Make a calm face" only once the camera can see it: under a camera-off notice the
        child could not do what the voice asks."""
        if not self.asked and self._camera_working():
            self.asked = True
            self.game.audio.say(self.t("calibrate.spoken"))
        elif not self.asked and self.game.obs is not None:
            state = self.game.face_state()
            if state is not self.noticed:      # what is wrong, in the caption too (once per state)
                self.noticed = state
                self.game.audio.caption_only(self.t(FACE_PHRASES[state][0]))

    def update(self, now: float, dt: float) -> None:
        obs = self.game.obs
        if obs is not None:
            self.view.update(obs.preview, obs.frame_size, (obs.captured_at, obs.frame_index))
        if self.done_at is not None:
            if now - self.done_at >= THANKS_S:
                self.game.go(self.then)
            return
        self._ask_when_the_camera_works()
        before = self.recorder.face_time_s
        self.recorder.step(now, obs, self.game.model_problem)
        if self.recorder.face_time_s > before:
            self.last_progress_at = now
        if self.recorder.done and self.recorder.not_calm and self.tries_left > 0:
            # One expression led the whole time: kindly ask again instead of keeping it.
            self.tries_left -= 1
            self.recorder = CalmFaceRecorder(self.game.labels)
            self.last_progress_at = now
            self.game.audio.say(self.t("calibrate.again"))
        elif self.recorder.done:
            baseline = self.recorder.baseline()
            if baseline is not None:
                self.game.session.save_calibration(baseline)
            self.done_at = now
            self.game.audio.sound("chime")
            self.game.audio.say(self.t("calibrate.thanks"))
        elif now - self.last_progress_at > CALIBRATION_GIVE_UP_S:
            self.game.go(self.then)   # no clear face for a long time: play now, ask again next session

    def handle(self, event: pygame.event.Event) -> None:
        if self.done_at is not None and pressed(event):
            self.game.go(self.then)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        obs = self.game.obs
        state = FaceState.CAMERA_STARTING if obs is None else self.game.face_state()
        if self.done_at is not None:
            title = self.t("calibrate.thanks")
        else:
            # with the camera out the notice says what is wrong; the title does not ask for a face
            title = self.t("calibrate.title") if state.camera_working else self.t("camera_wait.title")
        self.header(canvas, title)
        colour = theme["good"] if state is FaceState.OK else theme["face_frame"]
        self.view.draw(canvas, res, obs.face_box if obs else None, colour, now, has_picture=obs is not None)
        if not state.camera_working and self.done_at is None:
            self.face_notice(canvas, state, self.view.rect)
            return
        calm = res.shape(("face", "calm"), (170, 170), lambda s: draw_face(s, "calm", theme["good_light"], theme["ink"]))
        blit_centered(canvas, calm, (self.view.rect.x - 200, 330))
        # progress: a row of stars filling up
        for i in range(PROGRESS_STARS):
            filled = self.recorder.progress >= (i + 1) / PROGRESS_STARS - 1e-6
            draw_star(canvas, (w / 2 + (i - (PROGRESS_STARS - 1) / 2) * 80, 575), 30,
                      theme["star"] if filled else theme["star_empty"], theme["ink"])
        if state is not FaceState.OK and self.done_at is None:
            self.face_notice(canvas, state, self.view.rect)
