"""Hand-held props a subject can show: a knife, a bat, a handgun, made from primitives.

Each is built under a hand joint's node (``Actor.expose_joint``), in the hand's frame
with the arm hanging: fingers toward -z, the character's front toward -y.
"""

from __future__ import annotations

from panda3d.core import NodePath

from game.engine.world import geometry


def weapon_prop(kind: str, hand: NodePath) -> NodePath:
    """The prop for ``kind`` (``knife``, ``bat``, ``firearm``; anything else: a dark stick)."""
    np = hand.attach_new_node(f"prop:{kind}")
    np.set_pos(0, -0.01, -0.085)
    if kind == "knife":
        grip = np.attach_new_node(geometry.box(0.022, 0.1, 0.028, centred=True))
        grip.set_color(0.1, 0.08, 0.06, 1)
        blade = np.attach_new_node(geometry.box(0.006, 0.17, 0.03, centred=True))
        blade.set_pos(0, -0.13, 0.0)
        blade.set_color(0.78, 0.8, 0.82, 1)
    elif kind == "bat":
        bat = np.attach_new_node(geometry.cylinder(0.03, 0.8, axis="y"))
        bat.set_pos(0, -0.3, 0)
        np.set_p(30)
        bat.set_color(0.62, 0.45, 0.26, 1)
    elif kind == "firearm":
        body = np.attach_new_node(geometry.box(0.03, 0.18, 0.04, centred=True))
        body.set_pos(0, -0.07, 0.02)
        body.set_color(0.1, 0.1, 0.11, 1)
        grip = np.attach_new_node(geometry.box(0.028, 0.045, 0.09, centred=True))
        grip.set_pos(0, 0.0, -0.02)
        grip.set_color(0.08, 0.08, 0.08, 1)
    else:
        stick = np.attach_new_node(geometry.cylinder(0.02, 0.4, axis="y"))
        stick.set_pos(0, -0.15, 0)
        stick.set_color(0.15, 0.15, 0.15, 1)
    return np
