"""Input bindings format 1 (``input/*.yaml``): action names bound to keys.

Code only ever speaks of actions (``move_forward``, ``say_greet``, ``draw_cew``,
``escalate``); which key does what lives in data an agency can change. A file says
which ``device`` it binds: ``desktop`` (the trainee's keyboard and mouse),
``instructor`` (the instructor's console) or ``replay`` (``talkdown replay``'s controls). The trainee and the instructor may share
one keyboard, so an instructor file is checked against the trainee's keys too.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from game.content.document import display_name, read_document
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

#: Every action the instructor's console understands (``force_branch_N``: the scenario's
#: N-th branch in file order; ``pause`` pauses and resumes).
INSTRUCTOR_ACTIONS = (
    ("escalate", "calm")
    + tuple(f"force_branch_{n}" for n in range(1, 10))
    + ("pause", "mark", "switch_view", "next_subject", "restart", "end_session")
    # the instructor's voice in the scene: a subject's authored lines, and speaking (held) as it or as dispatch
    + ("puppet_menu", "speak_as_subject", "speak_as_dispatch")
)

#: The free camera's movement in a replay, held while the key is down.
FLY_ACTIONS = ("fly_forward", "fly_back", "fly_left", "fly_right", "fly_up", "fly_down",
               "look_left", "look_right", "look_up", "look_down")

#: Every action ``talkdown replay`` understands: playback, views, the timeline, the free
#: camera (its ``fly_``/``look_`` actions act while held) and ``take_controls`` (branch here).
REPLAY_ACTIONS = (
    ("play_pause", "faster", "slower", "next_view", "free_camera", "toggle_hud", "next_subject",
     "back_1s", "forward_1s", "back_10s", "forward_10s", "to_start", "to_end", "take_controls", "quit")
    + FLY_ACTIONS
)

ACTIONS = {"desktop": DESKTOP_ACTIONS, "instructor": INSTRUCTOR_ACTIONS, "replay": REPLAY_ACTIONS}
#: The desktop trainee also hears each of its keys with shift (shout) and control (calm).
DESKTOP_MODIFIERS = ("", "shift-", "control-")


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

    def keys_heard(self) -> dict[str, str]:
        """Every key event this device reacts to (a desktop key also with shift and control)."""
        prefixes = DESKTOP_MODIFIERS if self.device == "desktop" else ("",)
        return {f"{p}{key}": action for key, action in self.key_map().items() for p in prefixes}

    def first_key(self, action: str) -> str:
        """The first key bound to ``action`` ("" when none), for legends."""
        keys = self.actions.get(action, ())
        return keys[0] if keys else ""


def load_bindings(path: str | os.PathLike[str], *, device: str = "", shared_with: Bindings | None = None) -> Bindings:
    """Reads and checks a bindings file. Raises :class:`ContentError` listing every problem.

    ``device``: the device the file must bind (empty: any). ``shared_with``: bindings of
    another device on the same keyboard; a key both would react to is an error here."""
    doc = read_document(path, kind="bindings", schema=SCHEMA)
    d, loc = doc.data, doc.locations
    if device and d["device"] != device:
        raise ContentError([loc.problem(("device",), f"this file binds the '{d['device']}' device; "
                                                     f"'device: {device}' bindings are needed here")])
    known = ACTIONS[d["device"]]
    taken = shared_with.keys_heard() if shared_with is not None else {}
    problems = []
    seen: dict[str, str] = {}
    for action, keys in d["actions"].items():
        if action not in known:
            close = difflib.get_close_matches(action, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(loc.problem(("actions", action), f"unknown action '{action}'{hint}"))
            continue
        for i, key in enumerate(keys):
            if key in seen:
                problems.append(loc.problem(("actions", action, i), f"key '{key}' is already bound to '{seen[key]}'"))
            elif key in taken:
                assert shared_with is not None
                problems.append(loc.problem(("actions", action, i), (
                    f"key '{key}' is the {shared_with.device} key for '{taken[key]}' "
                    f"({display_name(shared_with.source) if shared_with.source else 'its bindings'}); "
                    "both share the keyboard: choose another key")))
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
