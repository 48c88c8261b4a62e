"""Friends mode: two children side by side make the face together (a level with `players = 2`).

One scene plays the level's rounds for the pair, each round a fresh scene by the same name
carrying the pair along: "who is playing with you?" (only when no friend was chosen yet), then
per round the picture and the prompt, both faces judged (game.play.friends_rules: each child
has their own gauge under their name; the round is won when both hold the face at once), a
cheer or a kind "try again?", and after the last round the stars for both. A friend out of
view is named kindly over their half of the camera picture. Each child's try goes to their own
record (game.play.friends).
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

import pygame

from game.levels import Level
from game.play.friends import Friends
from game.play.friends_rules import FriendsJudge, FriendsStatus
from game.play.rules import FaceState, Outcome
from game.play.scenes.base import Scene
from game.play.scoring import LevelScore
from game.play.services import Services
from game.play.widgets import (
    FACE_PHRASES,
    draw_round_dots,
    Button,
    ButtonGroup,
    CameraView,
    Confetti,
    blit_centered,
    draw_avatar,
    draw_face,
    draw_face_notice,
    draw_gauge,
    draw_star,
    draw_waiting,
    round_picture,
)
from game.vision.tracking import LEFT, RIGHT, SIDES
from game.vocabulary import MAX_STARS

INTRO_S = 1.6                 # the picture and the prompt (and who sits where) before judging starts
STORY_WORDS_PER_S = 2.2
CHEER_S = 2.8
SUMMARY_BACK_TO_MAP_S = 30.0
NOTICE_AFTER_S = 0.8          # a missing friend must be missing this long before the game says so
NOTICE_REPEAT_S = 6.0         # and is spoken again at most this often
#: Nobody in view and nobody touching for this long: the friends have gone. (The game's own
#: walked-away check counts one face; this scene watches for two.)
IDLE_RETURN_S = 60.0

SIDE_COLOURS = {LEFT: "face_frame", RIGHT: "notice"}


class FriendsRoundScene(Scene):
    name = "friends"
    #: The game's walked-away check reads two faces as crowding; this scene has its own.
    watches_idle = False

    def __init__(self, game: Services, level: Level, round_index: int = 0, score: LevelScore | None = None,
                 tries: int = 0, friends: Friends | None = None, friend=None):
        super().__init__(game)
        self.level, self.round_index, self.tries = level, round_index, tries
        self.round = level.rounds[round_index]
        self.score = score if score is not None else LevelScore(rounds_total=len(level.rounds))
        self.friends = friends
        self.friend = friend
        self.phase = "pick" if friends is None and friend is None else "waiting"
        self.judge: FriendsJudge | None = None
        self.status: FriendsStatus | None = None
        self.started_wall: datetime | None = None
        self.phase_at = 0.0
        self.children: list = []
        self.buttons = ButtonGroup()
        w, _h = game.size
        self.view = CameraView(pygame.Rect(440, 104, 796, 398))
        self.skip_button = Button(pygame.Rect(w - 120, 8, 88, 88), "skip", icon="arrow", colour=game.theme["ink_soft"])
        self.notice: tuple | None = None      # what the children are told now (see _notice_key)
        self.notice_seen: tuple | None = None
        self.notice_since = 0.0
        self.spoken_at = -1e9
        self.last_seen = 0.0                  # the last moment a face or a touch showed somebody is here
        self.confetti: Confetti | None = None
        self.cheer = ""
        self.handing_on = False               # the next round (or a new try) takes the pair over

    @property
    def screenshot_after_s(self) -> float:
        """A picture of the cheer or the stars once they have popped in (from the phase's start)."""
        settle = {"cheer": 0.8, "summary": 0.4 * MAX_STARS + 0.4}.get(self.phase, 0.3)
        return self.phase_at - self.entered_at + settle

    @property
    def screenshot_key(self) -> str:
        if self.phase == "play" and self.notice is not None:
            return "friends-" + "-".join(str(part) for part in self.notice[:1])
        holds = [s.hold_progress > 0 for s in self.status.sides.values()] if self.status is not None else []
        if self.phase == "play" and holds and all(holds):
            return "friends-together"
        if self.phase == "play" and any(holds):
            return "friends-holding"
        return f"friends-{self.phase}"

    # ------------------------------------------------------------------- lifecycle
    def enter(self, now: float) -> None:
        super().enter(now)
        self.phase_at = self.last_seen = now
        if self.phase == "pick":
            self.game.store.load_children(self._children_loaded, self.game.notes)
        elif self.friends is None:
            self._start_friends(self.friend)

    def resume(self, now: float) -> None:
        super().resume(now)
        self.phase_at += self.paused_for
        self.last_seen = now
        if self.judge is not None:
            self.judge.resume(now)

    def leave(self, now: float) -> None:
        if not self.handing_on and self.friends is not None:
            self.friends.end()

    def _start_friends(self, friend) -> None:
        settings = self.game.settings
        try:
            self.friends = Friends.start(self.game.session, friend, self.game.store, self.game.notes,
                                         settings.kiosk_name, settings.lang)
        except ValueError as exc:
            self.game.notes.append(str(exc))
            self.game.replace("map")
            return
        self.phase = "waiting"

    def _children_loaded(self, children: list) -> None:
        me = self.game.session.child
        self.children = [c for c in children if me is None or c.id != me.id][:8]
        w, _h = self.game.size
        buttons = []
        for i, child in enumerate(self.children):
            row, col = divmod(i, 4)
            in_row = min(4, len(self.children) - row * 4)
            x = w / 2 + (col - (in_row - 1) / 2) * 230
            buttons.append(Button(pygame.Rect(x - 80, 170 + row * 230, 160, 160), f"child:{child.id}", child.name))
        buttons.append(Button(pygame.Rect(w - 116, 14, 92, 92), "back", icon="home", colour=self.game.theme["panel"]))
        self.buttons = ButtonGroup(buttons)
        self.game.audio.say(self.t("friends.pick_spoken") if self.children else self.t("friends.pick_empty"))

    # -------------------------------------------------------------------- each frame
    def update(self, now: float, dt: float) -> None:
        obs = self.game.obs
        if obs is not None:
            self.view.update(obs.preview, obs.frame_size, (obs.captured_at, obs.frame_index))
            if obs.faces:
                self.last_seen = now
        if self.confetti is not None:
            self.confetti.update(dt)
        if self.phase != "summary" and now - self.last_seen >= IDLE_RETURN_S:
            self.game.session.leave()
            self.game.replace("welcome")
            return
        if self.phase == "waiting" and self.friends is not None and self.friends.ready:
            self._intro(now)
        elif self.phase == "intro" and now - self.phase_at >= self._intro_seconds():
            self._start_judging(now)
        elif self.phase == "play":
            self._judge(now)
        elif self.phase == "cheer" and now - self.phase_at >= CHEER_S:
            self._next()
        elif self.phase == "encourage" and now - self.phase_at >= self.game.settings.auto_next_s:
            self._next()
        elif self.phase == "summary" and now - self.phase_at >= SUMMARY_BACK_TO_MAP_S:
            self._to_map()

    def _intro_seconds(self) -> float:
        if self.round.story is not None and self.tries == 0:
            words = len(self.round.story.get(self.game.settings.lang).split())
            return min(12.0, max(INTRO_S, words / STORY_WORDS_PER_S + 0.5))
        return INTRO_S

    def _intro(self, now: float) -> None:
        self.phase, self.phase_at = "intro", now
        lang = self.game.settings.lang
        spoken = self.round.speech.get(lang)
        if self.round.story is not None and self.tries == 0:
            spoken = f"{self.round.story.get(lang)} {spoken}"
        if self.round_index == 0 and self.tries == 0:
            spoken = f"{self.t('friends.places', **self.friends.names())} {spoken}"
        self.game.audio.say(spoken, caption=self.round.prompt.get(lang))

    def _start_judging(self, now: float) -> None:
        rules, settings = self.game.rules, self.game.settings
        specs = {side: rules.spec(self.round.emotion, self.round.threshold, self.round.hold_s,
                                  self.round.time_limit_s, difficulty=settings.difficulty,
                                  baseline=self.friends.calibration(side)) for side in SIDES}
        self.judge = FriendsJudge(specs, now)
        self.started_wall = datetime.now(timezone.utc)
        self.phase, self.phase_at = "play", now

    def _judge(self, now: float) -> None:
        self.status = self.judge.step(now, self.game.obs, self.game.model_problem)
        self._notices(now, self.status)
        if self.status.outcome is Outcome.MATCHED:
            self._record()
            spec = self.judge.specs[LEFT]
            self.score, earned = self.score.matched(self.round_index, self.judge.time_to_match_s, spec.hold_s,
                                                    spec.time_limit_s)
            self.phase, self.phase_at = "cheer", now
            self.confetti = Confetti(self.game.size, self.game.theme.confetti, seed=self.round_index + 7 * self.game.turn())
            self.cheer = self.game.phrases.pick("friends.cheers", self.game.settings.lang, self.game.turn())
            self.game.audio.sound("cheer")
            self.game.audio.say(self.cheer)
        elif self.status.outcome is Outcome.TIMEOUT:
            self._record()
            self.score = self.score.missed()
            self._encourage(now)

    # -------------------------------------------------------------- kind notices
    def _notice_key(self, status: FriendsStatus) -> tuple | None:
        """What to tell the friends now: the camera's trouble, somebody missing, crowding."""
        if not status.camera.camera_working:
            return ("camera", status.camera)
        missing = status.missing()
        if len(missing) == 2:
            return ("both-missing",)
        if missing:
            return ("missing", missing[0])
        if status.crowded:
            return ("crowded",)
        away = [side for side, s in status.sides.items() if s.face is FaceState.LOOKING_AWAY]
        if away:
            return ("away", away[0])
        return None

    def _notices(self, now: float, status: FriendsStatus) -> None:
        key = self._notice_key(status)
        if key != self.notice_seen:
            self.notice_seen, self.notice_since = key, now
        if key is None:
            if self.notice is not None:
                self.game.audio.caption_only(self.round.prompt.get(self.game.settings.lang))
            self.notice = None
            return
        if self.notice == key or now - self.notice_since < NOTICE_AFTER_S:
            return
        self.notice = key
        shown, spoken = self._notice_words(key)
        if spoken and now - self.spoken_at >= NOTICE_REPEAT_S:
            self.spoken_at = now
            self.game.audio.say(spoken, caption=shown)
        else:
            self.game.audio.caption_only(shown)

    def _notice_words(self, key: tuple) -> tuple[str, str | None]:
        names = self.friends.names()
        kind = key[0]
        if kind == "camera":
            shown, spoken = FACE_PHRASES[key[1]]
            return self.t(shown), self.t(spoken) if spoken else None
        if kind == "both-missing":
            return self.t("friends.both_missing"), self.t("friends.both_missing_spoken")
        if kind == "missing":
            name = names[key[1]]
            return self.t("friends.missing", name=name), self.t("friends.missing_spoken", name=name)
        if kind == "crowded":
            return self.t("friends.crowded"), self.t("friends.crowded_spoken")
        shown, spoken = FACE_PHRASES[FaceState.LOOKING_AWAY]
        return self.t(shown), self.t(spoken) if spoken else None

    # --------------------------------------------------------------- moving on
    def _encourage(self, now: float) -> None:
        self.phase, self.phase_at = "encourage", now
        self.game.audio.sound("try_again")
        line = self.game.phrases.pick("encourage.lines", self.game.settings.lang, self.game.turn())
        hint = self.hint()
        self.game.audio.say(f"{line} {hint}" if hint else line, caption=line)
        x = self.view.rect.x
        self.buttons = ButtonGroup([
            Button(pygame.Rect(x + 60, 530, 320, 88), "again", self.t("round.try_again"), icon="again",
                   colour=self.game.theme["good"]),
            Button(pygame.Rect(x + 420, 530, 260, 88), "next", self.t("round.next"), icon="arrow",
                   colour=self.game.theme["accent"]),
        ])

    def hint(self) -> str:
        hints = self.round.hints
        return hints[self.tries % len(hints)].get(self.game.settings.lang) if hints else ""

    def _record(self, skipped: bool = False) -> None:
        judge = self.judge
        if judge is None or self.game.model_problem or self.friends is None:
            return    # nothing could be judged: a try the children never had is not recorded
        ended = datetime.now(timezone.utc)
        for side in SIDES:
            stats = judge.stats[side]
            outcome = judge.outcome_for(side)
            if skipped and outcome != "matched":
                outcome = "skipped"
            self.friends.record_attempt(
                side, level_id=self.level.id, round_index=self.round_index, emotion=self.round.emotion,
                started_at=self.started_wall or ended, ended_at=ended, outcome=outcome,
                time_to_match_s=judge.held_at.get(side) if outcome == "matched" else None,
                peak_prob=stats.peak_prob, mean_prob=stats.mean_prob, face_share=stats.face_share,
                positive_share=stats.positive_share, negative_share=stats.negative_share,
                noface_share=stats.noface_share)

    def _hand_on(self, round_index: int, score: LevelScore, tries: int = 0) -> None:
        self.handing_on = True
        self.game.replace("friends", level=self.level, round_index=round_index, score=score, tries=tries,
                          friends=self.friends)

    def _next(self) -> None:
        if self.round_index + 1 < len(self.level.rounds):
            self._hand_on(self.round_index + 1, self.score)
            return
        self._summary(self.game.now)

    def _summary(self, now: float) -> None:
        self.phase, self.phase_at = "summary", now
        self.friends.finish_level(self.level.id, self.score.stars, self.score.points)
        self.game.audio.sound("chime")
        self.game.audio.say(self.t("friends.summary_spoken", **self.friends.names()) if self.score.stars
                            else self.t("summary.stars_zero"))
        w, _h = self.game.size
        self.buttons = ButtonGroup([
            Button(pygame.Rect(w / 2 - 340, 522, 310, 92), "again", self.t("summary.play_again"), icon="again",
                   colour=self.game.theme["good"]),
            Button(pygame.Rect(w / 2 + 30, 522, 310, 92), "map", self.t("summary.map"), icon="arrow"),
        ], focus=1)

    def _to_map(self) -> None:
        self.game.replace("map")      # leave() ends the friend's session

    # ------------------------------------------------------------------- input
    def handle(self, event: pygame.event.Event) -> None:
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN, pygame.KEYDOWN):
            self.last_seen = self.game.now
        if self.phase in ("pick", "encourage", "summary"):
            chosen = self.buttons.handle(event, self.game.canvas_pos)
            if chosen is None:
                return
            self.game.audio.sound("pop")
            self._chosen(chosen.action)
            return
        if self.phase == "cheer" and event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN) \
                and self.game.now - self.phase_at > 0.8:
            self._next()
            return
        if self.phase in ("intro", "play") and event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
            pos = self.game.canvas_pos(event)
            if pos and self.skip_button.rect.collidepoint(pos):
                if self.phase == "play":
                    self._record(skipped=True)
                self.score = self.score.missed()
                self._next()

    def _chosen(self, action: str) -> None:
        if action.startswith("child:"):
            child_id = int(action.split(":", 1)[1])
            self._start_friends(next(c for c in self.children if c.id == child_id))
        elif action == "back":
            self.game.replace("map")
        elif action == "again" and self.phase == "summary":
            self._hand_on(0, LevelScore(rounds_total=len(self.level.rounds)))
        elif action == "again":
            self._hand_on(self.round_index, self.score, tries=self.tries + 1)
        elif action == "next":
            self._next()
        elif action == "map":
            self._to_map()

    # ------------------------------------------------------------------- drawing
    def draw(self, canvas: pygame.Surface, now: float) -> None:
        if self.phase == "pick":
            self._draw_pick(canvas, now)
        elif self.phase == "waiting":
            self._draw_waiting(canvas, now)
        elif self.phase == "summary":
            self._draw_summary(canvas, now)
        else:
            self._draw_round(canvas, now)
            if self.phase == "cheer" and self.confetti is not None:
                self._draw_cheer(canvas, now)

    def _draw_pick(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        self.header(canvas, self.t("friends.pick_title"))
        me = self.game.session.child
        if me is not None:
            self.draw_child(canvas, me, (80, 60), 44)
        if not self.children:
            for i, line in enumerate(res.wrapped(self.t("friends.pick_empty"), "medium", 900, theme["ink"], bold=True)):
                blit_centered(canvas, line, (w / 2, 320 + i * 52))
        for index, button in enumerate(self.buttons.buttons):
            if button.action == "back":
                ButtonGroup([button], 0 if index == self.buttons.focus else -1).draw(canvas, res, now)
                continue
            child = next(c for c in self.children if f"child:{c.id}" == button.action)
            if index == self.buttons.focus:
                pygame.draw.circle(canvas, theme["star"], button.rect.center, 94 + 4 * math.sin(now * 5))
            self.draw_child(canvas, child, button.rect.center, 80)
            blit_centered(canvas, res.text(child.name, "small", theme["ink"], bold=True),
                          (button.rect.centerx, button.rect.bottom + 34))

    def _draw_waiting(self, canvas: pygame.Surface, now: float) -> None:
        w, _h = canvas.get_size()
        self.header(canvas, self.t("loading.title"))
        self._draw_pair(canvas, (w / 2, 300), 100, 150)
        draw_waiting(canvas, self.game.theme.confetti, (w / 2, 500), now)

    def _draw_pair(self, canvas: pygame.Surface, center: tuple[float, float], radius: int, apart: int) -> None:
        res, theme = self.game.res, self.game.theme
        for side, dx in ((LEFT, -apart), (RIGHT, apart)):
            child = self.friends.child(side) if self.friends is not None else None
            if child is None:
                continue
            draw_avatar(canvas, res, child.name, child.avatar, (center[0] + dx, center[1]), radius)
            blit_centered(canvas, res.text(child.name, "small", theme["ink"], bold=True),
                          (center[0] + dx, center[1] + radius + 34))

    def _draw_round(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        lang = self.game.settings.lang
        emotion = self.round.emotion
        draw_round_dots(canvas, theme, len(self.level.rounds), self.round_index, self.score.matched_rounds)
        if self.phase in ("intro", "play"):
            ButtonGroup([self.skip_button], -1).draw(canvas, res, now)
        # the target picture
        card = pygame.Rect(40, 104, 364, 500)
        pygame.draw.rect(canvas, theme["panel"], card, border_radius=36)
        pygame.draw.rect(canvas, theme.emotion(emotion), card, 10, border_radius=36)
        if self.phase == "encourage" and self.hint():
            blit_centered(canvas, round_picture(res, theme, self.round, (200, 200)), (card.centerx, card.y + 130))
            blit_centered(canvas, res.text(self.t("round.hint_title"), "small", theme["ink_soft"], bold=True),
                          (card.centerx, card.y + 270))
            for i, line in enumerate(res.wrapped(self.hint(), "small", card.width - 50, theme["ink"], bold=True)[:4]):
                blit_centered(canvas, line, (card.centerx, card.y + 320 + i * 40))
        elif self.round.story is not None:
            bob = 8 * math.sin(now * 2.5)
            center = (card.centerx, card.y + 130 + bob)
            pygame.draw.circle(canvas, theme["background_band"], center, 95)
            pygame.draw.circle(canvas, theme["panel_edge"], center, 95, 8)
            blit_centered(canvas, res.text("?", 120, theme["ink"], bold=True), center)
            lines = res.wrapped(self.round.story.get(lang), "small", card.width - 50, theme["ink"], bold=True)[:5]
            for i, line in enumerate(lines):
                blit_centered(canvas, line, (card.centerx, card.y + 280 + i * 42))
        else:
            bob = 8 * math.sin(now * 2.5)
            blit_centered(canvas, round_picture(res, theme, self.round, (290, 290)), (card.centerx, card.y + 200 + bob))
            word = self.game.phrases.get(f"emotions.{emotion}", lang)
            blit_centered(canvas, res.text(word, "big", theme["ink"], bold=True), (card.centerx, card.bottom - 60))
        self._draw_camera(canvas, now)
        if self.phase == "encourage":
            self.buttons.draw(canvas, res, now)
            return
        for side in SIDES:
            self._draw_gauge(canvas, side, now)

    def _readings(self):
        obs = self.game.obs
        return {r.side: r for r in obs.faces} if obs is not None else {}

    def _draw_camera(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        obs = self.game.obs
        readings = self._readings()
        holding = {side: self.status is not None and self.status.sides[side].hold_progress > 0 for side in SIDES}
        left = readings.get(LEFT)
        self.view.draw(canvas, res, left.box if left else None,
                       theme["good"] if holding[LEFT] else theme[SIDE_COLOURS[LEFT]], now, has_picture=obs is not None)
        if obs is not None and RIGHT in readings:
            frame = self.view.face_rect(readings[RIGHT].box)
            if frame is not None:
                frame = frame.inflate(frame.width * 0.25, frame.height * 0.3).clip(self.view.rect)
                colour = theme["good"] if holding[RIGHT] else theme[SIDE_COLOURS[RIGHT]]
                pygame.draw.rect(canvas, colour, frame, 9, border_radius=max(12, frame.width // 5))
                for corner in (frame.topleft, frame.topright):
                    draw_star(canvas, corner, 20 + 3 * math.sin(now * 4), theme["star"], theme["ink"])
        # each child's name over their face, so they know which gauge is theirs
        if self.friends is not None:
            for side, reading in readings.items():
                frame = self.view.face_rect(reading.box)
                if frame is None:
                    continue
                colour = theme["good"] if holding.get(side) else theme[SIDE_COLOURS[side]]
                label = res.text(self.friends.names()[side], "small", (255, 255, 255), bold=True)
                pill = label.get_rect(midbottom=(frame.centerx, max(self.view.rect.y + 44, frame.y - 18))).inflate(28, 8)
                pill.clamp_ip(self.view.rect)
                pygame.draw.rect(canvas, colour, pill, border_radius=pill.height // 2)
                blit_centered(canvas, label, pill.center)
        if self.phase == "play" and self.notice is not None:
            self._draw_notice(canvas, self.notice)
        elif obs is None and now - self.entered_at > NOTICE_AFTER_S:
            draw_face_notice(canvas, res, FaceState.CAMERA_STARTING,
                             self.t(FACE_PHRASES[FaceState.CAMERA_STARTING][0]), self.view.rect)

    def _draw_notice(self, canvas: pygame.Surface, key: tuple) -> None:
        rect = self.view.rect
        shown, _spoken = self._notice_words(key)
        if key[0] in ("missing", "away"):
            half = pygame.Rect(rect.x, rect.y, rect.width // 2, rect.height)
            if key[1] == RIGHT:
                half.x += rect.width - half.width
            state = FaceState.NO_FACE if key[0] == "missing" else FaceState.LOOKING_AWAY
            draw_face_notice(canvas, self.game.res, state, shown, half)
            return
        state = {"camera": key[1] if key[0] == "camera" else None, "crowded": FaceState.MANY_FACES}.get(
            key[0]) or FaceState.NO_FACE
        draw_face_notice(canvas, self.game.res, state, shown, rect)

    def _draw_gauge(self, canvas: pygame.Surface, side: str, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        rect = self.view.rect
        panel = pygame.Rect(rect.x + (0 if side == LEFT else rect.width // 2 + 8), 524, rect.width // 2 - 8, 92)
        pygame.draw.rect(canvas, theme["panel"], panel, border_radius=28)
        pygame.draw.rect(canvas, theme[SIDE_COLOURS[side]], panel, 5, border_radius=28)
        child = self.friends.child(side) if self.friends is not None else None
        if child is not None:
            draw_avatar(canvas, res, child.name, child.avatar, (panel.x + 50, panel.centery), 36)
        status = self.status.sides[side] if self.status is not None else None
        mark = status.mark_progress if status else 0.0
        hold = status.hold_progress if status else 0.0
        gauge = pygame.Rect(panel.x + 100, panel.centery - 2, panel.width - 190, 30)
        draw_gauge(canvas, res, gauge, mark, 1.0, self.round.emotion, hold, now)
        name = child.name if child is not None else ""
        words = name
        if status is not None and hold > 0 and self.status.outcome is Outcome.RUNNING:
            other = RIGHT if side == LEFT else LEFT
            other_holds = self.status.sides[other].hold_progress > 0
            words = self.t("friends.together") if other_holds else self.t(
                "friends.wait_for", name=self.friends.names()[other])
        label = res.fitted(words, "tiny", gauge.width + 40, theme["good"] if hold > 0 else theme["ink"], bold=True)
        canvas.blit(label, label.get_rect(bottomleft=(gauge.x, gauge.y - 4)))

    def _draw_cheer(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        veil = res.shape(("cheer-veil", (w, h)), (w, h), lambda s: s.fill((*theme["background"], 215)))
        canvas.blit(veil, (0, 0))
        age = now - self.phase_at
        pop = min(1.0, age / 0.35)
        pop = 1 + 0.25 * math.sin(pop * math.pi) if pop < 1 else 1.0
        draw_star(canvas, (w / 2, 330), 170 * pop, theme["star"], theme["ink"])
        emotion = self.round.emotion
        face = res.shape(("face", emotion), (150, 150), lambda s: draw_face(s, emotion, theme.emotion(emotion), theme["ink"]))
        blit_centered(canvas, face, (w / 2, 345))
        self._draw_pair(canvas, (w / 2, 330), 70, 330)
        blit_centered(canvas, res.text(self.cheer, "title", theme["ink"], bold=True), (w / 2, 110))
        self.confetti.draw(canvas)

    def _draw_summary(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, _h = canvas.get_size()
        self.header(canvas, self.t("summary.title"))
        age = now - self.phase_at
        for k in range(MAX_STARS):
            earned = k < self.score.stars
            scale = max(0.0, min(1.0, (age - 0.4 * k) / 0.4)) if earned else 0.0
            x, y = w / 2 + (k - 1) * 170, 250 - (24 if k == 1 else 0)
            draw_star(canvas, (x, y), 70, theme["star_empty"], theme["ink"])
            if scale > 0:
                draw_star(canvas, (x, y), 70 * scale, theme["star"], theme["ink"])
        self._draw_pair(canvas, (w / 2, 250), 80, 420)
        title = self.level.title.get(self.game.settings.lang)
        blit_centered(canvas, res.text(title, "small", theme["ink_soft"], bold=True), (w / 2, 400))
        blit_centered(canvas, res.text(f"{self.score.points}", "big", theme["accent_dark"], bold=True), (w / 2, 456))
        self.buttons.draw(canvas, res, now)
