"""The teacher area: children, levels, language, volume, difficulty, camera, quit, and how the
chosen child is doing. Pushed over the game with Ctrl+Shift+T held for two seconds (or after the grown-ups' question);
Esc pops it, and the game carries on where it was.

Up/Down choose a row, Left/Right change its value, Enter acts (or starts typing a name).
"""

from __future__ import annotations

import pygame

from game.play.play_settings import parse_camera
from game.play.scenes.base import Scene
from game.play.services import Next, Services
from game.play.thresholds import Difficulty
from game.play.widgets import avatar_names, blit_centered, draw_avatar
from game.vocabulary import LANGUAGE_CODES, language

ROWS = ("children", "add_child", "rename_child", "levels", "language", "volume", "difficulty", "camera",
        "back", "quit")
ROW_H = 54
SUMMARY_REFRESH_S = 2.0
#: A read for the panel that takes longer than this: say the database is slow and progress is safe.
STORE_SLOW_S = 1.0
#: A problem note (a database message, a model file's path) gets this many lines at most.
NOTE_LINES = 5


class TeacherScene(Scene):
    name = "teacher"
    shows_caption = False
    for_grown_ups = True
    teacher_area = True
    screenshot_after_s = 0.0

    def __init__(self, game: Services):
        super().__init__(game)
        self.row = 0
        self.children = []
        self.child_index = 0
        self.level_index = 0
        self.avatar_index = 0
        self.typing: str | None = None        # "add", "rename" or "camera" while typing
        self.text = ""
        self.message = ""
        self.summary: dict | None = None
        self.summary_for: int | None = None
        self.summary_at = -1e9
        self.pending = 0
        self.store_note: str | None = None
        self.status_known = False             # the store has answered once since the area opened
        self.reading_since: float | None = None   # a read for the panel is on its way (off the UI thread)
        self.children_loading = False
        self.saving = False                   # a child being added or renamed

    @property
    def screenshot_key(self) -> str:
        return "teacher-typing" if self.typing else "teacher"

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.speech.silence()
        child = self.game.session.child
        self._reload_children(select=child.id if child is not None else None)

    def leave(self, now: float) -> None:
        if self.typing is not None:
            pygame.key.stop_text_input()

    def _reload_children(self, select: int | None = None) -> None:
        """Read the children off the UI thread; `select` a child by id once they are here."""
        self.children_loading = True

        def loaded(children: list) -> None:
            self.children_loading = False
            self.children = children
            ids = [c.id for c in children]
            if select in ids:
                self.child_index = ids.index(select)
            self.child_index = min(self.child_index, max(0, len(children) - 1))
            self.summary_for = None

        self.game.store.load_children(loaded, self.game.notes)

    @property
    def selected_child(self):
        return self.children[self.child_index] if self.children else None

    # ------------------------------------------------------------------------ input
    def handle(self, event: pygame.event.Event) -> None:
        if self.typing is not None:
            self._handle_typing(event)
            return
        if event.type == pygame.MOUSEBUTTONDOWN:
            pos = self.game.canvas_pos(event)
            row = self._row_at(pos) if pos else None
            if row is not None:
                self.row = row
                self._act(+1)
            return
        if event.type != pygame.KEYDOWN:
            return
        if event.key == pygame.K_ESCAPE:
            self._back()
        elif event.key == pygame.K_UP:
            self.row = (self.row - 1) % len(ROWS)
        elif event.key in (pygame.K_DOWN, pygame.K_TAB):
            self.row = (self.row + 1) % len(ROWS)
        elif event.key == pygame.K_LEFT:
            self._change(-1)
        elif event.key == pygame.K_RIGHT:
            self._change(+1)
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self._act(+1)

    def _row_at(self, pos: tuple[int, int]) -> int | None:
        x, y = pos
        if not 40 <= x <= 660:
            return None
        index = (y - 120) // ROW_H
        return int(index) if 0 <= index < len(ROWS) else None

    def _change(self, step: int) -> None:
        name = ROWS[self.row]
        settings = self.game.settings
        if name == "children" and self.children:
            self.child_index = (self.child_index + step) % len(self.children)
        elif name == "levels" and self.game.levels:
            self.level_index = (self.level_index + step) % len(self.game.levels)
        elif name == "language":
            settings.lang = LANGUAGE_CODES[(LANGUAGE_CODES.index(settings.lang) + step) % len(LANGUAGE_CODES)]
        elif name == "volume":
            settings.volume = round(min(1.0, max(0.0, settings.volume + 0.1 * step)), 2)
            settings.muted = settings.volume == 0.0
            self.game.audio.sound("pop")
        elif name == "difficulty":
            options = list(Difficulty)
            settings.difficulty = options[(options.index(settings.difficulty) + step) % len(options)]

    def _act(self, step: int) -> None:
        name = ROWS[self.row]
        if name in ("children", "levels", "language", "difficulty"):
            if name == "levels":
                self._start_level()
            else:
                self._change(step)
        elif name == "volume":
            self.game.settings.muted = not self.game.settings.muted
        elif name == "add_child":
            self._start_typing("add", "")
            self.avatar_index = len(self.children) % max(1, len(self._avatars()))
        elif name == "rename_child":
            if self.selected_child is None:
                self.message = self.t("teacher.no_child")
            else:
                self._start_typing("rename", self.selected_child.name)
        elif name == "camera":
            self._start_typing("camera", str(self.game.settings.camera))
        elif name == "back":
            self._back()
        elif name == "quit":
            self.game.quit()

    def _start_level(self) -> None:
        child = self.selected_child
        if child is None or not self.game.levels:
            self.message = self.t("teacher.no_child")
            return
        self.game.choose_child(child, then=Next("round", {"level": self.game.levels[self.level_index]}))

    def _back(self) -> None:
        self.game.pop()

    def _avatars(self) -> list[str]:
        return avatar_names(self.game.res.assets_dir)

    def _start_typing(self, what: str, text: str) -> None:
        self.typing, self.text, self.message = what, text, ""
        pygame.key.start_text_input()

    def _handle_typing(self, event: pygame.event.Event) -> None:
        if event.type == pygame.TEXTINPUT:
            self.text = (self.text + event.text)[:60]
        elif event.type == pygame.KEYDOWN:
            if event.key == pygame.K_BACKSPACE:
                self.text = self.text[:-1]
            elif event.key == pygame.K_ESCAPE:
                self.typing = None
                pygame.key.stop_text_input()
            elif event.key in (pygame.K_LEFT, pygame.K_RIGHT) and self.typing == "add":
                names = self._avatars()
                if names:
                    self.avatar_index = (self.avatar_index + (1 if event.key == pygame.K_RIGHT else -1)) % len(names)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self._finish_typing()

    def _finish_typing(self) -> None:
        what, text = self.typing, self.text.strip()
        self.typing = None
        pygame.key.stop_text_input()
        if what == "camera":
            if text:
                self.game.change_camera(parse_camera(text))
            return
        if what == "add":
            names = self._avatars()
            avatar = names[self.avatar_index % len(names)] if names else ""
            work = lambda store: store.add_child(text, avatar).id  # noqa: E731
        elif what == "rename" and self.selected_child is not None:
            child_id = self.selected_child.id
            work = lambda store: (store.rename_child(child_id, text), child_id)[1]  # noqa: E731
        else:
            return

        def saved(child_id, error) -> None:
            self.saving = False
            if error is not None:
                self.message = str(error)   # the store explains the problem for the teacher
                return
            self.message = ""
            self._reload_children(select=child_id)

        # a write, off the UI thread and in order with the game's other writes
        self.saving = True
        self.message = self.t("teacher.saving")
        self.game.store.writer.call(work, saved)

    # ------------------------------------------------------------------------ update
    def update(self, now: float, dt: float) -> None:
        child = self.selected_child
        if self.reading_since is not None:
            return                          # one read at a time: a slow database is not asked twice
        if now - self.summary_at < SUMMARY_REFRESH_S and (child is None or child.id == self.summary_for):
            return
        self.summary_at = now
        self.reading_since = now
        child_id = child.id if child is not None else None

        def read(store) -> tuple:
            # the store's own lock can be held by a write waiting on the database: ask here
            pending, note = store.pending_count(), store.last_error
            summary, problem = None, None
            if child_id is not None:
                try:
                    summary = store.child_summary(child_id)
                except Exception as exc:  # noqa: BLE001 - the store explains the problem for the teacher
                    problem = str(exc)
            return pending, note, summary, problem

        def answered(result, error) -> None:
            self.reading_since = None
            self.status_known = True
            if result is None:
                self.summary, self.store_note = None, str(error)
            else:
                self.pending, note, self.summary, problem = result
                self.store_note = problem or note
            self.summary_for = child_id

        self.game.store.reader.call(read, answered)

    # -------------------------------------------------------------------------- draw
    def _value(self, name: str) -> str:
        settings = self.game.settings
        if name == "children":
            if self.selected_child is None:
                return self.t("teacher.loading") if self.children_loading else "-"
            return self.selected_child.name
        if name == "levels":
            return self.game.levels[self.level_index].title.get(settings.lang) if self.game.levels else "-"
        if name == "language":
            return language(settings.lang).name
        if name == "volume":
            return "-" if settings.muted else f"{round(settings.volume * 100)}%"
        if name == "difficulty":
            return self.game.phrases.table("teacher.difficulty_names", settings.lang).get(settings.difficulty.value, settings.difficulty.value)
        if name == "camera":
            return str(settings.camera)
        return ""

    def draw(self, canvas: pygame.Surface, now: float) -> None:
        res, theme = self.game.res, self.game.theme
        w, h = canvas.get_size()
        canvas.fill(theme["panel"])
        pygame.draw.rect(canvas, theme["background_band"], (0, 0, w, 96))
        blit_centered(canvas, res.text(self.t("teacher.title"), "medium", theme["ink"], bold=True), (w / 2, 48))
        labels = {"children": "teacher.children", "add_child": "teacher.add_child", "rename_child": "teacher.rename_child",
                  "levels": "teacher.levels", "language": "teacher.language", "volume": "teacher.volume",
                  "difficulty": "teacher.difficulty", "camera": "teacher.camera", "back": "teacher.back",
                  "quit": "teacher.quit"}
        for i, name in enumerate(ROWS):
            rect = pygame.Rect(40, 120 + i * ROW_H, 620, ROW_H - 8)
            focused = i == self.row
            pygame.draw.rect(canvas, theme["star"] if focused else theme["background"], rect, border_radius=14)
            label = res.text(self.t(labels[name]), "tiny", theme["ink"], bold=True)
            canvas.blit(label, (rect.x + 16, rect.centery - label.get_height() // 2))
            value = self._value(name)
            if value:
                room = rect.width - label.get_width() - 64
                text = res.fitted(f"<  {value}  >" if focused and name not in ("camera",) else value, "tiny", room,
                                  theme["ink_soft"], bold=True)
                canvas.blit(text, (rect.right - 16 - text.get_width(), rect.centery - text.get_height() // 2))
        if self.typing is not None:
            self._draw_typing(canvas)
        self._draw_summary(canvas, pygame.Rect(690, 120, w - 730, h - 180))
        if self.message:
            for i, line in enumerate(res.wrapped(self.message, "tiny", w - 80, theme["accent_dark"], max_lines=2)):
                canvas.blit(line, (40, h - 64 + i * 28))

    def _draw_typing(self, canvas: pygame.Surface) -> None:
        res, theme = self.game.res, self.game.theme
        box = pygame.Rect(120, 220, canvas.get_width() - 240, 280)
        pygame.draw.rect(canvas, theme["panel"], box, border_radius=24)
        pygame.draw.rect(canvas, theme["accent"], box, 6, border_radius=24)
        hint = self.t("teacher.camera_hint") if self.typing == "camera" else self.t("teacher.type_name")
        canvas.blit(res.text(hint, "tiny", theme["ink_soft"]), (box.x + 30, box.y + 24))
        field = pygame.Rect(box.x + 30, box.y + 70, box.width - 60 - (150 if self.typing == "add" else 0), 76)
        pygame.draw.rect(canvas, theme["background"], field, border_radius=14)
        cursor = "|" if int(self.game.now * 2) % 2 == 0 else " "
        canvas.blit(res.font("medium", bold=True).render(self.text + cursor, True, theme["ink"]), (field.x + 16, field.y + 12))
        if self.typing == "add":
            names = self._avatars()
            if names:
                avatar = names[self.avatar_index % len(names)]
                draw_avatar(canvas, res, self.text or "?", avatar, (box.right - 100, box.y + 108), 62)
                canvas.blit(res.text(self.t("teacher.choose_picture"), "tiny", theme["ink_soft"]), (box.x + 30, box.y + 170))

    def _draw_summary(self, canvas: pygame.Surface, rect: pygame.Rect) -> None:
        res, theme = self.game.res, self.game.theme
        lang = self.game.settings.lang
        pygame.draw.rect(canvas, theme["background"], rect, border_radius=20)
        x, y = rect.x + 24, rect.y + 18
        child = self.selected_child
        if child is not None:
            self.draw_child(canvas, child, (rect.right - 60, rect.y + 52), 36)
            canvas.blit(res.text(self.t("teacher.summary", name=child.name), "small", theme["ink"], bold=True), (x, y))
            y += 60
        summary = self.summary if child is not None and self.summary_for == child.id else None
        if child is not None and summary is None and self.reading_since is not None:
            canvas.blit(res.text(self.t("teacher.loading"), "tiny", theme["ink_soft"]), (x, y))
            y += 36
        if summary:
            header = f"{self.t('teacher.attempts')} / {self.t('teacher.success')} / {self.t('teacher.median_time')}"
            canvas.blit(res.text(header, "tiny", theme["ink_soft"]), (x, y))
            y += 36
            for emotion, stats in summary.get("emotions", {}).items():
                rate = stats.get("success_rate")
                median = stats.get("median_time_to_match_s")
                word = self.game.phrases.get(f"emotions.{emotion}", lang)
                line = (f"{word}:  {stats.get('attempts', 0)}  /  {'-' if rate is None else f'{round(rate * 100)}%'}"
                        f"  /  {'-' if median is None else f'{median:.1f} s'}")
                canvas.blit(res.text(line, "tiny", theme["ink"], bold=True), (x + 10, y))
                y += 34
            y += 10
            practise = summary.get("needs_practice")
            if practise:
                word = self.game.phrases.get(f"emotions.{practise}", lang)
                canvas.blit(res.text(f"{self.t('teacher.needs_practice')}: {word}", "tiny", theme["accent_dark"], bold=True), (x, y))
                y += 32
            reason = (summary.get("needs_practice_reason") or {}).get(lang, "")
            for line in res.wrapped(reason, "tiny", rect.width - 48,
                                    theme["ink_soft"], max_lines=2):
                canvas.blit(line, (x, y))
                y += 28
        y += 14
        notes = []
        slow = self.reading_since is not None and self.game.now - self.reading_since >= STORE_SLOW_S
        if slow:
            notes.append((self.t("teacher.store_slow"), theme["accent_dark"]))
        if self.pending:
            notes.append((self.t("teacher.pending", n=self.pending), theme["accent_dark"]))
        elif self.status_known:
            notes.append((self.t("teacher.saved"), theme["good"]))
        elif not slow:
            notes.append((self.t("teacher.loading"), theme["ink_soft"]))
        unsaved = self.game.session.unsaved_calibrations
        if unsaved:
            notes.append((self.t("teacher.calibration_pending", n=len(unsaved)),
                          theme["accent_dark"]))
        if self.store_note:
            notes.append((self.t("teacher.store_error", error=self.store_note), theme["accent_dark"]))
        write_error = self.game.store.writer.error
        if write_error and write_error != self.store_note:
            notes.append((self.t("teacher.store_error", error=write_error), theme["accent_dark"]))
        if self.game.speech.error and self.game.speech.error != "muted":
            notes.append((self.t("teacher.speech_off", error=self.game.speech.error), theme["ink_soft"]))
        elif self.game.speech.problems:
            # speech is still on, but a line was skipped (its caption was shown)
            notes.append((self.t("teacher.speech_skipped", error=self.game.speech.problems[-1]), theme["ink_soft"]))
        if self.game.model_problem:
            notes.append((self.t("teacher.model_problem", error=self.game.model_problem), theme["accent_dark"]))
        camera_error = getattr(self.game.camera, "error", None)
        if camera_error and camera_error != self.game.model_problem:
            notes.append((f"{self.t('teacher.camera')}: {camera_error}", theme["accent_dark"]))
        for note in self.game.notes[-2:]:
            notes.append((note, theme["ink_soft"]))
        for problem in self.game.level_problems[:2]:
            notes.append((str(problem), theme["ink_soft"]))
        for text, colour in notes:
            for line in res.wrapped(text, "tiny", rect.width - 48, colour, max_lines=NOTE_LINES):
                if y > rect.bottom - 30:
                    return
                canvas.blit(line, (x, y))
                y += 28
