"""Branching a replay: from the replayed moment on, somebody else decides.

The core is deterministic, so the branch's session is a fresh session in a new run
folder that is fed the recording's inputs (:class:`~game.core.replay.JournalInputs`)
up to the branch step — its journal is byte for byte the recording's up to there,
``SessionStarted`` line included — and then hands over: the journal's inputs stop and
live providers feed it instead (the desk's :class:`~game.engine.desk.desktop.DesktopTrainee`
and :class:`~game.engine.console.instructor.InstructorConsole`, or a scripted trainee).
``run.json`` says where it came from: ``branched_from: {run_id, step, time}``.

A script's ``at`` times are session times, as in ``talkdown run --script``: actions
before the branch moment are skipped, the rest happen when the branched session's
clock reaches them.

A branch is one run: the instructor's restart (F11 twice) ends it like end does.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from game.content.bindings import Bindings
from game.content.scenario import LoadedScenario
from game.core.drivers import TraineeScript
from game.core.replay import JournalInputs, officers_of
from game.live.host import RunPlan, SessionHost
from game.live.session import Session

#: A scripted branch with no ``--duration`` stops this many simulated seconds after the branch
#: (a live one ends when the trainee or the instructor ends it, or the scenario ends).
SCRIPTED_BRANCH_SECONDS = 120.0


@dataclass
class BranchSetup:
    """Who takes the controls when a replay branches, and where the branch is written.

    ``out``: the folder for the branch's run folder (None: beside the recording's);
    ``script``: a scripted trainee (else the desk's keys ``trainee_keys``);
    ``instructor_keys``: the live instructor console's keys (None: no console);
    ``seconds``: stop the branch this many simulated seconds after it starts (None: a
    scripted branch stops after :data:`SCRIPTED_BRANCH_SECONDS`, a live one never);
    ``after``: the branch host's after-session hooks (``talkdown replay`` files the branch
    with :func:`~game.live.filing.filing_hook`, as ``talkdown run`` files a run)."""

    out: Path | None = None
    script: TraineeScript | None = None
    trainee_keys: Bindings | None = None
    instructor_keys: Bindings | None = None
    seconds: float | None = None
    after: Sequence[Callable[[Path, dict[str, Any]], None]] = ()

    @property
    def live(self) -> bool:
        return self.script is None

    def can_branch(self) -> bool:
        return self.script is not None or self.trainee_keys is not None


def script_from(script: TraineeScript, at: float) -> TraineeScript:
    """``script`` without the actions before session time ``at`` (they belong to the recording)."""
    return dataclasses.replace(script, actions=tuple(a for a in script.actions if a.at >= at - 1e-9))


def branch_host(loaded: LoadedScenario, records: Sequence[dict[str, Any]], recorded: dict[str, Any], *,
                run_dir: Path, step: int, time: float, setup: BranchSetup, tools: Any, mode: str) -> SessionHost:
    """A session host with a started session in a new run folder that replays ``records``'
    inputs up to ``step`` when stepped (call :func:`replay_to`); ``recorded`` is the
    recording's run.json data. The live devices then take the journal's place
    (:meth:`~game.live.host.SessionHost.hand_over`), and the host closes the branch in its
    one teardown order like any run."""
    start = records[0]
    out = setup.out if setup.out is not None else run_dir.parent
    seconds = setup.seconds if setup.seconds is not None else (None if setup.live else SCRIPTED_BRANCH_SECONDS)
    meta = {
        "mode": mode,
        "branched_from": {"run_id": recorded.get("run_id", run_dir.name), "step": step, "time": time},
        "script": setup.script.source if setup.script is not None else "",
        "console": setup.instructor_keys is not None,
        "tools": recorded.get("tools", ""),
    }
    plan = RunPlan(loaded, seed=int(start["seed"]), out=Path(out), duration=time + seconds if seconds is not None else None,
                   tools=tools, trainee=start.get("trainee", ""), instructor=start.get("instructor", ""),
                   officers=officers_of(start), software=start.get("software", ""), meta=meta)
    host = SessionHost(plan, [JournalInputs(records)], after=setup.after)
    host.start()
    return host


def branch_session(loaded: LoadedScenario, records: Sequence[dict[str, Any]], recorded: dict[str, Any], *,
                   run_dir: Path, step: int, time: float, setup: BranchSetup, tools: Any,
                   mode: str) -> Session:
    """:func:`branch_host`'s session (for callers that drive a session themselves)."""
    host = branch_host(loaded, records, recorded, run_dir=run_dir, step=step, time=time, setup=setup, tools=tools,
                       mode=mode)
    assert host.session is not None
    return host.session


def replay_to(session: Session, step: int) -> None:
    """Steps ``session`` (fed the recording's inputs) until its clock reaches ``step``."""
    while not session.done and session.step_index < step:
        session.step()
