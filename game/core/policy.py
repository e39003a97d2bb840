"""An agency's use-of-force policy as plain data, and the two questions the review asks of it:
what was the subject's resistance level at a moment (:func:`resistance_level`), and was a
force option within policy at that level (:meth:`Policy.verdict`).

Loaded from YAML by :mod:`game.content.policy` (``scenarios/policies/default.yaml`` ships).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

#: The resistance ladder, lowest first (a policy gives each its own words).
LEVELS = ("compliant", "passive", "active", "assaultive", "deadly")

#: Postures and activities that mean the subject is complying or not resisting.
_YIELDING_POSTURES = frozenset({"hands_up", "kneeling", "prone", "sitting", "collapsed"})
#: Seconds an attack keeps the level at assaultive/deadly after it happened.
ATTACK_MEMORY = 2.0


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    text: str
    #: ``scenarios``, ``appearances``, ``triggers``, ``branches``, ``facts``: any match makes it hold.
    when: Mapping[str, tuple[str, ...]]

    def holds(self, facts: Mapping[str, Any]) -> bool:
        for key, names in self.when.items():
            have = facts.get(key, ())
            have = (have,) if isinstance(have, str) else tuple(have)
            if any(n in have for n in names):
                return True
        return False


@dataclass(frozen=True, slots=True)
class ForceOption:
    id: str
    text: str
    allowed_from: str
    tools: tuple[str, ...] = ()
    drawn_from: str = ""
    not_when: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    reason: str


@dataclass(frozen=True, slots=True)
class Policy:
    title: str
    levels: Mapping[str, str]  # id -> text, in ladder order
    options: tuple[ForceOption, ...]
    conditions: Mapping[str, Condition] = field(default_factory=dict)
    path: str = ""

    def option_for(self, tool: str) -> ForceOption | None:
        """The option a journal tool name (``cew``, ``touch`` ...) belongs to."""
        return next((o for o in self.options if tool in o.tools), None)

    def conditions_holding(self, facts: Mapping[str, Any]) -> list[str]:
        return [c.id for c in self.conditions.values() if c.holds(facts)]

    def verdict(self, tool: str, level: str, facts: Mapping[str, Any], *, drawn: bool = False) -> Verdict:
        """Whether using (or, with ``drawn``, drawing/pointing) ``tool`` at ``level`` is within policy."""
        option = self.option_for(tool)
        if option is None:
            return Verdict(False, f"'{tool}' is not a force option of this policy")
        holding = set(self.conditions_holding(facts))
        barred = [c for c in option.not_when if c in holding]
        if barred and not drawn:
            why = "; ".join(self.conditions[c].text if c in self.conditions else c for c in barred)
            return Verdict(False, f"{option.id} is not allowed on this subject: {why}")
        need = option.drawn_from if drawn and option.drawn_from else option.allowed_from
        what = "drawing " + option.id if drawn else option.id
        if LEVELS.index(level) >= LEVELS.index(need):
            return Verdict(True, f"{what} is allowed from {need} resistance; the subject was {level}")
        return Verdict(False, f"{what} needs at least {need} resistance; the subject was {level}")


def resistance_level(sample: Mapping[str, Any], *, weapon: str = "none", attacked_at: float | None = None,
                     attack_weapon: str = "none", now: float = 0.0) -> str:
    """The subject's resistance level from one journal sample (``StateSampled``'s subject entry)
    and the last attack: deadly when attacking or advancing with a weapon out, assaultive when
    attacking unarmed, active when fists, fleeing or holding a weapon, passive when not
    complying, compliant when complying or yielding."""
    recent_attack = attacked_at is not None and now - attacked_at <= ATTACK_MEMORY
    armed = bool(sample.get("weapon_out")) and weapon not in ("", "none")
    attacking = sample.get("activity") == "attack" or sample.get("posture") == "attacking" or recent_attack
    advancing = sample.get("goal") == "attack" or sample.get("activity") == "approach" and sample.get("posture") == "fists"
    if (attacking or advancing) and (armed or (recent_attack and attack_weapon not in ("", "none"))):
        return "deadly"
    if armed and weapon == "firearm":
        return "deadly"
    if attacking or advancing:
        return "assaultive"
    if armed or sample.get("posture") == "fists" or sample.get("activity") in ("flee", "retreat"):
        return "active"
    if sample.get("goal") == "comply" or sample.get("activity") == "comply" or sample.get("posture") in _YIELDING_POSTURES:
        return "compliant"
    if float(sample.get("compliance", 0.0)) >= 0.5:
        return "compliant"
    return "passive"
