"""A real window under a virtual X display (Xvfb): plain ``talkdown run`` opens one and records."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine_support import virtual_display, wait_for

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.window,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Xvfb is a Linux test display"),
    pytest.mark.skipif(shutil.which("Xvfb") is None,
                       reason="Xvfb is not installed (python3 tools/bootstrap.py test installs it)"),
]


@pytest.fixture(scope="module")
def display():
    """A private Xvfb display for this module's tests."""
    with virtual_display(97, 120) as name:
        yield name


def test_plain_run_opens_a_window_and_records_a_session(display, tmp_path):
    env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "game", "run", "--duration", "2", "--size", "320x240",
                             "--out", str(tmp_path)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no display" not in result.stdout
    (run,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    info = json.loads((run / "run.json").read_text())
    assert info["mode"] == "window"
    assert info["finish_reason"] == "duration"
    assert info["rendered_frames"] > 5
    records = [json.loads(line) for line in (run / "journal.jsonl").read_text().splitlines()]
    assert records[0]["type"] == "SessionStarted" and records[-1]["type"] == "SessionEnded"
    assert records[-1]["reason"] == "duration"


@pytest.mark.skipif(shutil.which("xdotool") is None,
                    reason="xdotool is not installed (python3 tools/bootstrap.py test installs it)")
def test_real_key_presses_in_the_window_walk_talk_draw_and_end_the_session(display, tmp_path):
    env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "game", "run", "--duration", "60", "--size", "320x240",
                             "--out", str(tmp_path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)

    def xdo(*args: str) -> str:
        return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20).stdout

    try:
        window = ""
        deadline = time.monotonic() + 30
        while not window and time.monotonic() < deadline:
            window = xdo("search", "--name", "Talkdown").split("\n")[0]
            time.sleep(0.2)
        assert window, "the Talkdown window never appeared"
        while time.monotonic() < deadline:  # wait until the session's loop runs (it samples at 5 Hz)
            journals = list(tmp_path.glob("*/journal.jsonl"))
            if journals and journals[0].read_text().count("StateSampled") >= 3:
                break
            time.sleep(0.1)
        xdo("windowfocus", "--sync", window)
        time.sleep(0.3)
        xdo("keydown", "w")
        time.sleep(1.5)
        xdo("keyup", "w")
        xdo("key", "shift+z")  # shout: show me your hands
        time.sleep(0.3)
        xdo("key", "F3")  # draw the CEW
        time.sleep(0.3)
        xdo("key", "Escape")
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    (run,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    records = [json.loads(line) for line in (run / "journal.jsonl").read_text().splitlines()]
    moves = [r for r in records if r["type"] == "Move"]
    assert moves[-1]["position"][1] > moves[0]["position"][1] + 0.5, "W did not walk the trainee forward"
    says = [(r["intent"], r["tone"]) for r in records if r["type"] == "Say"]
    assert says == [("command_show_hands", "shout")]
    assert [r["tool"] for r in records if r["type"] == "Draw"] == ["cew"]
    assert records[-2]["type"] == "EndSession" and records[-2]["source"] == "trainee"
    info = json.loads((run / "run.json").read_text())
    assert info["finish_reason"] == "ended by trainee"
    # a window run saves frames for the review too: the first, the CEW drawn, the last
    draw = next(r["time"] for r in records if r["type"] == "Draw")
    times = [f["time"] for f in info["frames"]]
    assert len(times) >= 3 and any(draw <= t <= draw + 0.5 for t in times), times
    assert all((run / f["file"]).is_file() for f in info["frames"])


@pytest.mark.skipif(shutil.which("xdotool") is None,
                    reason="xdotool is not installed (python3 tools/bootstrap.py test installs it)")
def test_the_instructors_real_keys_escalate_pause_restart_into_a_new_run_folder_and_end(display, tmp_path):
    env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "game", "run", "--duration", "90", "--size", "480x270",
                             "--out", str(tmp_path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)

    def xdo(*args: str) -> str:
        return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20).stdout

    def journal_of(run_dir: Path) -> str:
        path = run_dir / "journal.jsonl"
        return path.read_text() if path.exists() else ""

    try:
        window = ""
        assert wait_for(lambda: bool(xdo("search", "--name", "Talkdown").strip()))
        window = xdo("search", "--name", "Talkdown").split("\n")[0]
        assert wait_for(lambda: any(journal_of(p).count("StateSampled") >= 3 for p in tmp_path.iterdir()))
        (first,) = list(tmp_path.iterdir())
        xdo("windowfocus", "--sync", window)
        time.sleep(0.3)
        xdo("key", "Prior")  # page up: escalate
        assert wait_for(lambda: '"type":"Escalate"' in journal_of(first))
        xdo("key", "F9")  # pause
        assert wait_for(lambda: '"type":"Pause"' in journal_of(first))
        time.sleep(0.5)
        xdo("key", "F9")  # resume
        assert wait_for(lambda: '"type":"Resume"' in journal_of(first))
        xdo("key", "F8")  # mark, with a typed note: the letters reach neither the trainee nor the console
        time.sleep(0.2)
        xdo("type", "--delay", "30", "wd 1")
        xdo("key", "Return")
        assert wait_for(lambda: '"type":"Mark"' in journal_of(first))
        xdo("key", "F8")
        time.sleep(0.2)
        xdo("key", "Escape")  # cancels the note; it does not end the trainee's session
        time.sleep(0.5)
        xdo("key", "F11")
        time.sleep(0.2)
        xdo("key", "F11")  # restart (a second press confirms)
        assert wait_for(lambda: len(list(tmp_path.iterdir())) == 2)
        (second,) = [p for p in tmp_path.iterdir() if p != first]
        assert wait_for(lambda: journal_of(second).count("StateSampled") >= 2)
        xdo("key", "F12")
        time.sleep(0.2)
        xdo("key", "F12")  # end
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    records = [json.loads(line) for line in journal_of(first).splitlines()]
    mine = [(r["type"], r["source"]) for r in records if r["source"] == "instructor"]
    assert mine == [("Escalate", "instructor"), ("Pause", "instructor"), ("Resume", "instructor"),
                    ("Mark", "instructor"), ("Restart", "instructor")]
    assert [r["note"] for r in records if r["type"] == "Mark"] == ["wd 1"]
    assert not [r for r in records if r["source"] == "trainee" and r["type"] in ("Say", "EndSession")]
    pause, resume = [r for r in records if r["type"] in ("Pause", "Resume")]
    assert pause["step"] == resume["step"], "the clock stood still while paused"
    info = json.loads((first / "run.json").read_text())
    assert (info["status"], info["finish_reason"], info["restarted_as"]) == ("finished", "restart", second.name)
    info2 = json.loads((second / "run.json").read_text())
    assert (info2["finish_reason"], info2["restart_of"]) == ("ended by instructor", first.name)
    assert info2["console_ms_per_frame"] > 0
