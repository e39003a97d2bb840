"""Offscreen rendering for real (EGL + Mesa here): the default scene, the subject, postures."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from panda3d.core import LightAttrib

from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.scenario import load_scenario
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation
from game.engine.world.world_view import WorldView, prepare_view

from engine_support import offscreen_base, project, render_rgb

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def loaded():
    """The default scenario, its subject dressed as ``placeholder_humanoid`` (a maroon top that
    stands out against the night): these tests are about the view, not about one outfit."""
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    subjects = tuple(dataclasses.replace(s, appearance="placeholder_humanoid") for s in loaded.scenario.subjects)
    return dataclasses.replace(loaded, scenario=dataclasses.replace(loaded.scenario, subjects=subjects))


@pytest.fixture(scope="module")
def scene(loaded):
    """One offscreen engine with the default scene, the trainee 6 m from the subject, looking at them."""
    with offscreen_base() as base:
        sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
        subject = sim.minds[0].state
        sim.trainee.position = (subject.position[0], subject.position[1] - 6.0)
        sim.trainee.heading = 0.0
        prepare_view(base, loaded.scene)
        view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
        view.update(sim.snapshot(), 0.0)
        yield base, sim, view
        view.destroy()


def _settle(view, sim, posture: str) -> None:
    sim.minds[0].state.posture = posture
    for _ in range(60):  # two simulated seconds of blending at 30 fps
        view.update(sim.snapshot(), 1 / 30)


def _box_around(base, point, half: int = 30, half_w: int | None = None):
    px = project(base, point)
    assert px is not None, f"{point} is not in view"
    x, y = px
    h, w = base.win.get_y_size(), base.win.get_x_size()
    hw = half // 2 if half_w is None else half_w
    return slice(max(0, y - half), min(h, y + half)), slice(max(0, x - hw), min(w, x + hw))


def test_the_default_scene_renders_lit_and_not_blank(scene):
    base, sim, view = scene
    image = render_rgb(base)
    assert image.shape == (240, 320, 3)
    assert image.std() > 0.03, "the frame is a flat colour"
    assert image.max() > 0.6, "nothing bright: the lamps and shop windows are missing"
    sky = np.array(loaded_sky(base))
    assert np.abs(image[-40:] - sky).mean() > 0.03, "the ground is missing (the bottom of the frame is sky)"


def test_the_subject_is_visible_where_the_camera_expects_them(scene):
    base, sim, view = scene
    _settle(view, sim, "relaxed")
    with_subject = render_rgb(base)
    fig = view.figures[sim.minds[0].state.id]
    fig.root.hide()
    without_subject = render_rgb(base)
    fig.root.show()
    s = sim.minds[0].state
    top = project(base, (s.position[0], s.position[1], 1.85))
    feet = project(base, (s.position[0], s.position[1], 0.0))
    left = project(base, (s.position[0] - 0.3, s.position[1], 1.0))
    right = project(base, (s.position[0] + 0.3, s.position[1], 1.0))
    rows, cols = slice(top[1], feet[1]), slice(min(left[0], right[0]), max(left[0], right[0]))
    inside = np.abs(with_subject[rows, cols] - without_subject[rows, cols]).max(axis=2)
    assert (inside > 0.08).mean() > 0.3, "the subject's body does not show where it stands"
    outside = np.abs(with_subject - without_subject).max(axis=2)
    outside[rows, cols] = 0
    assert (outside > 0.08).mean() < 0.01, "hiding the subject changed pixels far from where it stands"


def test_raising_the_hands_changes_the_pixels_above_the_subjects_head(scene):
    base, sim, view = scene
    s = sim.minds[0].state
    rows, cols = _box_around(base, (s.position[0], s.position[1], 2.05), half=16, half_w=30)  # the arms' reach
    _settle(view, sim, "relaxed")
    relaxed = render_rgb(base)
    _settle(view, sim, "hands_up")
    hands_up = render_rgb(base)
    changed = np.abs(relaxed[rows, cols] - hands_up[rows, cols]).max(axis=2) > 0.08
    assert changed.mean() > 0.03, "raised hands do not show above the head"
    _settle(view, sim, "relaxed")


def test_kneeling_lowers_the_subject_in_the_frame(scene):
    base, sim, view = scene
    fig = view.figures[sim.minds[0].state.id]

    def top_row(image, bg):
        diff = np.abs(image - bg).max(axis=2) > 0.08
        rows = np.where(diff.any(axis=1))[0]
        return rows.min()

    fig.root.hide()
    background = render_rgb(base)
    fig.root.show()
    _settle(view, sim, "relaxed")
    standing = top_row(render_rgb(base), background)
    _settle(view, sim, "kneeling")
    kneeling_image = render_rgb(base)
    assert top_row(kneeling_image, background) > standing
    _settle(view, sim, "relaxed")


def test_a_drawn_flashlight_shows_in_hand_and_brightens_the_subject(scene):
    base, sim, view = scene
    s = sim.minds[0].state
    rows, cols = _box_around(base, (s.position[0], s.position[1], 1.2), half=40)
    _settle(view, sim, "relaxed")
    dark = render_rgb(base)
    sim.trainee.hands["left"] = "flashlight"
    view.update(sim.snapshot(), 1 / 30)
    lit = render_rgb(base)
    sim.trainee.hands["left"] = ""
    view.update(sim.snapshot(), 1 / 30)
    assert lit[rows, cols].mean() > dark[rows, cols].mean() + 0.01, "the beam does not light the subject"
    lower_left = (slice(140, 240), slice(0, 160))
    assert np.abs(lit[lower_left] - dark[lower_left]).max() > 0.2, "the flashlight is not in the trainee's hand"


def test_a_flashlight_moved_to_the_other_hand_keeps_its_beam(scene):
    base, sim, view = scene
    sim.trainee.hands.update(left="flashlight", right="")
    view.update(sim.snapshot(), 1 / 30)
    sim.trainee.hands.update(left="", right="flashlight")
    view.update(sim.snapshot(), 1 / 30)
    assert view.tools.beam is not None and view.root.has_light(view.tools.beam)
    assert view.tools.beam.get_parent().get_parent() == view.tools.hands["right"]
    lights_on_root = view.root.get_attrib(LightAttrib).get_num_on_lights()
    sim.trainee.hands.update(right="")
    view.update(sim.snapshot(), 1 / 30)
    assert view.tools.beam is None
    assert view.root.get_attrib(LightAttrib).get_num_on_lights() == lights_on_root - 1, "a stale beam stayed on"


def loaded_sky(base):
    c = base.get_background_color()
    return [c[0], c[1], c[2]]
