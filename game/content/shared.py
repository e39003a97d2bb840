"""Scenario libraries (``scenarios/library/*.yaml``): profiles and subtrees that many
scenarios share, so a library of hundreds of scenarios does not copy itself.

A scenario (or a library) lists them under ``include:``; names resolve to installed
libraries, paths to files relative to the including file. Profiles may ``extends:``
another profile; a subject's profile may name a library profile or extend one.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.content.document import Document, display_name, read_document
from game.content.errors import ContentError, Problem
from game.content.library import looks_like_path, package_dir
from game.content.located import Locations
from game.content.trees import Subtree, TreeChecker

SCHEMA = ("scenarios", "library.schema.json")
#: Profile keys whose mappings merge key by key when a profile extends another.
MERGED = ("sensitivity", "intent_effects")


@dataclass(frozen=True, slots=True)
class SharedProfile:
    name: str
    data: dict[str, Any]
    loc: Locations
    path: tuple[object, ...]


@dataclass
class Shared:
    """Everything a file's includes provide, and the problems found loading them."""

    profiles: dict[str, SharedProfile] = field(default_factory=dict)
    subtrees: dict[str, Subtree] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def library_path(name: str, relative_to: str | os.PathLike[str]) -> Path:
    if looks_like_path(name):
        p = Path(name)
        return p if p.is_absolute() else Path(relative_to).parent / p
    return package_dir("scenarios") / "library" / f"{name}.yaml"


def load_includes(doc: Document, shared: Shared | None = None, seen: frozenset[str] = frozenset()) -> Shared:
    """Loads the libraries ``doc`` includes (and theirs), adding to ``shared``."""
    shared = shared if shared is not None else Shared()
    for i, name in enumerate(doc.data.get("include", [])):
        path = library_path(name, doc.path)
        key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            shared.problems.append(doc.locations.problem(("include", i), f"library '{name}' includes itself"))
            continue
        if key in {os.path.normcase(os.path.abspath(f)) for f in shared.files}:
            continue  # included twice along different paths: once is enough
        if not path.is_file():
            shared.problems.append(doc.locations.problem(("include", i), f"no library '{name}' ({display_name(path)} does not exist)"))
            continue
        try:
            lib = read_document(path, kind="library", schema=SCHEMA)
        except ContentError as err:
            shared.problems.append(doc.locations.problem(("include", i), f"library '{name}' has {len(err.problems)} problem(s), listed below"))
            shared.problems += err.problems
            continue
        shared.files.append(os.fspath(path))
        before = len(shared.problems)
        load_includes(lib, shared, seen | {key})
        _add(lib, shared)
        if len(shared.problems) > before:
            shared.problems.insert(before, doc.locations.problem(("include", i), f"library '{name}' has problems, listed below"))
    return shared


def _add(lib: Document, shared: Shared) -> None:
    loc = lib.locations
    for kind, table in (("profiles", shared.profiles), ("subtrees", shared.subtrees)):
        for name, data in lib.data.get(kind, {}).items():
            if name in table:
                other = table[name].loc.file
                shared.problems.append(loc.problem((kind, name), f"{kind[:-1]} '{name}' is also defined in {other}: rename one"))
                continue
            if kind == "profiles":
                table[name] = SharedProfile(name, data, loc, (kind, name))  # type: ignore[assignment]
            else:
                table[name] = Subtree(name, data, loc, (kind, name))  # type: ignore[assignment]
    checker = TreeChecker(shared.subtrees)
    for name, data in lib.data.get("subtrees", {}).items():
        shared.problems += checker.structure(data, loc, ("subtrees", name))
    for name in lib.data.get("profiles", {}):
        resolve_profile({"extends": name}, shared, loc, ("profiles", name), shared.problems)


def resolve_profile(spec: Any, shared: Shared, loc: Locations, path: tuple[object, ...],
                    problems: list[Problem], stack: tuple[str, ...] = ()) -> dict[str, Any]:
    """A profile as one mapping, with ``extends`` (or a bare profile name) resolved."""
    if isinstance(spec, str):
        spec = {"extends": spec}
    if "extends" not in spec:
        return dict(spec)
    name = spec["extends"]
    base = shared.profiles.get(name)
    if base is None:
        close = difflib.get_close_matches(name, sorted(shared.profiles), n=1)
        hint = f"did you mean '{close[0]}'?" if close else (
            f"known: {', '.join(sorted(shared.profiles))}" if shared.profiles else "include a library that defines it")
        problems.append(loc.problem((*path, "extends") if isinstance(spec, dict) and len(spec) > 1 else path,
                                    f"no profile '{name}' ({hint})"))
        return {k: v for k, v in spec.items() if k != "extends"}
    if name in stack:
        problems.append(loc.problem(path, f"profile '{name}' extends itself ({' → '.join((*stack, name))})"))
        return {}
    merged = resolve_profile(base.data, shared, base.loc, base.path, problems, (*stack, name))
    for key, value in spec.items():
        if key == "extends":
            continue
        if key in MERGED and key in merged:
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def check_library(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of a library file and the libraries it includes; empty when good."""
    try:
        lib = read_document(path, kind="library", schema=SCHEMA)
    except ContentError as err:
        return err.problems
    shared = load_includes(lib, seen=frozenset({os.path.normcase(os.path.abspath(path))}))
    _add(lib, shared)
    out: list[Problem] = []
    for p in shared.problems:
        if p not in out:
            out.append(p)
    return out
