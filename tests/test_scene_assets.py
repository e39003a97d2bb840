"""Scenes that place imported props: a model made here with trimesh, imported by the real
``talkdown import-asset`` into a temporary assets folder (the repository's is never touched),
checked by the scene loader and ``talkdown validate``, and drawn offscreen for real."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import trimesh

from game.cli import main
from game.content.errors import ContentError
from game.content.manifest import load_manifest
from game.content.scenario import check_scenario
from game.content.scene import load_scene
from game.engine.world.scene_view import PLACEHOLDER_COLOR, build_scene

from engine_support import offscreen_base, project, render_rgb

pytestmark = pytest.mark.render
ROOT = Path(__file__).resolve().parent.parent
BIN_SIZE = (0.5, 0.4, 0.8)  # metres: width x, depth y, height z


@pytest.fixture(scope="module")
def assets(tmp_path_factory):
    """A copy of the assets folder with a red bin imported as the prop ``street_bin``."""
    folder = tmp_path_factory.mktemp("assets")
    shutil.copy(ROOT / "assets" / "manifest.yaml", folder / "manifest.yaml")
    shutil.copy(ROOT / "assets" / "schema.json", folder / "schema.json")
    w, d, h = BIN_SIZE
    mesh = trimesh.creation.box((w, h, d))  # glTF is y-up: the height is its y
    mesh.apply_translation((0, h / 2, 0))  # standing on its origin, as artists are asked to model
    mesh.visual.vertex_colors = [220, 60, 30, 255]
    source = tmp_path_factory.mktemp("models") / "street_bin.glb"
    mesh.export(source)
    assert main(["import-asset", str(source), "--kind", "prop", "--name", "street_bin", "--assets", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def base(assets):  # after the import, which opens (and closes) its own offscreen renderer
    with offscreen_base(160, 120) as b:
        yield b


def copy_of(assets, tmp_path) -> Path:
    folder = tmp_path / "assets"
    shutil.copytree(assets, folder)
    return folder


def scene_file(folder: Path, *objects: str, name: str = "yard") -> Path:
    """A small lit yard with ``objects`` (YAML flow mappings) after its ground, on lines 6 on."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(
        f"format_version: 1\nid: {name}\ntitle: Yard\nobjects:\n"
        "  - {shape: ground, size: [20, 20], color: [0.25, 0.25, 0.27]}\n"
        + "".join(f"  - {o}\n" for o in objects)
        + "lights:\n  - {type: ambient, color: [0.4, 0.4, 0.45]}\n"
        "  - {type: directional, color: [0.8, 0.8, 0.75], direction: [0.3, 0.6, -0.7]}\n")
    return path


def draw(base, scene):
    """The frame of ``scene`` from 4 m south of the bin's spot, and the built view (destroyed)."""
    root = base.render.attach_new_node("world")
    view = build_scene(scene, root, lit_root=root, loader=base.loader)
    base.camera.set_pos(0, -1, 1.6)
    base.camera.look_at(0, 3, 0.4)
    try:
        return render_rgb(base), view
    finally:
        view.destroy()
        root.remove_node()


def where_the_bin_stands(base) -> tuple[slice, slice]:
    x, y = project(base, (0.0, 3.0, 0.4))
    return slice(y - 3, y + 4), slice(x - 3, x + 4)


def problems_of(path, manifest) -> list:
    with pytest.raises(ContentError) as caught:
        load_scene(path, manifest=manifest)
    return caught.value.problems


def test_a_scene_draws_an_imported_prop_where_it_places_it(base, assets, tmp_path):
    manifest = load_manifest(assets / "manifest.yaml")
    placed = load_scene(scene_file(tmp_path / "a", "{name: bin, asset: street_bin, position: [0, 3], heading: 30}"),
                        manifest=manifest)
    empty = load_scene(scene_file(tmp_path / "b"), manifest=manifest)
    with_bin, view = draw(base, placed)
    without, _ = draw(base, empty)
    assert view.warnings == []
    rows, cols = where_the_bin_stands(base)
    assert np.abs(with_bin[rows, cols] - without[rows, cols]).max(axis=2).min() > 0.1, "the bin does not show"
    assert with_bin[rows, cols, 0].mean() > with_bin[rows, cols, 2].mean() + 0.1, "the bin is not its own red"
    assert np.abs(with_bin[:12] - without[:12]).max() < 0.02, "something beyond the bin changed"


def test_a_placed_prop_takes_its_position_heading_and_scale_and_shares_one_loaded_model(base, assets, tmp_path):
    path = scene_file(tmp_path, "{name: bin, asset: street_bin, position: [1, 2, 0.5], heading: 90, scale: 1.5}",
                      "{shape: group, position: [-3, 0], parts: [{asset: street_bin}]}")
    scene = load_scene(path, manifest=load_manifest(assets / "manifest.yaml"))
    assert scene.objects[1].asset_file == str(assets.resolve() / "imported" / "street_bin.bam")
    root = base.render.attach_new_node("world")
    view = build_scene(scene, root, loader=base.loader)
    try:
        bin_ = view.root.find("bin")
        assert tuple(bin_.get_pos()) == pytest.approx((1, 2, 0.5))
        assert (bin_.get_h(), bin_.get_scale()[0]) == (pytest.approx(90), pytest.approx(1.5))
        lo, hi = bin_.get_tight_bounds(root)
        assert hi.z - lo.z == pytest.approx(BIN_SIZE[2] * 1.5, abs=1e-3) and lo.z == pytest.approx(0.5, abs=1e-3)
        assert hi.x - lo.x == pytest.approx(BIN_SIZE[1] * 1.5, abs=1e-3), "a quarter turn swaps width and depth"
        first, second = (body.get_child(0).node() for body in view.root.find_all_matches("**/body"))
        assert first.this == second.this, "the bin was loaded twice"
    finally:
        view.destroy()
        root.remove_node()


def test_a_model_that_cannot_load_is_drawn_as_a_box_of_its_recorded_bounds_with_one_warning(base, assets, tmp_path):
    folder = copy_of(assets, tmp_path)
    (folder / "imported" / "street_bin.bam").write_bytes(b"pbj\x00\n\r garbage, not a bam file")
    manifest = load_manifest(folder / "manifest.yaml")
    scene = load_scene(scene_file(tmp_path, "{name: bin, asset: street_bin, position: [0, 3]}",
                                  "{asset: street_bin, position: [5, 5]}"), manifest=manifest)
    image, view = draw(base, scene)
    (warning,) = view.warnings
    assert "street_bin" in warning and "box" in warning and "\n" not in warning
    rows, cols = where_the_bin_stands(base)
    assert np.abs(image[rows, cols] - np.array(PLACEHOLDER_COLOR[:3])).max(axis=2).mean() < 0.45
    root = base.render.attach_new_node("world")
    view = build_scene(scene, root, loader=base.loader)
    lo, hi = view.root.find("bin").get_tight_bounds(root)
    recorded = manifest["street_bin"].bounds
    assert [round(v, 3) for v in hi - lo] == [round(h - lo_, 3) for lo_, h in zip(*recorded, strict=True)]
    view.destroy()
    root.remove_node()


def test_a_misspelt_asset_name_is_reported_where_it_is_with_the_name_it_resembles(assets, tmp_path):
    path = scene_file(tmp_path, "{name: bin, asset: street_bn, position: [0, 3]}")
    (problem,) = problems_of(path, load_manifest(assets / "manifest.yaml"))
    assert (problem.line, problem.path) == (6, "objects[1].asset")
    assert "no prop or environment 'street_bn'" in problem.message and "did you mean 'street_bin'?" in problem.message


def test_a_character_placed_in_a_scene_is_refused_with_a_hint_to_make_it_a_subject(assets, tmp_path):
    (problem,) = problems_of(scene_file(tmp_path, "{asset: adult_man}"), load_manifest(assets / "manifest.yaml"))
    assert problem.path == "objects[1].asset"
    assert "'adult_man' is a character" in problem.message and "subject with 'appearance: adult_man'" in problem.message


def test_an_asset_whose_converted_model_is_missing_is_reported_with_how_to_import_it_again(assets, tmp_path):
    folder = copy_of(assets, tmp_path)
    (folder / "imported" / "street_bin.bam").unlink()
    path = scene_file(tmp_path, "{shape: group, parts: [{shape: box}, {asset: street_bin}]}")
    (problem,) = problems_of(path, load_manifest(folder / "manifest.yaml"))
    assert problem.path == "objects[1].parts[1].asset"
    assert "imported/street_bin.bam" in problem.message and "--replace" in problem.message


@pytest.mark.parametrize("obj, path, words", [
    ("{position: [1, 2]}", "objects[1]", "needs 'shape' or 'asset'"),
    ("{shape: box, asset: street_bin}", "objects[1]", "has 'shape' and 'asset'"),
    ("{asset: street_bin, size: [1, 1, 1]}", "objects[1].size", "scale"),
    ("{asset: street_bin, scale: 0}", "objects[1].scale", "more than 0"),
])
def test_an_object_that_is_neither_or_both_a_shape_and_an_asset_is_reported_where_it_is(assets, tmp_path, obj, path, words):
    (problem,) = problems_of(scene_file(tmp_path, obj), load_manifest(assets / "manifest.yaml"))
    assert (problem.line, problem.path) == (6, path) and words in problem.message


def test_a_scenario_and_talkdown_validate_report_a_bad_asset_in_its_scene(assets, tmp_path, capsys):
    scene_file(tmp_path / "scenes", "{asset: street_bn}")
    text = (ROOT / "scenarios" / "welfare_check.yaml").read_text()
    scenario = tmp_path / "welfare_check.yaml"
    scenario.write_text(text.replace("scene: parking_lot_night", "scene: scenes/yard.yaml"))
    assert "scenes/yard.yaml" in scenario.read_text()
    bad = [p for p in check_scenario(scenario, manifest=load_manifest(assets / "manifest.yaml"))
           if p.path == "objects[1].asset"]
    assert len(bad) == 1 and bad[0].file.endswith("yard.yaml") and "did you mean 'street_bin'?" in bad[0].message

    assert main(["validate", str(tmp_path / "scenes" / "yard.yaml"), "--assets", str(assets)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("yard.yaml:6:6: objects[1].asset: no prop or environment 'street_bn' in "
                           f"{assets / 'manifest.yaml'} (did you mean 'street_bin'?)"), out[0]
    assert out[-1] == "0 of 1 file(s) valid"
    scene_file(tmp_path / "scenes", "{asset: street_bin, position: [0, 3]}")
    assert main(["validate", str(tmp_path / "scenes"), "--assets", str(assets)]) == 0
    assert main(["validate", str(tmp_path / "scenes")]) == 1, "the installed manifest has no street_bin"


def test_the_artists_guide_example_of_a_prop_in_a_scene_loads(assets, tmp_path):
    guide = (ROOT / "docs" / "assets.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"^```yaml\n(.*?)^```", guide, flags=re.S | re.M) if "asset: street_bin" in b]
    path = tmp_path / "example.yaml"
    path.write_text("format_version: 1\nid: example\ntitle: Example\n" + block, encoding="utf-8")
    scene = load_scene(path, manifest=load_manifest(assets / "manifest.yaml"))
    placed = [o for o in scene.objects if o.shape == "asset"] + [p for o in scene.objects for p in o.parts]
    assert [o.asset for o in placed] == ["street_bin"] * 3 and placed[0].heading == 90
