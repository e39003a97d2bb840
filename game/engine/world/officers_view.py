"""The other officers in the scene, as each station sees them: a simple officer figure per officer
but the viewer's own — legs, a uniform torso, a head that turns and tilts with the officer's
head, two hands in front of the chest holding what the snapshot says they hold (raised, or
lowered at low ready) — and a name tag above the head, off by default. An officer whose station
has left (``OfficerView.away``) is drawn greyed, where it stands.

Reads only the snapshot (:class:`~game.core.snapshot.OfficerView`); never changes anything.
"""

from __future__ import annotations

from typing import Any

from panda3d.core import NodePath, TextNode

from game.core.snapshot import OfficerView, Snapshot
from game.engine.world import geometry
from game.engine.world.tools_view import _tool_model

UNIFORM = (0.10, 0.14, 0.28, 1)  # navy
TROUSERS = (0.07, 0.08, 0.12, 1)
SKIN = (0.78, 0.60, 0.48, 1)
BELT = (0.05, 0.05, 0.05, 1)
#: Where each hand is in the figure's frame (x right, y forward, z up), raised and at low ready.
HANDS = {"left": (-0.2, 0.38, 1.22), "right": (0.2, 0.38, 1.22)}
LOW_DROP = 0.3  # metres a hand at low ready sits lower, tool tilted down
HEAD_HEIGHT = 1.62


class OfficerFigure:
    """One officer's figure under ``parent``."""

    def __init__(self, parent: NodePath, seat: str, name: str = "", *, name_tag: bool = False) -> None:
        self.seat = seat
        self.root = parent.attach_new_node(f"officer:{seat}")
        for x in (-0.11, 0.11):
            leg = self.root.attach_new_node(geometry.cylinder(0.075, 0.86))
            leg.set_pos(x, 0, 0)
            leg.set_color(*TROUSERS)
        torso = self.root.attach_new_node(geometry.box(0.42, 0.24, 0.62, centred=True))
        torso.set_pos(0, 0, 1.17)
        torso.set_color(*UNIFORM)
        belt = self.root.attach_new_node(geometry.box(0.44, 0.26, 0.07, centred=True))
        belt.set_pos(0, 0, 0.9)
        belt.set_color(*BELT)
        self.head = self.root.attach_new_node("head")
        self.head.set_pos(0, 0, HEAD_HEIGHT)
        face = self.head.attach_new_node(geometry.sphere(0.11))
        face.set_pos(0, 0, 0.06)
        face.set_color(*SKIN)
        cap = self.head.attach_new_node(geometry.cylinder(0.115, 0.06))
        cap.set_pos(0, 0.0, 0.13)
        cap.set_color(*UNIFORM)
        self.hands: dict[str, NodePath] = {}
        for hand, (x, y, z) in HANDS.items():
            node = self.root.attach_new_node(f"hand:{hand}")
            node.set_pos(x, y, z)
            palm = node.attach_new_node(geometry.sphere(0.045, rings=6, segments=8))
            palm.set_color(*SKIN)
            self.hands[hand] = node
        self.held: dict[str, tuple[str, NodePath | None]] = {"left": ("", None), "right": ("", None)}
        self.tag: NodePath | None = None
        text = TextNode(f"tag:{seat}")
        text.set_text(name or seat)
        text.set_align(TextNode.A_center)
        text.set_text_color(1, 1, 1, 1)
        text.set_card_color(0, 0, 0, 0.5)
        text.set_card_as_margin(0.1, 0.1, 0.05, 0.05)
        self.tag = self.root.attach_new_node(text)
        self.tag.set_scale(0.12)
        self.tag.set_pos(0, 0, 2.0)
        self.tag.set_billboard_point_eye()
        self.tag.set_light_off(1)
        self.show_tag(name_tag)
        self.away = ""

    def show_tag(self, on: bool) -> None:
        if self.tag is not None:
            (self.tag.show if on else self.tag.hide)()

    def update(self, o: OfficerView) -> None:
        self.root.set_pos(o.position[0], o.position[1], 0)
        self.root.set_h(o.heading)
        self.head.set_p(max(-60.0, min(60.0, o.pitch)))
        for (hand, tool), low in zip(o.hands.items(), o.low):
            shown, model = self.held[hand]
            if tool != shown:
                if model is not None:
                    model.remove_node()
                model = _tool_model(tool, self.hands[hand], side=1 if hand == "right" else -1) if tool else None
                self.held[hand] = (tool, model)
            x, y, z = HANDS[hand]
            self.hands[hand].set_pos(x, y, z - (LOW_DROP if low else 0.0))
            if model is not None:
                model.set_p(-40.0 if low else 0.0)
        if o.away != self.away:
            self.away = o.away
            if o.away:
                self.root.set_color_scale(0.55, 0.55, 0.55, 1)
            else:
                self.root.clear_color_scale()

    def destroy(self) -> None:
        self.root.remove_node()


class OfficerFigures:
    """Every officer of the snapshot but ``seat`` (the viewer's own, whose eyes the camera is)."""

    def __init__(self, parent: NodePath, seat: str = "officer:1", *, names: dict[str, str] | None = None,
                 name_tags: bool = False) -> None:
        self.parent = parent
        self.seat = seat
        self.names = dict(names or {})
        self.name_tags = name_tags
        self.figures: dict[str, OfficerFigure] = {}

    def show_tags(self, on: bool) -> None:
        self.name_tags = on
        for fig in self.figures.values():
            fig.show_tag(on)

    def update(self, snap: Snapshot) -> None:
        present = set()
        for o in snap.officers:
            if o.seat == self.seat:
                continue
            present.add(o.seat)
            fig = self.figures.get(o.seat)
            if fig is None:
                fig = self.figures[o.seat] = OfficerFigure(self.parent, o.seat, self.names.get(o.seat, ""),
                                                           name_tag=self.name_tags)
            fig.update(o)
        for seat in [s for s in self.figures if s not in present]:
            self.figures.pop(seat).destroy()

    def destroy(self) -> None:
        for fig in self.figures.values():
            fig.destroy()
        self.figures.clear()


def officer_names(records: Any) -> dict[str, str]:
    """Who trains at each seat, from journal records (``OfficerJoined.name``)."""
    return {r["officer"]: r.get("name", "") for r in records if r.get("type") == "OfficerJoined" and r.get("name")}
