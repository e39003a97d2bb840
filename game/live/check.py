"""The journal comparison: re-simulate a recorded journal and compare it byte for byte.

One implementation for ``talkdown replay --check``, the 3D replay's verdict and a
branch's shared prefix. A journal recorded by another simulation version (see
:data:`~game.core.simulation.SIMULATION_VERSION`) is not expected to re-simulate
identically; the verdict then says so in one line instead of a bare "DIFFERS".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from game.core.journal import MemoryJournal, read_journal
from game.core.replay import replay
from game.core.simulation import SIMULATION_VERSION
from game.core.tools import DEFAULT_TOOLS, ToolSpecs


def recorded_by(records: Sequence[dict[str, Any]]) -> int:
    """The simulation version that recorded a journal (its ``SessionStarted`` says; absent: 1)."""
    if not records:
        return SIMULATION_VERSION
    try:
        return int(records[0].get("simulation", 1))
    except (TypeError, ValueError):
        return 1


def version_note(records: Sequence[dict[str, Any]]) -> str:
    """'' when this simulation recorded the journal, else the one line that says it did not."""
    version = recorded_by(records)
    if version == SIMULATION_VERSION:
        return ""
    return (f"recorded by simulation {version}, this is {SIMULATION_VERSION}: re-simulating it may differ "
            "from what happened (the 3D replay and the review show the recording as it is)")


@dataclass(frozen=True, slots=True)
class Comparison:
    """How a replayed journal compares with the recorded one."""

    matched: bool
    lines: int  # the recording's complete lines
    first_difference: int | None = None  # 1-based line number, None when matched
    note: str = ""  # the version line, when another simulation recorded it

    def verdict(self, name: str) -> str:
        if self.matched and self.note:
            return f"{name}: {self.note}; yet after its first line the replay matches the recording ({self.lines} lines)"
        if self.matched:
            return f"{name}: {self.lines} line(s); the replay matches the recording"
        if self.note:
            return f"{name}: {self.note} (first difference at line {self.first_difference})"
        return f"{name}: {self.lines} line(s); the replay DIFFERS from the recording (first at line {self.first_difference})"


def compare(recorded: bytes, replayed: bytes, *, records: Sequence[dict[str, Any]] = (),
            prefix_only: bool = False) -> Comparison:
    """Compares the recording's complete lines with the replay's. ``prefix_only``: the replay
    may go on further (a journal cut short by a crash, a replay stopped early is the other way
    round: pass the replay as ``recorded``)."""
    recorded = recorded[: recorded.rfind(b"\n") + 1]  # a crash may have left half a line
    mine = replayed[: len(recorded)] if prefix_only else replayed
    lines = recorded.count(b"\n")
    if mine == recorded:
        return Comparison(True, lines)
    note = version_note(records)
    a, b = mine.split(b"\n"), recorded.split(b"\n")
    skip = 1 if note else 0  # another version: its SessionStarted line says so; compare what happened
    if note and a[1:] == b[1:]:
        return Comparison(True, lines, None, note)
    first = next((i + 1 for i, (x, y) in enumerate(zip(a, b)) if i >= skip and x != y), min(len(a), len(b)))
    return Comparison(False, lines, first, note)


def check_journal(records: Sequence[dict[str, Any]], recorded: bytes, scenario: Any,
                  tools: ToolSpecs = DEFAULT_TOOLS) -> Comparison:
    """Re-simulates ``records`` (the journal read back; ``recorded`` its bytes) with ``scenario``."""
    journal = MemoryJournal()
    replay(scenario, records, journal, tools=tools)
    cut_short = bool(records) and records[-1].get("type") != "SessionEnded"
    return compare(recorded, journal.text().encode("utf-8"), records=records, prefix_only=cut_short)


def check_run(run: Path) -> Comparison:
    """``talkdown replay --check``: re-simulates a run folder's journal and compares it."""
    from game.content.tools import load_tools
    from game.review.load import scenario_of

    records = read_journal(run / "journal.jsonl")
    try:
        info = json.loads((run / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        info = {}
    scenario, tools = scenario_of(run).scenario, load_tools(info.get("tools") or None)
    return check_journal(records, (run / "journal.jsonl").read_bytes(), scenario, tools)
