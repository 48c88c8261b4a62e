"""The teacher area: children (add, rename, change the picture, ask for a calm face again,
remove), levels, language, volume, difficulty, camera, the teacher PIN, quit, and how the
chosen child is doing. Pushed over the game after the teacher gate (or Ctrl+Shift+T held two
seconds); Esc or "Back to the game" pops it, and the game carries on where it was.

Everything works by touch: a tap on a row acts (or steps its value), names are typed on the
on-screen keyboard of the child form, and every question ("Quit the game?", "Remove Ana?")
is its own screen with plain answers. Up/Down, Left/Right and Enter work too.

The right panel shows the chosen child's progress (a sentence on every emotion, what to
practise next and why, skips counted apart) and the kiosk's notes. The store's note about
unsaved results is always shown whole: the panel gives it room first.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pygame

from game.play.practice import teacher_lines_by_lang
from game.play.scenes.base import Scene
from game.play.services import Next, Services
from game.play.thresholds import Difficulty
from game.play.widgets import avatar_names, blit_centered
from game.vocabulary import LANGUAGE_CODES, language

ROWS = ("children", "add_child", "edit_child", "levels", "language", "volume", "difficulty", "camera",
        "pin", "back", "quit")
LABELS = {"children": "teacher.children", "add_child": "teacher.add_child", "edit_child": "teacher.edit_child",
          "levels": "teacher.levels", "language": "teacher.language", "volume": "teacher.volume",
          "difficulty": "teacher.difficulty", "camera": "teacher.camera", "pin": "teacher.pin",
          "back": "teacher.back", "quit": "teacher.quit"}
ROWS_TOP = 112
ROW_H = 48
SUMMARY_PANEL = pygame.Rect(690, 112, 550, 540)
LINE_H = 27
SUMMARY_REFRESH_S = 2.0
#: A read for the panel that takes longer than this: say the database is slow and progress is safe.
STORE_SLOW_S = 1.0
#: A note other than the store's (speech, camera, a level file) gets this many lines at most.
NOTE_LINES = 4
#: A store note too long for the panel in the usual type is drawn at this size (px), whole.
SMALL_NOTE_PX = 19


class TeacherScene(Scene):
    name = "teacher"
    shows_caption = False
    for_grown_ups = True
    teacher_area = True
    watches_idle = False
    screenshot_after_s = 0.0

    def __init__(self, game: Services):
        super().__init__(game)
        self.row = 0
        self.children = []
        self.child_index = 0
        self.level_index = 0
        self.message = ""
        self.summary: dict | None = None
        self.summary_for: int | None = None
        self.summary_at = -1e9
        self.pending = 0
        self.status = None                    # the store's StoreStatus, once it has answered
        self.store_note: str | None = None    # the store's whole note (StoreStatus.message)
        self.calibrated: bool | None = None   # the chosen child has a calm face stored
        self.status_known = False             # the store has answered once since the area opened
        self.reading_since: float | None = None   # a read for the panel is on its way (off the UI thread)
        self.children_loading = False
        self.select_after: int | None = None  # a child saved in the child form: choose them
        self.playing_child_removed = False    # back to the welcome screen, not to their game

    def enter(self, now: float) -> None:
        super().enter(now)
        self.game.speech.silence()
        child = self.game.session.child
        self._reload_children(select=child.id if child is not None else None)

    def resume(self, now: float) -> None:
        super().resume(now)
        chosen = self.selected_child
        self._reload_children(select=self.select_after if self.select_after is not None else (
            chosen.id if chosen is not None else None))
        self.select_after = None
        self.summary_at = -1e9

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
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.FINGERDOWN):
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

    def row_rect(self, index: int) -> pygame.Rect:
        return pygame.Rect(40, ROWS_TOP + index * ROW_H, 620, ROW_H - 8)

    def _row_at(self, pos: tuple[int, int]) -> int | None:
        return next((i for i in range(len(ROWS)) if self.row_rect(i).collidepoint(pos)), None)

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
        self.message = ""
        if name in ("children", "language", "difficulty"):
            self._change(step)
        elif name == "levels":
            self._start_level()
        elif name == "volume":
            self.game.settings.muted = not self.game.settings.muted
        elif name == "add_child":
            self.game.push("child_form", what="add", avatar=self._free_animal(), done=self._saved)
        elif name == "edit_child":
            self._ask_about_child()
        elif name == "camera":
            self.game.push("child_form", what="camera", text=str(self.game.settings.camera))
        elif name == "pin":
            if self.game.gate.pin.in_settings:
                self.message = self.t("teacher.pin_in_settings")
            else:
                self.game.push("gate", purpose="change")
        elif name == "back":
            self._back()
        elif name == "quit":
            self.game.push("ask", key="ask-quit", question=self.t("teacher.quit_question"),
                           details=self.t("teacher.quit_details"),
                           answers=[("quit", self.t("teacher.quit"), "accent_dark"),
                                    ("", self.t("teacher.stay"), "good")],
                           answered=lambda action: self.game.quit() if action == "quit" else None)

    def _free_animal(self) -> str:
        """An animal no child has yet (the first one when all are taken)."""
        animals = avatar_names(self.game.res.assets_dir)
        taken = {c.avatar for c in self.children}
        return next((a for a in animals if a not in taken), animals[len(self.children) % len(animals)] if animals else "")

    def _saved(self, child_id: int | None) -> None:
        self.select_after = child_id

    def _start_level(self) -> None:
        child = self.selected_child
        if child is None or not self.game.levels:
            self.message = self.t("teacher.no_child")
            return
        self.game.choose_child(child, then=Next("round", {"level": self.game.levels[self.level_index]}))

    def _back(self) -> None:
        self.game.pop()
        if self.playing_child_removed:
            self.game.replace("welcome")      # what was underneath was the removed child's game

    # ----------------------------------------------------------- one child's questions
    def _ask_about_child(self) -> None:
        child = self.selected_child
        if child is None:
            self.message = self.t("teacher.no_child")
            return
        calm = {True: "teacher.calm_face_kept", False: "teacher.calm_face_none"}.get(self.calibrated)
        self.game.push("ask", key="ask-child", question=child.name, details=self.t(calm) if calm else "",
                       answers=[("rename", self.t("teacher.rename_child"), "accent"),
                                ("calibration", self.t("teacher.calm_face_again"), "accent"),
                                ("remove", self.t("teacher.remove_child", name=child.name), "accent_dark"),
                                ("", self.t("teacher.cancel"), "good")],
                       answered=lambda action: self._about_child(child, action))

    def _about_child(self, child, action: str) -> None:
        if action == "rename":
            self.game.push("child_form", what="rename", text=child.name, avatar=child.avatar, child_id=child.id,
                           done=self._saved)
        elif action == "calibration":
            self._forget_calibration(child)
        elif action == "remove":
            rounds = (self.summary or {}).get("rounds", 0) if self.summary_for == child.id else 0
            self.game.push("ask", key="ask-remove", question=self.t("teacher.remove_question", name=child.name),
                           details=self.t("teacher.remove_details", name=child.name, n=rounds),
                           answers=[("archive", self.t("teacher.archive_child", name=child.name), "accent"),
                                    ("delete", self.t("teacher.delete_child", name=child.name), "accent_dark"),
                                    ("", self.t("teacher.cancel"), "good")],
                           answered=lambda answer: self._remove(child, answer, rounds))

    def _remove(self, child, answer: str, rounds: int) -> None:
        if answer == "archive":
            self._write(lambda store: store.archive_child(child.id), self.t("teacher.archived", name=child.name))
        elif answer == "delete":
            self.game.push("ask", key="ask-delete", question=self.t("teacher.delete_question", name=child.name, n=rounds),
                           details=self.t("teacher.delete_details"),
                           answers=[("delete", self.t("teacher.delete_for_good"), "accent_dark"),
                                    ("", self.t("teacher.cancel"), "good")],
                           answered=lambda again: self._delete(child) if again == "delete" else None)

    def _delete(self, child) -> None:
        session = self.game.session
        if session.child is not None and session.child.id == child.id:
            session.leave()                  # their game ends first, so nothing more is recorded for them
            self.playing_child_removed = True
        session.unsaved_calibrations.pop(child.id, None)
        self._write(lambda store: store.delete_child(child.id), self.t("teacher.deleted", name=child.name))

    def _forget_calibration(self, child) -> None:
        session = self.game.session
        session.unsaved_calibrations.pop(child.id, None)   # a kept one would be stored again
        if session.child is not None and session.child.id == child.id:
            session.calibration = None
        self._write(lambda store: store.clear_calibration(child.id), self.t("teacher.calm_face_forgotten", name=child.name))

    def _write(self, work, done_message: str) -> None:
        """A teacher's change to the store, off the UI thread and in order with the game's writes."""
        def answered(_result, error) -> None:
            self.message = str(error) if error is not None else done_message
            self._reload_children()
            self.summary_at = -1e9

        self.message = self.t("teacher.saving")
        self.game.store.writer.call(work, answered)

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
            status = store.status()
            summary, calibrated, problem = None, None, None
            if child_id is not None:
                try:
                    summary = store.child_summary(child_id)
                    # recognises / shows per emotion and what practice works on (game.play.practice)
                    summary["learning"] = teacher_lines_by_lang(store.attempts(child_id), datetime.now(timezone.utc),
                                                                self.game.phrases)
                    calibrated = store.get_calibration(child_id) is not None
                except Exception as exc:  # noqa: BLE001 - the store explains the problem for the teacher
                    problem = str(exc)
            return status, summary, calibrated, problem

        def answered(result, error) -> None:
            self.reading_since = None
            self.status_known = True
            if result is None:
                self.summary, self.store_note = None, str(error)
            else:
                self.status, self.summary, self.calibrated, problem = result
                self.pending = self.status.pending
                self.store_note = self.status.message
                if problem and problem not in (self.store_note or ""):
                    self.store_note = f"{self.store_note} {problem}" if self.store_note else problem
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
        stepped = ("children", "levels", "language", "volume", "difficulty")
        for i, name in enumerate(ROWS):
            rect = self.row_rect(i)
            focused = i == self.row
            pygame.draw.rect(canvas, theme["star"] if focused else theme["background"], rect, border_radius=14)
            label = res.text(self.t(LABELS[name]), "tiny", theme["ink"], bold=True)
            canvas.blit(label, (rect.x + 16, rect.centery - label.get_height() // 2))
            value = self._value(name)
            if value:
                room = rect.width - label.get_width() - 64
                text = res.fitted(f"<  {value}  >" if focused and name in stepped else value, "tiny", room,
                                  theme["ink_soft"], bold=True)
                canvas.blit(text, (rect.right - 16 - text.get_width(), rect.centery - text.get_height() // 2))
        self._draw_summary(canvas, SUMMARY_PANEL)
        footer = self.message or self.t("teacher.hold_hint")
        colour = theme["accent_dark"] if self.message else theme["ink_soft"]
        for i, line in enumerate(res.wrapped(footer, "tiny", w - 80, colour, max_lines=2)):
            canvas.blit(line, (40, h - 62 + i * 28))

    # -------------------------------------------------------------- the right panel
    def _progress_texts(self, summary: dict) -> list[tuple[str, str, bool]]:
        """The child's progress as (text, colour name, bold), most important first."""
        lang = self.game.settings.lang
        texts = [(self.t("teacher.rounds", rounds=summary.get("rounds", 0), matched=summary.get("matched", 0),
                         timed_out=summary.get("timed_out", 0), skipped=summary.get("skipped", 0)), "ink_soft", False)]
        advice = (summary.get("emotion_advice") or {}).get(lang, {})
        for emotion, stats in summary.get("emotions", {}).items():
            sentence = advice.get(emotion, "")
            median = stats.get("median_time_to_match_s")
            if median is not None:
                sentence += " " + self.t("teacher.median", s=f"{median:.1f}")
            texts.append((sentence, "ink", False))
        practise = summary.get("needs_practice")
        word = self.game.phrases.get(f"emotions.{practise}", lang) if practise else self.t("teacher.nothing_stands_out")
        texts.append((f"{self.t('teacher.needs_practice')}: {word}", "accent_dark", True))
        reason = (summary.get("needs_practice_reason") or {}).get(lang, "")
        if reason:
            texts.append((reason, "ink_soft", False))
        texts += [(line, "ink", False) for line in (summary.get("learning") or {}).get(lang, [])]
        return texts

    def _store_texts(self, slow: bool) -> list[tuple[str, str, bool]]:
        """What the store says about the results: shown whole, whatever else has to give way."""
        status = self.status
        texts = []
        if slow:
            texts.append((self.t("teacher.store_slow"), "accent_dark", False))
        if status is not None and status.only_in_memory:
            texts.append((self.t("teacher.memory_only", n=status.pending), "accent_dark", True))
        elif self.pending:
            texts.append((self.t("teacher.pending", n=self.pending), "accent_dark", False))
        elif self.status_known:
            texts.append((self.t("teacher.saved"), "good", False))
        elif not slow:
            texts.append((self.t("teacher.loading"), "ink_soft", False))
        if status is not None and status.children_from_copy:
            texts.append((self.t("teacher.children_copy"), "accent_dark", False))
        if self.store_note:
            texts.append((self.t("teacher.store_error", error=self.store_note), "accent_dark", False))
        return texts

    def _other_texts(self) -> list[tuple[str, str, bool]]:
        game = self.game
        texts = []
        unsaved = game.session.unsaved_calibrations
        if unsaved:
            texts.append((self.t("teacher.calibration_pending", n=len(unsaved)), "accent_dark", False))
        write_error = game.store.writer.error
        if write_error and write_error not in (self.store_note or ""):
            texts.append((self.t("teacher.store_error", error=write_error), "accent_dark", False))
        if game.model_problem:
            texts.append((self.t("teacher.model_problem", error=game.model_problem), "accent_dark", False))
        camera_error = getattr(game.camera, "error", None)
        if camera_error and camera_error != game.model_problem:
            texts.append((f"{self.t('teacher.camera')}: {camera_error}", "accent_dark", False))
        if game.gate.pin.problem:
            texts.append((self.t("teacher.pin_not_kept", error=game.gate.pin.problem), "accent_dark", False))
        if game.speech.error and game.speech.error != "muted":
            texts.append((self.t("teacher.speech_off", error=game.speech.error), "ink_soft", False))
        elif game.speech.problems:
            # speech is still on, but a line was skipped (its caption was shown)
            texts.append((self.t("teacher.speech_skipped", error=game.speech.problems[-1]), "ink_soft", False))
        texts.extend((note, "ink_soft", False) for note in list(game.notes)[-2:])
        texts.extend((str(problem), "ink_soft", False) for problem in game.level_problems[:2])
        return texts

    def _lines(self, texts, width: int, max_lines: int | None = None, size: int | str = "tiny") -> list[pygame.Surface]:
        res, theme = self.game.res, self.game.theme
        lines = []
        for text, colour, bold in texts:
            lines.extend(res.wrapped(text, size, width, theme[colour], bold=bold, max_lines=max_lines))
        return lines

    def _store_lines(self, slow: bool, width: int, room: int) -> tuple[list[pygame.Surface], int]:
        """The store's note, whole, and its line height: in smaller type when the usual size
        would not fit in `room` pixels (a long path in the message), never cut."""
        texts = self._store_texts(slow)
        lines = self._lines(texts, width)
        if len(lines) * LINE_H <= room:
            return lines, LINE_H
        return self._lines(texts, width, size=SMALL_NOTE_PX), SMALL_NOTE_PX + 3

    def _draw_summary(self, canvas: pygame.Surface, rect: pygame.Rect) -> None:
        res, theme = self.game.res, self.game.theme
        pygame.draw.rect(canvas, theme["background"], rect, border_radius=20)
        x, y = rect.x + 24, rect.y + 16
        width = rect.width - 48
        bottom = rect.bottom - 12
        child = self.selected_child
        summary = self.summary if child is not None and self.summary_for == child.id else None
        slow = self.reading_since is not None and self.game.now - self.reading_since >= STORE_SLOW_S
        # The store's note is laid out first and kept whole; the progress takes the room above it.
        store_lines, store_h = self._store_lines(slow, width, rect.height - 90)
        store_top = bottom - len(store_lines) * store_h
        if child is not None:
            self.draw_child(canvas, child, (rect.right - 52, rect.y + 48), 34)
            title = res.fitted(self.t("teacher.summary", name=child.name), "small", width - 80, theme["ink"], bold=True)
            canvas.blit(title, (x, y))
            y += 54
        if child is not None and summary is None and self.reading_since is not None:
            canvas.blit(res.text(self.t("teacher.loading"), "tiny", theme["ink_soft"]), (x, y))
            y += LINE_H + 6
        if summary:
            for text in self._progress_texts(summary):
                lines = self._lines([text], width)
                if y + len(lines) * LINE_H > store_top - 8:
                    break                     # the rest is in the report; the store's note is not cut
                for line in lines:
                    canvas.blit(line, (x, y))
                    y += LINE_H
                y += 5
        y = max(y + 6, rect.y + 70)
        store_y = min(y, store_top)
        others = self._lines(self._other_texts(), width, max_lines=NOTE_LINES)
        for line in store_lines:
            canvas.blit(line, (x, store_y))
            store_y += store_h
        for line in others:
            if store_y + LINE_H > bottom:
                break
            canvas.blit(line, (x, store_y))
            store_y += LINE_H
