"""'Pick a game': the levels as stops on a path, locked ones with a padlock, each with the
stars this child has earned; the child's picture goes back to choosing who is playing."""

from __future__ import annotations

import math

import pygame

from game.levels import Level
from game.play.scenes.base import Scene
from game.play.scoring import is_unlocked
from game.play.services import Services
from game.play.widgets import Button, ButtonGroup, blit_centered, draw_face, draw_lock, draw_star, lerp_colour
from game.vocabulary import EMOTION_NAMES, MAX_STARS


class LevelMapScene(Scene):
    name = "map"
    PER_PAGE = 5

    def __init__(self, game: Services):
        super().__init__(game)
        self.page = 0
        self.buttons = ButtonGroup()
        self.stars: dict[str, int] = {}

    def enter(self, now: float) -> None:
        super().enter(now)
        self.stars = self.game.session.stars()
        self.game.audio.say(self.t("map.spoken"))
        self._layout()
        playable = [i for i, b in enumerate(self.buttons.buttons) if b.enabled and b.action.startswith("level:")]
        # focus the first unlocked level without stars: where the child should go next
        fresh = [i for i in playable if self.stars.get(self.buttons.buttons[i].action[6:], -1) <= 0]
        self.buttons.focus = (fresh or playable or [0])[0]

    def unlocked(self, level: Level) -> bool:
        return is_unlocked(level.unlock.after, level.unlock.min_stars, self.stars)

    def _layout(self) -> None:
        w, _h = self.game.size
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
        # a session made from this child's own record (game.play.practice)
        buttons.append(Button(pygame.Rect(w - 290, 18, 260, 84), "practice", self.t("practice.button"),
                              icon="again", colour=self.game.theme["good"]))
        self.buttons = ButtonGroup(buttons)

    def handle(self, event: pygame.event.Event) -> None:
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is None:
            if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
                pos = self.game.canvas_pos(event)
                locked = next((b for b in self.buttons.buttons if not b.enabled and pos and b.rect.collidepoint(pos)), None)
                if locked is not None:
                    self.game.audio.say(self.t("map.locked"))
            return
        if chosen.action == "next-page":
            self.page = (self.page + 1) % max(1, math.ceil(len(self.game.levels) / self.PER_PAGE))
            self._layout()
        elif chosen.action == "choose":
            self.game.replace("choose")
        elif chosen.action == "practice":
            self.game.audio.sound("pop")
            self.game.replace("practice")
        else:
            level = next(lv for lv in self.game.levels if lv.id == chosen.action[6:])
            self.game.audio.sound("pop")
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
                child = self.game.session.child
                if child is not None:
                    if focused:
                        pygame.draw.circle(canvas, theme["star"], button.rect.center, 54)
                    self.draw_child(canvas, child, button.rect.center, 44)
                continue
            if button.action in ("next-page", "practice"):
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
                emotion = level.emotions[0] if level.emotions else EMOTION_NAMES[0]
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
