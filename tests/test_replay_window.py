"""``talkdown replay`` in a real window under a virtual X display (Xvfb), driven by real key
presses (xdotool): B takes the controls, the trainee's keys walk and talk, the
instructor's F12 twice ends the branch, which is recorded as a new run."""

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
from review_support import record_run

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.window,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Xvfb is a Linux test display"),
    pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
                       reason="Xvfb or xdotool is not installed (python3 tools/bootstrap.py test installs them)"),
]


def test_pressing_b_in_the_replay_window_hands_the_session_to_the_keys_and_records_a_branch(tmp_path):
    recording = record_run(tmp_path / "recording", "traffic_stop", "good", duration=40.0)
    out = tmp_path / "branches"
    with virtual_display(201, 240) as display:
        env = {**os.environ, "DISPLAY": display, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen([sys.executable, "-m", "game", "replay", str(recording), "--size", "480x270",
                                 "--out", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)

        def xdo(*args: str) -> str:
            return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20).stdout

        try:
            assert wait_for(lambda: bool(xdo("search", "--name", "Talkdown replay").strip()))
            window = xdo("search", "--name", "Talkdown replay").split("\n")[0]
            time.sleep(1.5)  # a little of the replay plays
            xdo("windowfocus", "--sync", window)
            time.sleep(0.2)
            xdo("key", "b")  # take the controls
            assert wait_for(lambda: any(out.glob("*/journal.jsonl")), 20.0), "no branch run folder"
            (branch,) = out.iterdir()
            time.sleep(0.5)
            xdo("keydown", "w")
            time.sleep(1.2)
            xdo("keyup", "w")
            xdo("key", "8")  # offer help
            time.sleep(0.3)
            xdo("key", "F12")
            time.sleep(0.2)
            xdo("key", "F12")  # the instructor ends it (a second press confirms)
            output, _ = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, output
    assert "matches the recording up to the branch" in output
    info = json.loads((branch / "run.json").read_text())
    assert info["finish_reason"] == "ended by instructor" and info["mode"] == "window"
    step = info["branched_from"]["step"]
    assert info["branched_from"]["run_id"] == "recording" and step > 0
    mine = [json.loads(x) for x in (branch / "journal.jsonl").read_text().splitlines()]
    theirs = [json.loads(x) for x in (recording / "journal.jsonl").read_text().splitlines()]
    before = [r for r in theirs if r["step"] < step]
    assert mine[:len(before)] == before, "the branch's journal is the recording's up to the branch"
    after = mine[len(before):]
    assert [(r["intent"], r["source"]) for r in after if r["type"] == "Say"] == [("offer_help", "trainee")]
    start = [r["position"] for r in before if r["type"] == "Move"][-1]
    end = [r["position"] for r in after if r["type"] == "Move"][-1]
    assert abs(end[0] - start[0]) + abs(end[1] - start[1]) > 0.5, "W walked the trainee"
    assert [r["type"] for r in mine[-2:]] == ["EndSession", "SessionEnded"]
    # the branch is a run of its own: it saved frames for its review, from the branch on
    assert info["frames"] and all((branch / f["file"]).is_file() for f in info["frames"])
    assert min(f["step"] for f in info["frames"]) >= step
