"""The built-in props, each a function that fills a :class:`Mesh`. Every model stands on the
ground at its origin in the frame of the box props it replaces (x right, y forward, z up; a car's
nose toward +y), so a scene places it where its boxes stood with the same position and heading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from propgen.mesh import Material, Mesh, section, trapezoid

GLASS = Material("glass", (0.05, 0.07, 0.09), metallic=0.0, roughness=0.08)
TYRE = Material("tyre", (0.04, 0.04, 0.04), roughness=0.9)
RIM = Material("rim", (0.55, 0.56, 0.58), metallic=0.9, roughness=0.35)
TRIM = Material("trim", (0.08, 0.08, 0.09), roughness=0.6)
WELL = Material("wheel_well", (0.015, 0.015, 0.015), roughness=1.0)
HEADLIGHT = Material("headlight", (1.0, 0.96, 0.85), emissive=True)
TAILLIGHT = Material("taillight", (0.75, 0.05, 0.03), emissive=True)
PLATE = Material("plate", (0.85, 0.85, 0.8), roughness=0.5)
IRON = Material("cast_iron", (0.1, 0.1, 0.1), metallic=0.6, roughness=0.6)
STEEL = Material("steel", (0.6, 0.6, 0.62), metallic=0.9, roughness=0.3)


@dataclass(frozen=True)
class Car:
    length: float
    width: float
    wheel_r: float
    wheel_y: float  # the axles' distance from the middle
    paint: tuple[float, float, float]
    belt: float = 0.92  # the top of the doors
    hood: float = 0.82  # the nose's top
    roof: float = 1.43
    windscreen: tuple[float, float] = (0.95, 0.25)  # y of its foot and top
    rear_glass: tuple[float, float] = (-0.75, -1.35)  # y of its top and foot
    doors: tuple[float, float, tuple[float, float, float]] | None = None  # (y0, y1, colour) two-tone doors
    roof_paint: tuple[float, float, float] | None = None
    push_bar: bool = False
    brake_lights: bool = False


def car(c: Car, name: str) -> Mesh:
    m = Mesh(name)
    paint = Material("paint", c.paint, metallic=0.4, roughness=0.35)
    L, W, r = c.length, c.width, c.wheel_r
    z0, arch = 0.22, 2 * r + 0.06
    front, rear = L / 2, -L / 2

    ws0 = c.windscreen[0]

    def top(y: float) -> float:  # the body's top line: the hood falls to the nose, the boot to the tail
        if y > front - 0.35:
            return c.hood - 0.12 * (y - (front - 0.35)) / 0.35
        if y > ws0:
            return c.belt + (c.hood - c.belt) * (y - ws0) / max(0.01, front - 0.35 - ws0)
        if y > rear + 0.3:
            return c.belt
        return c.belt - 0.08 * (rear + 0.3 - y) / 0.3

    def shell(y0: float, y1: float, mat: Material, lo: float, steps: int) -> None:
        rings = []
        for y in np.linspace(y0, y1, steps):
            end = min(1.0, min(y - rear, front - y) / 0.25)  # rounded in plan and below at the bumpers
            w = W * (0.93 + 0.07 * end)
            rings.append(section(w, max(lo, z0 + 0.06 * (1 - end)), top(y), y, bevel=0.05, top_bevel=0.1))
        m.loft(mat, rings)

    # the body: full height at the bumpers and between the wheels, only above the arches over them
    rw0, rw1 = -c.wheel_y - r - 0.06, -c.wheel_y + r + 0.06
    fw0, fw1 = c.wheel_y - r - 0.06, c.wheel_y + r + 0.06
    segments = [(rear, rw0, z0, paint, 4), (rw0, rw1, arch, paint, 4)]
    if c.doors:
        d0, d1, colour = c.doors
        door = Material("door_paint", colour, metallic=0.3, roughness=0.4)
        segments += [(rw1, d0, z0, paint, 2), (d0, d1, z0, door, 6), (d1, fw0, z0, paint, 3)]
    else:
        segments += [(rw1, fw0, z0, paint, 8)]
    segments += [(fw0, fw1, arch, paint, 4), (fw1, front, z0, paint, 5)]
    for y0, y1, lo, mat, steps in segments:
        shell(y0, y1, mat, lo, steps)
    for y0, y1 in ((rear - 0.03, rear + 0.25), (front - 0.25, front + 0.03)):  # bumpers
        m.box(TRIM, (-W * 0.47, y0, z0 + 0.08), (W * 0.47, y1, z0 + 0.24), bevel=0.04)
    # the wells behind the wheels: dark, so an arch reads as a hole
    for y in (-c.wheel_y, c.wheel_y):
        m.box(WELL, (-W / 2 + 0.03, y - r - 0.05, r * 0.6), (W / 2 - 0.03, y + r + 0.05, arch + 0.02))
    # wheels: tyres with rims, their outer faces flush with the body
    for y in (-c.wheel_y, c.wheel_y):
        for side in (-1, 1):
            x = side * (W / 2 - 0.12)
            m.cylinder(TYRE, (x, y, r), "x", r, 0.22, segments=20)
            m.cylinder(RIM, (x + side * 0.112, y, r), "x", r * 0.58, 0.01, segments=12)
    # the glasshouse: windscreen, side windows and rear glass in one, a roof and pillars on it
    ws1 = c.windscreen[1]
    rg1, rg0 = c.rear_glass
    gw, tw = W * 0.9, W * 0.76
    belt = c.belt
    rings = [trapezoid(gw, gw * 0.98, belt - 0.02, belt + 0.02, rg0),
             trapezoid(gw, tw, belt - 0.02, c.roof, rg1),
             trapezoid(gw, tw, belt - 0.02, c.roof, ws1),
             trapezoid(gw, gw * 0.98, top(ws0) - 0.02, top(ws0) + 0.02, ws0)]
    m.loft(GLASS, rings, crease=25.0)
    roof = Material("roof_paint", c.roof_paint, metallic=0.3, roughness=0.4) if c.roof_paint else paint
    rings = [section(tw + 0.04, c.roof - 0.02, c.roof + 0.05, y, bevel=0.015, top_bevel=0.03)
             for y in (rg1 - 0.04, (rg1 + ws1) / 2, ws1 + 0.04)]
    m.loft(roof, rings)
    for side in (-1, 1):  # A, B and C pillars: thin strips from the belt to the roof
        for yb, yt in ((ws0 - 0.03, ws1), ((ws1 + rg1) / 2, (ws1 + rg1) / 2), (rg0 + 0.03, rg1)):
            zb = top(yb) if yb >= ws0 - 0.05 else belt
            bot = np.array([(side * gw / 2 + d, yb + e, zb) for d, e in ((-0.035, -0.06), (-0.035, 0.06), (0.012, 0.06), (0.012, -0.06))])
            tip = np.array([(side * tw / 2 + d, yt + e, c.roof) for d, e in ((-0.035, -0.06), (-0.035, 0.06), (0.012, 0.06), (0.012, -0.06))])
            if side < 0:
                bot, tip = bot[::-1], tip[::-1]
            m.loft(paint, [bot, tip], crease=30.0)
    # lights, grille, plates, mirrors, bumpers' trim
    hz = c.hood - 0.2
    for side in (-1, 1):
        x = side * (W / 2 - 0.28)
        m.box(HEADLIGHT, (x - 0.18, front - 0.04, hz - 0.06), (x + 0.18, front + 0.01, hz + 0.07), bevel=0.02)
        m.box(TAILLIGHT, (x - 0.2 + side * 0.05, rear - 0.01, c.belt - 0.28), (x + 0.2 + side * 0.05, rear + 0.04, c.belt - 0.13))
        xa, xb = sorted((side * (gw / 2 - 0.02), side * (gw / 2 + 0.1)))  # a mirror
        m.box(paint, (xa, ws0 - 0.12, belt - 0.02), (xb, ws0 - 0.02, belt + 0.1))
    m.box(TRIM, (-0.42, front - 0.03, hz - 0.14), (0.42, front + 0.015, hz + 0.02))
    m.box(PLATE, (-0.26, front - 0.01, 0.3), (0.26, front + 0.03, 0.41))
    m.box(PLATE, (-0.26, rear - 0.03, 0.45), (0.26, rear + 0.01, 0.56))
    if c.brake_lights:
        m.box(TAILLIGHT, (-0.3, rg0 + 0.02, belt + 0.02), (0.3, rg0 + 0.08, belt + 0.06))
    if c.push_bar:
        for side in (-1, 1):
            m.box(TRIM, (side * 0.35 - 0.04, front, 0.3), (side * 0.35 + 0.04, front + 0.16, 0.85))
        m.box(TRIM, (-0.45, front + 0.1, 0.45), (0.45, front + 0.17, 0.55))
        m.box(TRIM, (-0.45, front + 0.1, 0.72), (0.45, front + 0.17, 0.8))
    return m


def van(name: str) -> Mesh:
    """A white panel van (5.2 m): a tall box body with a sloped nose, windscreen and cab windows."""
    m = Mesh(name)
    paint = Material("paint", (0.85, 0.85, 0.82), metallic=0.3, roughness=0.4)
    L, W, r, wy = 5.2, 2.0, 0.35, 1.8
    front, rear = L / 2, -L / 2
    arch = 2 * r + 0.06

    def top(y: float) -> float:
        if y > front - 0.55:  # the bonnet
            return 1.1
        if y > front - 1.3:  # the windscreen's slope
            return 1.1 + (2.25 - 1.1) * (front - 0.55 - y) / 0.75
        return 2.25

    ys = [rear, rear + 0.08, rear + 0.2, -1.0, 0.5, front - 1.3, front - 0.95, front - 0.55, front - 0.2, front - 0.06, front]
    rings = []
    for y in ys:
        end = min(1.0, min(y - rear, front - y) / 0.2)
        rings.append(section(W * (0.95 + 0.05 * end), arch, top(y), y, bevel=0.05, top_bevel=0.12))
    m.loft(paint, rings)
    cuts = [rear, -wy - r - 0.06, -wy + r + 0.06, wy - r - 0.06, wy + r + 0.06, front]
    for (y0, y1), mat in ((cuts[0:2], TRIM), (cuts[2:4], paint), (cuts[4:6], TRIM)):
        m.loft(mat, [section(W * 0.97, 0.25, arch + 0.01, y, bevel=0.05, top_bevel=0.0) for y in (y0, y1)])
    for y in (-wy, wy):
        m.box(WELL, (-W / 2 + 0.03, y - r - 0.05, r * 0.6), (W / 2 - 0.03, y + r + 0.05, arch + 0.02))
        for side in (-1, 1):
            x = side * (W / 2 - 0.13)
            m.cylinder(TYRE, (x, y, r), "x", r, 0.24, segments=20)
            m.cylinder(RIM, (x + side * 0.122, y, r), "x", r * 0.55, 0.01, segments=12)
    # windscreen on the slope, cab side windows
    a, b = front - 0.6, front - 1.25
    ring = lambda y, dz: np.array([(-W * 0.44, y, top(y) + dz - 0.01), (-W * 0.44, y, top(y) + dz + 0.02),
                                   (W * 0.44, y, top(y) + dz + 0.02), (W * 0.44, y, top(y) + dz - 0.01)])
    m.loft(GLASS, [ring(b, -0.08), ring((a + b) / 2, 0.0), ring(a, 0.05)], crease=25.0)
    for side in (-1, 1):
        x0, x1 = (side * W / 2 - 0.01, side * W / 2 + 0.012) if side > 0 else (side * W / 2 - 0.012, side * W / 2 + 0.01)
        m.box(GLASS, (x0, front - 1.9, 1.35), (x1, front - 1.05, 2.0))
        m.box(TRIM, (x0 - 0.002, -1.2, 1.05), (x1 + 0.002, -1.15, 2.1))  # the sliding door's seam
        x = side * (W / 2 - 0.3)
        m.box(HEADLIGHT, (x - 0.18, front - 0.03, 0.78), (x + 0.18, front + 0.01, 0.93), bevel=0.02)
        m.box(TAILLIGHT, (x + side * 0.15 - 0.09, rear - 0.01, 0.8), (x + side * 0.15 + 0.09, rear + 0.03, 1.3))
        xa, xb = sorted((side * (W / 2 - 0.02), side * (W / 2 + 0.12)))  # a mirror
        m.box(TRIM, (xa, front - 1.35, 1.45), (xb, front - 1.25, 1.7))
    m.box(TRIM, (-0.01, rear - 0.015, 0.8), (0.01, rear + 0.005, 2.15))  # the back doors' seam
    m.box(TRIM, (-0.45, front - 0.02, 0.6), (0.45, front + 0.015, 0.75))
    m.box(PLATE, (-0.26, front - 0.01, 0.3), (0.26, front + 0.03, 0.41))
    m.box(PLATE, (-0.26, rear - 0.03, 0.45), (0.26, rear + 0.01, 0.56))
    return m


WOOD = Material("wood", (0.42, 0.3, 0.18), roughness=0.8)


def bench(name: str) -> Mesh:
    """A park bench 1.7 m long: slatted seat (its top 0.47 m up) and sloped back toward -y,
    cast-iron ends with armrests. Sitting faces +y."""
    m = Mesh(name)
    for i in range(5):
        y = -0.21 + i * 0.09
        m.box(WOOD, (-0.85, y, 0.42), (0.85, y + 0.075, 0.47), bevel=0.01)
    for i in range(3):  # the back: slats leaning back 12 degrees
        z = 0.56 + i * 0.12
        y = -0.25 - (z - 0.5) * 0.21
        m.box(WOOD, (-0.85, y - 0.02, z), (0.85, y + 0.02, z + 0.09), bevel=0.008)
    for x in (-0.78, 0.78):
        m.box(IRON, (x - 0.03, -0.22, 0.0), (x + 0.03, -0.16, 0.42))  # back leg
        m.box(IRON, (x - 0.03, 0.16, 0.0), (x + 0.03, 0.22, 0.42))  # front leg
        m.box(IRON, (x - 0.03, -0.24, 0.38), (x + 0.03, 0.24, 0.42))  # seat rail
        m.box(IRON, (x - 0.025, 0.0, 0.62), (x + 0.025, 0.24, 0.66))  # armrest
        m.box(IRON, (x - 0.02, 0.18, 0.42), (x + 0.02, 0.22, 0.64))  # its post
        rings = [np.array([(x - 0.025, -0.27, 0.42), (x - 0.025, -0.21, 0.42), (x + 0.025, -0.21, 0.42), (x + 0.025, -0.27, 0.42)]),
                 np.array([(x - 0.025, -0.39, 0.9), (x - 0.025, -0.33, 0.9), (x + 0.025, -0.33, 0.9), (x + 0.025, -0.39, 0.9)])]
        m.loft(IRON, rings, crease=30.0)  # the back's upright
    return m


def sofa(name: str) -> Mesh:
    """A two-seat sofa 2.1 m long, its back toward -x (sitting faces +x); cushions' top 0.5 m up."""
    m = Mesh(name)
    fabric = Material("fabric", (0.25, 0.3, 0.36), roughness=0.95)
    cushion = Material("cushion", (0.3, 0.35, 0.42), roughness=0.95)
    wood = Material("feet", (0.2, 0.14, 0.09), roughness=0.7)
    m.box(fabric, (-0.45, -1.0, 0.08), (0.45, 1.0, 0.42), bevel=0.04)  # the base
    m.box(fabric, (-0.45, -1.05, 0.08), (-0.22, 1.05, 0.9), bevel=0.07)  # the back
    for y in (-0.97, 0.97):  # the arms, rolled at the top
        m.box(fabric, (-0.45, y - 0.08, 0.08), (0.45, y + 0.08, 0.6), bevel=0.05)
        m.cylinder(fabric, (0.0, y, 0.6), "x", 0.085, 0.9, segments=12)
    for y in (-0.45, 0.45):
        m.box(cushion, (-0.24, y - 0.43, 0.42), (0.4, y + 0.43, 0.5), bevel=0.035)
        m.box(cushion, (-0.28, y - 0.42, 0.5), (-0.1, y + 0.42, 0.85), bevel=0.06)  # back cushions
    for x in (-0.38, 0.38):
        for y in (-0.98, 0.98):
            m.cylinder(wood, (x, y, 0.04), "z", 0.03, 0.08, segments=8, radius2=0.025)
    return m


def coffee_table(name: str) -> Mesh:
    """A low wooden table 0.55 × 1.0 m, 0.4 m high, a mug on it."""
    m = Mesh(name)
    top = Material("table_top", (0.5, 0.36, 0.22), roughness=0.5)
    legs = Material("table_legs", (0.4, 0.28, 0.17), roughness=0.6)
    m.box(top, (-0.275, -0.5, 0.36), (0.275, 0.5, 0.4), bevel=0.01)
    m.box(legs, (-0.24, -0.46, 0.08), (0.24, 0.46, 0.1))  # a shelf under it
    for x in (-0.22, 0.22):
        for y in (-0.45, 0.45):
            m.cylinder(legs, (x, y, 0.18), "z", 0.025, 0.36, segments=10, radius2=0.02)
    m.cylinder(Material("mug", (0.9, 0.9, 0.9), roughness=0.3), (0.1, 0.2, 0.45), "z", 0.04, 0.1, segments=14)
    return m


def dining_table(name: str) -> Mesh:
    """A small round-edged table 1.0 × 0.7 m on a pedestal, 0.76 m high."""
    m = Mesh(name)
    top = Material("table_top", (0.55, 0.4, 0.25), roughness=0.5)
    legs = Material("table_legs", (0.4, 0.28, 0.17), roughness=0.6)
    m.box(top, (-0.5, -0.35, 0.72), (0.5, 0.35, 0.76), bevel=0.015)
    m.cylinder(legs, (0, 0, 0.37), "z", 0.05, 0.7, segments=12)
    m.box(legs, (-0.3, -0.04, 0.0), (0.3, 0.04, 0.05), bevel=0.01)
    m.box(legs, (-0.04, -0.25, 0.0), (0.04, 0.25, 0.05), bevel=0.01)
    return m


def dining_chair(name: str) -> Mesh:
    """A wooden chair, its seat 0.42 m square and 0.45 m up, its back toward -x."""
    m = Mesh(name)
    wood = Material("chair_wood", (0.4, 0.28, 0.17), roughness=0.6)
    m.box(wood, (-0.21, -0.21, 0.42), (0.21, 0.21, 0.46), bevel=0.01)
    for x in (-0.18, 0.18):
        for y in (-0.18, 0.18):
            m.box(wood, (x - 0.02, y - 0.02, 0.0), (x + 0.02, y + 0.02, 0.42))
    for y in (-0.18, 0.18):
        m.box(wood, (-0.2, y - 0.02, 0.46), (-0.16, y + 0.02, 0.92))
    for z in (0.62, 0.82):
        m.box(wood, (-0.2, -0.19, z), (-0.17, 0.19, z + 0.08), bevel=0.008)
    return m


def door(name: str) -> Mesh:
    """A panelled front door 0.9 m wide (along y), 2.05 m high, 5 cm thick (along x), its
    handles near +y."""
    m = Mesh(name)
    wood = Material("door_wood", (0.35, 0.22, 0.14), roughness=0.6)
    panel = Material("door_panel", (0.3, 0.19, 0.12), roughness=0.6)
    m.box(wood, (-0.025, -0.45, 0.0), (0.025, 0.45, 2.05))
    for z0, z1 in ((0.15, 0.95), (1.1, 1.9)):  # raised panels on both faces
        for y0, y1 in ((-0.36, -0.04), (0.04, 0.36)):
            m.box(panel, (-0.035, y0, z0), (-0.024, y1, z1), bevel=0.004)
            m.box(panel, (0.024, y0, z0), (0.035, y1, z1), bevel=0.004)
    for side in (-1, 1):
        m.cylinder(STEEL, (side * 0.05, 0.37, 1.0), "x", 0.012, 0.05, segments=8)
        m.box(STEEL, (side * 0.075 - 0.012, 0.29, 0.985), (side * 0.075 + 0.012, 0.38, 1.015))  # lever
        m.box(STEEL, (side * 0.03 - 0.004, 0.35, 0.9), (side * 0.03 + 0.004, 0.39, 1.1))  # rose plate
    m.cylinder(Material("door_lock", (0.8, 0.65, 0.3), metallic=0.9, roughness=0.3), (0.035, 0.37, 1.2), "x", 0.018, 0.01)
    return m


def litter_bin(name: str) -> Mesh:
    """A street litter bin 0.88 m high, 0.24 m radius: a green drum with a rim and a domed lid."""
    m = Mesh(name)
    green = Material("bin_green", (0.1, 0.2, 0.12), metallic=0.3, roughness=0.5)
    m.cylinder(green, (0, 0, 0.36), "z", 0.22, 0.72, segments=20, radius2=0.24)
    m.cylinder(green, (0, 0, 0.74), "z", 0.25, 0.05, segments=20)
    m.cylinder(TRIM, (0, 0, 0.79), "z", 0.245, 0.05, segments=20)  # the slot under the lid
    m.cylinder(green, (0, 0, 0.84), "z", 0.25, 0.05, segments=20, radius2=0.17)
    m.cylinder(STEEL, (0, 0, 0.4), "z", 0.225, 0.04, segments=20)  # a band
    return m


def dumpster(name: str) -> Mesh:
    """A wheeled 1.1 m³ dumpster 1.6 × 1.1 m, 1.35 m high with a sloping lid."""
    m = Mesh(name)
    green = Material("dumpster_green", (0.15, 0.32, 0.2), metallic=0.4, roughness=0.55)
    lid = Material("lid", (0.05, 0.06, 0.05), roughness=0.7)
    rings = [np.array([(-0.75, y, 0.12), (-0.8, y, 1.2), (0.8, y, 1.2), (0.75, y, 0.12)]) for y in (-0.48, 0.5)]
    m.loft(green, rings, crease=30.0)
    m.box(green, (-0.82, -0.56, 1.1), (0.82, 0.56, 1.2))  # rim
    lid_rings = [np.array([(-0.82, y, 1.2), (-0.82, y, z), (0.82, y, z), (0.82, y, 1.2)])
                 for y, z in ((-0.56, 1.26), (0.56, 1.35))]
    m.loft(lid, lid_rings, crease=30.0)
    for x in (-0.6, 0.6):
        for y in (-0.35, 0.35):
            m.cylinder(TYRE, (x, y, 0.06), "x", 0.06, 0.05, segments=12)
            m.box(IRON, (x - 0.04, y - 0.04, 0.1), (x + 0.04, y + 0.04, 0.13))
    for x in (-0.5, 0.5):
        m.box(IRON, (x - 0.03, -0.62, 0.95), (x + 0.03, -0.5, 1.0))  # handles on the front
    m.box(IRON, (-0.55, -0.64, 0.95), (0.55, -0.6, 1.0))
    return m


def tree(name: str) -> Mesh:
    """A broadleaf tree 6 m high: a tapering trunk with two limbs, a canopy of lumpy clumps
    (the largest 1.9 m across its radius, 4.2 m up)."""
    m = Mesh(name)
    bark = Material("bark", (0.25, 0.18, 0.12), roughness=0.95)
    leaves = Material("leaves", (0.1, 0.2, 0.08), roughness=0.9)
    leaves2 = Material("leaves_light", (0.13, 0.24, 0.09), roughness=0.9)
    rings = []
    for i, z in enumerate((0.0, 0.3, 1.2, 2.2, 3.4)):
        rr = 0.26 - 0.035 * i
        lean = 0.05 * z * z / 3.4
        rings.append(np.array([(lean + rr * np.cos(a), rr * np.sin(a), z) for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)]))
    m.loft(bark, rings, crease=60.0)
    for (dx, dy, dz), rr in (((0.9, 0.3, 1.0), 0.08), ((-0.7, -0.5, 1.1), 0.07)):  # limbs
        base = np.array((0.03, 0.0, 2.3))
        tip = base + (dx, dy, dz)
        ax = (tip - base) / np.linalg.norm(tip - base)
        u = np.cross(ax, (0, 0, 1.0))
        u /= np.linalg.norm(u)
        v = np.cross(ax, u)
        ring = lambda c, s: np.array([c + s * (np.cos(a) * u + np.sin(a) * v) for a in np.linspace(0, 2 * np.pi, 8, endpoint=False)])
        m.loft(bark, [ring(base, rr), ring(tip, rr * 0.5)], crease=60.0)
    m.blob(leaves, (0.0, 0.0, 4.2), (1.9, 1.8, 1.5), seed=1)
    m.blob(leaves2, (0.5, 0.6, 5.0), (1.4, 1.3, 1.1), seed=2)
    m.blob(leaves, (-0.9, -0.5, 4.6), (1.2, 1.1, 1.0), seed=3)
    m.blob(leaves2, (0.9, -0.8, 4.0), (1.0, 1.0, 0.8), seed=4)
    return m


HATCHBACK = Car(4.0, 1.75, 0.32, 1.3, (0.35, 0.08, 0.07), belt=0.93, hood=0.84, roof=1.45,
                windscreen=(0.85, 0.2), rear_glass=(-1.3, -1.8))
SEDAN = Car(4.6, 1.8, 0.33, 1.48, (0.55, 0.58, 0.62), belt=0.92, hood=0.82, roof=1.43,
            windscreen=(0.95, 0.25), rear_glass=(-0.8, -1.4))

#: name -> (builder, description, seat) where seat is (height, (x0, y0), (x1, y1)) in the model's frame.
PROPS: dict[str, tuple[Callable[[str], Mesh], str, tuple | None]] = {
    "car_hatchback_red": (lambda n: car(HATCHBACK, n), "maroon hatchback, 4.0 m", None),
    "car_hatchback_grey": (lambda n: car(Car(**{**HATCHBACK.__dict__, "length": 4.2, "wheel_y": 1.35,
                                                "paint": (0.55, 0.55, 0.5), "rear_glass": (-1.4, -1.9)}), n),
                           "grey-beige hatchback, 4.2 m", None),
    "car_sedan_silver": (lambda n: car(SEDAN, n), "silver saloon car, 4.6 m", None),
    "car_sedan_blue": (lambda n: car(Car(**{**SEDAN.__dict__, "paint": (0.14, 0.2, 0.32), "wheel_y": 1.45,
                                            "brake_lights": True}), n),
                       "dark blue saloon car, 4.6 m, brake lights on", None),
    "patrol_car": (lambda n: car(Car(5.0, 1.9, 0.34, 1.6, (0.04, 0.05, 0.08), belt=0.95, hood=0.85, roof=1.5,
                                     windscreen=(1.05, 0.35), rear_glass=(-0.85, -1.45),
                                     doors=(-1.15, 0.65, (0.85, 0.85, 0.88)), roof_paint=(0.85, 0.85, 0.88),
                                     push_bar=True), n),
                   "black-and-white patrol car, 5.0 m, roof 1.55 m (the scene adds the flashing light bar)", None),
    "panel_van": (van, "white panel van, 5.2 m", None),
    "park_bench": (bench, "slatted park bench with cast-iron ends, 1.7 m", (0.47, (-0.85, -0.21), (0.85, 0.24))),
    "sofa": (sofa, "two-seat fabric sofa, 2.1 m, facing +x", (0.5, (-0.24, -0.88), (0.4, 0.88))),
    "coffee_table": (coffee_table, "low wooden coffee table with a mug", None),
    "dining_table": (dining_table, "small wooden dining table on a pedestal", None),
    "dining_chair": (dining_chair, "wooden dining chair, facing +x", (0.46, (-0.21, -0.21), (0.21, 0.21))),
    "front_door": (door, "panelled wooden door, 0.9 × 2.05 m", None),
    "litter_bin": (litter_bin, "green street litter bin", None),
    "dumpster": (dumpster, "wheeled green dumpster", None),
    "tree": (tree, "broadleaf tree, 6 m", None),
}
