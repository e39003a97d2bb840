"""How the world is lit, at one of two qualities (``--quality low|high|auto``).

``high`` is physically based (``panda3d-simplepbr``): the scene's colours are turned from the
sRGB they are authored in to linear light, a filmic tone map with an exposure brings them back,
emissive parts glow through their material's emission, MSAA smooths edges and, where the
renderer is a real GPU, the key light casts shadow maps (simplepbr's shadows crash llvmpipe,
so a software renderer gets ``high`` without them).

``low`` is what a software renderer draws fast and without crashing: Panda's fixed-function
lights (per-vertex, on ground finely tessellated for it), plus cheap effects that carry the
place at night: a contact shadow under every subject, a pool of light on the ground under every
lamp (additive, falling off from the centre), and a graded sky dome with stars.

Both qualities share the sky dome, contact shadows (``high`` keeps them where there are no shadow
maps) and the flashing light bars (the scene's ``flash: a|b`` parts and lights, driven by
simulated time so a replay flashes the same).

``auto`` picks ``low`` on software renderers (llvmpipe, softpipe, tinydisplay) and ``high``
elsewhere.
"""

from __future__ import annotations

import math
import random
from typing import Any

from panda3d.core import (
    ColorBlendAttrib,
    GeomNode,
    GeomPoints,
    GeomTriangles,
    GeomVertexData,
    GeomVertexFormat,
    GeomVertexWriter,
    Geom,
    Material,
    NodePath,
    TransparencyAttrib,
)

from game.content.scene import SceneDef

QUALITIES = ("auto", "low", "high")
SKY_RADIUS = 200.0  # inside the trainee camera's far plane (250 m)
POOL_MIN_HEIGHT = 2.2  # a point or spot light higher than this over the ground pools light on it
FLASH_HZ = 2.0  # light-bar cycles a second: "a" on for the first half, "b" for the second


def resolve_quality(requested: str, base: Any) -> str:
    """``low`` or ``high`` for ``requested`` (``auto``: by the renderer drawing ``base``)."""
    from game.engine.settings import is_software_renderer

    if requested not in QUALITIES:
        raise ValueError(f"quality must be one of {', '.join(QUALITIES)}, not {requested!r}")
    if requested != "auto":
        return requested
    return "low" if is_software_renderer(base) else "high"


def srgb_to_linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def linear_to_srgb(c: float) -> float:
    c = max(0.0, c)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def fixed_function_materials(model: NodePath) -> int:
    """Makes a glTF model's metallic-roughness materials read right under ``low``'s fixed-function
    lights: glTF keeps colours linear, the fixed-function path shows them as they are, so each
    base colour and emission goes back to sRGB (a diffuse and ambient colour; little specular).
    Returns how many materials it changed."""
    from panda3d.core import MaterialAttrib

    done: dict[int, Material] = {}
    for np in [model, *model.find_all_matches("**")]:
        node = np.node()
        states = [(None, node.get_state())]
        if isinstance(node, GeomNode):
            states += [(i, node.get_geom_state(i)) for i in range(node.get_num_geoms())]
        for i, state in states:
            attrib = state.get_attrib(MaterialAttrib)
            if attrib is None or attrib.is_off() or attrib.get_material() is None:
                continue
            old = attrib.get_material()
            if id(old) not in done:
                base = old.get_base_color() if old.has_base_color() else old.get_diffuse()
                col = (*(linear_to_srgb(base[k]) for k in range(3)), base[3])
                new = Material(old.get_name())
                new.set_diffuse(col)
                new.set_ambient(col)
                new.set_specular((0.08, 0.08, 0.08, 1))
                new.set_shininess(20.0)
                if old.has_emission():
                    e = old.get_emission()
                    new.set_emission((*(linear_to_srgb(e[k]) for k in range(3)), 1))
                done[id(old)] = new
            new_state = state.set_attrib(MaterialAttrib.make(done[id(old)]))
            if i is None:
                node.set_state(new_state)
            else:
                node.set_geom_state(i, new_state)
    return len(done)


def flash_on(phase: str, t: float) -> bool:
    """Whether a light-bar part marked ``phase`` (``a`` or ``b``) is lit at simulated time ``t``."""
    first_half = (t * FLASH_HZ) % 1.0 < 0.5
    return first_half if phase == "a" else not first_half


# ------------------------------------------------------------------ geometry


def _fan(name: str, radius: float, centre: tuple[float, float, float, float],
         edge: tuple[float, float, float, float], segments: int = 24,
         rings: tuple[tuple[float, float], ...] = ((0.0, 1.0), (0.5, 0.55), (0.8, 0.18), (1.0, 0.0))) -> GeomNode:
    """A flat disc on z = 0 whose vertex colour goes from ``centre`` to ``edge`` (a smooth falloff:
    an inner ring at half the radius carries most of the centre's colour)."""
    vdata = GeomVertexData(name, GeomVertexFormat.get_v3n3c4(), Geom.UH_static)
    vw, nw, cw = (GeomVertexWriter(vdata, c) for c in ("vertex", "normal", "color"))
    # rings: (fraction of the radius, weight of the centre's colour there)

    def mix(w: float) -> tuple[float, ...]:
        return tuple(e + (c - e) * w for c, e in zip(centre, edge, strict=True))

    vw.add_data3(0, 0, 0), nw.add_data3(0, 0, 1), cw.add_data4(*mix(1.0))
    for r, w in rings[1:]:
        for i in range(segments):
            a = 2 * math.pi * i / segments
            vw.add_data3(r * radius * math.cos(a), r * radius * math.sin(a), 0)
            nw.add_data3(0, 0, 1)
            cw.add_data4(*mix(w))
    tris = GeomTriangles(Geom.UH_static)
    for i in range(segments):
        j = (i + 1) % segments
        tris.add_vertices(0, 1 + i, 1 + j)
    for ring in range(len(rings) - 2):
        a0, b0 = 1 + ring * segments, 1 + (ring + 1) * segments
        for i in range(segments):
            j = (i + 1) % segments
            tris.add_vertices(a0 + i, b0 + i, b0 + j)
            tris.add_vertices(a0 + i, b0 + j, a0 + j)
    geom = Geom(vdata)
    geom.add_primitive(tris)
    node = GeomNode(name)
    node.add_geom(geom)
    return node


def contact_shadow(parent: NodePath, radius: float = 0.45, darkness: float = 0.7) -> NodePath:
    """A soft dark disc on the ground under ``parent`` (a subject's root): the cheap shadow that
    puts a body on the ground when no shadow map does."""
    np = parent.attach_new_node(_fan("contact_shadow", radius, (0, 0, 0, darkness), (0, 0, 0, 0),
                                       rings=((0.0, 1.0), (0.55, 0.85), (0.8, 0.4), (1.0, 0.0))))
    np.set_z(0.012)
    np.set_light_off(1)
    np.set_shader_off(1)
    np.set_transparency(TransparencyAttrib.M_alpha)
    np.set_depth_write(False)
    np.set_bin("fixed", 5)  # after the ground and the lamp pools on it
    return np


def lamp_pool(parent: NodePath, position: tuple[float, float, float], color: tuple[float, float, float],
              strength: float = 0.3) -> NodePath:
    """An additive pool of ``color`` light on the ground under a lamp at ``position``."""
    height = max(0.5, position[2])
    c = tuple(min(1.0, ch * strength) for ch in color)
    np = parent.attach_new_node(_fan("lamp_pool", height * 1.1, (*c, 1.0), (0, 0, 0, 1.0), segments=32))
    np.set_pos(position[0], position[1], 0.02)
    np.set_light_off(1)
    np.set_shader_off(1)
    np.set_depth_write(False)
    np.set_attrib(ColorBlendAttrib.make(ColorBlendAttrib.M_add, ColorBlendAttrib.O_one, ColorBlendAttrib.O_one))
    np.set_bin("fixed", 0)
    return np


def sky_dome(scene: SceneDef, *, seed: int = 7, linear: bool = False) -> NodePath:
    """A dome graded from a lighter horizon (the glow of a town under haze) to the zenith's
    ``sky_color``, with stars where the sky is dark, centred on where it is put (the view keeps it
    on the camera). ``linear``: colours in linear light
    (quality ``high``, whose tone map brings them back to the authored look)."""
    conv = srgb_to_linear if linear else (lambda c: c)
    sky = scene.sky_color[:3]
    dark = sum(sky) / 3 < 0.12
    horizon = tuple(min(1.0, c * (2.6 if dark else 1.6) + 0.035) for c in sky)
    # a warm glow low on the horizon: sodium lamps of a town at night, the sun's afterglow by day
    horizon = (min(1.0, horizon[0] + 0.035), min(1.0, horizon[1] + 0.02), horizon[2])
    zenith = tuple(c * (0.7 if dark else 0.8) for c in sky)
    vdata = GeomVertexData("sky", GeomVertexFormat.get_v3c4(), Geom.UH_static)
    vw, cw = GeomVertexWriter(vdata, "vertex"), GeomVertexWriter(vdata, "color")
    segments, elevations = 32, (-15, 0, 4, 10, 20, 35, 55, 90)
    for e in elevations:
        t = min(1.0, max(0.0, e / 65.0)) ** 0.8
        col = tuple(h + (z - h) * t for h, z in zip(horizon, zenith, strict=True))
        for i in range(segments):
            a = 2 * math.pi * i / segments
            r = SKY_RADIUS * math.cos(math.radians(e))
            vw.add_data3(r * math.cos(a), r * math.sin(a), SKY_RADIUS * math.sin(math.radians(e)))
            cw.add_data4(*(conv(c) for c in col), 1.0)
    tris = GeomTriangles(Geom.UH_static)
    for ring in range(len(elevations) - 1):
        a0, b0 = ring * segments, (ring + 1) * segments
        for i in range(segments):
            j = (i + 1) % segments
            tris.add_vertices(a0 + i, a0 + j, b0 + j)
            tris.add_vertices(a0 + i, b0 + j, b0 + i)
    geom = Geom(vdata)
    geom.add_primitive(tris)
    node = GeomNode("sky_dome")
    node.add_geom(geom)
    dome = NodePath(node)
    dome.set_two_sided(True)
    if dark:
        rng = random.Random(seed)
        sdata = GeomVertexData("stars", GeomVertexFormat.get_v3c4(), Geom.UH_static)
        sw, sc = GeomVertexWriter(sdata, "vertex"), GeomVertexWriter(sdata, "color")
        points = GeomPoints(Geom.UH_static)
        for i in range(420):
            e = math.radians(8 + 82 * math.sqrt(rng.random()))
            a = rng.random() * 2 * math.pi
            r = SKY_RADIUS * 0.98
            sw.add_data3(r * math.cos(e) * math.cos(a), r * math.cos(e) * math.sin(a), r * math.sin(e))
            b = 0.35 + 0.65 * rng.random() ** 3
            sc.add_data4(conv(b), conv(b), conv(b * (0.9 + 0.1 * rng.random())), 1.0)
            points.add_vertex(i)
        sgeom = Geom(sdata)
        sgeom.add_primitive(points)
        snode = GeomNode("stars")
        snode.add_geom(sgeom)
        stars = dome.attach_new_node(snode)
        stars.set_render_mode_thickness(2)
    dome.set_bin("background", 0)
    dome.set_depth_write(False)
    dome.set_depth_test(False)
    dome.set_light_off(1)
    dome.set_fog_off(1)
    dome.set_shader_off(1)
    return dome


# ------------------------------------------------------------------ high quality


def emissive_material(color: tuple[float, float, float, float]) -> Material:
    mat = Material("emissive")
    mat.set_base_color((0, 0, 0, color[3]))
    mat.set_emission((color[0], color[1], color[2], 1))
    return mat


def surface_material(roughness: float = 0.85) -> Material:
    """A plain dielectric that takes its colour from the vertex or flat colour."""
    mat = Material("surface")
    mat.set_base_color((1, 1, 1, 1))
    mat.set_roughness(roughness)
    mat.set_metallic(0.0)
    return mat


def init_high(base: Any, *, software: bool, exposure: float = 1.4) -> Any:
    """Sets up simplepbr on ``base`` (MSAA and shadow maps only on a real GPU); returns the pipeline."""
    import simplepbr

    return simplepbr.init(render_node=base.render, window=base.win, camera_node=base.cam,
                          taskmgr=base.task_mgr, msaa_samples=0 if software else 4, max_lights=8,
                          use_emission_maps=True, exposure=exposure, enable_shadows=not software,
                          enable_fog=True, use_normal_maps=False)


def sync_high(pipeline: Any, clear_color: Any, render: NodePath, camera: NodePath) -> None:
    """What simplepbr's per-frame task does, done now, so a frame rendered before the task manager
    first runs (tests, the first frame, a replay seeking while paused) is complete: the scene's
    background colour in its HDR buffer and the camera position its shader reads."""
    manager = getattr(pipeline, "_filtermgr", None)
    if manager is not None and manager.buffers:
        manager.buffers[0].set_clear_color(clear_color)
    render.set_shader_input("camera_world_position", camera.get_pos(render))
