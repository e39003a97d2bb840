"""Scene format 1: primitives and lights as data (``scenes/*.yaml``).

A scene is what surrounds the encounter: ground, cars, lamps, lights. Positions
are metres, z up; a box's or cylinder's position is the centre of its base, so
``position: [x, y]`` stands it on the ground.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from game.content.document import read_document
from game.content.errors import ContentError

SCHEMA = ("scenes", "schema.json")


@dataclass(frozen=True, slots=True)
class SceneObject:
    shape: str  # ground, box, cylinder, sphere, group
    name: str = ""
    position: tuple[float, float, float] = (0.0, 0.0, 0.0)
    heading: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    size: tuple[float, ...] = (1.0, 1.0, 1.0)
    radius: float = 0.5
    height: float = 1.0
    axis: str = "z"
    color: tuple[float, float, float, float] = (0.7, 0.7, 0.7, 1.0)
    emissive: bool = False
    parts: tuple["SceneObject", ...] = ()


@dataclass(frozen=True, slots=True)
class LightDef:
    type: str
    color: tuple[float, float, float]
    name: str = ""
    position: tuple[float, float, float] = (0.0, 0.0, 3.0)
    direction: tuple[float, float, float] = (0.0, 0.0, -1.0)
    look_at: tuple[float, float, float] | None = None
    fov: float = 60.0
    attenuation: tuple[float, float, float] = (1.0, 0.0, 0.0)


@dataclass(frozen=True, slots=True)
class SceneDef:
    id: str
    title: str
    objects: tuple[SceneObject, ...]
    lights: tuple[LightDef, ...] = ()
    sky_color: tuple[float, float, float, float] = (0.02, 0.03, 0.06, 1.0)
    fog_color: tuple[float, float, float, float] = (0.02, 0.03, 0.06, 1.0)
    fog_density: float = 0.0
    bounds: tuple[tuple[float, float], tuple[float, float]] = ((-25.0, -25.0), (25.0, 25.0))
    source: str = field(default="", compare=False)


def _vec3(v: list[float] | None, default: tuple[float, float, float]) -> tuple[float, float, float]:
    if v is None:
        return default
    return (float(v[0]), float(v[1]), float(v[2]) if len(v) > 2 else 0.0)


def _color(v: list[float] | None, default: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if v is None:
        return default
    return (float(v[0]), float(v[1]), float(v[2]), float(v[3]) if len(v) > 3 else 1.0)


def _object(d: dict) -> SceneObject:
    size = tuple(float(x) for x in d.get("size", (1.0, 1.0, 1.0)))
    return SceneObject(
        shape=d["shape"],
        name=d.get("name", ""),
        position=_vec3(d.get("position"), (0.0, 0.0, 0.0)),
        heading=float(d.get("heading", 0.0)),
        pitch=float(d.get("pitch", 0.0)),
        roll=float(d.get("roll", 0.0)),
        size=size,
        radius=float(d.get("radius", 0.5)),
        height=float(d.get("height", 1.0)),
        axis=d.get("axis", "z"),
        color=_color(d.get("color"), (0.7, 0.7, 0.7, 1.0)),
        emissive=bool(d.get("emissive", False)),
        parts=tuple(_object(p) for p in d.get("parts", ())),
    )


def load_scene(path: str | os.PathLike[str]) -> SceneDef:
    """Reads and checks a scene file. Raises :class:`ContentError` listing every problem."""
    doc = read_document(path, kind="scene", schema=SCHEMA)
    d, loc = doc.data, doc.locations
    problems = []
    for i, o in enumerate(d["objects"]):
        if o["shape"] == "group" and "parts" not in o:
            problems.append(loc.problem(("objects", i, "shape"), "a group needs 'parts'"))
    for i, light in enumerate(d.get("lights", ())):
        if light["type"] in ("point", "spot") and "position" not in light:
            problems.append(loc.problem(("lights", i), f"a {light['type']} light needs 'position'"))
    if problems:
        raise ContentError(problems)
    fog = d.get("fog", {})
    sky = _color(d.get("sky_color"), (0.02, 0.03, 0.06, 1.0))
    b = d.get("bounds", [[-25, -25], [25, 25]])
    return SceneDef(
        id=d["id"],
        title=d["title"],
        objects=tuple(_object(o) for o in d["objects"]),
        lights=tuple(
            LightDef(
                type=light["type"],
                color=tuple(float(c) for c in light["color"]),  # type: ignore[arg-type]
                name=light.get("name", ""),
                position=_vec3(light.get("position"), (0.0, 0.0, 3.0)),
                direction=_vec3(light.get("direction"), (0.0, 0.0, -1.0)),
                look_at=_vec3(light["look_at"], (0.0, 0.0, 0.0)) if "look_at" in light else None,
                fov=float(light.get("fov", 60.0)),
                attenuation=_vec3(light.get("attenuation"), (1.0, 0.0, 0.0)),
            )
            for light in d.get("lights", ())
        ),
        sky_color=sky,
        fog_color=_color(fog.get("color"), sky),
        fog_density=float(fog.get("density", 0.0)),
        bounds=((float(b[0][0]), float(b[0][1])), (float(b[1][0]), float(b[1][1]))),
        source=os.fspath(path),
    )
