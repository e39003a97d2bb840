"""Where a sitting subject sits: the scene's seats (objects named bench, sofa, chair, seat,
stool, kerb, step ...), each seat the top of its flat boxes no higher than 0.7 m."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

#: Turn that makes a model facing this way face north (+y) at heading 0 (as the scene view turns it).
FORWARD_TURN = {"-y": 180.0, "+y": 0.0, "+x": 90.0, "-x": -90.0}

SEAT_NAMES = re.compile(r"bench|sofa|couch|chair|seat|stool|kerb|curb|step|bed", re.IGNORECASE)
REACH = 1.0  # metres: a seat this close to a sitting subject is where it sits


@dataclass(frozen=True)
class Seat:
    name: str
    centre: tuple[float, float]
    half: tuple[float, float]  # half extents along its own x and y
    heading: float  # degrees, as the scene gives it
    height: float  # metres: the seat's top

    def nearest(self, p: tuple[float, float]) -> tuple[float, float]:
        """The point of the seat's top nearest ``p`` (in the seat's footprint)."""
        a = math.radians(self.heading)
        c, s = math.cos(a), math.sin(a)
        dx, dy = p[0] - self.centre[0], p[1] - self.centre[1]
        lx, ly = dx * c + dy * s, -dx * s + dy * c
        lx = max(-self.half[0], min(self.half[0], lx))
        ly = max(-self.half[1], min(self.half[1], ly))
        return (self.centre[0] + lx * c - ly * s, self.centre[1] + lx * s + ly * c)


def _boxes(obj: Any, origin: tuple[float, float, float], heading: float) -> list[tuple[tuple[float, float, float], tuple[float, ...], float]]:
    a = math.radians(heading)
    c, s = math.cos(a), math.sin(a)
    x, y, z = obj.position
    pos = (origin[0] + x * c - y * s, origin[1] + x * s + y * c, origin[2] + z)
    h = heading + obj.heading
    if obj.shape == "group":
        return [b for part in obj.parts for b in _boxes(part, pos, h)]
    if obj.shape == "box" and abs(obj.pitch) < 5 and abs(obj.roll) < 5:
        return [(pos, obj.size, h)]
    if obj.shape == "asset" and obj.asset_seat is not None and abs(obj.pitch) < 5 and abs(obj.roll) < 5:
        # a prop's seat (its manifest entry), turned as the scene view turns the model
        height, (x0, y0), (x1, y1) = obj.asset_seat
        turn = h + FORWARD_TURN.get(obj.asset_forward, 180.0)
        a = math.radians(turn)
        c, s = math.cos(a), math.sin(a)
        k = obj.scale
        cx, cy = (x0 + x1) / 2 * k, (y0 + y1) / 2 * k
        centre = (pos[0] + cx * c - cy * s, pos[1] + cx * s + cy * c, pos[2])
        return [(centre, ((x1 - x0) * k, (y1 - y0) * k, height * k), turn)]
    return []


def scene_seats(scene: Any) -> list[Seat]:
    out = []
    for obj in getattr(scene, "objects", ()):
        if not SEAT_NAMES.search(obj.name or ""):
            continue
        best = None
        for pos, size, h in _boxes(obj, (0.0, 0.0, 0.0), 0.0):
            top = pos[2] + size[2]
            if 0.1 <= top <= 0.7 and size[0] * size[1] >= 0.25 and (best is None or top > best[0][2] + best[1][2]):
                best = (pos, size, h)
        if best is not None:
            pos, size, h = best
            out.append(Seat(obj.name, (pos[0], pos[1]), (size[0] / 2, size[1] / 2), h, pos[2] + size[2]))
    return out


def seat_for(seats: list[Seat], position: tuple[float, float]) -> tuple[Seat, tuple[float, float]] | None:
    """The seat within :data:`REACH` of ``position`` and the point on it, nearest first."""
    best = None
    for seat in seats:
        p = seat.nearest(position)
        d = math.dist(p, position)
        if d <= REACH and (best is None or d < best[0]):
            best = (d, seat, p)
    return None if best is None else (best[1], best[2])
