"""The other officers in the 3D world: a simple figure in uniform colours for each officer on
scene but the one whose eyes the camera is (a partner officer the simulation drives, or
another trainee's officer). Reads only the snapshot's ``officers``; the asset manifest has no
uniformed character yet, so the placeholder figure wears navy with a peaked cap."""

from __future__ import annotations

import math

from panda3d.core import NodePath

from game.core.snapshot import Snapshot
from game.engine.world import geometry
from game.engine.world.figure import Appearance, Figure

#: Uniform colours: a navy shirt and trousers, black boots.
UNIFORM = Appearance(top=(0.08, 0.12, 0.28, 1.0), legs=(0.06, 0.08, 0.16, 1.0), shoes=(0.03, 0.03, 0.03, 1.0),
                     hair=(0.18, 0.13, 0.09, 1.0))
CAP = (0.05, 0.07, 0.16, 1.0)
#: How long an officer's line moves its head, when the words' length does not say.
TALK_SECONDS_PER_WORD = 0.35


class OfficerFigures:
    """One :class:`Figure` per officer on scene, except ``me`` (the camera's officer)."""

    def __init__(self, parent: NodePath, me: str = "officer:1") -> None:
        self.root = parent.attach_new_node("officers")
        self.me = me
        self.figures: dict[str, Figure] = {}
        self._last: dict[str, tuple[float, float]] = {}

    def _create(self, seat: str) -> Figure:
        fig = Figure(self.root, seat, UNIFORM)
        neck = fig.joints["neck"]
        cap = neck.attach_new_node(geometry.cylinder(0.125, 0.06, name="cap_mesh"))
        cap.set_pos(0, 0, 0.27)
        cap.set_color(*CAP)
        peak = neck.attach_new_node(geometry.box(0.2, 0.1, 0.015, name="peak_mesh", centred=True))
        peak.set_pos(0, 0.12, 0.275)
        peak.set_color(*CAP)
        self.figures[seat] = fig
        return fig

    def talk(self, seat: str, text: str) -> None:
        """An officer said something (``OfficerSaid``): its head moves while it speaks."""
        fig = self.figures.get(seat)
        if fig is not None:
            fig.talk(max(0.8, TALK_SECONDS_PER_WORD * len(text.split())))

    def update(self, snap: Snapshot, dt: float) -> None:
        """Places every other officer of ``snap``; one no longer in it is hidden."""
        seen = set()
        for o in snap.officers:
            if o.seat == self.me:
                continue
            seen.add(o.seat)
            fig = self.figures.get(o.seat) or self._create(o.seat)
            fig.root.show()
            last = self._last.get(o.seat, o.position)
            fig.set_motion(math.dist(last, o.position) / dt if dt > 0 else 0.0)
            self._last[o.seat] = o.position
            fig.root.set_pos(o.position[0], o.position[1], 0)
            fig.root.set_h(o.heading)
            fig.set_posture("relaxed")
            fig.update(dt)
        for seat, fig in self.figures.items():
            if seat not in seen:
                fig.root.hide()

    def destroy(self) -> None:
        for fig in self.figures.values():
            fig.destroy()
        self.root.remove_node()
