"""What a built-in character looks like: build, height, skin, hair, clothes and items.

An appearance is data (``assets/manifest.yaml``, under a character's ``appearance``);
the engine picks the humanoid's body pieces and colours from it. Named skin tones and
hair colours keep manifests readable; any colour may also be ``[r, g, b]`` (0..1).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

RGB = tuple[float, float, float]

SKIN_TONES: dict[str, RGB] = {
    "pale": (0.93, 0.79, 0.7), "light": (0.87, 0.69, 0.57), "medium": (0.77, 0.57, 0.43),
    "olive": (0.67, 0.51, 0.36), "tan": (0.6, 0.43, 0.31), "brown": (0.46, 0.31, 0.21),
    "dark": (0.32, 0.21, 0.15), "deep": (0.22, 0.14, 0.1),
}
HAIR_COLOURS: dict[str, RGB] = {
    "black": (0.05, 0.045, 0.04), "dark_brown": (0.15, 0.1, 0.07), "brown": (0.3, 0.2, 0.12),
    "auburn": (0.45, 0.2, 0.1), "blonde": (0.75, 0.6, 0.36), "grey": (0.56, 0.55, 0.53), "white": (0.86, 0.85, 0.82),
}
BUILDS = ("slim", "average", "heavy", "athletic")
ANCESTRIES = ("african", "asian", "european", "mixed")
EYE_COLOURS: dict[str, RGB] = {"brown": (0.28, 0.16, 0.08), "dark": (0.12, 0.07, 0.04), "hazel": (0.4, 0.3, 0.14),
                               "green": (0.25, 0.4, 0.22), "blue": (0.25, 0.42, 0.6), "grey": (0.45, 0.5, 0.52)}
BODIES = ("male", "female")
HAIR_STYLES = ("none", "short", "cropped", "long", "bun", "balding")
ITEMS = ("beard", "cap", "beanie", "glasses")
SLEEVES = ("long", "short")


@dataclass(frozen=True, slots=True)
class Appearance:
    """A built-in character's look. Defaults: an average man of 1.78 m in a grey top and jeans."""

    build: str = "average"
    body: str = "male"
    height: float = 1.78
    skin: RGB = SKIN_TONES["medium"]
    hair: str = "short"
    hair_color: RGB = HAIR_COLOURS["dark_brown"]
    top: RGB = (0.35, 0.38, 0.45)
    sleeves: str = "long"
    legs: RGB = (0.16, 0.2, 0.32)
    shoes: RGB = (0.08, 0.08, 0.08)
    hat_color: RGB = (0.5, 0.1, 0.1)
    items: tuple[str, ...] = field(default=())
    age: float = 35.0  # years: the body's shape (the build tool reads it; the game only shows the result)
    ancestry: str = "mixed"
    eye_color: RGB = EYE_COLOURS["brown"]

    def pieces(self) -> set[str]:
        """The humanoid's nodes (``slot.option``) this appearance shows."""
        figure = "f" if self.body == "female" else "m"
        out = {"head.base", "hands.base", "feet.base", f"torso.{self.build}_{figure}", f"legs.{self.build}_{figure}",
               f"arms.{self.build}_{self.sleeves}"}
        if self.hair != "none":
            out.add(f"hair.{self.hair}")
        names = {"beard": "beard.full", "cap": "hat.cap", "beanie": "hat.beanie", "glasses": "glasses.round"}
        out |= {names[i] for i in self.items}
        return out  # characters built for one look name their nodes slot.look.region: all shown

    def colour(self, region: str) -> RGB:
        """The colour of a region (skin, top, legs, shoes, hair, hat, eyes, mouth, glasses)."""
        fixed = {"eyes": (0.06, 0.05, 0.05), "glasses": (0.05, 0.05, 0.06), "sclera": (0.88, 0.86, 0.82),
                 "pupil": (0.02, 0.02, 0.02), "teeth": (0.86, 0.84, 0.76), "cavity": (0.18, 0.05, 0.05),
                 "lashes": (0.04, 0.03, 0.03),
                 "mouth": (self.skin[0] * 0.6 + 0.2, self.skin[1] * 0.35 + 0.05, self.skin[2] * 0.35 + 0.05)}
        brows = tuple(c * 0.7 for c in self.hair_color) if self.hair_color[0] < 0.5 else (0.4, 0.38, 0.36)
        named = {"skin": self.skin, "top": self.top, "legs": self.legs, "shoes": self.shoes, "hair": self.hair_color,
                 "hat": self.hat_color, "iris": self.eye_color, "brows": brows}
        return named.get(region) or fixed.get(region, (0.5, 0.5, 0.5))


def _rgb(value: Any, names: dict[str, RGB]) -> RGB:
    if isinstance(value, str):
        return names[value]
    return (float(value[0]), float(value[1]), float(value[2]))


def appearance_from(data: dict[str, Any]) -> Appearance:
    """An :class:`Appearance` from a schema-checked manifest mapping (missing keys: defaults)."""
    base = Appearance()
    return Appearance(
        build=data.get("build", base.build),
        body=data.get("body", base.body),
        height=float(data.get("height", base.height)),
        skin=_rgb(data["skin"], SKIN_TONES) if "skin" in data else base.skin,
        hair=data.get("hair", base.hair),
        hair_color=_rgb(data["hair_color"], HAIR_COLOURS) if "hair_color" in data else base.hair_color,
        top=_rgb(data["top"], {}) if "top" in data else base.top,
        sleeves=data.get("sleeves", base.sleeves),
        legs=_rgb(data["legs"], {}) if "legs" in data else base.legs,
        shoes=_rgb(data["shoes"], {}) if "shoes" in data else base.shoes,
        hat_color=_rgb(data["hat_color"], {}) if "hat_color" in data else base.hat_color,
        items=tuple(data.get("items", ())),
        age=float(data.get("age", base.age)),
        ancestry=data.get("ancestry", base.ancestry),
        eye_color=_rgb(data["eye_color"], EYE_COLOURS) if "eye_color" in data else base.eye_color,
    )


def random_appearance(rng: random.Random) -> Appearance:
    """A plausible random look (for scenarios that randomise a subject's appearance)."""
    body = rng.choice(BODIES)
    hair = rng.choice(("short", "cropped", "balding", "none") if body == "male" else ("long", "bun", "short"))
    items = tuple(i for i, p in (("beard", 0.3 if body == "male" else 0.0), ("glasses", 0.25), ("cap", 0.12)) if rng.random() < p)

    def cloth() -> RGB:
        return (round(rng.uniform(0.05, 0.7), 2), round(rng.uniform(0.05, 0.7), 2), round(rng.uniform(0.05, 0.7), 2))

    return Appearance(
        build=rng.choice(BUILDS), body=body, height=round(rng.uniform(1.55, 1.7) if body == "female" else rng.uniform(1.65, 1.92), 2),
        skin=SKIN_TONES[rng.choice(sorted(SKIN_TONES))], hair=hair, hair_color=HAIR_COLOURS[rng.choice(sorted(HAIR_COLOURS))],
        top=cloth(), sleeves=rng.choice(SLEEVES), legs=cloth(), shoes=(0.08, 0.08, 0.08), hat_color=cloth(), items=items,
    )
