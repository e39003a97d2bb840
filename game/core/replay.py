"""Playing a journal back: its inputs, each once, at the step it took effect, in order.

A journal replays byte for byte (same seed, same inputs at the same steps), pauses
included: while paused the step index stands still, so several inputs share a step
and all of them are submitted before that one step.
"""

from __future__ import annotations

from typing import Any, Sequence

from game.core.drivers import SeatPort, SimulationPort
from game.core.events import INPUT_TYPES, InputEvent, input_from_record
from game.core.journal import JournalSink
from game.core.scenario import ScenarioDef
from game.core.simulation import Simulation
from game.core.tools import DEFAULT_TOOLS, ToolSpecs

#: Reasons the simulation gives itself at the end of a step it ran (``Simulation.step``): a
#: journal ending so ran its last step, and its replay runs that step too and ends the same way.
#: Every other end (``EndSession``, the host's ``finish``) comes before its step's simulation.
SELF_ENDED = frozenset({"time_limit"})


class JournalInputs:
    """An input provider that submits a journal's inputs at their steps."""

    def __init__(self, records: Sequence[dict[str, Any]]) -> None:
        self.inputs: list[tuple[int, InputEvent]] = [
            (int(r["step"]), input_from_record(r)) for r in records if r.get("type") in INPUT_TYPES
        ]
        self._next = 0

    @property
    def done(self) -> bool:
        return self._next >= len(self.inputs)

    def feed(self, sim: SeatPort) -> None:
        """Called before each step: submits every input journaled at this step not yet given."""
        step = sim.snapshot().step if self._next < len(self.inputs) else 0
        while self._next < len(self.inputs) and self.inputs[self._next][0] <= step:
            sim.submit(self.inputs[self._next][1])
            self._next += 1


def officers_of(start: dict[str, Any]) -> list[tuple[tuple[float, float], float]] | None:
    """Where a journal's officers started (its ``SessionStarted``; None: one, the scenario's trainee)."""
    starts = start.get("officers")
    return [((float(p[0]), float(p[1])), float(h)) for p, h in starts] if starts else None


def replay(scenario: ScenarioDef, records: Sequence[dict[str, Any]], journal: JournalSink,
           tools: ToolSpecs = DEFAULT_TOOLS) -> Simulation:
    """Plays ``records`` (a journal read back) into a fresh simulation writing ``journal``,
    and ends it the way the original ended (:class:`JournalEnd`). A journal cut short by a
    crash replays its last step too and then ends as ``cut_short``: compare the recorded
    bytes with the start of the replayed ones."""
    start = records[0]
    if start.get("type") != "SessionStarted":
        raise ValueError("a journal starts with SessionStarted")
    about = {k: start[k] for k in ("software", "trainee", "instructor") if k in start}
    sim = Simulation(scenario, seed=start["seed"], journal=journal, hz=int(start["hz"]), about=about, tools=tools,
                     officers=officers_of(start), dispatcher=str(start.get("dispatcher", "")))
    inputs = JournalInputs(records)
    end = JournalEnd(records, inputs)
    port = SimulationPort(sim)
    # bounded: a journal may end while paused (the step index then stands still)
    for _ in range(end.last_step + len(inputs.inputs) + 2):
        end.feed(sim)
        if sim.finished:
            break
        inputs.feed(port)
        sim.step(snapshot=False)
    if not sim.finished:
        sim.finish(end.reason)
    return sim


class JournalEnd:
    """Ends the simulation the way a recorded journal ended (the replay's stop rule, fed the
    simulation itself, not a seat's device fed a port): its
    ``SessionEnded`` reason, once every input is given and the last recorded step reached
    (a journal cut short by a crash ends at its last step as ``cut_short``)."""

    def __init__(self, records: Sequence[dict[str, Any]], inputs: JournalInputs) -> None:
        self.inputs = inputs
        ended = records[-1] if records[-1].get("type") == "SessionEnded" else None
        # a cut-short journal's last step is replayed too (its events may be there only in part)
        # and so is the last step of one the simulation ended itself (its time limit)
        self.last_step = int(records[-1]["step"]) + (0 if ended is not None and ended["reason"] not in SELF_ENDED else 1)
        self.reason = ended["reason"] if ended is not None else "cut_short"

    def feed(self, sim: Simulation) -> None:
        if self.inputs.done and sim.clock.step >= self.last_step and not sim.finished:
            sim.finish(self.reason)
