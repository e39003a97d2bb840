"""The trainee's hands in the world: two scene nodes that follow the controllers' grip poses.

Anything can be parented to :attr:`HandNodes.nodes` (``"left"``, ``"right"``): the held
tool's model, a glove. A hand the runtime does not track is stashed (hidden, and out of
the scene's bounds) until it is found again; nothing else changes.
"""

from __future__ import annotations

from typing import Any

from panda3d.core import LVector3f, NodePath

from game.core.events import HANDS
from game.xr.trainee import XrFrame


class HandNodes:
    """Hand anchors under ``parent`` (the world root: poses are world poses)."""

    def __init__(self, parent: NodePath) -> None:
        self.nodes = {hand: parent.attach_new_node(f"xr-hand:{hand}") for hand in HANDS}
        for node in self.nodes.values():
            node.stash()

    def update(self, frame: XrFrame) -> None:
        """Called once a frame: each tracked hand to its grip pose, each lost one stashed."""
        for hand, node in self.nodes.items():
            h = frame.hands.get(hand)
            pose = h.grip_pose if h is not None else None
            if pose is None:
                if not node.is_stashed():
                    node.stash()
                continue
            if node.is_stashed():
                node.unstash()
            node.set_pos(*pose.position)
            node.look_at(node.get_pos() + LVector3f(*pose.forward), LVector3f(*pose.up))

    def shown(self, hand: str) -> bool:
        return not self.nodes[hand].is_stashed()

    def destroy(self) -> None:
        for node in self.nodes.values():
            node.remove_node()

    def attach_tools(self, tools: Any) -> None:
        """Moves a :class:`~game.engine.world.tools_view.HeldTools`' hand anchors onto the tracked hands."""
        if hasattr(tools, "keep_in_front"):
            tools.keep_in_front(False)  # tracked hands are where they are, behind things or not
        for hand, anchor in tools.hands.items():
            anchor.reparent_to(self.nodes[hand])
            anchor.set_pos_hpr(0, 0, 0, 0, 0, 0)
