"""Stereo rendering through a real OpenXR runtime (headless Monado, EGL, llvmpipe): each
eye's swapchain image shows the scenario's scene, the two eyes see it from their own
places, and the frames are paced by the runtime."""

from __future__ import annotations

import time

import numpy as np
import pytest

from game.content.library import DEFAULT_SCENARIO, package_dir
from game.content.scenario import load_scenario
from game.content.xr_actions import load_xr_actions
from game.engine.world.world_view import WorldView, prepare_view
from game.xr.poses import StageAnchor
from game.xr.runtime import XrRuntime
from game.xr.stereo import XrStereo, binding_extensions, graphics_binding, lens_film
from xr_support import RemoteDriver, RemoteState, monado_manifest

MANIFEST, WHY = monado_manifest()
pytestmark = [pytest.mark.xr, pytest.mark.render, pytest.mark.skipif(MANIFEST is None, reason=WHY)]


def test_an_asymmetric_field_of_view_gives_an_offset_film():
    w, h, ox, oy = lens_film((-0.8, 0.7, 0.6, -0.7))
    assert w == pytest.approx(np.tan(0.7) + np.tan(0.8)) and h == pytest.approx(np.tan(0.6) + np.tan(0.7))
    assert ox < 0 and oy < 0  # more to the left and below: the film centre shifts there


def eyes(stereo, runtime, driver, state, frames=3, limit=400):
    """Runs frames until ``frames`` focused ones have been rendered; returns each eye's last image."""
    done = 0
    for _ in range(limit):
        driver.send(state)
        status = runtime.poll()
        if not runtime.began:
            time.sleep(0.01)
            continue
        runtime.wait_frame()
        stereo.begin()
        stereo.render_eyes()
        runtime.end_frame(stereo.finish())
        if status.running and stereo.captured:
            done += 1
            if done >= frames:
                return [img.astype(np.float32) / 255.0 for img in stereo.captured]
    raise AssertionError(f"no focused frames rendered (state {runtime.state})")


@pytest.fixture
def headset(monado):
    from engine_support import offscreen_base

    loaded = load_scenario(package_dir("scenarios") / f"{DEFAULT_SCENARIO}.yaml")
    sc = loaded.scenario
    with offscreen_base(64, 48) as base:
        base.graphics_engine.render_frame()  # the GL context exists and is current
        prepare_view(base, loaded.scene)
        view = WorldView(base.render, base.camera, loaded.scene, sc, loader=base.loader)
        runtime = XrRuntime(load_xr_actions(), StageAnchor(sc.trainee_position, sc.trainee_heading), log=lambda m: None)
        runtime.open(graphics_binding, extensions=binding_extensions("p3headlessgl"))
        driver = RemoteDriver(monado)
        stereo = XrStereo(base, runtime, base.render, size=(160, 120), capture=True)
        try:
            yield base, view, runtime, driver, stereo, sc
        finally:
            stereo.destroy()
            runtime.close()
            driver.close()
            view.destroy()


def test_each_eye_shows_the_scene_from_its_own_place(headset):
    base, view, runtime, driver, stereo, sc = headset
    state = RemoteState()
    # look at the subject: the play area's forward is the trainee's starting heading
    left, right = eyes(stereo, runtime, driver, state)
    for img in (left, right):
        assert img.shape == (120, 160, 3)
        assert img.std() > 0.02, "the eye's image is flat: nothing of the scene was drawn"
    assert np.abs(left - right).mean() > 0.001, "both eyes saw the same image: no stereo"
    view.root.hide()
    empty_left, empty_right = eyes(stereo, runtime, driver, state)
    for full, empty in ((left, empty_left), (right, empty_right)):
        assert np.abs(full - empty).mean() > 0.02, "hiding the world changed nothing in the eye"
    assert empty_left.reshape(-1, 3).std(axis=0).max() < 0.01  # only the clear colour is left


def test_turning_the_head_turns_both_eyes(headset):
    base, view, runtime, driver, stereo, sc = headset
    state = RemoteState()
    ahead = eyes(stereo, runtime, driver, state)
    state.head_orientation = (0.0, float(np.sin(np.radians(45))), 0.0, float(np.cos(np.radians(45))))  # 90 degrees to the left
    turned = eyes(stereo, runtime, driver, state)
    for a, t in zip(ahead, turned):
        assert np.abs(a - t).mean() > 0.02


def test_the_instructors_officer_figure_never_shows_in_the_trainees_eyes(headset):
    from panda3d.core import PandaNode

    from game.engine.console.instructor_view import InstructorView

    base, view, runtime, driver, stereo, sc = headset
    monitor = InstructorView(base.win, base.render, base.cam, {s.id: s.name for s in sc.subjects})
    try:
        h = np.radians(sc.trainee_heading)
        ahead = (sc.trainee_position[0] - 1.6 * np.sin(h), sc.trainee_position[1] + 1.6 * np.cos(h))
        monitor.officer.root.set_pos(ahead[0], ahead[1], 0.0)  # the monitor's officer, right in front of the eyes
        monitor.officer_disc.set_pos(ahead[0], ahead[1], 0.01)
        with_figure = eyes(stereo, runtime, driver, RemoteState())
        monitor.root.hide()
        without = eyes(stereo, runtime, driver, RemoteState())
        for a, b in zip(with_figure, without):
            assert np.abs(a - b).mean() < 0.002, "the trainee's eye drew what only the instructor's cameras may"
        monitor.root.show()
        masks = [eye["camera"].node().get_camera_mask() for eye in stereo.eyes]
        for eye in stereo.eyes:  # the same place seen by a camera with every bit: the figure is there
            eye["camera"].node().set_camera_mask(PandaNode.get_all_camera_mask())
        seen = eyes(stereo, runtime, driver, RemoteState())
        for eye, mask in zip(stereo.eyes, masks):
            eye["camera"].node().set_camera_mask(mask)
        assert max(np.abs(a - b).mean() for a, b in zip(seen, without)) > 0.01
    finally:
        monitor.destroy()
