"""How a subject feels and acts, driven through the Simulation with small inline scenarios."""

from __future__ import annotations

import math
from types import MappingProxyType

import pytest

from game.core import MemoryJournal, Simulation
from game.core.events import INPUT_TYPES, Calm, Draw, EndSession, Escalate, Holster, Move, Say
from game.core.scenario import EndingDef, Profile, ScenarioDef, SubjectDef

#: A subject that keeps one posture (so it never paces) and starts fairly calm.
STILL = Profile(baseline_agitation=0.3, baseline_trust=0.2, postures=((0.0, "relaxed"),))
#: The default posture ladder, with no drift back to rest, so only inputs move agitation.
FROZEN = Profile(baseline_agitation=0.2, baseline_trust=0.0, recovery=0.0)


def scenario(*, profile=STILL, endings=(), trainee=(0.0, -10.0), heading=0.0, time_limit=300.0, lines=None,
             extra_subjects=()):
    dale = SubjectDef(id="dale", name="Dale", position=(0.0, 0.0), heading=180.0, profile=profile,
                      lines=MappingProxyType({k: (v,) for k, v in (lines or {}).items()}))
    return ScenarioDef(id="inline", title="Inline", scene="none", subjects=(dale, *extra_subjects),
                       endings=tuple(endings), trainee_position=trainee, trainee_heading=heading,
                       time_limit=time_limit)


def start(sc, seed=7):
    """A simulation of ``sc`` one step in (the session has started, the subject has looked once)."""
    sim = Simulation(sc, seed=seed, journal=MemoryJournal())
    sim.step()
    return sim, sim.journal


def submit_and_step(sim, *events):
    for event in events:
        sim.submit(event)
    sim.step()


def agitation(sim):
    return sim.minds[0].state.agitation


def records_of(journal, type_):
    return [r for r in journal.records() if r["type"] == type_]


def reactions(journal, cause):
    return [r for r in records_of(journal, "SubjectReacted") if r["cause"].startswith(cause)]


def set_agitation(sim, target):
    now = agitation(sim)
    submit_and_step(sim, Escalate(amount=target - now) if target >= now else Calm(amount=now - target))


# --------------------------------------------------------------------- distance


def test_standing_inside_the_comfort_distance_crowds_the_subject_and_raises_agitation():
    (near, near_journal), (far, _) = start(scenario(trainee=(0.0, -1.5))), start(scenario())
    before_near, before_far = agitation(near), agitation(far)
    near.run_for(2.0), far.run_for(2.0)
    assert agitation(near) > before_near + 0.2  # 0.25/s at half intrusion, for 2 s
    assert agitation(far) <= before_far
    crowded = reactions(near_journal, "crowded")
    assert len(crowded) == 1  # announced once, when it starts, not every step
    assert crowded[0]["step"] == 0 and crowded[0]["delta_agitation"] > 0


def test_stepping_back_out_of_the_comfort_distance_gives_space_and_agitation_falls_again():
    sim, journal = start(scenario(trainee=(0.0, -1.5)))
    sim.run_for(2.0)
    submit_and_step(sim, Move(position=(0.0, -10.0), heading=0.0))
    sim.run_for(1.0)  # let the closing-speed estimate settle
    peak = agitation(sim)
    sim.run_for(3.0)
    assert len(reactions(journal, "given_space")) == 1
    assert agitation(sim) < peak


@pytest.mark.parametrize("nudge", [Escalate(amount=0.3), Calm(amount=0.3)], ids=["from_above", "from_below"])
def test_left_alone_agitation_drifts_back_to_its_resting_level_at_the_recovery_rate(nudge):
    profile = Profile(baseline_agitation=0.5, baseline_trust=0.2, recovery=0.02, postures=((0.0, "relaxed"),))
    rest = 0.5 * (1.0 - 0.6 * 0.2)
    sim, _ = start(scenario(profile=profile))
    submit_and_step(sim, nudge)
    moved = agitation(sim)
    sim.run_for(5.0)
    assert abs(agitation(sim) - moved) == pytest.approx(0.02 * 5.0, abs=0.002)
    sim.run_for(60.0)
    assert agitation(sim) == pytest.approx(rest, abs=1e-9)


# ------------------------------------------------------------------------ words


def said_delta(tone, intent="command_stop", seed=7):
    sim, journal = start(scenario(), seed=seed)
    submit_and_step(sim, Say(intent=intent, tone=tone))
    (reaction,) = reactions(journal, f"said:{intent}:{tone}")
    return reaction["delta_agitation"]


def test_a_shouted_command_raises_agitation_more_than_a_calm_or_normal_one():
    assert said_delta("shout") > said_delta("normal") >= said_delta("calm")
    assert said_delta("shout") == pytest.approx(0.05 + 0.12, abs=1e-4)


def test_a_calm_voice_makes_soothing_words_soothe_more():
    assert said_delta("calm", "empathise") < said_delta("normal", "empathise") < 0


def test_saying_the_same_thing_again_within_ten_seconds_counts_less_each_time():
    sim, journal = start(scenario())
    for _ in range(3):
        submit_and_step(sim, Say(intent="empathise"))
        sim.run_for(1.0)
    sim.run_for(12.0)
    submit_and_step(sim, Say(intent="empathise"))
    deltas = [r["delta_agitation"] for r in reactions(journal, "said:empathise")]
    assert deltas == pytest.approx([-0.07, -0.035, -0.0175, -0.07], abs=1e-4)


@pytest.mark.parametrize(
    ("metres", "tone", "heard"),
    [(11, "calm", True), (13, "calm", False), (13, "normal", True), (16, "normal", False),
     (16, "shout", True), (41, "shout", False)],
)
def test_words_reach_the_subject_only_within_the_range_of_their_tone(metres, tone, heard):
    sim, journal = start(scenario(trainee=(0.0, -float(metres))))
    before = agitation(sim)
    submit_and_step(sim, Say(intent="command_get_down", tone=tone))
    assert bool(reactions(journal, "said:")) is heard
    assert (agitation(sim) > before) is heard


# ------------------------------------------------------------------------ tools


def test_drawing_a_firearm_raises_agitation_at_once_and_holstering_it_eases_it():
    sim, journal = start(scenario())
    before = agitation(sim)
    submit_and_step(sim, Draw(tool="firearm"))
    (drawn,) = reactions(journal, "tool_drawn:firearm")
    assert drawn["delta_agitation"] > 0 and agitation(sim) > before
    submit_and_step(sim, Holster())
    (holstered,) = reactions(journal, "tool_holstered:firearm")
    assert holstered["delta_agitation"] < 0


def rise_with_firearm(heading, draw=True):
    sim, _ = start(scenario(heading=heading))
    submit_and_step(sim, *([Draw(tool="firearm")] if draw else []))
    before = agitation(sim)
    sim.run_for(2.0)
    return agitation(sim) - before


def test_a_firearm_aimed_at_the_subject_raises_agitation_faster_than_one_pointed_away():
    aimed, away, none = rise_with_firearm(0.0), rise_with_firearm(90.0), rise_with_firearm(0.0, draw=False)
    assert aimed > away > 0 >= none


def test_a_flashlight_is_not_read_as_a_weapon():
    (sim, journal), (control, _) = start(scenario(heading=90.0)), start(scenario(heading=90.0))
    submit_and_step(sim, Draw(tool="flashlight", hand="left"))
    control.run_for(1.0 + control.clock.dt)
    sim.run_for(1.0)
    assert reactions(journal, "tool_") == []
    assert agitation(sim) == agitation(control)


# ------------------------------------------------------------------- instructor


@pytest.mark.parametrize(("event", "sign"), [(Escalate(amount=0.2), 1), (Calm(amount=0.2), -1)])
def test_the_instructor_moves_agitation_and_the_journal_says_it_was_the_instructor(event, sign):
    sim, journal = start(scenario())
    before = agitation(sim)
    submit_and_step(sim, event)
    assert agitation(sim) == pytest.approx(before + sign * 0.2, abs=0.001)  # less one step of recovery
    (line,) = records_of(journal, event.TYPE)
    assert line["source"] == "instructor"
    (reaction,) = reactions(journal, f"instructor:{event.TYPE.lower()}")
    assert reaction["delta_agitation"] == pytest.approx(sign * 0.2, abs=1e-4)


def test_an_instructor_nudge_for_one_subject_leaves_the_others_alone():
    sam = SubjectDef(id="sam", name="Sam", position=(3.0, 0.0), profile=STILL)
    sim, journal = start(scenario(extra_subjects=(sam,)))
    submit_and_step(sim, Escalate(amount=0.2, subject="sam"))
    assert [r["subject"] for r in reactions(journal, "instructor:")] == ["sam"]


# --------------------------------------------------------------------- postures


def test_the_posture_ladder_does_not_flicker_while_agitation_hovers_at_a_threshold():
    sim, journal = start(scenario(profile=FROZEN))
    table = [  # agitation -> expected posture (arms_crossed from 0.4, with 0.02 of hysteresis)
        (0.401, "relaxed"), (0.395, "relaxed"), (0.405, "relaxed"), (0.398, "relaxed"), (0.41, "relaxed"),
        (0.45, "arms_crossed"), (0.39, "arms_crossed"), (0.405, "arms_crossed"), (0.385, "arms_crossed"),
        (0.37, "relaxed"),
    ]
    for target, posture in table:
        set_agitation(sim, target)
        assert agitation(sim) == pytest.approx(target, abs=1e-4)  # nudges are journaled to 4 decimals
        assert sim.minds[0].state.posture == posture
    changes = [(r["previous"], r["posture"]) for r in records_of(journal, "SubjectPostureChanged")]
    assert changes == [("relaxed", "arms_crossed"), ("arms_crossed", "relaxed")]


# ---------------------------------------------------------------------- endings


def ending(when, outcome="resolved_peacefully", id="settles"):
    return EndingDef(id=id, outcome=outcome, when=MappingProxyType(when))


def test_an_ending_with_for_fires_only_after_its_condition_held_that_long_without_a_break():
    sim, journal = start(scenario(endings=[ending({"agitation_above": 0.5, "for": 2.0})],
                                  profile=Profile(baseline_agitation=0.3, recovery=0.0, postures=((0.0, "relaxed"),))))
    set_agitation(sim, 0.6)
    sim.run_for(1.5)
    set_agitation(sim, 0.3)
    sim.run_for(1.0)
    assert records_of(journal, "ScenarioEnded") == []
    set_agitation(sim, 0.6)
    since = sim.clock.time - sim.clock.dt
    sim.run_for(3.0)
    (ended,) = records_of(journal, "ScenarioEnded")
    assert ended["ending"] == "settles" and ended["outcome"] == "resolved_peacefully"
    # conditions are looked at on the subject's tree ticks, 30 times a second
    assert 2.0 - 1e-6 <= ended["time"] - since <= 2.0 + 4 * sim.clock.dt


def test_after_an_ending_the_session_runs_on_until_finished_and_journals_the_ending_once():
    sim, journal = start(scenario(endings=[ending({"after": 1.0})]))
    while sim.ending is None and sim.now < 10.0:
        sim.step()
    ended, = records_of(journal, "ScenarioEnded")
    assert (ended["ending"], ended["outcome"], ended["subject"]) == ("settles", "resolved_peacefully", "dale")
    assert ended["time"] == pytest.approx(1.0, abs=3 * sim.clock.dt)
    sim.run_for(1.0)
    assert len(records_of(journal, "ScenarioEnded")) == 1 and not sim.finished
    sim.finish("scenario_ended")
    assert records_of(journal, "SessionEnded")[-1]["ending"] == "settles"


# ---------------------------------------------------------------------- driving


@pytest.mark.parametrize("event", [
    Say(intent="hug"), Say(intent="greet", tone="whisper"), Draw(tool="taser"),
    Draw(tool="cew", hand="third"), Holster(hand="both"),
], ids=lambda e: repr(e))
def test_submit_refuses_an_input_no_step_could_apply(event):
    sim, journal = start(scenario())
    with pytest.raises(ValueError, match="unknown"):
        sim.submit(event)
    sim.step()
    assert [r for r in journal.records() if r["type"] in INPUT_TYPES] == []


@pytest.mark.parametrize("event", [
    Move(position=(math.nan, 0.0), heading=0.0), Move(position=(0.0, math.inf), heading=0.0),
    Move(position=(0.0, 0.0), heading=-math.inf), Move(position=(0.0, 0.0), heading=0.0, pitch=math.nan),
    Escalate(amount=math.nan), Calm(amount=math.inf), Escalate(amount=-0.2), Calm(amount=1.5),
], ids=lambda e: repr(e))
def test_submit_refuses_numbers_that_would_break_the_journal_or_the_state(event):
    sim, journal = start(scenario())
    with pytest.raises(ValueError):
        sim.submit(event)
    sim.step()
    assert [r for r in journal.records() if r["type"] in INPUT_TYPES] == []


def test_ending_the_session_journals_who_ended_it_and_why_and_stops_the_clock():
    sim, journal = start(scenario())
    submit_and_step(sim, EndSession(by="trainee", reason="walked away"))
    step, count = sim.clock.step, len(journal.lines)
    *_, asked, ended = journal.records()
    assert (asked["type"], asked["source"], asked["reason"]) == ("EndSession", "trainee", "walked away")
    assert (ended["type"], ended["source"], ended["reason"], ended["ending"]) == ("SessionEnded", "sim", "walked away", "")
    assert sim.finished and sim.finish_reason == "walked away"
    sim.step()
    sim.finish("again")
    assert (sim.clock.step, len(journal.lines)) == (step, count)


def test_the_session_finishes_by_itself_at_the_time_limit():
    sim, journal = start(scenario(time_limit=1.0))
    sim.run_for(5.0)
    (ended,) = records_of(journal, "SessionEnded")
    assert sim.finished and sim.finish_reason == "time_limit"
    assert (ended["reason"], ended["time"]) == ("time_limit", 1.0)


def test_inputs_are_journaled_at_the_step_they_take_effect_before_what_they_cause():
    sim, journal = start(scenario())
    sim.run_for(1.0)
    step = sim.clock.step
    submit_and_step(sim, Say(intent="greet"), Draw(tool="baton"))
    at_step = [r for r in journal.records() if r["step"] == step]
    kinds = [r["type"] if r["type"] != "SubjectReacted" else r["cause"] for r in at_step]
    assert kinds[:4] == ["Say", "said:greet:normal", "Draw", "tool_drawn:baton"]


def test_a_move_is_rounded_to_four_decimals_before_it_is_applied_and_journaled():
    sim, journal = start(scenario())
    submit_and_step(sim, Move(position=(1.123456789, -2.987654321), heading=10.123456789, pitch=-3.33333333))
    (move,) = records_of(journal, "Move")
    assert sim.trainee.position == (1.1235, -2.9877)
    assert (sim.trainee.heading, sim.trainee.pitch) == (10.1235, -3.3333)
    assert (tuple(move["position"]), move["heading"], move["pitch"]) == ((1.1235, -2.9877), 10.1235, -3.3333)
