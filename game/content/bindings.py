"""Input bindings format 1 (``input/*.yaml``): action names bound to keys.

Code only ever speaks of actions (``move_forward``, ``say_greet``, ``draw_cew``);
which key does what lives in data an agency can change.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from game.content.document import read_document
from game.content.errors import ContentError
from game.core.events import INTENTS, TOOLS

SCHEMA = ("input", "schema.json")

MOVEMENT_ACTIONS = (
    "move_forward",
    "move_back",
    "strafe_left",
    "strafe_right",
    "turn_left",
    "turn_right",
    "look_up",
    "look_down",
)

#: Every action the desktop provider understands.
DESKTOP_ACTIONS = (
    MOVEMENT_ACTIONS
    + tuple(f"say_{i}" for i in INTENTS)
    + tuple(f"draw_{t}" for t in TOOLS)
    + ("holster", "low_ready", "touch", "use_right", "use_left", "end_session")
    # the same trainee actions as the headset's tool select and push-to-talk (input/xr.yaml)
    + ("next_tool_right", "next_tool_left", "push_to_talk")
)


@dataclass(frozen=True, slots=True)
class Bindings:
    """Keys per action, and the reverse map used to dispatch key events."""

    device: str
    actions: Mapping[str, tuple[str, ...]]
    mouse_sensitivity: float = 0.2
    invert_y: bool = False
    source: str = ""

    def key_map(self) -> dict[str, str]:
        return {key: action for action, keys in self.actions.items() for key in keys}


def load_bindings(path: str | os.PathLike[str]) -> Bindings:
    """Reads and checks a bindings file. Raises :class:`ContentError` listing every problem."""
    doc = read_document(path, kind="bindings", schema=SCHEMA)
    d, loc = doc.data, doc.locations
    problems = []
    seen: dict[str, str] = {}
    for action, keys in d["actions"].items():
        if action not in DESKTOP_ACTIONS:
            close = difflib.get_close_matches(action, DESKTOP_ACTIONS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(loc.problem(("actions", action), f"unknown action '{action}'{hint}"))
            continue
        for i, key in enumerate(keys):
            if key in seen:
                problems.append(loc.problem(("actions", action, i), f"key '{key}' is already bound to '{seen[key]}'"))
            else:
                seen[key] = action
    if problems:
        raise ContentError(problems)
    look = d.get("mouse_look", {})
    return Bindings(
        device=d["device"],
        actions=MappingProxyType({a: tuple(k) for a, k in d["actions"].items()}),
        mouse_sensitivity=float(look.get("sensitivity", 0.2)),
        invert_y=bool(look.get("invert_y", False)),
        source=os.fspath(path),
    )
