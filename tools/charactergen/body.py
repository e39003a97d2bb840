"""The body pieces. Each glTF node is named ``slot.option.region``:

- slot/option pick what a variant wears or is built like (``torso.heavy_m``, ``hair.bun``);
- region says which colour the engine gives it (skin, top, legs, shoes, hair, hat, eyes,
  mouth, glasses).

The engine keeps the nodes a variant's appearance selects and colours them.
"""

from __future__ import annotations

from charactergen.mesh import MeshBuilder, Vec, box, ellipsoid, limb, tube
from charactergen.skeleton import POSITION

BUILDS = {"slim": 0.88, "average": 1.0, "heavy": 1.18}
FIGURES = ("m", "f")
HAIR_STYLES = ("short", "cropped", "long", "bun", "balding")
ITEMS = ("beard", "cap", "beanie", "glasses")


def _torso(m: MeshBuilder, girth: float, figure: str) -> None:
    belly = 1.0 + max(0.0, girth - 1.0) * 2.6  # heavy builds carry it in front
    f = figure == "f"
    rings = [
        ((0.0, 0.95, 0.0), 0.165 * girth * (1.08 if f else 1.0), 0.105 * girth, (("Hips", 0.6), ("Spine", 0.4))),
        ((0.0, 1.10, 0.012 * (belly - 1)), 0.155 * girth * (0.86 if f else 1.0), 0.105 * belly, (("Spine", 1.0),)),
        ((0.0, 1.24, 0.01 * (belly - 1)), 0.168 * girth * (0.92 if f else 1.0), 0.112 * (1 + (belly - 1) * 0.6),
         (("Spine", 0.5), ("Chest", 0.5))),
        ((0.0, 1.35, 0.01 if f else 0.0), 0.18 * min(girth, 1.08) * (0.9 if f else 1.0), 0.118 * girth * (1.12 if f else 1.0),
         (("Chest", 1.0),)),
        ((0.0, 1.45, 0.0), 0.17 * min(girth, 1.05) * (0.88 if f else 1.0), 0.1 * girth, (("Chest", 1.0),)),
        ((0.0, 1.51, 0.0), 0.085, 0.07, (("Chest", 0.7), ("Neck", 0.3))),
    ]
    tube(m, rings, sides=12)
    for side in (1, -1):  # rounded shoulders
        x = side * (0.17 * min(girth, 1.05) * (0.9 if f else 1.0))
        ellipsoid(m, (x, 1.445, 0.0), (0.06, 0.05, 0.06),
                  (("Chest", 0.5), ("LeftUpperArm" if side > 0 else "RightUpperArm", 0.5)), rings=4, segments=8)


def _legs(m: MeshBuilder, girth: float, figure: str) -> None:
    hip_w = 1.08 if figure == "f" else 1.0
    tube(m, [((0.0, 1.0, 0.0), 0.165 * girth * hip_w, 0.105 * girth, (("Hips", 1.0),)),
             ((0.0, 0.84, 0.0), 0.16 * girth * hip_w, 0.1 * girth, (("Hips", 1.0),))], sides=12)
    for _side, pre in ((1, "Left"), (-1, "Right")):
        hip, knee, ankle = (POSITION[f"{pre}{j}"] for j in ("UpperLeg", "LowerLeg", "Foot"))
        up, low, foot = f"{pre}UpperLeg", f"{pre}LowerLeg", f"{pre}Foot"
        g = girth * (1.04 if figure == "f" else 1.0)
        limb(m, (hip[0], hip[1] + 0.04, hip[2]), knee, [
            (0.0, 0.085 * g, 0.085 * g, (("Hips", 0.5), (up, 0.5))),
            (0.25, 0.08 * g, 0.082 * g, ((up, 1.0),)),
            (0.8, 0.058 * g, 0.06 * g, ((up, 1.0),)),
            (1.0, 0.052 * g, 0.055 * g, ((up, 0.5), (low, 0.5))),
        ])
        limb(m, knee, (ankle[0], ankle[1] + 0.01, ankle[2]), [
            (-0.06, 0.05 * g, 0.053 * g, ((up, 0.5), (low, 0.5))),
            (0.3, 0.05 * g, 0.055 * g, ((low, 1.0),)),
            (1.0, 0.04, 0.042, ((low, 0.7), (foot, 0.3))),
        ])


def _feet(m: MeshBuilder) -> None:
    for pre in ("Left", "Right"):
        a = POSITION[f"{pre}Foot"]
        foot = f"{pre}Foot"
        box(m, (a[0], 0.045, a[2] + 0.05), (0.095, 0.09, 0.26), ((foot, 1.0),))
        tube(m, [((a[0], 0.13, a[2]), 0.042, 0.045, ((f"{pre}LowerLeg", 0.6), (foot, 0.4))),
                 ((a[0], 0.08, a[2]), 0.045, 0.05, ((foot, 1.0),))], sides=8)


def _arm(m_sleeve: MeshBuilder, m_skin: MeshBuilder, girth: float, short: bool) -> None:
    g = 1.0 + (girth - 1.0) * 0.8
    for pre in ("Left", "Right"):
        sh, el, wr = (POSITION[f"{pre}{j}"] for j in ("UpperArm", "LowerArm", "Hand"))
        up, low, hand = f"{pre}UpperArm", f"{pre}LowerArm", f"{pre}Hand"
        upper = [
            (0.0, 0.055 * g, 0.055 * g, (("Chest", 0.3), (up, 0.7))),
            (0.3, 0.05 * g, 0.052 * g, ((up, 1.0),)),
            (0.88, 0.042 * g, 0.044 * g, ((up, 1.0),)),
            (1.0, 0.04 * g, 0.042 * g, ((up, 0.5), (low, 0.5))),
        ]
        lower = [
            (-0.06, 0.04 * g, 0.042 * g, ((up, 0.5), (low, 0.5))),
            (0.4, 0.038 * g, 0.04 * g, ((low, 1.0),)),
            (1.0, 0.028, 0.032, ((low, 0.5), (hand, 0.5))),
        ]
        if short:
            limb(m_sleeve, sh, el, upper[:2] + [(0.5, 0.05 * g, 0.052 * g, ((up, 1.0),))])
            limb(m_skin, sh, el, [(0.45, 0.045 * g, 0.047 * g, ((up, 1.0),))] + upper[2:])
            limb(m_skin, el, wr, lower)
        else:
            limb(m_sleeve, sh, el, upper)
            limb(m_sleeve, el, wr, lower[:2] + [(0.95, 0.033, 0.036, ((low, 0.6), (hand, 0.4)))])


def _hands(m: MeshBuilder) -> None:
    for side, pre in ((1, "Left"), (-1, "Right")):
        w = POSITION[f"{pre}Hand"]
        hand = f"{pre}Hand"
        ellipsoid(m, (w[0] + side * 0.005, w[1] - 0.075, w[2] + 0.005), (0.025, 0.085, 0.045),
                  ((hand, 1.0),), rings=5, segments=8)
        ellipsoid(m, (w[0] - side * 0.003, w[1] - 0.05, w[2] + 0.045), (0.014, 0.04, 0.014),
                  ((hand, 1.0),), rings=3, segments=6)


def _head(skin: MeshBuilder, eyes: MeshBuilder, mouth: MeshBuilder, brows: MeshBuilder) -> None:
    tube(skin, [((0.0, 1.47, 0.0), 0.052, 0.05, (("Chest", 1.0),)),
                ((0.0, 1.55, 0.005), 0.05, 0.05, (("Neck", 1.0),)),
                ((0.0, 1.64, 0.0), 0.048, 0.048, (("Head", 1.0),))], sides=10)
    ellipsoid(skin, (0.0, 1.70, 0.012), (0.083, 0.108, 0.095), (("Head", 1.0),), rings=9, segments=14)
    ellipsoid(skin, (0.0, 1.625, 0.045), (0.062, 0.038, 0.06), (("Jaw", 1.0),), rings=5, segments=10)
    box(skin, (0.0, 1.69, 0.108), (0.024, 0.04, 0.03), (("Head", 1.0),))
    for side in (1, -1):
        ellipsoid(skin, (side * 0.083, 1.695, 0.0), (0.012, 0.03, 0.02), (("Head", 1.0),), rings=3, segments=6)
        ellipsoid(eyes, (side * 0.032, 1.715, 0.092), (0.013, 0.011, 0.008), (("Head", 1.0),), rings=3, segments=8)
        box(brows, (side * 0.034, 1.738, 0.098), (0.032, 0.007, 0.01), (("Head", 1.0),))
    box(mouth, (0.0, 1.637, 0.103), (0.04, 0.008, 0.01), (("Jaw", 1.0),))


def _hair(m: MeshBuilder, style: str) -> None:
    head = (("Head", 1.0),)
    if style in ("short", "long", "bun"):
        ellipsoid(m, (0.0, 1.713, 0.0), (0.089, 0.105, 0.1), head, polar=(0, 82), rings=6)
    if style == "cropped":
        ellipsoid(m, (0.0, 1.708, 0.004), (0.086, 0.104, 0.098), head, polar=(0, 72), rings=5)
    if style == "long":
        ellipsoid(m, (0.0, 1.62, -0.045), (0.092, 0.14, 0.06), head, polar=(0, 180), rings=6, segments=10)
    if style == "bun":
        ellipsoid(m, (0.0, 1.76, -0.1), (0.045, 0.042, 0.04), head, rings=4, segments=8)
    if style == "balding":
        ellipsoid(m, (0.0, 1.705, 0.0), (0.087, 0.105, 0.099), head, polar=(58, 100), rings=3, skip_front=70)


def _item(m: MeshBuilder, item: str) -> None:
    head = (("Head", 1.0),)
    if item == "beard":
        ellipsoid(m, (0.0, 1.628, 0.05), (0.067, 0.05, 0.062), (("Jaw", 1.0),), polar=(70, 180), rings=4, segments=12)
        box(m, (0.0, 1.652, 0.104), (0.05, 0.01, 0.012), head)
    elif item == "cap":
        ellipsoid(m, (0.0, 1.735, 0.0), (0.094, 0.08, 0.104), head, polar=(0, 90), rings=5)
        box(m, (0.0, 1.738, 0.14), (0.15, 0.012, 0.09), head)
    elif item == "beanie":
        ellipsoid(m, (0.0, 1.72, -0.003), (0.094, 0.115, 0.104), head, polar=(0, 88), rings=6)
    elif item == "glasses":
        for side in (1, -1):
            box(m, (side * 0.033, 1.715, 0.103), (0.036, 0.026, 0.006), head)
            box(m, (side * 0.084, 1.72, 0.05), (0.005, 0.006, 0.1), head)
        box(m, (0.0, 1.72, 0.104), (0.03, 0.005, 0.005), head)


def build_pieces() -> dict[str, MeshBuilder]:
    """Every node of the character, by name (``slot.option.region``), in a fixed order."""
    out: dict[str, MeshBuilder] = {}

    def mesh(name: str) -> MeshBuilder:
        return out.setdefault(name, MeshBuilder(name))

    _head(mesh("head.base.skin"), mesh("head.base.eyes"), mesh("head.base.mouth"), mesh("head.base.hair"))
    _hands(mesh("hands.base.skin"))
    _feet(mesh("feet.base.shoes"))
    for build, girth in BUILDS.items():
        for figure in FIGURES:
            _torso(mesh(f"torso.{build}_{figure}.top"), girth, figure)
            _legs(mesh(f"legs.{build}_{figure}.legs"), girth, figure)
        for sleeves in ("long", "short"):
            option = f"{build}_{sleeves}"
            _arm(mesh(f"arms.{option}.top"), mesh(f"arms.{option}.skin"), girth, sleeves == "short")
    for style in HAIR_STYLES:
        _hair(mesh(f"hair.{style}.hair"), style)
    _item(mesh("beard.full.hair"), "beard")
    _item(mesh("hat.cap.hat"), "cap")
    _item(mesh("hat.beanie.hat"), "beanie")
    _item(mesh("glasses.round.glasses"), "glasses")
    return {name: m for name, m in out.items() if m.indices}


def vertex_count(pieces: dict[str, MeshBuilder]) -> int:
    return sum(len(m.positions) for m in pieces.values())


__all__ = ["BUILDS", "FIGURES", "HAIR_STYLES", "ITEMS", "Vec", "build_pieces", "vertex_count"]
