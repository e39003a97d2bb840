"""``talkdown run`` with the instructor: scripted interventions reproduce byte for byte
(offscreen, with the console drawn into the frames), and a bad console bindings file is
refused before anything is recorded."""

from __future__ import annotations

import json

import pytest

from game.content import load_scenario
from game.content.library import package_dir
from game.core import MemoryJournal, read_journal
from game.core.replay import replay

from test_cli import only_run_dir, read_png, talkdown

SCRIPT = """format_version: 1
title: Welfare check with an instructor who interferes
scenario: welfare_check
actions:
  - {at: 0.5, walk_to: [0.0, -6.0]}
  - {at: 2.0, instructor: escalate, amount: 0.25}
  - {at: 3.0, instructor: pause}
  - {at: 3.5, say: greet, tone: calm}
  - {at: 4.0, instructor: mark, note: "paused to brief the trainee"}
  - {at: 5.0, instructor: resume}
  - {at: 6.0, instructor: branch, branch: 2}
  - {at: 7.0, instructor: calm}
"""


@pytest.mark.render
def test_a_script_with_instructor_commands_reproduces_offscreen_with_the_console_in_the_frames(tmp_path):
    script = tmp_path / "interfering.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    journals = []
    for name in ("a", "b"):
        result = talkdown("run", "welfare_check", "--offscreen", "--console", "--script", str(script), "--duration",
                          "9", "--size", "320x180", "--out", str(tmp_path / name), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        run = only_run_dir(tmp_path / name)
        journals.append((run / "journal.jsonl").read_bytes())
    assert journals[0] == journals[1]
    records = read_journal(run / "journal.jsonl")
    mine = [r["type"] for r in records if r["source"] == "instructor"]
    assert mine == ["Escalate", "Pause", "Mark", "Resume", "ForceBranch", "Calm"]
    (say,) = [r for r in records if r["type"] == "Say"]
    assert say["step"] == next(r["step"] for r in records if r["type"] == "Resume"), "the trainee waited for resume"
    scenario = load_scenario(package_dir("scenarios") / "welfare_check.yaml").scenario
    again = MemoryJournal()
    replay(scenario, records, again)
    assert again.text().encode("utf-8") == journals[1]
    info = json.loads((run / "run.json").read_text())
    assert info["console"] is True and info["console_ms_per_frame"] > 0
    frame = read_png(run / info["frames"][-1]["file"])
    h, w, _ = frame.shape
    panel = frame[h // 8: h // 2, w - w // 5: w - 2]
    assert (panel.max(axis=2) > 0.5).mean() > 0.01, "the HUD's gauges and text show in the frame"


def test_a_console_bindings_file_with_a_trainee_key_is_refused_before_anything_is_recorded(tmp_path):
    keys = tmp_path / "console.yaml"
    keys.write_text("format_version: 1\ndevice: instructor\nactions:\n  escalate: [page_up]\n  pause: [space]\n",
                    encoding="utf-8")
    result = talkdown("run", "--offscreen", "--console", "--instructor-bindings", str(keys), "--out",
                      str(tmp_path / "runs"), cwd=tmp_path)
    assert result.returncode == 2
    assert "console.yaml:5:" in result.stderr and "actions.pause[0]" in result.stderr
    assert not (tmp_path / "runs").exists() or not list((tmp_path / "runs").iterdir())
