"""Bodies take up room: no subject stands inside an officer — it stops, pushes past or grapples.

After the subjects move each step, one that has come closer to an officer than
:data:`PERSONAL_SPACE` (centre to centre) is put back on that circle, along the line between
them: it stops at the officer (or is held off when the officer walks into it) instead of
passing through. The radius keeps the officer's eyes clear of the subject's head even in
its forward-leaning strike, and stays inside the unarmed reach, so attacks still land.

A subject whose behaviour wants past an officer who stands in its way does not stop there:

- **fleeing** (activity ``flee``) it *pushes past*: shoulder to shoulder
  (:data:`PASSING_SPACE`) it goes round the officer on the side its way lies, for
  :data:`PUSH_SECONDS` (``SubjectPushedPast``);
- **attacking someone else** (activity ``attack``, the officer not its target) it
  *grapples* the officer: it takes hold (:data:`GRAPPLE_SPACE`) and stays for
  :data:`GRAPPLE_SECONDS` (``SubjectGrappled``), then breaks through as if pushing past.
  It takes hold of the same officer again only after :data:`REGRAPPLE_SECONDS`.

An officer who is the attack's target is not in the way: the strike lands as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

PERSONAL_SPACE = 0.7  # metres between a subject's centre and an officer's
PASSING_SPACE = 0.5  # shoulder to shoulder, while pushing past
GRAPPLE_SPACE = 0.55  # holding on to the officer
PUSH_SECONDS = 1.5
GRAPPLE_SECONDS = 2.0
REGRAPPLE_SECONDS = 4.0
#: An officer is in the way when within this much of contact and ahead (cosine to the way).
CONTACT_SLACK = 0.1
AHEAD_COSINE = 0.2


def keep_apart(subjects: Iterable[Any], trainee: Any, radius: float = PERSONAL_SPACE) -> None:
    tx, ty = trainee.position
    for s in subjects:
        x, y = s.position
        dx, dy = x - tx, y - ty
        d = math.hypot(dx, dy)
        if d >= radius:
            continue
        if d < 1e-6:  # exactly on the trainee: step back the way the subject faces away
            a = math.radians(s.heading)
            dx, dy, d = math.sin(a), -math.cos(a), 1.0
        s.position = (tx + dx / d * radius, ty + dy / d * radius)


def in_the_way(position: tuple[float, float], way: tuple[float, float] | None,
               officer: tuple[float, float], radius: float = PERSONAL_SPACE) -> bool:
    """Whether ``officer`` stands in the way of a body at ``position`` walking toward ``way``:
    about at contact (``radius``) and ahead of it."""
    if way is None:
        return False
    ox, oy = officer[0] - position[0], officer[1] - position[1]
    d = math.hypot(ox, oy)
    mx, my = way[0] - position[0], way[1] - position[1]
    m = math.hypot(mx, my)
    if d > radius + CONTACT_SLACK or m < 1e-6 or d < 1e-9:
        return False
    return (mx * ox + my * oy) / (m * d) > AHEAD_COSINE


def shoulder_past(s: Any, officer: tuple[float, float], toward: tuple[float, float] | None,
                  radius: float, stride: float) -> None:
    """Puts ``s`` (closer than ``radius`` to ``officer``) back on that circle, ``stride``
    metres further round it on the side where ``toward`` lies: it goes round, not through."""
    ox, oy = officer
    dx, dy = s.position[0] - ox, s.position[1] - oy
    d = math.hypot(dx, dy)
    if d >= radius:
        return
    if d < 1e-6:
        a = math.radians(s.heading)
        dx, dy, d = math.sin(a), -math.cos(a), 1.0
    ux, uy = dx / d, dy / d
    side = 1.0
    if toward is not None:
        gx, gy = toward[0] - ox, toward[1] - oy
        side = 1.0 if (-uy * gx + ux * gy) >= 0.0 else -1.0
    a = side * min(stride / radius, 0.5)
    c, sn = math.cos(a), math.sin(a)
    ux, uy = ux * c - uy * sn, ux * sn + uy * c
    s.position = (ox + ux * radius, oy + uy * radius)
