"""A recognise round: the voice asks (after a short situation, when the level tells one) and two
or three faces wait; the child taps the one that fits. No camera is needed, so the kiosk still
teaches when the camera is out.

A right tap glows green and goes on to the celebration, as a matched face does. A wrong tap is
answered kindly: the right face glows, the voice names it ("This is the sad face."), and the
game moves on after a moment (or a tap). Each tap is one attempt of the kind "recognise", with
the face tapped and the seconds it took.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pygame

from game.levels import Level
from game.play.choices import Choice, arrange_choices
from game.play.scenes.base import Scene
from game.play.scoring import LevelScore
from game.play.services import Services
from game.play.widgets import Button, ButtonGroup, blit_centered, draw_face, draw_round_dots

RIGHT_GLOW_S = 0.9          # the right face glows before the celebration
WRONG_SHOW_S = 4.0          # after a wrong tap: the right face glows and is named, then the next round
TAPS_AFTER_S = 0.4          # a tap this soon after the round appears is the last screen's, not an answer
#: Points for a right tap shrink to the base over this many seconds (scoring.match_points).
ANSWER_WINDOW_S = 20.0


class RecogniseScene(Scene):
    name = "recognise"

    def __init__(self, game: Services, level: Level, round_index: int = 0, score: LevelScore | None = None):
        super().__init__(game)
        self.level = level
        self.round_index = round_index
        self.round = level.rounds[round_index]
        self.score = score if score is not None else LevelScore(rounds_total=len(level.rounds))
        self.choices: list[Choice] = arrange_choices(self.round.choices, self.round.emotion, self.round.picture,
                                                     game.res.assets_dir, turn=round_index + game.turn())
        self.phase = "ask"                     # ask -> right | wrong
        self.tapped: Choice | None = None
        self.answered_at = 0.0
        self.earned = 0
        self.asked_wall = datetime.now(timezone.utc)
        w, h = game.size
        self.skip_button = Button(pygame.Rect(w - 120, 12, 96, 96), "skip", icon="arrow", colour=game.theme["ink_soft"])
        # the faces sit under the question (and the story) and above the caption bar
        story = self.round.story is not None
        size = (270 if story else 300) if len(self.choices) == 3 else (280 if story else 320)
        gap = 60
        left = (w - (len(self.choices) * size + (len(self.choices) - 1) * gap)) / 2
        top = 590 - size if story else 570 - size
        self.buttons = ButtonGroup([
            Button(pygame.Rect(left + i * (size + gap), top, size, size), f"choice:{i}")
            for i in range(len(self.choices))])
        self.buttons.focus = -1                # nothing chosen until the child taps or walks with the arrows

    @property
    def screenshot_key(self) -> str:
        return f"recognise-{self.phase}" + ("-story" if self.phase == "ask" and self.round.story else "")

    def question(self) -> str:
        lang = self.game.settings.lang
        spoken = self.round.speech.get(lang)
        return f"{self.round.story.get(lang)} {spoken}" if self.round.story is not None else spoken

    def enter(self, now: float) -> None:
        super().enter(now)
        self.asked_wall = datetime.now(timezone.utc)
        self.game.audio.say(self.question(), caption=self.round.prompt.get(self.game.settings.lang))

    def resume(self, now: float) -> None:
        super().resume(now)
        self.answered_at += self.paused_for
        if self.phase == "ask":
            self.game.audio.say(self.question(), caption=self.round.prompt.get(self.game.settings.lang))

    def _word(self, emotion: str) -> str:
        return self.game.phrases.get(f"emotions.{emotion}", self.game.settings.lang)

    def _answer(self, choice: Choice, now: float) -> None:
        self.tapped, self.answered_at = choice, now
        right = choice.fits(self.round.emotion)
        seconds = max(0.0, now - self.entered_at)
        self.game.session.record_attempt(
            level_id=self.level.id, round_index=self.round_index, emotion=self.round.emotion,
            started_at=self.asked_wall, ended_at=datetime.now(timezone.utc),
            outcome="matched" if right else "wrong", time_to_match_s=seconds if right else None,
            kind="recognise", answer=choice.emotion)
        if right:
            self.phase = "right"
            self.game.audio.sound("chime")
            self.game.audio.say(self.t("recognise.well_done", emotion=self._word(choice.emotion)))
            self.score, self.earned = self.score.matched(self.round_index, seconds, 0.0, ANSWER_WINDOW_S)
        else:
            self.phase = "wrong"
            self.score = self.score.missed()
            self.game.audio.sound("try_again")
            # kind: no "wrong", the right face is shown and named
            self.game.audio.say(self.t("recognise.right_is", emotion=self._word(self.round.emotion)))

    def update(self, now: float, dt: float) -> None:
        if self.phase == "right" and now - self.answered_at >= RIGHT_GLOW_S:
            self.game.replace("celebrate", level=self.level, round_index=self.round_index, score=self.score,
                              earned=self.earned)
        elif self.phase == "wrong" and now - self.answered_at >= WRONG_SHOW_S:
            self.game.next_round(self.level, self.round_index, self.score)

    def handle(self, event: pygame.event.Event) -> None:
        now = self.game.now
        tap = event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN)
        if self.phase == "wrong":
            if tap and now - self.answered_at > 1.5:     # the child may go on once the face was named
                self.game.next_round(self.level, self.round_index, self.score)
            return
        if self.phase != "ask":
            return
        if tap:
            pos = self.game.canvas_pos(event)
            if pos and self.skip_button.rect.collidepoint(pos):
                self.game.session.record_attempt(
                    level_id=self.level.id, round_index=self.round_index, emotion=self.round.emotion,
                    started_at=self.asked_wall, ended_at=datetime.now(timezone.utc), outcome="skipped",
                    kind="recognise")
                self.score = self.score.missed()
                self.game.next_round(self.level, self.round_index, self.score)
                return
            if now - self.entered_at < TAPS_AFTER_S:
                return
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is not None:
            self._answer(self.choices[int(chosen.action.split(":")[1])], now)

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        lang = self.game.settings.lang
        w, _h = canvas.get_size()
        draw_round_dots(canvas, theme, len(self.level.rounds), self.round_index, self.score.matched_rounds)
        if self.game.session.child is not None:
            self.draw_child(canvas, self.game.session.child, (70, 56), 40)
        ButtonGroup([self.skip_button], -1).draw(canvas, res, now)
        y = 100
        if self.round.story is not None:
            for line in res.wrapped(self.round.story.get(lang), "small", w - 300, theme["ink"], bold=True)[:3]:
                blit_centered(canvas, line, (w / 2, y + 20))
                y += 44
            y += 10
        for line in res.wrapped(self.round.prompt.get(lang), "medium", w - 300, theme["accent_dark"], bold=True)[:2]:
            blit_centered(canvas, line, (w / 2, y + 26))
            y += 56
        if self.phase == "ask" and self.round.story is None:
            blit_centered(canvas, res.text(self.t("recognise.tap_hint"), "tiny", theme["ink_soft"]), (w / 2, y + 16))
        for index, (button, choice) in enumerate(zip(self.buttons.buttons, self.choices)):
            self._draw_choice(canvas, button.rect, choice, index == self.buttons.focus, now)

    def _draw_choice(self, canvas: pygame.Surface, rect: pygame.Rect, choice: Choice, focused: bool, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        right = choice.fits(self.round.emotion)
        revealed = self.phase in ("right", "wrong")
        if revealed and right:
            pulse = 10 + 6 * math.sin(now * 6)
            pygame.draw.rect(canvas, theme["good"], rect.inflate(28 + pulse, 28 + pulse), border_radius=48)
        elif focused and self.phase == "ask":
            pygame.draw.rect(canvas, theme["star"], rect.inflate(22, 22), border_radius=44)
        pygame.draw.rect(canvas, theme["panel"], rect, border_radius=36)
        picture = res.image(choice.picture, (rect.width - 24, rect.height - 24))
        if picture is None:
            picture = res.shape(("face", choice.emotion), (rect.width - 40, rect.height - 40),
                                lambda s, e=choice.emotion: draw_face(s, e, theme.emotion(e), theme["ink"]))
        faded = revealed and not right
        if faded:
            picture = picture.copy()
            picture.set_alpha(110)
        bob = 5 * math.sin(now * 2.5 + rect.x) if self.phase == "ask" else 0
        blit_centered(canvas, picture, (rect.centerx, rect.centery + bob))
        if revealed and right:
            word = res.text(self._word(choice.emotion), "medium", (255, 255, 255), bold=True)
            pill = word.get_rect(center=(rect.centerx, rect.bottom + 4)).inflate(40, 10)
            pygame.draw.rect(canvas, theme["good"], pill, border_radius=pill.height // 2)
            blit_centered(canvas, word, pill.center)
