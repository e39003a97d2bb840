"""Adding an entry to an asset manifest: atomically, never clobbering another entry.

The new entry is appended as YAML text (the file's comments and layout stay as they are),
the result is checked like any manifest, written to a temporary file beside it and moved
over the old one in one step. A lock file keeps two imports from interleaving.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from game.content.errors import ContentError, Problem
from game.content.located import read_located
from game.content.manifest import load_manifest
from game.files import replace_retrying


class ManifestBusy(RuntimeError):
    """Another import holds the manifest's lock."""


@contextmanager
def manifest_lock(path: Path, timeout: float = 10.0) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise ManifestBusy(f"{lock} exists: another import is running (delete the file if none is)") from None
            time.sleep(0.05)
    try:
        yield
    finally:
        os.close(fd)
        os.unlink(lock)


def entry_text(name: str, entry: dict[str, Any]) -> str:
    body = yaml.safe_dump({name: entry}, sort_keys=False, default_flow_style=None, width=100, allow_unicode=True)
    return "".join(f"  {line}\n" for line in body.splitlines())


def add_entry(path: Path, name: str, entry: dict[str, Any], *, replace: bool = False) -> None:
    """Adds (or with ``replace``, replaces) ``name`` in the manifest at ``path``.
    Raises :class:`ContentError` if the name is taken or the result would not be valid."""
    with manifest_lock(path):
        text = path.read_text(encoding="utf-8")
        data, _, _ = read_located(str(path), str(path))
        assets = data.get("assets") if isinstance(data, dict) else None
        if not isinstance(assets, dict):
            raise ContentError([Problem(str(path), 0, 0, "assets", f"{path.name} has no 'assets' mapping: fix it before importing")])
        if name in assets and not replace:
            raise ContentError([Problem(str(path), 0, 0, f"assets.{name}", f"'{name}' is already in {path.name}: "
                                        "choose another --name, or --replace to update it")])
        if name in assets or list(data)[-1] != "assets":
            assets = dict(assets)
            assets[name] = entry
            data = dict(data)
            data["assets"] = assets
            new_text = yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=100, allow_unicode=True)
        else:
            new_text = text.rstrip("\n") + "\n" + entry_text(name, entry)
        # a fresh temporary (exclusive create, random name: a planted link is never followed)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(new_text)
            os.chmod(tmp, path.stat().st_mode & 0o777)  # keeps the manifest's mode
            load_manifest(tmp)  # the result must be a valid manifest, or nothing changes
            replace_retrying(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
