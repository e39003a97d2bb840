"""Image-based lighting for quality ``high``: a real HDR sky lights the scene's surfaces softly
from every side (simplepbr's spherical-harmonics irradiance and prefiltered reflections).

The sky is a CC0 Poly Haven HDRI vendored in ``assets/skies/`` (see ``assets/THIRD_PARTY.md``), a
512x256 equirectangular EXR that Panda3D reads. It is turned into a cube map here (numpy; the
cube's directions are the world's, z up, as simplepbr's shader samples it), then simplepbr filters
it on the CPU in background threads (several seconds): until that is done the scene is lit as
before, so nothing waits for it. The filtered result is kept in Talkdown's cache folder
(``~/.cache/talkdown/env/``), so later runs load it at once.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np
from panda3d.core import Filename, Texture

from game.content.library import package_dir

DEFAULT_SKY = "night"
CUBE_SIZE = 64
#: GL's cube-map faces (+X, -X, +Y, -Y, +Z, -Z): each face's axis and the directions its texture's
#: s and t run along (first row t = 0), as GL samples them with the world vector itself.
FACES = (((1, 0, 0), (0, 0, -1), (0, -1, 0)), ((-1, 0, 0), (0, 0, 1), (0, -1, 0)),
         ((0, 1, 0), (1, 0, 0), (0, 0, 1)), ((0, -1, 0), (1, 0, 0), (0, 0, -1)),
         ((0, 0, 1), (1, 0, 0), (0, -1, 0)), ((0, 0, -1), (-1, 0, 0), (0, -1, 0)))


def sky_path(name: str = DEFAULT_SKY) -> Path:
    return package_dir("assets") / "skies" / f"{name}.exr"


def read_equirect(path: Path) -> np.ndarray:
    """An equirectangular HDR image as (h, w, 3) linear RGB floats, the top row first (the sky's
    zenith), negative values (from lossy compression) cut to 0. Raises OSError if unreadable."""
    with open(path, "rb") as f:  # OpenEXR aborts the process on a file that is not one: look first
        if f.read(4) != b"v/1\x01":
            raise OSError(f"{path}: not an OpenEXR image")
    tex = Texture()
    if not tex.read(Filename.from_os_specific(str(path))) or tex.get_component_type() != Texture.T_float:
        raise OSError(f"{path}: not an HDR image Panda3D can read")
    n = tex.get_num_components()
    raw = np.frombuffer(bytes(tex.get_ram_image()), np.float32).reshape(tex.get_y_size(), tex.get_x_size(), n)
    return np.clip(raw[::-1, :, 2::-1], 0.0, None)  # Panda: bottom row first, BGR


def cube_from_equirect(rgb: np.ndarray, size: int = CUBE_SIZE, name: str = "sky") -> Texture:
    """The cube map of an equirectangular sky: the image's top is +z (up), its middle column
    faces +y (north), nearest-texel sampling (the filtering comes after)."""
    h, w, _ = rgb.shape
    s = (np.arange(size) + 0.5) / size * 2.0 - 1.0
    uu, vv = np.meshgrid(s, s)
    faces = []
    for axis, u, v in FACES:
        d = np.array(axis, float) + uu[..., None] * np.array(u, float) + vv[..., None] * np.array(v, float)
        d /= np.linalg.norm(d, axis=2, keepdims=True)
        lon = np.arctan2(d[..., 0], d[..., 1])
        lat = np.arcsin(np.clip(d[..., 2], -1.0, 1.0))
        x = ((lon / (2 * np.pi) + 0.5) * w).astype(int) % w
        y = np.clip(((0.5 - lat / np.pi) * h).astype(int), 0, h - 1)
        faces.append(np.ascontiguousarray(rgb[y, x][..., ::-1], np.float32).tobytes())  # BGR, as Panda stores
    cube = Texture(name)
    cube.setup_cube_map(size, Texture.T_float, Texture.F_rgb32)
    cube.set_ram_image(b"".join(faces))
    return cube


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "talkdown" / "env"


def environment_map(path: Path | None = None, *, blocking: bool = False, samples: int = 16,
                    prefiltered: int = 64, cache: bool = True) -> Any:
    """simplepbr's ``EnvMap`` for the sky at ``path`` (default: the night sky). From the cache if
    it is there; otherwise filtered in background threads (``blocking``: before returning) and
    cached when done. None when the sky cannot be read (the scene is lit without it)."""
    import simplepbr

    path = path or sky_path()
    try:
        data = path.read_bytes()
    except OSError:
        return None
    key = hashlib.sha256(data + f"{CUBE_SIZE}:{prefiltered}:{samples}".encode()).hexdigest()[:16]
    cached = _cache_dir() / f"{path.stem}-{key}.env"
    if cache and cached.is_file():
        try:
            return simplepbr.EnvMap.from_file_path(Filename.from_os_specific(str(cached)))
        except Exception:  # noqa: BLE001  (a broken cache file is made again)
            pass
    try:
        cube = cube_from_equirect(read_equirect(path), name=path.stem)
    except OSError:
        return None
    env = simplepbr.EnvMap(cube, prefiltered_size=prefiltered, prefiltered_samples=samples,
                           blocking_prepare=blocking)

    def keep(_future: Any) -> None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            env.write(Filename.from_os_specific(str(cached)))
        except Exception:  # noqa: BLE001  (no cache: filtered again next time)
            pass

    if cache:
        if blocking:
            keep(None)
        else:  # called by the task manager once the threads are done
            env.is_prepared.add_done_callback(keep)
    return env
