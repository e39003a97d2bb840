"""Procedural meshes (boxes, cylinders, spheres, ground grids) with normals, for
scenes and placeholder figures. Each function returns a ``GeomNode``."""

from __future__ import annotations

import math

from panda3d.core import Geom, GeomNode, GeomTriangles, GeomVertexData, GeomVertexFormat, GeomVertexWriter


class _Mesh:
    def __init__(self, name: str) -> None:
        self.name = name
        self.vdata = GeomVertexData(name, GeomVertexFormat.get_v3n3(), Geom.UH_static)
        self.vertex = GeomVertexWriter(self.vdata, "vertex")
        self.normal = GeomVertexWriter(self.vdata, "normal")
        self.tris = GeomTriangles(Geom.UH_static)
        self.count = 0

    def add(self, p: tuple[float, float, float], n: tuple[float, float, float]) -> int:
        self.vertex.add_data3(*p)
        self.normal.add_data3(*n)
        self.count += 1
        return self.count - 1

    def quad(self, a: int, b: int, c: int, d: int) -> None:
        self.tris.add_vertices(a, b, c)
        self.tris.add_vertices(a, c, d)

    def node(self) -> GeomNode:
        geom = Geom(self.vdata)
        geom.add_primitive(self.tris)
        node = GeomNode(self.name)
        node.add_geom(geom)
        return node


def box(sx: float, sy: float, sz: float, name: str = "box", centred: bool = False, cell: float = 1.0) -> GeomNode:
    """A box ``sx`` × ``sy`` × ``sz``; its origin is the centre of its base unless ``centred``.
    Faces larger than ``cell`` metres are subdivided so per-vertex lights (lamps on walls,
    a flashlight on a car door) fall off across them instead of lighting only the corners."""
    m = _Mesh(name)
    x, y = sx / 2, sy / 2
    z0, z1 = (-sz / 2, sz / 2) if centred else (0.0, sz)
    # each face: normal, origin corner, the two edge vectors (u, v) with u × v along the normal
    faces = [
        ((0, 0, 1), (-x, -y, z1), (sx, 0, 0), (0, sy, 0)),
        ((0, 0, -1), (-x, y, z0), (sx, 0, 0), (0, -sy, 0)),
        ((0, -1, 0), (-x, -y, z0), (sx, 0, 0), (0, 0, sz)),
        ((0, 1, 0), (x, y, z0), (-sx, 0, 0), (0, 0, sz)),
        ((1, 0, 0), (x, -y, z0), (0, sy, 0), (0, 0, sz)),
        ((-1, 0, 0), (-x, y, z0), (0, -sy, 0), (0, 0, sz)),
    ]
    for n, o, u, v in faces:
        nu = min(64, max(1, math.ceil(math.sqrt(u[0] ** 2 + u[1] ** 2 + u[2] ** 2) / cell - 1e-6)))
        nv = min(64, max(1, math.ceil(math.sqrt(v[0] ** 2 + v[1] ** 2 + v[2] ** 2) / cell - 1e-6)))
        idx = [[m.add(tuple(o[k] + u[k] * i / nu + v[k] * j / nv for k in range(3)), n)  # type: ignore[arg-type]
                for j in range(nv + 1)] for i in range(nu + 1)]
        for i in range(nu):
            for j in range(nv):
                m.quad(idx[i][j], idx[i + 1][j], idx[i + 1][j + 1], idx[i][j + 1])
    return m.node()


def cylinder(radius: float, height: float, segments: int = 16, axis: str = "z", name: str = "cylinder") -> GeomNode:
    """A capped cylinder along ``axis``. Along z its base is centred on the origin;
    along x or y (wheels, rails) it is centred on the origin."""
    m = _Mesh(name)
    shift = height / 2 if axis != "z" else 0.0

    def put(p: tuple[float, float, float], n: tuple[float, float, float]) -> int:
        # cyclic permutations keep the triangles' winding
        p = (p[0], p[1], p[2] - shift)
        if axis == "x":
            return m.add((p[2], p[0], p[1]), (n[2], n[0], n[1]))
        if axis == "y":
            return m.add((p[1], p[2], p[0]), (n[1], n[2], n[0]))
        return m.add(p, n)

    ring = [(math.cos(2 * math.pi * i / segments), math.sin(2 * math.pi * i / segments)) for i in range(segments)]
    for i in range(segments):
        (c0, s0), (c1, s1) = ring[i], ring[(i + 1) % segments]
        a = put((radius * c0, radius * s0, 0.0), (c0, s0, 0))
        b = put((radius * c1, radius * s1, 0.0), (c1, s1, 0))
        c = put((radius * c1, radius * s1, height), (c1, s1, 0))
        d = put((radius * c0, radius * s0, height), (c0, s0, 0))
        m.quad(a, b, c, d)
    for z, n in ((height, 1.0), (0.0, -1.0)):
        centre = put((0, 0, z), (0, 0, n))
        for i in range(segments):
            (c0, s0), (c1, s1) = ring[i], ring[(i + 1) % segments]
            p0 = put((radius * c0, radius * s0, z), (0, 0, n))
            p1 = put((radius * c1, radius * s1, z), (0, 0, n))
            if n > 0:
                m.tris.add_vertices(centre, p0, p1)
            else:
                m.tris.add_vertices(centre, p1, p0)
    return m.node()


def sphere(radius: float, rings: int = 10, segments: int = 16, name: str = "sphere") -> GeomNode:
    """A UV sphere centred on the origin."""
    m = _Mesh(name)
    rows = []
    for r in range(rings + 1):
        phi = math.pi * r / rings
        row = []
        for s in range(segments + 1):
            theta = 2 * math.pi * s / segments
            n = (math.sin(phi) * math.cos(theta), math.sin(phi) * math.sin(theta), math.cos(phi))
            row.append(m.add((radius * n[0], radius * n[1], radius * n[2]), n))
        rows.append(row)
    for r in range(rings):
        for s in range(segments):
            a, b = rows[r][s], rows[r][s + 1]
            c, d = rows[r + 1][s + 1], rows[r + 1][s]
            m.tris.add_vertices(a, d, c)
            m.tris.add_vertices(a, c, b)
    return m.node()


def ground(sx: float, sy: float, cell: float = 1.0, name: str = "ground") -> GeomNode:
    """A flat grid facing +z, subdivided so per-vertex lights fall off smoothly across it."""
    m = _Mesh(name)
    nx, ny = max(1, int(round(sx / cell))), max(1, int(round(sy / cell)))
    idx = [[m.add((-sx / 2 + sx * i / nx, -sy / 2 + sy * j / ny, 0.0), (0, 0, 1)) for j in range(ny + 1)] for i in range(nx + 1)]
    for i in range(nx):
        for j in range(ny):
            m.quad(idx[i][j], idx[i + 1][j], idx[i + 1][j + 1], idx[i][j + 1])
    return m.node()
