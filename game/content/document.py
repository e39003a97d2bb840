"""Reading any content file: YAML with locations, the format version, the schema.

Every format (scenario, scene, script, bindings) goes through :func:`read_document`,
so the game and the tools report the same errors the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from game.content.errors import ContentError, Problem
from game.content.located import Locations, read_located
from game.content.schema import check

SUPPORTED_VERSION = 1


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed, schema-checked content file."""

    path: str
    data: dict[str, Any]
    locations: Locations
    raw: bytes


def display_name(path: str | os.PathLike[str]) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    p = os.fspath(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        return p
    return p if rel.startswith("..") else rel


def read_document(path: str | os.PathLike[str], *, kind: str, schema: tuple[str, str],
                  versions: tuple[int, int] = (SUPPORTED_VERSION, SUPPORTED_VERSION)) -> Document:
    """Reads a ``kind`` file (``scenario``, ``scene`` ...) and checks it against ``schema``
    (package, file name); ``versions``: the oldest and newest format this Talkdown reads of
    it. Raises :class:`ContentError` with every problem found."""
    name = display_name(path)
    data, loc, raw = read_located(os.fspath(path), name)
    if not isinstance(data, dict):
        raise ContentError([loc.problem((), f"a {kind} file must be a mapping of keys, not {type(data).__name__}")])
    version_problem = _check_version(data, loc, kind, versions)
    if version_problem:
        raise ContentError([version_problem])  # nothing else is worth checking in a format we do not know
    problems = check(data, loc, *schema)
    if problems:
        raise ContentError(problems)
    return Document(os.fspath(path), data, loc, raw)


def _check_version(data: dict[str, Any], loc: Locations, kind: str, versions: tuple[int, int]) -> Problem | None:
    oldest, newest = versions
    if "format_version" not in data:
        return loc.problem((), f"missing 'format_version': add 'format_version: {newest}' at the top of this {kind} file")
    v = data["format_version"]
    if not isinstance(v, int) or isinstance(v, bool):
        return loc.problem(("format_version",), f"format_version must be a whole number such as {newest}, got {v!r}")
    if v > newest:
        return loc.problem(
            ("format_version",),
            f"this {kind} is format {v}, newer than this Talkdown reads (up to {newest}): upgrade Talkdown",
        )
    if v < oldest:
        return loc.problem(
            ("format_version",),
            f"this {kind} is format {v}, older than this Talkdown reads (from {oldest}): "
            "convert it (see docs/content-formats.md)",
        )
    return None
