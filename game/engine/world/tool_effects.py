"""What a force option's use looks like, from the journal's own events: ``ToolDischarged`` (from
where, which way), ``ToolHit`` / ``ToolMissed`` (where it landed; a CEW's ``probe`` 1 and 2).

- CEW: two probes where they struck and two wires from the tool's muzzle to them, kept for the
  cycle (5 s), then reeled off;
- OC: the stream and a cloud of spray that drifts from the nozzle along the shot, swells and
  fades over two seconds;
- firearm: a muzzle flash (two frames' worth, with a flash of light on the scene) and a mark
  where the round struck;
- baton: the view-model swings through the strike.

Effects are timed by simulated time (the snapshot's clock), so a replay shows the same.
Everything is drawn unlit (its own colour) and outside the journal: it changes nothing recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from panda3d.core import LineSegs, NodePath, PointLight, Vec3

from game.engine.world import geometry

WIRE_SECONDS = 5.0  # a CEW cycle: the wires stay while it runs
CLOUD_SECONDS = 2.0
FLASH_SECONDS = 0.07
SWING_SECONDS = 0.35
WIRE_COLOR = (0.85, 0.75, 0.55, 1)  # thin copper wire catching the light
PROBE_COLOR = (0.15, 0.15, 0.15, 1)
CLOUD_COLOR = (0.95, 0.55, 0.25)
FLASH_COLOR = (1.0, 0.85, 0.45, 1)


@dataclass
class _Effect:
    kind: str
    start: float
    seconds: float
    node: NodePath
    parts: list[NodePath] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


class ToolEffects:
    """Draws tool effects under ``root`` (the world), leaving from the muzzles of ``tools``
    (a :class:`~game.engine.world.tools_view.HeldTools`); the firearm's flash lights ``lit_root``."""

    def __init__(self, root: NodePath, tools: Any, lit_root: NodePath | None = None) -> None:
        self.root = root.attach_new_node("tool_effects")
        self.root.set_light_off(1)
        self.root.set_shader_off(1)
        self.tools = tools
        self.lit_root = lit_root if lit_root is not None else root
        self.effects: list[_Effect] = []
        self.now = 0.0

    # ------------------------------------------------------------------ events
    def record(self, time: float, event: Any) -> None:
        """Journal sink: a discharge, hit or miss starts or extends an effect."""
        kind = getattr(event, "TYPE", type(event).__name__)
        tool = getattr(event, "tool", "")
        if kind == "ToolDischarged":
            origin = self._muzzle(getattr(event, "hand", "right"), getattr(event, "origin", (0.0, 0.0, 1.4)))
            direction = Vec3(*getattr(event, "direction", (0.0, 1.0, 0.0)))
            if tool == "cew":
                self._end("wires")
                self._start("wires", time, WIRE_SECONDS, data={"origin": origin, "hand": event.hand, "points": []})
            elif tool == "oc_spray":
                self._cloud(time, origin, direction)
            elif tool == "firearm":
                self._flash(time, origin, direction)
            elif tool == "baton":
                self._start("swing", time, SWING_SECONDS, data={"hand": event.hand})
        elif kind in ("ToolHit", "ToolMissed") and tool == "cew":
            self._probe(tuple(getattr(event, "point", (0.0, 0.0, 0.0))))
        elif kind == "ToolHit" and tool == "firearm":
            mark = self.root.attach_new_node(geometry.sphere(0.015, rings=4, segments=6, name="impact"))
            mark.set_pos(*event.point)
            mark.set_color(0.35, 0.05, 0.04, 1)
            self._start("impact", time, 1.0, node=mark)

    # ------------------------------------------------------------------ frames
    def update(self, now: float) -> None:
        """Called each frame with the snapshot's time: grows, fades and ends effects."""
        self.now = now
        for e in list(self.effects):
            age = now - e.start
            if age < 0 or age > e.seconds:  # over (or a replay rewound past its start)
                self._remove(e)
                continue
            if e.kind == "cloud":
                k = age / e.seconds
                for i, puff in enumerate(e.parts):
                    d = min(1.0, age * (3.0 + i * 0.8)) * e.data["reach"][i]
                    puff.set_pos(e.data["origin"] + e.data["direction"] * d + Vec3(0, 0, 0.15 * k * (i % 3 - 0.5)))
                    puff.set_scale(0.04 + (0.14 + 0.045 * i) * min(1.0, age * 1.5))
                    puff.set_alpha_scale(max(0.0, 0.4 * (1.0 - k)))
            elif e.kind == "wires" and e.parts:
                if (self._muzzle(e.data["hand"], tuple(e.data["origin"])) - e.data["drawn_from"]).length() > 0.01:
                    self._draw_wires(e)
            elif e.kind == "flash":
                e.node.set_scale(1.0 + 3.0 * age / e.seconds)
            elif e.kind == "swing":
                model = self.tools.models.get(e.data["hand"])
                if model is not None:
                    model.set_p(-70.0 * math.sin(math.pi * age / e.seconds))
                    e.data["model"] = model

    def wires(self) -> int:
        """How many CEW wires are drawn now."""
        return sum(len(e.parts) for e in self.effects if e.kind == "wires")

    # ------------------------------------------------------------------ parts
    def _muzzle(self, hand: str, fallback: tuple[float, float, float]) -> Vec3:
        muzzle = self.tools.muzzle(hand) if self.tools is not None else None
        if muzzle is None or muzzle.is_empty():
            return Vec3(*fallback)
        return muzzle.get_pos(self.root)

    def _start(self, kind: str, time: float, seconds: float, *, node: NodePath | None = None,
               data: dict[str, Any] | None = None) -> _Effect:
        e = _Effect(kind, time, seconds, node if node is not None else self.root.attach_new_node(kind), data=data or {})
        self.effects.append(e)
        return e

    def _end(self, kind: str) -> None:
        for e in [e for e in self.effects if e.kind == kind]:
            self._remove(e)

    def _remove(self, e: _Effect) -> None:
        if e.kind == "swing" and "model" in e.data and not e.data["model"].is_empty():
            e.data["model"].set_p(0)
        if e.kind == "flash" and "light" in e.data:
            self.lit_root.clear_light(e.data["light"])
        e.node.remove_node()
        self.effects.remove(e)

    def _probe(self, point: tuple[float, float, float]) -> None:
        wires = next((e for e in self.effects if e.kind == "wires"), None)
        if wires is None or len(wires.data.setdefault("points", [])) >= 2:
            return
        wires.data["points"].append(Vec3(*point))
        self._draw_wires(wires)

    def _draw_wires(self, e: _Effect) -> None:
        """The wires from the tool's muzzle (where it is now: the trainee moves) to each probe,
        sagging a little between, and the probes' darts."""
        origin = self._muzzle(e.data["hand"], tuple(e.data["origin"]))
        e.data["drawn_from"] = origin
        for part in e.parts:
            part.remove_node()
        e.parts.clear()
        for end in e.data.get("points", []):
            segs = LineSegs("cew_wire")
            segs.set_thickness(2.0)
            segs.set_color(*WIRE_COLOR)
            for i in range(9):
                t = i / 8
                p = origin + (end - origin) * t - Vec3(0, 0, 0.06 * math.sin(math.pi * t))
                (segs.move_to if i == 0 else segs.draw_to)(p)
            wire = e.node.attach_new_node(segs.create())
            dart = wire.attach_new_node(geometry.cylinder(0.006, 0.03, axis="y", name="probe"))
            dart.set_pos(end)
            dart.look_at(origin)
            dart.set_color(*PROBE_COLOR)
            e.parts.append(wire)

    def _cloud(self, time: float, origin: Vec3, direction: Vec3) -> None:
        e = self._start("cloud", time, CLOUD_SECONDS, data={"origin": origin, "direction": direction,
                                                           "reach": [0.4 + 0.45 * i for i in range(7)]})
        e.node.set_transparency(True)
        e.node.set_depth_write(False)
        e.node.set_bin("fixed", 10)
        stream = LineSegs("oc_stream")
        stream.set_thickness(3.0)
        stream.set_color(*CLOUD_COLOR, 0.8)
        stream.move_to(origin)
        stream.draw_to(origin + direction * 2.5)
        e.node.attach_new_node(stream.create())
        for i in range(7):
            puff = e.node.attach_new_node(geometry.sphere(1.0, rings=6, segments=10, name="oc_puff"))
            puff.set_color(*CLOUD_COLOR, 1)
            e.parts.append(puff)
        self.update(self.now if self.now >= time else time)

    def _flash(self, time: float, origin: Vec3, direction: Vec3) -> None:
        e = self._start("flash", time, FLASH_SECONDS)
        e.node.set_pos(origin + direction * 0.04)
        for h in (0, 60, 120):  # a star of three crossed blades
            blade = e.node.attach_new_node(geometry.box(0.012, 0.09, 0.03, centred=True, name="flash"))
            blade.set_hpr(h, 0, h)
            blade.set_color(*FLASH_COLOR)
        core = e.node.attach_new_node(geometry.sphere(0.02, rings=5, segments=8, name="flash_core"))
        core.set_color(1, 1, 0.9, 1)
        light = PointLight("muzzle_flash")
        light.set_color((2.0, 1.6, 0.9, 1))
        light.set_attenuation((1, 0.5, 0.8))
        lnp = e.node.attach_new_node(light)
        self.lit_root.set_light(lnp)
        e.data["light"] = lnp

    def destroy(self) -> None:
        for e in list(self.effects):
            self._remove(e)
        self.root.remove_node()
