"""How long each UI frame took (update + draw + flip), wall clock and the UI thread's own CPU
time (the difference is time the OS gave to other threads and processes)."""

from __future__ import annotations

from array import array

#: The newest frames kept: about 55 minutes at 60 fps. The times live in two arrays of plain
#: doubles made full-size at the start (3.2 MB), so memory does not grow frame by frame as a
#: list or deque of Python floats does (32 bytes a time, 7 MB an hour at 60 fps).
KEPT = 200_000


def _quantile(values, q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


class FrameTimes:
    def __init__(self, kept: int = KEPT) -> None:
        self._wall_ms = array("d", bytes(8 * kept))
        self._cpu_ms = array("d", bytes(8 * kept))
        self._capacity = kept
        self.added = 0                        # every frame so far, kept or not

    def add(self, wall_ms: float, cpu_ms: float) -> None:
        at = self.added % self._capacity
        self._wall_ms[at] = wall_ms
        self._cpu_ms[at] = cpu_ms
        self.added += 1

    def kept(self) -> int:
        """How many frames' times are held (the newest)."""
        return min(self.added, self._capacity)

    @property
    def wall_ms(self) -> array:
        return self._wall_ms[:self.kept()]

    @property
    def cpu_ms(self) -> array:
        return self._cpu_ms[:self.kept()]

    def stats(self) -> dict[str, float]:
        if not self.added:
            return {"frames": 0}
        wall, cpu = self.wall_ms, self.cpu_ms
        return {"frames": self.added, "frames_timed": len(wall),
                "ui_frame_ms_p50": _quantile(wall, 0.5), "ui_frame_ms_p99": _quantile(wall, 0.99),
                "ui_frame_ms_max": round(max(wall), 3),
                "ui_frame_cpu_ms_p50": _quantile(cpu, 0.5),
                "ui_frame_cpu_ms_p99": _quantile(cpu, 0.99)}
