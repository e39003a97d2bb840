"""``talkdown import-asset`` against hostile files: embedded images get the same size limits
as files beside the model (read from their headers, never decoded first), and a link planted
in ``imported/`` under a temporary's name redirects nothing."""

from __future__ import annotations

import base64
import json

import pytest

from test_import_asset import _gltf_with, _png_header, assets, crate, run, untouched  # noqa: F401  (fixture)

pytestmark = pytest.mark.render


def _data_uri(raw: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(raw).decode()


def test_an_embedded_data_uri_texture_bomb_is_refused_from_its_header(assets, tmp_path, capsys):
    bomb = _png_header(40000, 40000) + b"\x00" * 200  # a small file that claims 40000x40000
    assert run(assets, _gltf_with(tmp_path, images=[{"uri": _data_uri(bomb)}])) == 1
    out = capsys.readouterr().out
    assert "40000x40000: refused" in out and out.count("\n") == 1
    assert untouched(assets)


def test_a_big_embedded_texture_warns_like_a_file_beside_the_model(assets, tmp_path, capsys):
    big = _png_header(8192, 8192) + b"\x00" * (2 * 2**20)
    assert run(assets, _gltf_with(tmp_path, images=[{"uri": _data_uri(big)}])) == 0
    assert "8192x8192: scale it to 2048" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["data-uri buffer", "file buffer"])
def test_an_image_in_a_buffer_view_of_any_buffer_is_measured(assets, tmp_path, capsys, where):
    bomb = _png_header(16000, 16000) + b"\x00" * 64
    path = _gltf_with(tmp_path)
    data = json.loads(path.read_text())
    if where == "file buffer":
        (tmp_path / "images.bin").write_bytes(b"\x00" * 5 + bomb)
        uri = "images.bin"
    else:
        uri = "data:application/octet-stream;base64," + base64.b64encode(b"\x00" * 5 + bomb).decode()
    data["buffers"].append({"uri": uri, "byteLength": 5 + len(bomb)})
    data["bufferViews"].append({"buffer": len(data["buffers"]) - 1, "byteOffset": 5, "byteLength": len(bomb)})
    data["images"] = [{"bufferView": len(data["bufferViews"]) - 1, "mimeType": "image/png"}]
    path.write_text(json.dumps(data))
    assert run(assets, path) == 1
    assert "16000x16000: refused" in capsys.readouterr().out
    assert untouched(assets)


def test_a_link_planted_at_the_thumbnails_temporary_name_is_not_followed(assets, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.write_bytes(b"theirs")
    imported = assets / "imported"
    imported.mkdir()
    for name in (".crate.tmp.png", ".crate.tmp.bam", ".manifest.yaml.tmp"):
        target = imported / name if "crate" in name else assets / name
        target.symlink_to(outside)
    assert run(assets, crate(tmp_path)) == 0
    assert outside.read_bytes() == b"theirs"
    assert (imported / "crate.png").read_bytes().startswith(b"\x89PNG") and not (imported / "crate.png").is_symlink()
    assert sorted(p.name for p in imported.iterdir() if not p.is_symlink()) == ["crate.bam", "crate.png"]



def _textured_gltf(folder, colour=(220, 30, 30)):
    """A box whose every face shows a small texture file beside the .gltf."""
    from game.png import encode_png

    path = _gltf_with(folder)
    data = json.loads(path.read_text())
    binary = (folder / "box.bin").read_bytes()
    prim = data["meshes"][0]["primitives"][0]
    count = data["accessors"][prim["attributes"]["POSITION"]]["count"]
    uv = b"\x00\x00\x00\x3f" * (2 * count)  # every vertex at (0.5, 0.5)
    pad = b"\x00" * (-len(binary) % 4)
    data["bufferViews"].append({"buffer": 0, "byteOffset": len(binary) + len(pad), "byteLength": len(uv)})
    data["accessors"].append({"bufferView": len(data["bufferViews"]) - 1, "componentType": 5126, "count": count,
                              "type": "VEC2"})
    prim["attributes"]["TEXCOORD_0"] = len(data["accessors"]) - 1
    binary += pad + uv
    (folder / "box.bin").write_bytes(binary)
    data["buffers"][0]["byteLength"] = len(binary)
    (folder / "paint.png").write_bytes(encode_png(bytes(colour) * 16, 4, 4))
    data["images"] = [{"uri": "paint.png"}]
    data["textures"] = [{"source": 0}]
    data["materials"] = [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}, "metallicFactor": 0.0}}]
    prim["material"] = 0
    path.write_text(json.dumps(data))
    return path


def test_an_imported_models_texture_lives_in_the_bam_after_the_artists_folder_is_gone(assets, tmp_path):
    import shutil

    from panda3d.core import AmbientLight, Filename, TexturePool

    from engine_support import offscreen_base, render_rgb

    source = tmp_path / "artist"
    source.mkdir()
    assert run(assets, _textured_gltf(source), "--name", "red_box", "--kind", "prop") == 0
    shutil.rmtree(source)
    TexturePool.release_all_textures()  # nothing cached from the import
    with offscreen_base(64, 64) as base:
        model = base.loader.load_model(Filename.from_os_specific(str(assets / "imported" / "red_box.bam")),
                                       noCache=True)
        model.reparent_to(base.render)
        light = base.render.attach_new_node(AmbientLight("a"))
        light.node().set_color((1, 1, 1, 1))
        base.render.set_light(light)
        base.camera.set_pos(0, -3, 0)
        base.camera.look_at(0, 0, 0)
        centre = render_rgb(base)[24:40, 24:40].mean(axis=(0, 1))
    assert centre[0] > 0.5 and centre[1] < 0.3 and centre[2] < 0.3, f"the box is not red: {centre}"
