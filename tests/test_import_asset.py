"""``talkdown import-asset`` on good, broken and hostile files made here (trimesh, pygltflib),
imported into a temporary copy of the assets folder (the repository's is never touched)."""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

import pytest
import trimesh

from game.cli import main
from game.content.manifest import load_manifest

pytestmark = pytest.mark.render
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def assets(tmp_path):
    folder = tmp_path / "assets"
    folder.mkdir()
    shutil.copy(ROOT / "assets" / "manifest.yaml", folder / "manifest.yaml")
    shutil.copy(ROOT / "assets" / "schema.json", folder / "schema.json")
    return folder


def run(assets, *args):
    return main(["import-asset", *map(str, args), "--assets", str(assets)])


def untouched(assets) -> bool:
    same = (assets / "manifest.yaml").read_bytes() == (ROOT / "assets" / "manifest.yaml").read_bytes()
    leftovers = list((assets / "imported").iterdir()) if (assets / "imported").exists() else []
    return same and not leftovers


def crate(tmp_path, size=(0.5, 0.4, 0.9), name="crate.glb") -> Path:
    path = tmp_path / name
    trimesh.creation.box(size).export(path)
    return path


def test_a_good_prop_is_converted_thumbnailed_and_recorded(assets, tmp_path, capsys):
    assert run(assets, crate(tmp_path), "--kind", "prop") == 0
    entry = load_manifest(assets / "manifest.yaml")["crate"]
    assert entry.kind == "prop" and entry.triangles == 12
    assert entry.path() == (assets / "imported" / "crate.bam").resolve()
    lo, hi = entry.bounds
    assert [round(h - lo_, 2) for lo_, h in zip(lo, hi, strict=True)] == [0.5, 0.9, 0.4]  # glTF y-up -> z-up
    assert (assets / "imported" / "crate.png").stat().st_size > 100
    text = (assets / "manifest.yaml").read_text()
    assert "# Assets the game can load by name" in text, "the manifest's comments were lost"
    assert set(load_manifest(assets / "manifest.yaml")) >= set(load_manifest(ROOT / "assets" / "manifest.yaml"))
    assert "imported as 'crate'" in capsys.readouterr().out


def test_the_converted_file_loads_in_the_engine(assets, tmp_path):
    from panda3d.core import Filename

    from engine_support import offscreen_base

    assert run(assets, crate(tmp_path)) == 0
    with offscreen_base(64, 64) as base:
        model = base.loader.load_model(Filename.from_os_specific(str(assets / "imported" / "crate.bam")))
        lo, hi = model.get_tight_bounds()
        assert hi.z - lo.z == pytest.approx(0.4, abs=1e-3)  # glTF y (up) became z


def test_a_rigged_character_keeps_its_skeleton_and_clips(assets, tmp_path, capsys):
    src = tmp_path / "person.glb"
    shutil.copy(ROOT / "assets" / "characters" / "humanoid.glb", src)
    assert run(assets, src, "--name", "person", "--clip-map", "idle=idle") == 0
    entry = load_manifest(assets / "manifest.yaml")["person"]
    assert entry.kind == "character" and len(entry.clips) == 21
    assert 1.7 < entry.bounds[1][2] - entry.bounds[0][2] < 1.9


def test_a_folder_imports_every_model_with_progress(assets, tmp_path, capsys):
    batch = tmp_path / "batch"
    batch.mkdir()
    crate(batch, name="a.glb")
    trimesh.creation.icosphere(radius=0.3).export(batch / "b.stl")
    trimesh.creation.cylinder(radius=0.2, height=1.0).export(batch / "c.obj")
    (batch / "notes.txt").write_text("not a model")
    assert run(assets, batch) == 0
    names = load_manifest(assets / "manifest.yaml")
    assert {"a", "b", "c"} <= set(names)
    err = capsys.readouterr().err
    assert "1/3" in err and "3/3" in err and "3 of 3 imported" in err


@pytest.mark.parametrize("size, words", [
    ((50, 40, 90), "--scale 0.01"),
    ((0.004, 0.003, 0.002), "too small"),
])
def test_wrong_units_are_refused_with_the_scale_that_fixes_them(assets, tmp_path, capsys, size, words):
    assert run(assets, crate(tmp_path, size), "--kind", "prop") == 1
    out = capsys.readouterr().out
    assert words in out and out.count("\n") == 1
    assert untouched(assets)


def test_a_170_metre_person_is_refused_and_scale_fixes_it(assets, tmp_path, capsys):
    import pygltflib  # noqa: F401  (the test extra; the files below come from trimesh)

    body = crate(tmp_path, (45, 170, 30), name="giant.glb")
    assert run(assets, body, "--kind", "character") == 1
    assert "too big for a character" in capsys.readouterr().out
    assert run(assets, body, "--kind", "character", "--scale", "0.01") == 1  # right size, but no skeleton
    assert "needs a skeleton" in capsys.readouterr().out
    assert untouched(assets)


def test_a_truncated_glb_changes_nothing(assets, tmp_path, capsys):
    good = crate(tmp_path).read_bytes()
    bad = tmp_path / "cut.glb"
    bad.write_bytes(good[: len(good) // 2])
    assert run(assets, bad) == 1
    out = capsys.readouterr().out
    assert "truncated" in out and "Traceback" not in out and out.count("\n") == 1
    assert untouched(assets)


def _gltf_with(tmp_path, **extra) -> Path:
    """A small .gltf whose triangle buffer sits beside it, plus ``extra`` top-level keys."""
    box = trimesh.creation.box((0.5, 0.5, 0.5))
    glb = box.export(file_type="glb")
    jlen = struct.unpack_from("<I", glb, 12)[0]
    data = json.loads(glb[20:20 + jlen])
    binary = glb[20 + jlen + 8:]
    (tmp_path / "box.bin").write_bytes(binary)
    data["buffers"] = [{"uri": "box.bin", "byteLength": len(binary)}]
    data.update(extra)
    path = tmp_path / "box.gltf"
    path.write_text(json.dumps(data))
    return path


def test_a_gltf_with_its_buffer_beside_it_imports(assets, tmp_path):
    assert run(assets, _gltf_with(tmp_path)) == 0


@pytest.mark.parametrize("uri", ["../../secret.png", "/etc/passwd", "file:///etc/passwd", "http://example.com/t.png"])
def test_a_texture_path_that_escapes_the_folder_is_refused(assets, tmp_path, capsys, uri):
    path = _gltf_with(tmp_path, images=[{"uri": uri}])
    assert run(assets, path) == 1
    out = capsys.readouterr().out
    assert "outside the asset's folder" in out or "escapes the asset's folder" in out
    assert untouched(assets)


def _png_header(w: int, h: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", w, h) + b"\x08\x02\x00\x00\x00"


def test_a_texture_bomb_is_refused_and_a_big_texture_is_a_warning(assets, tmp_path, capsys):
    (tmp_path / "bomb.png").write_bytes(_png_header(60000, 60000) + b"\x00" * 100)
    assert run(assets, _gltf_with(tmp_path, images=[{"uri": "bomb.png"}])) == 1
    assert "60000x60000: refused" in capsys.readouterr().out
    assert untouched(assets)
    (tmp_path / "big.png").write_bytes(_png_header(8192, 8192) + b"\x00" * (8 * 2**20))
    assert run(assets, _gltf_with(tmp_path, images=[{"uri": "big.png"}])) == 0
    assert "scale it to 2048" in capsys.readouterr().out


def test_a_missing_texture_is_named(assets, tmp_path, capsys):
    assert run(assets, _gltf_with(tmp_path, images=[{"uri": "gone.png"}])) == 1
    assert "texture 'gone.png' is missing" in capsys.readouterr().out


def test_an_accessor_claiming_absurd_counts_is_refused(assets, tmp_path, capsys):
    path = _gltf_with(tmp_path)
    data = json.loads(path.read_text())
    data["accessors"][0]["count"] = 4_000_000_000
    path.write_text(json.dumps(data))
    assert run(assets, path) == 1
    assert "decimate" in capsys.readouterr().out
    assert untouched(assets)


@pytest.mark.parametrize("content", [b"", b"glTF", b"\x00" * 64, b"glTF\x02\x00\x00\x00" + b"\xff" * 40])
def test_garbage_gets_one_line_and_no_traceback(assets, tmp_path, capsys, content):
    bad = tmp_path / "junk.glb"
    bad.write_bytes(content)
    assert run(assets, bad) == 1
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 1 and "error:" in captured.out and "Traceback" not in captured.err
    assert untouched(assets)


def test_a_taken_name_is_not_clobbered(assets, tmp_path, capsys):
    before = (assets / "manifest.yaml").read_bytes()
    assert run(assets, crate(tmp_path), "--name", "adult_man") == 1
    assert "already in manifest.yaml" in capsys.readouterr().out
    assert (assets / "manifest.yaml").read_bytes() == before
    assert not list((assets / "imported").iterdir())


def test_a_clip_map_naming_a_clip_the_file_lacks_is_refused(assets, tmp_path, capsys):
    src = tmp_path / "person.glb"
    shutil.copy(ROOT / "assets" / "characters" / "humanoid.glb", src)
    assert run(assets, src, "--clip-map", "idle=Breathing_Idle") == 1
    assert "no clip 'Breathing_Idle'" in capsys.readouterr().out
    assert untouched(assets)


def test_bad_usage_is_one_line_with_status_2(assets, tmp_path, capsys):
    assert run(assets, crate(tmp_path), "--clip-map", "idle") == 2
    assert run(assets, tmp_path / "nowhere.glb") == 1
    assert "no such file" in capsys.readouterr().out


def test_import_asset_says_which_face_controls_a_character_has(assets, tmp_path, capsys):
    src = tmp_path / "person.glb"
    shutil.copy(ROOT / "assets" / "characters" / "adult_man.glb", src)  # sparse ARKit-named face targets
    assert run(assets, src, "--name", "person") == 0
    out = capsys.readouterr().out
    face = next(line for line in out.splitlines() if "face controls:" in line)
    assert "jawOpen" in face and "eyeBlink" in face and "eye joints" in face
    old = tmp_path / "old.glb"
    shutil.copy(ROOT / "assets" / "characters" / "humanoid.glb", old)
    assert run(assets, old, "--name", "old") == 0
    assert "face controls: jaw joint" in capsys.readouterr().out
