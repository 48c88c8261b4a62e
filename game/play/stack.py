"""The scene stack: push an overlay that returns (the teacher area, the grown-ups' question),
replace the top for the next step, pop to go back to what is underneath.

Every change is asked for during a frame and carried out at the next `apply(now)`, so a scene
may ask from its own `handle` or `update`. Each change runs the scenes' lifecycle in a fixed,
symmetric order: `push` pauses the top, then enters the new one; `pop` leaves the top, then
resumes the one under it; `replace` leaves the top, then enters the new one; `reset` leaves
them all, then enters the new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.play.scenes.base import Scene


class SceneStack:
    def __init__(self) -> None:
        self._scenes: list["Scene"] = []
        self._asked: list[tuple[str, "Scene | None"]] = []

    @property
    def top(self) -> "Scene | None":
        return self._scenes[-1] if self._scenes else None

    @property
    def scenes(self) -> tuple["Scene", ...]:
        """Bottom to top."""
        return tuple(self._scenes)

    def push(self, scene: "Scene") -> None:
        self._asked.append(("push", scene))

    def replace(self, scene: "Scene") -> None:
        self._asked.append(("replace", scene))

    def pop(self) -> None:
        self._asked.append(("pop", None))

    def reset(self, scene: "Scene") -> None:
        self._asked.append(("reset", scene))

    @property
    def changing(self) -> bool:
        return bool(self._asked)

    def apply(self, now: float) -> None:
        while self._asked:
            what, scene = self._asked.pop(0)
            if what == "push":
                if self._scenes:
                    self._scenes[-1].pause(now)
                self._scenes.append(scene)
                scene.enter(now)
            elif what == "pop":
                if len(self._scenes) <= 1:
                    continue              # the bottom scene stays: there is nothing to go back to
                self._scenes.pop().leave(now)
                self._scenes[-1].resume(now)
            elif what == "replace":
                if self._scenes:
                    self._scenes.pop().leave(now)
                self._scenes.append(scene)
                scene.enter(now)
            else:  # reset
                while self._scenes:
                    self._scenes.pop().leave(now)
                self._scenes.append(scene)
                scene.enter(now)

    def leave_all(self, now: float) -> None:
        """The game is closing: every scene leaves, the top one first (a friends round ends the
        friend's session, as it does when the children move on)."""
        self._asked.clear()
        while self._scenes:
            self._scenes.pop().leave(now)
