"""A trainee script's instructor commands name branches by id or by number (the README's own
``{instructor: branch, branch: 2}``): ``talkdown validate`` and ``talkdown run`` read a script
through the same loader and agree on what it may name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from game.cli import main as talkdown
from game.content.library import package_dir
from game.content.scenario import load_scenario
from game.content.script import load_script_for
from game.core.drivers import ScriptedTrainee
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation

ROOT = Path(__file__).resolve().parent.parent


def script_file(tmp_path: Path, branch: object) -> Path:
    folder = tmp_path / "scripts"
    folder.mkdir(exist_ok=True)
    path = folder / "by_number.yaml"
    path.write_text("format_version: 1\nscenario: welfare_check\nactions:\n"
                    "  - {at: 0.5, say: greet, tone: calm}\n"
                    f"  - {{at: 2, instructor: branch, branch: {branch}}}\n")
    return path


def test_validate_accepts_a_branch_given_by_its_number_and_run_forces_that_branch(tmp_path, capsys):
    path = script_file(tmp_path, 2)
    assert talkdown(["validate", str(path)]) == 0
    assert "1 of 1 file(s) valid" in capsys.readouterr().out
    scenario = load_scenario(package_dir("scenarios") / "welfare_check.yaml").scenario
    script = load_script_for(path, [s.id for s in scenario.subjects], [b.id for b in scenario.branches])
    journal = MemoryJournal()
    sim = Simulation(scenario, seed=1, journal=journal)
    trainee = ScriptedTrainee(script)
    for _ in range(sim.clock.steps_for(3.0)):
        trainee.feed(sim)
        sim.step()
    forced = [r for r in journal.records() if r["type"] == "ForceBranch"]
    assert [r["branch"] for r in forced] == [scenario.branches[1].id] == ["runs_off"]


def test_a_branch_number_the_scenario_does_not_have_is_refused_by_validate_and_by_run_alike(tmp_path, capsys):
    path = script_file(tmp_path, 7)
    assert talkdown(["validate", str(path)]) == 1
    (said,) = [x for x in capsys.readouterr().out.splitlines() if "by_number.yaml" in x]
    assert said.endswith("actions[1].branch: no branch number 7 in the scenario "
                         "(it has 3: 1 = accepts_help, 2 = runs_off, 3 = lashes_out)")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    result = subprocess.run([sys.executable, "-m", "game", "run", "welfare_check", "--offscreen", "--no-records",
                             "--out", "runs", "--script", str(path)], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()  # named relative to its own working folder
    assert line.endswith(said.partition("by_number.yaml")[2])
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_run_refuses_a_script_naming_a_branch_the_scenario_lacks_as_validate_does(tmp_path, capsys):
    path = script_file(tmp_path, "runs_of")
    assert talkdown(["validate", str(path)]) == 1
    (said,) = [x for x in capsys.readouterr().out.splitlines() if "by_number.yaml" in x]
    assert "no branch 'runs_of' in the scenario (did you mean 'runs_off'?)" in said
    assert talkdown(["run", "welfare_check", "--offscreen", "--no-records", "--out", str(tmp_path / "runs"),
                     "--script", str(path)]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [said]
