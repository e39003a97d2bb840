"""A small mesh builder for the props: lofts through rings of points, boxes, cylinders and lumpy
spheres, grouped by material, with normals smoothed across an edge only where the faces meet at
less than a primitive's crease angle. Panda3D's frame: x right, y forward, z up, metres.

Pure numpy and deterministic: the same calls give the same arrays, bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Material:
    name: str
    color: tuple[float, float, float]  # as authored (sRGB, like the scenes' colours)
    metallic: float = 0.0
    roughness: float = 0.7
    emissive: bool = False


@dataclass
class Part:
    positions: np.ndarray  # (n, 3) float64
    normals: np.ndarray  # (n, 3)
    faces: np.ndarray  # (m, 3) int


@dataclass
class Mesh:
    """The triangles of one prop, by material (in the order materials were first used)."""

    name: str
    parts: dict[str, list[Part]] = field(default_factory=dict)
    materials: dict[str, Material] = field(default_factory=dict)

    def add(self, mat: Material, positions: np.ndarray, faces: np.ndarray, crease: float) -> None:
        self.materials.setdefault(mat.name, mat)
        self.parts.setdefault(mat.name, []).append(_smooth(np.asarray(positions, float), np.asarray(faces, int), crease))

    # -- primitives -------------------------------------------------------------------------
    def loft(self, mat: Material, rings: list[np.ndarray], *, closed: bool = True, caps: bool = True,
             crease: float = 50.0) -> None:
        """Joins rings of points (each (k, 3), the same k, counter-clockwise seen from the last
        ring's side) into a surface; ``caps`` closes both ends with fans."""
        k = len(rings[0])
        pts = np.concatenate(rings)
        faces = []
        for r in range(len(rings) - 1):
            for i in range(k if closed else k - 1):
                a, b = r * k + i, r * k + (i + 1) % k
                c, d = b + k, a + k
                faces += [(a, b, c), (a, c, d)]
        if caps:
            start, end = len(pts), len(pts) + 1
            pts = np.concatenate([pts, [rings[0].mean(axis=0)], [rings[-1].mean(axis=0)]])
            last = (len(rings) - 1) * k
            for i in range(k):
                faces.append((start, (i + 1) % k, i))
                faces.append((end, last + i, last + (i + 1) % k))
        self.add(mat, pts, np.array(faces), crease)

    def box(self, mat: Material, lo: tuple[float, float, float], hi: tuple[float, float, float], *,
            bevel: float = 0.0) -> None:
        """An axis-aligned box from corner ``lo`` to ``hi``; ``bevel`` chamfers its long edges (along y)."""
        (x0, y0, z0), (x1, y1, z1) = lo, hi
        b = min(bevel, (x1 - x0) / 3, (z1 - z0) / 3)
        ring = _rect_xz(x0, x1, z0, z1, b)
        self.loft(mat, [np.c_[ring[:, 0], np.full(len(ring), y0), ring[:, 1]],
                        np.c_[ring[:, 0], np.full(len(ring), y1), ring[:, 1]]], crease=30.0)

    def cylinder(self, mat: Material, centre: tuple[float, float, float], axis: str, radius: float, length: float,
                 *, segments: int = 16, radius2: float | None = None) -> None:
        """A cylinder (or a cone's frustum, ``radius2`` at the far end) centred on ``centre``."""
        r2 = radius if radius2 is None else radius2
        rings = []
        for t, r in ((-length / 2, radius), (length / 2, r2)):
            ring = [_on_axis(axis, t, r * math.cos(a), r * math.sin(a)) for a in _angles(segments)]
            rings.append(np.array(ring) + centre)
        self.loft(mat, rings, crease=45.0)

    def blob(self, mat: Material, centre: tuple[float, float, float], radii: tuple[float, float, float], *,
             seed: int, lumps: float = 0.12, segments: int = 14, rings: int = 9) -> None:
        """A lumpy ellipsoid (a tree's canopy, a cushion's roll): smooth, deterministic bumps by ``seed``."""
        rx, ry, rz = radii
        pts = [np.array(centre) + (0, 0, -rz)]
        for j in range(1, rings):
            phi = math.pi * j / rings - math.pi / 2
            ring = []
            for i, a in enumerate(_angles(segments)):
                bump = 1.0 + lumps * math.sin(seed * 1.7 + i * 2.3 + j * 1.3) * math.cos(seed * 0.9 + i * 0.7 - j * 2.1)
                ring.append((centre[0] + rx * bump * math.cos(phi) * math.cos(a),
                             centre[1] + ry * bump * math.cos(phi) * math.sin(a),
                             centre[2] + rz * bump * math.sin(phi)))
            pts.extend(ring)
        pts.append(np.array(centre) + (0, 0, rz))
        p = np.array(pts, float)
        k, top = segments, len(pts) - 1
        faces = [(0, 1 + (i + 1) % k, 1 + i) for i in range(k)]
        for j in range(rings - 2):
            for i in range(k):
                a, b = 1 + j * k + i, 1 + j * k + (i + 1) % k
                faces += [(a, b, b + k), (a, b + k, a + k)]
        last = 1 + (rings - 2) * k
        faces += [(top, last + i, last + (i + 1) % k) for i in range(k)]
        self.add(mat, p, np.array(faces), 80.0)

    def triangles(self) -> int:
        return sum(len(p.faces) for parts in self.parts.values() for p in parts)


def _angles(n: int) -> list[float]:
    return [2 * math.pi * i / n for i in range(n)]


def _on_axis(axis: str, t: float, u: float, v: float) -> tuple[float, float, float]:
    """A point ``t`` along ``axis`` and (u, v) across it, so that rings run counter-clockwise
    seen from +axis."""
    if axis == "x":
        return (t, u, v)
    if axis == "y":
        return (v, t, u)
    return (u, v, t)


def _rect_xz(x0: float, x1: float, z0: float, z1: float, b: float) -> np.ndarray:
    """A rectangle in the x-z plane with chamfered corners, counter-clockwise seen from +y."""
    if b <= 0:
        return np.array([(x0, z0), (x0, z1), (x1, z1), (x1, z0)], float)
    return np.array([(x0 + b, z0), (x0, z0 + b), (x0, z1 - b), (x0 + b, z1), (x1 - b, z1), (x1, z1 - b),
                     (x1, z0 + b), (x1 - b, z0)], float)


def section(width: float, z0: float, z1: float, y: float, *, bevel: float = 0.06, top_bevel: float | None = None,
            x: float = 0.0) -> np.ndarray:
    """A car body's cross-section at ``y``: ``width`` wide from ``z0`` to ``z1``, corners chamfered,
    as a ring for :meth:`Mesh.loft` (counter-clockwise seen from +y)."""
    w = width / 2
    tb = bevel if top_bevel is None else top_bevel
    pts = [(x - w + bevel, z0), (x - w, z0 + bevel), (x - w, z1 - tb), (x - w + tb, z1), (x + w - tb, z1),
           (x + w, z1 - tb), (x + w, z0 + bevel), (x + w - bevel, z0)]
    return np.array([(px, y, pz) for px, pz in pts], float)


def trapezoid(bottom: float, top: float, z0: float, z1: float, y: float) -> np.ndarray:
    """A cross-section ``bottom`` wide at ``z0`` narrowing to ``top`` at ``z1`` (a car's glasshouse)."""
    b, t = bottom / 2, top / 2
    return np.array([(-b, y, z0), (-t, y, z1), (t, y, z1), (b, y, z0)], float)


def _smooth(p: np.ndarray, f: np.ndarray, crease: float) -> Part:
    """Vertices split per face corner, each with the area-weighted normal of the faces around its
    point that meet its own face at less than ``crease`` degrees; identical corners merged."""
    a, b, c = p[f[:, 0]], p[f[:, 1]], p[f[:, 2]]
    cross = np.cross(b - a, c - a)
    area = np.linalg.norm(cross, axis=1)
    keep = area > 1e-10
    f, cross, area = f[keep], cross[keep], area[keep]
    fn = cross / area[:, None]
    key = [tuple(np.round(v, 6)) for v in p]
    around: dict[tuple, list[int]] = {}
    for fi, tri in enumerate(f):
        for v in tri:
            around.setdefault(key[v], []).append(fi)
    cos_crease = math.cos(math.radians(crease))
    out_p, out_n, index, faces = [], [], {}, []
    for fi, tri in enumerate(f):
        corner = []
        for v in tri:
            near = [g for g in around[key[v]] if float(fn[g] @ fn[fi]) >= cos_crease]
            n = cross[near].sum(axis=0)
            n = n / np.linalg.norm(n)
            k = (key[v], tuple(np.round(n, 5)))
            if k not in index:
                index[k] = len(out_p)
                out_p.append(p[v])
                out_n.append(n)
            corner.append(index[k])
        faces.append(corner)
    return Part(np.array(out_p, float), np.array(out_n, float), np.array(faces, int))
