"""Bodies take up room: no subject stands inside the trainee.

After the subjects move each step, one that has come closer to the trainee than
:data:`PERSONAL_SPACE` (centre to centre) is put back on that circle, along the line between
them: it stops at the trainee (or is held off when the trainee walks into it) instead of
passing through. The radius keeps the trainee's eyes clear of the subject's head even in
its forward-leaning strike, and stays inside the unarmed reach, so attacks still land.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

PERSONAL_SPACE = 0.7  # metres between a subject's centre and the trainee's


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
