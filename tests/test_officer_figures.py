"""Each officer sees the other (issue 18): the world view draws every officer but the viewer's own
as an officer figure — uniform, head, hands and the tools in them — rendered offscreen and
checked by its pixels."""

from __future__ import annotations

import numpy as np
import pytest

from game.content import load_scenario
from game.content.library import package_dir
from game.core.events import Draw, OfficerLeft
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation

from engine_support import offscreen_base, project, render_rgb

pytestmark = pytest.mark.render

FACING = [((0.0, -14.0), 0.0), ((0.0, -11.0), 180.0)]  # officer 2 three metres in front of officer 1, facing it


@pytest.fixture(scope="module")
def welfare():
    return load_scenario(package_dir("scenarios") / "welfare_check.yaml")


def snapshot(welfare, officers, *inputs):
    sim = Simulation(welfare.scenario, seed=1, journal=MemoryJournal(), officers=officers)
    for event in inputs:
        sim.submit(event)
    sim.step()
    return sim.snapshot()


def view_of(base, welfare, snap, seat="officer:1"):
    from game.engine.world.world_view import WorldView

    view = WorldView(base.render, base.camera, welfare.scene, welfare.scenario, seat=seat)
    view.update(snap, 1 / 90)
    return view


def patch(rgb, xy, r=3):
    x, y = xy
    return rgb[y - r:y + r + 1, x - r:x + r + 1].reshape(-1, 3).mean(axis=0)


def test_officer_1_sees_officer_2_in_uniform_where_officer_2_stands_and_not_itself(welfare):
    with offscreen_base() as base:
        view = view_of(base, welfare, snapshot(welfare, FACING))
        assert list(view.officers.figures) == ["officer:2"], "the viewer's own officer is not drawn"
        torso = project(base, (0.0, -11.0, 1.2))
        seen = patch(render_rgb(base), torso)
        view.destroy()
        view = view_of(base, welfare, snapshot(welfare, [FACING[0], ((6.0, -14.0), 0.0)]))  # officer 2 off to the side
        empty = patch(render_rgb(base), torso)
        view.destroy()
    assert np.abs(seen - empty).sum() > 0.1, (seen, empty)
    assert seen[2] - seen[1] > empty[2] - empty[1] + 0.05, f"the navy uniform is bluer than the night behind: {seen}, {empty}"


def test_officer_2_sees_officer_1_and_the_flashlight_in_its_hand(welfare):
    lit = snapshot(welfare, FACING, Draw(tool="flashlight", hand="right"))
    with offscreen_base() as base:
        view = view_of(base, welfare, lit, seat="officer:2")
        fig = view.officers.figures["officer:1"]
        assert fig.held["right"][0] == "flashlight" and fig.held["left"] == ("", None)
        assert base.camera.get_pos(base.render).y == pytest.approx(-11.0), "the camera is officer 2's eyes"
        lens = project(base, (0.2, -14.0 + 0.38 + 0.137, 1.22))  # officer 1's right hand, the lens toward officer 2
        with_light = render_rgb(base)
        view.destroy()
        view = view_of(base, welfare, snapshot(welfare, FACING), seat="officer:2")
        without = render_rgb(base)
        view.destroy()
    x, y = lens
    window = (slice(y - 4, y + 5), slice(x - 4, x + 5))
    assert with_light[window].max() > 0.8, "the lit lens shows in officer 1's hand"
    assert with_light[window].max() > without[window].max() + 0.2


def test_an_officer_whose_station_left_is_drawn_greyed_where_it_stands(welfare):
    away = snapshot(welfare, FACING, OfficerLeft(officer="officer:2", reason="connection lost"))
    assert away.officer("officer:2").away == "connection lost"
    with offscreen_base() as base:
        view = view_of(base, welfare, snapshot(welfare, FACING))
        torso = project(base, (0.0, -11.0, 1.2))
        present = patch(render_rgb(base), torso)
        view.update(away, 1 / 90)
        grey = patch(render_rgb(base), torso)
        assert view.officers.figures["officer:2"].away == "connection lost"
        view.destroy()
    assert grey.sum() < present.sum(), (present, grey)
