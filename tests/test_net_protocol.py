"""The network's messages (game/net/protocol.py): the journal's codec carries inputs both ways,
snapshots survive the trip, and what a station may not send is refused with a reason."""

from __future__ import annotations

import json

import pytest

from game.content import load_scenario
from game.content.library import package_dir
from game.core.events import Draw, HandMove, Move, Say, Use
from game.core.journal import MemoryJournal, encode
from game.core.simulation import Simulation
from game.net.protocol import (
    MAX_MESSAGE, MessageError, frame_message, input_event, input_message, loads, snapshot_from_record,
    snapshot_record,
)
from game.net.server import code_matches, new_join_code, parse_listen
from game.net.hosting import human_seats_problem, officer_starts


@pytest.mark.parametrize("event", [
    Move(position=(1.25, -3.5), heading=-12.5, pitch=4.0, by="officer:2"),
    HandMove(hand="right", position=(0.3, -9.5, 1.25), heading=5.5, by="officer:2"),
    Say(intent="reassure", tone="calm", text="We're here to help.", by="officer:2", confidence=0.75),
    Draw(tool="flashlight", hand="left", low_ready=True, by="officer:2"),
    Use(hand="right", by="officer:2"),
], ids=lambda e: e.TYPE)
def test_an_input_crosses_the_network_as_its_journal_line_and_comes_back_equal(event):
    message = loads(input_message(event))
    rebuilt = input_event(message["event"], "officer:2")
    assert rebuilt == event and encode(3, 0.1, rebuilt) == encode(3, 0.1, event)


@pytest.mark.parametrize("record, reason", [
    ({"type": "Say", "source": "officer:3", "intent": "greet"}, "a station sends only its own officer's inputs"),
    ({"type": "Say", "source": "trainee", "intent": "greet"}, "a station sends only its own officer's inputs"),
    ({"type": "Escalate", "source": "officer:2", "amount": 0.5}, "officer:2 may not send Escalate"),
    ({"type": "OfficerLeft", "source": "officer:2", "officer": "officer:2"}, "may not send OfficerLeft"),
    ({"type": "Nope", "source": "officer:2"}, "unknown input type"),
    ({"type": "Move", "source": "officer:2", "position": "here", "heading": 0}, "expected a list of 2 numbers"),
    ({"type": "Move", "source": "officer:2", "position": [1e300, 0], "heading": 0}, "out of range"),
    ({"type": "Move", "source": "officer:2", "position": [0, 0], "heading": True}, "expected a number"),
    ({"type": "Move", "source": "officer:2", "position": [0, 0]}, "Move:"),
    ({"type": "Say", "source": "officer:2", "intent": "greet", "by": "instructor"}, "has no field 'by'"),
    ({"type": "Say", "source": "officer:2", "intent": "greet", "text": "x" * 5000}, "at most 2000"),
    ({"type": "Say", "source": "officer:2", "intent": ["greet"]}, "expected text"),
    ({"type": "Draw", "source": "officer:2", "tool": "flashlight", "low_ready": "yes"}, "expected true or false"),
    ("not an object", "without an event object"),
])
def test_an_input_a_station_may_not_send_is_refused_with_its_reason(record, reason):
    with pytest.raises(MessageError, match=None) as caught:
        input_event(record, "officer:2")
    assert reason in str(caught.value)


@pytest.mark.parametrize("text, reason", [
    (b"\x00binary", "binary message"),
    ("{not json", "not JSON"),
    ("[1, 2]", "a JSON list"),
    ('{"v": 2, "kind": "hello"}', "protocol version 2"),
    ('{"v": 1, "kind": "welcome"}', "unknown message kind"),
    ('{"v": 1, "kind": "input", "x": NaN}', "not JSON"),
    ("[" * 100000 + "]" * 100000, "characters (at most"),
])
def test_a_message_that_is_not_one_is_refused_with_a_reason(text, reason):
    with pytest.raises(MessageError) as caught:
        loads(text)
    assert reason in str(caught.value)


def test_a_snapshot_survives_the_trip_to_a_station():
    loaded = load_scenario(package_dir("scenarios") / "welfare_check.yaml")
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal(), officers=officer_starts(loaded.scenario, 2))
    sim.submit(Draw(tool="flashlight", hand="left", by="officer:2"))
    sim.submit(Say(intent="greet", text="Evening.", tone="calm"))
    for _ in range(30):
        sim.step()
    snap = sim.snapshot()
    back = snapshot_from_record(json.loads(json.dumps(snapshot_record(snap))))
    assert back.officer("officer:2").tools == ("flashlight", "") and back.trainee.said[0].intent == "greet"
    assert [s.id for s in back.subjects] == [s.id for s in snap.subjects]
    assert back.subjects[0].position == pytest.approx(snap.subjects[0].position, abs=1e-4)
    assert back.step == snap.step and back.branches == snap.branches
    frame = json.loads(frame_message(['{"step":1,"time":0.0,"type":"Mark","source":"instructor","note":"x","at":null}'], snap))
    assert frame["kind"] == "frame" and frame["events"][0]["note"] == "x" and frame["step"] == snap.step
    assert len(frame_message([], snap)) < MAX_MESSAGE


def test_join_codes_compare_without_case_or_dashes_and_refuse_anything_else():
    code = new_join_code()
    assert len(code) == 9 and code[4] == "-"
    assert code_matches(code.lower().replace("-", " "), code)
    assert not code_matches(code[:-1] + ("A" if code[-1] != "A" else "B"), code)
    assert not code_matches(None, code) and not code_matches("", code) and not code_matches("x" * 1000, code)


def test_listen_addresses_take_a_port_or_the_default():
    assert parse_listen("192.168.1.20", 47400) == ("192.168.1.20", 47400)
    assert parse_listen("0.0.0.0:5000", 47400) == ("0.0.0.0", 5000)
    assert parse_listen("[::1]:6000", 47400) == ("::1", 6000)
    with pytest.raises(ValueError):
        parse_listen("host:99999", 47400)


def test_officers_2_to_n_start_beside_officer_1_facing_the_same_way():
    loaded = load_scenario(package_dir("scenarios") / "welfare_check.yaml")
    starts = officer_starts(loaded.scenario, 3)
    assert starts[0] == (tuple(loaded.scenario.trainee_position), loaded.scenario.trainee_heading)
    assert starts[1][0] == pytest.approx((1.5, -14.0)) and starts[2][0] == pytest.approx((3.0, -14.0))


def test_trainee_stations_never_take_a_partner_officers_place_and_too_many_are_refused_in_a_line():
    loaded = load_scenario(package_dir("scenarios") / "duty_to_intervene.yaml")
    sc = loaded.scenario
    kerr = sc.partners[0]
    one = officer_starts(sc, 1)
    assert one == [((0.0, -8.0), 10.0)] and (tuple(kerr.position), kerr.heading) not in one
    problem = human_seats_problem(sc, 2)
    assert f"officer {kerr.number}" in problem and "--officers 1" in problem and "\n" not in problem
    assert human_seats_problem(sc, 1) == ""
    assert human_seats_problem(load_scenario(package_dir("scenarios") / "welfare_check.yaml").scenario, 4) == ""


def test_a_restart_puts_a_second_trainee_officer_back_at_its_own_authored_start():
    from game.live.host import RunPlan

    import dataclasses

    loaded = load_scenario(package_dir("scenarios") / "duty_to_intervene.yaml")
    sc = loaded.scenario  # Officer Kerr made an officer a trainee plays: two authored starts
    humans = tuple(dataclasses.replace(o, partner=None) for o in sc.officers)
    plan = RunPlan(dataclasses.replace(loaded, scenario=dataclasses.replace(sc, officers=humans)), seed=1)
    assert plan.officer_start("officer:1") == ((0.0, -8.0), 10.0)
    assert plan.officer_start("officer:2") == ((1.8, -8.6), 10.0)


def test_a_station_refuses_a_host_whose_scenario_is_not_the_one_it_has():
    from game.net.client import JoinError, Link, welcome_scenario

    link = Link("127.0.0.1:47400", "CODE", log=lambda line: None)
    sha = load_scenario(package_dir("scenarios") / "welfare_check.yaml").scenario.sha256
    link.welcome = {"scenario": {"id": "welfare_check", "sha256": sha}}
    assert welcome_scenario(link).scenario.id == "welfare_check"
    link.welcome = {"scenario": {"id": "welfare_check", "sha256": "0" * 64}}
    with pytest.raises(JoinError, match="is not the host's"):
        welcome_scenario(link)
    link.welcome = {"scenario": {"id": "no_such_call", "sha256": sha}}
    with pytest.raises(JoinError, match="which this station does not have"):
        welcome_scenario(link)
