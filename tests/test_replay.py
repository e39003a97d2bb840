"""``talkdown replay``: the session re-simulated from its journal reproduces the recording
byte for byte — without graphics (``--check``), and in 3D offscreen with views and seeking."""

from __future__ import annotations

import json

import pytest

from game.cli import main as talkdown
from game.core.events import Escalate
from review_support import record_run


def test_a_recorded_run_with_an_instructor_intervention_replays_byte_for_byte(tmp_path, capsys):
    done = []

    def feed(sim):
        if sim.now >= 4.0 and not done:
            sim.submit(Escalate(amount=0.2))
            done.append(1)

    run = record_run(tmp_path / "run", "domestic_disturbance", "poor", feed=feed)
    assert talkdown(["replay", str(run), "--check"]) == 0
    assert "matches the recording" in capsys.readouterr().out


def test_a_changed_journal_does_not_pass_the_check(tmp_path, capsys):
    run = record_run(tmp_path / "run", "welfare_check", "good")
    journal = run / "journal.jsonl"
    lines = journal.read_text().splitlines(keepends=True)
    i = next(i for i, x in enumerate(lines) if '"type":"SubjectSaid"' in x)
    lines[i] = lines[i].replace('"type":"SubjectSaid"', '"type":"SubjectSaid","edited":1')
    journal.write_text("".join(lines))
    assert talkdown(["replay", str(run), "--check"]) == 1
    assert "DIFFERS" in capsys.readouterr().out


def test_a_journal_cut_short_by_a_crash_replays_up_to_where_it_stops(tmp_path):
    run = record_run(tmp_path / "run", "welfare_check", "good")
    data = (run / "journal.jsonl").read_bytes()
    (run / "journal.jsonl").write_bytes(data[: len(data) // 2])
    assert talkdown(["replay", str(run), "--check"]) == 0


@pytest.mark.render
def test_the_3d_replay_matches_the_recording_and_seeking_back_arrives_at_the_same_journal(tmp_path):
    from engine_support import offscreen_base
    from game.engine.replay.player import Replay
    from game.review.load import scenario_of

    run = record_run(tmp_path / "run", "knife_parking_lot", "poor")
    with offscreen_base(320, 240) as base:
        replay = Replay(base, scenario_of(run), run, realtime=False, view="subject", frames=tmp_path / "frames",
                        frame_interval=2.0)
        try:
            assert replay.monitor.mode == "subject"
            replay.seek(6.0)
            replay.seek(2.0)  # back: re-simulated from the start
            assert abs(replay.session.sim.now - 2.0) < 0.02
            result = replay.run()
        finally:
            replay.destroy()
    assert result["matched"] and result["sim_seconds"] > 9.0
    assert len(list((tmp_path / "frames").glob("*.png"))) >= 3


@pytest.mark.render
def test_talkdown_replay_offscreen_says_it_matched(tmp_path, capsys):
    run = record_run(tmp_path / "run", "traffic_stop", "good", duration=8.0)
    assert talkdown(["replay", str(run), "--offscreen", "--size", "160x120", "--speed", "2"]) == 0
    assert "matches the recording byte for byte" in capsys.readouterr().out
    assert json.loads((run / "run.json").read_text())["status"] == "finished"


@pytest.mark.parametrize("args", [["--check"], ["--offscreen"]])
def test_a_journal_truncated_inside_its_first_line_is_a_one_line_error(tmp_path, capsys, args):
    run = record_run(tmp_path / "run", "welfare_check", "good", duration=3.0)
    (run / "journal.jsonl").write_bytes((run / "journal.jsonl").read_bytes()[:40])
    assert talkdown(["replay", str(run), *args]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no SessionStarted line" in err


@pytest.mark.parametrize("args, says", [
    (["--branch-at", "99"], "--branch-at 99 is outside the recording (0 to 3.0 s)"),
    (["--at", "-1"], "--at -1 is outside the recording"),
    (["--branch-at", "3.0", "--script", "x.yaml"], "a branch starts before it"),
    (["--script", "x.yaml"], "--script drives a branch: give --branch-at too"),
    (["--branch-at", "1"], "--branch-at needs --script (or a window)"),
    (["--branch-at", "1", "--script", "x.yaml", "--duration", "0"], "--duration must be above zero"),
])
def test_a_moment_outside_the_recording_or_a_branch_nobody_drives_is_a_one_line_error(tmp_path, capsys, args, says):
    run = record_run(tmp_path / "run", "welfare_check", "good", duration=3.0)
    assert talkdown(["replay", str(run), "--offscreen", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err


def test_a_replay_of_a_run_whose_scenario_file_changed_warns_in_one_line_and_says_it_differs(tmp_path, capsys):
    import json
    import shutil

    from game.cli import main as talkdown
    from game.content.library import package_dir
    from review_support import record_run

    scenario = tmp_path / "knife_parking_lot.yaml"
    shutil.copy(package_dir("scenarios") / "knife_parking_lot.yaml", scenario)
    for folder in ("scripts", "library"):
        shutil.copytree(package_dir("scenarios") / folder, tmp_path / folder)
    run = record_run(tmp_path / "run", "knife_parking_lot", "poor")
    info = json.loads((run / "run.json").read_text())
    info["scenario"]["path"] = str(scenario)  # as if it had been recorded from the agency's own copy
    (run / "run.json").write_text(json.dumps(info))
    assert talkdown(["replay", str(run), "--check"]) == 0
    assert "changed" not in capsys.readouterr().err
    scenario.write_text(scenario.read_text().replace("baseline_agitation: 0.62", "baseline_agitation: 0.3"))  # then someone edits it
    assert talkdown(["replay", str(run), "--check"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "the scenario file has changed since this run was recorded" in captured.err
    assert "DIFFERS" in captured.out


def _record_to_the_time_limit(run_dir, scenario_id="juvenile_shoplifter"):
    """A shipped scenario, a trainee who does nothing: the session runs to its ``time_limit``."""
    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.core.drivers import ScriptedTrainee, TraineeScript
    from game.live.session import Session

    loaded = load_scenario(package_dir("scenarios") / f"{scenario_id}.yaml")
    session = Session(loaded, seed=1, run_dir=run_dir, providers=[ScriptedTrainee(TraineeScript(actions=()))],
                      meta={"mode": "test"})
    while not session.done:
        session.step()
    session.close("completed")
    assert session.sim.finish_reason == "time_limit"
    return run_dir, loaded


def test_a_session_that_ran_to_its_time_limit_replays_byte_for_byte(tmp_path, capsys):
    run, _ = _record_to_the_time_limit(tmp_path / "run")
    assert talkdown(["replay", str(run), "--check"]) == 0
    assert "matches the recording" in capsys.readouterr().out


def test_the_3d_replays_journal_end_also_runs_the_last_step_of_a_session_that_hit_its_time_limit(tmp_path):
    from game.core.journal import read_journal
    from game.core.replay import JournalEnd, JournalInputs
    from game.live.session import Session

    run, loaded = _record_to_the_time_limit(tmp_path / "run")
    records = read_journal(run / "journal.jsonl")
    inputs = JournalInputs(records)
    end = JournalEnd(records, inputs)  # the journal's end is the session's stop rule, not a seat's device
    again = Session(loaded, seed=1, run_dir=tmp_path / "again", providers=[inputs], meta={"mode": "replay"})
    while not again.done:
        end.feed(again.sim)
        again.step()
    again.close("replay_stopped")
    assert (tmp_path / "again" / "journal.jsonl").read_bytes() == (run / "journal.jsonl").read_bytes()
