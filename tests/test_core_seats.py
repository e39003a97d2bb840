"""Seats in the core: every input names the seat that sent it, each seat sends only its
role's inputs, and a session holds a keyed set of officers whose nearest is each subject's
contact officer."""

from __future__ import annotations

import pytest

from game.content import load_scenario
from game.content.library import package_dir
from game.core import MemoryJournal, Simulation
from game.core.events import Draw, Escalate, Mark, Move, Pause, Resume, Say, input_from_record
from game.core.replay import replay
from game.core.seats import SeatError, journal_name, officer_number, role_of, seat_of

SCENARIOS = package_dir("scenarios")
TWO = [((0.0, -10.0), 0.0), ((4.0, -6.0), 0.0)]


@pytest.fixture(scope="module")
def welfare():
    return load_scenario(SCENARIOS / "welfare_check.yaml").scenario


def test_officer_1_is_written_trainee_and_every_other_seat_as_itself():
    assert journal_name("officer:1") == "trainee" and seat_of("trainee") == "officer:1"
    assert journal_name("officer:2") == "officer:2" and seat_of("officer:2") == "officer:2"
    assert (officer_number("trainee"), officer_number("officer:3"), officer_number("instructor")) == (1, 3, None)
    assert [role_of(s) for s in ("trainee", "officer:2", "instructor", "dispatcher")] == \
        ["officer", "officer", "instructor", "dispatcher"]


def test_each_input_names_its_seat_in_the_journal_and_reads_back_with_it(welfare):
    sim = Simulation(welfare, seed=1, journal=MemoryJournal(), officers=TWO)
    sim.submit(Say(intent="greet"))
    sim.submit(Say(intent="greet", by="officer:2"))
    sim.submit(Escalate(amount=0.1))
    sim.submit(Mark(note="radio call", by="dispatcher"))
    sim.step()
    said = [r for r in sim.journal.records() if r["type"] in ("Say", "Escalate", "Mark")]
    assert [r["source"] for r in said] == ["trainee", "officer:2", "instructor", "dispatcher"]
    assert [input_from_record(r).seat for r in said] == ["officer:1", "officer:2", "instructor", "dispatcher"]


@pytest.mark.parametrize("event, words", [
    (Move(position=(0.0, 0.0), heading=0.0, by="instructor"), "seat 'instructor' may not send Move"),
    (Escalate(amount=0.1, by="officer:1"), "seat 'officer:1' may not send Escalate"),
    (Say(intent="greet", by="dispatcher"), "seat 'dispatcher' may not send Say"),
    (Say(intent="greet", by="officer:3"), "seat 'officer:3' is not in this session"),
    (Say(intent="greet", by="bystander"), "no seat 'bystander'"),
])
def test_a_seat_sending_what_its_role_may_not_is_refused_before_anything_is_journaled(welfare, event, words):
    sim = Simulation(welfare, seed=1, journal=MemoryJournal(), officers=TWO)
    with pytest.raises(SeatError, match=words):
        sim.submit(event)
    sim.step()
    assert not [r for r in sim.journal.records() if r["source"] != "sim"]


def test_the_session_holds_each_officers_pose_hands_and_words_apart(welfare):
    sim = Simulation(welfare, seed=1, journal=MemoryJournal(), officers=TWO)
    sim.submit(Draw(tool="flashlight", hand="left", by="officer:2"))
    sim.submit(Say(intent="greet"))
    sim.submit(Move(position=(1.0, -5.0), heading=10.0, by="officer:2"))
    sim.step()
    one, two = sim.officers["officer:1"], sim.officers["officer:2"]
    assert one is sim.trainee
    assert (one.hands["left"], two.hands["left"]) == ("", "flashlight")
    assert [s.intent for s in one.said] == ["greet"] and not two.said
    assert (one.position, two.position) == ((0.0, -10.0), (1.0, -5.0))


def test_the_contact_officer_is_the_nearest_and_conditions_that_say_trainee_see_that_one(welfare):
    sim = Simulation(welfare, seed=1, journal=MemoryJournal(), officers=TWO)
    subject = sim.minds[0]
    sim.run_for(0.2)
    assert subject.trainee is sim.officers["officer:2"]  # 4 m closer than officer 1
    sim.submit(Move(position=(30.0, -30.0), heading=0.0, by="officer:2"))
    sim.run_for(0.2)
    assert subject.trainee is sim.officers["officer:1"]
    assert subject.position_of("officer:2") == (30.0, -30.0)


def test_a_second_officers_inputs_wait_while_paused_like_the_firsts(welfare):
    sim = Simulation(welfare, seed=1, journal=MemoryJournal(), officers=TWO)
    sim.submit(Pause())
    sim.step()
    sim.submit(Say(intent="greet", by="officer:2"))
    sim.step()
    assert not sim.officers["officer:2"].said
    sim.submit(Resume())
    sim.step()
    assert [s.intent for s in sim.officers["officer:2"].said] == ["greet"]


def test_a_two_officer_journal_samples_the_second_officer_and_replays_byte_for_byte(welfare):
    sim = Simulation(welfare, seed=3, journal=MemoryJournal(), officers=TWO)
    for i in range(40):
        sim.submit(Move(position=(4.0, -6.0 + i * 0.05), heading=0.0, by="officer:2"))
        sim.step()
    sim.finish("ended")
    samples = [r for r in sim.journal.records() if r["type"] == "StateSampled"]
    assert samples[-1]["officers"]["officer:2"]["position"] == [4.0, -4.2]
    again = MemoryJournal()
    replay(welfare, sim.journal.records(), again)
    assert again.text() == sim.journal.text()
