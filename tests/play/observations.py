"""Build observation streams for rule and scene tests (what the vision worker would report)."""

from __future__ import annotations

from game.vision.observation import CameraStatus, Observation

LABELS = ("happy", "sad", "fear")
#: A calm face as the shipped six-way model reads it: most of the probability on "neutral",
#: so none of the three comes near a level's threshold on the model's scale.
CALM = {"happy": 0.08, "sad": 0.15, "fear": 0.07}


def obs(t: float, target: str | None = None, p: float = 0.0, *, probs: dict[str, float] | None = None,
        n_faces: int = 1, looking_away: bool = False, status: CameraStatus = CameraStatus.OK,
        frame_index: int | None = None) -> Observation:
    """One observation at time `t` (seconds). `target`/`p` set one smoothed probability and
    spread the rest evenly; `probs` sets them all; neither: a calm face (CALM)."""
    if probs is None:
        rest = (1.0 - p) / (len(LABELS) - 1)
        probs = {label: (p if label == target else rest) for label in LABELS} if target else dict(CALM)
    face = n_faces > 0 and status is CameraStatus.OK
    return Observation(t=t, frame_index=int(round(t * 30)) if frame_index is None else frame_index,
                       frame_size=(640, 480), preview=None,
                       face_box=(220, 140, 200, 200) if face else None, n_faces=n_faces if face else 0,
                       probs=dict(probs) if face else {}, smoothed=dict(probs) if face else {},
                       camera_status=status, looking_away=looking_away, captured_at=t)


def stream(start: float, seconds: float, fps: float = 15.0, **kwargs) -> list[Observation]:
    """`seconds` of identical observations at `fps`, starting at `start`."""
    n = int(round(seconds * fps))
    return [obs(start + i / fps, **kwargs) for i in range(n)]


def ramp(start: float, seconds: float, target: str, p_from: float, p_to: float,
         fps: float = 15.0) -> list[Observation]:
    n = max(1, int(round(seconds * fps)))
    return [obs(start + i / fps, target, p_from + (p_to - p_from) * i / max(1, n - 1)) for i in range(n)]
