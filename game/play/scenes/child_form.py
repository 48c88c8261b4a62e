"""Adding or renaming a child (and choosing the camera) by touch, pushed over the teacher area:
a name field, an on-screen keyboard and, for a child, the animals to tap. A physical keyboard
works as well (typing, Backspace, Enter saves, Esc goes back).

The write goes to the store off the UI thread, in order with the game's other writes; the form
stays until the store has answered, so a refusal ("a name cannot be empty") is read where the
name was typed. `done(child_id)` is called once the child is saved (None for the camera).
"""

from __future__ import annotations

from typing import Callable

import pygame

from game.play.play_settings import parse_camera
from game.play.scenes.base import Scene
from game.play.services import Services
from game.play.widgets import Button, ButtonGroup, avatar_names, blit_centered, draw_avatar
from game.play.widgets.keys import BACKSPACE, OnScreenKeyboard

MAX_NAME_CHARS = 60
#: The animals' grid: columns, cell size and where it starts (right of the keyboard).
GRID_COLUMNS = 5
CELL = 80
GRID = pygame.Rect(840, 236, GRID_COLUMNS * CELL, 3 * CELL)


class ChildFormScene(Scene):
    name = "child_form"
    shows_caption = False
    for_grown_ups = True
    teacher_area = True
    watches_idle = False
    screenshot_after_s = 0.0

    def __init__(self, game: Services, what: str = "add", text: str = "", avatar: str = "",
                 child_id: int | None = None, done: Callable[[int | None], None] | None = None):
        super().__init__(game)
        self.what = what                       # "add", "rename" or "camera"
        self.text = text
        self.child_id = child_id
        self.done = done
        self.old = (text, avatar)
        self.avatars = [] if what == "camera" else avatar_names(game.res.assets_dir)
        self.avatar = avatar if avatar in self.avatars or not self.avatars else self.avatars[0]
        self.message = ""
        self.saving = False
        layout = "path" if what == "camera" else "name"
        self.keyboard = OnScreenKeyboard(pygame.Rect(40, 206, 760, 350 if layout == "path" else 330),
                                         layout, space_label=self.t("teacher.key_space"))
        theme = game.theme
        self.buttons = ButtonGroup([Button(pygame.Rect(40, 600, 360, 88), "save", self.t("teacher.save"),
                                           colour=theme["good"]),
                                    Button(pygame.Rect(440, 600, 360, 88), "cancel", self.t("teacher.cancel"),
                                           colour=theme["ink_soft"])], focus=-1)

    @property
    def screenshot_key(self) -> str:
        return f"child-form-{self.what}"

    def enter(self, now: float) -> None:
        super().enter(now)
        pygame.key.start_text_input()

    def leave(self, now: float) -> None:
        pygame.key.stop_text_input()

    def avatar_rects(self) -> list[tuple[str, pygame.Rect]]:
        return [(name, pygame.Rect(GRID.x + (i % GRID_COLUMNS) * CELL, GRID.y + (i // GRID_COLUMNS) * CELL, CELL, CELL))
                for i, name in enumerate(self.avatars)]

    # ------------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        if self.saving:
            return
        if event.type == pygame.TEXTINPUT:
            self.text = (self.text + event.text)[:MAX_NAME_CHARS]
            return
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.game.pop()
            elif event.key == pygame.K_BACKSPACE:
                self.text = self.text[:-1]
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._save()
            elif event.key in (pygame.K_LEFT, pygame.K_RIGHT) and self.avatars:
                step = 1 if event.key == pygame.K_RIGHT else -1
                self.avatar = self.avatars[(self.avatars.index(self.avatar) + step) % len(self.avatars)]
            return
        if event.type not in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
            return
        chosen = self.buttons.handle(event, self.game.canvas_pos)
        if chosen is not None:
            self._save() if chosen.action == "save" else self.game.pop()
            return
        key = self.keyboard.tapped(event, self.game.canvas_pos)
        if key is not None:
            self.text = self.keyboard.press(self.text, key.value, MAX_NAME_CHARS)
            self.message = "" if key.value != BACKSPACE else self.message
            return
        pos = self.game.canvas_pos(event)
        for name, rect in self.avatar_rects():
            if pos is not None and rect.collidepoint(pos):
                self.avatar = name

    def _save(self) -> None:
        text = self.text.strip()
        if self.what == "camera":
            if text:
                self.game.change_camera(parse_camera(text))
            self.game.pop()
            if self.done is not None:
                self.done(None)
            return
        if not text:
            self.message = self.t("teacher.name_empty")
            return
        avatar, child_id = self.avatar, self.child_id
        if self.what == "add":
            def work(store):
                return store.add_child(text, avatar).id
        else:
            renamed, new_avatar = text != self.old[0], avatar != self.old[1]

            def work(store):
                if renamed:
                    store.rename_child(child_id, text)
                if new_avatar:
                    store.set_avatar(child_id, avatar)
                return child_id

        def saved(result, error) -> None:
            self.saving = False
            if error is not None:
                self.message = str(error)      # the store says what is wrong, for the teacher
                return
            self.game.pop()
            if self.done is not None:
                self.done(result)

        self.saving = True
        self.message = self.t("teacher.saving")
        self.game.store.writer.call(work, saved)

    # -------------------------------------------------------------------------- draw
    def _title(self) -> str:
        if self.what == "camera":
            return self.t("teacher.camera")
        if self.what == "rename":
            return self.t("teacher.rename_title", name=self.old[0])
        return self.t("teacher.add_child")

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        canvas.fill(theme["panel"])
        pygame.draw.rect(canvas, theme["background_band"], (0, 0, w, 96))
        blit_centered(canvas, res.fitted(self._title(), "medium", w - 80, theme["ink"], bold=True), (w / 2, 48))
        field = pygame.Rect(40, 116, 760, 72)
        pygame.draw.rect(canvas, theme["background"], field, border_radius=14)
        pygame.draw.rect(canvas, theme["accent"], field, 3, border_radius=14)
        cursor = "|" if int(self.game.now * 2) % 2 == 0 else " "
        shown = res.fitted(self.text + cursor, "medium", field.width - 32, theme["ink"], bold=True)
        canvas.blit(shown, (field.x + 16, field.centery - shown.get_height() // 2))
        self.keyboard.draw(canvas, res, self.text)
        self.buttons.draw(canvas, res, now)
        right = pygame.Rect(GRID.x, 116, GRID.width, h - 136)
        if self.what == "camera":
            y = right.y
            for line in res.wrapped(self.t("teacher.camera_hint"), "tiny", right.width, theme["ink_soft"]):
                canvas.blit(line, (right.x, y))
                y += 30
        else:
            self._draw_animals(canvas)
            y = GRID.bottom + 16
        for line in res.wrapped(self.message, "tiny", right.width, theme["accent_dark"], bold=True):
            if y > h - 30:
                break
            canvas.blit(line, (right.x, y))
            y += 28

    def _draw_animals(self, canvas: pygame.Surface) -> None:
        res, theme = self.game.res, self.game.theme
        # the animal's own name, not the typed one: a picture cached per keystroke would pile up
        draw_avatar(canvas, res, self.avatar, self.avatar, (GRID.x + 48, 160), 44)
        hint = res.wrapped(self.t("teacher.tap_animal"), "tiny", GRID.width - 110, theme["ink_soft"], max_lines=2)
        for i, line in enumerate(hint):
            canvas.blit(line, (GRID.x + 108, 160 - 14 * len(hint) + i * 28))
        for animal, rect in self.avatar_rects():
            if animal == self.avatar:
                pygame.draw.circle(canvas, theme["star"], rect.center, CELL // 2)
            draw_avatar(canvas, res, animal, animal, rect.center, CELL // 2 - 6)
