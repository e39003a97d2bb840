"""The partner officer in the 3D world, rendered offscreen for real: a uniformed figure where the
snapshot puts it — live and played back from the recording — and never one for the camera's own
officer."""

from __future__ import annotations

import numpy as np
import pytest

from game.content.library import package_dir
from game.content.scenario import load_scenario
from game.core.journal import MemoryJournal
from game.core.playback import JournalPlayback
from game.core.simulation import Simulation
from game.core.world import heading_to
from game.engine.world.world_view import WorldView, prepare_view

from engine_support import offscreen_base, project, render_rgb

pytestmark = pytest.mark.render


def test_the_partner_officer_stands_in_uniform_where_the_snapshot_says_live_and_in_a_replay():
    loaded = load_scenario(package_dir("scenarios") / "duty_to_intervene.yaml")
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    sim.run_for(6.0)  # Kerr has walked to his cover position
    sim.finish("ended")
    kerr = sim.officers["officer:2"].position
    with offscreen_base() as base:
        prepare_view(base, loaded.scene)
        view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=None)
        try:
            eye = (kerr[0] - 1.0, kerr[1] - 4.0)
            pose = (eye, heading_to(eye, kerr), -8.0)
            snap = sim.snapshot()
            for _ in range(10):
                view.update(snap, 1 / 30, pose)
            assert set(view.officers.figures) == {"officer:2"}  # none for the camera's own officer
            with_kerr = render_rgb(base)
            view.officers.figures["officer:2"].root.hide()
            without = render_rgb(base)
            view.officers.figures["officer:2"].root.show()
            top, feet = project(base, (kerr[0], kerr[1], 1.8)), project(base, (kerr[0], kerr[1], 0.1))
            x = top[0]
            rows, cols = slice(top[1], feet[1]), slice(x - 6, x + 6)
            changed = np.abs(with_kerr[rows, cols] - without[rows, cols]).max(axis=2) > 0.05
            assert changed.mean() > 0.3, "no figure where Kerr stands"
            body = with_kerr[rows, cols][changed]
            assert body[:, 2].mean() > body[:, 0].mean(), "the figure is not in navy"

            # the recording played back puts him in the same place
            played = JournalPlayback(loaded.scenario, sim.journal.records(), MemoryJournal())
            while not played.finished:
                snap = played.step().snapshot
            view.update(snap, 1 / 30, pose)
            fig = view.officers.figures["officer:2"]
            assert (fig.root.get_x(), fig.root.get_y()) == pytest.approx(snap.officer("officer:2").position, abs=1e-3)
            assert snap.officer("officer:2").position == pytest.approx(kerr, abs=0.05)
        finally:
            view.destroy()
