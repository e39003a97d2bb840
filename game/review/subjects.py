"""What the review needs to know about each subject to word its findings the way an instructor
would: the name the scenario gives them, what their weapon actually is (a screwdriver is no
knife), how close is crowding them, and the facts that call for restraint — confused, elderly,
juvenile, deaf — against which a shout or a force option "within policy" is still questioned
(ICAT's core: proportionality and the sanctity of life).

And :func:`provocations`: escalations of a subject that followed, within a few seconds, the
trainee's own action — a shout, a step in, a drawn or used tool, hands on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from game.core.events import WEAPONS
from game.core.policy import Policy
from game.core.scenario import ScenarioDef

#: Profile triggers that call for restraint although no policy condition names them.
RESTRAINT_TRIGGERS = {"cannot_hear": "deaf", "hears_voices": "hearing voices", "confused": "confused"}
#: The words of :data:`RESTRAINT_TRIGGERS` and the policy's conditions for which a shouted command
#: works against the trainee (the subject cannot hear, understand or follow it, or is frightened by it).
SHOUT_SENSITIVE = frozenset({"deaf", "hearing voices", "confused", "elderly", "a juvenile"})
#: Policy condition ids in plain words (others are shown as their id).
CONDITION_WORDS = {"elevated": "at a height", "elderly": "elderly", "confused": "confused", "juvenile": "a juvenile"}
#: An escalation this soon after the trainee's own action is said to follow it, s.
CAUSE_WINDOW = 3.0
#: A step in counts when the trainee closed at least this much on the subject within the window, m.
STEP_IN = 1.0
ESCALATED_POSTURES = frozenset({"fists", "attacking"})


@dataclass(frozen=True)
class SubjectFacts:
    id: str
    name: str
    weapon: str  # the kind: "none", "knife", "bat", "firearm"
    weapon_name: str  # what it is called: "screwdriver"; "" for none
    comfort: float
    restraint: tuple[str, ...]  # plain words: "elderly", "confused", "deaf"

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else self.id


def subject_facts(scenario: ScenarioDef, policy: Policy) -> dict[str, SubjectFacts]:
    """Per subject id: its :class:`SubjectFacts` from the scenario and the policy's conditions."""
    out = {}
    for s in scenario.subjects:
        facts = {"scenarios": (scenario.id,), "appearances": (s.appearance,), "triggers": tuple(s.profile.triggers),
                 "facts": s.facts}
        words = [CONDITION_WORDS.get(c, c.replace("_", " ")) for c in policy.conditions_holding(facts)]
        words += [w for t, w in RESTRAINT_TRIGGERS.items() if t in s.profile.triggers and w not in words]
        kind = s.profile.weapon
        name = "" if kind == "none" else (getattr(s.profile, "weapon_name", "") or kind)
        out[s.id] = SubjectFacts(s.id, s.name or s.id, kind, name, float(s.profile.comfort_distance), tuple(words))
    return out


def and_list(words: list[str] | tuple[str, ...]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1] if words else ""


@dataclass(frozen=True)
class Provocation:
    time: float  # when the subject escalated
    subject: str
    posture: str
    #: The trainee's acts before it, oldest first: (seconds before the escalation, "shouted “Drop it!”").
    acts: tuple[tuple[float, str], ...]
    step_in: str  # "stepped in to 2.1 m" when the trainee also closed in, else ""
    agitation: tuple[float, float] | None  # (before the first act, at the escalation), from the samples

    @property
    def cause(self) -> str:
        return provocation_text(self)


def provocations(records: list[dict[str, Any]]) -> list[Provocation]:
    """Each escalation (a posture into fists or attacking) that came within :data:`CAUSE_WINDOW`
    seconds of the trainee's own action — the latest two acts, and a step in beside them."""
    samples = [r for r in records if r["type"] == "StateSampled"]
    actions: list[tuple[float, str]] = []
    for r in records:
        if r.get("source") != "trainee":
            continue
        t, kind = float(r["time"]), r["type"]
        if kind == "Say" and r.get("tone") == "shout":
            text = r.get("text") or r["intent"].replace("_", " ")
            actions.append((t, f"shouted “{text}”"))
        elif kind == "Draw" and r.get("tool") in WEAPONS:
            actions.append((t, f"drew the {r['tool'].replace('_', ' ')}"))
        elif kind == "Use" and r.get("tool") in WEAPONS:
            actions.append((t, f"used the {r['tool'].replace('_', ' ')}"))
        elif kind == "Touch":
            actions.append((t, "put hands on"))
    out = []
    for r in records:
        if r["type"] != "SubjectPostureChanged":
            continue
        if not (r["posture"] in ESCALATED_POSTURES and r["previous"] not in ESCALATED_POSTURES):
            continue
        t, sid = float(r["time"]), r["subject"]
        found = sorted((at, what) for at, what in actions if t - CAUSE_WINDOW <= at <= t)[-2:]
        step = _step_in(samples, sid, t)
        if not found and step is None:
            continue
        first = found[0][0] if found else step[0]  # type: ignore[index]
        out.append(Provocation(t, sid, r["posture"], tuple((round(t - at, 2), what) for at, what in found),
                               step[1] if step else "", _agitation(samples, sid, first, t)))
    return out


def _distance(sample: dict[str, Any], sid: str) -> float | None:
    s = next((s for s in sample["subjects"] if s["id"] == sid), None)
    return None if s is None else math.dist(sample["trainee"]["position"], s["position"])


def _step_in(samples: list[dict[str, Any]], sid: str, t: float) -> tuple[float, str] | None:
    """The trainee's closing in on ``sid`` within the window before ``t`` (their own movement)."""
    window = [s for s in samples if t - CAUSE_WINDOW <= float(s["time"]) <= t]
    if len(window) < 2:
        return None
    first, last = window[0], window[-1]
    d0, d1 = _distance(first, sid), _distance(last, sid)
    moved = math.dist(first["trainee"]["position"], last["trainee"]["position"])
    if d0 is None or d1 is None or d0 - d1 < STEP_IN or moved < STEP_IN:
        return None
    # when the trainee was last still farther off than where they ended: the step's time
    start = next((float(s["time"]) for s in reversed(window) if (_distance(s, sid) or 0) >= d1 + STEP_IN), float(first["time"]))
    return start, f"stepped in to {d1:.1f} m"


def _agitation(samples: list[dict[str, Any]], sid: str, before: float, at: float) -> tuple[float, float] | None:
    def value(sample: dict[str, Any]) -> float | None:
        s = next((s for s in sample["subjects"] if s["id"] == sid), None)
        return None if s is None else float(s["agitation"])

    prior = [s for s in samples if float(s["time"]) < before] or [s for s in samples if float(s["time"]) <= before]
    after = [s for s in samples if float(s["time"]) >= at]
    if not prior or not after:
        return None
    a0, a1 = value(prior[-1]), value(after[0])
    return None if a0 is None or a1 is None else (round(a0, 2), round(a1, 2))


def _after(seconds: float) -> str:
    return "right after" if seconds < 0.05 else f"{seconds:.1f} s after"


def provocation_text(p: Provocation) -> str:
    """"agitation rose (0.52 → 0.81) 2.0 s after the trainee shouted “Drop it!”" — with two acts,
    each with its own time; a step in beside them is named too."""
    rose = f" ({p.agitation[0]:.2f} → {p.agitation[1]:.2f})" if p.agitation and p.agitation[1] > p.agitation[0] else ""
    if not p.acts:
        return f"agitation rose{rose} as the trainee {p.step_in}"
    if len(p.acts) == 1:
        (after, what), = p.acts
        text = f"{_after(after)} the trainee {what}"
    else:
        (a0, w0), (a1, w1) = p.acts
        if w0.startswith("shouted ") and w1.startswith("shouted "):
            w1 = w1.removeprefix("shouted ")
        text = "after the trainee " + " and ".join(f"{what} ({'at the same moment' if after < 0.05 else f'{after:.1f} s before'})"
                                                   for after, what in ((a0, w0), (a1, w1)))
    return f"agitation rose{rose} {text}" + (f", having {p.step_in}" if p.step_in else "")
