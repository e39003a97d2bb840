"""What a branch of a subject's scenario needs before it can be entered: a weapon, for a branch
whose tree draws or drops one or whose ``when`` asks for one out (:func:`needs_weapon`).
Forcing such a branch on a subject without a weapon would play a scene that cannot happen.
"""

from __future__ import annotations

from typing import Any, Mapping

from game.core.scenario import BranchDef


#: Actions that only make sense for a subject who has a weapon.
WEAPON_ACTIONS = frozenset({"draw_weapon", "drop_weapon"})


def needs_weapon(branch: BranchDef) -> bool:
    """Whether ``branch`` is about a weapon: its tree draws or drops one, or its ``when``
    asks for one out. (Forcing it on a subject without a weapon would play a scene that
    cannot happen.)"""
    return _mentions(branch.tree, WEAPON_ACTIONS) or _mentions(branch.when, {"weapon_out"}, value=True)


def _mentions(data: Any, names: frozenset[str] | set[str], value: Any = None) -> bool:
    """Whether a tree or condition (checked data) uses one of ``names`` as an action or key
    (with ``value``, only where the key has that value)."""
    if isinstance(data, str):
        return value is None and data in names
    if isinstance(data, Mapping):
        for key, item in data.items():
            if key in names and (value is None or item == value):
                return True
            if _mentions(item, names, value):
                return True
        return False
    if isinstance(data, (list, tuple)):
        return any(_mentions(item, names, value) for item in data)
    return False
