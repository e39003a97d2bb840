"""Renders a scene offscreen to a PNG, from where a trainee would stand, for artists
checking scale and lighting without opening a window.

    python tools/preview_scene.py road_shoulder --at 1 -7 --heading 0 --out shot.png
    python tools/preview_scene.py scenes/my_scene.yaml --figure 1.8 0 --size 1280x720

``--figure X Y`` stands a 1.78 m figure there (repeatable) to judge human scale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scene", help="a scene name (scenes/NAME.yaml) or a path")
    parser.add_argument("--at", nargs=2, type=float, default=(0.0, -8.0), metavar=("X", "Y"))
    parser.add_argument("--heading", type=float, default=0.0)
    parser.add_argument("--pitch", type=float, default=-4.0)
    parser.add_argument("--eye", type=float, default=1.7, help="eye height in metres")
    parser.add_argument("--figure", nargs=2, type=float, action="append", default=[], metavar=("X", "Y"))
    parser.add_argument("--size", default="960x540")
    parser.add_argument("--out", default="scene.png")
    parser.add_argument("--quality", choices=("auto", "low", "high"), default="auto", help="lighting (as talkdown run)")
    args = parser.parse_args(argv)

    from panda3d.core import Filename, PNMImage

    from game.content.errors import ContentError
    from game.content.library import resolve
    from game.content.scene import load_scene
    from game.engine.world.figure import Figure
    from game.engine.world.scene_view import build_scene
    from game.engine.settings import (
        EngineSettings,
        create_showbase,
        default_offscreen_display,
        destroy_showbase,
    )
    from game.engine.world.world_view import prepare_view

    try:
        scene = load_scene(resolve(args.scene, "scenes"))
    except ContentError as err:
        for p in err.problems:
            print(p, file=sys.stderr)
        return 2
    w, h = (int(v) for v in args.size.split("x"))
    base = create_showbase(EngineSettings(offscreen=True, width=w, height=h, display=default_offscreen_display()))
    try:
        quality = prepare_view(base, scene, args.quality)
        root = base.render.attach_new_node("world")
        view = build_scene(scene, root, lit_root=root, loader=base.loader, quality=quality)
        for warning in view.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        for x, y in args.figure:
            fig = Figure(root, f"{x},{y}")
            fig.root.set_pos(x, y, 0)
            fig.root.set_h(180)
        base.camera.set_pos(args.at[0], args.at[1], args.eye)
        base.camera.set_hpr(args.heading, args.pitch, 0)
        base.graphics_engine.render_frame()
        base.graphics_engine.render_frame()
        image = PNMImage()
        base.win.get_screenshot(image)
        image.write(Filename.from_os_specific(args.out))
        print(f"wrote {args.out}")
    finally:
        destroy_showbase(base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
