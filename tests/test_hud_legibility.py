"""The instructor's console is legible at 1280x720: every piece of HUD text, rendered for real,
draws its letters at least 14 px tall, and the panel is laid out without overlapping lines."""

from __future__ import annotations

import pytest

from game.content.library import resolve
from game.content.scenario import load_scenario
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation
from game.engine.console.hud import InstructorHud, monitor_label

from engine_support import offscreen_base, render_rgb

pytestmark = pytest.mark.render


def test_the_main_views_caption_says_view_once():
    assert monitor_label("Dale Porter's view") == "monitor: Dale Porter's view"
    assert monitor_label("overhead") == "monitor: overhead view"
    assert monitor_label("free camera") == "monitor: free camera"
    assert monitor_label("trainee") == ""


def test_every_hud_text_is_at_least_14_px_tall_at_1280x720_and_the_panel_lines_do_not_overlap():
    loaded = load_scenario(resolve("domestic_disturbance", "scenarios"))
    with offscreen_base(1280, 720) as base:
        sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
        hud = InstructorHud(base.win, scenario=loaded.scenario,
                            labels=lambda: ("overhead", "trainee", "Dale Porter's view"))
        hud.update(sim.snapshot())
        texts = hud.root.find_all_matches("**/+TextNode")
        assert texts.get_num_paths() >= 15
        saved = [(node, node.node().get_text()) for node in texts]
        for node in texts:
            node.hide()
        blank = render_rgb(base)
        heights, tops = {}, []
        for node, original in saved:
            node.show()
            node.node().set_text("Hg")
            image = abs(render_rgb(base) - blank).max(axis=2)
            node.hide()
            ink = (image > 0.25).any(axis=1).nonzero()[0]
            if ink.size:
                heights[id(node)] = ink.max() - ink.min() + 1
                if hud.panel.is_ancestor_of(node) and original:  # an empty line draws nothing
                    tops.append((ink.min(), ink.max()))
        for node, text in saved:
            node.node().set_text(text)
            node.show()
        hud.layer.destroy()
    assert len(heights) >= 15, "HUD text did not render"
    assert min(heights.values()) >= 14, f"text {min(heights.values())} px tall at 1280x720 (smallest)"
    tops.sort()
    overlaps = [(a, b) for a, b in zip(tops, tops[1:]) if b[0] < a[1] - 1]
    assert not overlaps, f"panel lines overlap: {overlaps}"
