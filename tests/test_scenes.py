"""Every shipped scene loads, renders offscreen for real, and each of its lamps lights something."""

from __future__ import annotations

import numpy as np
import pytest

from game.content.errors import ContentError
from game.content.library import installed
from game.content.scene import load_scene
from game.engine.world.scene_view import build_scene
from game.engine.world.world_view import prepare_view

from engine_support import offscreen_base, render_rgb

pytestmark = pytest.mark.render

SCENES = [p.stem for p in installed("scenes")]
#: Where a trainee first stands in each scene (position, heading) and what they face.
VIEWPOINTS = {
    "parking_lot_night": ((0.0, -14.0), 0.0),
    "road_shoulder": ((1.0, -7.0), 0.0),
    "bridge": ((2.5, -10.0), 0.0),
    "apartment": ((0.0, -4.3), 0.0),
    "shop_front": ((0.0, -10.0), 0.0),
    "park": ((0.0, -12.0), 0.0),
}


def test_the_scenes_the_scenarios_need_are_shipped():
    assert set(VIEWPOINTS) <= set(SCENES)


@pytest.fixture(scope="module")
def base():
    with offscreen_base(240, 160) as b:
        yield b


def _view(base, name):
    scene = load_scene(installed("scenes")[SCENES.index(name)])
    prepare_view(base, scene)
    root = base.render.attach_new_node("world")
    view = build_scene(scene, root, lit_root=root, loader=base.loader)  # the props load as in the game
    (x, y), heading = VIEWPOINTS.get(name, ((0.0, scene.bounds[0][1]), 0.0))
    base.camera.set_pos(x, y, 1.7)
    base.camera.set_hpr(heading, -5, 0)
    return scene, root, view


@pytest.mark.parametrize("name", SCENES)
def test_a_shipped_scene_renders_lit_with_ground_below_and_something_bright(base, name):
    scene, root, view = _view(base, name)
    try:
        image = render_rgb(base)
        assert image.std() > 0.03, "the frame is nearly one flat colour"
        assert image.max() > 0.6, "nothing bright: lamps, windows or lights are missing"
        sky = np.array(scene.sky_color[:3])
        bottom = image[-30:]
        assert np.abs(bottom - sky).max(axis=2).mean() > 0.03, "no floor or ground in front of the trainee"
        assert image.mean() > 0.04, "the view is almost black"
    finally:
        view.destroy()
        root.remove_node()


@pytest.mark.parametrize("name", SCENES)
def test_every_light_in_a_shipped_scene_visibly_lights_the_trainees_surroundings(base, name):
    """Turning each lamp off darkens part of the frame, seen from the start or from the light's own spot."""
    _, root, view = _view(base, name)
    try:
        for light in view.lights:
            kind = type(light.node()).__name__
            if kind == "AmbientLight":
                continue
            pos = light.get_pos(base.render)
            if kind == "Spotlight":  # look along the beam from just above it
                aim = pos + light.get_quat(base.render).get_forward() * 6.0
                base.camera.set_pos(pos.x, pos.y, pos.z + 1.0)
                base.camera.look_at(aim)
            elif kind == "PointLight":  # look down at the ground beneath it from nearby
                base.camera.set_pos(pos.x, pos.y - 5.0, 1.7)
                base.camera.look_at(pos.x, pos.y, 0.0)
            else:
                base.camera.set_pos(*VIEWPOINTS.get(name, ((0.0, 0.0), 0.0))[0], 1.7)
                base.camera.set_hpr(0, -20, 0)
            on = render_rgb(base)
            root.clear_light(light)
            off = render_rgb(base)
            root.set_light(light)
            darker = (on - off).max(axis=2) > 0.02
            assert darker.mean() > 0.01, f"light {light.name!r} lights nothing around it"
    finally:
        view.destroy()
        root.remove_node()


def test_pitch_and_roll_tilt_a_scene_object(base, tmp_path):
    path = tmp_path / "ramp.yaml"
    path.write_text("format_version: 1\nid: ramp\ntitle: Ramp\nobjects:\n"
                    "  - {shape: box, size: [2, 4, 0.1], pitch: 10, roll: -5}\n")
    obj = load_scene(path).objects[0]
    assert (obj.pitch, obj.roll) == (10.0, -5.0)
    root = base.render.attach_new_node("world")
    view = build_scene(load_scene(path), root)
    box = view.root.get_child(0)
    assert box.get_p() == pytest.approx(10.0) and box.get_r() == pytest.approx(-5.0)
    view.destroy()
    root.remove_node()


def test_a_pitch_that_is_not_a_number_is_reported_where_it_is(tmp_path):
    path = tmp_path / "ramp.yaml"
    path.write_text("format_version: 1\nid: ramp\ntitle: Ramp\nobjects:\n"
                    "  - {shape: box, pitch: steep}\n")
    with pytest.raises(ContentError) as caught:
        load_scene(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (5, "objects[0].pitch")
    assert "number" in problem.message
