"""Soak test: the real game plays the shipped levels in a loop for N minutes, headless, with a
made video of real FER-2013 faces as the camera, the real vision worker and model, speech,
and a temporary SQLite progress database. Is anything growing, leaking or getting lost?

    python tools/soak.py --minutes 30 --out /tmp/soak.json

The game runs in a child process (SDL dummy drivers) so that what is measured is the game
alone; this process samples the child's resident memory and thread count from /proc every
few seconds (Linux), while the game loop runs (start-up, model loading, the video's making
and closing down are not the soak; `startup_s` says how long start-up took). The report
(JSON on stdout, and in --out):

- rss_mb: start, end, max, and `slope_mb_per_min` from a least-squares line through the
  samples after the warm-up (the first quarter of the run, at most five minutes), and the
  slope over the last half alone (the first pass through the levels loads their pictures,
  words and voices, which can outlast five minutes); every sample is in `rss_samples`;
- threads: min and max over the whole run and after the warm-up;
- attempts_recorded (what the game handed to the store) against attempts_stored (rows in the
  database afterwards) and attempts_lost; the same for level results;
- frames drawn, UI frame times, frames the vision worker processed, the scenes it went through;
- with `--tracemalloc N`, what grew between the end of the warm-up and the end of the run:
  the N source lines whose Python allocations grew most (tracemalloc), the object types whose
  count grew most, and the sizes of the game's caches (text, pictures, voices, frame times)
  at both moments. tracemalloc costs time and memory of its own, so the RSS figures of such a
  run are not the kiosk's; use it to find a leak, then measure without it.

The driver does what a child and a teacher would: it picks the next level on the map (all
shipped levels in turn, but those for two friends side by side: the made video shows one
face), taps a face in a recognise round (the right one three times in four), taps "map" on the
summary, and picks the child again if the kiosk went back to the welcome screen. Everything
else (rounds, celebrations, "try again?" screens moving on by themselves, speech) is the
game's own doing. Calibration is off (see run_game).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FER_VAL = REPO.parent / "shared" / "data" / "fer2013" / "val"
#: One pass of the made video: every emotion the levels ask for, calm faces for calibration,
#: and a moment with nobody there. About 20 s, so every emotion shows up within any round's
#: time limit (the shortest is 8 s: some mirror rounds will time out, which is wanted too).
VIDEO_SEGMENTS = "neutral:4,happy:3.5,neutral:1,sad:3.5,none:1,fear:3.5,neutral:1,happy:2"
VIDEO_FPS = 15.0
#: How long the driver lets the summary stars show before it taps "map".
SUMMARY_LOOK_S = 2.5
MAP_LOOK_S = 1.0
#: How long the child looks at a recognise round's faces before tapping one.
RECOGNISE_LOOK_S = 1.5
#: The game loop runs in slices this long; between them the driver looks at the scene.
SLICE_S = 0.5


# ------------------------------------------------------------------------------ the parent
def default_model() -> Path | None:
    """models/expression.tflite, or $EMOTION_GAME_TEST_MODEL (what the play tests use)."""
    from game.vision.card import DEFAULT_MODEL

    if DEFAULT_MODEL.is_file():
        return DEFAULT_MODEL
    override = os.environ.get("EMOTION_GAME_TEST_MODEL")
    if override and Path(override).is_file():
        return Path(override)
    return None


def make_soak_video(out: Path, data_dir: Path, model: Path | None) -> Path:
    """The camera clip. With a model, faces the real pipeline reads clearly where the video
    shows them: expressions it is sure of, calm faces that fire nothing (the soak is about the
    game holding up, not the model's accuracy, which tools/evaluate.py measures). Without a
    model, or when no face of a class is clear enough, faces MediaPipe finds."""
    from tools import make_test_video as mtv

    def clear(min_prob: float):
        def accept(label: str, seen: list[dict[str, float]]) -> bool:
            if label in seen[0]:
                return min(p[label] for p in seen) >= min_prob
            return max(max(p.values()) for p in seen) < 0.45
        return accept

    segments = mtv.parse_segments(VIDEO_SEGMENTS)
    for min_prob in (0.8, 0.6, None):
        try:
            picker = mtv.FacePicker(data_dir, seed=11, confident_model=model if min_prob else None,
                                    accept=clear(min_prob) if min_prob else None)
            frames, truth = mtv.render(segments, picker, fps=VIDEO_FPS, seed=11)
        except ValueError:
            continue   # no clear face of some class: take faces as MediaPipe finds them
        video = mtv.write(frames, out, VIDEO_FPS)
        mtv.write_truth(truth, mtv.truth_path_for(video))
        return video
    raise AssertionError("unreachable: the last try needs only faces MediaPipe finds")


def proc_sample(pid: int) -> tuple[float, int] | None:
    """(resident MB, threads) of a process from /proc, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    try:
        rss_kb = int(fields["VmRSS"].split()[0])
        threads = int(fields["Threads"].strip())
    except (KeyError, ValueError, IndexError):
        return None
    return rss_kb / 1024.0, threads


def linear_slope(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of ys over xs (None with fewer than three points)."""
    if len(xs) < 3:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx <= 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx


def count_rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("attempts", "level_results", "sessions")}


def journal_lines(folder: Path) -> int:
    return sum(p.read_text(encoding="utf-8").count("\n") for p in folder.glob("pending-*.jsonl"))


def summarise(samples: list[tuple[float, float, int]], seconds: float, warmup_s: float) -> dict:
    """RSS and thread figures from (t seconds, rss MB, threads) samples."""
    if not samples:
        return {"rss_mb": None, "threads": None}
    steady = [s for s in samples if s[0] >= warmup_s] or samples[-3:]
    last_half = [s for s in samples if s[0] >= samples[-1][0] / 2]

    def slope_of(part):
        slope = linear_slope([t / 60.0 for t, _, _ in part], [rss for _, rss, _ in part])
        return None if slope is None else round(slope, 3)

    return {
        "rss_mb": {"start": round(samples[0][1], 1), "after_warmup": round(steady[0][1], 1),
                   "end": round(samples[-1][1], 1), "max": round(max(s[1] for s in samples), 1),
                   "slope_mb_per_min": slope_of(steady),
                   "slope_last_half_mb_per_min": slope_of(last_half),
                   "growth_after_warmup": round(steady[-1][1] - steady[0][1], 1)},
        "threads": {"min": min(s[2] for s in samples), "max": max(s[2] for s in samples),
                    "after_warmup_min": min(s[2] for s in steady), "after_warmup_max": max(s[2] for s in steady)},
    }


def run_soak(minutes: float, *, workdir: Path, data_dir: Path = DEFAULT_FER_VAL, model: Path | None = None,
             fps: int = 60, sample_s: float = 5.0, warmup_s: float | None = None, mute: bool = False,
             tracemalloc_top: int = 0, log=print) -> dict:
    """Make the video, run the game for `minutes` in a child process, measure, and report."""
    seconds = minutes * 60.0
    warmup_s = min(300.0, 0.25 * seconds) if warmup_s is None else warmup_s
    workdir.mkdir(parents=True, exist_ok=True)
    model = model if model is not None else default_model()
    video = make_soak_video(workdir / "camera.mp4", data_dir, model)
    db = workdir / "progress.sqlite3"
    for old in [db, *workdir.glob("progress.sqlite3-*"), *workdir.glob("pending-*.jsonl")]:
        old.unlink(missing_ok=True)  # a fresh database every run: the counts below must be this run's
    result_file = workdir / "game.json"
    ready_file, closing_file = result_file.with_suffix(".ready"), result_file.with_suffix(".closing")
    for old in (result_file, ready_file, closing_file):
        old.unlink(missing_ok=True)
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, str(Path(__file__).resolve()), "--game", "--seconds", str(seconds),
               "--video", str(video), "--db", str(db), "--result", str(result_file), "--fps", str(fps),
               "--workdir", str(workdir)]
    if model is not None:
        command += ["--model", str(model)]
    if mute:
        command.append("--mute")
    if tracemalloc_top > 0:
        command += ["--tracemalloc", str(tracemalloc_top), "--warmup-s", str(warmup_s)]
    log(f"soak: {minutes:g} min, video {video}, model {model or 'none (detection only)'}, db {db}")
    stderr_path = workdir / "game.stderr"
    with open(stderr_path, "w") as stderr:
        child = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        began = time.monotonic()
        ready_at: float | None = None            # when the game loop started (start-up is not soak)
        samples: list[tuple[float, float, int]] = []
        deadline = began + seconds + 240.0       # start-up and close-down, generously
        next_log = began + 60.0
        while child.poll() is None:
            now = time.monotonic()
            if now > deadline:
                child.kill()
                break
            if ready_at is None and ready_file.exists():
                ready_at = now
            playing = ready_at is not None and not closing_file.exists()   # closing down is not soak
            sample = proc_sample(child.pid) if playing else None
            if sample is not None and child.poll() is None:
                samples.append((now - ready_at, *sample))
            if now >= next_log and samples:
                log(f"soak: {samples[-1][0] / 60:.1f} min rss {samples[-1][1]:.0f} MB threads {samples[-1][2]}")
                next_log = now + 60.0
            time.sleep(min(sample_s, max(0.05, deadline - now)))
    returncode = child.wait()
    game = json.loads(result_file.read_text()) if result_file.is_file() else {}
    stored = count_rows(db) if db.is_file() else {}
    recorded = game.get("attempts_recorded")
    report = {
        "minutes": minutes, "returncode": returncode, "model": str(model) if model else None,
        "startup_s": None if ready_at is None else round(ready_at - began, 1),
        "samples": len(samples), "sample_every_s": sample_s, "warmup_s": warmup_s,
        **summarise(samples, seconds, warmup_s),
        "attempts_recorded": recorded,
        "attempts_stored": stored.get("attempts"),
        "attempts_lost": None if recorded is None or not stored else recorded - stored["attempts"],
        "level_results_recorded": game.get("level_results_recorded"),
        "level_results_stored": stored.get("level_results"),
        "sessions_stored": stored.get("sessions"),
        "journal_lines_left": journal_lines(db.parent),
        **{k: v for k, v in game.items() if k not in {"attempts_recorded", "level_results_recorded"}},
    }
    report["rss_samples"] = [[round(t, 1), round(rss, 1), threads] for t, rss, threads in samples]
    if returncode != 0:
        report["stderr_tail"] = stderr_path.read_text(errors="replace")[-3000:]
    return report


# ------------------------------------------------------------------------------- the child
class CountingStore:
    """The real store, with a count of the writes the game hands it (what must all arrive)."""

    def __init__(self, store):
        self._store = store
        self.attempts = 0
        self.level_results = 0

    def record_attempt(self, attempt) -> None:
        self.attempts += 1
        self._store.record_attempt(attempt)

    def record_level_result(self, *args) -> None:
        self.level_results += 1
        self._store.record_level_result(*args)

    def __getattr__(self, name):
        return getattr(self._store, name)


def type_counts() -> dict[str, int]:
    """How many objects of each type the garbage collector tracks (what a leak piles up)."""
    import gc

    counts: dict[str, int] = {}
    for obj in gc.get_objects():
        name = type(obj).__qualname__
        counts[name] = counts.get(name, 0) + 1
    return counts


def game_cache_sizes(game) -> dict[str, int]:
    """The sizes of the game's caches and kept lists: each must stop growing after the warm-up."""
    return {**{f"res.{name}": size for name, size in game.res.cache_sizes().items()},
            "audio.voices": game.audio.cache_size(), "audio.voices_kb": game.audio.cache_bytes() // 1024,
            "frame_times": game.frame_times.kept(),
            "notes": len(game.notes)}


class GrowthProbe:
    """tracemalloc snapshots at the end of the warm-up and at the end: what grew in between."""

    def __init__(self, top: int, warmup_s: float):
        import tracemalloc

        self.top, self.warmup_s = top, warmup_s
        self._tracemalloc = tracemalloc
        self._first = None
        self._first_types: dict[str, int] = {}
        self._first_caches: dict[str, int] = {}
        tracemalloc.start(1)

    def poll(self, played_s: float, game) -> None:
        if self._first is None and played_s >= self.warmup_s:
            self._first = self._tracemalloc.take_snapshot()
            self._first_types, self._first_caches = type_counts(), game_cache_sizes(game)

    def report(self, game) -> dict:
        tracemalloc = self._tracemalloc
        filters = [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen *>")]
        last = tracemalloc.take_snapshot().filter_traces(filters)
        current, peak = tracemalloc.get_traced_memory()
        report: dict = {"traced_mb": round(current / 2**20, 1), "traced_peak_mb": round(peak / 2**20, 1),
                        "caches_at_end": game_cache_sizes(game), "newest_texts": game.res.newest_texts(15)}
        if self._first is None:
            report["note"] = "the run ended before the warm-up did: nothing to compare"
            return report
        grown = last.compare_to(self._first.filter_traces(filters), "lineno")
        report["top_growth"] = [
            {"where": f"{stat.traceback[0].filename}:{stat.traceback[0].lineno}",
             "size_diff_kb": round(stat.size_diff / 1024, 1), "size_kb": round(stat.size / 1024, 1),
             "count_diff": stat.count_diff}
            for stat in grown[:self.top]]
        types_now = type_counts()
        growth = sorted(((types_now.get(name, 0) - self._first_types.get(name, 0), name)
                         for name in set(types_now) | set(self._first_types)), reverse=True)
        report["object_types_grown"] = {name: diff for diff, name in growth[:self.top] if diff > 0}
        report["caches_after_warmup"] = self._first_caches
        return report


def tap_at(game, canvas_pos: tuple[int, int]):
    """A mouse press where `canvas_pos` shows in the window (the canvas may be letterboxed)."""
    import pygame

    area = game.screen.area
    x = area.x + canvas_pos[0] * area.width / game.size[0]
    y = area.y + canvas_pos[1] * area.height / game.size[1]
    return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(int(x), int(y)), button=1)


def run_game(args: argparse.Namespace) -> int:
    """The child process: build the game as `emotion-game play` does (game.play.build, so the
    same round rules from the same model card) and keep it playing."""
    import pygame

    from game.play.build import GameOptions, build_game
    from game.progress import open_store

    store = CountingStore(open_store(f"sqlite:///{args.db}"))
    # No calibration: a looping video cannot hold a calm face on cue, and a baseline taken
    # across its expressions would lift every bar out of reach (the end-to-end play test
    # covers calibration on a video timed for it).
    options = GameOptions(camera=args.video, loop_video=True, window="windowed", kiosk=True, mute=args.mute,
                          model=Path(args.model) if args.model else None, store=store, kiosk_name="soak",
                          speech_cache_dir=Path(args.workdir) / "speech", calibrate=False)
    probe = GrowthProbe(args.tracemalloc, args.warmup_s or 0.0) if args.tracemalloc else None
    game = build_game(options)
    camera, speech = game.camera, game.speech
    levels = [level for level in game.levels if getattr(level, "players", 1) == 1]   # one face in the video
    child = store.get_or_create_child("Soak")
    game.choose_child(child)

    levels_started = 0
    taps = 0
    scenes: dict[str, int] = {}
    last_scene = None
    scene_since = time.monotonic()
    began = time.monotonic()
    Path(args.result).with_suffix(".ready").write_text(f"{began}\n")   # the soak is measured from here
    enter = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0)
    try:
        while game.running and time.monotonic() - began < args.seconds:
            game.run(seconds=min(SLICE_S, args.seconds - (time.monotonic() - began)), fps=args.fps)
            scene, name = game.scene, game.scene.name
            if scene is not last_scene:
                last_scene, scene_since = scene, time.monotonic()
                scenes[name] = scenes.get(name, 0) + 1
            looked = time.monotonic() - scene_since
            if name == "map" and looked >= MAP_LOOK_S:
                game.start_level(levels[levels_started % len(levels)])
                levels_started += 1
            elif name == "recognise" and scene.phase == "ask" and looked >= RECOGNISE_LOOK_S:
                taps += 1
                right = [i for i, choice in enumerate(scene.choices) if choice.emotion == scene.round.emotion]
                wrong = [i for i in range(len(scene.choices)) if i not in right]
                index = wrong[0] if taps % 4 == 0 and wrong else right[0]
                pygame.event.post(tap_at(game, scene.buttons.buttons[index].rect.center))
                scene_since = time.monotonic()      # one tap, then look again
            elif name == "summary" and looked >= SUMMARY_LOOK_S:
                pygame.event.post(enter)            # the focused button is "map"
            elif name in ("welcome", "choose"):
                game.choose_child(child)            # the kiosk timed out to the welcome screen
            if probe is not None:
                probe.poll(time.monotonic() - began, game)
    finally:
        Path(args.result).with_suffix(".closing").write_text(f"{time.monotonic()}\n")
        growth = probe.report(game) if probe is not None else None
        frames_processed = camera.worker.frames_processed if camera.worker else 0
        worker_error = camera.error
        frame_stats = game.frame_stats()
        game.close()
        pending = store.pending_count()
        store_note = store.last_error
        store.close()
        pygame.quit()
        result = {
            "attempts_recorded": store.attempts, "level_results_recorded": store.level_results,
            "pending_at_close": pending, "store_note": store_note,
            "frames_drawn": frame_stats.get("frames", 0), "ui": frame_stats,
            "vision_frames_processed": frames_processed, "vision_error": worker_error,
            "levels_started": levels_started, "recognise_taps": taps, "scenes_entered": scenes,
            "speech_error": speech.error, "game_notes": list(game.notes)[-10:],
            "played_s": round(time.monotonic() - began, 1),
        }
        if growth is not None:
            result["tracemalloc"] = growth
        Path(args.result).write_text(json.dumps(result, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0, help="how long the game plays (default 30)")
    parser.add_argument("--model", default=None, help="expression model (default: models/expression.tflite, "
                                                      "else $EMOTION_GAME_TEST_MODEL)")
    parser.add_argument("--data", default=str(DEFAULT_FER_VAL), help="FER-2013 val folder for the made video")
    parser.add_argument("--workdir", default=None, help="where the video, database and logs go (default: a temp dir)")
    parser.add_argument("--out", default=None, help="also write the JSON report here")
    parser.add_argument("--fps", type=int, default=60, help="UI frames per second (default 60, as the kiosk)")
    parser.add_argument("--sample-s", type=float, default=5.0, help="seconds between RSS/thread samples")
    parser.add_argument("--warmup-s", type=float, default=None,
                        help="samples before this are left out of the slope (default: a quarter of the run, max 300)")
    parser.add_argument("--mute", action="store_true", help="no speech synthesis")
    parser.add_argument("--tracemalloc", type=int, default=0, metavar="N",
                        help="report the N source lines and object types that grew most after the warm-up, "
                             "and the game's cache sizes (slows the game; RSS figures then include tracemalloc's own)")
    # the child process
    parser.add_argument("--game", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--video", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--db", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--result", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.game:
        return run_game(args)

    data = Path(args.data)
    if not data.is_dir():
        print(f"soak: FER-2013 val folder not found at {data} (use --data)", file=sys.stderr)
        return 2
    if args.model and not Path(args.model).is_file():
        print(f"soak: model {args.model} not found", file=sys.stderr)
        return 2
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="emotion-game-soak-"))
    report = run_soak(args.minutes, workdir=workdir, data_dir=data, model=Path(args.model) if args.model else None,
                      fps=args.fps, sample_s=args.sample_s, warmup_s=args.warmup_s, mute=args.mute,
                      tracemalloc_top=args.tracemalloc, log=lambda text: print(text, file=sys.stderr, flush=True))
    text = json.dumps(report, indent=2)
    if args.out:
        Path(args.out).write_text(text)
    print(text)
    ok = report["returncode"] == 0 and report["attempts_lost"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
