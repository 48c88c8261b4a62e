"""The teacher gate (issue 14 item 7, issue 17 item 4), played on the real game with SDL's dummy
driver: a PIN typed on the touch number pad, from the settings file or chosen at first use;
wrong PINs lock the pad for a minute, then longer, across visits; quitting asks first; the
way in is told only in grown-ups' places; a window close in kiosk mode asks for the PIN
instead of ending the game (a real QUIT event in the real loop, and a real window manager
close under Xvfb)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from typing import Iterator

import pygame
import pytest

from game.cli import build_parser
from game.levels import DEFAULT_ASSETS_DIR, load_levels
from game.play.commands import options_from_args
from game.play.teacher_pin import TeacherPin
from game.progress import open_store
from game.settings import load_settings
from tests.conftest import REPO
from tests.play.harness import Driver, game_options, make_game, write_levels
from game.play.build import build_game

CORNER = (10, 710)


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'progress.sqlite3'}", journal_dir=tmp_path / "journal")
    yield s
    s.close()


@pytest.fixture
def levels(tmp_path):
    return list(load_levels(write_levels(tmp_path / "levels"), DEFAULT_ASSETS_DIR).levels)


def pin_game(store, levels, tmp_path, pin: str | None = "2468", **kwargs):
    options = game_options(store, levels, **kwargs)
    options.teacher_pin, options.pin_file = pin, tmp_path / "config" / "teacher-pin"
    return build_game(options, note=lambda text: None)


@contextmanager
def from_welcome(game) -> Iterator[Driver]:
    """A driver for `game`, which starts on the welcome screen (where a grown-up finds the
    corner); the game is closed afterwards, whatever the test found."""
    d = Driver(game)
    try:
        game.replace("welcome")
        d.run(0.1)
        yield d
    finally:
        game.close()


def hold_corner(d: Driver) -> None:
    d.run(2.2, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=CORNER, button=1)])
    d.run(0.1, [pygame.event.Event(pygame.MOUSEBUTTONUP, pos=CORNER, button=1)])


def tap_pin(d: Driver, pin: str) -> None:
    """Tap the digits on the gate's number pad, then OK, as a finger would."""
    for value in list(pin) + ["enter"]:
        key = next(k for k in d.game.scene.pad.keys if k.value == value)
        d.click(key.rect.center)


def test_the_settings_files_pin_reaches_the_game(tmp_path, monkeypatch, store, levels):
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text('teacher_pin = "8642"\n')
    monkeypatch.setenv("EMOTION_GAME_SETTINGS", str(settings_file))
    options = options_from_args(build_parser(load_settings()).parse_args(["play"]))
    assert options.teacher_pin == "8642"
    options.window, options.camera, options.store, options.levels = "offscreen", None, store, levels
    options.pin_file = tmp_path / "config" / "teacher-pin"
    game = build_game(options, note=lambda text: None)
    with from_welcome(game) as d:
        hold_corner(d)
        assert d.scene == "gate" and game.scene.step == "enter"   # no "choose a PIN": the file set it
        tap_pin(d, "8642")
        assert d.scene == "teacher"


def test_wrong_pins_lock_the_pad_for_a_minute_then_longer_across_visits(store, levels, tmp_path):
    game = pin_game(store, levels, tmp_path)
    with from_welcome(game) as d:
        hold_corner(d)
        assert d.scene == "gate"
        tap_pin(d, "1111")
        assert d.scene == "gate" and "2" in game.scene.message       # says so, and how many tries are left
        tap_pin(d, "1234")
        tap_pin(d, "0000")
        assert d.scene == "gate-locked"
        tap_pin(d, "2468")                                           # even the right PIN waits now
        assert d.scene == "gate-locked"
        d.press(pygame.K_ESCAPE)                                     # a child walks off and comes back
        assert d.scene == "welcome"
        hold_corner(d)
        assert d.scene == "gate-locked"                              # the lock-out is not reset by leaving
        d.run(58.0)
        d.press(pygame.K_ESCAPE)
        hold_corner(d)
        assert d.scene == "gate"                                     # a minute later, PINs are taken again
        for pin in ("1111", "2222", "3333"):
            tap_pin(d, pin)
        assert d.scene == "gate-locked"
        assert game.gate.lock.locked_for(d.now) > 100                # the second lock-out is longer (2 min)
        d.run(121.0)
        d.press(pygame.K_ESCAPE)
        hold_corner(d)
        tap_pin(d, "2468")
        assert d.scene == "teacher"
        assert game.gate.lock.lockouts == 0 and game.gate.lock.wrong == 0   # the right PIN starts again


def test_first_use_chooses_a_pin_twice_and_the_next_start_asks_for_it(store, levels, tmp_path):
    pin_file = tmp_path / "config" / "teacher-pin"
    game = pin_game(store, levels, tmp_path, pin=None)
    with from_welcome(game) as d:
        hold_corner(d)
        assert game.scene.step == "choose"
        tap_pin(d, "12")                                             # too short: the rule is said
        assert game.scene.message == game.phrases.get("gate.pin_rule", "en")
        tap_pin(d, "5791")
        tap_pin(d, "5790")                                           # not the same: start again
        assert game.scene.first_choice is None and d.scene == "gate"
        tap_pin(d, "5791")
        tap_pin(d, "5791")
        assert d.scene == "teacher"
    assert pin_file.is_file() and "5791" not in pin_file.read_text()     # kept as a salted hash
    kept = TeacherPin(None, pin_file)
    assert kept.is_set and kept.matches("5791") and not kept.matches("5790")
    again = pin_game(store, levels, tmp_path, pin=None)
    with from_welcome(again) as d:
        hold_corner(d)
        assert again.scene.step == "enter"                           # the chosen PIN is asked for now
        tap_pin(d, "5791")
        assert d.scene == "teacher"


def test_quit_asks_first_and_no_goes_back(store, levels, tmp_path):
    from game.play.scenes.teacher import ROWS

    game = pin_game(store, levels, tmp_path)
    with from_welcome(game) as d:
        game.open_teacher()
        d.run(0.1)
        teacher = game.scene
        d.click(teacher.row_rect(ROWS.index("quit")).center)
        assert d.scene == "ask-quit" and game.running
        no = game.scene.buttons.buttons[-1]
        assert no.action == ""
        d.click(no.rect.center)
        assert game.scene is teacher and game.running
        d.click(teacher.row_rect(ROWS.index("quit")).center)
        d.press(pygame.K_RETURN)                                     # Enter picks the safe answer
        assert game.scene is teacher and game.running
        d.click(teacher.row_rect(ROWS.index("quit")).center)
        yes = game.scene.buttons.buttons[0]
        assert yes.action == "quit"
        d.click(yes.rect.center)
        assert not game.running


def test_the_way_in_is_told_in_the_teacher_area_not_on_the_childs_screens(store, levels, tmp_path):
    game = pin_game(store, levels, tmp_path)
    d = Driver(game)
    hint = game.phrases.get("teacher.hold_hint", "en")
    drawn: list[str] = []
    text, wrapped = game.res.text, game.res.wrapped

    def recorded_text(t, *args, **kwargs):
        drawn.append(t)
        return text(t, *args, **kwargs)

    def recorded_wrapped(t, *args, **kwargs):
        drawn.append(t)
        return wrapped(t, *args, **kwargs)

    game.res.text, game.res.wrapped = recorded_text, recorded_wrapped
    try:
        game.replace("welcome")
        d.run(0.5)
        d.press(pygame.K_RETURN)                                     # the choose screen, with nobody to choose
        d.run(0.5)
        assert d.scene.startswith("choose")
        assert not any("Ctrl" in t or "corner" in t for t in drawn), [t for t in drawn if "Ctrl" in t]
        game.open_teacher()
        d.run(0.2)
        assert hint in drawn
    finally:
        game.res.text, game.res.wrapped = text, wrapped
        game.close()


def test_a_window_close_in_kiosk_mode_opens_the_gate_in_the_real_loop(store, levels, tmp_path):
    """A real QUIT event through pygame's event queue into Game.run (the loop the kiosk runs)."""
    for kiosk in (True, False):
        game = pin_game(store, levels, tmp_path, kiosk=kiosk)
        pygame.display.set_mode((320, 200))
        game.replace("welcome")
        try:
            game.run(seconds=0.3)
            pygame.event.post(pygame.event.Event(pygame.QUIT))
            game.run(seconds=0.5)
            if kiosk:
                assert game.running and game.scene.name == "gate"     # asked for the PIN, not gone
                pygame.event.post(pygame.event.Event(pygame.QUIT))    # again over the gate: still there
                game.run(seconds=0.3)
                assert game.running and game.scene.name == "gate"
            else:
                assert not game.running                               # a window (--windowed) closes
        finally:
            game.close()


XVFB_GAME = """
import sys, time
import pygame
from game.play.build import GameOptions, build_game
from game.progress import open_store
store = open_store(sys.argv[1])
game = build_game(GameOptions(camera=None, store=store, mute=True, window="windowed", kiosk=True,
                              teacher_pin="2468", pin_file=sys.argv[2]), note=lambda t: None)
game.replace("welcome")
game.run(seconds=float(sys.argv[3]))
print("scene", game.scene.name, "running", game.running, flush=True)
game.close(); store.close()
"""


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_a_window_manager_close_under_xvfb_opens_the_gate(tmp_path):
    """The X server's own close: a WM_DELETE_WINDOW message sent to the game's window (what a
    window manager sends on Alt+F4), under a real Xvfb display, to the real game."""
    xlib = pytest.importorskip("Xlib.display", reason="python-xlib is needed to send the close")
    display_no = 91 + os.getpid() % 100
    xvfb = subprocess.Popen(["Xvfb", f":{display_no}", "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("SDL_VIDEODRIVER",)}
        env.update(DISPLAY=f":{display_no}", SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="dummy")
        time.sleep(1.0)
        game = subprocess.Popen([sys.executable, "-c", XVFB_GAME, f"sqlite:///{tmp_path / 'p.sqlite3'}",
                                 str(tmp_path / "pin"), "12"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        from Xlib import X, protocol
        conn = xlib.Display(f":{display_no}")
        delete_atom = conn.intern_atom("WM_DELETE_WINDOW")
        window, deadline = None, time.monotonic() + 30
        while window is None and time.monotonic() < deadline:
            time.sleep(0.3)
            for child in conn.screen().root.query_tree().children:   # no window manager: the game's is on top
                if delete_atom in (child.get_wm_protocols() or ()):
                    window = child
        assert window is not None, "the game's window did not show"
        event = protocol.event.ClientMessage(window=window, client_type=conn.intern_atom("WM_PROTOCOLS"),
                                             data=(32, [delete_atom, X.CurrentTime, 0, 0, 0]))
        window.send_event(event)
        conn.flush()
        out, err = game.communicate(timeout=60)
        assert game.returncode == 0, err[-2000:]
        assert "scene gate running True" in out, (out, err[-2000:])
    finally:
        xvfb.send_signal(signal.SIGTERM)
        xvfb.wait(10)
