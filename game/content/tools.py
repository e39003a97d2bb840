"""The force options' figures (``input/tools.yaml``, format 1) as the core's :class:`ToolSpecs`.

The core's defaults equal the shipped file (a test keeps them so); an agency copies the
file, tunes ranges, cones and times to its equipment, and passes it with ``--tools``.
"""

from __future__ import annotations

import os
from dataclasses import fields, replace
from types import MappingProxyType

from game.content.document import read_document
from game.content.errors import ContentError
from game.content.library import package_dir
from game.core.scenario import TRIGGERS
from game.core.tools import DEFAULT_TOOLS, ToolSpecs

SCHEMA = ("input", "tools.schema.json")


def default_tools_path() -> str:
    return os.fspath(package_dir("input") / "tools.yaml")


def load_tools(path: str | os.PathLike[str] | None = None) -> ToolSpecs:
    """Reads and checks a tools file (the shipped one for None). Raises :class:`ContentError`."""
    doc = read_document(path or default_tools_path(), kind="tools", schema=SCHEMA)
    d, loc = doc.data, doc.locations
    problems = []
    for trigger in d.get("oc_spray", {}).get("resistance", {}):
        if trigger not in TRIGGERS:
            problems.append(loc.problem(("oc_spray", "resistance", trigger),
                                        f"unknown profile trigger '{trigger}' (known: {', '.join(TRIGGERS)})"))
    baton = d.get("baton", {})
    if baton.get("fall_speed", DEFAULT_TOOLS.baton.fall_speed) < baton.get("min_speed", DEFAULT_TOOLS.baton.min_speed):
        problems.append(loc.problem(("baton", "fall_speed"), "fall_speed must not be below min_speed"))
    if problems:
        raise ContentError(problems)
    specs = DEFAULT_TOOLS
    for f in fields(ToolSpecs):
        if f.name not in d:
            continue
        value = d[f.name]
        current = getattr(specs, f.name)
        if isinstance(value, dict) and f.name == "hold_height":
            specs = replace(specs, hold_height=MappingProxyType({**current, **{k: float(v) for k, v in value.items()}}))
        elif isinstance(value, dict):
            if "resistance" in value:
                value = {**value, "resistance": MappingProxyType({k: float(v) for k, v in value["resistance"].items()})}
            specs = replace(specs, **{f.name: replace(current, **value)})
        else:
            specs = replace(specs, **{f.name: float(value)})
    return specs
