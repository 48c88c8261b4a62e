"""How long each UI frame took (update + draw + flip), wall clock and the UI thread's own CPU
time (the difference is time the OS gave to other threads and processes)."""

from __future__ import annotations

from collections import deque

#: Enough for hours at 60 fps without growing without bound.
KEPT = 200_000


def _quantile(values, q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


class FrameTimes:
    def __init__(self) -> None:
        self.wall_ms: deque[float] = deque(maxlen=KEPT)
        self.cpu_ms: deque[float] = deque(maxlen=KEPT)

    def add(self, wall_ms: float, cpu_ms: float) -> None:
        self.wall_ms.append(wall_ms)
        self.cpu_ms.append(cpu_ms)

    def stats(self) -> dict[str, float]:
        if not self.wall_ms:
            return {"frames": 0}
        return {"frames": len(self.wall_ms),
                "ui_frame_ms_p50": _quantile(self.wall_ms, 0.5), "ui_frame_ms_p99": _quantile(self.wall_ms, 0.99),
                "ui_frame_ms_max": round(max(self.wall_ms), 3),
                "ui_frame_cpu_ms_p50": _quantile(self.cpu_ms, 0.5),
                "ui_frame_cpu_ms_p99": _quantile(self.cpu_ms, 0.99)}
