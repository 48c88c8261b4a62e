"""Which scene follows which, by name: the only module that knows the scene classes.

    welcome -> choose (your picture) -> loading -> [calibrate, first session only] -> map
    map -> round -> celebrate -> next round ... -> summary -> map
    map -> recognise (a recognise level's rounds: tap the face) -> celebrate | next ... -> summary
    map -> practice (a session built from the child's record) -> round ... -> summary -> map
    map -> friends (players = 2: who is your friend?, each round for both, their stars) -> map
    round (timeout) -> encourage (inside the round): try again | next
    any scene -> teacher (pushed; Ctrl+Shift+T held 2 s) -> popped: back to where it was
    any scene -> gate (pushed; a long press in the corner, or a window close in kiosk mode) -> teacher | popped
    teacher -> ask (pushed: quit? remove a child?) | child_form (pushed: add, rename, camera) -> popped

Adding a scene is its module in game/play/scenes/ plus one line in SCENES.
"""

from __future__ import annotations

from typing import Any

from game.play.scenes.ask import AskScene
from game.play.scenes.base import Scene
from game.play.scenes.calibrate import CalibrationScene
from game.play.scenes.celebrate import CelebrationScene
from game.play.scenes.child_form import ChildFormScene
from game.play.scenes.choose_child import ChooseChildScene
from game.play.scenes.friends_round import FriendsRoundScene
from game.play.scenes.gate import GateScene
from game.play.scenes.level_map import LevelMapScene
from game.play.scenes.loading import LoadingScene
from game.play.scenes.practice import PracticeScene
from game.play.scenes.recognise import RecogniseScene
from game.play.scenes.round import RoundScene
from game.play.scenes.summary import SummaryScene
from game.play.scenes.teacher import TeacherScene
from game.play.scenes.welcome import WelcomeScene
from game.play.services import Next, Services

SCENES: dict[str, type[Scene]] = {scene.name: scene for scene in (
    WelcomeScene,
    ChooseChildScene,
    LoadingScene,
    CalibrationScene,
    LevelMapScene,
    RoundScene,
    RecogniseScene,
    PracticeScene,
    CelebrationScene,
    SummaryScene,
    TeacherScene,
    GateScene,
    FriendsRoundScene,
    AskScene,
    ChildFormScene,
)}


def make(game: Services, name: str, args: dict[str, Any]) -> Scene:
    """The scene called `name`, made with `args` (a KeyError names the known scenes)."""
    try:
        scene = SCENES[name]
    except KeyError:
        raise KeyError(f"no scene {name!r}; scenes: {', '.join(SCENES)}") from None
    return scene(game, **args)


#: The scene that plays a level's rounds, by the level's mode (the rest play in "round").
ROUND_SCENES = {"recognise": "recognise"}


def round_scene(level) -> str:
    if level.players == 2:
        return "friends"          # two friends side by side play every round in their own scene
    return ROUND_SCENES.get(level.mode, "round")


def first_round(level) -> Next:
    return Next(round_scene(level), {"level": level})


def after_round(level, round_index: int, score) -> Next:
    """The level's next round, or its summary after the last."""
    if round_index + 1 < len(level.rounds):
        return Next(round_scene(level), {"level": level, "round_index": round_index + 1, "score": score})
    return Next("summary", {"level": level, "score": score})


def after_choosing(quick_level) -> Next:
    """Where a chosen child goes: the quick-start level (`--level`), else the map."""
    return first_round(quick_level) if quick_level is not None else Next("map")


def session_ready(then: Next, calibration, calibrate: bool) -> Next:
    """Once the session has started: the calm-face step first for a child who never did it.
    Not before friends play: the step reads one face, and two are in front of the camera
    (a friend without a calibration plays at the level's own mark)."""
    if then.scene == "friends":
        return then
    return Next("calibrate", {"then": then}) if calibration is None and calibrate else then
