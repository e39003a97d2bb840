"""Which cameras draw what: Panda3D camera-mask bits shared by the desk, the instructor's
monitor, the replay and the headset's eyes.

A camera draws a node when one of the camera's bits is among the node's shown bits.

- ``INSTRUCTOR_BIT``: the instructor's cameras (the subject's eyes, the free camera) and the
  overhead camera see the officer's figure and the ground discs; the trainee's never do.
- ``WITNESS_BIT``: the review's witness camera alone (its figure of the trainee); the trainee's
  hands and tools are hidden from it.
- ``OVERHEAD_BIT``: the overhead camera alone. Scene objects marked ``ceiling: true`` (a room's
  ceiling, a roof) are hidden from it, so it looks into a room from above.
"""

from __future__ import annotations

from panda3d.core import BitMask32, PandaNode

INSTRUCTOR_BIT = 20
OVERHEAD_BIT = 21
#: The review's witness camera (game.engine.witness) alone: its own figure of the trainee.
WITNESS_BIT = 22


def trainee_mask(mask: BitMask32 | None = None) -> BitMask32:
    """``mask`` (default: every camera bit) without the instructor's and the overhead camera's bits:
    what the trainee's eyes — the desk camera, the headset's eyes, the mirror inset — draw with."""
    base = PandaNode.get_all_camera_mask() if mask is None else mask
    return base & ~BitMask32.bit(INSTRUCTOR_BIT) & ~BitMask32.bit(OVERHEAD_BIT) & ~BitMask32.bit(WITNESS_BIT)


def overhead_mask() -> BitMask32:
    return BitMask32.bit(OVERHEAD_BIT)


def instructor_mask() -> BitMask32:
    return BitMask32.bit(INSTRUCTOR_BIT)
