"""Scripted sessions of shipped scenarios recorded to a run folder, without rendering (for review and records tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from game.content.library import package_dir
from game.content.scenario import load_scenario
from game.content.script import load_script
from game.core.drivers import ScriptedTrainee
from game.live.session import Session


def record_run(run_dir: Path, scenario_id: str, kind: str, *, seed: int = 1, trainee: str = "Alex Doe",
               instructor: str = "Sam Roe", duration: float = 120.0,
               feed: Callable[[Any], None] | None = None) -> Path:
    """Runs ``scenarios/scripts/<scenario>_<kind>.yaml`` to its end and closes the session like the runner."""
    loaded = load_scenario(package_dir("scenarios") / f"{scenario_id}.yaml")
    script = load_script(package_dir("scenarios") / "scripts" / f"{scenario_id}_{kind}.yaml")
    session = Session(loaded, seed=seed, run_dir=run_dir, providers=[ScriptedTrainee(script)], duration=duration,
                      trainee=trainee, instructor=instructor, meta={"mode": "test"})
    while not session.done:
        if feed is not None:
            feed(session.sim)
        session.step()
    session.close("completed")
    return run_dir
