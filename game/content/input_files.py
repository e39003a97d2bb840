"""``talkdown validate`` for the files in ``input/``: which format a file is, and its problems.

Four formats live there — key bindings (``device:`` desktop, instructor or replay), headset
actions (``action_set:``), the force options' figures (``tools.yaml``) and the voice
vocabulary (``phrases:``). A file says which it is by its keys; a file too broken to read
is told apart by its name. Each is checked by the loader the game itself uses; the file
is read once, through the one hardened reader (:func:`~game.content.located.read_located`),
before anything looks at it.
"""

from __future__ import annotations

import os
from pathlib import Path

from game.content.document import display_name
from game.content.errors import ContentError, Problem
from game.content.located import read_located
from game.core.terms import TOOLS


def input_kind(path: str | os.PathLike[str]) -> str:
    """``bindings``, ``xr``, ``voice`` or ``tools`` for a file in ``input/``."""
    try:
        data, _, _ = read_located(os.fspath(path), display_name(path))
    except ContentError:
        data = None
    return _kind_of(data, path)


def _kind_of(data: object, path: str | os.PathLike[str]) -> str:
    if isinstance(data, dict):
        for key, kind in (("action_set", "xr"), ("device", "bindings"), ("phrases", "voice")):
            if key in data:
                return kind
        if set(TOOLS) & set(data):
            return "tools"
    stem = Path(path).stem.lower()
    return next((k for k in ("xr", "voice", "tools") if k in stem), "bindings")


def check_input_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of one ``input/`` file (empty when it loads)."""
    try:  # a file the reader refuses (too big, too deep, not a plain file, not YAML) is not parsed again
        data, _, _ = read_located(os.fspath(path), display_name(path))
    except ContentError as err:
        return list(err.problems)
    kind = _kind_of(data, path)
    try:
        if kind == "xr":
            from game.content.xr_actions import load_xr_actions

            load_xr_actions(path)
        elif kind == "tools":
            from game.content.tools import load_tools

            load_tools(path)
        elif kind == "voice":
            from game.content.vocabulary import load_vocabulary

            load_vocabulary(path)
        else:
            from game.content.bindings import load_bindings

            load_bindings(path)
    except ContentError as err:
        return list(err.problems)
    return []
