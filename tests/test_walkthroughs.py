"""The shipped library: every scenario validates, runs offscreen, and its scripted trainees
show the difference good practice makes — a "good" trainee reaches a peaceful ending, a
"poor" one (crowds, shouts, draws early) escalates — read from the journal, deterministically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.content.library import installed, package_dir
from game.content.scenario import load_scenario
from game.content.script import load_script
from game.core.drivers import ScriptedTrainee
from game.core.journal import MemoryJournal
from game.core.scenario import PEACEFUL_OUTCOMES
from game.core.simulation import Simulation

SHIPPED = [
    "welfare_check", "traffic_stop", "bridge_crisis", "domestic_disturbance", "dementia_welfare",
    "intoxicated_trespasser", "knife_parking_lot", "deaf_subject", "juvenile_shoplifter",
    # scenario format 2, with a partner officer (game/core/partner.py)
    "domestic_two_officers", "backup_mid_call", "duty_to_intervene",
]
SCRIPTS = package_dir("scenarios") / "scripts"
SEEDS = (1, 2, 3)


def walk(scenario_id: str, kind: str, seed: int) -> tuple[Simulation, list[dict]]:
    loaded = load_scenario(package_dir("scenarios") / f"{scenario_id}.yaml")
    script = load_script(SCRIPTS / f"{scenario_id}_{kind}.yaml")
    assert script.scenario in ("", scenario_id)
    sim = Simulation(loaded.scenario, seed=seed, journal=MemoryJournal())
    trainee = ScriptedTrainee(script)
    while not sim.finished and sim.ending is None:
        trainee.feed(sim)
        sim.step()
    return sim, sim.journal.records()


def peak_agitation(records: list[dict]) -> float:
    return max((r["agitation"] for r in records if r["type"] == "SubjectReacted"), default=0.0)


def test_the_library_is_exactly_the_shipped_scenarios():
    assert sorted(p.stem for p in installed("scenarios")) == sorted(SHIPPED)


def test_talkdown_validate_passes_on_every_shipped_file():
    result = subprocess.run([sys.executable, "-m", "game", "validate"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout
    files = len(SHIPPED) + 2 + 6  # the scenarios, the shared library, the default policy and the six input/ files
    assert result.stdout.strip().splitlines()[-1].startswith(f"{files} of {files} ")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_a_good_trainee_reaches_a_peaceful_ending(scenario_id, seed):
    sim, records = walk(scenario_id, "good", seed)
    (ended,) = [r for r in records if r["type"] == "ScenarioEnded"]
    assert ended["outcome"] in PEACEFUL_OUTCOMES, (ended, peak_agitation(records))
    assert not [r for r in records if r["type"] in ("ToolUsed", "SubjectAttacked") and r.get("force", True)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_a_poor_trainee_escalates_the_call(scenario_id, seed):
    sim, records = walk(scenario_id, "poor", seed)
    ended = [r for r in records if r["type"] == "ScenarioEnded"]
    assert not ended or ended[0]["outcome"] not in PEACEFUL_OUTCOMES, ended
    assert ended or peak_agitation(records) > 0.85
    good_sim, good_records = walk(scenario_id, "good", seed)
    assert peak_agitation(records) > peak_agitation(good_records)


@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_a_walkthrough_journal_is_the_same_bytes_every_time(scenario_id):
    a = walk(scenario_id, "poor", 4)[0].journal.text()
    b = walk(scenario_id, "poor", 4)[0].journal.text()
    assert a == b


@pytest.mark.render
@pytest.mark.parametrize("scenario_id", SHIPPED)
def test_every_scenario_runs_offscreen_from_the_command_line(scenario_id, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "game", "run", "--offscreen", scenario_id, "--out", str(tmp_path),
         "--size", "80x60", "--render-hz", "2", "--frame-interval", "30"],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    (run,) = [p for p in Path(tmp_path).iterdir() if p.is_dir()]
    assert (run / "journal.jsonl").stat().st_size > 0
    assert "ending:" in result.stderr or "ending:" in result.stdout
