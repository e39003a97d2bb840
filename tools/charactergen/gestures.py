"""Gesture clips: what a subject's described action plays ("he taps his ear", "she signs").

Each is a one-shot of a few seconds: it moves in, holds (or repeats its motion) and returns
to the relaxed pose, so the engine can lay it over any standing posture. Angles follow
:mod:`charactergen.clips` (x swings a limb backward, negative forward; z lifts a left limb
outward, mirrored on the right; y twists).
"""

from __future__ import annotations

import math

from charactergen.clips import KNEEL, LYING_BACK, RELAXED, add, both, keys, pose, sit


def _hold(target, seconds: float, inout: float = 0.45):
    return lambda t: keys(t, [(0.0, RELAXED), (inout, target), (seconds - inout, target), (seconds, RELAXED)])


# Wrist targets found by a forward-kinematics search over the standard skeleton.
HANDS_ON_HEAD = pose(both("UpperArm", 0, 0, 150), both("LowerArm", -140, 0, 80), Head=(8, 0, 0))
COVER_FACE = pose(both("UpperArm", -90, 0, 10), both("LowerArm", -130, 0, -50), Head=(14, 0, 0), Spine=(6, 0, 0))
TAP_EAR = pose(RELAXED, RightUpperArm=(-80, 40, -40), RightLowerArm=(-150, 0, 20), Head=(0, 0, 8))
SHOW_PHONE = pose(RELAXED, RightUpperArm=(-30, 0, -6), RightLowerArm=(-70, 0, 0), RightHand=(0, 0, 0),
                  Head=(10, 0, 0))
REACH_POCKET = pose(RELAXED, RightUpperArm=(0, 0, 0), RightLowerArm=(-20, 0, 10), Chest=(0, -8, 0),
                    Head=(12, 0, 0))


def sign(t: float):
    """Signing: both hands in front of the chest, shaping and moving in turn."""
    a = 2 * math.pi * t / 0.9
    up = pose(LeftUpperArm=(-32 - 8 * math.sin(a), 0, 12), RightUpperArm=(-32 - 8 * math.sin(a + 2), 0, -12),
              LeftLowerArm=(-95 - 20 * math.sin(a + 1), -30 * math.sin(a), 0),
              RightLowerArm=(-95 - 20 * math.sin(a + 3), 30 * math.sin(a + 2), 0),
              LeftHand=(0, 0, 20 * math.sin(a * 1.5)), RightHand=(0, 0, -20 * math.sin(a * 1.5 + 1)))
    w = min(1.0, t / 0.4, (3.6 - t) / 0.4)
    return add(RELAXED, {k: (v[0] * w, v[1] * w, v[2] * w) for k, v in up.items()})


def sway(t: float):
    s = math.sin(2 * math.pi * t / 2.4)
    w = min(1.0, t / 0.5, (4.8 - t) / 0.5)
    return add(RELAXED, pose(Spine=(3 * w, 0, 6 * s * w), Hips=(0, 0, -4 * s * w), Head=(6 * w, 0, 7 * s * w),
                             LeftUpperArm=(0, 0, 4 * s * w), RightUpperArm=(0, 0, 4 * s * w),
                             root_t=(0.035 * s * w, -0.01 * w, 0.0)))


#: name: (seconds, pose sampler)
GESTURES = {
    "sign": (3.6, sign),
    "tap_ear": (2.4, _hold(TAP_EAR, 2.4)),
    "show_phone": (3.0, _hold(SHOW_PHONE, 3.0)),
    "hands_on_head": (3.0, _hold(HANDS_ON_HEAD, 3.0, 0.6)),
    "sway": (4.8, sway),
    "cover_face": (3.0, _hold(COVER_FACE, 3.0, 0.5)),
    "reach_pocket": (2.4, _hold(REACH_POCKET, 2.4, 0.5)),
    "kneel_down": (3.0, _hold(KNEEL, 3.0, 0.8)),
    "lie_down": (3.0, _hold(LYING_BACK, 3.0, 0.9)),
    "sit_down": (4.0, _hold(sit(0.0), 4.0, 0.8)),
}
