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

