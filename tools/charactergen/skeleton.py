"""The skeleton in its rest pose, in glTF space: metres, +Y up, the character facing +Z,
so its left is +X. Joint names follow the common humanoid convention (Hips, Spine, ...,
LeftUpperArm ...) that Mixamo-style rigs also use, so the engine finds heads and hands
the same way in imported characters."""

from __future__ import annotations

#: (name, parent, rest position in model space). Parents come before children.
JOINTS: tuple[tuple[str, str | None, tuple[float, float, float]], ...] = (
    ("Root", None, (0.0, 0.0, 0.0)),
    ("Hips", "Root", (0.0, 0.98, 0.0)),
    ("Spine", "Hips", (0.0, 1.10, 0.0)),
    ("Chest", "Spine", (0.0, 1.30, 0.0)),
    ("Neck", "Chest", (0.0, 1.50, 0.0)),
    ("Head", "Neck", (0.0, 1.60, 0.01)),
    ("Jaw", "Head", (0.0, 1.60, 0.03)),
    ("LeftUpperArm", "Chest", (0.19, 1.45, 0.0)),
    ("LeftLowerArm", "LeftUpperArm", (0.21, 1.16, -0.01)),
    ("LeftHand", "LeftLowerArm", (0.22, 0.91, 0.01)),
    ("RightUpperArm", "Chest", (-0.19, 1.45, 0.0)),
    ("RightLowerArm", "RightUpperArm", (-0.21, 1.16, -0.01)),
    ("RightHand", "RightLowerArm", (-0.22, 0.91, 0.01)),
    ("LeftUpperLeg", "Hips", (0.095, 0.93, 0.0)),
    ("LeftLowerLeg", "LeftUpperLeg", (0.095, 0.51, 0.01)),
    ("LeftFoot", "LeftLowerLeg", (0.095, 0.09, -0.01)),
    ("RightUpperLeg", "Hips", (-0.095, 0.93, 0.0)),
    ("RightLowerLeg", "RightUpperLeg", (-0.095, 0.51, 0.01)),
    ("RightFoot", "RightLowerLeg", (-0.095, 0.09, -0.01)),
    ("LeftEye", "Head", (0.032, 1.715, 0.08)),
    ("RightEye", "Head", (-0.032, 1.715, 0.08)),
)

NAMES = tuple(j[0] for j in JOINTS)
BODY_NAMES = tuple(n for n in NAMES if not n.endswith("Eye"))  # the one-file humanoid has painted eyes
INDEX = {name: i for i, name in enumerate(NAMES)}
PARENT = {name: parent for name, parent, _ in JOINTS}
POSITION = {name: pos for name, _, pos in JOINTS}
HEIGHT = 1.78  # top of the head in the rest pose; variants scale the whole character


def local_offset(name: str) -> tuple[float, float, float]:
    """A joint's rest translation relative to its parent."""
    p = POSITION[name]
    parent = PARENT[name]
    if parent is None:
        return p
    q = POSITION[parent]
    return (p[0] - q[0], p[1] - q[1], p[2] - q[2])
