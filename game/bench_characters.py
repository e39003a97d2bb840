"""``talkdown bench`` rows for the built-in people: build (when the build data is installed),
load, and per-frame cost for 1 and 8 subjects (clips, face, skinning and morphs on the CPU,
the frame rasterised offscreen), near and beyond the face's level-of-detail distance."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

from game.engine.world.face import Feeling

ROOT = Path(__file__).resolve().parent.parent


def build_ms() -> float | None:
    """One look built from the MakeHuman data, or None when the build tool's data is missing."""
    tools = str(ROOT / "tools")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    try:
        import make_character
        from charactergen.human_data import MissingHumanData
        from charactergen.looks import manifest_looks
    except ImportError:
        return None
    try:
        looks = manifest_looks()
        name, (_, look) = next(iter(looks.items()))
        make_character.person_glb(name, look)  # warm the data caches, as a full build does after its first look
        t0 = time.perf_counter()
        make_character.person_glb(name, look)
        return (time.perf_counter() - t0) * 1000.0
    except (MissingHumanData, StopIteration):
        return None


def frame_costs(base: Any, count: int, *, distance: float, frames: int) -> tuple[float, float]:
    """(median update ms: clips and face; median frame ms: that plus CPU skinning, morphs and drawing)
    for ``count`` talking, agitated subjects ``distance`` m in front of the camera."""
    from game.content.manifest import load_manifest
    from game.engine.world.character import CharacterModels

    manifest = load_manifest()
    looks = [n for n in ("adult_man", "heavyset_man", "adult_woman", "young_woman", "teenager", "elderly_man",
                         "older_woman", "young_man") if n in manifest]
    models = CharacterModels(base.loader)
    views = []
    for i in range(count):
        v = models.create(base.render, f"b{i}", manifest[looks[i % len(looks)]])
        if v is None:
            continue
        x = (i - (count - 1) / 2) * 0.9
        v.root.set_pos(x, distance + (i % 2) * 0.6, 0)
        v.set_feeling(Feeling(anger=0.6))
        views.append(v)
    base.camera.set_pos(0, 0, 1.7)
    base.camera.look_at(0, distance, 1.3)
    updates, totals = [], []
    dt = 1 / 90
    try:
        for i in range(frames + 5):
            for v in views:
                if v.speech is None:
                    v.talk(2.0, text="Leave me alone, I said I am fine!")
                v.set_distance(distance)
            t0 = time.perf_counter()
            for v in views:
                v.update(dt)
                v.actor.update(force=True)  # skinning and morphs now, so they are counted here
            t1 = time.perf_counter()
            base.graphics_engine.render_frame()
            t2 = time.perf_counter()
            if i >= 5:
                updates.append((t1 - t0) * 1000.0)
                totals.append((t2 - t0) * 1000.0)
    finally:
        for v in views:
            v.destroy()
    return statistics.median(updates), statistics.median(totals)


def add_character_rows(add: Callable[..., None], *, quick: bool) -> None:
    from game.engine.settings import (
        EngineSettings,
        create_showbase,
        default_offscreen_display,
        destroy_showbase,
        renderer_name,
    )

    built = build_ms()
    if built is not None:
        add("character build (one look, MakeHuman data)", built, None, "tools/make_character.py, per look")
    base = create_showbase(EngineSettings(offscreen=True, width=1280, height=720,
                                          display=default_offscreen_display(), gl_finish=True))
    try:
        renderer = renderer_name(base)
        frames = 10 if quick else 40
        for count in (1, 8):
            for distance in (3.0, 12.0):
                update, total = frame_costs(base, count, distance=distance, frames=frames)
                lod = "full detail" if distance < 8 else "beyond 8 m: the far level of detail"
                add(f"characters, {count} talking at {distance:.0f} m: update", update, None,
                    f"clips and face (Panda skins and morphs while drawing: in the frame); {lod}")
                add(f"characters, {count} talking at {distance:.0f} m: frame", total, None, f"1280x720, {renderer}")
    finally:
        destroy_showbase(base)
