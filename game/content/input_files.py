"""``talkdown validate`` for the files in ``input/``: which format a file is, and its problems.

Four formats live there — key bindings (``device:`` desktop, instructor or replay), headset
actions (``action_set:``), the force options' figures (``tools.yaml``) and the voice
vocabulary (``phrases:``). A file says which it is by its keys; a file too broken to read
is told apart by its name. Each is checked by the loader the game itself uses.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from game.content.errors import ContentError, Problem


def input_kind(path: str | os.PathLike[str]) -> str:
    """``bindings``, ``xr``, ``voice`` or ``tools`` for a file in ``input/``."""
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if isinstance(data, dict):
        for key, kind in (("action_set", "xr"), ("device", "bindings"), ("phrases", "voice")):
            if key in data:
                return kind
        if {"flashlight", "cew", "firearm", "oc_spray", "baton"} & set(data):
            return "tools"
    stem = Path(path).stem.lower()
    return next((k for k in ("xr", "voice", "tools") if k in stem), "bindings")


def check_input_file(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of one ``input/`` file (empty when it loads)."""
    kind = input_kind(path)
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
