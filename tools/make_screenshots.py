"""Writes docs/characters/SCENARIO.png: each shipped scenario's first subject in its scene,
face close-up and full body, calm and agitated (four panels), rendered offscreen.

    python tools/make_screenshots.py
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "characters"
W, H = 240, 300


def main() -> int:
    from panda3d.core import Filename, PNMImage

    from game.content.errors import ContentError
    from game.content.library import installed
    from game.content.scenario import load_scenario
    from game.core.journal import MemoryJournal
    from game.core.simulation import Simulation
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase
    from game.engine.world.world_view import WorldView, prepare_view

    OUT.mkdir(parents=True, exist_ok=True)
    base = create_showbase(EngineSettings(offscreen=True, width=W, height=H, display=default_offscreen_display(),
                                          gl_finish=True))
    try:
        for path in installed("scenarios"):
            try:
                loaded = load_scenario(path)
            except ContentError:
                continue
            sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
            s = sim.minds[0].state
            prepare_view(base, loaded.scene)
            view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
            panels = []
            for agitation in (0.0, 0.95):
                for shot in ("face", "body"):
                    s.agitation, s.posture, s.speed = agitation, "agitated" if agitation > 0.5 else "relaxed", 0.0
                    d = 0.9 if shot == "face" else 2.6
                    a = math.radians(s.heading)
                    sim.trainee.position = (s.position[0] - math.sin(a) * d, s.position[1] + math.cos(a) * d)
                    sim.trainee.heading = (s.heading + 180.0) % 360.0
                    lens = base.cam.node().get_lens()
                    lens.set_fov(18 if shot == "face" else 44, (18 if shot == "face" else 44) * H / W)
                    for _ in range(45):
                        view.update(sim.snapshot(), 1 / 30)
                    fig = view.figures[s.id]
                    height = 1.72 * fig.root.get_scale().z * (fig.body.get_scale().z if hasattr(fig, "body") else 1.0)
                    aim = height - 0.1 if shot == "face" else height * 0.52
                    base.camera.set_pos(sim.trainee.position[0], sim.trainee.position[1], aim if shot == "face" else 1.1)
                    base.camera.look_at(s.position[0], s.position[1], aim)
                    base.graphics_engine.render_frame()
                    base.graphics_engine.render_frame()
                    img = PNMImage()
                    base.win.get_screenshot(img)
                    panels.append(img)
            view.destroy()
            strip = PNMImage(W * len(panels), H)
            for i, p in enumerate(panels):
                strip.copy_sub_image(p, i * W, 0)
            out = OUT / f"{loaded.scenario.id}.png"
            strip.write(Filename.from_os_specific(str(out)))
            print(f"wrote {out.relative_to(ROOT)}")
    finally:
        destroy_showbase(base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
