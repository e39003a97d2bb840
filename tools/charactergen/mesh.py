"""Skinned low-poly primitives (tubes, ellipsoids, boxes) that build the body pieces.

Every vertex carries up to four (joint, weight) pairs. Rings near a joint share their
weight between the two bones, so elbows and knees bend without tearing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from charactergen.skeleton import INDEX

Weights = tuple[tuple[str, float], ...]
Vec = tuple[float, float, float]


@dataclass
class MeshBuilder:
    """One glTF mesh (a node): positions, normals, skin joints and weights, triangles."""

    name: str
    positions: list[Vec] = field(default_factory=list)
    normals: list[Vec] = field(default_factory=list)
    joints: list[tuple[int, int, int, int]] = field(default_factory=list)
    weights: list[tuple[float, float, float, float]] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)

    def add(self, p: Vec, n: Vec, w: Weights) -> int:
        length = math.sqrt(n[0] ** 2 + n[1] ** 2 + n[2] ** 2) or 1.0
        self.positions.append((round(p[0], 5), round(p[1], 5), round(p[2], 5)))
        self.normals.append((n[0] / length, n[1] / length, n[2] / length))
        pairs = sorted(w, key=lambda jw: -jw[1])[:4]
        total = sum(x for _, x in pairs)
        j = [INDEX[name] for name, _ in pairs] + [0] * (4 - len(pairs))
        ws = [x / total for _, x in pairs] + [0.0] * (4 - len(pairs))
        self.joints.append((j[0], j[1], j[2], j[3]))
        self.weights.append((ws[0], ws[1], ws[2], ws[3]))
        return len(self.positions) - 1

    def tri(self, a: int, b: int, c: int) -> None:
        pa, pb, pc = self.positions[a], self.positions[b], self.positions[c]
        if pa == pb or pb == pc or pa == pc:
            return  # a pole of an ellipsoid: no area, leave it out
        self.indices += [a, b, c]

    def quad(self, a: int, b: int, c: int, d: int) -> None:
        self.tri(a, b, c)
        self.tri(a, c, d)


def lerp3(a: Vec, b: Vec, t: float) -> Vec:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def tube(m: MeshBuilder, rings: list[tuple[Vec, float, float, Weights]], sides: int = 10,
         cap_start: bool = True, cap_end: bool = True) -> None:
    """A closed tube through ``rings`` (centre, x radius, z radius, weights), each ring an
    ellipse in the horizontal plane (limbs and torso are upright in the rest pose).
    Rings go top to bottom or bottom to top; the winding follows so faces point outward."""
    downward = rings[-1][0][1] < rings[0][0][1]
    idx = []
    for centre, rx, rz, w in rings:
        row = []
        for s in range(sides):
            a = 2 * math.pi * s / sides
            c, si = math.cos(a), math.sin(a)
            p = (centre[0] + rx * c, centre[1], centre[2] + rz * si)
            row.append(m.add(p, (c / max(rx, 1e-4), 0.0, si / max(rz, 1e-4)), w))
        idx.append(row)
    for r in range(len(rings) - 1):
        for s in range(sides):
            a, b = idx[r][s], idx[r][(s + 1) % sides]
            c, d = idx[r + 1][(s + 1) % sides], idx[r + 1][s]
            if downward:
                m.quad(a, b, c, d)
            else:
                m.quad(a, d, c, b)
    for at, is_end in ((0, False), (-1, True)):
        if (is_end and not cap_end) or (not is_end and not cap_start):
            continue
        centre, rx, rz, w = rings[at]
        up = (rings[at][0][1] > rings[-1 - at if at == 0 else 0][0][1])
        n = (0.0, 1.0 if up else -1.0, 0.0)
        mid = m.add(centre, n, w)
        ring = [m.add((centre[0] + rx * math.cos(2 * math.pi * s / sides), centre[1],
                       centre[2] + rz * math.sin(2 * math.pi * s / sides)), n, w) for s in range(sides)]
        for s in range(sides):
            a, b = ring[s], ring[(s + 1) % sides]
            if up:
                m.tri(mid, b, a)
            else:
                m.tri(mid, a, b)


def limb(m: MeshBuilder, start: Vec, end: Vec, profile: list[tuple[float, float, float, Weights]],
         sides: int = 10) -> None:
    """A tube along the straight line ``start`` → ``end``: ``profile`` gives (t, x radius,
    z radius, weights) at fractions ``t`` of the way."""
    tube(m, [(lerp3(start, end, t), rx, rz, w) for t, rx, rz, w in profile], sides)


def ellipsoid(m: MeshBuilder, centre: Vec, radii: Vec, w: Weights, *, rings: int = 7, segments: int = 12,
              polar: tuple[float, float] = (0.0, 180.0), skip_front: float = 0.0) -> None:
    """An ellipsoid, or the band of it between two polar angles (degrees from the top: a
    cap of hair, a hat). ``skip_front`` leaves out that many degrees either side of +z
    (a balding fringe). Open edges stay open; the head underneath fills them."""
    p0, p1 = math.radians(polar[0]), math.radians(polar[1])
    rows = []
    for r in range(rings + 1):
        phi = p0 + (p1 - p0) * r / rings
        row = []
        for s in range(segments + 1):
            theta = 2 * math.pi * s / segments
            n = (math.sin(phi) * math.sin(theta), math.cos(phi), math.sin(phi) * math.cos(theta))
            p = (centre[0] + radii[0] * n[0], centre[1] + radii[1] * n[1], centre[2] + radii[2] * n[2])
            row.append(m.add(p, (n[0] / radii[0], n[1] / radii[1], n[2] / radii[2]), w))
        rows.append(row)
    for r in range(rings):
        for s in range(segments):
            theta = 2 * math.pi * (s + 0.5) / segments
            if skip_front and abs(math.degrees(math.atan2(math.sin(theta), math.cos(theta)))) < skip_front:
                continue
            a, b = rows[r][s], rows[r][s + 1]
            c, d = rows[r + 1][s + 1], rows[r + 1][s]
            m.quad(a, d, c, b)


def box(m: MeshBuilder, centre: Vec, size: Vec, w: Weights) -> None:
    """An axis-aligned box around ``centre``."""
    x, y, z = (s / 2 for s in size)
    cx, cy, cz = centre
    faces = [
        ((1, 0, 0), [(x, -y, z), (x, -y, -z), (x, y, -z), (x, y, z)]),
        ((-1, 0, 0), [(-x, -y, -z), (-x, -y, z), (-x, y, z), (-x, y, -z)]),
        ((0, 1, 0), [(-x, y, z), (x, y, z), (x, y, -z), (-x, y, -z)]),
        ((0, -1, 0), [(-x, -y, -z), (x, -y, -z), (x, -y, z), (-x, -y, z)]),
        ((0, 0, 1), [(-x, -y, z), (x, -y, z), (x, y, z), (-x, y, z)]),
        ((0, 0, -1), [(x, -y, -z), (-x, -y, -z), (-x, y, -z), (x, y, -z)]),
    ]
    for n, corners in faces:
        idx = [m.add((cx + a, cy + b, cz + c), n, w) for a, b, c in corners]
        m.quad(*idx)
