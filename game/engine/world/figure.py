"""The placeholder humanoid: a jointed figure from primitives whose posture follows the
subject's state, blended smoothly, with a walk cycle, head tracking and a talking nod.

Real rigged characters (glTF Actors) replace it in the asset issue; they take the
same calls: ``set_posture``, ``set_motion``, ``look_at``, ``talk`` and ``update``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from panda3d.core import NodePath

from game.engine.world import geometry

HPR = tuple[float, float, float]

#: Joint angles (heading, pitch, roll) per posture. P+ swings a hanging limb forward;
#: R+ swings it toward -x (the figure's left). Missing joints are (0, 0, 0).
POSES: dict[str, dict[str, HPR]] = {
    "relaxed": {"l_shoulder": (0, 4, 7), "r_shoulder": (0, 4, -7), "l_elbow": (0, 12, 0), "r_elbow": (0, 12, 0)},
    "arms_crossed": {
        "l_shoulder": (-55, 25, -4), "r_shoulder": (55, 25, 4),
        "l_elbow": (0, 105, 0), "r_elbow": (0, 100, 0), "spine": (0, 3, 0),
    },
    "agitated": {
        "l_shoulder": (0, 22, 14), "r_shoulder": (0, 22, -14), "l_elbow": (0, 50, 0), "r_elbow": (0, 50, 0),
        "spine": (0, -8, 0), "neck": (0, -6, 0),
    },
    "fists": {
        "l_shoulder": (-15, 55, 12), "r_shoulder": (15, 55, -12), "l_elbow": (0, 105, 0), "r_elbow": (0, 105, 0),
        "spine": (0, -10, 0), "l_hip": (0, 12, 4), "r_hip": (0, -6, -4), "l_knee": (0, -20, 0), "r_knee": (0, -10, 0),
        "pelvis": (0, 0, 0),
    },
    "hands_up": {
        "l_shoulder": (0, 160, 28), "r_shoulder": (0, 160, -28), "l_elbow": (0, 20, 0), "r_elbow": (0, 20, 0),
    },
    "kneeling": {
        "l_hip": (0, 0, 0), "r_hip": (0, 0, 0), "l_knee": (0, -90, 0), "r_knee": (0, -90, 0),
        "l_shoulder": (0, 150, 30), "r_shoulder": (0, 150, -30), "l_elbow": (0, 20, 0), "r_elbow": (0, 20, 0),
    },
    "sitting": {
        "l_hip": (0, 80, 6), "r_hip": (0, 80, -6), "l_knee": (0, -115, 0), "r_knee": (0, -115, 0),
        "spine": (0, -12, 0), "l_shoulder": (0, 25, 8), "r_shoulder": (0, 25, -8), "l_elbow": (0, 50, 0), "r_elbow": (0, 50, 0),
    },
    "prone": {
        "pelvis": (0, -90, 0), "l_shoulder": (0, 175, 20), "r_shoulder": (0, 175, -20), "neck": (0, 25, 0),
    },
    "running": {
        "spine": (0, -16, 0), "l_elbow": (0, 85, 0), "r_elbow": (0, 85, 0),
        "l_shoulder": (0, 10, 10), "r_shoulder": (0, 10, -10),
    },
    "attacking": {
        "spine": (0, -20, 0), "r_shoulder": (0, 88, -4), "r_elbow": (0, 8, 0),
        "l_shoulder": (-20, 55, 10), "l_elbow": (0, 100, 0),
    },
}

#: Height of the hip joint above the ground, per posture (standing when missing).
PELVIS_HEIGHT = {"kneeling": 0.52, "sitting": 0.2, "prone": 0.14, "fists": 0.92}

STANDING_PELVIS = 0.95
BLEND_SECONDS = 0.25  # time constant of posture blending
STRIDE = 1.4  # metres per full walk cycle


@dataclass(frozen=True, slots=True)
class Appearance:
    skin: tuple[float, float, float, float] = (0.78, 0.6, 0.48, 1.0)
    top: tuple[float, float, float, float] = (0.45, 0.12, 0.12, 1.0)
    legs: tuple[float, float, float, float] = (0.16, 0.22, 0.36, 1.0)
    shoes: tuple[float, float, float, float] = (0.08, 0.08, 0.08, 1.0)
    hair: tuple[float, float, float, float] = (0.12, 0.09, 0.06, 1.0)
    height: float = 1.78


class Figure:
    """A humanoid built under ``parent``. Call :meth:`update` once per rendered frame."""

    def __init__(self, parent: NodePath, name: str, appearance: Appearance = Appearance()) -> None:
        self.root = parent.attach_new_node(f"figure:{name}")
        scale = appearance.height / 1.78
        self.body = self.root.attach_new_node("body")
        self.body.set_scale(scale)
        self.joints: dict[str, NodePath] = {}
        self._build(appearance)
        self.posture = "relaxed"
        self.current: dict[str, list[float]] = {j: [0.0, 0.0, 0.0] for j in self.joints}
        self.pelvis_z = STANDING_PELVIS
        self.speed = 0.0
        self.phase = 0.0
        self.look_heading = 0.0  # relative to the body, degrees
        self.talk_left = 0.0
        self.update(10.0)  # settle into the first posture at once

    def _limb(self, parent: NodePath, joint: str, pos: tuple[float, float, float], length: float,
              width: float, color: tuple[float, float, float, float]) -> NodePath:
        np = parent.attach_new_node(joint)
        np.set_pos(*pos)
        seg = np.attach_new_node(geometry.box(width, width * 0.9, length, name=f"{joint}_mesh"))
        seg.set_pos(0, 0, -length)
        seg.set_color(*color)
        self.joints[joint] = np
        return np

    def _build(self, a: Appearance) -> None:
        pelvis = self.body.attach_new_node("pelvis")
        pelvis.set_z(STANDING_PELVIS)
        self.joints["pelvis"] = pelvis
        hips = pelvis.attach_new_node(geometry.box(0.36, 0.22, 0.16, name="hips_mesh", centred=True))
        hips.set_color(*a.legs)
        spine = pelvis.attach_new_node("spine")
        spine.set_z(0.05)
        self.joints["spine"] = spine
        torso = spine.attach_new_node(geometry.box(0.42, 0.24, 0.52, name="torso_mesh"))
        torso.set_color(*a.top)
        neck = spine.attach_new_node("neck")
        neck.set_z(0.54)
        self.joints["neck"] = neck
        neck_mesh = neck.attach_new_node(geometry.cylinder(0.05, 0.08, name="neck_mesh"))
        neck_mesh.set_color(*a.skin)
        head = neck.attach_new_node(geometry.sphere(0.115, name="head_mesh"))
        head.set_pos(0, 0.01, 0.19)
        head.set_scale(0.9, 1.0, 1.1)
        head.set_color(*a.skin)
        hair = neck.attach_new_node(geometry.sphere(0.118, name="hair_mesh"))
        hair.set_pos(0, -0.015, 0.225)
        hair.set_scale(0.92, 1.0, 0.85)
        hair.set_color(*a.hair)
        nose = neck.attach_new_node(geometry.box(0.03, 0.05, 0.05, name="nose_mesh", centred=True))
        nose.set_pos(0, 0.115, 0.18)
        nose.set_color(*a.skin)
        for side, x in (("l", -0.24), ("r", 0.24)):
            shoulder = self._limb(spine, f"{side}_shoulder", (x, 0, 0.49), 0.3, 0.1, a.top)
            elbow = self._limb(shoulder, f"{side}_elbow", (0, 0, -0.3), 0.26, 0.085, a.top)
            hand = elbow.attach_new_node(geometry.box(0.08, 0.05, 0.1, name=f"{side}_hand_mesh"))
            hand.set_pos(0, 0, -0.36)
            hand.set_color(*a.skin)
        for side, x in (("l", -0.1), ("r", 0.1)):
            hip = self._limb(pelvis, f"{side}_hip", (x, 0, -0.02), 0.45, 0.15, a.legs)
            knee = self._limb(hip, f"{side}_knee", (0, 0, -0.45), 0.44, 0.12, a.legs)
            foot = knee.attach_new_node(geometry.box(0.11, 0.26, 0.07, name=f"{side}_foot_mesh"))
            foot.set_pos(0, 0.06, -0.5)
            foot.set_color(*a.shoes)

    # ------------------------------------------------------------------ control

    def set_posture(self, posture: str) -> None:
        """Called when the subject's posture changes; the figure blends into it."""
        self.posture = posture if posture in POSES else "relaxed"

    def set_motion(self, speed: float) -> None:
        """Called each frame with the subject's ground speed (m/s) for the walk cycle."""
        self.speed = speed

    def look_at(self, relative_heading: float) -> None:
        """Turns the head toward a heading relative to the body (clamped to what a neck does)."""
        self.look_heading = max(-70.0, min(70.0, relative_heading))

    def talk(self, seconds: float = 1.6) -> None:
        """Called when the subject says a line: the head moves while it speaks."""
        self.talk_left = seconds

    def update(self, dt: float) -> None:
        """Called once per frame: blends the joints toward the posture and animates motion."""
        target = POSES[self.posture]
        k = 1.0 - math.exp(-dt / BLEND_SECONDS)
        overlay = self._walk_overlay(dt)
        for name, np in self.joints.items():
            goal = target.get(name, (0.0, 0.0, 0.0))
            cur = self.current[name]
            for i in range(3):
                cur[i] += (goal[i] - cur[i]) * k
            extra = overlay.get(name)
            h, p, r = cur
            if extra:
                h, p, r = h + extra[0], p + extra[1], r + extra[2]
            np.set_hpr(h, p, r)
        z_goal = PELVIS_HEIGHT.get(self.posture, STANDING_PELVIS)
        self.pelvis_z += (z_goal - self.pelvis_z) * k
        bob = 0.03 * abs(math.sin(self.phase)) if self.speed > 0.1 else 0.0
        self.joints["pelvis"].set_z(self.pelvis_z + bob)

    def _walk_overlay(self, dt: float) -> dict[str, HPR]:
        out: dict[str, HPR] = {}
        neck_p = 0.0
        if self.talk_left > 0.0:
            self.talk_left -= dt
            neck_p = 6.0 * math.sin(self.talk_left * 9.0)
        out["neck"] = (self.look_heading, neck_p, 0.0)
        if self.speed > 0.1:
            self.phase = (self.phase + 2.0 * math.pi * self.speed * dt / STRIDE) % (2.0 * math.pi)
            amp = min(40.0, 14.0 + self.speed * 7.0)
            s = math.sin(self.phase)
            out["l_hip"] = (0.0, amp * s, 0.0)
            out["r_hip"] = (0.0, -amp * s, 0.0)
            out["l_knee"] = (0.0, -amp * 0.9 * max(0.0, -s), 0.0)
            out["r_knee"] = (0.0, -amp * 0.9 * max(0.0, s), 0.0)
            if self.posture not in ("attacking", "hands_up"):
                out["l_shoulder"] = (0.0, -amp * 0.7 * s, 0.0)
                out["r_shoulder"] = (0.0, amp * 0.7 * s, 0.0)
        return out

    def destroy(self) -> None:
        self.root.remove_node()
