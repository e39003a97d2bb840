"""The instructor's inputs in the core: escalate and calm, forced branches and why one
cannot start, pause and resume, restart, marks — each journaled with source
``instructor`` at the step it took effect, and every journal replays byte for byte."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from game.content import load_scenario
from game.content.errors import ContentError
from game.content.library import package_dir
from game.content.script import load_script
from game.core import FileJournal, MemoryJournal, Simulation, read_journal
from game.core.drivers import ScriptAction, ScriptedTrainee, TraineeScript
from game.core.events import Calm, Draw, EndSession, Escalate, ForceBranch, Mark, Move, Pause, Restart, Resume, Say, Use
from game.core.replay import replay

SCENARIOS = package_dir("scenarios")


@pytest.fixture(scope="module")
def knife():
    return load_scenario(SCENARIOS / "knife_parking_lot.yaml").scenario


@pytest.fixture(scope="module")
def welfare():
    return load_scenario(SCENARIOS / "welfare_check.yaml").scenario


def started(scenario, seconds=0.5, seed=5):
    sim = Simulation(scenario, seed=seed, journal=MemoryJournal())
    sim.run_for(seconds)
    return sim


def records(sim, *types):
    return [r for r in sim.journal.records() if r["type"] in types]


# ------------------------------------------------------------- the next step


def test_an_escalate_acts_in_the_very_next_step_and_is_journaled_there_as_the_instructors(welfare):
    sim = started(welfare)
    before, step = sim.minds[0].state.agitation, sim.clock.step
    sim.submit(Escalate(amount=0.2, subject="dale"))
    sim.step()
    (line,) = records(sim, "Escalate")
    assert (line["step"], line["source"], line["subject"]) == (step, "instructor", "dale")
    reacted = [r for r in records(sim, "SubjectReacted") if r["cause"] == "instructor:escalate"]
    assert reacted[0]["step"] == step
    assert sim.minds[0].state.agitation == pytest.approx(before + 0.2, abs=0.01)


def test_calm_at_the_minimum_changes_nothing_and_says_it_moved_nothing(welfare):
    sim = started(welfare)
    sim.minds[0].state.agitation = 0.0
    sim.submit(Calm(amount=0.15, subject="dale"))
    sim.step()
    reacted = [r for r in records(sim, "SubjectReacted") if r["cause"] == "instructor:calm"]
    assert reacted[0]["delta_agitation"] == 0.0 and reacted[0]["agitation"] == 0.0


# ------------------------------------------------------------------ branches


def test_a_forced_branch_starts_in_the_next_step_and_a_second_force_is_refused_as_already_running(knife):
    sim = started(knife)
    assert sim.can_force("pleads_from_ground") is None
    sim.submit(ForceBranch(branch="pleads_from_ground"))
    sim.step()
    assert sim.minds[0].state.branch == "pleads_from_ground"
    assert sim.can_force("pleads_from_ground") == "already running"
    sim.submit(ForceBranch(branch="pleads_from_ground"))
    sim.step()
    (refused,) = records(sim, "BranchRefused")
    assert (refused["branch"], refused["subject"], refused["reason"]) == ("pleads_from_ground", "aaron", "already running")
    assert len(records(sim, "BranchEntered")) == 1


def test_a_weapon_branch_is_refused_once_the_subject_has_dropped_his_weapon(knife):
    sim = started(knife)
    assert sim.can_force("drops_knife") is None
    sim.minds[0].drop_weapon()
    assert sim.can_force("drops_knife") == "Aaron Kessler no longer has a weapon"
    assert sim.can_force("self_harm") is None  # not about the weapon
    sim.submit(ForceBranch(branch="drops_knife"))
    sim.step()
    assert records(sim, "BranchRefused")[0]["reason"] == "Aaron Kessler no longer has a weapon"
    assert sim.minds[0].state.branch == ""


def test_no_branch_can_be_forced_on_a_subject_who_is_down_after_a_cew_hit(knife):
    sim = started(knife)
    sim.submit(Move(position=(0.0, -3.0), heading=0.0))
    sim.submit(Draw(tool="cew"))
    sim.step()
    subject = sim.minds[0].state.position
    sim.submit(Move(position=(subject[0], subject[1] - 4.0), heading=0.0))
    sim.step()
    sim.submit(Use(hand="right"))
    sim.step()
    assert sim.minds[0].incapacitated_until > sim.now
    assert sim.can_force("self_harm") == "Aaron Kessler is down for 5 s more"


def test_nothing_can_be_forced_once_the_scenario_has_ended_or_for_an_unknown_branch(welfare):
    sim = started(welfare)
    assert sim.can_force("no_such") == "no branch 'no_such' in this scenario"
    sim._end("walked_away" if welfare.ending("walked_away") else welfare.endings[0].id, "dale")
    assert sim.can_force("runs_off").startswith("the scenario has ended")


# ------------------------------------------------------------------- pausing


def test_pause_freezes_the_clock_and_the_subject_until_resume(welfare):
    sim = started(welfare, seconds=2.0)
    sim.submit(Pause())
    sim.step()
    step, now, state = sim.clock.step, sim.now, sim.minds[0].state
    frozen = (state.position, state.heading, state.agitation, state.posture, state.activity)
    lines = len(sim.journal.lines)
    for _ in range(300):
        sim.step()
    assert sim.paused and (sim.clock.step, sim.now) == (step, now)
    assert (state.position, state.heading, state.agitation, state.posture, state.activity) == frozen
    assert len(sim.journal.lines) == lines, "nothing happens while paused (no samples either)"
    sim.submit(Resume())
    sim.step()
    assert not sim.paused and sim.clock.step == step + 1


def test_while_paused_the_instructor_acts_and_the_trainees_inputs_wait_for_resume(welfare):
    sim = started(welfare)
    sim.submit(Pause())
    sim.step()
    sim.submit(Say(intent="greet"))
    sim.submit(Move(position=(0.0, -9.0), heading=0.0))
    sim.submit(Escalate(amount=0.1))
    sim.step()
    sim.submit(Move(position=(0.0, -8.0), heading=0.0))
    sim.step()
    assert [r["type"] for r in records(sim, "Say", "Move", "Escalate")] == ["Escalate"]
    sim.submit(Resume())
    sim.step()
    kinds = [(r["type"], r["step"]) for r in records(sim, "Pause", "Escalate", "Resume", "Say", "Move")]
    step = kinds[0][1]
    assert kinds == [("Pause", step), ("Escalate", step), ("Resume", step), ("Say", step), ("Move", step)]
    assert sim.trainee.position == (0.0, -8.0), "only the latest pose is kept"


def test_a_paused_session_can_still_be_ended_and_keeps_its_journal(welfare, tmp_path):
    path = tmp_path / "journal.jsonl"
    with FileJournal(path) as journal:
        sim = Simulation(welfare, seed=2, journal=journal)
        sim.run_for(1.0)
        sim.submit(Pause())
        sim.step()
        sim.submit(EndSession(by="instructor", reason="ended by instructor"))
        sim.step()
    assert sim.finished and sim.paused
    lines = read_journal(path)
    assert [r["type"] for r in lines[-3:]] == ["Pause", "EndSession", "SessionEnded"]
    assert lines[-1]["reason"] == "ended by instructor"


def test_restart_ends_the_session_with_reason_restart(welfare):
    sim = started(welfare)
    sim.submit(Restart())
    sim.step()
    assert sim.finished and sim.finish_reason == "restart"
    assert [r["type"] for r in sim.journal.records()[-2:]] == ["Restart", "SessionEnded"]


def test_a_mark_keeps_the_moment_the_key_was_pressed_besides_the_step_it_was_typed_in(welfare):
    sim = started(welfare, seconds=3.0)
    sim.submit(Mark(note="stood too close", at=1.23456))
    sim.step()
    (mark,) = records(sim, "Mark")
    assert (mark["note"], mark["at"], mark["source"]) == ("stood too close", 1.2346, "instructor")
    with pytest.raises(ValueError, match="finite"):
        sim.submit(Mark(at=float("nan")))


# ---------------------------------------------------- scripts and replays


def scripted(*actions):
    return ScriptedTrainee(TraineeScript(actions=tuple(
        ScriptAction(at=at, verb=verb, args=MappingProxyType({verb: value, **extra}))
        for at, verb, value, extra in actions)))


def run_session(scenario, journal, feed, seconds=20.0, seed=11):
    sim = Simulation(scenario, seed=seed, journal=journal)
    while not sim.finished and (sim.now < seconds or sim.paused):
        feed(sim)
        sim.step()
    sim.finish("duration")
    return sim


INTERVENTIONS = (
    (0.5, "walk_to", [0.0, -5.0], {}),
    (2.0, "instructor", "escalate", {"amount": 0.3}),
    (3.0, "instructor", "pause", {}),
    (3.5, "say", "greet", {}),
    (4.0, "instructor", "mark", {"note": "paused to talk"}),
    (4.5, "instructor", "calm", {}),
    (6.0, "instructor", "resume", {}),
    (7.0, "instructor", "branch", {"branch": 2}),
    (9.0, "instructor", "branch", {"branch": 2}),
    (10.0, "instructor", "pause", {}),
    (10.5, "instructor", "resume", {}),
)


def test_a_script_with_instructor_commands_pauses_on_the_session_clock_and_forces_branches_by_number(welfare):
    sim = run_session(welfare, MemoryJournal(), scripted(*INTERVENTIONS).feed)
    got = [(r["type"], r["time"]) for r in sim.journal.records() if r["source"] == "instructor"]
    assert [t for t, _ in got] == ["Escalate", "Pause", "Mark", "Calm", "Resume", "ForceBranch", "ForceBranch",
                                   "Pause", "Resume"]
    assert dict(got)["Mark"] == pytest.approx(3.0), "the simulation's clock stood still for the whole pause"
    assert got[5][1] == pytest.approx(4.0, abs=0.02), "7 s on the session clock, less 3 s paused"
    entered = records(sim, "BranchEntered")
    assert (entered[0]["branch"], entered[0]["cause"]) == (welfare.branches[1].id, "instructor")
    (refused,) = records(sim, "BranchRefused")
    assert refused["reason"] == "already running" or refused["reason"].startswith("the scenario has ended")
    (say,) = records(sim, "Say")
    assert say["step"] == [r for r in sim.journal.records() if r["type"] == "Resume"][0]["step"]


def test_a_journal_with_pauses_replays_byte_for_byte(welfare, tmp_path):
    path = tmp_path / "journal.jsonl"
    with FileJournal(path) as journal:
        run_session(welfare, journal, scripted(*INTERVENTIONS).feed)
    again = MemoryJournal()
    replay(welfare, read_journal(path), again)
    assert again.text() == path.read_text(encoding="utf-8")
    assert sum(r["type"] == "Pause" for r in again.records()) == 2


def test_the_same_script_with_interventions_gives_the_same_bytes_twice(welfare):
    a, b = MemoryJournal(), MemoryJournal()
    run_session(welfare, a, scripted(*INTERVENTIONS).feed)
    run_session(welfare, b, scripted(*INTERVENTIONS).feed)
    assert a.text() == b.text() and len(a.lines) > 100


def _script(tmp_path, body):
    path = tmp_path / "s.yaml"
    path.write_text("format_version: 1\nactions:\n" + body, encoding="utf-8")
    return path


def test_a_script_that_pauses_and_never_resumes_gets_a_located_error(tmp_path):
    path = _script(tmp_path, "  - {at: 1, instructor: pause}\n  - {at: 2, say: greet}\n")
    with pytest.raises(ContentError) as err:
        load_script(path)
    (problem,) = err.value.problems
    assert (problem.line, problem.path) == (3, "actions[0].instructor")
    assert "never resumed" in problem.message


def test_script_instructor_commands_are_checked_for_what_they_need_and_what_fits(tmp_path):
    path = _script(tmp_path, "  - {at: 1, instructor: branch}\n  - {at: 2, instructor: escalate, note: hi}\n"
                             "  - {at: 3, instructor: resume}\n")
    with pytest.raises(ContentError) as err:
        load_script(path)
    assert [(p.line, p.path, p.message) for p in err.value.problems] == [
        (3, "actions[0]", "'instructor: branch' needs 'branch'"),
        (4, "actions[1].note", "'note' does not apply to 'instructor: escalate'"),
        (5, "actions[2].instructor", "resume without an earlier pause"),
    ]
    numbered = _script(tmp_path, "  - {at: 1, instructor: branch, branch: 0}\n")
    with pytest.raises(ContentError, match="must be at least 1"):
        load_script(numbered)


def test_script_instructor_commands_with_good_keys_load(tmp_path):
    path = _script(tmp_path, "  - {at: 1, instructor: branch, branch: 3}\n  - {at: 2, instructor: pause}\n"
                             "  - {at: 3, instructor: mark, note: here}\n  - {at: 4, instructor: resume}\n")
    assert [a.args["instructor"] for a in load_script(path).actions] == ["branch", "pause", "mark", "resume"]
