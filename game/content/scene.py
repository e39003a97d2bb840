"""Scene format 1: primitives, placed assets and lights as data (``scenes/*.yaml``).

A scene is what surrounds the encounter: ground, cars, lamps, lights. Positions
are metres, z up; a box's or cylinder's position is the centre of its base, so
``position: [x, y]`` stands it on the ground. An object with ``asset: NAME`` instead of
``shape`` places an imported prop or environment by its name in the asset manifest; the
loader checks the name and that its converted model exists, and records the model's file
and bounds on the object, so the engine needs no manifest to draw it.

``footprints`` outline on the ground what people walk around (cars, furniture, walls,
benches, bins): a box (``position`` its centre, ``size`` [w, d], ``heading``) or a
``polygon`` of corners. They are apart from the objects, so an object can be redrawn (a box
replaced by an imported model at the same spot) without touching them; the loader checks
that each outline is a simple polygon of some area that reaches into the walkable area.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.content.document import display_name, read_document
from game.content.errors import ContentError, Problem
from game.content.located import Locations
from game.content.manifest import AssetEntry, load_manifest
from game.core.navigation import Footprint, self_crossing, signed_area

SCHEMA = ("scenes", "schema.json")
#: Manifest kinds a scene may place (characters are a scenario's subjects).
PLACEABLE_KINDS = ("prop", "environment")
#: Keys that build or paint a primitive and mean nothing on an asset, with how to do it instead.
PRIMITIVE_KEYS = {
    "size": "size it with 'scale'", "radius": "size it with 'scale'", "height": "size it with 'scale'",
    "axis": "turn it with 'heading', 'pitch' and 'roll'", "color": "it keeps the colours it was imported with",
    "parts": "make a group with the asset among its parts",
}
Bounds = tuple[tuple[float, float, float], tuple[float, float, float]]


@dataclass(frozen=True, slots=True)
class SceneObject:
    shape: str  # ground, box, cylinder, sphere, group, asset
    name: str = ""
    position: tuple[float, float, float] = (0.0, 0.0, 0.0)
    heading: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    scale: float = 1.0
    size: tuple[float, ...] = (1.0, 1.0, 1.0)
    radius: float = 0.5
    height: float = 1.0
    axis: str = "z"
    color: tuple[float, float, float, float] = (0.7, 0.7, 0.7, 1.0)
    emissive: bool = False
    #: "a" or "b": blinks like a light bar, "a" parts on while "b" parts are off ("": steady).
    flash: str = ""
    #: A ceiling or roof over the play area: the instructor's overhead camera sees through it.
    ceiling: bool = False
    parts: tuple["SceneObject", ...] = ()
    asset: str = ""  # shape "asset": the manifest name
    asset_file: str = ""  # its converted model (absolute path), checked to exist when loaded
    asset_bounds: Bounds | None = None  # as recorded at import: the placeholder box's size
    asset_forward: str = "-y"  # which way the model faces (turned so that heading 0 faces north)
    asset_seat: tuple[float, tuple[float, float], tuple[float, float]] | None = None  # the manifest's seat


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
    flash: str = ""  # as SceneObject.flash
    pool: bool = True  # quality low: a pool of light on the ground under it (if it hangs high enough)


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
    #: What people walk around (see :mod:`game.core.navigation`).
    footprints: tuple[Footprint, ...] = ()
    source: str = field(default="", compare=False)


def _vec3(v: list[float] | None, default: tuple[float, float, float]) -> tuple[float, float, float]:
    if v is None:
        return default
    return (float(v[0]), float(v[1]), float(v[2]) if len(v) > 2 else 0.0)


def _color(v: list[float] | None, default: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if v is None:
        return default
    return (float(v[0]), float(v[1]), float(v[2]), float(v[3]) if len(v) > 3 else 1.0)


def _object(d: dict, where: tuple[Any, ...], entries: Mapping[tuple[Any, ...], AssetEntry]) -> SceneObject:
    size = tuple(float(x) for x in d.get("size", (1.0, 1.0, 1.0)))
    entry = entries.get(where)
    return SceneObject(
        shape=d.get("shape", "asset"),
        name=d.get("name", ""),
        position=_vec3(d.get("position"), (0.0, 0.0, 0.0)),
        heading=float(d.get("heading", 0.0)),
        pitch=float(d.get("pitch", 0.0)),
        roll=float(d.get("roll", 0.0)),
        scale=float(d.get("scale", 1.0)),
        size=size,
        radius=float(d.get("radius", 0.5)),
        height=float(d.get("height", 1.0)),
        axis=d.get("axis", "z"),
        color=_color(d.get("color"), (0.7, 0.7, 0.7, 1.0)),
        emissive=bool(d.get("emissive", False)),
        flash=d.get("flash", ""),
        ceiling=bool(d.get("ceiling", False)),
        parts=tuple(_object(p, (*where, "parts", i), entries) for i, p in enumerate(d.get("parts", ()))),
        asset=d.get("asset", ""),
        asset_file=str(entry.path()) if entry is not None else "",
        asset_bounds=entry.bounds if entry is not None else None,
        asset_forward=entry.forward if entry is not None else "-y",
        asset_seat=entry.seat if entry is not None else None,
    )


def _walk(objects: list[dict], where: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], dict]]:
    """Every object with its key path, the parts of groups included."""
    for i, o in enumerate(objects):
        yield (*where, i), o
        yield from _walk(o.get("parts", []), (*where, i, "parts"))


def _manifest_name(manifest: Mapping[str, AssetEntry]) -> str:
    folder = next((e.folder for e in manifest.values() if e.folder), "")
    return display_name(Path(folder) / "manifest.yaml") if folder else "the asset manifest"


def _asset_problem(name: str, manifest: Mapping[str, AssetEntry]) -> str | None:
    """What is wrong with placing manifest asset ``name`` in a scene, or None."""
    where = _manifest_name(manifest)
    entry = manifest.get(name)
    if entry is None:
        placeable = sorted(n for n, e in manifest.items() if e.kind in PLACEABLE_KINDS)
        close = difflib.get_close_matches(name, placeable, n=1)
        hint = (f"did you mean '{close[0]}'?" if close else f"props and environments: {', '.join(placeable)}" if placeable
                else "it has none yet: add one with 'talkdown import-asset MODEL --kind prop'")
        return f"no prop or environment '{name}' in {where} ({hint})"
    if entry.kind not in PLACEABLE_KINDS:
        return (f"'{name}' is a {entry.kind}: a scene places props and environments; "
                f"put a person in the scenario instead, as a subject with 'appearance: {name}'")
    path = entry.path()
    if path is None:
        return f"'{name}' names no model file in {where}: import one with 'talkdown import-asset MODEL --name {name}'"
    if not path.is_file():
        return (f"the converted model of '{name}' ({entry.file}) is missing beside {where}: "
                f"import it again with 'talkdown import-asset MODEL --name {name} --replace'")
    return None


def _check_objects(objects: list[dict], loc: Locations, manifest: Mapping[str, AssetEntry] | None,
                   problems: list[Problem]) -> dict[tuple[Any, ...], AssetEntry]:
    """Checks every object (groups' parts too); returns the manifest entry of each placed asset
    by its key path. The manifest (the installed one when None) is read only if an object
    names an asset."""
    entries: dict[tuple[Any, ...], AssetEntry] = {}
    unreadable = False
    for where, o in _walk(objects, ("objects",)):
        if o.get("shape") == "group" and "parts" not in o:
            problems.append(loc.problem((*where, "shape"), "a group needs 'parts'"))
        if "asset" not in o:
            continue
        for key, fix in PRIMITIVE_KEYS.items():
            if key in o:
                problems.append(loc.problem((*where, key), f"'{key}' does not apply to an asset: {fix}"))
        if manifest is None:
            try:
                manifest = load_manifest()
            except ContentError as err:
                problems.append(loc.problem((*where, "asset"), f"the asset manifest has {len(err.problems)} problem(s), listed below"))
                problems += err.problems
                unreadable = True
                manifest = {}
        if unreadable:
            continue  # said once, at the first asset
        problem = _asset_problem(o["asset"], manifest)
        if problem:
            problems.append(loc.problem((*where, "asset"), problem))
        else:
            entries[where] = manifest[o["asset"]]
    return entries


def _footprint(d: dict) -> Footprint:
    if "polygon" in d:
        return Footprint.polygon(d["name"], [(float(p[0]), float(p[1])) for p in d["polygon"]])
    return Footprint.box(d["name"], (float(d["position"][0]), float(d["position"][1])),
                         (float(d["size"][0]), float(d["size"][1])), float(d.get("heading", 0.0)))


def _check_footprints(items: list[dict], bounds: list[list[float]], loc: Locations, problems: list[Problem]) -> None:
    """Each footprint: a unique name, a simple outline of some area, reaching into the walkable area."""
    seen: dict[str, int] = {}
    (x0, y0), (x1, y1) = bounds
    for i, d in enumerate(items):
        where = ("footprints", i)
        name = d["name"]
        if name in seen:
            problems.append(loc.problem((*where, "name"), f"footprint '{name}' is already footprint {seen[name]}: "
                                        "give each its own name"))
        seen.setdefault(name, i)
        if "polygon" in d:
            pts = [(float(p[0]), float(p[1])) for p in d["polygon"]]
            for j in range(len(pts)):
                if pts[j] == pts[(j + 1) % len(pts)]:
                    problems.append(loc.problem((*where, "polygon", (j + 1) % len(pts)),
                                                f"footprint '{name}': corner {(j + 1) % len(pts)} repeats corner {j}: leave it out"))
                    break
            else:
                crossing = self_crossing(pts)
                if crossing is not None:
                    a, b = crossing
                    problems.append(loc.problem((*where, "polygon"), f"footprint '{name}': its edge from corner {a} "
                                                f"crosses the edge from corner {b}: list the corners in order around the outline"))
                elif abs(signed_area(pts)) < 0.01:
                    problems.append(loc.problem((*where, "polygon"), f"footprint '{name}' encloses no area "
                                                "(its corners lie on a line): outline what stands there"))
                    continue
        fx0, fy0, fx1, fy1 = _footprint(d).bbox()
        if fx1 < x0 or fx0 > x1 or fy1 < y0 or fy0 > y1:
            key = "polygon" if "polygon" in d else "position"
            problems.append(loc.problem((*where, key), f"footprint '{name}' lies outside the walkable area "
                                        f"(bounds x {x0:g} to {x1:g}, y {y0:g} to {y1:g}), where nobody walks: "
                                        "check its position, or leave it out"))


def load_scene(path: str | os.PathLike[str], *, manifest: Mapping[str, AssetEntry] | None = None) -> SceneDef:
    """Reads and checks a scene file; objects that place an asset are checked against
    ``manifest`` (the installed one by default). Raises :class:`ContentError` listing every problem."""
    doc = read_document(path, kind="scene", schema=SCHEMA)
    d, loc = doc.data, doc.locations
    problems: list[Problem] = []
    entries = _check_objects(d["objects"], loc, manifest, problems)
    b = d.get("bounds", [[-25, -25], [25, 25]])
    _check_footprints(d.get("footprints", []), b, loc, problems)
    for i, light in enumerate(d.get("lights", ())):
        if light["type"] in ("point", "spot") and "position" not in light:
            problems.append(loc.problem(("lights", i), f"a {light['type']} light needs 'position'"))
    if problems:
        raise ContentError(problems)
    fog = d.get("fog", {})
    sky = _color(d.get("sky_color"), (0.02, 0.03, 0.06, 1.0))
    return SceneDef(
        id=d["id"],
        title=d["title"],
        objects=tuple(_object(o, ("objects", i), entries) for i, o in enumerate(d["objects"])),
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
                flash=light.get("flash", ""),
                pool=bool(light.get("pool", True)),
            )
            for light in d.get("lights", ())
        ),
        sky_color=sky,
        fog_color=_color(fog.get("color"), sky),
        fog_density=float(fog.get("density", 0.0)),
        bounds=((float(b[0][0]), float(b[0][1])), (float(b[1][0]), float(b[1][1]))),
        footprints=tuple(_footprint(f) for f in d.get("footprints", ())),
        source=os.fspath(path),
    )


def check_scene(path: str | os.PathLike[str], *, manifest: Mapping[str, AssetEntry] | None = None) -> list[Problem]:
    """Every problem of a scene file (for ``talkdown validate``); empty when it is good."""
    try:
        load_scene(path, manifest=manifest)
    except ContentError as err:
        return err.problems
    return []
