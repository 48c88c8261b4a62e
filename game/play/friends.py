"""The two children of a friends level (no pygame): the chosen child's session, which is the
game's own, and their friend's, started beside it. The first child plays on the left of the
screen, the friend on the right (as they see themselves, game.vision.tracking). Each child's
tries and stars go to their own record.
"""

from __future__ import annotations

from typing import Any

from game.play.session import Session
from game.play.store_link import StoreLink
from game.vision.tracking import LEFT, RIGHT, SIDES


class Friends:
    def __init__(self, first: Session, second: Session):
        self.sessions = {LEFT: first, RIGHT: second}

    @classmethod
    def start(cls, first: Session, friend: Any, link: StoreLink, notes: list[str], kiosk_name: str,
              lang: str) -> "Friends":
        """Start the friend's session (off the UI thread, as any session starts) beside `first`."""
        if first.child is not None and getattr(friend, "id", None) == first.child.id:
            raise ValueError(f"{friend.name} cannot be their own friend: choose two different children")
        second = Session(link, notes)
        second.start(friend, kiosk_name, lang)
        return cls(first, second)

    @property
    def ready(self) -> bool:
        """Both sessions have started and both children's progress is read."""
        return all(session.ready for session in self.sessions.values())

    def child(self, side: str) -> Any:
        return self.sessions[side].child

    def names(self) -> dict[str, str]:
        return {side: getattr(self.child(side), "name", "") for side in SIDES}

    def calibration(self, side: str) -> dict[str, float] | None:
        return self.sessions[side].calibration

    def record_attempt(self, side: str, **fields: Any) -> None:
        self.sessions[side].record_attempt(**fields)

    def finish_level(self, level_id: str, stars: int, points: int) -> None:
        for session in self.sessions.values():
            session.finish_level(level_id, stars, points)

    def end(self) -> None:
        """The friends have finished: the friend's session ends (the first child's carries on,
        as the game's own session)."""
        self.sessions[RIGHT].leave()
