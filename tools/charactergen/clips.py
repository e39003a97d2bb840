"""The standard clips, as poses over time.

Angles are degrees about the joint's own axes in glTF space (the character faces +Z, its
left is +X): ``x`` swings a hanging limb backward (negative: forward) and tips the spine
forward, ``y`` twists about the bone, ``z`` lifts a left limb outward (mirrored on the
right). ``Root`` may also move (``root_t``, metres) to kneel, sit or lie down.
Clips are sampled at :data:`FPS` so the glTF loader's interpolation never matters.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import pairwise

FPS = 30
Pose = dict[str, tuple[float, float, float]]

#: name: (seconds, loops). Loops end where they start; one-shots end in their final pose.
CLIPS: dict[str, tuple[float, bool]] = {
    "idle": (4.0, True), "idle_agitated": (2.0, True), "pace": (1.6, True), "walk": (1.1, True),
    "run": (0.72, True), "turn": (1.0, True), "talk": (2.4, True), "gesture": (1.6, False),
    "shout": (1.6, True), "hands_up": (2.0, True), "kneel": (3.0, True), "prone": (3.0, True),
    "sit": (4.0, True), "arms_crossed": (4.0, True), "fists": (1.5, True), "point": (2.0, True),
    "draw_weapon": (0.8, False), "attack": (0.9, False), "flinch": (0.6, False), "fall": (1.4, False),
    "collapse": (1.8, False),
}
STANDARD_CLIPS = tuple(CLIPS)


def both(part: str, x: float = 0.0, y: float = 0.0, z: float = 0.0) -> Pose:
    """The same rotation on the left and the mirrored one on the right."""
    return {f"Left{part}": (x, y, z), f"Right{part}": (x, -y, -z)}


def pose(*parts: Pose, **joints: tuple[float, float, float]) -> Pose:
    out: Pose = {}
    for p in parts:
        out.update(p)
    out.update(joints)
    return out


RELAXED = pose(both("UpperArm", 0, 0, 8), both("LowerArm", -12, 0, 0))
HANDS_UP = pose(both("UpperArm", -10, 0, 135), both("LowerArm", 0, 0, 35), both("Hand", 0, 0, 0))
FISTS = pose(both("UpperArm", -45, -20, 15), both("LowerArm", -110, 0, 0), Spine=(5, 0, 0),
             LeftUpperLeg=(-15, 0, 3), RightUpperLeg=(8, 0, -3), LeftLowerLeg=(15, 0, 0), RightLowerLeg=(12, 0, 0))
KNEEL = pose(HANDS_UP, both("LowerLeg", 90, 0, 0), both("Foot", 60, 0, 0), root_t=(0.0, -0.45, 0.0))
LYING_BACK = pose(both("UpperArm", 0, 0, 55), both("LowerArm", -20, 0, 0), both("UpperLeg", -8, 0, 6),
                  both("LowerLeg", 12, 0, 0), Root=(-90, 0, 0), Head=(0, 25, 0), root_t=(0.0, 0.12, 0.95))
LYING_SIDE = pose(both("UpperArm", -40, 0, 10), both("LowerArm", -30, 0, 0), both("UpperLeg", -35, 0, 0),
                  both("LowerLeg", 50, 0, 0), Root=(0, 0, 90), Spine=(10, 0, 0), Head=(15, 0, -10),
                  root_t=(0.95, 0.14, 0.0))


def smooth(t: float) -> float:
    t = min(1.0, max(0.0, t))
    return t * t * (3 - 2 * t)


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """Joint angles (and root offset) part way from ``a`` to ``b``; missing joints are 0."""
    out: Pose = {}
    for k in sorted(set(a) | set(b)):
        va, vb = a.get(k, (0.0, 0.0, 0.0)), b.get(k, (0.0, 0.0, 0.0))
        out[k] = (va[0] + (vb[0] - va[0]) * t, va[1] + (vb[1] - va[1]) * t, va[2] + (vb[2] - va[2]) * t)
    return out


def keys(t: float, frames: list[tuple[float, Pose]]) -> Pose:
    """Eases between key poses at the given times (held before the first and after the last)."""
    if t <= frames[0][0]:
        return frames[0][1]
    for (t0, p0), (t1, p1) in pairwise(frames):
        if t <= t1:
            return blend(p0, p1, smooth((t - t0) / (t1 - t0)))
    return frames[-1][1]


def add(base: Pose, extra: Pose) -> Pose:
    out = dict(base)
    for k, v in extra.items():
        b = out.get(k, (0.0, 0.0, 0.0))
        out[k] = (b[0] + v[0], b[1] + v[1], b[2] + v[2])
    return out


def _gait(t: float, period: float, stride: float, knee: float, elbow: float, lean: float, bob: float) -> Pose:
    a = 2 * math.pi * t / period
    s, c = math.sin(a), math.cos(a)
    return pose(
        LeftUpperLeg=(-stride * s, 0, 0), RightUpperLeg=(stride * s, 0, 0),
        LeftLowerLeg=(knee * max(0.0, -math.sin(a - 0.6)) + 5, 0, 0),
        RightLowerLeg=(knee * max(0.0, math.sin(a - 0.6)) + 5, 0, 0),
        LeftFoot=(-8 * s, 0, 0), RightFoot=(8 * s, 0, 0),
        LeftUpperArm=(stride * 0.8 * s, 0, 8), RightUpperArm=(-stride * 0.8 * s, 0, -8),
        LeftLowerArm=(-elbow, 0, 0), RightLowerArm=(-elbow, 0, 0),
        Spine=(lean, 3 * s, 0), Chest=(0, -5 * s, 0), Hips=(0, 4 * s, 0),
        root_t=(0.0, bob * abs(c) - bob, 0.0),
    )


def _periodic(t: float, period: float, phase: float = 0.0) -> float:
    return math.sin(2 * math.pi * t / period + phase)


def idle(t: float) -> Pose:
    return add(RELAXED, pose(Chest=(1.5 * _periodic(t, 4), 0, 0), Spine=(0, 0, 1.2 * _periodic(t, 4, 1)),
                             Hips=(0, 0, -1.5 * _periodic(t, 4, 1)), Head=(0, 4 * _periodic(t, 4, 2), 0),
                             LeftUpperArm=(1.5 * _periodic(t, 4), 0, 0), RightUpperArm=(-1.5 * _periodic(t, 4), 0, 0)))


def idle_agitated(t: float) -> Pose:
    s = _periodic(t, 2)
    return pose(both("UpperArm", -15, -10, 14), both("LowerArm", -45 - 10 * _periodic(t, 1), 0, 0),
                Spine=(6, 5 * s, 2 * s), Chest=(3, 0, 0), Hips=(0, -6 * s, -3 * s), Head=(-4, 12 * _periodic(t, 2, 1), 0),
                LeftUpperLeg=(0, 0, 2 + 2 * s), RightUpperLeg=(0, 0, -2 + 2 * s), root_t=(0.03 * s, 0, 0))


def talk(t: float) -> Pose:
    s = _periodic(t, 2.4)
    return add(RELAXED, pose(RightUpperArm=(-18 - 8 * _periodic(t, 1.2), 0, -5), RightLowerArm=(-45 - 15 * s, -20, 0),
                             LeftUpperArm=(-6 * _periodic(t, 2.4, 2), 0, 0), LeftLowerArm=(-10 * _periodic(t, 1.2, 1), 0, 0),
                             Head=(4 * _periodic(t, 0.8), 5 * s, 0), Jaw=(8 + 8 * _periodic(t, 0.3), 0, 0),
                             Chest=(2 * s, 3 * s, 0)))


def shout(t: float) -> Pose:
    s = _periodic(t, 1.6)
    return pose(both("UpperArm", -35 - 8 * s, 0, 25), both("LowerArm", -45 + 10 * s, 0, 0),
                Spine=(8 + 3 * s, 0, 0), Chest=(6, 0, 0), Head=(-10, 0, 0), Jaw=(20 + 6 * _periodic(t, 0.4), 0, 0),
                LeftUpperLeg=(-10, 0, 0), LeftLowerLeg=(10, 0, 0))


def _loop_pose(base: Pose, period: float, breath: float = 1.5) -> Callable[[float], Pose]:
    return lambda t: add(base, pose(Chest=(breath * _periodic(t, period), 0, 0), Head=(0, 3 * _periodic(t, period, 1), 0)))


def turn(t: float) -> Pose:
    a = 2 * math.pi * t
    return add(RELAXED, pose(LeftUpperLeg=(-20 * max(0.0, math.sin(a)), 0, 0), LeftLowerLeg=(35 * max(0.0, math.sin(a)), 0, 0),
                             RightUpperLeg=(-20 * max(0.0, -math.sin(a)), 0, 0),
                             RightLowerLeg=(35 * max(0.0, -math.sin(a)), 0, 0), Spine=(0, 8 * math.sin(a), 0)))


def sit(t: float) -> Pose:
    return add(pose(both("UpperLeg", -110, 0, 8), both("LowerLeg", 55, 0, 0), both("Foot", -20, 0, 0),
                    both("UpperArm", -50, 0, 10), both("LowerArm", -35, 0, 0),
                    Spine=(12, 0, 0), Chest=(5, 0, 0), Head=(-10, 0, 0), root_t=(0.0, -0.88, -0.1)),
               pose(Chest=(1.5 * _periodic(t, 4), 0, 0)))


def prone(t: float) -> Pose:
    return add(pose(both("UpperArm", 0, 0, 80), both("LowerArm", 0, 0, 30), both("UpperLeg", 0, 0, 6),
                    Root=(90, 0, 0), Head=(-20, 55, 0), root_t=(0.0, 0.12, -0.9)),
               pose(Chest=(1.0 * _periodic(t, 3), 0, 0)))


#: Forearms folded across the lower chest, the left over the right, each hand by the other
#: elbow: angles found by a forward-kinematics search (charactergen.posing) for elbows
#: forward at the sides and forearms clear of every look's torso (tests/test_characters.py).
ARMS_CROSSED = pose(LeftUpperArm=(-14, -80, 32), RightUpperArm=(-1, 99, -34), LeftLowerArm=(-74, 5, 0),
                    RightLowerArm=(-61, -22, 0), LeftHand=(-20, 0, -20), RightHand=(-20, 0, 20), Spine=(-2, 0, 0))
POINT = pose(RELAXED, RightUpperArm=(-85, 0, -6), RightLowerArm=(-5, 0, 0), Chest=(0, -8, 0))


def gesture(t: float) -> Pose:
    up = pose(RELAXED, RightUpperArm=(-55, 0, -18), RightLowerArm=(-35, -40, 0), Head=(5, 0, 0))
    return keys(t, [(0.0, RELAXED), (0.4, up), (1.1, up), (1.6, RELAXED)])


def draw_weapon(t: float) -> Pose:
    reach = pose(RELAXED, RightUpperArm=(20, 0, -22), RightLowerArm=(-70, 0, 0), Chest=(0, -10, 0))
    out = pose(RELAXED, RightUpperArm=(-60, 0, -6), RightLowerArm=(-25, 0, 0))
    return keys(t, [(0.0, RELAXED), (0.35, reach), (0.8, out)])


def attack(t: float) -> Pose:
    wind = pose(FISTS, RightUpperArm=(-125, 0, -35), RightLowerArm=(-60, 0, 0), Spine=(0, 18, 0))
    strike = pose(FISTS, RightUpperArm=(-45, 0, -5), RightLowerArm=(-10, 0, 0), Spine=(15, -18, 0),
                  LeftUpperLeg=(-30, 0, 3), LeftLowerLeg=(25, 0, 0), root_t=(0.0, -0.03, 0.15))
    return keys(t, [(0.0, FISTS), (0.3, wind), (0.5, strike), (0.9, FISTS)])


def flinch(t: float) -> Pose:
    guard = pose(both("UpperArm", -70, -30, 20), both("LowerArm", -120, 0, 0), Head=(20, 0, 0), Spine=(-8, 0, 0),
                 root_t=(0.0, -0.03, -0.06))
    return keys(t, [(0.0, RELAXED), (0.12, guard), (0.35, guard), (0.6, RELAXED)])


def fall(t: float) -> Pose:
    stagger = pose(both("UpperArm", -30, 0, 40), both("LowerArm", -30, 0, 0), both("UpperLeg", -20, 0, 0),
                   both("LowerLeg", 30, 0, 0), Spine=(-15, 0, 0), root_t=(0.0, -0.1, -0.2))
    sitting = pose(stagger, Root=(-40, 0, 0), root_t=(0.0, -0.35, 0.3))
    return keys(t, [(0.0, RELAXED), (0.35, stagger), (0.8, sitting), (1.25, LYING_BACK), (1.4, LYING_BACK)])


def collapse(t: float) -> Pose:
    slump = pose(both("UpperArm", 5, 0, 5), both("LowerArm", -5, 0, 0), both("UpperLeg", 0, 0, 3),
                 both("LowerLeg", 85, 0, 0), both("Foot", 40, 0, 0), Spine=(25, 0, 0), Head=(35, 0, 0),
                 root_t=(0.0, -0.45, 0.0))
    return keys(t, [(0.0, RELAXED), (0.6, slump), (1.5, LYING_SIDE), (1.8, LYING_SIDE)])


SAMPLERS: dict[str, Callable[[float], Pose]] = {
    "idle": idle,
    "idle_agitated": idle_agitated,
    "pace": lambda t: add(_gait(t, 1.6, 16, 25, 50, 6, 0.015), pose(Head=(10, 0, 0))),
    "walk": lambda t: _gait(t, 1.1, 24, 40, 15, 2, 0.025),
    "run": lambda t: _gait(t, 0.72, 42, 95, 85, 12, 0.05),
    "turn": turn,
    "talk": talk,
    "gesture": gesture,
    "shout": shout,
    "hands_up": _loop_pose(HANDS_UP, 2.0),
    "kneel": _loop_pose(KNEEL, 3.0),
    "prone": prone,
    "sit": sit,
    "arms_crossed": _loop_pose(ARMS_CROSSED, 4.0),
    "fists": lambda t: add(FISTS, pose(root_t=(0.0, 0.015 * _periodic(t, 0.75), 0.0), Chest=(0, 4 * _periodic(t, 1.5), 0))),
    "point": _loop_pose(POINT, 2.0, breath=1.0),
    "draw_weapon": draw_weapon,
    "attack": attack,
    "flinch": flinch,
    "fall": fall,
    "collapse": collapse,
}


def frames(name: str) -> list[Pose]:
    """The clip sampled at :data:`FPS`, first to last frame inclusive."""
    seconds, _ = CLIPS[name]
    n = max(1, round(seconds * FPS))
    return [SAMPLERS[name](i / FPS) for i in range(n + 1)]


# The gestures a described action plays (charactergen/gestures.py); written after the standard clips.
from charactergen.gestures import GESTURES  # noqa: E402

for _name, (_seconds, _sampler) in GESTURES.items():
    CLIPS[_name] = (_seconds, False)
    SAMPLERS[_name] = _sampler
GESTURE_CLIPS = tuple(GESTURES)


# Bodies meeting (game.core.presence): the engine plays these on SubjectPushedPast / SubjectGrappled.
def push(t: float) -> Pose:
    """Shoulders past: the leading shoulder turned in, both forearms up to shove, then through."""
    shove = pose(LeftUpperArm=(-70, 0, 20), LeftLowerArm=(-60, 0, 0), RightUpperArm=(-55, 0, -10),
                 RightLowerArm=(-80, 0, 0), Spine=(12, 25, 0), Chest=(0, 10, 0), Head=(5, -20, 0),
                 LeftUpperLeg=(-25, 0, 3), LeftLowerLeg=(20, 0, 0), root_t=(0.0, -0.03, 0.08))
    return keys(t, [(0.0, RELAXED), (0.25, shove), (0.6, shove), (0.9, RELAXED)])


def grapple(t: float) -> Pose:
    """Takes hold: both arms out at shoulder height to grip the officer's jacket, leaning in and
    pulling, then lets go."""
    hold = pose(both("UpperArm", -80, 0, 12), both("LowerArm", -45, 0, 0), both("Hand", 20, 0, 0),
                Spine=(18, 0, 0), Head=(-8, 0, 0), LeftUpperLeg=(-20, 0, 4), LeftLowerLeg=(25, 0, 0),
                RightUpperLeg=(10, 0, -3), root_t=(0.0, -0.04, 0.06))
    tug = add(hold, pose(both("LowerArm", -20, 0, 0), Spine=(-6, 8, 0), root_t=(0.0, 0.0, -0.05)))
    return keys(t, [(0.0, RELAXED), (0.3, hold), (0.8, tug), (1.2, hold), (1.6, tug), (1.75, hold), (2.0, RELAXED)])


CONTACT = {"push": (0.9, push), "grapple": (2.0, grapple)}
for _name, (_seconds, _sampler) in CONTACT.items():
    CLIPS[_name] = (_seconds, False)
    SAMPLERS[_name] = _sampler
CONTACT_CLIPS = tuple(CONTACT)
ALL_CLIPS = STANDARD_CLIPS + GESTURE_CLIPS + CONTACT_CLIPS
