"""Journals recorded by older code still replay: the fixtures under tests/fixtures/journals/.

``sim1/`` holds journals recorded before seats existed (simulation version 1); they are
never re-recorded. ``talkdown replay --check`` re-simulates each one and compares it byte
for byte with the recording.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "journals"
SIM1 = sorted(p for p in (FIXTURES / "sim1").iterdir() if p.is_dir())


def test_there_are_fixtures_of_several_scenarios_with_instructor_inputs_and_a_time_limit():
    names = [p.name for p in SIM1]
    assert len({n.split("_s")[0] for n in names}) >= 5
    journals = {p.name: (p / "journal.jsonl").read_text(encoding="utf-8") for p in SIM1}
    assert any('"source":"instructor"' in j for j in journals.values())
    assert any('"reason":"time_limit"' in j for j in journals.values())


@pytest.mark.parametrize("run", SIM1, ids=[p.name for p in SIM1])
def test_replay_check_passes_on_a_journal_recorded_before_seats(run, capsys):
    code = main(["replay", "--check", str(run)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "matches" in out
