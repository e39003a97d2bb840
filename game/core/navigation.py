"""Walking around things: the scene's collision footprints and a small path planner.

A scene outlines what stands on the ground (cars, furniture, walls, benches, bins) as
:class:`Footprint` polygons in metres on the ground plane. Nobody's centre comes within
:data:`BODY_RADIUS` of one: a subject's walk goes straight where the way is clear and
otherwise along the shortest way around, over a visibility graph whose nodes stand just
off the footprints' outer corners; an officer at the desk slides along a footprint
instead of entering it (:meth:`Navigator.slide`).

Pure and deterministic: plain floats, no randomness, ties broken by node order, so the
same scene and the same inputs walk the same way, byte for byte in the journal.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

Point = tuple[float, float]

#: How far a body's centre keeps from a footprint (metres): a shoulder's half-width.
BODY_RADIUS = 0.3
#: Path nodes stand this much further out than BODY_RADIUS, so a path is clear with room to spare.
NODE_MARGIN = 0.05
#: A plan is made again after this long (seconds), or when its goal has moved this far (metres).
REPLAN_SECONDS = 1.0
REPLAN_MOVE = 0.25
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Footprint:
    """One obstacle's outline on the ground: a simple polygon, its corners counter-clockwise."""

    name: str
    points: tuple[Point, ...]

    @staticmethod
    def box(name: str, centre: Point, size: tuple[float, float], heading: float = 0.0) -> "Footprint":
        """A ``size[0]`` (along its x) by ``size[1]`` rectangle centred on ``centre``, turned
        ``heading`` degrees counter-clockwise (as a scene object turns)."""
        a = math.radians(heading)
        c, s = math.cos(a), math.sin(a)
        hx, hy = size[0] / 2.0, size[1] / 2.0
        corners = ((-hx, -hy), (hx, -hy), (hx, hy), (-hx, hy))
        return Footprint(name, tuple((centre[0] + x * c - y * s, centre[1] + x * s + y * c) for x, y in corners))

    @staticmethod
    def polygon(name: str, points: tuple[Point, ...] | list[Point]) -> "Footprint":
        """A footprint through ``points`` in order, turned counter-clockwise if given clockwise."""
        pts = tuple((float(x), float(y)) for x, y in points)
        return Footprint(name, pts if signed_area(pts) >= 0.0 else tuple(reversed(pts)))

    def bbox(self, grow: float = 0.0) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return (min(xs) - grow, min(ys) - grow, max(xs) + grow, max(ys) + grow)


# ------------------------------------------------------------------ geometry

def signed_area(points: tuple[Point, ...] | list[Point]) -> float:
    """Positive for counter-clockwise corners."""
    n = len(points)
    return 0.5 * sum(points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1] for i in range(n))


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Whether segments p1-p2 and q1-q2 touch or cross."""
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    if ((d1 > 0 > d2) or (d1 < 0 < d2)) and ((d3 > 0 > d4) or (d3 < 0 < d4)):
        return True
    return ((abs(d1) <= _EPS and _on(q1, q2, p1)) or (abs(d2) <= _EPS and _on(q1, q2, p2))
            or (abs(d3) <= _EPS and _on(p1, p2, q1)) or (abs(d4) <= _EPS and _on(p1, p2, q2)))


def _on(a: Point, b: Point, p: Point) -> bool:
    return min(a[0], b[0]) - _EPS <= p[0] <= max(a[0], b[0]) + _EPS and min(a[1], b[1]) - _EPS <= p[1] <= max(a[1], b[1]) + _EPS


def closest_on_segment(p: Point, a: Point, b: Point) -> Point:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 <= _EPS:
        return a
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return (a[0] + t * dx, a[1] + t * dy)


def _dist(a: Point, b: Point) -> float:
    return math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2)


def inside_polygon(p: Point, points: tuple[Point, ...]) -> bool:
    inside = False
    n = len(points)
    for i in range(n):
        (x1, y1), (x2, y2) = points[i], points[(i + 1) % n]
        if (y1 > p[1]) != (y2 > p[1]) and p[0] < x1 + (p[1] - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def distance_to(p: Point, fp: Footprint) -> float:
    """How far ``p`` is from the footprint (0 inside it)."""
    if inside_polygon(p, fp.points):
        return 0.0
    pts, n = fp.points, len(fp.points)
    return min(_dist(p, closest_on_segment(p, pts[i], pts[(i + 1) % n])) for i in range(n))


def segment_distance_to(a: Point, b: Point, fp: Footprint) -> float:
    """How close the segment a-b comes to the footprint (0 if it enters it)."""
    pts, n = fp.points, len(fp.points)
    if inside_polygon(a, pts) or inside_polygon(b, pts):
        return 0.0
    best = math.inf
    for i in range(n):
        q1, q2 = pts[i], pts[(i + 1) % n]
        if segments_cross(a, b, q1, q2):
            return 0.0
        best = min(best, _dist(a, closest_on_segment(a, q1, q2)), _dist(b, closest_on_segment(b, q1, q2)),
                   _dist(q1, closest_on_segment(q1, a, b)), _dist(q2, closest_on_segment(q2, a, b)))
    return best


def self_crossing(points: tuple[Point, ...] | list[Point]) -> tuple[int, int] | None:
    """The first two edges (by their first corner's index) of a polygon that cross, or None."""
    n = len(points)
    for i in range(n):
        for j in range(i + 1, n):
            if j == i + 1 or (i == 0 and j == n - 1):
                continue  # neighbours share a corner
            if segments_cross(points[i], points[(i + 1) % n], points[j], points[(j + 1) % n]):
                return (i, j)
    return None


# ------------------------------------------------------------------- planner

class Navigator:
    """The walkable ground of one scene: its footprints, kept ``radius`` clear of, inside
    ``bounds`` ((x0, y0), (x1, y1); None: unbounded). Shared by every subject of a
    simulation; the corner graph is built on the first plan that needs it."""

    def __init__(self, footprints: tuple[Footprint, ...], bounds: tuple[Point, Point] | None = None,
                 radius: float = BODY_RADIUS) -> None:
        self.footprints = tuple(footprints)
        self.bounds = bounds
        self.radius = radius
        self._boxes = [fp.bbox(radius) for fp in self.footprints]
        self._nodes: list[Point] | None = None
        self._edges: list[list[tuple[int, float]]] = []

    def __bool__(self) -> bool:
        return bool(self.footprints)

    # ------------------------------------------------------------ queries
    def _near(self, x0: float, y0: float, x1: float, y1: float) -> list[Footprint]:
        return [fp for fp, (bx0, by0, bx1, by1) in zip(self.footprints, self._boxes)
                if x1 >= bx0 and x0 <= bx1 and y1 >= by0 and y0 <= by1]

    def blocking(self, p: Point) -> Footprint | None:
        """The first footprint ``p`` is closer than the body radius to, or None."""
        for fp in self._near(p[0], p[1], p[0], p[1]):
            if distance_to(p, fp) < self.radius - 1e-6:
                return fp
        return None

    def is_clear(self, a: Point, b: Point) -> bool:
        """Whether a body can walk straight from ``a`` to ``b`` without entering a footprint."""
        for fp in self._near(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])):
            if segment_distance_to(a, b, fp) < self.radius - 1e-6:
                return False
        return True

    def _in_bounds(self, p: Point) -> bool:
        if self.bounds is None:
            return True
        (x0, y0), (x1, y1) = self.bounds
        return x0 - 1e-9 <= p[0] <= x1 + 1e-9 and y0 - 1e-9 <= p[1] <= y1 + 1e-9

    def free_point(self, p: Point, bounded: bool = True) -> Point:
        """``p`` if a body may stand there, else the nearest point where it may (just off the
        footprint it is in, inside the bounds unless ``bounded`` is False); ``p`` itself when
        nowhere near is free."""
        if self.blocking(p) is None:
            return p
        reach = self.radius + NODE_MARGIN / 5.0
        candidates: list[Point] = []
        for fp in self._near(p[0] - reach, p[1] - reach, p[0] + reach, p[1] + reach):
            pts, n = fp.points, len(fp.points)
            inside = inside_polygon(p, pts)
            for i in range(n):
                a, b = pts[i], pts[(i + 1) % n]
                q = closest_on_segment(p, a, b)
                d = _dist(p, q)
                if d > 1e-9 and not inside:
                    u = ((p[0] - q[0]) / d, (p[1] - q[1]) / d)
                else:  # on or inside the outline: out along the edge's outward normal
                    ex, ey = b[0] - a[0], b[1] - a[1]
                    length = math.sqrt(ex * ex + ey * ey) or 1.0
                    u = (ey / length, -ex / length)
                candidates.append((q[0] + u[0] * reach, q[1] + u[1] * reach))
            for v in pts:  # round each corner too
                d = _dist(p, v)
                if d > 1e-9 and not inside:
                    candidates.append((v[0] + (p[0] - v[0]) / d * reach, v[1] + (p[1] - v[1]) / d * reach))
        candidates.sort(key=lambda c: (_dist(c, p), c))
        for c in candidates:
            if self.blocking(c) is None and (not bounded or self._in_bounds(c)):
                return c
        return p  # hemmed in on every side: nothing nearer is better

    def push_out(self, p: Point, bounded: bool = True) -> Point:
        """Where a body at ``p`` ends up once put back outside every footprint (``p`` if it is)."""
        for _ in range(3):
            q = self.free_point(p, bounded)
            if q == p:
                return p
            p = q
        return p

    def slide(self, old: Point, new: Point) -> Point:
        """Where an officer who walks from ``old`` toward ``new`` ends up: ``new``, or, where
        that is in a footprint, the nearest point outside it (so the officer slides along a
        car's side instead of through it). From inside a footprint (a start placed there),
        the officer is put outside it. Officers are not held to the bounds (they may walk in
        from beyond the modelled area)."""
        if not self.footprints or self.blocking(new) is None and self.is_clear(old, new):
            return new
        return self.push_out(new, bounded=False)

    # ------------------------------------------------------------ planning
    def _graph(self) -> list[Point]:
        if self._nodes is None:
            nodes: list[Point] = []
            out = self.radius + NODE_MARGIN
            for fp in self.footprints:
                pts, n = fp.points, len(fp.points)
                for i in range(n):
                    a, v, b = pts[i - 1], pts[i], pts[(i + 1) % n]
                    if _cross(a, v, b) <= 0.0:
                        continue  # a concave corner: paths never turn there
                    n1, n2 = _normal(a, v), _normal(v, b)
                    bx, by = n1[0] + n2[0], n1[1] + n2[1]
                    length = math.sqrt(bx * bx + by * by)
                    cos_half = (bx * n1[0] + by * n1[1]) / length
                    if cos_half >= 0.6:  # up to ~106 degrees of turn: one mitred node
                        k = out / cos_half
                        nodes.append((v[0] + bx / length * k, v[1] + by / length * k))
                    else:  # a sharp corner: round it with three
                        nodes += [(v[0] + n1[0] * out, v[1] + n1[1] * out),
                                  (v[0] + bx / length * out, v[1] + by / length * out),
                                  (v[0] + n2[0] * out, v[1] + n2[1] * out)]
            self._nodes = [p for p in nodes if self.blocking(p) is None and self._in_bounds(p)]
            self._edges = [[] for _ in self._nodes]
            for i, p in enumerate(self._nodes):
                for j in range(i + 1, len(self._nodes)):
                    q = self._nodes[j]
                    if self.is_clear(p, q):
                        d = _dist(p, q)
                        self._edges[i].append((j, d))
                        self._edges[j].append((i, d))
        return self._nodes

    def plan(self, start: Point, goal: Point) -> list[Point] | None:
        """The corners to walk through from ``start`` to ``goal`` (``goal`` last), the
        shortest way around the footprints; None when there is no way."""
        if self.is_clear(start, goal):
            return [goal]
        nodes = self._graph()
        n = len(nodes)
        to_goal = {i: _dist(p, goal) for i, p in enumerate(nodes) if self.is_clear(p, goal)}
        if not to_goal:
            return None
        best = [math.inf] * n
        came = [-1] * n
        heap: list[tuple[float, int]] = []
        for i, p in enumerate(nodes):
            if self.is_clear(start, p):
                best[i] = _dist(start, p)
                heapq.heappush(heap, (best[i] + _dist(p, goal), i))
        finish, finish_cost = -1, math.inf
        while heap:
            estimate, i = heapq.heappop(heap)
            if estimate >= finish_cost:
                break
            if estimate > best[i] + _dist(nodes[i], goal) + 1e-12:
                continue  # a stale entry
            if i in to_goal and best[i] + to_goal[i] < finish_cost:
                finish, finish_cost = i, best[i] + to_goal[i]
            for j, d in self._edges[i]:
                cost = best[i] + d
                if cost < best[j] - 1e-12:
                    best[j], came[j] = cost, i
                    heapq.heappush(heap, (cost + _dist(nodes[j], goal), j))
        if finish < 0:
            return None
        path = [goal]
        i = finish
        while i >= 0:
            path.append(nodes[i])
            i = came[i]
        path.reverse()
        return path


def _normal(a: Point, b: Point) -> Point:
    """The outward normal of edge a-b of a counter-clockwise polygon."""
    ex, ey = b[0] - a[0], b[1] - a[1]
    length = math.sqrt(ex * ex + ey * ey) or 1.0
    return (ey / length, -ex / length)


class Route:
    """One walker's way to its goal: planned when the straight way is blocked, followed corner
    by corner, planned again when the goal moves or the plan gets old."""

    __slots__ = ("goal", "points", "planned_at")

    def __init__(self) -> None:
        self.goal: Point | None = None
        self.points: list[Point] | None = None
        self.planned_at = -math.inf

    def clear(self) -> None:
        self.goal, self.points, self.planned_at = None, None, -math.inf

    def next_point(self, nav: Navigator, position: Point, goal: Point, now: float) -> Point | None:
        """The point to walk straight toward now: ``goal`` where the way is clear, else the
        next corner around; None when the goal cannot be reached from here."""
        if nav.is_clear(position, goal):
            self.clear()
            return goal
        if (self.goal is None or _dist(self.goal, goal) > REPLAN_MOVE or now - self.planned_at >= REPLAN_SECONDS
                or (self.points is not None and not self.points)):
            self.goal, self.planned_at = goal, now
            self.points = nav.plan(position, goal)
        if self.points is None:
            return None
        self.points[-1] = goal
        while len(self.points) > 1 and (_dist(position, self.points[0]) < 0.02 or nav.is_clear(position, self.points[1])):
            self.points.pop(0)
        return self.points[0]
