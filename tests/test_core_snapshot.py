"""The read model: step() returns the step's events and a frozen snapshot of what the views read."""

from __future__ import annotations

import dataclasses

import pytest

from game.content import load_scenario
from game.content.library import package_dir
from game.core import MemoryJournal, Simulation
from game.core.events import Draw, Escalate, ForceBranch, Pause, Say, SubjectReacted
from game.core.journal import encode

SCENARIOS = package_dir("scenarios")


@pytest.fixture(scope="module")
def domestic():
    return load_scenario(SCENARIOS / "domestic_disturbance.yaml").scenario


def test_a_step_returns_the_events_it_journaled_in_order(domestic):
    sim = Simulation(domestic, seed=1, journal=MemoryJournal())
    sim.submit(Say(intent="greet"))
    result = sim.step()
    assert [encode(0, 0.0, e) for e in result.events] == sim.journal.lines
    assert result.events[0].TYPE == "SessionStarted" and result.events[1].TYPE == "Say"


def test_the_snapshot_is_frozen_plain_data_of_officers_subjects_and_branches(domestic):
    sim = Simulation(domestic, seed=1, journal=MemoryJournal())
    sim.submit(Draw(tool="flashlight", hand="left"))
    sim.step()
    snap = sim.step().snapshot
    with pytest.raises(dataclasses.FrozenInstanceError):
        snap.time = 3.0  # type: ignore[misc]
    assert (snap.step, snap.paused, snap.finished) == (2, False, False)  # two steps run
    assert snap.trainee.seat == "officer:1" and snap.trainee.hands == {"left": "flashlight", "right": ""}
    assert [s.id for s in snap.subjects] == ["rob", "dana"]
    rob = snap.subject("rob")
    assert rob.name == "Rob Keller" or rob.name  # the scenario's name for him
    assert rob.behaviour, "the active tree path is in the snapshot"
    assert all(0.0 < t < 1.0 for t in rob.posture_ticks)
    assert [b.id for b in snap.branches] == [b.id for b in domestic.branches]


def test_a_snapshot_says_which_branches_can_be_forced_now_and_why_not(domestic):
    sim = Simulation(domestic, seed=1, journal=MemoryJournal())
    sim.step()
    first = domestic.branches[0]
    assert sim.step().snapshot.branches[0].can_force
    sim.submit(ForceBranch(branch=first.id))
    sim.step()
    snap = sim.step().snapshot
    branch = snap.branches[0]
    assert branch.running and not branch.can_force
    assert branch.refused == sim.can_force(first.id)


def test_a_snapshot_says_paused(domestic):
    sim = Simulation(domestic, seed=1, journal=MemoryJournal())
    sim.submit(Pause())
    assert sim.step().snapshot.paused


def test_an_instructor_nudge_is_told_apart_from_other_causes_without_decoding_strings(domestic):
    sim = Simulation(domestic, seed=1, journal=MemoryJournal())
    sim.submit(Escalate(subject="rob"))
    reacted = [e for e in sim.step().events if isinstance(e, SubjectReacted)]
    assert [e.nudge for e in reacted] == ["Escalate"]
    assert SubjectReacted(subject="rob", cause="shout", agitation=0, trust=0, delta_agitation=0,
                          delta_trust=0).nudge == ""


def test_a_step_asked_for_no_snapshot_gives_none(domestic):
    sim = Simulation(domestic, seed=1, journal=MemoryJournal())
    assert sim.step(snapshot=False).snapshot is None
