"""Issue 14, the child's side (items 1-4, 6) and the settings the game reads: the real game on
SDL's dummy drivers, a real SQLite store, the shipped levels and the shipped model card."""

from __future__ import annotations

import argparse

import pygame
import pytest

from game.levels import load_levels
from game.levels.model import Unlock
from game.play.build import build_game, start
from game.play.commands import options_from_args
from game.play.rules import RoundJudge, judge_observations
from game.play.services import Next
from game.play.widgets import avatar_names, draw_gauge
from game.progress import open_store
from game.resources import assets_dir, levels_dir
from tests.play.harness import Driver, make_game
from tests.play.observations import CALM, obs

SHIPPED = load_levels(levels_dir(), assets_dir()).levels


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'p.sqlite3'}", journal_dir=tmp_path / "journal")
    yield s
    s.close()


def drive(store, lang="en", levels=None) -> Driver:
    return Driver(make_game(store, levels or SHIPPED, lang=lang))


def level(level_id):
    return next(lv for lv in SHIPPED if lv.id == level_id)


def calm(now):
    return obs(now, probs=CALM)


def in_round(d: Driver, store, level_id="meet-happy", index=0):
    ana = store.add_child("Ana", "cat")
    store.set_calibration(ana.id, {})
    d.game.choose_child(ana, then=Next("round", {"level": level(level_id), "round_index": index}))
    d.source = calm
    d.run(0.5, until=lambda g: g.scene.name == "round")
    return ana


def mouse(kind, pos):
    return pygame.event.Event(kind, pos=pos, button=1)


# ----------------------------------------------------------------- 1. no dead end
def test_an_empty_kiosk_reloads_the_children_after_the_teacher_area_and_has_a_way_back(store):
    d = drive(store)
    try:
        d.game.replace("welcome")
        d.run(0.3)
        d.press(pygame.K_RETURN)
        assert d.scene == "choose-empty"
        d.game.open_teacher()                 # the teacher area over the choose screen
        d.run(0.3)
        assert d.game.scene.name == "teacher"
        for name, animal in (("Ana", "cat"), ("Budi", "lion"), ("Citra", "owl")):
            store.add_child(name, animal)     # what the teacher area's "add a child" stores
        d.game.pop()                          # back from the teacher area
        d.run(0.3)
        assert d.scene == "choose"
        assert [c.name for c in d.game.scene.children] == ["Ana", "Budi", "Citra"]
        home = next(b for b in d.game.scene.buttons.buttons if b.action == "welcome")
        d.click(home.rect.center)
        assert d.scene == "welcome"
    finally:
        d.game.close()


def test_the_empty_choose_screen_goes_back_to_welcome(store):
    d = drive(store, lang="id")
    try:
        d.game.replace("choose")
        d.run(0.3)
        assert d.scene == "choose-empty"
        d.press(pygame.K_RETURN)              # the only button: the house
        assert d.scene == "welcome"
    finally:
        d.game.close()


# ----------------------------------------------------------- 2. no skipping by tapping
def test_a_tap_on_the_skip_arrow_skips_nothing_and_a_two_second_hold_skips_stored_as_a_skip(store):
    d = drive(store)
    try:
        ana = in_round(d, store)
        d.run(2.0)
        arrow = d.game.scene.skip_button.rect.center
        for _ in range(3):                    # three quick taps: still the first round
            d.run(1 / 30, [mouse(pygame.MOUSEBUTTONDOWN, arrow)])
            d.run(0.3)
            d.run(1 / 30, [mouse(pygame.MOUSEBUTTONUP, arrow)])
        assert d.game.scene.name == "round" and d.game.scene.round_index == 0
        d.run(1 / 30, [mouse(pygame.MOUSEBUTTONDOWN, arrow)])
        d.run(1.0)
        assert d.game.scene.round_index == 0 and d.game.scene.skip_held_since is not None   # the ring fills
        d.run(1.2)
        assert d.game.scene.name == "round" and d.game.scene.round_index == 1
        assert d.game.store.writer.drain()
        assert [a.outcome for a in store.attempts(ana.id)] == ["skipped"]
    finally:
        d.game.close()


TWO_LEVELS = {
    "first": '''
id = "first"
order = 1
title = { en = "First", id = "Pertama" }
[[rounds]]
emotion = "happy"
picture = "faces/happy-1.png"
prompt = { en = "Smile!", id = "Senyum!" }
[[rounds]]
emotion = "sad"
picture = "faces/sad-1.png"
prompt = { en = "Sad face!", id = "Wajah sedih!" }
[[rounds]]
emotion = "happy"
picture = "faces/happy-2.png"
prompt = { en = "Smile again!", id = "Senyum lagi!" }
''',
    "second": '''
id = "second"
order = 2
title = { en = "Second", id = "Kedua" }
unlock = { after = "first" }
[[rounds]]
emotion = "fear"
picture = "faces/fear-1.png"
prompt = { en = "Scared face!", id = "Wajah takut!" }
'''}


def test_a_level_skipped_through_gives_no_star_and_opens_nothing(store, tmp_path):
    for name, text in TWO_LEVELS.items():
        (tmp_path / f"{name}.toml").write_text(text)
    level_set = load_levels(tmp_path, assets_dir())
    assert level_set.ok, level_set.problems
    first, second = level_set.levels
    d = Driver(make_game(store, level_set.levels))
    try:
        ana = store.add_child("Ana", "cat")
        store.set_calibration(ana.id, {})
        d.game.choose_child(ana, then=Next("round", {"level": first, "round_index": 0}))
        d.source = calm
        for _ in range(3):
            d.run(0.3, until=lambda g: g.scene.name == "round")
            arrow = d.game.scene.skip_button.rect.center
            d.run(2.2, [mouse(pygame.MOUSEBUTTONDOWN, arrow)], until=lambda g: g.scene.name != "round"
                  or g.scene.skip_held_since is None)
        assert d.scene == "summary" and d.game.scene.score.stars == 0
        assert d.game.store.writer.drain()
        assert [a.outcome for a in store.attempts(ana.id)] == ["skipped"] * 3
        d.game.replace("map")
        d.run(0.3)
        assert store.level_stars(ana.id) == {"first": 0}
        assert not d.game.scene.unlocked(second)
        d.game.session.finish_level("first", 1, 100)     # one face made: now it opens
        d.game.replace("map")
        d.run(0.3)
        assert d.game.scene.unlocked(second)
    finally:
        d.game.close()


def test_a_level_names_a_level_before_it_opens_with_one_star_unless_it_says_otherwise():
    assert Unlock.model_validate({"after": "meet-happy"}).min_stars == 1
    assert Unlock.model_validate({"after": "meet-happy", "min_stars": 0}).min_stars == 0
    assert Unlock.model_validate({"after": "meet-happy", "min_stars": 2}).min_stars == 2
    assert Unlock.model_validate({}).min_stars == 0 and Unlock.model_validate({"after": ""}).min_stars == 0
    assert all(lv.unlock.min_stars >= 1 for lv in SHIPPED if lv.unlock.after)


# ----------------------------------------------------------------- 3. no long silence
@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_quiet_round_says_something_kind_every_nine_seconds_and_the_speaker_says_the_prompt(store, lang):
    d = drive(store, lang=lang)
    phrases = d.game.phrases
    try:
        in_round(d, store, "meet-happy", 0)
        scene = d.game.scene
        prompt = scene.round.prompt.get(lang)
        captions = []                          # (time, caption) whenever it changes
        for _ in range(int(30 * 30)):
            d.run(1 / 30)
            if d.game.scene is not scene:
                break
            if not captions or captions[-1][1] != d.game.speech.caption:
                captions.append((d.now, d.game.speech.caption))
        said = [text for _t, text in captions]
        starts = {"hint": phrases.choices("nudge.hint", lang), "prompt": phrases.choices("nudge.prompt", lang)}
        hints = [h.get(lang) for h in scene.round.hints]
        assert any(any(text.startswith(s) for s in starts["hint"]) and any(h in text for h in hints) for text in said), said
        emotion = phrases.get(f"emotions.{scene.round.emotion}", lang)
        pictures = [p.format(emotion=emotion) for p in phrases.choices("nudge.picture", lang)]
        assert any(text in pictures for text in said), said
        # between the first prompt and the 30 s limit, no quiet stretch is much longer than 9 s
        times = [t for t, _text in captions] + [d.now]
        assert max(b - a for a, b in zip(times, times[1:])) < 12.0, captions
        assert len(captions) >= 3
        # the speaker button says the prompt again, at any time
        d.game.replace("round", level=level("meet-happy"), round_index=0)
        d.run(2.0)
        d.game.audio.caption_only("")
        d.click(d.game.scene.speaker_button.rect.center)
        assert d.game.speech.caption == prompt
    finally:
        d.game.close()


# ------------------------------------------------------------------ 4. the gauge reads right
def test_the_gauge_is_full_exactly_when_the_face_is_at_the_mark(store):
    d = drive(store)
    try:
        round_ = level("meet-happy").rounds[0]
        spec = d.game.rules.spec(round_.emotion, round_.threshold, round_.hold_s, round_.time_limit_s,
                                 difficulty=d.game.settings.difficulty, baseline=None)
        mark = spec.threshold                  # the level's mark on the shipped model's scale

        def bar_after(p_happy):
            probs = {"happy": p_happy, "sad": 0.02, "fear": 0.02}
            judge = judge_observations(spec, [obs(10 + i / 15, probs=probs) for i in range(3)])
            status = judge.step(10.2, obs(10.2, probs=probs))
            surface = pygame.Surface((600, 120))
            surface.fill((0, 0, 0))
            rect = pygame.Rect(20, 30, 430, 50)
            draw_gauge(surface, d.game.res, rect, status.mark_progress, 1.0, "happy", 0.0, 0.0)
            at_end = tuple(surface.get_at((rect.right - 30, rect.centery)))[:3]
            return status.mark_progress, at_end

        theme = d.game.theme
        progress, end = bar_after(mark)
        assert progress == pytest.approx(1.0) and end == theme["good"]      # at the mark: full and green
        progress, end = bar_after(mark * 0.8)
        assert progress < 0.95 and end == theme["gauge_back"]               # short of it: not full
        assert isinstance(RoundJudge(spec, 0.0), RoundJudge)
    finally:
        d.game.close()


# ------------------------------------------------------ 5. no gauge, no calm face, no camera
@pytest.mark.parametrize("lang", ["en", "id"])
def test_without_a_camera_there_is_no_gauge_and_no_calm_face_request(store, lang):
    from game.vision.observation import CameraStatus

    d = drive(store, lang=lang)
    try:
        in_round(d, store)
        d.source = lambda now: obs(now, status=CameraStatus.NO_CAMERA)
        d.run(3.0)
        assert d.game.scene.name == "round" and not d.game.scene._gauge_shown()
        d.game.replace("calibrate", then=Next("map"))
        d.run(2.0)
        calm_words = [d.game.phrases.get(k, lang) for k in ("calibrate.title", "calibrate.spoken")]
        assert d.game.speech.caption not in calm_words
        assert d.game.speech.caption == d.game.phrases.get("face.no_camera", lang)
        d.source = calm
        d.run(0.5)
        assert d.game.speech.caption == d.game.phrases.get("calibrate.spoken", lang)   # asked once it can see
    finally:
        d.game.close()


# ------------------------------------------------------------- 6. an animal for --child
def test_a_child_started_with_child_gets_an_animal_no_other_child_has(store):
    store.add_child("Ana", "cat")
    store.add_child("Budi", "bear")
    d = drive(store)
    try:
        start(d.game, "Zara")
        d.run(0.5)
        zara = next(c for c in store.list_children() if c.name == "Zara")
        assert zara.avatar in avatar_names(assets_dir()) and zara.avatar not in ("cat", "bear")
    finally:
        d.game.close()


# ------------------------------------------------------------ the settings the game reads
def test_the_settings_voice_rate_speech_and_levels_folders_reach_the_game(store, tmp_path):
    school = tmp_path / "school"
    school.mkdir()
    (school / "class-happy.toml").write_text('''
id = "class-happy"
order = 50
title = { en = "Our Class", id = "Kelas Kami" }
[[rounds]]
emotion = "happy"
picture = "faces/happy-1.png"
prompt = { en = "Smile!", id = "Senyum!" }
''')
    args = argparse.Namespace(lang="en", mute=False, difficulty="normal", camera="0", windowed=True, model=None,
                              levels_dir=None, level=None, db=None, screenshots=None,
                              voice_rate=95, speech=False, levels_folders=[str(school)], teacher_pin=None)
    options = options_from_args(args)
    options.camera, options.window, options.store = None, "offscreen", store
    game = build_game(options, note=lambda text: None)
    try:
        assert "class-happy" in [lv.id for lv in game.levels] and "meet-happy" in [lv.id for lv in game.levels]
        assert game.speech._rate == 95
        assert not game.speech.available          # speech = false: no voice
        assert not game.settings.muted            # ... and the sounds follow --mute on their own
    finally:
        game.close()
