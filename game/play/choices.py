"""The faces a recognise round offers, and where each one sits: pure, so a test can check that
the right face moves around and that the other faces are other children (no pygame here).

The right face is the round's own picture; every other choice shows another emotion on the
plain card (game.vocabulary's `plain_pictures`), drawn by another child than the right face,
so the answer is never the odd one out by its card, its child or its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from game import vocabulary


@dataclass(frozen=True)
class Choice:
    """One face to tap: the emotion it shows and its picture (absolute, inside assets/)."""

    emotion: str
    picture: Path

    def fits(self, answer: str) -> bool:
        return self.emotion == answer


def _child_number(picture: Path) -> int | None:
    found = re.search(r"-(\d+)$", picture.stem)
    return int(found.group(1)) if found else None


def arrange_choices(emotions: tuple[str, ...] | list[str], answer: str, answer_picture: Path,
                    assets_dir: Path, turn: int) -> list[Choice]:
    """The faces of one round, left to right. `turn` (the round's number in the session)
    moves the right face to another place and picks other children for the other faces."""
    answer_child = _child_number(answer_picture)
    others = [e for e in emotions if e != answer]
    offered = [Choice(answer, answer_picture)]
    for k, emotion in enumerate(others):
        pictures = vocabulary.emotion(emotion).plain_pictures or vocabulary.emotion(emotion).pictures
        # children other than the right face's, taken in turn
        candidates = [p for p in pictures if _child_number(Path(p)) != answer_child] or list(pictures)
        offered.append(Choice(emotion, (assets_dir / candidates[(turn + 2 * k) % len(candidates)]).resolve()))
    shift = turn % len(offered)            # where the right face sits this time
    order = offered[1:]
    order.insert(shift, offered[0])
    return order
