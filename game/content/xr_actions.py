"""OpenXR actions as data (``input/xr.yaml``, format 1): the trainee's action set, the
suggested bindings per interaction profile, the press thresholds and the duty belt.

The headset adapter (:mod:`game.xr`) creates exactly these actions and suggests exactly
these bindings; a path that a profile does not have, or an action of the wrong type
for a component, is refused here with the file, line and column.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from game.content.document import read_document
from game.content.errors import ContentError
from game.content.library import package_dir
from game.core.events import TOOLS

SCHEMA = ("input", "xr.schema.json")

#: The trainee actions the XR provider reads, and the type each must have.
TRAINEE_ACTIONS = MappingProxyType({
    "grip_pose": "pose", "aim_pose": "pose", "grip": "float", "trigger": "float",
    "tool_select": "boolean", "push_to_talk": "boolean",
})
#: Actions every file must bind (the rest may be missing on a controller that lacks them).
REQUIRED_ACTIONS = ("grip_pose", "aim_pose", "trigger")

_BOTH = ("grip/pose", "aim/pose")
_THUMBSTICK = ("thumbstick/x", "thumbstick/y", "thumbstick/click", "thumbstick/touch")
_TRACKPAD = ("trackpad/x", "trackpad/y", "trackpad/click", "trackpad/touch")
#: Components of each interaction profile (OpenXR 1.0, 6.4), per hand.
PROFILE_COMPONENTS: Mapping[str, Mapping[str, frozenset[str]]] = MappingProxyType({
    "khr/simple_controller": {h: frozenset({"select/click", "menu/click", *_BOTH}) for h in ("left", "right")},
    "oculus/touch_controller": {
        "left": frozenset({"x/click", "x/touch", "y/click", "y/touch", "menu/click", "squeeze/value", "trigger/value",
                           "trigger/touch", "thumbrest/touch", *_THUMBSTICK, *_BOTH}),
        "right": frozenset({"a/click", "a/touch", "b/click", "b/touch", "system/click", "squeeze/value",
                            "trigger/value", "trigger/touch", "thumbrest/touch", *_THUMBSTICK, *_BOTH}),
    },
    "valve/index_controller": {h: frozenset({
        "system/click", "system/touch", "a/click", "a/touch", "b/click", "b/touch", "squeeze/value", "squeeze/force",
        "trigger/click", "trigger/value", "trigger/touch", *_THUMBSTICK, "trackpad/x", "trackpad/y",
        "trackpad/force", "trackpad/touch", *_BOTH}) for h in ("left", "right")},
    "htc/vive_controller": {h: frozenset({
        "system/click", "squeeze/click", "menu/click", "trigger/click", "trigger/value", *_TRACKPAD, *_BOTH})
        for h in ("left", "right")},
    "microsoft/motion_controller": {h: frozenset({
        "menu/click", "squeeze/click", "trigger/value", "thumbstick/x", "thumbstick/y", "thumbstick/click",
        *_TRACKPAD, *_BOTH}) for h in ("left", "right")},
})


@dataclass(frozen=True, slots=True)
class XrActions:
    """A checked ``input/xr.yaml``."""

    action_set: str
    localized_name: str
    priority: int
    actions: Mapping[str, tuple[str, str]]  # name -> (type, localized name)
    #: profile ("valve/index_controller") -> action -> full paths ("/user/hand/left/input/trigger/value")
    bindings: Mapping[str, Mapping[str, tuple[str, ...]]]
    press: float = 0.7
    release: float = 0.35
    belt_reach: float = 0.18
    holsters: Mapping[str, tuple[float, float, float]] = field(default_factory=lambda: MappingProxyType({}))
    source: str = ""


def default_xr_path() -> str:
    return os.fspath(package_dir("input") / "xr.yaml")


def load_xr_actions(path: str | os.PathLike[str] | None = None) -> XrActions:
    """Reads and checks an XR actions file (the shipped one for None). Raises :class:`ContentError`."""
    path = path or default_xr_path()
    doc = read_document(path, kind="XR actions", schema=SCHEMA)
    d, loc = doc.data, doc.locations
    problems = []
    actions = d["actions"]
    for name, spec in actions.items():
        want = TRAINEE_ACTIONS.get(name)
        if want is None:
            close = difflib.get_close_matches(name, TRAINEE_ACTIONS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(TRAINEE_ACTIONS)})"
            problems.append(loc.problem(("actions", name), f"unknown action '{name}'{hint}"))
        elif spec["type"] != want:
            problems.append(loc.problem(("actions", name, "type"), f"'{name}' must be a {want} action, not {spec['type']}"))
    for name in REQUIRED_ACTIONS:
        if name not in actions:
            problems.append(loc.problem(("actions",), f"missing action '{name}'"))
    bindings: dict[str, dict[str, tuple[str, ...]]] = {}
    for profile, table in d["bindings"].items():
        components = PROFILE_COMPONENTS.get(profile)
        if components is None:
            close = difflib.get_close_matches(profile, PROFILE_COMPONENTS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(PROFILE_COMPONENTS)})"
            problems.append(loc.problem(("bindings", profile), f"unknown interaction profile '{profile}'{hint}"))
            continue
        out: dict[str, tuple[str, ...]] = {}
        for action, paths in table.items():
            if action not in actions:
                problems.append(loc.problem(("bindings", profile, action), f"binds '{action}', which is not in actions"))
                continue
            kind = actions[action]["type"]
            for i, p in enumerate(paths):
                hand, _, comp = p.partition("/input/")
                if comp not in components[hand]:
                    close = difflib.get_close_matches(comp, sorted(components[hand]), n=1)
                    hint = f" (did you mean '{hand}/input/{close[0]}'?)" if close else ""
                    problems.append(loc.problem(("bindings", profile, action, i),
                                                f"{profile} has no '{p}'{hint}"))
                elif (kind == "pose") != comp.endswith("/pose"):
                    problems.append(loc.problem(("bindings", profile, action, i),
                                                f"'{p}' cannot drive the {kind} action '{action}'"))
            out[action] = tuple(f"/user/hand/{p}" for p in paths)
        bindings[f"/interaction_profiles/{profile}"] = MappingProxyType(out)  # type: ignore[assignment]
    th = d.get("thresholds", {})
    press, release = float(th.get("press", 0.7)), float(th.get("release", 0.35))
    if release >= press:
        problems.append(loc.problem(("thresholds", "release"), f"release ({release}) must be below press ({press})"))
    belt = d.get("belt", {})
    holsters = belt.get("holsters", {})
    for tool in holsters:
        if tool not in TOOLS:
            problems.append(loc.problem(("belt", "holsters", tool), f"unknown tool '{tool}' (known: {', '.join(TOOLS)})"))
    if problems:
        raise ContentError(problems)
    a = d["action_set"]
    return XrActions(
        action_set=a["name"],
        localized_name=a.get("localized_name", a["name"]),
        priority=int(a.get("priority", 0)),
        actions=MappingProxyType({n: (s["type"], s.get("localized_name", n)) for n, s in actions.items()}),
        bindings=MappingProxyType(bindings),
        press=press,
        release=release,
        belt_reach=float(belt.get("reach", 0.18)),
        holsters=MappingProxyType({t: tuple(float(v) for v in h["at"]) for t, h in holsters.items()}),  # type: ignore[misc]
        source=os.fspath(path),
    )
