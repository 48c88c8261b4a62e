"""Recognise rounds and practice, played end to end by taps through the real game (build_game,
real SQLite, real pygame on the dummy driver, no camera at all), in English and in Bahasa
Indonesia; every new scene is saved as a screenshot (to /tmp/team/shots-learn/<lang>/ when that
folder exists, for review), and the real teacher report shows what was recognised apart from
what was shown."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pygame
import pytest

from game.levels import DEFAULT_ASSETS_DIR, DEFAULT_LEVELS_DIR, load_levels
from game.play import build
from game.play.app import Game
from game.play.build import build_game
from game.progress import Store, open_store
from game.progress.report import build_report
from tests.play.harness import Driver, game_options
from tests.play.observations import obs

REVIEW_SHOTS = Path("/tmp/team/shots-learn")


def shots_dir(tmp_path: Path, lang: str, what: str) -> Path:
    return (REVIEW_SHOTS if REVIEW_SHOTS.is_dir() and not os.environ.get("CI") else tmp_path / "shots") / lang / what


@contextmanager
def playing(tmp_path: Path, lang: str, what: str, **options) -> Iterator[tuple[Store, Game, Driver, Path]]:
    """The real game on the shipped levels in `lang` with its own store, no calibration first
    (taps need no face) and `options`, saving its scenes to `shots_dir(..., what)`: the store,
    the game, its driver and that folder, closed again afterwards."""
    shots = shots_dir(tmp_path, lang, what)
    store = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    levels = load_levels(DEFAULT_LEVELS_DIR, DEFAULT_ASSETS_DIR).levels
    game = build_game(replace(game_options(store, levels, screenshot_dir=shots, lang=lang), calibrate=False, **options),
                      note=lambda text: None)
    try:
        yield store, game, Driver(game), shots
    finally:
        game.close()
        store.close()


def tap(d: Driver, canvas_pos: tuple[int, int]) -> None:
    """A real mouse press posted to pygame's queue, taken off it as the game loop does."""
    game = d.game
    area = game.screen.area
    window = (area.x + canvas_pos[0] * area.width / game.size[0], area.y + canvas_pos[1] * area.height / game.size[1])
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(int(window[0]), int(window[1])), button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(int(window[0]), int(window[1])), button=1))
    d.run(1 / 30, pygame.event.get())


def choice_at(scene, emotion: str) -> tuple[int, int]:
    index = next(i for i, c in enumerate(scene.choices) if c.emotion == emotion)
    return scene.buttons.buttons[index].rect.center


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_recognise_level_plays_by_taps_without_a_camera(lang, tmp_path):
    with playing(tmp_path, lang, "recognise", level="happy-or-sad") as (store, game, d, shots):
        d.source = lambda now: None               # the camera is out: recognise rounds need none
        build.start(game, "Dimas")
        d.run(3.0, until=lambda g: g.scene.name == "recognise")
        level = game.scene.level
        assert (level.id, level.mode, game.scene.round_index) == ("happy-or-sad", "recognise", 0)
        taps = []
        for index, rnd in enumerate(level.rounds):
            d.run(3.0, until=lambda g, i=index: g.scene.name == "recognise" and g.scene.round_index == i)
            scene = game.scene
            assert scene.name == "recognise" and scene.round_index == index
            assert {c.emotion for c in scene.choices} == set(rnd.choices)
            assert len({c.picture.stem.split("-")[1] for c in scene.choices}) == len(scene.choices)  # other children
            d.run(1.0)
            wrong = index == 1
            answer = next(e for e in rnd.choices if e != rnd.emotion) if wrong else rnd.emotion
            tap(d, choice_at(scene, answer))
            taps.append(answer)
            assert scene.phase == ("wrong" if wrong else "right")
            d.run(1.0)                                # the right face glows (and is named after a wrong tap)
            if wrong:
                assert game.scene is scene and game.speech.caption.startswith(
                    {"en": "This is the sad face.", "id": "Ini wajah sedih."}[lang])
            d.run(6.0, until=lambda g: g.scene.name in ("recognise", "summary") and g.scene is not scene)
        d.run(2.0)
        assert game.scene.name == "summary" and game.scene.score.stars == 2      # 4 of 5 right
        store.flush()
        attempts = store.attempts()
        assert [(a.kind, a.emotion, a.answer, a.outcome) for a in attempts] == [
            ("recognise", rnd.emotion, answer, "matched" if answer == rnd.emotion else "wrong")
            for rnd, answer in zip(level.rounds, taps)]
        assert all(a.time_to_match_s and a.time_to_match_s >= 1.0 for a in attempts if a.outcome == "matched")
        assert store.level_stars(attempts[0].child_id) == {"happy-or-sad": 2}
        # the real report: recognised apart from shown
        report = build_report(store, tmp_path / "report", lang=lang).html.read_text(encoding="utf-8")
        table = report.split('data-table="recognise-show"', 1)[1].split("</table>", 1)[0]
        sad = re.search(r'<tr data-emotion="sad">(.*?)</tr>', table, re.S).group(1)
        assert re.search(r'data-kind="recognise">2/3 ', sad) and re.search(r'data-kind="show">— ', sad)
    saved = {re.sub(r"^\d+-", "", p.stem) for p in shots.glob("*.png")}
    assert {"recognise-ask", "recognise-ask-story", "recognise-right", "recognise-wrong"} <= saved


@pytest.mark.parametrize("lang", ["en", "id"])
def test_practice_from_the_map_follows_the_childs_record(lang, tmp_path):
    with playing(tmp_path, lang, "practice") as (store, game, d, shots):
        build.start(game, "Sari")
        d.run(3.0, until=lambda g: g.scene.name == "map")
        child = game.session.child
        # Sari's record: happy comes easily, sad not yet
        from tests.play.test_practice_rules import record
        for attempt in record("happy:MMMM", "sad:TTMT", "fear:MMT"):
            store.record_attempt(replace(attempt, child_id=child.id, session_id=game.session.session_id))
        store.flush()
        d.run(1.0)
        button = next(b for b in game.scene.buttons.buttons if b.action == "practice")
        tap(d, button.rect.center)
        d.run(1.0, until=lambda g: g.scene.name == "practice" and g.scene.level is not None)
        scene = game.scene
        assert scene.name == "practice" and scene.plan.focus == "sad"
        assert scene.plan.emotions == ("happy", "sad", "fear", "sad", "sad", "happy")
        d.run(1.0)
        tap(d, scene.buttons.buttons[0].rect.center)
        d.run(0.2)
        assert game.scene.name == "round" and game.scene.level.id == "practice"
        assert game.scene.round.emotion == "happy"
        d.source = lambda now: obs(now, "happy", 0.95)
        d.run(8.0, until=lambda g: g.scene.name == "round" and g.scene.round_index == 1)
        assert game.scene.round.emotion == "sad"
        store.flush()
        stored = store.attempts(child.id)
        assert (stored[-1].level_id, stored[-1].emotion, stored[-1].outcome) == ("practice", "happy", "matched")
    saved = {re.sub(r"^\d+-", "", p.stem) for p in shots.glob("*.png")}
    assert {"map", "practice"} <= saved


@pytest.mark.parametrize("lang", ["en", "id"])
def test_teacher_area_says_recognises_shows_and_practising(lang, tmp_path):
    with playing(tmp_path, lang, "teacher") as (store, game, d, shots):
        build.start(game, "Sari")
        d.run(3.0, until=lambda g: g.scene.name == "map")
        child, session = game.session.child, game.session.session_id
        from datetime import datetime, timedelta, timezone

        from tests.play.test_practice_rules import NOW, record
        two_days_ago = (NOW - (datetime.now(timezone.utc) - timedelta(days=2))) / timedelta(days=1)
        for attempt in (record("happy:MMMM", "sad:TTMTTM", "fear:MMT", days_ago=two_days_ago)
                        + record("sad:MMW", kind="recognise", days_ago=two_days_ago)):
            store.record_attempt(replace(attempt, child_id=child.id, session_id=session))
        store.flush()
        game.push("teacher")
        d.run(3.0, until=lambda g: g.scene.name == "teacher" and g.scene.summary is not None)
        d.run(0.5)
        texts = [text for text, _colour, _bold in game.scene._progress_texts(game.scene.summary)]
        expected = {"en": ["Recognises: happy -, sad 2/3, scared -", "Shows: happy 4/4, sad 2/6, scared 2/3",
                           "Practising sad: 2 of 6 matched last week"],
                    "id": ["Mengenali: senang -, sedih 2/3, takut -", "Menunjukkan: senang 4/4, sedih 2/6, takut 2/3",
                           "Berlatih sedih: 2 dari 6 berhasil minggu lalu"]}[lang]
        assert texts[-3:] == expected
        shots.mkdir(parents=True, exist_ok=True)
        pygame.image.save(game.canvas, str(shots / "02-teacher-progress.png"))   # the panel once it has read
