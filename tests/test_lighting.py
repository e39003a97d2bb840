"""Lighting at both qualities, rendered offscreen for real (EGL + llvmpipe here): every scene at
``low``, ``high`` (simplepbr without shadow maps) where llvmpipe can draw it, contact shadows,
flashing light bars, a flashlight on a face, the night sky."""

from __future__ import annotations

import numpy as np
import pytest

from game.content.errors import ContentError
from game.content.library import installed, resolve
from game.content.scenario import load_scenario
from game.content.scene import load_scene
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation
from game.engine.world.lighting import flash_on, resolve_quality
from game.engine.world.world_view import WorldView, prepare_view

from engine_support import offscreen_base, project, render_rgb

pytestmark = pytest.mark.render


def _view(base, scenario: str, quality: str = "low", *, trainee=None, heading: float = 0.0):
    loaded = load_scenario(resolve(scenario, "scenarios"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    if trainee is not None:
        sim.trainee.position = trainee
        sim.trainee.heading = heading
    chosen = prepare_view(base, loaded.scene, quality)
    view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader, quality=chosen)
    view.update(sim.snapshot(), 0.0)
    return sim, view, chosen


def test_auto_quality_is_low_on_a_software_renderer_and_a_bad_name_is_refused():
    with offscreen_base(32, 32) as base:
        assert resolve_quality("auto", base) == "low"
        assert resolve_quality("high", base) == "high"
        with pytest.raises(ValueError, match="quality must be one of"):
            resolve_quality("ultra", base)


def test_every_scene_renders_at_low_quality_lit_with_a_sky_that_is_not_flat():
    scenes = installed("scenes")
    assert len(scenes) >= 6
    with offscreen_base(160, 120) as base:
        loaded = load_scenario(resolve("traffic_stop", "scenarios"))
        for path in scenes:
            name, scene = path.stem, load_scene(path)
            sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
            sim.trainee.position = (0.0, 0.0)
            prepare_view(base, scene, "low")
            view = WorldView(base.render, base.camera, scene, loaded.scenario, loader=base.loader, quality="low")
            base.camera.set_pos(0, 0, 1.7)
            base.camera.set_hpr(0, 25, 0)  # up at the sky
            view.sky.show()
            view.update(sim.snapshot(), 0.0)
            base.camera.set_hpr(0, 25, 0)
            image = render_rgb(base)
            view.destroy()
            assert image.std() > 0.01, f"{name}: a flat frame"
            top = image[:50].mean(axis=2)
            assert top.max() - top.min() > 0.02, f"{name}: the sky is one flat colour"


def test_the_night_sky_has_stars_over_a_horizon_glow():
    with offscreen_base(320, 240) as base:
        sim, view, _ = _view(base, "traffic_stop", trainee=(1.0, -7.0))
        base.camera.set_hpr(0, 40, 0)
        image = render_rgb(base)
        view.destroy()
    lum = image.mean(axis=2)
    stars = (lum > lum[:60].mean() + 0.2)[:120].sum()
    assert stars >= 5, "no stars in a clear night sky"
    assert lum[200:].mean() > lum[:20].mean(), "the horizon is not lighter than the zenith"


def test_a_contact_shadow_darkens_the_ground_under_the_subject():
    with offscreen_base(320, 240) as base:
        sim, view, _ = _view(base, "knife_parking_lot")
        s = sim.minds[0].state
        base.camera.set_pos(s.position[0], s.position[1] - 3.0, 2.2)
        base.camera.look_at(s.position[0], s.position[1], 0.0)
        feet = project(base, (s.position[0] + 0.25, s.position[1] - 0.1, 0.0))
        # the ground alone: the body (which may stand over the patch, a shoe say) hidden, its shadow kept
        for shadow in view.shadows:
            for part in shadow.get_parent().get_children():
                if part != shadow:
                    part.hide()
        with_shadow = render_rgb(base)
        for shadow in view.shadows:
            shadow.hide()
        without = render_rgb(base)
        view.destroy()
    x, y = feet
    patch = (slice(y - 3, y + 3), slice(x - 3, x + 3))
    assert with_shadow[patch].mean() < without[patch].mean() * 0.75, "no darker ground beside the subject's feet"


@pytest.mark.parametrize("quality", ["low", "high"])
def test_the_light_bar_alternates_red_and_blue_and_lights_the_traffic_stop(quality):
    assert flash_on("a", 0.1) and not flash_on("b", 0.1) and flash_on("b", 0.35) and not flash_on("a", 0.35)
    with offscreen_base(160, 120) as base:
        sim, view, _ = _view(base, "traffic_stop", quality, trainee=(3.2, -5.0), heading=180.0)  # facing the patrol car
        bar_red = project(base, (1.8 - 0.35, -9.1, 1.66))  # the red half of the patrol car's bar
        frames = []
        for t in (0.1, 0.35):  # "a" (red) on, then "b" (blue) on
            view.scene.animate(t)
            frames.append(render_rgb(base))
        view.destroy()
    red, blue = frames
    # the ground and cars in the light: red dominates in one phase, blue in the other
    assert (red[..., 0] - red[..., 2]).mean() > (blue[..., 0] - blue[..., 2]).mean() + 0.02
    assert (blue[..., 2] - blue[..., 0]).mean() > (red[..., 2] - red[..., 0]).mean() + 0.02
    # the bar itself: its red half glows only in the red phase
    x, y = bar_red
    glow = (slice(y - 1, y + 2), slice(x - 1, x + 2))
    assert red[glow][..., 0].max() > blue[glow][..., 0].max() + 0.3, "the light bar's own glow does not flash"


def test_the_traffic_stop_from_the_trainees_start_is_not_nearly_black():
    with offscreen_base(320, 240) as base:
        sim, view, _ = _view(base, "traffic_stop")
        image = render_rgb(base)
        view.destroy()
    assert image.mean() > 0.08, f"mean brightness {image.mean():.3f}: nearly black"


def _face_crop(base, s):
    a = project(base, (s.position[0] - 0.12, s.position[1], 1.75))
    b = project(base, (s.position[0] + 0.12, s.position[1], 1.5))
    return slice(a[1], b[1]), slice(a[0], b[0])


@pytest.mark.parametrize("quality", ["low", "high"])
def test_a_flashlight_at_two_metres_lights_a_face_without_clipping_it(quality):
    with offscreen_base(320, 240) as base:
        sim, view, _ = _view(base, "knife_parking_lot", quality)
        s = sim.minds[0].state
        sim.trainee.position = (s.position[0], s.position[1] - 2.0)
        sim.trainee.heading = 0.0
        s.heading = 180.0  # facing the trainee
        crops = []
        for tool in ("", "flashlight"):
            sim.trainee.hands = {"left": tool, "right": ""}
            view.update(sim.snapshot(), 0.0)
            crops.append(render_rgb(base)[_face_crop(base, s)])
        view.destroy()
    dark, lit = crops
    assert lit.mean() > dark.mean() + 0.04, "the flashlight does not light the face"
    clipped = (lit.max(axis=2) > 0.9).mean()
    assert clipped < 0.05, f"{clipped:.0%} of the face is blown out to the clamp"


def test_high_quality_draws_characters_lit_and_the_night_not_washed_out():
    with offscreen_base(160, 120) as base:  # simplepbr without shadow maps: llvmpipe draws it
        sim, view, chosen = _view(base, "knife_parking_lot", "high")
        assert chosen == "high"
        s = sim.minds[0].state
        sim.trainee.position = (s.position[0], s.position[1] - 3.0)
        sim.trainee.heading = 0.0
        view.update(sim.snapshot(), 0.0)
        fig = view.figures[s.id]
        high = render_rgb(base)
        fig.root.hide()
        without = render_rgb(base)
        fig.root.show()
        view.destroy()
    with offscreen_base(160, 120) as base:
        sim, view, _ = _view(base, "knife_parking_lot", "low")
        s = sim.minds[0].state
        sim.trainee.position = (s.position[0], s.position[1] - 3.0)
        sim.trainee.heading = 0.0
        view.update(sim.snapshot(), 0.0)
        low = render_rgb(base)
        view.destroy()
    body = np.abs(high - without).max(axis=2) > 0.05
    assert body.sum() > 40, "the subject does not show at high quality"
    assert high[body].mean() > 0.1, "the subject renders black at high quality"
    assert high.mean() < low.mean() * 1.6 + 0.03, "the night is washed out at high quality"
    assert high.mean() > low.mean() * 0.5, "the night is far darker at high quality"


def test_a_flash_phase_other_than_a_or_b_is_a_located_error(tmp_path):
    src = resolve("road_shoulder", "scenes").read_text(encoding="utf-8")
    bad = tmp_path / "road_shoulder.yaml"
    bad.write_text(src.replace("flash: b}", "flash: blue}", 1), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_scene(bad)
    text = str(err.value)
    assert "road_shoulder.yaml:" in text and "flash" in text


def test_over_the_bridges_railing_the_lamps_light_shows_on_the_water_far_below():
    with offscreen_base(480, 270) as base:
        sim, view, _ = _view(base, "bridge_crisis", trainee=(3.6, -3.0), heading=-60.0)
        base.camera.set_p(-30)  # looking down over the railing
        lit = render_rgb(base)
        reflections = view.scene.root.find("**/reflections")
        assert not reflections.is_empty()
        assert reflections.get_pos(base.render).z < -14, "the reflections are not down on the river"
        reflections.hide()
        dark = render_rgb(base)
        view.destroy()
    changed = (np.abs(lit - dark).max(axis=2) > 0.1).mean()
    assert changed > 0.01, "the water below the railing shows no light: the drop cannot be seen"
