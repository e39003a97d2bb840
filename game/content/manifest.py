"""The asset manifest (``assets/manifest.yaml``): the names scenes and scenarios use for assets.

Each entry names what the game loads (``file``, relative to the manifest's folder) and,
for characters built on the humanoid, their ``appearance``. ``talkdown import-asset``
adds entries with what it measured (checksum, bounds, triangles, clips).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from game.content.appearance import Appearance, appearance_from
from game.content.document import read_document
from game.content.errors import ContentError
from game.content.library import package_dir

SCHEMA = ("assets", "schema.json")


@dataclass(frozen=True, slots=True)
class AssetEntry:
    name: str
    kind: str  # character, prop, environment
    source: str
    description: str = ""
    file: str = ""  # relative to ``folder``; empty: built by code (the placeholder figure)
    folder: str = ""
    appearance: Appearance | None = None
    clips: tuple[str, ...] = ()
    clip_map: Mapping[str, str] = field(default_factory=dict)
    forward: str = "-y"
    bounds: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None
    triangles: int | None = None
    #: A prop one can sit on: (seat top height, (x0, y0), (x1, y1)) in the model's space.
    seat: tuple[float, tuple[float, float], tuple[float, float]] | None = None

    def path(self) -> Path | None:
        """The file to load, or None for assets built by code."""
        return Path(self.folder) / self.file if self.file else None


def default_manifest_path() -> Path:
    return package_dir("assets") / "manifest.yaml"


def is_inside(relative: str) -> bool:
    """A manifest path stays inside the manifest's folder (no ``..``, not absolute, no drive)."""
    p = PurePosixPath(relative.replace("\\", "/"))
    return bool(relative) and not p.is_absolute() and ".." not in p.parts and ":" not in relative


def entry_from(name: str, data: dict[str, Any], folder: str) -> AssetEntry:
    bounds = data.get("bounds")
    return AssetEntry(
        name=name, kind=data["kind"], source=data["source"], description=data.get("description", ""),
        file=data.get("file", ""), folder=folder,
        appearance=appearance_from(data["appearance"]) if "appearance" in data else None,
        clips=tuple(data.get("clips", ())), clip_map=MappingProxyType(dict(data.get("clip_map", {}))),
        forward=data.get("forward", "-y"),
        bounds=(tuple(bounds[0]), tuple(bounds[1])) if bounds else None,  # type: ignore[arg-type]
        triangles=data.get("triangles"),
        seat=_seat(data.get("seat")),
    )


def _seat(d: dict[str, Any] | None) -> tuple[float, tuple[float, float], tuple[float, float]] | None:
    if not d:
        return None
    (x0, y0), (x1, y1) = d["from"], d["to"]
    return (float(d["height"]), (min(x0, x1), min(y0, y1)), (max(x0, x1), max(y0, y1)))


def load_manifest(path: str | os.PathLike[str] | None = None) -> Mapping[str, AssetEntry]:
    """Reads and checks a manifest (the installed one by default). Raises ``ContentError``."""
    path = Path(path) if path is not None else default_manifest_path()
    doc = read_document(path, kind="manifest", schema=SCHEMA)
    problems = [doc.locations.problem(("assets", name, "file"),
                                      f"'{entry['file']}' leaves the manifest's folder: give a path inside it")
                for name, entry in doc.data["assets"].items() if "file" in entry and not is_inside(entry["file"])]
    if problems:
        raise ContentError(problems)
    folder = str(path.resolve().parent)
    return MappingProxyType({name: entry_from(name, entry, folder) for name, entry in doc.data["assets"].items()})
