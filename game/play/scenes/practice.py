"""'My practice': a short session made for this child from their own record (game.play.practice).

The child's attempts are read off the UI thread; the plan is shown as the row of faces to come
(the one practised most marked with a star), and a tap on "play" (or a few seconds) starts it
as a level through the round scene, so it is judged, recorded and scored as any level.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pygame

from game.play.practice import Bounds, PracticePlan, plan_session, practice_level
from game.play.scenes.base import Scene
from game.play.services import Services
from game.play.widgets import Button, ButtonGroup, blit_centered, draw_face, draw_star

START_AFTER_S = 8.0          # a child who does not tap "play" is started anyway


class PracticeScene(Scene):
    name = "practice"
    screenshot_after_s = 0.6

    def __init__(self, game: Services):
        super().__init__(game)
        self.plan: PracticePlan | None = None
        self.level = None
        self.planned_at = 0.0
        w, _h = game.size
        self.buttons = ButtonGroup([
            Button(pygame.Rect(w / 2 - 170, 518, 340, 96), "play", self.t("practice.button"), icon="arrow",
                   colour=game.theme["good"])])

    @property
    def screenshot_key(self) -> str:
        return "practice" if self.plan is not None else "practice-loading"

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.audio.say(self.t("practice.spoken"))
        child = self.game.session.child
        if child is None:
            self._planned([], now)
            return
        self.game.store.reader.call(lambda store: store.attempts(child.id),
                                    lambda attempts, error: self._planned(attempts or [], self.game.now))

    def _planned(self, attempts: list, now: float) -> None:
        # a record the database cannot give yet: the plan for a child starting out
        self.plan = plan_session(attempts, datetime.now(timezone.utc), Bounds.from_levels(self.game.levels))
        self.level = practice_level(self.plan, self.game.phrases, self.game.res.assets_dir)
        self.planned_at = now

    def update(self, now: float, dt: float) -> None:
        if self.level is not None and now - self.planned_at >= START_AFTER_S:
            self.game.start_level(self.level)

    def handle(self, event: pygame.event.Event) -> None:
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is not None and self.level is not None:
            self.game.audio.sound("pop")
            self.game.start_level(self.level)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        self.header(canvas, self.t("practice.title"))
        if self.game.session.child is not None:
            self.draw_child(canvas, self.game.session.child, (70, 56), 40)
        if self.level is None:
            blit_centered(canvas, res.text(self.t("loading.title"), "medium", theme["ink_soft"]), (w / 2, 330))
            return
        rounds = self.level.rounds
        size, gap = 150, 24
        left = (w - (len(rounds) * size + (len(rounds) - 1) * gap)) / 2
        for i, rnd in enumerate(rounds):
            rect = pygame.Rect(left + i * (size + gap), 250, size, size)
            focus = rnd.emotion == self.plan.focus
            pygame.draw.rect(canvas, theme.emotion(rnd.emotion) if focus else theme["panel_edge"],
                             rect.inflate(14, 14), border_radius=30)
            picture = res.image(rnd.picture, (size, size))
            if picture is None:
                picture = res.shape(("face", rnd.emotion), (size, size),
                                    lambda s, e=rnd.emotion: draw_face(s, e, theme.emotion(e), theme["ink"]))
            blit_centered(canvas, picture, rect.center)
            if focus:
                draw_star(canvas, (rect.right - 10, rect.y + 6), 22, theme["star"], theme["ink"])
        word = self.game.phrases.get(f"emotions.{self.plan.focus}", self.game.settings.lang)
        blit_centered(canvas, res.text(word, "big", theme["ink"], bold=True), (w / 2, 480))
        self.buttons.draw(canvas, res, now)
