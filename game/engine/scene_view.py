"""Builds a scene (``SceneDef``) into Panda3D nodes under a parent the caller gives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from panda3d.core import (
    AmbientLight,
    DirectionalLight,
    Fog,
    NodePath,
    PointLight,
    Spotlight,
    Vec3,
)

from game.content.scene import SceneDef, SceneObject
from game.engine import geometry


@dataclass
class SceneView:
    """The built scene: its root node and the light nodes (for the renderer to set up)."""

    root: NodePath
    lit_root: NodePath
    lights: list[NodePath] = field(default_factory=list)
    fog: Fog | None = None

    def destroy(self) -> None:
        for light in self.lights:
            self.lit_root.clear_light(light)
        if self.fog is not None:
            self.lit_root.clear_fog()
        self.root.remove_node()


def build_scene(scene: SceneDef, parent: NodePath, *, lit_root: NodePath | None = None) -> SceneView:
    """Creates ``scene`` under ``parent``. Lights are applied to ``lit_root`` (default: ``parent``),
    so subjects placed beside the scene are lit by the same lamps."""
    root = parent.attach_new_node(f"scene:{scene.id}")
    for obj in scene.objects:
        _build_object(obj, root)
    target = lit_root if lit_root is not None else parent
    view = SceneView(root, target)
    for i, light in enumerate(scene.lights):
        np = _build_light(light, root, i)
        target.set_light(np)
        view.lights.append(np)
    if scene.fog_density > 0:
        fog = Fog(f"fog:{scene.id}")
        fog.set_color(*scene.fog_color[:3])
        fog.set_exp_density(scene.fog_density)
        target.set_fog(fog)
        view.fog = fog
    return view


def _build_object(obj: SceneObject, parent: NodePath) -> NodePath:
    name = obj.name or obj.shape
    if obj.shape == "group":
        np = parent.attach_new_node(name)
        for part in obj.parts:
            _build_object(part, np)
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
    if obj.shape != "group":
        np.set_color(*obj.color)
    if obj.color[3] < 1.0:
        np.set_transparency(True)
    if obj.emissive:
        np.set_light_off(1)
        np.set_fog_off(1)
    return np


def _build_light(light: Any, root: NodePath, index: int) -> NodePath:
    name = light.name or f"{light.type}{index}"
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
