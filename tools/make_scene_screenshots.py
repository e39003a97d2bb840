"""Writes docs/screenshots/: every shipped scene from where its first scenario's trainee starts
(with its subjects), at ``low`` and ``high``; the trainee's hands with a tool and tools in use (a
CEW's wires, OC spray, a muzzle flash); the review's witness frame of a subject behind a van.
Rendered offscreen by whatever renderer is here (on CI: Mesa llvmpipe, so ``high`` has no shadow
maps). The instructor's console is shot by a short ``talkdown run --console`` (``--console``).

    python tools/make_scene_screenshots.py            # both qualities, the tools, the witness
    python tools/make_scene_screenshots.py --console  # also docs/screenshots/console_SCENE.png
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
W, H = 480, 270


def _save(base, path: Path) -> None:
    import numpy as np

    from game.png import encode_png

    base.graphics_engine.render_frame()
    base.graphics_engine.render_frame()
    tex = base.win.get_screenshot()
    w, h = tex.get_x_size(), tex.get_y_size()
    rgb = np.frombuffer(bytes(tex.get_ram_image_as("RGB")), np.uint8).reshape(h, w, 3)[::-1]
    path.write_bytes(encode_png(np.ascontiguousarray(rgb), w, h))
    print(f"wrote {path.relative_to(ROOT)}")


def _texture_png(tex, path: Path) -> None:
    import numpy as np

    from game.png import encode_png

    w, h = tex.get_x_size(), tex.get_y_size()
    rgb = np.frombuffer(bytes(tex.get_ram_image_as("RGB")), np.uint8).reshape(h, w, 3)[::-1]
    path.write_bytes(encode_png(np.ascontiguousarray(rgb), w, h))
    print(f"wrote {path.relative_to(ROOT)}")


def _world(base, scenario: str, quality: str):
    from game.content.library import resolve
    from game.content.scenario import load_scenario
    from game.core.journal import MemoryJournal
    from game.core.simulation import Simulation
    from game.engine.world.world_view import WorldView, prepare_view

    loaded = load_scenario(resolve(scenario, "scenarios"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    q = prepare_view(base, loaded.scene, quality)
    view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader, quality=q)
    return loaded, sim, view


def _run(sim, view, *inputs, seconds: float = 1 / 30) -> None:
    for i in inputs:
        sim.submit(i)
    for _ in range(max(1, round(seconds * sim.clock.hz))):
        result = sim.step()
        for e in result.events:
            view.record(result.snapshot.step, result.snapshot.time, e)
        view.update(result.snapshot, sim.clock.dt)


def shoot(quality: str) -> None:
    from game.content.library import installed
    from game.content.scenario import load_scenario
    from game.core.events import Draw, Use
    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase

    OUT.mkdir(parents=True, exist_ok=True)
    base = create_showbase(EngineSettings(offscreen=True, width=W, height=H, display=default_offscreen_display(),
                                          gl_finish=True))
    suffix = "" if quality == "low" else "_high"
    try:
        done: set[str] = set()
        for path in installed("scenarios"):
            loaded = load_scenario(path)
            if loaded.scene.id in done:
                continue
            done.add(loaded.scene.id)
            _, sim, view = _world(base, loaded.scenario.id, quality)
            _run(sim, view, seconds=1.5)
            _save(base, OUT / f"{loaded.scene.id}{suffix}.png")
            view.destroy()
        # a tool in use, 3 m from the knife scenario's subject
        for tool, seconds in (("cew", 0.1), ("oc_spray", 0.5), ("firearm", 0.0), ("flashlight", 0.0)):
            _, sim, view = _world(base, "knife_parking_lot", quality)
            s = sim.minds[0].state
            sim.trainee.position, sim.trainee.heading = (s.position[0], s.position[1] - 3.0), 0.0
            _run(sim, view, Draw(tool=tool), seconds=0.5)
            if tool != "flashlight":
                _run(sim, view, Use(hand="right"))
                if seconds:
                    _run(sim, view, seconds=seconds)
            _save(base, OUT / f"tool_{tool}{suffix}.png")
            view.destroy()
        if quality == "low":  # the review's witness frame: the subject behind the van
            from game.engine.witness import Witness

            _, sim, view = _world(base, "knife_parking_lot", quality)
            sim.trainee.position, sim.trainee.heading = (6.5, -6.0), -90.0
            sim.minds[0].state.position = (11.6, -5.5)
            _run(sim, view, seconds=0.3)
            _save(base, OUT / "review_trainee_view.png")
            witness = Witness(base.win, view)
            if witness.arm():
                base.graphics_engine.render_frame()
                _texture_png(witness.take(), OUT / "review_witness.png")
            witness.destroy()
            view.destroy()
    finally:
        destroy_showbase(base)


def console(scenario: str, scene: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "game", "run", scenario, "--offscreen", "--console", "--duration", "4",
                        "--size", "1280x720", "--out", tmp, "--no-records"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        last = sorted(Path(tmp).glob("*/frames/*.png"))[-1]
        shutil.copy(last, OUT / f"console_{scene}.png")
        print(f"wrote docs/screenshots/console_{scene}.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality", choices=("low", "high"), help="only this quality (one engine per process)")
    parser.add_argument("--console", action="store_true", help="also the instructor's console, by talkdown run")
    args = parser.parse_args(argv)
    if args.quality:
        shoot(args.quality)
    else:
        for q in ("low", "high"):
            subprocess.run([sys.executable, __file__, "--quality", q], check=True)
    if args.console:
        console("domestic_disturbance", "apartment")
        console("knife_parking_lot", "parking_lot_night")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
