"""The trainee's hands and tools on the desk, drawn offscreen for real: each drawn tool sits in a
hand low in the view; using one shows its effect from the journal's own events: a CEW's two wires
from the tool to where its probes struck, an OC cloud in front of the trainee, a muzzle flash."""

from __future__ import annotations

import os

import numpy as np
import pytest

from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.scenario import load_scenario
from game.core.events import Draw, Use
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation
from game.engine.world.world_view import WorldView, prepare_view

from engine_support import offscreen_base, project, render_rgb

pytestmark = pytest.mark.render
W, H = 320, 240
TOOLS = ("flashlight", "oc_spray", "cew", "baton", "firearm")


@pytest.fixture(scope="module")
def base():
    with offscreen_base(W, H) as b:
        yield b


@pytest.fixture()
def world(base):
    """The default scenario, the trainee 3 m south of the subject, facing it."""
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    s = sim.minds[0].state
    sim.trainee.position = (s.position[0], s.position[1] - 3.0)
    sim.trainee.heading = 0.0
    sim.trainee.pitch = 0.0
    prepare_view(base, loaded.scene, "low")
    view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
    view.update(sim.snapshot(), 0.0)
    yield sim, view
    view.destroy()


def _step(sim, view, *inputs, seconds: float = 0.0):
    """Submits ``inputs``, steps (at least once) and hands the events and snapshot to the view
    as the session does."""
    for i in inputs:
        sim.submit(i)
    events = []
    for _ in range(max(1, round(seconds * sim.clock.hz))):
        result = sim.step()
        for e in result.events:
            view.record(result.snapshot.step, result.snapshot.time, e)
        events += list(result.events)
    view.update(sim.snapshot(), sim.clock.dt)
    return events


@pytest.mark.parametrize("tool", TOOLS)
def test_a_drawn_tool_sits_in_a_hand_in_the_lower_right_of_the_desk_view(base, world, tool):
    sim, view = world
    sim.trainee.hands["right"] = tool
    view.update(sim.snapshot(), 1 / 30)
    held = render_rgb(base)
    view.tools.models["right"].hide()  # the same frame without the view-model (a flashlight's beam stays)
    empty = render_rgb(base)
    view.tools.models["right"].show()
    changed = np.abs(held - empty).max(axis=2) > 0.08
    rows, cols = np.nonzero(changed)
    assert len(rows) > 300, f"{tool}: nothing drawn in hand"
    assert np.mean(rows > H * 0.5) > 0.9, f"{tool}: not in the lower part of the view"
    assert np.mean(cols > W * 0.5) > 0.85, f"{tool}: not on the right hand's side"
    r, g, b = (held[..., k][changed] for k in range(3))
    skin = (r > g + 0.04) & (g > b) & (r > 0.2)
    assert skin.sum() > 60, f"{tool}: no hand holding it"


def test_a_cew_shot_draws_two_wires_from_the_tool_to_where_the_probes_struck(base, world):
    sim, view = world
    _step(sim, view, Draw(tool="cew"))
    before = render_rgb(base)
    events = _step(sim, view, Use(hand="right"))
    probes = [e for e in events if type(e).__name__ in ("ToolHit", "ToolMissed") and e.tool == "cew"]
    assert len(probes) == 2 and view.effects.wires() == 2
    after = render_rgb(base)
    changed = np.abs(after - before).max(axis=2) > 0.05
    muzzle = project(base, tuple(view.tools.muzzle("right").get_pos(base.render)))
    assert muzzle is not None
    for p in probes:
        end = project(base, tuple(p.point))
        assert end is not None
        on_wire = 0
        samples = np.linspace(0.1, 0.7, 25)
        for t in samples:  # along the wire's path on screen (it sags a few pixels): wire pixels near it
            x = int(muzzle[0] + (end[0] - muzzle[0]) * t)
            y = int(muzzle[1] + (end[1] - muzzle[1]) * t)
            on_wire += changed[max(0, y - 4):y + 12, max(0, x - 2):x + 3].any()
        assert on_wire >= 0.8 * len(samples), f"probe {p.probe}: no wire along {on_wire}/{len(samples)}"
    # the wires run out of the tool: the pixels changed by the shot reach down to the muzzle
    mx, my = muzzle
    assert changed[max(0, my - 6):my + 7, max(0, mx - 6):mx + 7].any()
    _step(sim, view, seconds=5.2)
    assert view.effects.wires() == 0, "the wires outlived the CEW's cycle"


def test_oc_spray_leaves_a_cloud_in_front_of_the_trainee_that_fades(base, world):
    sim, view = world
    _step(sim, view, Draw(tool="oc_spray"))
    before = render_rgb(base)
    _step(sim, view, Use(hand="right"))
    _step(sim, view, seconds=0.6)
    cloud = render_rgb(base)
    middle = (slice(H // 4, 3 * H // 4), slice(W // 4, 3 * W // 4))
    diff = cloud[middle] - before[middle]
    orange = (diff[..., 0] > 0.08) & (diff[..., 0] > diff[..., 2] + 0.04)
    assert orange.mean() > 0.05, "no spray cloud in front of the trainee"
    _step(sim, view, seconds=2.0)
    assert not [e for e in view.effects.effects if e.kind == "cloud"], "the cloud never cleared"


def test_firing_shows_a_muzzle_flash_at_the_pistol_for_a_moment(base, world):
    sim, view = world
    _step(sim, view, Draw(tool="firearm"))
    before = render_rgb(base)
    muzzle = project(base, tuple(view.tools.muzzle("right").get_pos(base.render)))
    _step(sim, view, Use(hand="right"))
    flash = render_rgb(base)
    x, y = muzzle
    box = (slice(max(0, y - 12), y + 12), slice(max(0, x - 12), x + 12))
    assert (flash[box].min(axis=2) > 0.7).sum() > 8, "no bright flash at the muzzle"
    assert flash[box].mean() > before[box].mean() + 0.1
    _step(sim, view, seconds=0.2)
    assert not [e for e in view.effects.effects if e.kind == "flash"]


if os.environ.get("TALKDOWN_SAVE_VIEW_MODEL"):  # a picture for people: TALKDOWN_SAVE_VIEW_MODEL=folder
    def test_save_pictures(base, world):  # pragma: no cover
        from pathlib import Path

        from game.png import encode_png

        sim, view = world
        out = Path(os.environ["TALKDOWN_SAVE_VIEW_MODEL"])
        for tool in TOOLS:
            sim.trainee.hands["right"] = tool
            view.update(sim.snapshot(), 1 / 30)
            px = np.ascontiguousarray((render_rgb(base) * 255).astype(np.uint8))
            (out / f"{tool}.png").write_bytes(encode_png(px.tobytes(), W, H))
        sim.trainee.hands["right"] = ""
        _step(sim, view, Draw(tool="cew"))
        _step(sim, view, Use(hand="right"))
        px = np.ascontiguousarray((render_rgb(base) * 255).astype(np.uint8))
        (out / "cew_shot.png").write_bytes(encode_png(px.tobytes(), W, H))
