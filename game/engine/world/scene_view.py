"""Builds a scene (``SceneDef``) into Panda3D nodes under a parent the caller gives.

Primitives are made here; placed assets (props and environments from the manifest) are
loaded through the loader the caller passes in, once per asset name, and instanced. An
asset that cannot load is drawn as a box of its recorded bounds, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from panda3d.core import (
    AmbientLight,
    DirectionalLight,
    Filename,
    Fog,
    NodePath,
    PointLight,
    Spotlight,
    Vec3,
)

from game.content.scene import SceneDef, SceneObject
from game.engine.world import geometry
from game.engine.world.asset_convert import load_gltf
from game.engine.world.lighting import POOL_MIN_HEIGHT, emissive_material, fixed_function_materials, flash_on, lamp_pool, srgb_to_linear, surface_material
from game.engine.world.masks import overhead_mask
from game.engine.world.seating import FORWARD_TURN


PLACEHOLDER_COLOR = (0.85, 0.2, 0.75, 1.0)  # loud on purpose: a model is missing
DEFAULT_BOUNDS = ((-0.5, -0.5, 0.0), (0.5, 0.5, 1.0))


class SceneAssets:
    """Loads each placed asset's model once, by asset name, through ``loader`` (a Panda3D
    ``Loader`` passed in; None draws every asset as its placeholder box)."""

    def __init__(self, loader: Any, quality: str = "low") -> None:
        self.loader = loader
        self.quality = quality
        self._models: dict[str, NodePath | None] = {}
        self.warnings: list[str] = []

    def model(self, obj: SceneObject) -> NodePath | None:
        """The loaded model of ``obj.asset`` (shared by every object placing it), or None."""
        if obj.asset not in self._models:
            self._models[obj.asset] = self._load(obj)
        return self._models[obj.asset]

    def _load(self, obj: SceneObject) -> NodePath | None:
        reason = "no model loader was given"
        if self.loader is not None and obj.asset_file:
            try:
                if obj.asset_file.lower().endswith((".glb", ".gltf")):  # the built-in props (tools/make_props.py)
                    model = load_gltf(Path(obj.asset_file))
                    if self.quality != "high" and not model.is_empty():
                        fixed_function_materials(model)  # glTF's linear colours, as low's lights want them
                else:
                    model = self.loader.load_model(Filename.from_os_specific(obj.asset_file), noCache=True)
                if model is not None and not model.is_empty():
                    return model
                reason = "the file holds no model"
            except OSError:  # what Panda raises for a missing or unreadable file
                reason = "not a model file Panda3D can read: import it again with talkdown import-asset --replace"
            except Exception as exc:  # noqa: BLE001  (a bad model file must never end a session)
                reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        elif not obj.asset_file:
            reason = "the scene was loaded without its manifest entry"
        self.warnings.append(f"asset '{obj.asset}' could not be loaded from {obj.asset_file or '?'} "
                             f"({reason}); it is drawn as a box of its recorded size")
        return None


@dataclass
class SceneView:
    """The built scene: its root node, the light nodes (for the renderer to set up) and
    the warnings of assets that could not load (one line each)."""

    root: NodePath
    lit_root: NodePath
    lights: list[NodePath] = field(default_factory=list)
    fog: Fog | None = None
    assets: SceneAssets | None = None
    quality: str = "low"
    #: Light-bar parts and lights: (node, phase "a"/"b", steady colour, is a light).
    flashers: list[tuple[NodePath, str, tuple[float, ...], bool]] = field(default_factory=list)
    #: The pools of light on the ground under lamps (quality ``low``).
    pools: list[NodePath] = field(default_factory=list)

    def animate(self, t: float) -> None:
        """Flashes the light bars for simulated time ``t``: lit parts glow and their lights shine,
        the others go dark."""
        for np, phase, color, is_light in self.flashers:
            on = flash_on(phase, t)
            if np.get_python_tag("flash_on") == on:
                continue  # only a change costs anything
            np.set_python_tag("flash_on", on)
            k = 1.0 if on else 0.04
            if is_light:
                np.node().set_color((color[0] * k, color[1] * k, color[2] * k, 1))
            elif self.quality == "high":  # the PBR shader glows by the material's emission
                np.set_material(emissive_material((color[0] * k, color[1] * k, color[2] * k, color[3])), 1)
            else:
                np.set_color_scale(k, k, k, 1)

    @property
    def warnings(self) -> list[str]:
        return list(self.assets.warnings) if self.assets is not None else []

    def destroy(self) -> None:
        for light in self.lights:
            self.lit_root.clear_light(light)
        if self.fog is not None:
            self.lit_root.clear_fog()
        self.root.remove_node()


def build_scene(scene: SceneDef, parent: NodePath, *, lit_root: NodePath | None = None,
                loader: Any = None, quality: str = "low") -> SceneView:
    """Creates ``scene`` under ``parent``. Lights are applied to ``lit_root`` (default: ``parent``),
    so subjects placed beside the scene are lit by the same lamps. Placed assets load through
    ``loader`` (the ShowBase's); without one they show as boxes of their recorded size.
    ``quality`` (``low``/``high``, see :mod:`game.engine.world.lighting`): ``high`` turns the authored
    sRGB colours into linear light with materials for the PBR shader; ``low`` adds lamp pools."""
    root = parent.attach_new_node(f"scene:{scene.id}")
    assets = SceneAssets(loader, quality)
    target = lit_root if lit_root is not None else parent
    view = SceneView(root, target, assets=assets, quality=quality)
    if quality == "high":
        root.set_material(surface_material())
    for obj in scene.objects:
        _build_object(obj, root, assets, view)
    for i, light in enumerate(scene.lights):
        np = _build_light(light, root, i, linear=quality == "high")
        target.set_light(np)
        view.lights.append(np)
        if light.flash:
            view.flashers.append((np, light.flash, _linear3(light.color, quality), True))
        if quality == "low" and light.type in ("point", "spot") and light.position[2] >= POOL_MIN_HEIGHT \
                and not light.flash and light.pool:
            view.pools.append(lamp_pool(root, light.position, light.color))
    if scene.fog_density > 0:
        fog = Fog(f"fog:{scene.id}")
        fog.set_color(*_linear3(scene.fog_color[:3], quality))
        fog.set_exp_density(scene.fog_density)
        target.set_fog(fog)
        view.fog = fog
    return view


def _linear3(c: tuple[float, ...], quality: str) -> tuple[float, ...]:
    """A colour as the renderer wants it: as authored (sRGB) for ``low``, linear light for ``high``."""
    if quality != "high":
        return tuple(c)
    return tuple(srgb_to_linear(min(1.0, x)) * max(1.0, x) for x in c[:3]) + tuple(c[3:])


def _build_asset(obj: SceneObject, np: NodePath, assets: SceneAssets) -> None:
    body = np.attach_new_node("body")
    body.set_h(FORWARD_TURN.get(obj.asset_forward, 180.0))
    model = assets.model(obj)
    if model is not None:
        model.instance_to(body)
        return
    lo, hi = obj.asset_bounds or DEFAULT_BOUNDS
    size = [max(0.01, h - lo_) for lo_, h in zip(lo, hi, strict=True)]
    box = body.attach_new_node(geometry.box(*size, name=f"placeholder:{obj.asset}"))
    box.set_pos((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, lo[2])
    box.set_color(*PLACEHOLDER_COLOR)


def _build_object(obj: SceneObject, parent: NodePath, assets: SceneAssets, view: SceneView) -> NodePath:
    name = obj.name or obj.asset or obj.shape
    if obj.shape == "group":
        np = parent.attach_new_node(name)
        for part in obj.parts:
            _build_object(part, np, assets, view)
    elif obj.shape == "asset":
        np = parent.attach_new_node(name)
        _build_asset(obj, np, assets)
    elif obj.shape == "ground":
        cell = max(1.0, max(obj.size[0], obj.size[1]) / 80.0)  # fine enough for lamps, bounded for big planes
        np = parent.attach_new_node(geometry.ground(obj.size[0], obj.size[1], cell=cell, name=name))
    elif obj.shape == "box":
        sz = obj.size[2] if len(obj.size) > 2 else 1.0
        np = parent.attach_new_node(geometry.box(obj.size[0], obj.size[1], sz, name=name))
    elif obj.shape == "cylinder":
        np = parent.attach_new_node(geometry.cylinder(obj.radius, obj.height, axis=obj.axis, name=name))
    elif obj.shape == "sphere":
        np = parent.attach_new_node(geometry.sphere(obj.radius, name=name))
    else:  # the schema rules this out
        raise ValueError(f"unknown shape {obj.shape!r}")
    np.set_pos(*obj.position)
    np.set_hpr(obj.heading, obj.pitch, obj.roll)
    if obj.scale != 1.0:
        np.set_scale(obj.scale)
    color = _linear3(obj.color, view.quality)
    if obj.shape not in ("group", "asset"):
        np.set_color(*color)
    if obj.color[3] < 1.0:
        np.set_transparency(True)
    if obj.emissive:
        np.set_light_off(1)
        if view.quality == "high":
            np.set_material(emissive_material(color), 1)
    if obj.flash:
        view.flashers.append((np, obj.flash, color, False))
    if obj.ceiling:
        np.hide(overhead_mask())  # the overhead camera looks into the room (game.engine.world.masks)
        np.set_fog_off(1)
    return np


def _build_light(light: Any, root: NodePath, index: int, *, linear: bool = False) -> NodePath:
    name = light.name or f"{light.type}{index}"
    if linear:
        light = _LinearLight(light)
    if light.type == "ambient":
        node = AmbientLight(name)
        node.set_color((*light.color, 1))
        return root.attach_new_node(node)
    if light.type == "directional":
        node = DirectionalLight(name)
        node.set_color((*light.color, 1))
        np = root.attach_new_node(node)
        d = Vec3(*light.direction)
        np.look_at(d)
        return np
    if light.type == "point":
        node = PointLight(name)
        node.set_color((*light.color, 1))
        node.set_attenuation(Vec3(*light.attenuation))
        np = root.attach_new_node(node)
        np.set_pos(*light.position)
        return np
    node = Spotlight(name)
    node.set_color((*light.color, 1))
    node.set_attenuation(Vec3(*light.attenuation))
    node.get_lens().set_fov(light.fov)
    np = root.attach_new_node(node)
    np.set_pos(*light.position)
    if light.look_at is not None:
        np.look_at(*light.look_at)
    return np


class _LinearLight:
    """A light definition whose colour is read as linear light (quality ``high``)."""

    def __init__(self, light: Any) -> None:
        self._light = light
        self.color = _linear3(light.color, "high")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._light, name)
