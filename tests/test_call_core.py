"""The call before the call (issue 19): the caller, the facts, the incident card, the
briefing, the unit's arrival and the radio — in the pure core, deterministic and journaled."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.content.scenario import load_scenario
from game.core.events import (AnswerCall, AskCaller, DispatchUnit, FillCard, Move, Radio, RadioAnswer, Say)
from game.core.journal import MemoryJournal
from game.core.replay import replay
from game.core.seats import SeatError
from game.core.simulation import Simulation

ROOT = Path(__file__).resolve().parent.parent
BRIDGE = ROOT / "scenarios" / "bridge_crisis.yaml"


@pytest.fixture(scope="module")
def bridge():
    return load_scenario(BRIDGE).scenario


def run_steps(sim, seconds):
    for _ in range(int(round(seconds * sim.clock.hz))):
        sim.step()


def types(journal):
    return [r["type"] for r in journal.records()]


def take_call(sim, *, weapons=True, shout=False):
    sim.submit(AnswerCall(by="dispatcher"))
    run_steps(sim, 1)
    asks = ["address", "who", "weapons"] if weapons else ["address", "who"]
    for q in asks:
        sim.submit(AskCaller(question=q, tone="shout" if shout else "normal", by="dispatcher"))
        run_steps(sim, 1)
    sim.submit(FillCard(field="location", value="Ferry Street bridge, east side, mid-span", by="dispatcher"))
    sim.submit(FillCard(field="persons", value="One woman, thirties, dark coat, alone", by="dispatcher"))
    if weapons:
        sim.submit(FillCard(field="weapons", value="None seen", by="dispatcher"))
    sim.submit(FillCard(field="priority", value="1", by="dispatcher"))
    run_steps(sim, 0.5)
    sim.submit(DispatchUnit(by="dispatcher"))
    sim.step()


def test_without_a_dispatcher_a_scenario_with_a_call_runs_as_before_with_no_call_in_the_journal(bridge):
    journal = MemoryJournal()
    sim = Simulation(bridge, seed=3, journal=journal)
    run_steps(sim, 2)
    assert sim.call is None and not sim.en_route
    assert not {"CallRang", "BriefingGiven", "OfficerArrived"} & set(types(journal))
    assert "dispatcher" not in journal.records()[0]
    assert "StateSampled" in types(journal)


def test_the_briefing_is_exactly_the_card_the_dispatcher_filled_and_the_scene_starts_on_arrival(bridge):
    journal = MemoryJournal()
    sim = Simulation(bridge, seed=3, journal=journal, dispatcher="Jo")
    sim.step()
    assert journal.records()[0]["dispatcher"] == "Jo"
    assert types(journal)[1] == "CallRang" and sim.en_route
    take_call(sim)
    briefing = next(r for r in journal.records() if r["type"] == "BriefingGiven")
    assert briefing["card"] == {"location": "Ferry Street bridge, east side, mid-span",
                                "weapons": "None seen", "persons": "One woman, thirties, dark coat, alone",
                                "priority": "1"}
    assert briefing["text"] == ("Location: Ferry Street bridge, east side, mid-span. Weapons: None seen. "
                                "Persons: One woman, thirties, dark coat, alone. Priority: 1.")
    # nothing of the scene happens on the way
    assert "StateSampled" not in types(journal)
    run_steps(sim, bridge.call.travel + 1)
    t = types(journal)
    assert "OfficerArrived" in t and t.index("OfficerArrived") < t.index("StateSampled")
    assert not sim.en_route and sim.scene_start > 0


def test_the_caller_tells_what_each_question_reveals_and_a_shouted_at_caller_says_less(bridge):
    calm, shouted = MemoryJournal(), MemoryJournal()
    for journal, shout in ((calm, False), (shouted, True)):
        sim = Simulation(bridge, seed=3, journal=journal, dispatcher="dispatcher")
        sim.step()
        sim.submit(AnswerCall(by="dispatcher"))
        run_steps(sim, 1)
        for _ in range(2):
            sim.submit(AskCaller(question="what_happening", tone="shout" if shout else "normal", by="dispatcher"))
            run_steps(sim, 1)
    told = {(r["fact"], r["answer"]) for r in calm.records() if r["type"] == "CallerAnswered"}
    assert ("danger", "told") in told and ("nature", "told") in told
    shouted_told = {(r["fact"], r["answer"]) for r in shouted.records() if r["type"] == "CallerAnswered"}
    assert ("danger", "told") not in shouted_told and ("danger", "refused") in shouted_told
    assert any(r["type"] == "CallerChanged" and r["state"] == "panicking" for r in shouted.records())


def test_free_words_are_matched_to_a_protocol_question(bridge):
    journal = MemoryJournal()
    sim = Simulation(bridge, seed=3, journal=journal, dispatcher="dispatcher")
    sim.submit(AnswerCall(by="dispatcher"))
    sim.step()
    sim.submit(AskCaller(text="Is she holding a knife or any weapon?", by="dispatcher"))
    sim.step()
    answered = [r for r in journal.records() if r["type"] == "CallerAnswered" and r["question"] != "opening"]
    assert answered == [{**answered[0], "question": "weapons", "fact": "weapons", "answer": "told"}]
    assert answered[0]["heard"] == "Is she holding a knife or any weapon?"


def test_a_caller_left_panicking_hangs_up_and_reassurance_calms_them(bridge):
    journal = MemoryJournal()
    sim = Simulation(bridge, seed=3, journal=journal, dispatcher="dispatcher")
    sim.submit(AnswerCall(by="dispatcher"))
    sim.step()
    for _ in range(2):
        sim.submit(AskCaller(question="address", tone="shout", by="dispatcher"))
        sim.step()
    sim.submit(AskCaller(question="reassure", by="dispatcher"))
    sim.step()
    assert sim.call.agitation < 0.9
    run_steps(sim, 40)  # nobody speaks: silence and the panic loop do the rest
    ended = [r for r in journal.records() if r["type"] == "CallEnded"]
    assert ended and ended[0]["reason"] == "caller_hung_up"
    assert not sim.call.line_open


def test_an_officer_radio_request_reaches_the_dispatcher_and_what_is_sent_arrives_when_due(bridge):
    journal = MemoryJournal()
    sim = Simulation(bridge, seed=3, journal=journal, dispatcher="dispatcher")
    sim.step()
    take_call(sim)
    run_steps(sim, bridge.call.travel + 0.5)
    sim.submit(Say(intent="call_crisis_team"))
    sim.submit(Radio(request="records_check"))
    sim.step()
    requests = [r for r in journal.records() if r["type"] == "RadioRequested"]
    assert [(r["number"], r["request"], r["officer"]) for r in requests] == [(1, "crisis_team", "trainee"),
                                                                           (2, "records_check", "trainee")]
    assert sim.snapshot().call.records.startswith("Ferry Street area")
    sim.submit(RadioAnswer(request=1, send=True, text="Crisis team en route", by="dispatcher"))
    sim.step()
    answered = next(r for r in journal.records() if r["type"] == "RadioAnswered")
    assert answered["eta"] == pytest.approx(sim.now - sim.clock.dt + 150, abs=0.02)
    run_steps(sim, 151)
    assert any(r["type"] == "UnitArrived" and r["request"] == "crisis_team" for r in journal.records())


def test_only_the_dispatcher_seat_sends_call_inputs_and_bad_input_is_refused_in_one_line(bridge):
    sim = Simulation(bridge, seed=3, journal=MemoryJournal(), dispatcher="dispatcher")
    with pytest.raises(SeatError, match="may not send FillCard"):
        sim.submit(FillCard(field="location", value="x", by="officer:1"))
    with pytest.raises(SeatError, match="may not send Move"):
        sim.submit(Move(position=(0, 0), heading=0, by="dispatcher"))
    with pytest.raises(ValueError, match="no card field 'colour'"):
        sim.submit(FillCard(field="colour", value="x", by="dispatcher"))
    with pytest.raises(ValueError, match="at most 300"):
        sim.submit(FillCard(field="nature", value="x" * 301, by="dispatcher"))
    with pytest.raises(ValueError, match="priority is 1, 2 or 3"):
        sim.submit(FillCard(field="priority", value="urgent", by="dispatcher"))
    with pytest.raises(ValueError, match="unknown radio request"):
        sim.submit(Radio(request="pizza"))


def test_a_session_with_a_call_replays_byte_for_byte(bridge):
    journal = MemoryJournal()
    sim = Simulation(bridge, seed=5, journal=journal, dispatcher="Jo")
    sim.step()
    take_call(sim, weapons=False)
    for _ in range(int(round((bridge.call.travel + 3) * sim.clock.hz))):
        sim.submit(Move(position=(3.0, -13.0 + 0.001 * sim.clock.step), heading=0.0))
        sim.step()
    sim.submit(Radio(request="backup"))
    sim.step()
    sim.submit(RadioAnswer(request=1, send=True, text="Unit 22 on the way", by="dispatcher"))
    run_steps(sim, 2)
    sim.finish("ended")
    again = MemoryJournal()
    replay(bridge, journal.records(), again)
    assert again.text() == journal.text()
