"""A round: the picture and the prompt, then the child's face is judged (game.play.rules)
until it matches (on to the celebration), the time runs out (a kind "try again?" with a hint),
or the round is skipped (a grown-up's tool: the arrow must be held for two seconds, a ring
shows how long). What the camera cannot help with (nobody there, crowding, looking away,
the camera or the model out) is said kindly, and does not eat the child's time.

A child is never left in silence: about every nine seconds the round says something
kind again, in turn a hint, the picture (it grows for a moment) and the prompt; the speaker
button says the prompt again whenever the child asks.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone

import pygame

from game.levels import Level
from game.play.rules import FaceState, Outcome, RoundJudge
from game.play.scenes.base import Scene
from game.play.scoring import LevelScore
from game.play.services import Services
from game.play.widgets import (FACE_PHRASES, Button, ButtonGroup, CameraView, blit_centered, draw_gauge,
                               draw_round_dots, round_picture)

INTRO_S = 1.2                 # the picture and the prompt before the round starts judging
MIRROR_INTRO_S = 0.5          # mirror levels are quick copy-the-picture rounds
STORY_WORDS_PER_S = 2.2       # a story is told first, at the child-paced voice (about 130 words a minute)
MIRROR_AUTO_NEXT_S = 2.5      # a missed mirror round moves on quickly unless the child taps "try again"
FACE_NOTICE_AFTER_S = 0.8     # a face state must last this long before the game mentions it
FACE_NOTICE_REPEAT_S = 6.0    # and is spoken again at most this often
SKIP_HOLD_S = 2.0             # the skip arrow is held this long (a grown-up's tool, not a child's tap)
NUDGE_AFTER_S = 6.0           # this long without a word after the last line: say something kind
                              # (with the line itself, about every nine seconds)
SPOKEN_WORDS_PER_S = 2.2      # how long a line takes to say, for knowing when the voice is quiet
PICTURE_PULSE_S = 2.0         # a "look at the picture" nudge makes the picture grow for this long
#: What a nudge does, in turn (a round without hints leaves out "hint").
NUDGES = ("hint", "picture", "prompt")


class RoundScene(Scene):
    name = "round"

    def __init__(self, game: Services, level: Level, round_index: int = 0, score: LevelScore | None = None,
                 tries: int = 0):
        super().__init__(game)
        self.level = level
        self.round_index = round_index
        self.round = level.rounds[round_index]
        self.score = score if score is not None else LevelScore(rounds_total=len(level.rounds))
        self.tries = tries
        self.spec = self._spec()
        self.phase = "intro"
        self.judge: RoundJudge | None = None
        self.started_wall: datetime | None = None
        w, _h = game.size
        self.view = CameraView(pygame.Rect(w - 612, 104, 548, 411))
        self.face = FaceState.CAMERA_STARTING
        self.face_since = 0.0
        self.noticed: FaceState | None = None
        self.noticed_at = -1e9
        self.status = None
        self.encourage_at = 0.0
        self.buttons = ButtonGroup()
        self.skip_button = Button(pygame.Rect(w - 106, 8, 80, 80), "skip", icon="arrow", colour=game.theme["ink_soft"])
        self.speaker_button = Button(pygame.Rect(128, 14, 84, 84), "say-again", icon="speaker",
                                     colour=game.theme["panel"])
        self.skip_held_since: float | None = None
        self.quiet_from = 0.0         # when the voice has finished its last line (estimated)
        self.nudges = 0
        self.nudge_hint: str | None = None    # a hint a nudge put on the card
        self.pulse_at = -1e9          # when a nudge last made the picture grow
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
        return self.game.rules.spec(self.round.emotion, self.round.threshold, self.round.hold_s,
                                    self.round.time_limit_s, difficulty=self.game.settings.difficulty,
                                    baseline=self.game.session.calibration)

    def enter(self, now: float) -> None:
        super().enter(now)
        self.spec = self._spec()      # calibration may have happened since this scene was made
        if self.game.first_prompt_at is None:
            self.game.first_prompt_at = time.time()  # start-up measure (tools/bench.py)
        # a story is on the card already; the caption keeps to the question
        self._say(now, self.spoken_prompt(), caption=self.round.prompt.get(self.game.settings.lang))

    def _say(self, now: float, text: str, caption: str | None = None) -> None:
        """Say `text`, and note when the voice will be quiet again (for the nudges)."""
        self.game.audio.say(text, caption=caption)
        self.quiet_from = now + len(text.split()) / SPOKEN_WORDS_PER_S

    def resume(self, now: float) -> None:
        super().resume(now)
        self.encourage_at += self.paused_for
        self.face_since += self.paused_for
        self.skip_held_since = None
        if self.judge is not None:
            self.judge.resume(now)
        self._say(now, self.spoken_prompt() if self.phase != "encourage" else self.hint() or self.spoken_prompt())

    def _start_judging(self, now: float) -> None:
        self.phase = "play"
        self.face_since = now
        self.judge = RoundJudge(self.spec, now)
        self.started_wall = datetime.now(timezone.utc)

    def update(self, now: float, dt: float) -> None:
        obs = self.game.obs
        if obs is not None:
            self.view.update(obs.preview, obs.frame_size, (obs.captured_at, obs.frame_index))
        if self.skip_held_since is not None and now - self.skip_held_since >= SKIP_HOLD_S:
            self._skip(now)
            return
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
        self._nudge_when_quiet(now)
        if self.status.outcome is Outcome.MATCHED:
            self._record("matched")
            score, earned = self.score.matched(self.round_index, self.judge.time_to_match_s,
                                               self.spec.hold_s, self.spec.time_limit_s)
            self.game.replace("celebrate", level=self.level, round_index=self.round_index, score=score,
                              earned=earned)
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
                self.game.audio.caption_only(self.round.prompt.get(self.game.settings.lang))
            return
        if self.noticed is state or now - self.face_since < FACE_NOTICE_AFTER_S:
            return
        self.noticed = state
        shown, spoken = FACE_PHRASES[state]
        if spoken and not self.mirror and now - self.noticed_at >= FACE_NOTICE_REPEAT_S:
            self.noticed_at = now
            self._say(now, self.t(spoken))
        else:
            self.game.audio.caption_only(self.t(shown))

    def _nudge_when_quiet(self, now: float) -> None:
        """After NUDGE_AFTER_S of quiet while the child could be trying, say something kind:
        a hint, the picture, the prompt, in turn. Not while a face is being held, not while
        the camera cannot see (its own notice speaks then), not in the quick mirror game."""
        if self.mirror or now - self.quiet_from < NUDGE_AFTER_S:
            return
        if self.status is None or self.status.hold_progress > 0 or self.status.face is not FaceState.OK:
            return
        kinds = [k for k in NUDGES if k != "hint" or self.round.hints]
        kind = kinds[self.nudges % len(kinds)]
        self.nudges += 1
        lang = self.game.settings.lang
        turn = self.game.turn()
        if kind == "hint":
            self.nudge_hint = self.round.hints[(self.tries + self.nudges) % len(self.round.hints)].get(lang)
            line = self.game.phrases.pick("nudge.hint", lang, turn)
            self._say(now, f"{line} {self.nudge_hint}")
        elif kind == "picture":
            self.pulse_at = now
            emotion = self.game.phrases.get(f"emotions.{self.round.emotion}", lang)
            self._say(now, self.game.phrases.pick("nudge.picture", lang, turn, emotion=emotion))
        else:
            line = self.game.phrases.pick("nudge.prompt", lang, turn)
            self._say(now, f"{line} {self.round.speech.get(lang)}", caption=f"{line} {self.round.prompt.get(lang)}")

    def say_again(self, now: float) -> None:
        """The speaker button: the prompt again (on the "try again?" card, its hint)."""
        if self.phase == "encourage" and self.hint():
            self._say(now, self.hint())
        else:
            self._say(now, self.spoken_prompt(), caption=self.round.prompt.get(self.game.settings.lang))

    def _skip(self, now: float) -> None:
        """The skip arrow was held: the round is stored as skipped (not as a try that timed
        out, and never as a match), and the level goes on."""
        self.skip_held_since = None
        if self.phase == "intro":
            self._start_judging(now)      # a skip before the round started is still a skip
        if self.phase != "encourage":     # after a timeout the try is already stored
            self._record("skipped")
            self.score = self.score.missed()
        self._next()

    def _encourage(self, now: float) -> None:
        self.phase = "encourage"
        self.encourage_at = now
        self.game.audio.sound("try_again")
        lang = self.game.settings.lang
        line = self.game.phrases.pick("encourage.lines", lang, self.game.turn())
        hint = self.hint()
        self._say(now, f"{line} {hint}" if hint else line, caption=line)   # the hint is on the card
        self.buttons = ButtonGroup([
            Button(pygame.Rect(self.view.rect.x + 12, 540, 300, 88), "again", self.t("round.try_again"),
                   icon="again", colour=self.game.theme["good"]),
            Button(pygame.Rect(self.view.rect.x + 332, 540, 210, 88), "next", self.t("round.next"), icon="arrow",
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
        self.game.session.record_attempt(
            level_id=self.level.id, round_index=self.round_index, emotion=self.round.emotion,
            started_at=self.started_wall or datetime.now(timezone.utc), ended_at=datetime.now(timezone.utc),
            outcome=outcome, time_to_match_s=judge.time_to_match_s if outcome == "matched" else None,
            peak_prob=stats.peak_prob, mean_prob=stats.mean_prob, face_share=stats.face_share,
            positive_share=stats.positive_share, negative_share=stats.negative_share,
            noface_share=stats.noface_share)

    def _next(self) -> None:
        self.game.next_round(self.level, self.round_index, self.score)

    def handle(self, event: pygame.event.Event) -> None:
        if event.type in (pygame.MOUSEBUTTONUP, pygame.FINGERUP):
            self.skip_held_since = None       # let go before the ring was full: no skip
            return
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
            pos = self.game.canvas_pos(event)
            if pos and self.skip_button.rect.collidepoint(pos):
                self.skip_held_since = self.game.now
                return
            if pos and self.speaker_button.rect.collidepoint(pos):
                self.game.audio.sound("pop")
                self.say_again(self.game.now)
                return
        if self.phase == "encourage":
            chosen = self.buttons.handle(event, self.game.canvas_pos)
            if chosen is None:
                return
            self.game.audio.sound("pop")
            if chosen.action == "again":
                self.game.replace("round", level=self.level, round_index=self.round_index, score=self.score,
                                  tries=self.tries + 1)
            else:
                self._next()

    #: The target picture card, and the gauge under the camera view (the star at its end is the goal).
    CARD = (48, 104, 560, 500)
    GAUGE_Y = 550

    def _gauge_rect(self) -> pygame.Rect:
        return pygame.Rect(self.view.rect.x + 22, self.GAUGE_Y, 430, 50)

    def _gauge_shown(self) -> bool:
        """The gauge only means something while the camera can see: not over a camera-off notice."""
        return self.phase != "encourage" and self.game.face_state().camera_working

    def text_boxes(self) -> list[tuple[str, pygame.Rect]]:
        """Boxes a text sits wholly inside or outside of (tests/play/gallery.py)."""
        return [("the picture card", pygame.Rect(self.CARD))]

    def clear_areas(self) -> list[tuple[str, pygame.Rect]]:
        """What no text may cover: the gauge and its star, while they show."""
        if not self._gauge_shown():
            return []
        bar = self._gauge_rect()
        return [("the gauge", bar.union(pygame.Rect(bar.right, bar.centery - bar.height * 1.05,
                                                    bar.height * 2.1, bar.height * 2.1)))]

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        lang = self.game.settings.lang
        emotion = self.round.emotion
        draw_round_dots(canvas, theme, len(self.level.rounds), self.round_index, self.score.matched_rounds)
        if self.game.session.child is not None:
            self.draw_child(canvas, self.game.session.child, (70, 56), 40)
        ButtonGroup([self.speaker_button, self.skip_button], -1).draw(canvas, res, now)
        if self.skip_held_since is not None:
            # the ring fills while the skip arrow is held; letting go early skips nothing
            held = max(0.0, min(1.0, (now - self.skip_held_since) / SKIP_HOLD_S))
            ring = self.skip_button.rect.inflate(22, 22)
            pygame.draw.arc(canvas, theme["accent_dark"], ring, math.pi / 2, math.pi / 2 + held * math.tau, 9)
        # the target picture card
        card = pygame.Rect(self.CARD)
        pygame.draw.rect(canvas, theme["panel"], card, border_radius=36)
        pygame.draw.rect(canvas, theme.emotion(emotion), card, 10, border_radius=36)
        if self.phase == "encourage" and (self.hint() or self.round.story is not None):
            picture = round_picture(res, theme, self.round, (230, 230))
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
        elif self.nudge_hint:
            # a nudge gave a hint: a smaller picture, the hint under it
            blit_centered(canvas, round_picture(res, theme, self.round, (270, 270)), (card.centerx, card.y + 165))
            for i, line in enumerate(res.wrapped(self.nudge_hint, "small", card.width - 60, theme["ink"],
                                                 bold=True, max_lines=3)):
                blit_centered(canvas, line, (card.centerx, card.y + 340 + i * 42))
        else:
            bob = 8 * math.sin(now * 2.5)
            since = now - self.pulse_at
            grow = 1 + 0.1 * math.sin(math.pi * since / PICTURE_PULSE_S) if 0 <= since < PICTURE_PULSE_S else 1.0
            side = int(360 * grow) // 8 * 8      # a few sizes only: each is scaled once
            blit_centered(canvas, round_picture(res, theme, self.round, (side, side)), (card.centerx, card.y + 205 + bob))
            word = self.game.phrases.get(f"emotions.{emotion}", lang)
            blit_centered(canvas, res.text(word, "big", theme["ink"], bold=True), (card.centerx, card.bottom - 56))
        # the child's mirrored camera picture
        obs = self.game.obs
        holding = self.status is not None and self.status.hold_progress > 0
        frame_colour = theme["good"] if holding else theme["face_frame"]
        self.view.draw(canvas, res, obs.face_box if obs is not None else None, frame_colour, now,
                       has_picture=obs is not None)
        if self.phase == "encourage":
            self.buttons.draw(canvas, res, now)
            return
        if self._gauge_shown():
            # The bar is full at the level's mark (the card's rule on the model's scale), whatever
            # the model's own numbers are: the star at its end is the goal.
            p = self.status.mark_progress if self.status else 0.0
            progress = self.status.hold_progress if self.status else 0.0
            draw_gauge(canvas, res, self._gauge_rect(), p, 1.0, emotion, progress, now)
        if holding:
            label = res.text(self.t("round.hold"), "medium", (255, 255, 255), bold=True)
            pill = label.get_rect(center=(self.view.rect.centerx, self.view.rect.bottom - 44)).inflate(48, 12)
            pygame.draw.rect(canvas, theme["good"], pill, border_radius=pill.height // 2)
            blit_centered(canvas, label, pill.center)
        if self.phase == "play" and self.noticed is not None and self.noticed is self.face:
            self.face_notice(canvas, self.face, self.view.rect)
        elif (self.face in (FaceState.CAMERA_STARTING, FaceState.NO_CAMERA, FaceState.NO_EXPRESSIONS)
              and (obs is None or self.phase == "play")):
            if self.face is not FaceState.CAMERA_STARTING or now - self.face_since > FACE_NOTICE_AFTER_S:
                self.face_notice(canvas, self.face, self.view.rect)
