"""`emotion-game kiosk install / remove / run`, in a temporary HOME and XDG config folder:
the autostart entry a desktop reads at login, and the supervisor that restarts a crashed game."""

from __future__ import annotations

import configparser
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from game.kiosk import RestartPolicy, supervise

REPO = Path(__file__).resolve().parents[2]


def kiosk_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "EMOTION_GAME_SETTINGS"}
    env.update(HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return env


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game.cli", *args], capture_output=True, text=True,
                          cwd=REPO, env=kiosk_env(tmp_path), timeout=120)


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_install_writes_an_autostart_entry_and_remove_takes_it_away(tmp_path):
    result = cli(tmp_path, "kiosk", "install")
    assert result.returncode == 0, result.stderr
    entry = tmp_path / "config" / "autostart" / "emotion-game.desktop"
    assert str(entry) in result.stdout
    fields = read_entry(entry)
    assert fields["Type"] == "Application" and fields["Terminal"] == "false"
    assert shlex.split(fields["Exec"]) == [sys.executable, "-m", "game.cli", "kiosk", "run"]
    # installing again replaces the entry, it does not add a second one
    assert cli(tmp_path, "kiosk", "install").returncode == 0
    assert [p.name for p in entry.parent.iterdir()] == ["emotion-game.desktop"]

    removed = cli(tmp_path, "kiosk", "remove")
    assert removed.returncode == 0 and "Removed" in removed.stdout and not entry.exists()
    again = cli(tmp_path, "kiosk", "remove")
    assert again.returncode == 0 and "Nothing to remove" in again.stdout


def test_remove_leaves_an_entry_it_did_not_write(tmp_path):
    entry = tmp_path / "config" / "autostart" / "emotion-game.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text("[Desktop Entry]\nType=Application\nExec=/opt/someone-else\n")
    result = cli(tmp_path, "kiosk", "remove")
    assert result.returncode == 1 and "not written by" in result.stderr and entry.exists()


def test_the_entrys_command_starts_the_game(tmp_path):
    assert cli(tmp_path, "kiosk", "install").returncode == 0
    command = shlex.split(read_entry(tmp_path / "config" / "autostart" / "emotion-game.desktop")["Exec"])
    # what the desktop runs at login, asked for play's help so it ends at once (exit 0: no restart)
    result = subprocess.run(command + ["--", "--help"], capture_output=True, text=True, cwd=tmp_path,
                            env=kiosk_env(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "usage: emotion-game play" in result.stdout
    assert "starting it again" not in result.stderr


def test_restart_policy():
    policy = RestartPolicy(first_wait_s=2, max_wait_s=30, stable_s=100)
    assert policy.next_wait(0, 5, 1) is None                         # the teacher quit
    assert policy.next_wait(130, 5, 1) is None                       # Ctrl+C
    assert policy.next_wait(-signal.SIGTERM, 5, 1) is None           # logout
    assert [policy.next_wait(1, 5, n) for n in (1, 2, 3, 4, 5, 6)] == [2, 4, 8, 16, 30, 30]
    assert policy.next_wait(-signal.SIGKILL, 5, 1) == 2              # killed (e.g. out of memory)
    assert policy.next_wait(1, 500, 6) == 2                          # it ran a long time: a fresh start


def test_supervisor_restarts_a_crashing_game_until_it_ends_cleanly(tmp_path):
    runs = tmp_path / "runs"
    game = tmp_path / "game.py"
    game.write_text(
        "import os, signal, sys\n"
        f"runs = {str(runs)!r}\n"
        "n = len(open(runs).read()) if os.path.exists(runs) else 0\n"
        "open(runs, 'a').write('x')\n"
        "if n == 0: sys.exit(3)\n"                       # a crash with an error status
        "if n == 1: os.kill(os.getpid(), signal.SIGSEGV)\n"  # a hard crash
        "sys.exit(0)\n")
    said: list[str] = []
    status = supervise([sys.executable, str(game)], RestartPolicy(first_wait_s=0.01, max_wait_s=0.05),
                       say=said.append)
    assert status == 0
    assert runs.read_text() == "xxx"
    assert len(said) == 2 and "exit status 3" in said[0] and f"exit status {-signal.SIGSEGV}" in said[1]


def test_a_stop_at_logout_ends_the_game_and_is_not_restarted(tmp_path):
    script = ("import sys; from game.kiosk import supervise; "
              "sys.exit(supervise([sys.executable, '-c', 'import time; time.sleep(60)']) and 7)")
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env=kiosk_env(tmp_path),
                               stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    status = process.wait(timeout=20)
    assert time.monotonic() - started < 10
    assert status == 7 and "starting it again" not in process.stderr.read()
