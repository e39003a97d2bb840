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


CURRENT = sorted(p for p in (FIXTURES / "current").iterdir() if p.is_dir()) if (FIXTURES / "current").is_dir() else []


@pytest.mark.parametrize("run", SIM1, ids=[p.name for p in SIM1])
def test_replay_check_passes_on_a_journal_recorded_before_seats_or_says_which_simulation_recorded_it(run, capsys):
    from game.core.simulation import SIMULATION_VERSION

    code = main(["replay", "--check", str(run)])
    out = capsys.readouterr().out.strip()
    if SIMULATION_VERSION == 1:
        assert code == 0, out
        assert "matches" in out
    else:  # the simulation changed how subjects behave: the check says so, in one line, unless nothing differs
        assert code == 0 and "matches" in out or (
            code == 1 and len(out.splitlines()) == 1
            and f"recorded by simulation 1, this is {SIMULATION_VERSION}: " in out), out


@pytest.mark.parametrize("run", CURRENT, ids=[p.name for p in CURRENT])
def test_replay_check_passes_on_a_journal_recorded_by_this_simulation(run, capsys):
    """``current/``: re-recorded (``record.py``) whenever ``SIMULATION_VERSION`` goes up."""
    from game.core.journal import read_journal
    from game.core.simulation import SIMULATION_VERSION
    from game.live.check import recorded_by

    assert recorded_by(read_journal(run / "journal.jsonl")) == SIMULATION_VERSION, "re-record current/ (record.py)"
    assert main(["replay", "--check", str(run)]) == 0, capsys.readouterr().out


def test_there_are_fixtures_of_this_simulation_once_it_is_not_the_first():
    from game.core.simulation import SIMULATION_VERSION

    assert SIMULATION_VERSION == 1 or CURRENT, "SIMULATION_VERSION went up: record tests/fixtures/journals/current/"


def test_a_journal_without_a_simulation_field_was_recorded_by_simulation_1():
    from game.core.journal import read_journal
    from game.live.check import recorded_by

    for run in SIM1:
        records = read_journal(run / "journal.jsonl")
        assert "simulation" not in records[0]
        assert recorded_by(records) == 1


def test_check_of_a_journal_from_another_simulation_version_says_so_in_one_line(tmp_path, capsys):
    import shutil

    from game.core.simulation import SIMULATION_VERSION

    run = tmp_path / "run"
    shutil.copytree(SIM1[0], run)
    journal = run / "journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines(keepends=True)
    other = SIMULATION_VERSION + 5
    lines[0] = lines[0].rstrip("}\n") + f',"simulation":{other}}}\n'
    journal.write_text("".join(lines), encoding="utf-8")
    (run / "run.json").write_text((run / "run.json").read_text().replace("../../", "../../../"), encoding="utf-8")
    code = main(["replay", "--check", str(run)])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 1
    assert len(out) == 1
    assert f"recorded by simulation {other}, this is {SIMULATION_VERSION}: " in out[0]
    assert "DIFFERS" not in out[0]


def test_a_journal_of_this_simulation_that_differs_still_says_differs(tmp_path, capsys):
    import shutil

    run = tmp_path / "run"
    shutil.copytree((CURRENT or SIM1)[0], run)
    journal = run / "journal.jsonl"
    text = journal.read_text(encoding="utf-8")
    journal.write_text(text.replace('"type":"StateSampled"', '"type":"StateSampled","x":1', 1), encoding="utf-8")
    assert main(["replay", "--check", str(run)]) == 1
    assert "DIFFERS" in capsys.readouterr().out
