"""Subjects acting out their trees and branches, driven through the Simulation.

Each test writes a small tree inline (the same data a scenario file holds) and reads
what happened from the journal.
"""

from __future__ import annotations

from types import MappingProxyType

import pytest

from game.core import MemoryJournal, Simulation
from game.core.events import Draw, ForceBranch, Move, Say, Touch, Use
from game.core.scenario import BranchDef, EndingDef, LookFor, Profile, ScenarioDef, SubjectDef
from game.core.world import distance

CALM = Profile(baseline_agitation=0.2, baseline_trust=0.5, recovery=0.0, postures=((0.0, "relaxed"),))
PEACE = EndingDef(id="peace", outcome="resolved_peacefully")


def subject(id="dale", tree=None, profile=CALM, position=(0.0, 0.0), lines=None):
    return SubjectDef(id=id, name=id.title(), position=position, heading=180.0, profile=profile, tree=tree,
                      lines=MappingProxyType({k: (v,) for k, v in (lines or {}).items()}))


def run(*subjects, branches=(), endings=(PEACE,), trainee=(0.0, -10.0), look_for=(), seed=3, bounds=None):
    sc = ScenarioDef(id="inline", title="Inline", scene="none", subjects=tuple(subjects), branches=tuple(branches),
                     endings=tuple(endings), look_for=tuple(look_for), trainee_position=trainee, bounds=bounds)
    sim = Simulation(sc, seed=seed, journal=MemoryJournal())
    sim.step()
    return sim


def records(sim, type_):
    return [r for r in sim.journal.records() if r["type"] == type_]


def until(sim, test, limit=30.0):
    end = sim.now + limit
    while not test() and sim.now < end and not sim.finished:
        sim.step()
    return test()


def me(sim, i=0):
    return sim.minds[i].state


def test_approach_walks_to_the_trainee_and_stops_at_the_distance_asked():
    sim = run(subject(tree={"approach": {"distance": 2.0}}))
    assert until(sim, lambda: me(sim).activity == "idle" and sim.now > 1.0)
    assert distance(me(sim).position, sim.trainee.position) == pytest.approx(2.0, abs=0.05)
    assert [r["activity"] for r in records(sim, "SubjectActivityChanged")] == ["approach", "idle"]


def test_retreat_backs_away_facing_the_trainee_until_far_enough():
    sim = run(subject(tree={"retreat": {"distance": 14.0, "speed": "slow"}}))
    assert until(sim, lambda: distance(me(sim).position, sim.trainee.position) >= 14.0)
    assert abs(me(sim).heading) > 150.0  # still facing south, toward the trainee


def test_flee_runs_at_the_subjects_run_speed_and_then_the_tree_ends_the_scenario():
    fled = EndingDef(id="fled", outcome="subject_fled")
    sim = run(subject(tree=[{"flee": 20}, {"end": "fled"}]), endings=(PEACE, fled))
    sim.run_for(1.0)
    assert me(sim).speed == pytest.approx(CALM.run_speed, rel=0.01)
    assert until(sim, lambda: sim.ending is not None)
    assert records(sim, "ScenarioEnded")[0]["ending"] == "fled"


def test_an_attack_closes_in_and_strikes_once_within_reach_of_the_weapon_drawn():
    armed = Profile(weapon="knife", postures=((0.0, "relaxed"),))
    hurt = EndingDef(id="hurt", outcome="officer_hurt")
    sim = run(subject(tree=["draw_weapon", {"attack": "trainee"}, {"end": "hurt"}], profile=armed),
              endings=(PEACE, hurt), trainee=(0.0, -8.0))
    assert until(sim, lambda: sim.ending is not None)
    (drawn,) = records(sim, "SubjectWeaponChanged")
    (struck,) = records(sim, "SubjectAttacked")
    assert (drawn["weapon"], drawn["out"]) == ("knife", True)
    assert (struck["target"], struck["weapon"], struck["hit"]) == ("trainee", "knife", True)
    assert distance(me(sim).position, sim.trainee.position) <= 1.1 + 1e-6
    # 6.4 m at a run is about 1.5 s: the reactionary gap
    assert struck["time"] < 2.5


def test_draw_weapon_fails_for_a_subject_who_has_none_so_the_selector_moves_on():
    sim = run(subject(tree={"selector": ["draw_weapon", {"posture": "arms_crossed"}]}))
    sim.run_for(0.2)
    assert records(sim, "SubjectWeaponChanged") == [] and me(sim).posture == "arms_crossed"


@pytest.mark.parametrize(("command", "posture"), [("command_show_hands", "hands_up"), ("command_get_down", "kneeling")])
def test_comply_does_what_the_last_command_asked(command, posture):
    tree = {"selector": [{"when": {"said_within": {"intents": [command], "seconds": 3}}, "do": "comply"}, "idle"]}
    sim = run(subject(tree=tree))
    sim.run_for(0.5)
    assert me(sim).posture == "relaxed"
    sim.submit(Say(intent=command, tone="normal"))
    sim.run_for(0.2)
    assert me(sim).posture == posture and me(sim).goal == "comply"


def test_comply_to_drop_the_weapon_drops_it_and_shows_hands():
    armed = Profile(weapon="knife", concealed=False, postures=((0.0, "relaxed"),))
    tree = ["draw_weapon", {"selector": [{"when": {"said_within": "command_drop_weapon"}, "do": "comply"}, "idle"]}]
    sim = run(subject(tree=tree, profile=armed))
    sim.run_for(0.3)
    assert me(sim).weapon_out
    sim.submit(Say(intent="command_drop_weapon", tone="normal"))
    sim.run_for(0.3)
    assert not me(sim).weapon_out and me(sim).posture == "hands_up"
    assert records(sim, "SubjectWeaponChanged")[-1]["dropped"] is True


def test_say_in_a_tree_respects_the_lines_cooldown():
    sim = run(subject(tree={"loop": [{"say": {"line": "mutter", "cooldown": 4}}, {"wait": 0.5}]},
                      lines={"mutter": "Nobody listens."}))
    sim.run_for(9.0)
    times = [r["time"] for r in records(sim, "SubjectSaid")]
    assert len(times) == 3 and all(b - a >= 4.0 for a, b in zip(times, times[1:], strict=False))


# ---------------------------------------------------------------------- branches


def knife_branch(**kw):
    armed = {"tree": ["draw_weapon", {"posture": "fists"}, "idle"], "description": "pulls a knife"}
    armed.update(kw)
    return BranchDef(id="draws_knife", subject="dale", **armed)


ARMED = Profile(baseline_agitation=0.2, recovery=0.0, weapon="knife", postures=((0.0, "relaxed"),))


def test_an_instructor_can_force_a_branch_and_the_journal_says_so():
    sim = run(subject(profile=ARMED), branches=[knife_branch(forced_only=True)])
    sim.submit(ForceBranch(branch="draws_knife"))
    sim.run_for(0.2)
    (entered,) = records(sim, "BranchEntered")
    assert (entered["branch"], entered["cause"], entered["subject"], entered["source"]) == ("draws_knife", "instructor", "dale", "sim")
    assert records(sim, "ForceBranch")[0]["source"] == "instructor"
    assert me(sim).weapon_out and me(sim).posture == "fists" and me(sim).branch == "draws_knife"


def test_a_branch_starts_by_itself_when_its_condition_holds_and_leaves_when_until_holds():
    branch = knife_branch(when={"trainee_within": 4.0}, until={"trainee_beyond": 8.0})
    sim = run(subject(profile=ARMED), branches=[branch])
    sim.run_for(0.5)
    assert me(sim).branch == ""
    sim.submit(Move(position=(0.0, -3.0), heading=0.0))
    sim.run_for(0.2)
    assert me(sim).branch == "draws_knife" and records(sim, "BranchEntered")[0]["cause"] == "auto"
    sim.submit(Move(position=(0.0, -9.0), heading=0.0))
    sim.run_for(0.2)
    assert me(sim).branch == "" and [r["branch"] for r in records(sim, "BranchLeft")] == ["draws_knife"]


def test_an_automatic_branch_does_not_pull_the_subject_out_of_another_branch_unless_from_says_so():
    calm_down = BranchDef(id="sits", subject="dale", tree=[{"posture": "sitting"}, "idle"], forced_only=True)
    sim = run(subject(profile=ARMED), branches=[calm_down, knife_branch(when={"trainee_within": 4.0})])
    sim.submit(ForceBranch(branch="sits"))
    sim.submit(Move(position=(0.0, -3.0), heading=0.0))
    sim.run_for(0.5)
    assert me(sim).branch == "sits"
    sim2 = run(subject(profile=ARMED), branches=[calm_down, knife_branch(when={"trainee_within": 4.0}, entered_from=("sits",))])
    sim2.submit(ForceBranch(branch="sits"))
    sim2.submit(Move(position=(0.0, -3.0), heading=0.0))
    sim2.run_for(0.5)
    assert me(sim2).branch == "draws_knife"


def test_a_behaviour_can_lead_to_another_branch_of_its_subject():
    second = BranchDef(id="second", subject="dale", tree=[{"posture": "kneeling"}, "idle"], forced_only=True)
    first = BranchDef(id="first", subject="dale", tree=[{"wait": 0.5}, {"branch": "second"}], forced_only=True)
    sim = run(subject(), branches=[first, second])
    sim.submit(ForceBranch(branch="first"))
    sim.run_for(1.0)
    assert [(r["branch"], r["previous"], r["cause"]) for r in records(sim, "BranchEntered")] == [
        ("first", "", "instructor"), ("second", "first", "tree")]
    assert me(sim).posture == "kneeling"


# -------------------------------------------------------------- hands and tools


def test_a_touch_reaches_the_nearest_subject_within_arms_length_only():
    sim = run(subject(), trainee=(0.0, -3.0))
    sim.submit(Touch(hand="left"))
    sim.step()
    assert records(sim, "SubjectTouched") == []
    sim.submit(Move(position=(0.0, -0.9), heading=0.0))
    sim.submit(Touch(hand="left"))
    sim.step()
    assert [r["subject"] for r in records(sim, "SubjectTouched")] == ["dale"]
    assert any(r["cause"] == "touch" for r in records(sim, "SubjectReacted"))


def test_a_subject_who_hates_being_touched_reacts_three_times_as_much():
    def rise(profile):
        sim = run(subject(profile=profile), trainee=(0.0, -0.9))
        sim.submit(Touch())
        sim.step()
        return next(r["delta_agitation"] for r in records(sim, "SubjectReacted") if r["cause"] == "touch")
    assert rise(Profile(triggers=("hates_touch",))) == pytest.approx(3 * rise(Profile()), abs=1e-3)


def test_a_cew_hit_brings_the_subject_down_for_its_cycle_and_is_journaled_as_force():
    sim = run(subject(tree={"pace": 1.0}), trainee=(0.0, -4.0))
    sim.submit(Draw(tool="cew"))
    sim.submit(Use(hand="right"))
    sim.step()
    (used,) = records(sim, "ToolUsed")
    assert (used["tool"], used["hit"], used["force"]) == ("cew", "dale", True)
    assert me(sim).posture == "prone" and me(sim).activity == "collapse"
    sim.run_for(4.5)
    assert me(sim).speed == 0.0
    sim.run_for(1.0)
    assert me(sim).activity == "pace"


def test_a_cew_fired_out_of_range_or_off_target_hits_nobody():
    sim = run(subject(), trainee=(0.0, -9.0))
    sim.submit(Draw(tool="cew"))
    sim.submit(Use(hand="right"))
    sim.step()
    assert records(sim, "ToolUsed")[0]["hit"] == "" and me(sim).posture == "relaxed"


def test_force_used_ends_the_scenario_when_an_ending_says_so():
    force = EndingDef(id="force", outcome="force_used", when={"force_used": "any"})
    sim = run(subject(), endings=(PEACE, force), trainee=(0.0, -3.0))
    sim.submit(Draw(tool="oc_spray"))
    sim.submit(Use(hand="right"))
    sim.run_for(0.1)
    assert records(sim, "ScenarioEnded")[0]["outcome"] == "force_used"


# ---------------------------------------------------------------- perception


def test_a_subject_who_cannot_hear_takes_in_a_gesture_but_not_a_spoken_command():
    deaf = Profile(triggers=("cannot_hear",), postures=((0.0, "relaxed"),))
    sim = run(subject(profile=deaf, lines={"cannot_hear": "(points at his ears)"}), trainee=(0.0, -5.0))
    sim.submit(Say(intent="command_show_hands", tone="shout"))
    sim.step()
    assert not [r for r in records(sim, "SubjectReacted") if r["cause"].startswith("said:")]
    assert [r["line"] for r in records(sim, "SubjectSaid")] == ["cannot_hear"]
    sim.submit(Say(intent="gesture", tone="normal"))
    sim.step()
    assert [r["cause"] for r in records(sim, "SubjectReacted") if r["cause"].startswith("said:")] == ["said:gesture:normal"]


def test_empathy_while_the_subject_is_beside_himself_mostly_fails():
    def effect(agitation):
        p = Profile(baseline_agitation=agitation, recovery=0.0, postures=((0.0, "relaxed"),))
        sim = run(subject(profile=p))
        sim.submit(Say(intent="empathise", tone="normal"))
        sim.step()
        r = next(r for r in records(sim, "SubjectReacted") if r["cause"].startswith("said:"))
        return r["delta_agitation"], r["delta_trust"]
    calm, frantic = effect(0.4), effect(0.95)
    assert frantic[0] > calm[0] * 0.5 and frantic[1] < 0 < calm[1]


def test_a_subject_grows_agitated_beside_an_agitated_other():
    angry = Profile(baseline_agitation=0.9, recovery=0.0, postures=((0.0, "relaxed"),))
    sim = run(subject(), subject("kim", profile=angry, position=(2.0, 0.0)))
    alone = run(subject())
    sim.run_for(3.0), alone.run_for(3.0)
    assert me(sim).agitation > me(alone).agitation + 0.05


def test_conditions_can_look_at_another_subject():
    tree = {"selector": [{"when": {"other": {"subject": "kim", "agitation_above": 0.8}}, "do": {"approach": {"target": "kim", "distance": 1.0}}}, "idle"]}
    angry = Profile(baseline_agitation=0.9, recovery=0.0, postures=((0.0, "relaxed"),))
    sim = run(subject(tree=tree), subject("kim", profile=angry, position=(5.0, 0.0)))
    sim.run_for(5.0)
    assert distance(me(sim).position, me(sim, 1).position) == pytest.approx(1.0, abs=0.05)


def test_a_review_point_is_journaled_the_first_time_its_expectation_holds():
    lf = LookFor(id="introduced", text="Introduced themselves", expect={"said_within": "identify"})
    sim = run(subject(), look_for=[lf])
    sim.run_for(1.0)
    sim.submit(Say(intent="identify"))
    sim.run_for(1.0)
    sim.submit(Say(intent="identify"))
    sim.run_for(1.0)
    assert [(r["look_for"], r["time"]) for r in records(sim, "LookForMet")] == [("introduced", pytest.approx(1.0 + sim.clock.dt, abs=0.02))]


# ------------------------------------------------------------ rules of thumb


def test_a_subject_walking_up_to_the_trainee_does_not_frighten_himself():
    walker = Profile(baseline_agitation=0.3, recovery=0.0, comfort_distance=1.0, postures=((0.0, "relaxed"),))
    sim = run(subject(tree={"approach": 3.0}, profile=walker))
    sim.run_for(4.0)
    assert me(sim).agitation == pytest.approx(0.3, abs=0.035)  # only the seed's ±0.03
    assert not [r for r in records(sim, "SubjectReacted") if r["delta_agitation"] > 0]


def test_a_forced_branch_whose_until_already_holds_plays_until_it_has_stopped_holding_once():
    calm = BranchDef(id="sits", subject="dale", tree=[{"posture": "sitting"}, "idle"],
                     until={"agitation_below": 0.9}, forced_only=True)
    sim = run(subject(), branches=[calm])
    sim.submit(ForceBranch(branch="sits"))
    sim.run_for(2.0)
    assert me(sim).branch == "sits"


def test_a_when_with_for_counts_only_from_where_the_branch_can_be_entered():
    climbs = BranchDef(id="climbs", subject="dale", tree=[{"posture": "kneeling"}, {"wait": 60}, {"end": "peace"}],
                       forced_only=True)
    jumps = BranchDef(id="jumps", subject="dale", tree=[{"posture": "prone"}, {"wait": 60}, {"end": "peace"}],
                      when={"after": 0, "for": 3.0}, entered_from=("climbs",))
    sim = run(subject(), branches=[climbs, jumps])
    sim.run_for(5.0)
    sim.submit(ForceBranch(branch="climbs"))
    sim.run_for(2.0)
    assert me(sim).branch == "climbs"  # the 3 s start when she climbs, not at the start of the call
    sim.run_for(1.5)
    assert me(sim).branch == "jumps"


def test_words_said_to_one_subject_are_overheard_by_the_other_but_only_the_one_answers():
    sim = run(subject(lines={"greet": "Hi."}), subject("kim", position=(2.0, 0.0), lines={"greet": "Hello."}))
    sim.submit(Say(intent="greet", to="kim"))
    sim.step()
    assert [r["subject"] for r in records(sim, "SubjectSaid")] == ["kim"]
    assert {r["subject"] for r in records(sim, "SubjectReacted") if r["cause"].startswith("said:")} == {"dale", "kim"}


def test_a_blow_one_subject_lands_on_another_hurts_and_angers_the_victim():
    sim = run(subject(tree={"attack": "kim"}), subject("kim", position=(3.0, 0.0)))
    sim.run_for(3.0)
    blows = records(sim, "SubjectAttacked")
    assert me(sim, 1).hurt and blows[0]["target"] == "kim"
    assert 2 <= len(blows) <= 3  # the first as he arrives, then one a second
    assert [r["cause"] for r in records(sim, "SubjectReacted") if r["subject"] == "kim"] == ["struck_by:dale"] * len(blows)


def test_an_answer_is_not_lost_because_the_subject_just_said_a_line_of_its_own():
    tree = {"once": {"say": "mutter"}}
    sim = run(subject(tree=tree, lines={"mutter": "Nobody listens.", "ask_name": "Walter."}))
    sim.submit(Say(intent="ask_name"))
    sim.step()
    assert [r["line"] for r in records(sim, "SubjectSaid")] == ["mutter", "ask_name"]


def test_a_firearm_held_at_low_ready_is_seen_but_agitates_less_than_one_pointed():
    def rise(low):
        p = Profile(baseline_agitation=0.3, recovery=0.0, postures=((0.0, "relaxed"),))
        sim = run(subject(profile=p))
        sim.submit(Draw(tool="firearm", low_ready=low))
        sim.step()
        before = me(sim).agitation
        sim.run_for(2.0)
        return me(sim).agitation - before
    low, aimed = rise(True), rise(False)
    assert 0 < low < aimed / 3


def test_a_for_inside_a_guard_that_was_skipped_starts_counting_when_it_is_looked_at_again():
    tree = {"selector": [
        {"when": {"trainee_within": 3.0}, "do": "idle"},
        {"when": {"after": 0, "for": 2.0}, "do": {"posture": "kneeling"}},
        "idle"]}
    sim = run(subject(tree=tree), trainee=(0.0, -2.0))
    sim.run_for(3.0)  # the second guard is skipped while the trainee stands close
    sim.submit(Move(position=(0.0, -10.0), heading=0.0))
    sim.run_for(1.5)
    assert me(sim).posture == "relaxed"
    sim.run_for(1.0)
    assert me(sim).posture == "kneeling"


def test_a_subject_carrying_a_knife_openly_has_it_in_hand_from_the_start():
    open_carry = Profile(weapon="knife", concealed=False)
    sim = run(subject(profile=open_carry))
    assert me(sim).weapon_out and records(sim, "SubjectWeaponChanged") == []


def test_a_short_memory_forgets_what_was_said():
    forgetful = Profile(memory=5.0, postures=((0.0, "relaxed"),))
    tree = {"selector": [{"when": {"said_within": {"intents": ["greet"], "seconds": 60}}, "do": {"posture": "arms_crossed"}},
                         {"posture": "relaxed"}]}
    sim = run(subject(tree=tree, profile=forgetful))
    sim.submit(Say(intent="greet"))
    sim.run_for(4.0)
    assert me(sim).posture == "arms_crossed"
    sim.run_for(2.0)
    assert me(sim).posture == "relaxed"


def test_after_the_scenario_ends_subjects_stop_acting_out_their_behaviour():
    sim = run(subject(tree={"loop": [{"say": {"line": "bye", "cooldown": 0}}, {"end": "peace"}]}, lines={"bye": "Bye."}))
    sim.run_for(2.0)
    assert len(records(sim, "SubjectSaid")) == 1 and len(records(sim, "ScenarioEnded")) == 1


def test_a_subject_fleeing_toward_the_edge_of_the_scene_stops_inside_it_and_the_flight_is_over():
    fled = EndingDef(id="fled", outcome="subject_fled")
    room = ((-4.0, -5.0), (4.0, 4.0))
    sim = run(subject(tree=[{"flee": 30}, {"end": "fled"}]), endings=(PEACE, fled), bounds=room)
    assert until(sim, lambda: sim.ending is not None, limit=10.0)
    x, y = me(sim).position
    assert -3.7 - 1e-6 <= x <= 3.7 + 1e-6 and y == pytest.approx(3.7, abs=1e-6)  # backed to the north wall


def test_backing_away_into_a_wall_ends_the_retreat_there():
    sim = run(subject(tree=[{"retreat": {"distance": 20}}, {"posture": "arms_crossed"}, "idle"]),
              bounds=((-4.0, -12.0), (4.0, 1.0)))
    sim.run_for(4.0)
    assert me(sim).posture == "arms_crossed" and me(sim).position[1] == pytest.approx(0.7, abs=1e-6)
