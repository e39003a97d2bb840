"""Subjects walk around what stands in the scene (its collision footprints), never through it,
the same way every time; an officer at the desk slides along a car instead of entering it;
a scene's footprints are checked where they are written."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from game.content.errors import ContentError
from game.content.library import resolve
from game.content.scenario import load_scenario
from game.content.scene import load_scene
from game.core import MemoryJournal, Simulation
from game.core.navigation import BODY_RADIUS, Footprint, Navigator, distance_to
from game.core.scenario import EndingDef, ScenarioDef, SubjectDef

CAR = Footprint.box("car", (0.0, 0.0), (1.8, 4.4), 20.0)
BEHIND = (0.3, 4.5)


def _scenario(tree, *, start=(0.0, -4.5), obstacles=(CAR,)) -> ScenarioDef:
    return ScenarioDef(
        id="walk", title="Walk", scene="none",
        subjects=(SubjectDef(id="sam", name="Sam", position=start, tree=tree),),
        endings=(EndingDef(id="end", outcome="resolved_peacefully"),),
        trainee_position=(-8.0, -8.0), bounds=((-10.0, -10.0), (10.0, 10.0)), obstacles=obstacles)


def _walk(scenario: ScenarioDef, seconds: float) -> tuple[Simulation, list[tuple[float, float]]]:
    sim = Simulation(scenario, seed=3, journal=MemoryJournal())
    track = []
    for _ in range(int(seconds * sim.clock.hz)):
        sim.step()
        track.append(sim.minds[0].state.position)
    return sim, track


def test_a_subject_walking_to_a_point_behind_a_car_goes_around_it_and_never_enters_its_footprint():
    sim, track = _walk(_scenario({"move_to": list(BEHIND)}), 12.0)
    assert math.dist(track[-1], BEHIND) < 0.05  # it got there
    assert min(distance_to(p, CAR) for p in track) >= BODY_RADIUS - 1e-6
    # the way round is not much longer than the shortest: it hugs the car's corners
    walked = sum(math.dist(a, b) for a, b in zip(track, track[1:]))
    assert walked < 1.35 * math.dist((0.0, -4.5), BEHIND) + 2.0
    assert sim.minds[0].state.activity == "idle" or sim.minds[0].state.speed == 0.0


def test_without_the_footprint_the_same_walk_goes_straight_through_where_the_car_would_be():
    _, track = _walk(_scenario({"move_to": list(BEHIND)}, obstacles=()), 8.0)
    assert min(distance_to(p, CAR) for p in track) == 0.0  # the test above means something


def test_the_walk_around_the_car_journals_the_same_bytes_every_time():
    def journal():
        sim = Simulation(_scenario({"move_to": list(BEHIND)}), seed=5, journal=MemoryJournal())
        sim.run_for(8.0)
        return sim.journal.lines

    assert journal() == journal()


def test_a_goal_inside_a_footprint_is_reached_as_near_as_it_allows_and_the_move_succeeds():
    tree = {"sequence": [{"move_to": [0.0, 0.0]}, {"say": "arrived"}]}
    scenario = _scenario(tree)
    scenario = replace(scenario, subjects=(replace(scenario.subjects[0], lines={"arrived": ("Here.",)}),))
    sim, track = _walk(scenario, 6.0)
    assert min(distance_to(p, CAR) for p in track) >= BODY_RADIUS - 1e-6
    assert distance_to(track[-1], CAR) < BODY_RADIUS + 0.05  # right up against the car
    assert any('"line":"arrived"' in line for line in sim.journal.lines)


def test_a_subject_fleeing_from_the_trainee_runs_around_a_car_that_stands_in_its_way():
    scenario = replace(_scenario({"flee": {"distance": 12}}, start=(0.2, -3.0)), trainee_position=(0.0, -8.0))
    sim, track = _walk(scenario, 5.0)
    assert min(distance_to(p, CAR) for p in track) >= BODY_RADIUS - 1e-6
    assert track[-1][1] > 2.2  # it got past the car, to the north


def test_a_subject_pressed_into_a_car_by_an_officer_ends_up_clear_of_both():
    from game.core.events import Move
    from game.core.presence import PERSONAL_SPACE

    scenario = _scenario({"idle": True}, start=(-1.3, 0.0))
    sim = Simulation(scenario, seed=1, journal=MemoryJournal())
    for i in range(120):  # the officer walks at the subject, toward the car's flank
        sim.submit(Move(position=(-3.0 + 0.012 * i, 0.4), heading=-90.0))
        sim.step()
        s = sim.minds[0].state.position
        assert math.dist(s, sim.trainee.position) >= PERSONAL_SPACE - 1e-6
    assert distance_to(sim.minds[0].state.position, CAR) >= BODY_RADIUS - 1e-6


def test_an_officer_at_the_desk_slides_along_a_car_instead_of_walking_into_it():
    nav = Navigator((Footprint.box("car", (0.0, 0.0), (2.0, 4.0)),))
    p = (-3.0, -0.5)
    for _ in range(400):  # walks east (into the car's flank) and a little north
        p = nav.slide(p, (p[0] + 0.02, p[1] + 0.005))
        assert nav.blocking(p) is None
    assert p[0] == pytest.approx(-1.0 - BODY_RADIUS, abs=0.02)  # pressed against the flank
    assert p[1] > 1.0  # but it slid along it


def test_an_officer_placed_in_a_footprint_is_put_outside_it_even_beyond_the_walkable_area():
    nav = Navigator((Footprint.box("car", (0.0, 0.0), (2.0, 4.0)),), ((5.0, 5.0), (9.0, 9.0)))
    out = nav.slide((0.5, 0.0), (0.5, 0.0))
    assert nav.blocking(out) is None and distance_to(out, nav.footprints[0]) < BODY_RADIUS + 0.05


@pytest.mark.parametrize("scenario", ["domestic_disturbance", "knife_parking_lot", "traffic_stop", "deaf_subject"])
def test_shipped_scenes_have_footprints_and_their_subjects_stay_out_of_them(scenario):
    loaded = load_scenario(resolve(scenario, "scenarios"))
    assert loaded.scenario.obstacles
    sim = Simulation(loaded.scenario, seed=2, journal=MemoryJournal())
    for _ in range(int(15 * sim.clock.hz)):
        sim.step()
        if sim.finished:
            break
        for m in sim.minds:
            assert sim.navigator.blocking(m.state.position) is None, (m.state.id, m.state.position)


def _scene(tmp_path: Path, footprints: str, bounds: str = "[[-10, -10], [10, 10]]") -> Path:
    path = tmp_path / "yard.yaml"
    path.write_text("format_version: 1\nid: yard\ntitle: Yard\n"
                    f"bounds: {bounds}\nobjects:\n  - {{shape: ground, size: [20, 20]}}\n"
                    f"footprints:\n{footprints}", encoding="utf-8")
    return path


def test_a_scenes_box_and_polygon_footprints_are_read_as_outlines(tmp_path):
    scene = load_scene(_scene(tmp_path, "  - {name: van, position: [2, 3], size: [2, 5], heading: 90}\n"
                                        "  - {name: counter, polygon: [[0, 0], [0, 2], [2, 2], [2, 1], [1, 1], [1, 0]]}\n"))
    van, counter = scene.footprints
    assert van.name == "van" and van.bbox() == pytest.approx((-0.5, 2.0, 4.5, 4.0))
    assert counter.points[0] == (1.0, 0.0)  # given clockwise: turned round
    nav = Navigator(scene.footprints)
    assert nav.blocking((1.5, 0.5)) is None and nav.blocking((0.5, 0.5)) is not None  # the L's notch is open


def test_a_footprint_whose_edges_cross_is_reported_where_it_is(tmp_path):
    path = _scene(tmp_path, "  - {name: bowtie, polygon: [[0, 0], [2, 2], [2, 0], [0, 2]]}\n")
    with pytest.raises(ContentError) as caught:
        load_scene(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (8, "footprints[0].polygon")
    assert "bowtie" in problem.message and "in order around the outline" in problem.message


def test_a_footprint_beyond_the_walkable_area_a_flat_one_and_a_repeated_name_are_each_reported(tmp_path):
    path = _scene(tmp_path, "  - {name: far, position: [40, 0], size: [2, 2]}\n"
                            "  - {name: line, polygon: [[0, 0], [1, 1], [2, 2]]}\n"
                            "  - {name: far, position: [0, 0], size: [1, 1]}\n")
    with pytest.raises(ContentError) as caught:
        load_scene(path)
    got = {(p.line, p.path): p.message for p in caught.value.problems}
    assert "outside the walkable area" in got[(8, "footprints[0].position")]
    assert "encloses no area" in got[(9, "footprints[1].polygon")]
    assert "already footprint 0" in got[(10, "footprints[2].name")]


def test_a_footprint_needs_a_size_with_its_position_or_a_polygon(tmp_path):
    path = _scene(tmp_path, "  - {name: crate, position: [0, 0]}\n")
    with pytest.raises(ContentError) as caught:
        load_scene(path)
    assert caught.value.problems[0].path.startswith("footprints[0]")


def test_a_subject_placed_in_a_footprint_is_an_error_that_says_where_it_could_stand(tmp_path):
    import shutil

    scenario = tmp_path / "car_park.yaml"
    text = resolve("knife_parking_lot", "scenarios").read_text(encoding="utf-8")
    text = text.replace("    position: [3.5, -1.0]", "    position: [4.5, 2.0]", 1)
    scenario.write_text(text.replace("scene: parking_lot_night", f"scene: {resolve('parking_lot_night', 'scenes')}"),
                        encoding="utf-8")
    shutil.copytree(resolve("knife_parking_lot", "scenarios").parent / "library", tmp_path / "library")
    with pytest.raises(ContentError) as caught:
        load_scenario(scenario)
    (problem,) = [p for p in caught.value.problems if p.path == "subjects[0].position"]
    assert "footprint 'subject_car'" in problem.message and "e.g. at [" in problem.message
