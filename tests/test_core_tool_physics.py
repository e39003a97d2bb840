"""The force options as physics: body zones per posture, the CEW's two probes (spread,
range), the OC and flashlight cones, the baton's swing, the firearm's hitscan — as plain
functions, then through the simulation with the journal they leave."""

from __future__ import annotations

import math
from dataclasses import replace
from types import MappingProxyType

import numpy as np
import pytest

from game.content.errors import ContentError
from game.content.tools import load_tools
from game.core import MemoryJournal, Simulation
from game.core.body import ZONES, body_of, direction, in_cone, ray_hit
from game.core.events import Draw, HandMove, LowReady, Move, Use
from game.core.scenario import Profile, ScenarioDef, SubjectDef
from game.core.tools import (
    DEFAULT_TOOLS,
    CewSpec,
    cew_probe_directions,
    cew_shot,
    eyes_lit,
    oc_strength,
    oc_target,
)

CEW = DEFAULT_TOOLS.cew
UP = np.array([0.0, 0.0, 1.0])


def standing(posture="relaxed", at=(0.0, 0.0), heading=180.0):
    """A subject at the origin facing -y (toward a trainee who stands south of it)."""
    return body_of("dale", posture, at, heading)


def ray_from_south(z, distance=4.0, pitch=0.0, x=0.0):
    return np.array([x, -distance, z]), direction(0.0, pitch)


# --------------------------------------------------------------------- zones

@pytest.mark.parametrize("z, zone", [(1.65, "head"), (1.2, "torso"), (0.5, "legs")])
def test_a_level_ray_meets_the_zone_at_its_height(z, zone):
    origin, d = ray_from_south(z, x=0.1)
    hit = ray_hit(origin, d, 10.0, [standing()])
    assert hit is not None and hit.zone == zone
    if zone == "torso":  # enters the 0.17 m capsule 0.1 m off its axis
        assert hit.point[1] == pytest.approx(-math.sqrt(0.17**2 - 0.1**2), abs=1e-6)
    assert hit.distance < 4.0


def test_a_ray_between_the_legs_passes_through():
    assert ray_hit(*ray_from_south(0.5), 10.0, [standing()]) is None


def test_a_ray_beside_the_body_hits_the_arm_then_misses_further_out():
    assert ray_hit(np.array([0.24, -4.0, 1.0]), direction(0.0, 0.0), 10.0, [standing()]).zone == "arms"
    assert ray_hit(np.array([0.6, -4.0, 1.0]), direction(0.0, 0.0), 10.0, [standing()]) is None


def test_zones_follow_the_posture():
    origin, d = ray_from_south(1.65)
    assert ray_hit(origin, d, 10.0, [standing("kneeling")]) is None  # the head is lower now
    assert ray_hit(*ray_from_south(1.15), 10.0, [standing("kneeling")]).zone == "head"
    assert ray_hit(*ray_from_south(1.0), 10.0, [standing("prone")]) is None
    down = ray_hit(np.array([0.0, -0.3, 2.0]), np.array([0.0, 0.0, -1.0]), 3.0, [standing("prone")])
    assert down is not None and down.zone == "torso"
    arms_up = ray_hit(*ray_from_south(1.85, x=0.27), 10.0, [standing("hands_up")])
    assert arms_up is not None and arms_up.zone == "arms"
    assert ray_hit(*ray_from_south(1.85), 10.0, [standing("relaxed")]) is None


def test_zones_turn_and_move_with_the_subject():
    body = body_of("dale", "prone", (5.0, 2.0), 90.0)  # lying with the head toward -x
    hit = ray_hit(np.array([5.0 - 0.8, 2.0, 2.0]), np.array([0.0, 0.0, -1.0]), 3.0, [body])
    assert hit is not None and hit.zone == "head"
    assert set(body.zones) == set(ZONES)


def test_the_nearest_body_takes_the_hit():
    near, far = body_of("near", "relaxed", (0.0, 2.0), 180.0), body_of("far", "relaxed", (0.0, 5.0), 180.0)
    assert ray_hit(np.array([0.0, 0.0, 1.2]), direction(0.0, 0.0), 10.0, [far, near]).subject == "near"


def test_a_ray_stops_at_its_length():
    origin, d = ray_from_south(1.2, distance=4.0)
    assert ray_hit(origin, d, 3.5, [standing()]) is None
    assert ray_hit(origin, d, 4.0, [standing()]) is not None


# ----------------------------------------------------------------------- CEW

def test_the_cew_probes_fly_the_cartridge_angle_apart():
    upper, lower = cew_probe_directions(direction(0.0, 0.0), UP, CEW)
    assert math.degrees(math.acos(float(upper @ lower))) == pytest.approx(CEW.probe_angle_deg)
    assert lower[2] < 0.0


def test_a_canted_cew_spreads_its_probes_sideways():
    upper, lower = cew_probe_directions(direction(0.0, 0.0), np.array([1.0, 0.0, 0.0]), CEW)
    assert abs(lower[2]) < 1e-9 and lower[0] < 0.0


@pytest.mark.parametrize("distance, effective", [(0.6, False), (1.5, True), (4.0, True)])
def test_the_cew_needs_spread_to_incapacitate(distance, effective):
    origin, d = ray_from_south(1.4, distance=distance)
    shot = cew_shot(origin, d, UP, CEW, [standing()])
    assert all(p is not None for p in shot.probes)
    expected = (distance - 0.17) * math.tan(math.radians(CEW.probe_angle_deg))
    assert shot.spread == pytest.approx(expected, rel=0.35)
    assert shot.effective is effective


def test_a_cew_beyond_its_reach_misses_with_both_probes():
    origin, d = ray_from_south(1.4, distance=9.0)
    shot = cew_shot(origin, d, UP, CEW, [standing()])
    assert shot.probes == (None, None) and not shot.effective and shot.subject == ""
    assert shot.ends[0][1] == pytest.approx(-9.0 + CEW.reach)


def test_one_probe_on_the_body_is_pain_only():
    origin, d = ray_from_south(1.75, distance=3.0, pitch=4.0)  # the upper probe sails over the head
    shot = cew_shot(origin, d, UP, CEW, [standing()])
    assert shot.probes[0] is None and shot.probes[1] is not None
    assert not shot.effective


def test_a_wider_cartridge_incapacitates_closer():
    origin, d = ray_from_south(1.4, distance=0.6)
    assert not cew_shot(origin, d, UP, CEW, [standing()]).effective
    assert cew_shot(origin, d, UP, CewSpec(probe_angle_deg=12.0, min_spread=0.08), [standing()]).effective


# ------------------------------------------------------------ cones: light, OC

def test_the_flashlight_lights_eyes_in_its_cone_when_the_subject_faces_it():
    light = DEFAULT_TOOLS.flashlight
    origin, d = ray_from_south(1.55, distance=3.0)
    assert eyes_lit(origin, d, light, standing())
    assert not eyes_lit(origin, direction(20.0, 0.0), light, standing())  # pointed aside
    assert not eyes_lit(origin, d, light, standing(heading=0.0))  # the subject looks away
    assert not eyes_lit(np.array([0.0, -20.0, 1.6]), d, light, standing())  # too far


def test_oc_reaches_a_face_in_its_cone_and_range_only():
    oc = DEFAULT_TOOLS.oc_spray
    origin, d = ray_from_south(1.5, distance=2.5)
    hit = oc_target(origin, d, oc, [standing()])
    assert hit is not None and hit.zone == "head"
    assert oc_target(*ray_from_south(1.5, distance=4.5), oc, [standing()]) is None
    assert oc_target(origin, direction(30.0, 0.0), oc, [standing()]) is None
    assert oc_target(origin, d, oc, [standing(heading=0.0)]) is None


def test_oc_strength_follows_the_profile():
    oc = DEFAULT_TOOLS.oc_spray
    assert oc_strength(oc, ()) == 1.0
    assert oc_strength(oc, ("intoxicated",)) == pytest.approx(0.35)
    assert oc_strength(oc, ("intoxicated", "hears_voices")) < 0.2


def test_in_cone_is_a_cone():
    pts = np.array([[0.0, 2.0, 0.0], [0.5, 2.0, 0.0], [0.0, 5.0, 0.0]])
    assert in_cone(np.zeros(3), np.array([0.0, 1.0, 0.0]), 10.0, 4.0, pts).tolist() == [True, False, False]


# --------------------------------------------------- through the simulation

STILL = Profile(baseline_agitation=0.3, baseline_trust=0.2, postures=((0.0, "relaxed"),))


def sim_with(profile=STILL, trainee=(0.0, -4.0), tools=DEFAULT_TOOLS):
    dale = SubjectDef(id="dale", name="Dale", position=(0.0, 0.0), heading=180.0, profile=profile)
    sc = ScenarioDef(id="inline", title="Inline", scene="none", subjects=(dale,), endings=(),
                     trainee_position=trainee, trainee_heading=0.0)
    sim = Simulation(sc, seed=3, journal=MemoryJournal(), tools=tools)
    sim.step()
    return sim


def step(sim, *events, n=1):
    for e in events:
        sim.submit(e)
    for _ in range(n):
        sim.step()


def of(sim, kind):
    return [r for r in sim.journal.records() if r["type"] == kind]


def test_a_cew_shot_journals_the_discharge_both_probes_and_the_reaction_in_order():
    sim = sim_with()
    step(sim, Draw(tool="cew"), Use(hand="right"))
    kinds = [r["type"] for r in sim.journal.records() if r["type"].startswith(("Tool", "SubjectReactedTo"))]
    assert kinds == ["ToolDischarged", "ToolHit", "ToolHit", "ToolUsed", "SubjectReactedToForce"]
    probes = of(sim, "ToolHit")
    assert [p["probe"] for p in probes] == [1, 2] and probes[0]["point"][2] > probes[1]["point"][2]
    (reaction,) = of(sim, "SubjectReactedToForce")
    assert reaction["reaction"] == "incapacitated" and reaction["seconds"] == 5.0
    assert sim.minds[0].state.posture == "prone"


def test_a_tracked_hand_aims_the_tool_instead_of_the_head():
    sim = sim_with()
    # the head looks away; the hand points at the subject's chest
    step(sim, Move(position=(0.0, -4.0), heading=90.0), Draw(tool="firearm"),
         HandMove(hand="right", position=(0.2, -3.6, 1.3), heading=math.degrees(math.atan2(0.2, 3.6)), pitch=0.0))
    step(sim, Use(hand="right"))
    (hit,) = of(sim, "ToolHit")
    assert hit["zone"] == "torso"
    assert of(sim, "SubjectReactedToForce")[0]["reaction"] == "incapacitated"


def test_a_lost_hand_aims_from_the_head_again():
    sim = sim_with()
    step(sim, Move(position=(0.0, -4.0), heading=90.0), Draw(tool="firearm"),
         HandMove(hand="right", position=(0.2, -3.6, 1.3), heading=3.0))
    step(sim, HandMove(hand="right", tracked=False), Use(hand="right"))
    assert of(sim, "ToolHit") == [] and len(of(sim, "ToolMissed")) == 1


def test_firearm_hits_on_limbs_do_not_incapacitate():
    sim = sim_with()
    step(sim, Draw(tool="firearm"), HandMove(hand="right", position=(0.1, -4.0, 0.5), heading=0.0))
    step(sim, Use(hand="right"))
    assert of(sim, "ToolHit")[0]["zone"] == "legs"
    assert of(sim, "SubjectReactedToForce")[0]["reaction"] == "fall"


def test_oc_works_after_its_onset_and_less_on_the_intoxicated():
    sim = sim_with(trainee=(0.0, -2.0))
    step(sim, Draw(tool="oc_spray"), Use(hand="right"))
    assert of(sim, "ToolHit") and not of(sim, "SubjectReactedToForce")
    sim.run_for(DEFAULT_TOOLS.oc_spray.onset + 0.05)
    (r,) = of(sim, "SubjectReactedToForce")
    assert r["reaction"] == "incapacitated" and r["time"] >= DEFAULT_TOOLS.oc_spray.onset
    drunk = sim_with(profile=replace(STILL, triggers=("intoxicated",)), trainee=(0.0, -2.0))
    step(drunk, Draw(tool="oc_spray"), Use(hand="right"))
    drunk.run_for(2.1)
    assert of(drunk, "SubjectReactedToForce")[0]["reaction"] == "pain"


def test_a_fast_baton_swing_that_meets_the_body_is_a_strike_and_a_slow_one_is_not():
    sim = sim_with(trainee=(0.0, -0.9))
    toward = math.degrees(math.atan2(0.35, 0.45))  # from the hand to the subject's axis
    step(sim, Draw(tool="baton"), HandMove(hand="right", position=(0.34, -0.46, 1.21), heading=toward), n=3)
    step(sim, HandMove(hand="right", position=(0.35, -0.45, 1.2), heading=toward), n=3)  # 0.5 m/s: a touch
    assert of(sim, "ToolDischarged") == []
    step(sim, HandMove(hand="right", position=(0.9, -0.9, 1.6), heading=toward), n=6)  # wind-up: meets nobody
    assert of(sim, "ToolDischarged") == []
    step(sim, HandMove(hand="right", position=(0.35, -0.45, 1.2), heading=toward))  # ~12 m/s into the torso
    (strike,) = of(sim, "ToolDischarged")
    assert strike["tool"] == "baton" and strike["speed"] > DEFAULT_TOOLS.baton.fall_speed
    assert of(sim, "ToolHit")[0]["zone"] == "torso"
    assert of(sim, "SubjectReactedToForce")[0]["reaction"] == "pain"
    step(sim, HandMove(hand="right", position=(0.9, -0.9, 1.6), heading=toward))
    assert len(of(sim, "ToolDischarged")) == 1  # within the cooldown no second strike


def test_the_flashlight_in_a_tracked_hand_lights_the_eyes_only_when_pointed_there():
    sim = sim_with(trainee=(0.0, -3.0))
    step(sim, Draw(tool="flashlight", hand="left"),
         HandMove(hand="left", position=(-0.2, -2.8, 1.4), heading=60.0))
    assert not sim.subjects["dale"].lit
    step(sim, HandMove(hand="left", position=(-0.2, -2.8, 1.4), heading=-4.0, pitch=2.0))
    assert sim.subjects["dale"].lit
    step(sim, LowReady(hand="left", low=True))
    assert not sim.subjects["dale"].lit


def test_a_hand_move_is_journaled_rounded_and_replays():
    sim = sim_with()
    step(sim, HandMove(hand="left", position=(0.123456, 1.0, 1.2), heading=1.000049, roll=-3.0))
    (rec,) = of(sim, "HandMove")
    assert rec["position"] == [0.1235, 1.0, 1.2]
    with pytest.raises(ValueError):
        sim.submit(HandMove(hand="left", position=(0.0, math.nan, 1.0)))
    with pytest.raises(ValueError):
        sim.submit(HandMove(hand="middle"))


# ------------------------------------------------------------------ the data

def test_the_shipped_tools_file_is_the_cores_defaults():
    assert load_tools() == DEFAULT_TOOLS


def test_a_tuned_tools_file_changes_the_figures(tmp_path):
    f = tmp_path / "tools.yaml"
    f.write_text("format_version: 1\ncew: {reach: 4.5, probe_angle_deg: 12}\nhold_height: {cew: 1.3}\n")
    specs = load_tools(f)
    assert specs.cew.reach == 4.5 and specs.cew.probe_angle_deg == 12.0 and specs.cew.cycle == 5.0
    assert specs.hold_height["cew"] == 1.3 and specs.hold_height["firearm"] == 1.4


def test_a_broken_tools_file_is_refused_with_located_messages(tmp_path):
    f = tmp_path / "tools.yaml"
    f.write_text("format_version: 1\ncew:\n  reach: -2\n  probe_angel_deg: 8\noc_spray:\n  resistance: {drunk: 0.5}\n")
    with pytest.raises(ContentError) as err:
        load_tools(f)
    text = str(err.value)
    assert "tools.yaml:3:" in text and "reach" in text
    assert "probe_angel_deg" in text and "probe_angle_deg" in text
    f.write_text("format_version: 1\noc_spray:\n  resistance: {drunk: 0.5}\n")
    with pytest.raises(ContentError) as err:
        load_tools(f)
    assert "tools.yaml:3:" in str(err.value) and "unknown profile trigger 'drunk'" in str(err.value)


def test_physics_specs_are_immutable_data():
    assert isinstance(DEFAULT_TOOLS.oc_spray.resistance, MappingProxyType)


@pytest.mark.parametrize("posture", ["relaxed", "kneeling", "prone", "hands_up"])
@pytest.mark.parametrize("heading, pitch", [(0.0, 0.0), (4.0, 1.0), (-9.0, -2.0), (12.0, 0.0), (0.0, -15.0)])
@pytest.mark.parametrize("subject_heading", [180.0, 150.0, 0.0])
def test_the_per_step_beam_check_agrees_with_the_vector_physics(posture, heading, pitch, subject_heading):
    from game.core.tools import aim_ray, beam_in_eyes
    from game.core.world import HandPose, TraineeState

    for tracked in (False, True):
        t = TraineeState(position=(0.2, -3.0), heading=heading, pitch=pitch)
        t.hands["left"] = "flashlight"
        if tracked:
            t.hand_poses["left"] = HandPose((0.0, -2.8, 1.3), heading, pitch, 0.0, 0.0)
        origin, d, _ = aim_ray(t, "left", "flashlight", DEFAULT_TOOLS)
        body = body_of("dale", posture, (0.0, 0.0), subject_heading)
        assert beam_in_eyes(t, "left", posture, (0.0, 0.0), subject_heading, DEFAULT_TOOLS) == \
            eyes_lit(origin, d, DEFAULT_TOOLS.flashlight, body)
