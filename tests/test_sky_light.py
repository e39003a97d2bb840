"""Image-based lighting at quality ``high``: the vendored HDR sky reads, its cube map keeps the sky's
up as the world's up and its east as east, and a white ball lit by nothing but a sky bright above
and to the east is brighter on its top and its east side — rendered through simplepbr for real
(on llvmpipe here, without shadow maps; a GPU's look is not checked by this test)."""

from __future__ import annotations

import numpy as np
import pytest
from panda3d.core import AmbientLight

from game.content.scene import LightDef, SceneDef, SceneObject
from game.engine.world import geometry
from game.engine.world.lighting import surface_material
from game.engine.world.sky_light import cube_from_equirect, environment_map, read_equirect, sky_path
from game.engine.world.world_view import prepare_view

from engine_support import offscreen_base, project, render_rgb

pytestmark = pytest.mark.render


def _sky(h=32, w=64) -> np.ndarray:
    """Bright above the horizon, black below; brighter still toward the east (+x)."""
    rgb = np.zeros((h, w, 3), np.float32)
    lon = (np.arange(w) + 0.5) / w * 2 * np.pi - np.pi  # 0 = north (+y), +pi/2 = east (+x)
    east = np.clip(np.sin(lon), 0, None)
    rgb[: h // 2] = (0.15 + 0.6 * east)[None, :, None]
    return rgb


def _cube_pixel(cube, face: int) -> np.ndarray:
    n = cube.get_x_size()
    data = np.frombuffer(bytes(cube.get_ram_image()), np.float32).reshape(6, n, n, 3)
    return data[face].mean(axis=(0, 1))


def test_the_vendored_night_sky_reads_as_a_dim_hdr_image():
    rgb = read_equirect(sky_path())
    assert rgb.shape == (256, 512, 3) and rgb.min() >= 0.0
    assert 0.005 < rgb.mean() < 1.0 and rgb.max() > 1.0  # a night: dim, with lights brighter than white


def test_the_cube_map_keeps_the_skys_up_and_east():
    cube = cube_from_equirect(_sky(), size=16)
    up, down, east, west = (_cube_pixel(cube, f).mean() for f in (4, 5, 0, 1))  # +Z, -Z, +X, -X
    assert up > 0.1 and down == 0.0
    assert east > west


def test_a_white_ball_lit_only_by_the_sky_is_brighter_on_top_and_toward_the_bright_east():
    import simplepbr

    scene = SceneDef(id="sky_test", title="sky", objects=(), lights=(LightDef(type="ambient", color=(0.0, 0.0, 0.0)),),
                     sky_color=(0.0, 0.0, 0.0, 1.0))
    with offscreen_base(160, 160) as base:
        assert prepare_view(base, scene, "high") == "high"
        env = simplepbr.EnvMap(cube_from_equirect(_sky(), size=16), prefiltered_size=16, prefiltered_samples=4,
                               blocking_prepare=True)
        base._talkdown_pbr.env_map = env
        ball = base.render.attach_new_node(geometry.sphere(1.0, rings=24, segments=32))
        ball.set_material(surface_material(0.9), 1)
        ball.set_color(1, 1, 1, 1)
        dark = base.render.attach_new_node(AmbientLight("none"))  # lighting on, but no light: the sky alone
        dark.node().set_color((0, 0, 0, 1))
        ball.set_light(dark)
        base.cam.set_pos(0, -6, 0)  # looking north at the ball: east is to the right
        base.cam.look_at(0, 0, 0)
        base.render.set_shader_input("camera_world_position", base.cam.get_pos(base.render))
        lum = render_rgb(base).mean(axis=2)

        def at(x, y, z):
            px, py = project(base, (x, y, z))
            return float(lum[py - 2:py + 3, px - 2:px + 3].mean())

        top, bottom = at(0, -0.5, 0.8), at(0, -0.5, -0.8)
        east, west = at(0.8, -0.5, 0), at(-0.8, -0.5, 0)
        assert top > bottom + 0.1, (top, bottom)
        assert east > west + 0.05, (east, west)
        ball.remove_node()


def test_the_default_sky_map_is_filtered_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = environment_map(blocking=True, samples=2, prefiltered=16)
    assert first is not None
    assert any(float(c.length()) > 0 for c in first.sh_coefficients)
    cached = list((tmp_path / "talkdown" / "env").glob("night-*.env"))
    assert len(cached) == 1
    again = environment_map(samples=2, prefiltered=16)
    assert [x for c in again.sh_coefficients for x in c] == pytest.approx([x for c in first.sh_coefficients for x in c])


def test_an_unreadable_sky_lights_nothing_and_says_so_with_none(tmp_path):
    bad = tmp_path / "broken.exr"
    bad.write_bytes(b"not an image")
    assert environment_map(bad, cache=False) is None
    assert environment_map(tmp_path / "missing.exr") is None
