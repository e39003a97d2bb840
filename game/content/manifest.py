"""The asset manifest (``assets/manifest.yaml``): the names scenes and scenarios use for assets.

The artist pipeline will add entries; for now it lists the procedural placeholder figure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from game.content.document import read_document
from game.content.library import package_dir

SCHEMA = ("assets", "schema.json")


@dataclass(frozen=True, slots=True)
class AssetEntry:
    name: str
    kind: str  # character, prop, environment
    source: str
    description: str = ""


def load_manifest(path: str | os.PathLike[str] | None = None) -> Mapping[str, AssetEntry]:
    """Reads and checks a manifest (the installed one by default). Raises ``ContentError``."""
    doc = read_document(path or package_dir("assets") / "manifest.yaml", kind="manifest", schema=SCHEMA)
    return MappingProxyType({
        name: AssetEntry(name, entry["kind"], entry["source"], entry.get("description", ""))
        for name, entry in doc.data["assets"].items()
    })
