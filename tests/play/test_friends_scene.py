"""Friends mode in the real game (SDL dummy drivers, a real SQLite store, the test clock):
two children's faces in every observation, each child's gauge, kind words for a missing
friend, and one attempt row per child per try."""

from __future__ import annotations

from dataclasses import replace

import pytest

from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.play import build
from game.play.build import BuildError, build_game
from game.progress import open_store
from game.vision.observation import FaceReading, Observation
from game.vision.tracking import LEFT, RIGHT
from tests.play.harness import LEVEL_ONE, Driver, game_options, happy_then_sad_level

FRIENDS_LEVEL = happy_then_sad_level(
    'id = "test-friends"\norder = 3\ntitle = { en = "Friends", id = "Teman" }\nplayers = 2',
    happy_prompt='{ en = "Both of you: happy!", id = "Kalian berdua: senang!" }',
    sad_prompt='{ en = "Both of you: sad!", id = "Kalian berdua: sedih!" }',
    sad_hints='[{ en = "Turn your mouths down.", id = "Turunkan ujung bibir kalian." }]')

CALM = {"happy": 0.08, "sad": 0.15, "fear": 0.07}
BOXES = {LEFT: (400, 120, 160, 160), RIGHT: (80, 130, 160, 160)}


def showing(emotion: str | None, p: float = 0.9):
    if emotion is None:
        return None
    rest = (1 - p) / 2
    return {label: (p if label == emotion else rest) for label in ("happy", "sad", "fear")}


def pair(now: float, left, right) -> Observation:
    readings = tuple(FaceReading(side, 1 if side == LEFT else 2, BOXES[side], dict(probs), dict(probs))
                     for side, probs in ((LEFT, left), (RIGHT, right)) if probs is not None)
    primary = readings[0] if readings else None
    return Observation(t=now, frame_index=int(round(now * 30)), frame_size=(640, 480), preview=None,
                       face_box=primary.box if primary else None, n_faces=len(readings),
                       probs=dict(primary.probs) if primary else {}, smoothed=dict(primary.smoothed) if primary else {},
                       captured_at=now, faces=readings)


def both_show_the_round(game):
    """Both friends make the face the round asks for."""
    def source(now):
        scene = game.scene
        emotion = scene.round.emotion if getattr(scene, "round", None) is not None else "happy"
        return pair(now, showing(emotion), showing(emotion))
    return source


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", journal_dir=tmp_path / "journal")
    yield s
    s.close()


@pytest.fixture
def levels(tmp_path):
    folder = tmp_path / "levels"
    folder.mkdir()
    (folder / "test-one.toml").write_text(LEVEL_ONE)
    (folder / "test-friends.toml").write_text(FRIENDS_LEVEL)
    (folder / "test-friends-long.toml").write_text(
        FRIENDS_LEVEL.replace('"test-friends"', '"test-friends-long"').replace("order = 3", "order = 4")
        .replace("time_limit_s = 5.0", "time_limit_s = 150.0"))
    level_set = load_levels(folder, DEFAULT_ASSETS_DIR)
    assert level_set.ok, level_set.problems
    return level_set.levels


def make(store, levels, tmp_path, *, level: str | None = "test-friends", lang: str = "en", shots=None):
    options = replace(game_options(store, levels, screenshot_dir=shots or tmp_path / "shots", lang=lang),
                      level=level, levels_dir=tmp_path / "levels")
    return build_game(options, note=lambda text: None)


def attempts_by_child(store):
    children = {c.id: c.name for c in store.list_children()}
    out: dict[str, list] = {}
    for attempt in store.attempts():
        out.setdefault(children[attempt.child_id], []).append((attempt.round_index, attempt.emotion, attempt.outcome))
    return out


def test_two_friends_play_a_level_and_both_are_recorded(store, levels, tmp_path):
    game = make(store, levels, tmp_path)
    d = Driver(game)
    try:
        build.start(game, ["Ani", "Budi"])
        d.source = both_show_the_round(game)
        d.run(3.0, until=lambda g: g.scene.name == "friends" and g.scene.phase == "intro")
        scene = game.scene
        assert scene.friends.names() == {LEFT: "Ani", RIGHT: "Budi"}
        d.run(20.0, until=lambda g: g.scene.name == "friends" and g.scene.phase == "summary")
        assert game.scene.phase == "summary" and game.scene.score.stars == 3
        assert game.store.writer.drain()
    finally:
        game.close()
    got = attempts_by_child(store)
    assert got == {"Ani": [(0, "happy", "matched"), (1, "sad", "matched")],
                   "Budi": [(0, "happy", "matched"), (1, "sad", "matched")]}
    stars = {c.name: store.level_stars(c.id) for c in store.list_children()}
    assert stars == {"Ani": {"test-friends": 3}, "Budi": {"test-friends": 3}}


def test_one_friend_alone_runs_out_of_time_each_record_says_what_they_did(store, levels, tmp_path):
    game = make(store, levels, tmp_path)
    d = Driver(game)
    try:
        build.start(game, ["Ani", "Budi"])
        d.source = lambda now: pair(now, showing("happy"), CALM)
        d.run(12.0, until=lambda g: g.scene.name == "friends" and g.scene.phase == "encourage")
        assert game.scene.phase == "encourage" and game.scene.round_index == 0
        assert game.store.writer.drain()
    finally:
        game.close()
    assert attempts_by_child(store) == {"Ani": [(0, "happy", "matched")], "Budi": [(0, "happy", "timeout")]}


def test_a_missing_friend_is_named_kindly_and_their_time_is_not_a_match(store, levels, tmp_path):
    game = make(store, levels, tmp_path)
    d = Driver(game)
    try:
        build.start(game, ["Ani", "Budi"])
        d.source = lambda now: pair(now, showing("happy"), None)
        d.run(3.0, until=lambda g: g.scene.name == "friends" and g.scene.phase == "play")
        d.run(1.5)
        scene = game.scene
        assert scene.notice == ("missing", RIGHT) and scene.screenshot_key == "friends-missing"
        assert game.speech.caption == "Where is Budi?"
        assert scene.status.sides[LEFT].hold_progress > 0 and scene.status.outcome.value == "running"
        d.source = lambda now: pair(now, showing("happy"), showing("happy"))
        d.run(2.0, until=lambda g: g.scene.phase == "cheer")
        assert game.scene.phase == "cheer" and game.scene.notice is None
    finally:
        game.close()


def test_a_child_on_the_map_picks_their_friend(store, levels, tmp_path):
    ani, budi = store.add_child("Ani", "cat"), store.add_child("Budi", "dog")
    store.set_calibration(ani.id, CALM)
    game = make(store, levels, tmp_path, level=None)
    d = Driver(game)
    try:
        game.choose_child(ani)
        d.source = lambda now: None
        d.run(1.0, until=lambda g: g.scene.name == "map")
        friends_level = next(lv for lv in levels if lv.players == 2)
        game.start_level(friends_level)
        d.run(1.0, until=lambda g: g.scene.name == "friends" and g.scene.children)
        scene = game.scene
        assert scene.screenshot_key == "friends-pick"
        assert [c.name for c in scene.children] == ["Budi"]           # not Ani herself
        d.click(scene.buttons.buttons[0].rect.center)
        d.run(2.0, until=lambda g: g.scene.phase == "intro")
        assert game.scene.friends.names() == {LEFT: "Ani", RIGHT: "Budi"}
        # back to the map: the friend's session ends, the chosen child's carries on
        friend_session = game.scene.friends.sessions[RIGHT]
        game.replace("map")
        d.run(0.5)
        assert friend_session.child is None and game.session.child.id == ani.id
    finally:
        game.close()
    assert {s.child_id for s in store.sessions()} == {ani.id, budi.id}


@pytest.mark.parametrize("names, level, message", [
    (["Ani", "Budi"], "test-one", 'level "test-one" is for one child: add --level with a friends level'),
    (["Ani", "Budi"], None, "two children need a level"),
    (["Ani", "Ani"], "test-friends", "are the same child"),
    (["Ani", "Budi", "Citra"], "test-friends", "given 3 times"),
])
def test_two_children_need_a_friends_level_and_two_names(store, levels, tmp_path, names, level, message):
    game = make(store, levels, tmp_path, level=level)
    try:
        with pytest.raises(BuildError, match=message):
            build.start(game, names)
    finally:
        game.close()


def test_the_walked_away_check_waits_for_two_friends_not_one(store, levels, tmp_path):
    """Two faces are not 'nobody' (the game's own check reads them as crowding): a long friends
    round does not send them back to the welcome screen; an empty kiosk does."""
    game = make(store, levels, tmp_path, level="test-friends-long")
    d = Driver(game)
    try:
        build.start(game, ["Ani", "Budi"])
        d.source = lambda now: pair(now, CALM, CALM)
        d.run(75.0, until=lambda g: g.scene.name == "welcome")
        assert (game.scene.name, game.scene.phase) == ("friends", "play")
        d.source = lambda now: pair(now, None, None)
        d.run(59.0, until=lambda g: g.scene.name == "welcome")
        assert game.scene.name == "friends"
        d.run(2.0, until=lambda g: g.scene.name == "welcome")
        assert game.scene.name == "welcome" and game.session.child is None
    finally:
        game.close()


def test_closing_the_game_mid_level_ends_both_childrens_sessions(store, levels, tmp_path):
    game = make(store, levels, tmp_path, level="test-friends-long")
    d = Driver(game)
    try:
        build.start(game, ["Ani", "Budi"])
        d.source = both_show_the_round(game)
        d.run(3.0, until=lambda g: g.scene.name == "friends" and g.scene.phase == "intro")
        d.run(1.0)
    finally:
        game.close()                     # the kiosk is switched off in the middle of the level
    sessions = store.sessions()
    assert len(sessions) == 2 and all(s.ended_at is not None for s in sessions), sessions
