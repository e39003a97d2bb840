"""Thresholds on continuous values have a band (hysteresis): a trainee standing on one, swaying
a centimetre as people do, does not flip the subject every step — a genuine step across it does.

Before the bands a 240 s stand-off at the edge of the comfort distance journaled thousands of
crowded/given-space reactions, each with an agitation kick, and a trainee 1.8 m from the
intoxicated trespasser turned his "squares up when crowded" behaviour on and off 30 times a second.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest

from game.content.library import package_dir
from game.content.scenario import load_scenario
from game.core.conditions import DISTANCE_BAND, LEVEL_BAND, Context, compile_condition
from game.core.events import Move
from game.core.feelings import CROWDING_BAND
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation
from game.core.world import SubjectState, TraineeState


def stand_off(scenario_id: str, gap_at, seconds: float) -> Counter:
    """The trainee keeps ``gap_at(t)`` metres from the first subject, swaying ±1 cm, for ``seconds``:
    the events the session journals, counted by type (crowding reactions by their cause)."""
    scenario = load_scenario(package_dir("scenarios") / f"{scenario_id}.yaml").scenario
    subject = scenario.subjects[0].id
    journal = MemoryJournal()
    sim = Simulation(scenario, seed=1, journal=journal)
    tx, ty = scenario.trainee_position
    for k in range(sim.clock.steps_for(seconds)):
        if sim.finished:
            break
        sx, sy = sim.subjects[subject].position
        length = math.hypot(tx - sx, ty - sy) or 1.0
        r = gap_at(sim.now) + 0.01 * math.sin(k * 0.7)
        sim.submit(Move(position=(sx + (tx - sx) / length * r, sy + (ty - sy) / length * r), heading=0.0))
        sim.step()
    counted: Counter = Counter()
    for record in journal.records():
        if record["type"] == "SubjectReacted" and record["cause"] in ("crowded", "given_space"):
            counted[record["cause"]] += 1
        elif record.get("subject") == subject:
            counted[record["type"]] += 1
    return counted


@pytest.mark.parametrize("scenario_id", ["welfare_check", "knife_parking_lot"])
def test_a_long_stand_off_at_the_edge_of_the_comfort_distance_writes_only_a_handful_of_crowding_events(scenario_id):
    comfort = load_scenario(package_dir("scenarios") / f"{scenario_id}.yaml").scenario.subjects[0].profile.comfort_distance
    counted = stand_off(scenario_id, lambda t: comfort, 240.0)
    assert 1 <= counted["crowded"] + counted["given_space"] <= 3, counted  # was ~16,000


def test_stepping_in_and_back_out_past_the_band_is_still_crowding_and_giving_space_each_time():
    comfort = load_scenario(package_dir("scenarios") / "welfare_check.yaml").scenario.subjects[0].profile.comfort_distance

    def gap(t: float) -> float:  # 3 s in (0.3 m inside), 3 s out (past the band), three times
        return comfort - 0.3 if int(t // 3) % 2 == 0 else comfort + CROWDING_BAND + 0.2

    counted = stand_off("welfare_check", gap, 17.5)
    assert (counted["crowded"], counted["given_space"]) == (3, 3), counted


def test_stepping_back_less_than_the_band_keeps_the_subject_crowded():
    comfort = load_scenario(package_dir("scenarios") / "welfare_check.yaml").scenario.subjects[0].profile.comfort_distance
    counted = stand_off("welfare_check", lambda t: comfort - 0.3 if t < 3 else comfort + CROWDING_BAND - 0.1, 8.0)
    assert (counted["crowded"], counted["given_space"]) == (1, 0), counted


def test_a_trainee_standing_on_a_behaviours_distance_threshold_does_not_flip_posture_and_activity_every_tick():
    counted = stand_off("intoxicated_trespasser", lambda t: 1.8, 120.0)  # `trainee_within: 1.8` squares him up
    assert counted["SubjectPostureChanged"] <= 6 and counted["SubjectActivityChanged"] <= 40, counted  # were ~190 and ~250


def _context(now: float, gap: float, agitation: float = 0.5) -> Context:
    subject = SubjectState(id="s", position=(0.0, 0.0), heading=0.0, anchor=(0.0, 0.0), agitation=agitation, trust=0.5)
    return Context(now, TraineeState(position=(0.0, gap)), subject, {"s": subject})


def test_a_distance_condition_holds_from_its_threshold_and_lets_go_only_a_band_beyond_it():
    cond = compile_condition({"trainee_within": 1.8})
    gaps = [2.0, 1.8, 1.9, 1.8 + DISTANCE_BAND - 0.01, 1.8 + DISTANCE_BAND + 0.01, 1.9, 1.79]
    held = [cond.holds(_context(i / 30, g)) for i, g in enumerate(gaps)]
    assert held == [False, True, True, True, False, False, True]


def test_a_level_condition_has_a_band_too_and_forgets_it_when_not_looked_at():
    cond = compile_condition({"agitation_above": 0.6})
    assert [cond.holds(_context(i / 30, 5.0, a)) for i, a in enumerate([0.6, 0.61, 0.59, 0.6 - LEVEL_BAND])] == \
        [False, True, True, False]
    assert cond.holds(_context(1.0, 5.0, 0.61))
    assert not cond.holds(_context(3.0, 5.0, 0.59))  # two seconds unwatched: it starts over at its threshold
