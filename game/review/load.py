"""From a run folder to its :class:`~game.review.analysis.Review`: finding the scenario it ran
(the file named in ``run.json``, else the installed one of the journaled id) and the policy."""

from __future__ import annotations

import json
import os
from pathlib import Path

from game.content.errors import ContentError, Problem
from game.content.library import resolve
from game.content.policy import load_policy
from game.content.scenario import LoadedScenario, load_scenario
from game.review.analysis import Review, analyse


def scenario_of(run_dir: Path) -> LoadedScenario:
    """The scenario a run folder was recorded with. Raises :class:`ContentError` when none is found."""
    info: dict = {}
    try:
        info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    path = (info.get("scenario") or {}).get("path", "")
    if path and not Path(path).is_absolute():  # relative to the run folder (a folder moved with its scenario)
        path = os.fspath(run_dir / path)
    if path and Path(path).is_file():
        return load_scenario(path)
    with open(run_dir / "journal.jsonl", encoding="utf-8", errors="replace") as f:
        try:
            first = json.loads(f.readline() or "{}")
        except ValueError:  # cut off in its first line, or not JSON at all
            first = {}
    sid = first.get("scenario", "")
    if first.get("type") != "SessionStarted":
        raise ContentError([Problem(os.fspath(run_dir), 0, 0, "", "the journal has no SessionStarted line "
                                    "(nothing was recorded, or it is not a Talkdown journal)")])
    candidate = resolve(sid, "scenarios") if sid else None
    if candidate is None or not candidate.is_file():
        raise ContentError([Problem(os.fspath(run_dir), 0, 0, "", f"cannot find the scenario '{sid}' this run was recorded with")])
    return load_scenario(candidate)


def review_run(run_dir: str | os.PathLike[str], policy: str | None = None) -> Review:
    """Reviews a run folder. Raises ``FileNotFoundError`` without a journal, ``ValueError`` for an
    empty one, :class:`ContentError` for a missing scenario or a broken policy."""
    run_dir = Path(run_dir)
    if not (run_dir / "journal.jsonl").is_file():
        raise FileNotFoundError(f"{run_dir}: no journal.jsonl (is it a run folder?)")
    loaded = scenario_of(run_dir)
    return analyse(run_dir, loaded.scenario, load_policy(policy))
