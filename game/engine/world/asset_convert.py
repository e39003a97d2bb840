"""Turns an imported model into what the game loads fastest (a .bam), and renders its thumbnail.

glTF goes through panda3d-gltf with its LINEAR-interpolation bug corrected for the
conversion (1.3.0 lerps with ``max(t, 1)``, so artists' clips would snap to keyframes);
OBJ, PLY and STL go through trimesh to glTF first.
"""

from __future__ import annotations

import contextlib
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from panda3d.core import AmbientLight, DirectionalLight, Filename, NodePath, PNMImage


@contextlib.contextmanager
def gltf_interpolation_fixed() -> Iterator[None]:
    """While converting, panda3d-gltf interpolates LINEAR keys properly (restored afterwards)."""
    import gltf._converter as converter

    original = converter.get_lerp_factor
    if original(0.25, 0.0, 1.0) != 0.25:  # the bug: max(..., 1) where min was meant
        converter.get_lerp_factor = lambda now, last, nxt: min(1.0, max(0.0, (now - last) / (nxt - last)))
    try:
        yield
    finally:
        converter.get_lerp_factor = original


def load_gltf(path: Path) -> NodePath:
    import io

    from gltf import load_model

    from game.engine.world.gltf_files import is_glb, load_glb

    with gltf_interpolation_fixed(), contextlib.redirect_stdout(io.StringIO()):  # its notes are not ours to print
        if is_glb(path):  # sparse face targets, root-level skinned meshes (see gltf_files)
            return load_glb(path)
        return NodePath(load_model(Filename.from_os_specific(str(path))))


def mesh_to_glb(mesh: Any, out: Path, *, up: str) -> None:
    """Writes a trimesh mesh or scene as GLB (y up, as glTF wants); z-up sources are turned."""
    import numpy as np

    if up == "z":
        turn = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, -1, 0, 0], [0, 0, 0, 1]], dtype=float)
        mesh = mesh.copy()
        mesh.apply_transform(turn)
    out.write_bytes(mesh.export(file_type="glb"))


def convert(source: Path, kind: str, *, scale: float, up: str, mesh: Any = None) -> NodePath:
    """The model as a node tree ready to write: scaled to metres and standing z-up."""
    if source.suffix.lower() in (".glb", ".gltf"):
        model = load_gltf(source)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            glb = Path(tmp) / "model.glb"
            mesh_to_glb(mesh, glb, up=up)
            model = load_gltf(glb)
        up = "y"
    character = model.find("**/+Character")
    target = character if kind == "character" and not character.is_empty() else model
    target.set_scale(target.get_scale() * scale)
    if up == "z" and source.suffix.lower() in (".glb", ".gltf"):
        target.set_p(target.get_p() - 90)  # a z-up export: stand it up
    return model


def embed_textures(model: NodePath) -> int:
    """Makes every texture that came from a file part of the model itself, so the .bam needs
    nothing from the artist's folder (a .bam otherwise stores a texture as a path back to its
    source). Panda writes a texture without a file name as its pixels. Returns how many."""
    count = 0
    for tex in model.find_all_textures():
        if not tex.has_filename():
            continue  # embedded already (a data: URI or a GLB's image)
        if not tex.has_ram_image():
            tex.reload()
        if not tex.has_ram_image():
            raise OSError(f"could not read the texture {tex.get_fullpath().to_os_specific()}")
        tex.clear_filename()
        tex.clear_fullpath()
        tex.clear_alpha_filename()
        tex.clear_alpha_fullpath()
        count += 1
    return count


def write_bam(model: NodePath, out: Path) -> None:
    """The model as a self-contained .bam (its textures inside it: see :func:`embed_textures`)."""
    embed_textures(model)
    if not model.write_bam_file(Filename.from_os_specific(str(out))):
        raise OSError(f"could not write {out}")


def render_thumbnail(base: Any, model: NodePath, out: Path, *, turn: float = 0.0) -> None:
    """A 3/4 view of ``model`` lit plainly, written as PNG (``base`` renders offscreen)."""
    root = base.render.attach_new_node("thumbnail")
    holder = root.attach_new_node("model")
    holder.set_h(turn)  # imported models face -y, toward the camera: their front shows
    model.copy_to(holder)
    ambient = root.attach_new_node(AmbientLight("ambient"))
    ambient.node().set_color((0.45, 0.45, 0.5, 1))
    sun = root.attach_new_node(DirectionalLight("sun"))
    sun.node().set_color((0.9, 0.88, 0.8, 1))
    sun.set_hpr(35, -45, 0)
    root.set_light(ambient)
    root.set_light(sun)
    lo, hi = holder.get_tight_bounds(root) or ((-1, -1, -1), (1, 1, 1))
    centre = (lo + hi) / 2 if hasattr(lo, "__add__") else (0, 0, 0)
    radius = max(0.05, (hi - lo).length() / 2) if hasattr(hi, "length") else 1.0
    fov = base.cam.node().get_lens().get_fov()[1]
    distance = radius / math.sin(math.radians(fov) / 2) * 1.05
    base.camera.set_pos(centre[0] + distance * 0.5, centre[1] - distance * 0.85, centre[2] + distance * 0.25)
    base.camera.look_at(centre[0], centre[1], centre[2])
    try:
        base.graphics_engine.render_frame()
        base.graphics_engine.render_frame()
        image = PNMImage()
        if not base.win.get_screenshot(image) or not image.write(Filename.from_os_specific(str(out))):
            raise OSError(f"could not write {out}")
    finally:
        root.clear_light()
        root.remove_node()
