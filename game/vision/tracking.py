"""Following faces from frame to frame (pure: boxes in, ids out; no camera, no model).

`IouTracker` gives every face a stable id across frames (`analyze` follows a whole classroom
with it). `FriendSides` builds on it for friends mode: of the faces in view it keeps two, one
for the child on the left and one for the child on the right *as they see themselves on the
mirrored screen*, and a child keeps their side while their face is tracked, even when they
shuffle about.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from game.vision.detector import iou

Box = tuple[int, int, int, int]

#: The two places in friends mode, as the children see them on the (mirrored) screen.
LEFT, RIGHT = "left", "right"
SIDES = (LEFT, RIGHT)


@dataclass
class Track:
    face_id: int
    box: Box
    last_frame: int


@dataclass
class IouTracker:
    """Greedy IoU matching: each face joins the track it overlaps most (>= min_iou) among
    tracks seen within `max_gap` frames; otherwise it starts a new track."""

    min_iou: float = 0.3
    max_gap: int = 15
    tracks: list[Track] = field(default_factory=list)
    next_id: int = 1

    def update(self, frame: int, boxes: list[Box]) -> list[int]:
        alive = [t for t in self.tracks if frame - t.last_frame <= self.max_gap]
        pairs = sorted(((iou(t.box, b), ti, bi) for ti, t in enumerate(alive) for bi, b in enumerate(boxes)),
                       reverse=True)
        ids: list[int | None] = [None] * len(boxes)
        used_tracks: set[int] = set()
        for overlap, ti, bi in pairs:
            if overlap < self.min_iou:
                break
            if ti in used_tracks or ids[bi] is not None:
                continue
            used_tracks.add(ti)
            alive[ti].box, alive[ti].last_frame = boxes[bi], frame
            ids[bi] = alive[ti].face_id
        for bi, box in enumerate(boxes):
            if ids[bi] is None:
                track = Track(self.next_id, box, frame)
                self.next_id += 1
                alive.append(track)
                ids[bi] = track.face_id
        self.tracks = alive
        return [int(i) for i in ids]

    def alive(self, face_id: int, frame: int) -> bool:
        """The track is still followed at `frame` (seen within `max_gap` frames)."""
        return any(t.face_id == face_id and frame - t.last_frame <= self.max_gap for t in self.tracks)


def screen_centre_x(box: Box, frame_width: int) -> float:
    """Where a face's centre appears across the mirrored screen, 0 (left) .. frame_width."""
    return frame_width - (box[0] + box[2] / 2)


@dataclass
class FriendSides:
    """Which tracked face is the friend on the left and which the friend on the right.

    A side belongs to a track for as long as the tracker follows it (a face missed for a few
    frames keeps its side and gets it back). A free side is given to the largest face not yet
    placed. A face that came alone is placed by the half of the screen it is in; when its
    friend arrives, the two are put in the order they stand in. After that, sides stick to the
    children: the gauge under a child's name stays theirs.

    `max_gap` frames: how long a face may be missing before its side is free again (at 15 fps
    the default is one second).
    """

    max_gap: int = 15
    tracker: IouTracker = field(default_factory=IouTracker)
    sides: dict[str, int] = field(default_factory=dict)       # side -> track id
    paired: set[int] = field(default_factory=set)             # tracks that have stood beside a friend

    def __post_init__(self) -> None:
        self.tracker.max_gap = self.max_gap

    def update(self, frame: int, boxes: list[Box], frame_width: int) -> list[tuple[int, str, int]]:
        """(index into `boxes`, side, track id) for the faces that hold a side, left first."""
        ids = self.tracker.update(frame, boxes)
        index_of = {face_id: i for i, face_id in enumerate(ids)}
        self.sides = {side: face_id for side, face_id in self.sides.items() if self.tracker.alive(face_id, frame)}
        placed = set(self.sides.values())
        waiting = sorted((i for i, face_id in enumerate(ids) if face_id not in placed),
                         key=lambda i: boxes[i][2] * boxes[i][3], reverse=True)
        free = [side for side in SIDES if side not in self.sides]
        newcomers = waiting[:len(free)]
        if len(free) == 2 and len(newcomers) == 2:
            # two at once: in the order they stand, as they see it
            newcomers.sort(key=lambda i: screen_centre_x(boxes[i], frame_width))
            self.sides = {LEFT: ids[newcomers[0]], RIGHT: ids[newcomers[1]]}
        elif len(free) == 2 and newcomers:
            i = newcomers[0]
            side = LEFT if screen_centre_x(boxes[i], frame_width) < frame_width / 2 else RIGHT
            self.sides = {side: ids[i]}
        elif len(free) == 1 and newcomers:
            (held_side, held_id), = self.sides.items()
            new_id = ids[newcomers[0]]
            if held_id not in self.paired and held_id in index_of:
                # the first child came alone; now that their friend is here, stand them in order
                order = sorted((held_id, new_id), key=lambda t: screen_centre_x(boxes[index_of[t]], frame_width))
                self.sides = {LEFT: order[0], RIGHT: order[1]}
            else:
                self.sides[free[0]] = new_id
        self.paired = {face_id for face_id in self.paired if self.tracker.alive(face_id, frame)}
        if len(self.sides) == 2:
            self.paired.update(self.sides.values())
        return [(index_of[self.sides[side]], side, self.sides[side])
                for side in SIDES if side in self.sides and self.sides[side] in index_of]
