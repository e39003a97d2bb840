"""The ``talkdown`` command as a user runs it: in a subprocess, checking what it leaves behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def talkdown(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


def only_run_dir(out: Path) -> Path:
    runs = [p for p in out.iterdir() if p.is_dir()]
    assert len(runs) == 1, runs
    return runs[0]


def read_png(path: Path) -> np.ndarray:
    from panda3d.core import PNMImage

    image = PNMImage()
    assert image.read(str(path)), f"{path} is not a readable image"
    w, h = image.get_x_size(), image.get_y_size()
    return np.array([[image.get_xel(x, y) for x in range(0, w, 4)] for y in range(0, h, 4)])


@pytest.mark.render
def test_an_offscreen_run_leaves_a_journal_run_json_and_frames_of_the_scene(tmp_path):
    result = talkdown("run", "--offscreen", "--out", str(tmp_path / "runs"), "--size", "320x240", "--seed", "5",
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    run = only_run_dir(tmp_path / "runs")
    records = [json.loads(line) for line in (run / "journal.jsonl").read_text().splitlines()]
    assert records[0]["type"] == "SessionStarted" and records[0]["seed"] == 5
    assert all({"step", "time", "type", "source"} <= r.keys() for r in records)
    trainee_words = [r for r in records if r["type"] == "Say" and r["source"] == "trainee"]
    assert len(trainee_words) >= 5
    decided = next(r["step"] for r in records if r["type"] == "ScenarioEnded")
    reactions = [r for r in records if r["type"] == "SubjectReacted" and r["cause"].startswith("said:")
                 and r["step"] <= decided]
    assert len(reactions) == len([w for w in trainee_words if w["step"] <= decided]), "a word went unanswered"
    assert any(r["type"] == "Move" for r in records)
    ended = [r for r in records if r["type"] == "ScenarioEnded"]
    assert ended and ended[0]["outcome"] == "resolved_peacefully"
    assert records[-1]["type"] == "SessionEnded"

    info = json.loads((run / "run.json").read_text())
    assert info["status"] == "finished" and info["ending"] == ended[0]["ending"] and info["mode"] == "offscreen"
    assert info["journal_lines"] == len(records)
    assert len(info["frames"]) >= 3
    steps = [f["step"] for f in info["frames"]]
    assert steps == sorted(set(steps)), "a frame was saved twice"
    for frame in info["frames"]:
        pixels = read_png(run / frame["file"])
        assert pixels.shape == (60, 80, 3)
        assert pixels.std() > 0.02, f"{frame['file']} is a flat colour, not the scene"
    assert "Traceback" not in result.stderr


@pytest.mark.render
def test_the_same_seed_and_script_give_the_same_journal_bytes_through_the_cli(tmp_path):
    for name in ("a", "b"):
        result = talkdown("run", "--offscreen", "--out", str(tmp_path / name), "--size", "160x120", "--seed", "9",
                          "--render-hz", "5", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    a = (only_run_dir(tmp_path / "a") / "journal.jsonl").read_bytes()
    b = (only_run_dir(tmp_path / "b") / "journal.jsonl").read_bytes()
    assert a == b


@pytest.mark.render
def test_a_poor_script_escalates_the_default_scenario(tmp_path):
    script = ROOT / "scenarios" / "scripts" / "welfare_check_poor.yaml"
    result = talkdown("run", "--offscreen", "--script", str(script), "--out", str(tmp_path), "--size", "160x120",
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    info = json.loads((only_run_dir(tmp_path) / "run.json").read_text())
    assert info["outcome"] in ("subject_fled", "officer_hurt")


@pytest.mark.render
def test_without_a_display_plain_run_says_so_and_runs_offscreen(tmp_path):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": ""}
    result = talkdown("run", "--out", str(tmp_path), "--size", "160x120", "--duration", "3", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "no display found; running offscreen" in result.stdout
    info = json.loads((only_run_dir(tmp_path) / "run.json").read_text())
    assert info["mode"] == "offscreen" and info["finish_reason"] == "duration"


def test_a_broken_scenario_gets_located_one_line_errors_and_no_traceback(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("format_version: 1\nid: broken\ntitle: Broken\nscene: parking_lot_night\n"
                      "subjects:\n  - id: s\n    position: [0, 'north']\nendings: []\n")
    result = talkdown("run", "--offscreen", str(broken), "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("broken.yaml:7:") and "subjects[0].position[1]" in line and "number" in line for line in lines), lines
    assert any("endings" in line and "at least 1" in line for line in lines), lines
    assert not (tmp_path / "runs").exists(), "a run folder was made for a scenario that cannot run"


def test_an_unknown_scenario_name_lists_the_installed_ones(tmp_path):
    result = talkdown("run", "no_such_call", cwd=tmp_path)
    assert result.returncode == 2
    assert "no such scenario" in result.stderr and "welfare_check" in result.stderr
    assert "Traceback" not in result.stderr


def test_scenarios_lists_the_default_scenario(tmp_path):
    result = talkdown("scenarios", cwd=tmp_path)
    assert result.returncode == 0
    assert any(line.startswith("welfare_check") for line in result.stdout.splitlines())


def test_validate_passes_the_installed_scenarios_and_fails_a_broken_one(tmp_path):
    good = talkdown("validate", cwd=tmp_path)
    assert good.returncode == 0, good.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("format_version: 3\n")
    result = talkdown("validate", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert "bad.yaml:1:1: format_version: this scenario is format 3, newer than this Talkdown reads" in result.stdout


def test_validate_a_folder_lists_every_error_of_each_file_in_line_order_without_a_traceback(tmp_path):
    source = (ROOT / "scenarios" / "knife_parking_lot.yaml").read_text()
    broken = source.replace("      - end: officer_stabbed", "      - end: officer_stabed").replace(
        "say: drops_knife", "say: drop_knife")
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "knife_parking_lot.yaml").write_text(broken)
    (tmp_path / "calls" / "welfare_check.yaml").write_text((ROOT / "scenarios" / "welfare_check.yaml").read_text())
    result = talkdown("validate", "calls", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "0 of 2 file(s) valid"  # both miss their scripts beside them
    knife = [line for line in lines if line.startswith("calls/knife_parking_lot.yaml:")]
    numbers = [int(line.split(":")[1]) for line in knife]
    assert numbers == sorted(numbers) and len(knife) == 3
    assert "no ending 'officer_stabed' (did you mean 'officer_stabbed'?)" in knife[-1]
    assert "has no lines 'drop_knife' (did you mean 'drops_knife'?)" in knife[1]


def test_validate_checks_each_input_file_with_the_loader_its_keys_name(tmp_path):
    folder = tmp_path / "input"
    folder.mkdir()
    replay = (ROOT / "input" / "replay.yaml").read_text().replace("device: replay", "device: replay\nbogus: 1")
    (folder / "ours-replay.yaml").write_text(replay)
    voice = (ROOT / "input" / "voice.yaml").read_text().replace("phrases:", "phrases:\n  sing_along: [la la la]", 1)
    (folder / "voice.yaml").write_text(voice)
    (folder / "xr.yaml").write_text((ROOT / "input" / "xr.yaml").read_text())
    (folder / "tools.yaml").write_text((ROOT / "input" / "tools.yaml").read_text().replace("cew:", "cew:\n  volts: 50000", 1))
    result = talkdown("validate", "input", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    out = result.stdout
    assert "input/ours-replay.yaml:" in out and "unknown key 'bogus'" in out
    assert "input/voice.yaml:" in out and "unknown spoken intent 'sing_along'" in out
    assert "input/tools.yaml:" in out and "volts" in out
    assert "input/xr.yaml" not in out and out.splitlines()[-1] == "1 of 4 file(s) valid"


def test_python_dash_m_game_reports_its_version(tmp_path):
    result = talkdown("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("talkdown ")


@pytest.mark.render
def test_bench_prints_every_measure_as_json(tmp_path):
    result = talkdown("bench", "--quick", "--json", "--no-voice", "--no-net", cwd=tmp_path)  # voice, net: their own tests
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    names = [r["name"] for r in data["results"]]
    assert names[:4] == ["simulation step, 1 subject", "simulation step, 8 subjects",
                         "read-model snapshot, 8 subjects", "scenario load (scenario + scene + script)"]
    assert any(n.startswith("offscreen frame") for n in names)
    assert "simulation step, 1 subject + a partner officer" in names
    assert {"review: analyse a run", "review: render the HTML report", "replay check (re-simulate, compare bytes)",
            "records: file a session (SQLite)"} <= set(names)
    assert all(r["median_ms"] > 0 for r in data["results"])
    assert data["machine"]["cores"] >= 1


def test_a_missing_script_file_is_a_one_line_error(tmp_path):
    result = talkdown("run", "--offscreen", "--script", "nowhere.yaml", "--out", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "nowhere.yaml: file not found"


@pytest.mark.render
def test_realtime_offscreen_runs_at_wall_clock_pace(tmp_path):
    result = talkdown("run", "--offscreen", "--realtime", "--duration", "1.5", "--size", "160x120",
                      "--out", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    info = json.loads((only_run_dir(tmp_path) / "run.json").read_text())
    assert info["finish_reason"] == "duration"
    assert info["wall_seconds"] >= 0.9 * info["sim_seconds"], "realtime ran faster than the clock"


@pytest.mark.render
def test_a_killed_session_keeps_its_journal_up_to_the_moment_it_died(tmp_path):
    import signal
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "game", "run", "--offscreen", "--realtime", "--size", "160x120",
                             "--out", str(tmp_path)], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        journal = None
        while time.monotonic() < deadline:
            runs = [p for p in tmp_path.iterdir() if p.is_dir()]
            journal = runs[0] / "journal.jsonl" if runs else None
            if journal is not None and journal.exists() and b'"type":"Say"' in journal.read_bytes():
                break
            time.sleep(0.1)
        else:
            pytest.fail("the session never reached the trainee's first words")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    from game.core.journal import read_journal

    records = read_journal(journal)
    assert records[0]["type"] == "SessionStarted"
    assert any(r["type"] == "Say" for r in records)
    steps = [r["step"] for r in records]
    assert steps == sorted(steps)
    info = json.loads((journal.parent / "run.json").read_text())
    assert info["status"] == "running", "run.json says how far the session got: it never finished"


def test_a_number_that_is_not_finite_is_refused_by_the_command_line(tmp_path):
    result = talkdown("run", "--offscreen", "--render-hz", "nan", "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert result.returncode == 2
    assert "must be a finite number above zero" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "runs").exists()


def test_an_out_folder_that_cannot_be_made_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    result = talkdown("run", "--offscreen", "--out", str(blocker), cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("talkdown: error: cannot create the run folder") and "Traceback" not in result.stderr
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "missing" / "deeper")
    result = talkdown("run", "--offscreen", "--out", str(dangling), cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "cannot create the run folder" in result.stderr


@pytest.mark.render
def test_a_script_written_for_another_scenario_gets_a_warning(tmp_path):
    script = tmp_path / "other.yaml"
    script.write_text("format_version: 1\nscenario: bridge_crisis\nactions:\n  - {at: 0.5, say: greet}\n")
    result = talkdown("run", "--offscreen", "--script", str(script), "--duration", "1", "--size", "64x64",
                      "--out", str(tmp_path / "runs"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "written for scenario 'bridge_crisis', not 'welfare_check'" in result.stderr


def test_an_authors_own_scenes_folder_in_the_working_directory_does_not_hide_the_installed_content(tmp_path):
    (tmp_path / "scenes").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenes" / "park.yaml").write_text((ROOT / "scenes" / "park.yaml").read_text())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # as a user runs it: the installed package
    result = subprocess.run([sys.executable, "-m", "game", "validate", "scenes/park.yaml"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stdout.strip().endswith("1 of 1 file(s) valid")


@pytest.mark.render
def test_a_run_at_quality_high_records_it_and_an_unknown_quality_is_refused(tmp_path):
    result = talkdown("run", "--offscreen", "--quality", "high", "--duration", "2", "--no-frames",
                      "--out", str(tmp_path / "runs"), "--size", "160x120", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    info = json.loads((only_run_dir(tmp_path / "runs") / "run.json").read_text())
    assert info["quality"] == "high" and info["status"] == "finished"
    auto = talkdown("run", "--offscreen", "--duration", "1", "--no-frames", "--out", str(tmp_path / "auto"),
                    "--size", "160x120", cwd=tmp_path)
    assert auto.returncode == 0, auto.stderr
    assert json.loads((only_run_dir(tmp_path / "auto") / "run.json").read_text())["quality"] == "low", \
        "auto is not low on llvmpipe"
    bad = talkdown("run", "--offscreen", "--quality", "ultra", cwd=tmp_path)
    assert bad.returncode == 2 and "invalid choice: 'ultra'" in bad.stderr and "Traceback" not in bad.stderr
