"""A partner officer in the core: it arrives, covers, follows the trainee's lead, misbehaves
where its scenario says, and is stopped by an intervention — journaled, deterministic, replayed
byte for byte and played back from the recording."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest

from game.core.conditions import Context, compile_condition
from game.core.drivers import ScriptAction, ScriptedTrainee, TraineeScript
from game.core.events import Move, Say
from game.core.journal import MemoryJournal
from game.core.playback import JournalPlayback
from game.core.replay import replay
from game.core.scenario import (Arrival, EndingDef, OfficerDef, PartnerDef, Profile, ScenarioDef, SubjectDef)
from game.core.seats import SeatError
from game.core.simulation import Simulation
from game.core.world import TraineeState, angle_between, distance, heading_to


def scenario(tree=None, arrives=Arrival(), lines=None, subject_tree=None) -> ScenarioDef:
    partner = PartnerDef(tree=tree, lines=MappingProxyType(lines or {}), arrives=arrives, watches="sam")
    officers = (OfficerDef(1, (0.0, -6.0), 0.0), OfficerDef(2, (2.0, -7.0), 0.0, name="Officer Kerr", partner=partner))
    sam = SubjectDef("sam", "Sam", (0.0, 0.0), 180.0, profile=Profile(baseline_agitation=0.2, baseline_trust=0.4,
                                                                       comfort_distance=2.0),
                     lines=MappingProxyType({"reply": ("Okay.",)}), tree=subject_tree)
    return ScenarioDef("t", "T", "park", (sam,), (EndingDef("calm", "resolved_peacefully"),),
                       trainee_position=(0.0, -6.0), officers=officers, time_limit=120.0)


def run(sc: ScenarioDef, seconds: float, inputs=(), seed: int = 1) -> Simulation:
    """Steps ``sc`` for ``seconds``, submitting each (time, event) of ``inputs`` when due."""
    sim = Simulation(sc, seed=seed, journal=MemoryJournal())
    due = sorted(inputs, key=lambda x: x[0])
    while sim.now < seconds and not sim.finished:
        while due and due[0][0] <= sim.now + 1e-9:
            sim.submit(due.pop(0)[1])
        sim.step()
    return sim


def of_type(sim: Simulation, kind: str) -> list[dict]:
    return [r for r in sim.journal.records() if r["type"] == kind]


ESCALATES = {"selector": [
    {"when": {"intervened": True}, "do": {"step_back": {"distance": 3.0, "speed": "walk"}}},
    {"when": {"after": 3}, "do": [{"slur": "insult"}, {"crowd": 0.9}]},
    {"cover": True},
]}


def test_a_partner_who_comes_with_the_trainee_is_on_scene_at_once_and_takes_a_cover_position():
    sim = run(scenario(), 8.0)
    (arrived,) = of_type(sim, "OfficerArrived")
    assert arrived["step"] == 0 and arrived["officer"] == "officer:2" and arrived["cause"] == "start"
    kerr = sim.officers["officer:2"]
    # 3.5 m from the subject, 50 degrees off the line from the subject to the trainee
    assert distance(kerr.position, (0.0, 0.0)) == pytest.approx(3.5, abs=0.05)
    off_line = angle_between(heading_to((0.0, 0.0), kerr.position), heading_to((0.0, 0.0), sim.trainee.position))
    assert off_line == pytest.approx(50.0, abs=1.0)
    assert [r["activity"] for r in of_type(sim, "OfficerActivityChanged")] == ["cover"]
    view = sim.snapshot().officer("officer:2")
    assert view.partner and view.name == "Officer Kerr" and view.activity == "cover"
    assert not sim.snapshot().trainee.partner


def test_backup_arrives_after_the_radio_call_and_never_without_one():
    called = scenario(arrives=Arrival(at=None, on_call=("call_backup",), after=10.0))
    assert not of_type(run(called, 30.0), "OfficerArrived")
    sim = run(called, 30.0, [(4.0, Say(intent="call_backup", text="Control, send me a unit."))])
    (arrived,) = of_type(sim, "OfficerArrived")
    assert arrived["time"] == pytest.approx(14.0, abs=0.02) and arrived["cause"] == "call"
    # until then officer 2 is not in the scene: not sampled, not anybody's contact
    before = [r for r in of_type(sim, "StateSampled") if r["time"] < 13.9]
    assert before and not any(r.get("officers") for r in before)
    timed = run(scenario(arrives=Arrival(at=6.0)), 10.0)
    assert of_type(timed, "OfficerArrived")[0]["time"] == pytest.approx(6.0, abs=0.02)


def test_the_partner_officers_seat_takes_no_inputs():
    sim = Simulation(scenario(), seed=1, journal=MemoryJournal())
    with pytest.raises(SeatError, match="partner officer"):
        sim.submit(Move(position=(1.0, 1.0), heading=0.0, by="officer:2"))


def test_the_default_partner_acknowledges_the_trainees_lead_and_steps_back_when_told():
    sim = run(scenario(), 14.0, [(6.0, Say(intent="take_lead")), (8.0, Say(intent="partner_step_back"))])
    followed = of_type(sim, "OfficerFollowed")
    assert [(r["order"], r["leader"]) for r in followed] == [("take_lead", "trainee"), ("partner_step_back", "trainee")]
    said = [r["text"] for r in of_type(sim, "OfficerSaid")]
    assert "Copy, you talk. I'll cover." in said and "Backing off." in said
    assert distance(sim.officers["officer:2"].position, (0.0, 0.0)) == pytest.approx(5.5, abs=0.1)
    # the subject did not take orders meant for the partner as words to it
    assert not [r for r in of_type(sim, "SubjectReacted") if "take_lead" in r["cause"]]
    assert not [r for r in of_type(sim, "SubjectSaid") if r["time"] >= 6.0]


def test_a_partners_slur_and_crowding_agitate_the_subject_until_an_intervention_stops_it():
    lines = {"insult": ("I know your type.",)}
    alone = run(scenario(ESCALATES, lines=lines), 12.0)
    stopped = run(scenario(ESCALATES, lines=lines), 12.0, [(4.0, Say(intent="intervene", tone="shout"))])
    assert of_type(alone, "OfficerSaid")[0]["conduct"] == "slur"
    assert any(r["cause"] == "partner_slur" for r in of_type(alone, "SubjectReacted"))
    assert alone.subjects["sam"].agitation > stopped.subjects["sam"].agitation + 0.2
    (record,) = of_type(stopped, "OfficerIntervened")
    assert record == {**record, "officer": "officer:2", "intervener": "trainee", "how": "intervene", "reached": True,
                      "needed": True}
    seen = [r for r in of_type(stopped, "SubjectReacted") if r["cause"] == "intervened:officer:2"]
    assert seen and seen[0]["delta_trust"] > 0
    assert stopped.officers["officer:2"] is not None and of_type(stopped, "OfficerActivityChanged")[-1]["activity"] == "step_back"
    assert alone.team.intervened == [] and stopped.team.intervened[0][3] is True


def test_a_hand_on_the_shoulder_counts_only_within_reach_and_an_intervention_without_misconduct_is_not_needed():
    far = run(scenario(ESCALATES, lines={"insult": ("x",)}), 6.0, [(4.0, Say(intent="hold_partner"))])
    assert [(r["reached"], r["needed"]) for r in of_type(far, "OfficerIntervened")] == [(False, True)]
    early = run(scenario(ESCALATES, lines={"insult": ("x",)}), 3.0, [(1.0, Say(intent="intervene"))])
    assert [(r["reached"], r["needed"]) for r in of_type(early, "OfficerIntervened")] == [(True, False)]


def test_an_officer_who_walks_in_between_the_partner_and_the_subject_intervenes_by_being_there():
    script = TraineeScript((ScriptAction(4.0, "walk_to", MappingProxyType({"walk_to": (0.2, -0.8), "speed": 2.0})),))
    sim = Simulation(scenario(ESCALATES, lines={"insult": ("x",)}), seed=1, journal=MemoryJournal())
    trainee = ScriptedTrainee(script)
    while sim.now < 10.0:
        trainee.feed(sim)
        sim.step()
    hows = [r["how"] for r in of_type(sim, "OfficerIntervened")]
    assert hows[:1] == ["stepped_between"], hows


def test_a_session_with_a_partner_replays_byte_for_byte_and_plays_back_with_the_partner_where_it_was():
    sc = scenario(ESCALATES, lines={"insult": ("x",)})
    sim = run(sc, 12.0, [(2.0, Say(intent="take_lead")), (5.0, Say(intent="intervene"))], seed=7)
    sim.finish("ended")
    records = sim.journal.records()
    again = replay(sc, records, MemoryJournal())
    assert again.journal.text() == sim.journal.text()
    played = MemoryJournal()
    playback = JournalPlayback(sc, records, played)
    snaps = []
    while not playback.finished:
        snaps.append(playback.step().snapshot)
    assert played.text() == sim.journal.text()
    sample = next(r for r in records if r["type"] == "StateSampled" and r["time"] >= 10.0)
    snap = next(s for s in snaps if s.time >= sample["time"] - 1e-9)
    kerr = snap.officer("officer:2")
    assert kerr.partner and kerr.name == "Officer Kerr"
    assert kerr.position == pytest.approx(tuple(sample["officers"]["officer:2"]["position"]), abs=0.01)
    assert json.dumps(records).count('"OfficerArrived"') == 1


def test_conditions_can_name_another_officer_and_ask_about_interventions():
    subject = TraineeState(position=(0.0, 0.0))
    kerr = TraineeState(position=(0.0, -1.0), hands={"left": "", "right": "baton"})
    officers = {"officer:1": TraineeState(position=(0.0, -6.0)), "officer:2": kerr}

    class Team:
        intervened = [(2.0, "officer:2", "intervene", True)]
        misconduct = [(1.0, "officer:2", "slur", "sam")]

    from game.core.world import SubjectState
    s = SubjectState("sam", (0.0, 0.0), 180.0, (0.0, 0.0), 0.3, 0.3)
    ctx = Context(5.0, officers["officer:1"], s, {"sam": s}, officers, Team())
    assert compile_condition({"officer_within": {"officer": 2, "distance": 1.5}}).holds(ctx)
    assert not compile_condition({"officer_within": {"officer": 1, "distance": 1.5}}).holds(ctx)
    assert compile_condition({"officer": {"number": 2, "tool_drawn": "baton", "trainee_within": 1.2}}).holds(ctx)
    assert not compile_condition({"officer": {"number": 3}}).holds(ctx)  # not on scene
    assert compile_condition({"intervened": 5}).holds(ctx) and not compile_condition({"intervened": 2}).holds(ctx)
    assert compile_condition({"misconduct": True}).holds(ctx) and not compile_condition({"intervened": False}).holds(ctx)
    assert not compile_condition({"intervened": True}).holds(Context(5.0, officers["officer:1"], s, {"sam": s}))
    assert subject.position == (0.0, 0.0)


def test_a_subject_can_react_to_the_partner_by_number():
    tree = {"selector": [{"when": {"officer_within": {"officer": 2, "distance": 2.0}}, "do": {"retreat": 4.0}},
                         {"idle": True}]}
    sim = run(scenario(ESCALATES, lines={"insult": ("x",)}, subject_tree=tree), 10.0)
    assert any(r["activity"] == "retreat" for r in of_type(sim, "SubjectActivityChanged"))
