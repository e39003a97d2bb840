"""The built-in props (tools/make_props.py): the shipped files are what the tool writes, they pass
``talkdown import-asset``'s checks and the Khronos validator, the manifest records what those checks
measure, scenes place them by name, seats on them are found, and a car drawn offscreen reads as a
car (windows darker than its body, wheels on the ground)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from game.content.manifest import load_manifest
from game.content.scene import LightDef, SceneDef, SceneObject, load_scene
from game.engine.world.scene_view import build_scene
from game.engine.world.seating import scene_seats

from engine_support import offscreen_base, project, render_rgb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
MANIFEST = load_manifest()
PROPS = {name: e for name, e in MANIFEST.items() if e.source == "tools/make_props.py"}


def test_every_modelled_prop_has_a_manifest_entry_and_the_shipped_files_are_what_the_tool_writes_today():
    from make_props import prop_files

    files = prop_files()
    assert set(files) == set(PROPS) and len(PROPS) >= 12
    for name, data in files.items():
        assert (ROOT / "assets" / PROPS[name].file).read_bytes() == data, f"{name}: run tools/make_props.py"


def test_every_prop_passes_the_import_checks_without_a_warning_and_its_entry_records_what_they_measure():
    from game.cli.import_asset import Options, inspect

    for name, entry in PROPS.items():
        opts = Options(kind="prop", name=name, clip_map={}, scale=1.0, up=None, replace=False, assets=ROOT / "assets")
        kind, _, findings, _ = inspect(entry.path(), opts)
        assert (kind, findings.warnings) == ("prop", []), name
        assert findings.triangles == entry.triangles, name
        assert findings.bounds == entry.bounds, name


def test_the_khronos_gltf_validator_finds_no_errors_or_warnings_in_any_prop():
    script = ROOT / "tools" / "gltf_validator" / "validate.js"
    if shutil.which("node") is None:
        pytest.skip("node is not installed (apt install nodejs npm)")
    if not (script.parent / "node_modules" / "gltf-validator").is_dir():
        pytest.skip("gltf-validator is not installed: cd tools/gltf_validator && npm install (bootstrap does it)")
    files = [str(e.path()) for e in PROPS.values()]
    run = subprocess.run(["node", str(script), *files], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    reports = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(reports) == len(files)
    for r in reports:
        assert (r["errors"], r["warnings"]) == (0, 0), r


def test_the_shipped_scenes_place_cars_furniture_and_trees_by_manifest_name():
    placed: dict[str, set[str]] = {}

    def walk(objects, scene):
        for o in objects:
            if o.shape == "asset":
                placed.setdefault(scene, set()).add(o.asset)
            walk(o.parts, scene)

    for path in sorted((ROOT / "scenes").glob("*.yaml")):
        walk(load_scene(path).objects, path.stem)
    assert {"car_hatchback_red", "car_sedan_silver", "panel_van", "patrol_car"} <= placed["parking_lot_night"]
    assert {"car_sedan_blue", "patrol_car"} <= placed["road_shoulder"]
    assert {"park_bench", "litter_bin", "tree"} <= placed["park"]
    assert {"sofa", "coffee_table", "dining_table", "dining_chair", "front_door"} <= placed["apartment"]
    assert {"park_bench", "litter_bin", "dumpster", "patrol_car", "car_hatchback_grey"} <= placed["shop_front"]
    assert "patrol_car" in placed["bridge"]


def test_a_subject_sits_on_a_bench_or_sofa_prop_at_its_seat_height_where_the_boxes_were():
    park = {s.name: s for s in scene_seats(load_scene(ROOT / "scenes" / "park.yaml"))}
    bench = park["bench_north_east"]  # at (3, 2), turned 180 degrees
    assert bench.height == pytest.approx(0.47)
    assert np.hypot(bench.centre[0] - 3.0, bench.centre[1] - 2.0) < 0.05
    assert bench.half[0] == pytest.approx(0.85)
    (sofa,) = [s for s in scene_seats(load_scene(ROOT / "scenes" / "apartment.yaml")) if s.name == "sofa"]
    assert sofa.height == pytest.approx(0.5)
    assert sofa.nearest((-2.0, 1.0))[0] == pytest.approx(-3.5 + 0.4)  # the cushions' front edge


def _car_scene(asset: str) -> SceneDef:
    entry = MANIFEST[asset]
    car = SceneObject(shape="asset", name="car", asset=asset, asset_file=str(entry.path()),
                      asset_bounds=entry.bounds, asset_forward=entry.forward)
    ground = SceneObject(shape="ground", name="ground", size=(30.0, 30.0), color=(0.45, 0.45, 0.45, 1.0))
    lights = (LightDef(type="ambient", color=(0.35, 0.35, 0.38)),
              LightDef(type="directional", color=(0.8, 0.8, 0.75), direction=(-0.6, 0.3, -0.7)))
    return SceneDef(id="car_test", title="a car", objects=(ground, car), lights=lights,
                    sky_color=(0.55, 0.65, 0.8, 1.0))


@pytest.mark.render
@pytest.mark.parametrize("asset", ["car_sedan_silver", "car_hatchback_red"])
def test_a_car_drawn_from_the_side_shows_windows_darker_than_its_body_and_wheels_on_the_ground(asset):
    entry = MANIFEST[asset]
    with offscreen_base(320, 240) as base:
        view = build_scene(_car_scene(asset), base.render, loader=base.loader, quality="low")
        assert view.warnings == []
        base.cam.set_pos(7.0, 0.0, 1.0)
        base.cam.look_at(0.0, 0.0, 0.8)
        rgb = render_rgb(base)
        lum = rgb.mean(axis=2)

        def at(x, y, z, r=2):
            px, py = project(base, (x, y, z))
            return float(lum[py - r:py + r + 1, px - r:px + r + 1].mean())

        half = entry.bounds[1][0]
        window, door = at(half, -0.3, 1.2), at(half, -0.3, 0.65)
        ground = at(half + 0.6, 0.0, 0.0)
        (_, y0, _), (_, y1, _) = entry.bounds
        wheel_y = 1.48 if "sedan" in asset else 1.3
        tyres = [at(half, y, 0.1) for y in (-wheel_y, wheel_y)]  # the bottom of each tyre, just off the ground
        above_roof = at(half, 0.0, 1.9)
        assert window < door * 0.6, (window, door)
        assert all(t < ground * 0.5 for t in tyres), (tyres, ground)
        assert above_roof > window  # the sky above it: the car has a top
        assert at(half, 0.0, 0.45) != pytest.approx(ground, abs=0.02)  # its side between the wheels
        view.destroy()
