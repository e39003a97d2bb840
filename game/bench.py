"""``talkdown bench``: medians of what the frame budget depends on.

The frame budget is 11.1 ms (90 Hz VR); the whole simulation step for 8 subjects
should stay under 1 ms so rendering keeps the rest. Figures are medians of
batches, printed with the machine they were measured on. Nothing here asserts a
time: benchmarks report, tests check behaviour.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from dataclasses import replace
from typing import Any, Callable

from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.library import installed
from game.content.scenario import LoadedScenario, load_scenario
from game.content.scene import SceneDef, load_scene
from game.core.drivers import ScriptedTrainee
from game.core.journal import MemoryJournal
from game.core.scenario import ScenarioDef
from game.core.simulation import Simulation

FRAME_BUDGET_MS = 1000.0 / 90.0
STEP_BUDGET_MS = 1.0


def with_subjects(scenario: ScenarioDef, count: int) -> ScenarioDef:
    """The scenario with its first subject repeated ``count`` times around its place."""
    first = scenario.subjects[0]
    subjects = tuple(
        replace(first, id=f"{first.id}_{i}", position=(first.position[0] + 2.5 * (i % 4), first.position[1] + 2.5 * (i // 4)))
        for i in range(count)
    )
    return replace(scenario, subjects=subjects)


def step_cost_ms(loaded: LoadedScenario, subjects: int, *, batches: int = 60, batch_steps: int = 90) -> float:
    """Median cost of one full simulation step (inputs fed, every subject updated, journaled)."""
    scenario = with_subjects(loaded.scenario, subjects)
    sim = Simulation(scenario, seed=1, journal=MemoryJournal())
    driver = ScriptedTrainee(loaded.default_script) if loaded.default_script else None
    per_step = []
    for _ in range(batches):
        if sim.finished or sim.ending is not None:
            sim = Simulation(scenario, seed=1, journal=MemoryJournal())
            driver = ScriptedTrainee(loaded.default_script) if loaded.default_script else None
        t0 = time.perf_counter()
        for _ in range(batch_steps):
            if driver is not None:
                driver.feed(sim)
            sim.step(snapshot=False)
        per_step.append((time.perf_counter() - t0) / batch_steps)
    return statistics.median(per_step) * 1000.0


def snapshot_cost_ms(loaded: LoadedScenario, subjects: int, *, repeats: int = 200) -> float:
    """Median cost of one read-model snapshot (what the views read once a frame), a second into
    the scenario with ``subjects`` subjects."""
    sim = Simulation(with_subjects(loaded.scenario, subjects), seed=1, journal=MemoryJournal())
    sim.run_for(1.0)
    return median_ms(sim.snapshot, repeats=repeats)


def median_ms(fn: Callable[..., Any], *args: Any, repeats: int) -> float:
    """Median wall time of ``fn(*args)`` over ``repeats`` calls, in milliseconds."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000.0


def load_ms(path: Any, *, repeats: int = 20) -> float:
    """Median time to read and check a scenario with its scene and script."""
    return median_ms(load_scenario, path, repeats=repeats)


def frame_ms(loaded: LoadedScenario, *, width: int = 1280, height: int = 720, frames: int = 40) -> tuple[float, str]:
    """Median offscreen frame time of the scenario's scene (``gl-finish`` on, so it is honest)."""
    rows, renderer = scene_frames({loaded.scene.id: loaded.scene}, loaded, width=width, height=height, frames=frames)
    return rows[1]["frame_ms"], renderer


def trainee_start(scene: SceneDef) -> tuple[float, float]:
    """Where a trainee first stands in a scene for measuring: its walkable area's south middle."""
    (x0, y0), (x1, _) = scene.bounds
    return ((x0 + x1) / 2, y0 + 0.5)


def scene_frames(scenes: dict[str, SceneDef], loaded: LoadedScenario, *, width: int = 1280, height: int = 720,
                 frames: int = 40, quality: str = "low") -> tuple[list[dict[str, Any]], str]:
    """First the humanoid's cold load time, then per scene: build time (scene and characters)
    and median offscreen frame time at ``width`` x ``height`` (``gl-finish`` on), the
    default scenario's subjects standing in it, at lighting ``quality`` (``low`` or ``high``)."""
    from game.engine.settings import (
        EngineSettings,
        create_showbase,
        default_offscreen_display,
        destroy_showbase,
        renderer_name,
    )
    from game.engine.world.world_view import WorldView, prepare_view

    base = create_showbase(EngineSettings(offscreen=True, width=width, height=height,
                                          display=default_offscreen_display(), gl_finish=True))
    rows = []
    try:
        rows.append({"scene": "", "character_ms": character_load_ms(base.loader, repeats=2 if frames < 20 else 5)})
        for name, scene in scenes.items():
            sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
            own = name == loaded.scene.id
            sim.trainee.position = loaded.scenario.trainee_position if own else trainee_start(scene)
            sim.trainee.heading = 0.0
            t0 = time.perf_counter()
            chosen = prepare_view(base, scene, quality)
            view = WorldView(base.render, base.camera, scene, loaded.scenario, loader=base.loader, quality=chosen)
            build = time.perf_counter() - t0
            times = []
            for i in range(frames + 5):
                sim.step(snapshot=False)
                t0 = time.perf_counter()
                view.update(sim.snapshot(), sim.clock.dt)
                base.graphics_engine.render_frame()
                if i >= 5:
                    times.append(time.perf_counter() - t0)
            view.destroy()
            rows.append({"scene": name, "build_ms": build * 1000.0, "frame_ms": statistics.median(times) * 1000.0})
        return rows, renderer_name(base)
    finally:
        destroy_showbase(base)


def add_tree_rows(add: Callable[..., None], *, quick: bool) -> None:
    """Behaviour-tree tick cost (this engine and py_trees) and the step for 8 subjects of the
    shipped scenario with the largest trees."""
    from game.bench_trees import measure
    from game.content.errors import ContentError
    from game.content.library import installed
    from game.core.subject import TREE_HZ

    trees = measure(quick=quick)
    per_step = STEP_BUDGET_MS * 1000.0 / 8
    add(f"behaviour-tree tick, {trees['nodes']} nodes", trees["ours_us"] / 1000.0, per_step / 1000.0,
        f"this engine; budget: 1 ms / 8 subjects; trees tick at {TREE_HZ} Hz")
    if trees["py_trees_us"] is not None:
        add(f"behaviour-tree tick, {trees['nodes']} nodes, py_trees", trees["py_trees_us"] / 1000.0,
            per_step / 1000.0, f"same tree in py_trees: {trees['ratio']:.0f}x this engine's cost")
    shipped = []
    for path in installed("scenarios"):
        try:
            shipped.append(load_scenario(path))
        except ContentError:
            continue  # `talkdown validate` reports it; a benchmark measures what loads
    biggest = max(shipped,
                  key=lambda ls: len(repr(ls.scenario.subjects[0].tree)) + len(repr(ls.scenario.branches)))
    ms = step_cost_ms(biggest, 8, batches=10 if quick else 60)
    add(f"simulation step, 8 subjects of {biggest.scenario.id}", ms, STEP_BUDGET_MS,
        f"{ms / FRAME_BUDGET_MS:.1%} of a 90 Hz frame")


def scene_load_ms(path: Any, *, repeats: int = 10) -> float:
    """Median time to read and check a scene file."""
    return median_ms(load_scene, path, repeats=repeats)


def character_load_ms(loader: Any, *, repeats: int = 5) -> float:
    """Median time to read the built-in humanoid (all clips) and make one dressed Actor, cold."""
    from panda3d.core import NodePath

    from game.content.manifest import load_manifest
    from game.engine.world.character import CharacterModels

    entry = load_manifest()["adult_man"]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        view = CharacterModels(loader).create(NodePath("bench"), "bench", entry)
        times.append(time.perf_counter() - t0)
        if view is not None:
            view.destroy()
    return statistics.median(times) * 1000.0


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "system": f"{platform.system()} {platform.release()}",
            "python": sys.version.split()[0]}


def run_all(*, quick: bool = False, render: bool = True, voice: bool = True, net: bool = True) -> dict[str, Any]:
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    batches = 10 if quick else 60
    results: dict[str, Any] = {"machine": machine(), "scenario": loaded.scenario.id, "results": []}

    def add(name: str, value: float, budget: float | None, note: str = "") -> None:
        row = {"name": name, "median_ms": round(value, 4), "budget_ms": budget, "note": note}
        if budget:
            row["share_of_budget"] = round(value / budget, 4)
            row["within_budget"] = value <= budget
        results["results"].append(row)

    step1 = step_cost_ms(loaded, 1, batches=batches)
    step8 = step_cost_ms(loaded, 8, batches=batches)
    add("simulation step, 1 subject", step1, STEP_BUDGET_MS, f"{step1 / FRAME_BUDGET_MS:.1%} of a 90 Hz frame")
    add("simulation step, 8 subjects", step8, STEP_BUDGET_MS, f"{step8 / FRAME_BUDGET_MS:.1%} of a 90 Hz frame")
    snap8 = snapshot_cost_ms(loaded, 8, repeats=50 if quick else 200)
    add("read-model snapshot, 8 subjects", snap8, None, "once a frame (views, HUD), not every step")
    add("scenario load (scenario + scene + script)", load_ms(loaded.path, repeats=5 if quick else 20), None)
    team = load_scenario(resolve("duty_to_intervene", "scenarios"))  # a partner officer, played to its end and again
    with_partner = step_cost_ms(team, 1, batches=batches)
    add("simulation step, 1 subject + a partner officer", with_partner, STEP_BUDGET_MS,
        f"{team.scenario.id}, its good script; {with_partner / FRAME_BUDGET_MS:.1%} of a 90 Hz frame")
    add_tree_rows(add, quick=quick)
    from game.live.bench_review import add_review_rows

    add_review_rows(add, median_ms, quick=quick)
    if render:
        from game.engine.settings import EngineUnavailable

        scenes = {p.stem: load_scene(p) for p in installed("scenes")}
        for name, path in ((p.stem, p) for p in installed("scenes")):
            add(f"scene load, {name}", scene_load_ms(path, repeats=3 if quick else 10), None)
        try:
            (first, *rows), renderer = scene_frames(scenes, loaded, frames=10 if quick else 40)
            add("character load (adult_man: MakeHuman body, 30 clips, one Actor)", first["character_ms"], None)
            for row in rows:
                add(f"scene build, {row['scene']}", row["build_ms"], None, "scene + characters")
            for row in rows:
                add(f"offscreen frame, {row['scene']}, 1280x720", row["frame_ms"], FRAME_BUDGET_MS, f"low; {renderer}")
            # high (PBR) costs ~0.3 s a frame on a software renderer: a few frames say enough there
            software = any(s in renderer.lower() for s in ("llvmpipe", "softpipe", "software"))
            (_, *rows), _ = scene_frames(scenes, loaded, frames=3 if quick or software else 40, quality="high")
            for row in rows:
                add(f"offscreen frame, {row['scene']}, 1280x720, high", row["frame_ms"], FRAME_BUDGET_MS,
                    f"high (PBR{', no shadow maps' if software else ''}); {renderer}")
            from game.bench_characters import add_character_rows

            add_character_rows(add, quick=quick)
        except EngineUnavailable as exc:
            results["render_error"] = str(exc)
    if voice:
        results["voice"] = voice_results(quick=quick)
    if net:
        from game.bench_net import add_net

        add_net(results, with_subjects, quick=quick)
    return results


def voice_results(*, quick: bool = False) -> dict[str, Any]:
    """The voice benchmark (game/voice/bench.py), or why it could not run."""
    from game.voice.recogniser import VoiceUnavailable
    from game.voice.synth import espeak

    if espeak() is None:
        return {"error": "espeak-ng is not installed (it speaks the benchmark's test phrases)"}
    try:
        from game.voice.bench import run as run_voice

        return run_voice(quick=quick)
    except VoiceUnavailable as exc:
        return {"error": str(exc)}


def format_table(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [f"talkdown bench — {m['cpu']}, {m['cores']} cores, {m['system']}, Python {m['python']}",
             f"{'measure':<44} {'median':>10} {'budget':>9} {'share':>7}  note"]
    for r in results["results"]:
        budget = f"{r['budget_ms']:.2f} ms" if r["budget_ms"] else "—"
        share = f"{r['share_of_budget']:.0%}" if r.get("share_of_budget") is not None else "—"
        lines.append(f"{r['name']:<44} {r['median_ms']:>7.3f} ms {budget:>9} {share:>7}  {r['note']}")
    if "render_error" in results:
        lines.append(f"offscreen frame: not measured ({results['render_error']})")
    voice = results.get("voice")
    if voice and "error" in voice:
        lines.append(f"voice: not measured ({voice['error']})")
    elif voice:
        from game.voice.bench import format_rows

        lines += format_rows(voice)
    net = results.get("net")
    if net and "error" in net:
        lines.append(f"net: not measured ({net['error']})")
    elif net:
        from game.bench_net import format_rows as net_rows

        lines += net_rows(net)
    return "\n".join(lines)


def main(*, json_out: bool = False, quick: bool = False, render: bool = True, voice: bool = True,
         out: Callable[[str], None] = print, net: bool = True) -> int:
    results = run_all(quick=quick, render=render, voice=voice, net=net)
    out(json.dumps(results, indent=2) if json_out else format_table(results))
    return 0
