"""The trainee's events tagged to the five steps of the ICAT Critical Decision-Making Model.

Called once per review, after the journal walk (:func:`game.review.analysis.analyse`), with the
journal's records and the figures the walk already computed (distances, force decisions).
Each step gets short, factual lines that begin with the moment they refer to; a step with
nothing to show gets the sentence in :data:`NOTHING`, which says what would have counted.

- 1 Collect information: questions asked, listening, introductions.
- 2 Assess the situation, threats and risks: distance at first contact, the closest approach,
  time inside the reactionary gap, when a weapon came out and how far away it was.
- 3 Consider police powers and agency policy: every force option against the policy.
- 4 Identify options and determine the best course of action: backup and crisis team,
  giving space, rapport, repositioning (stepping back), lowering or putting away a weapon.
- 5 Act, review and re-assess: how the trainee answered each change in the subject —
  an escalation, a calming down, a weapon dropped, a force option taking effect.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from game.core.events import WEAPONS

ICAT_STEPS = (
    (1, "Collect information"),
    (2, "Assess the situation, threats and risks"),
    (3, "Consider police powers and agency policy"),
    (4, "Identify options and determine the best course of action"),
    (5, "Act, review and re-assess"),
)

#: What a step with no events says (the report shows it in place of the list).
NOTHING = {
    1: "no questions asked and no listening: the trainee gathered no information by talking",
    2: "no distance recorded",
    3: "no force option was drawn or used",
    4: "no backup or crisis team called, no space given, no stepping back, no weapon lowered",
    5: "the subject's state did not change in a way that called for an answer",
}

#: Intents that gather information (step 1) and that widen the options (step 4).
GATHER = frozenset({"ask_name", "ask_what_happened", "listen", "greet", "identify"})
OPTIONS = frozenset({"call_backup", "call_crisis_team", "offer_help", "give_space", "reassure", "empathise",
                     "write_note", "gesture", "explain_consequences"})
CALMING = frozenset({"listen", "empathise", "reassure", "offer_help", "give_space", "ask_what_happened", "gesture",
                     "write_note", "call_crisis_team"})
COMMANDS_PREFIX = ("command_", "warn_force")
ESCALATED_POSTURES = frozenset({"fists", "attacking"})
#: A step back counts as repositioning from this many metres away from the nearest subject.
STEP_BACK = 1.0
#: How long after a change in the subject an answer from the trainee counts as its answer, s.
ANSWER_WINDOW = 10.0


def _said(r: dict[str, Any]) -> str:
    intent = r["intent"].replace("_", " ")
    text = r.get("text") or ""
    return f"{intent} (“{text}”)" if text and len(text) <= 60 else intent


def tag(records: list[dict[str, Any]], *, closest: float | None, time_inside_gap: float, gap: float,
        armed_present: bool, closest_armed: float | None, time_inside_armed_gap: float, armed_gap: float,
        force: Iterable[Any], subjects: Mapping[str, Any] | None = None, armed_inside_gap: float = 0.0,
        crowding: Mapping[str, float] | None = None, closest_to: Mapping[str, float] | None = None,
        provocations: Iterable[Any] = ()) -> dict[int, list[str]]:
    """Returns ``{step: [line, ...]}`` for the five steps (empty lists where nothing happened).
    ``subjects`` (:class:`~game.review.subjects.SubjectFacts` by id) names weapons and comfort
    distances; ``provocations`` are the escalations that followed the trainee's own action."""
    from game.review.analysis import metres

    subjects = subjects or {}
    icat: dict[int, list[str]] = {n: [] for n, _ in ICAT_STEPS}
    trainee = [r for r in records if r.get("source") == "trainee"]
    says = [r for r in trainee if r["type"] == "Say"]
    for r in says:
        if r["intent"] in GATHER:
            icat[1].append(f"{r['time']:.1f} s: {_said(r)}")
    _assess(records, icat[2], says, subjects)
    if closest is None:
        icat[2].append(NOTHING[2])
    for sid, d in (closest_to or {}).items():
        f = subjects.get(sid)
        if f is None:
            continue
        inside = (crowding or {}).get(sid, 0.0)
        icat[2].append(f"{f.first_name}: closest {metres(d, f.comfort)}; "
                       + (f"{inside:.1f} s inside the {f.comfort:g} m comfort distance" if inside else
                          f"never inside the {f.comfort:g} m comfort distance"))
    if armed_present and closest_armed is not None:
        names = ", ".join(sorted({f.weapon_name for f in subjects.values() if f.weapon in ("knife", "bat")})) or "edged weapon"
        icat[2].append(f"{names} out: closest {metres(closest_armed, gap, armed_gap)}; "
                       + (f"{armed_inside_gap:.1f} s inside the {gap} m reactionary gap" if armed_inside_gap else
                          f"outside the {gap} m reactionary gap throughout")
                       + (f", {time_inside_armed_gap:.1f} s inside {armed_gap} m (the gap plus a margin)" if time_inside_armed_gap else ""))
    for f in force:
        verdict = "NOT within policy" if not f.allowed else (
            f"within policy, but the subject is {f.caution}: necessary and proportionate?" if getattr(f, "caution", "")
            else "within policy")
        option = "hands on" if f.tool == "touch" else f"{f.tool.replace('_', ' ')} {f.action}"
        icat[3].append(f"{f.time:.1f} s: {option} at {f.level} resistance — {verdict}")
    _options(records, trainee, icat[4])
    _reassess(records, trainee, icat[5], subjects, list(provocations))
    return icat


def _weapon(subjects: Mapping[str, Any], sid: str, kind: str = "") -> str:
    """The scenario's name for a subject's weapon ("screwdriver"), else its kind, else "weapon"."""
    f = subjects.get(sid)
    if f is not None and f.weapon_name and (not kind or kind == f.weapon):
        return f.weapon_name
    return kind.replace("_", " ") or "weapon"


def _assess(records: list[dict[str, Any]], out: list[str], says: list[dict[str, Any]],
            subjects: Mapping[str, Any]) -> None:
    """Distance at first contact and when a subject's weapon came out, from the state samples."""
    first = float(says[0]["time"]) if says else None
    seen: set[str] = set()
    for r in records:
        if r["type"] != "StateSampled":
            continue
        t = float(r["time"])
        tp = r["trainee"]["position"]
        if first is not None and t >= first:
            d = min((math.dist(tp, s["position"]) for s in r["subjects"]), default=None)
            if d is not None:
                out.append(f"{first:.1f} s: first words from {d:.1f} m")
            first = None
        for s in r["subjects"]:
            if s.get("weapon_out") and s["id"] not in seen:
                seen.add(s["id"])
                out.append(f"{t:.1f} s: {s['id']}'s {_weapon(subjects, s['id'])} out, {math.dist(tp, s['position']):.1f} m away")


def _options(records: list[dict[str, Any]], trainee: list[dict[str, Any]], out: list[str]) -> None:
    """Options intents, lowering or putting away a weapon, and stepping back (from the samples)."""
    lines: list[tuple[float, str]] = []
    held: dict[str, str] = {}
    for r in trainee:
        t, kind = float(r["time"]), r["type"]
        if kind == "Say" and r["intent"] in OPTIONS:
            lines.append((t, _said(r)))
        elif kind == "Draw":
            held[r.get("hand", "right")] = r["tool"]
        elif kind == "Holster":
            tool = held.pop(r.get("hand", "right"), "")
            if tool in WEAPONS:
                lines.append((t, f"put the {tool.replace('_', ' ')} away"))
        elif kind == "LowReady" and r.get("low", True) and held.get(r.get("hand", "right")) in WEAPONS:
            lines.append((t, f"lowered the {held[r.get('hand', 'right')].replace('_', ' ')} to low ready"))
    lines.extend(_steps_back(records))
    out.extend(f"{t:.1f} s: {text}" for t, text in sorted(lines, key=lambda x: x[0]))


def _steps_back(records: list[dict[str, Any]]) -> list[tuple[float, str]]:
    """Runs of samples in which the trainee's own movement took them away from the nearest subject."""
    found: list[tuple[float, str]] = []
    prev: tuple[float, float] | None = None
    start: float | None = None
    total = 0.0
    who, dist = "", 0.0
    for r in records:
        if r["type"] != "StateSampled" or not r["subjects"]:
            continue
        t = float(r["time"])
        tp = (float(r["trainee"]["position"][0]), float(r["trainee"]["position"][1]))
        near = min(r["subjects"], key=lambda s: math.dist(tp, s["position"]))
        away = 0.0
        if prev is not None:
            dx, dy = tp[0] - near["position"][0], tp[1] - near["position"][1]
            n = math.hypot(dx, dy) or 1.0
            away = ((tp[0] - prev[0]) * dx + (tp[1] - prev[1]) * dy) / n
        prev = tp
        if away > 0.02:
            if start is None:
                start, total = t, 0.0
            total += away
            who, dist = near["id"], math.dist(tp, near["position"])
            continue
        if start is not None and total >= STEP_BACK:
            found.append((start, f"stepped back {total:.1f} m from {who} (to {dist:.1f} m)"))
        start = None
    if start is not None and total >= STEP_BACK:
        found.append((start, f"stepped back {total:.1f} m from {who} (to {dist:.1f} m)"))
    return found


def _reassess(records: list[dict[str, Any]], trainee: list[dict[str, Any]], out: list[str],
              subjects: Mapping[str, Any], provoked: list[Any]) -> None:
    """For each change in a subject, the trainee's first answer within :data:`ANSWER_WINDOW` seconds;
    an escalation that followed the trainee's own action says so."""
    from game.review.subjects import provocation_text

    causes = {(p.time, p.subject): provocation_text(p) for p in provoked}
    changes: list[tuple[float, str, str]] = []  # (time, what happened, what would answer it)
    for r in records:
        t, kind = float(r["time"]), r["type"]
        if kind == "SubjectPostureChanged":
            was, now = r["previous"] in ESCALATED_POSTURES, r["posture"] in ESCALATED_POSTURES
            if now and not was:
                cause = causes.get((t, r["subject"]))
                changes.append((t, f"{r['subject']} escalated ({r['posture'].replace('_', ' ')})"
                                + (f" — {cause}" if cause else ""), "words"))
            elif was and not now:
                changes.append((t, f"{r['subject']} eased off (from {r['previous'].replace('_', ' ')} to {r['posture'].replace('_', ' ')})", "ease"))
        elif kind == "SubjectWeaponChanged" and not r["out"]:
            changes.append((t, f"{r['subject']} {'dropped' if r.get('dropped') else 'put away'} the "
                               f"{_weapon(subjects, r['subject'], r['weapon'])}", "ease"))
        elif kind == "SubjectReactedToForce" and r["reaction"] not in ("none", ""):
            changes.append((t, f"the {r['tool'].replace('_', ' ')} worked on {r['subject']} ({r['reaction']})", "words"))
    for t, what, answer in changes:
        out.append(f"{t:.1f} s: {what}; {_answer(trainee, t, answer)}")


def _answer(trainee: list[dict[str, Any]], t: float, kind: str) -> str:
    """The trainee's first answer strictly after ``t`` (an input at the same step caused the change)."""
    held: dict[str, str] = {}
    for r in trainee:
        rt = float(r["time"])
        if r["type"] == "Draw" and rt <= t:
            held[r.get("hand", "right")] = r["tool"]
        elif r["type"] == "Holster" and rt <= t:
            held.pop(r.get("hand", "right"), None)
    after = [r for r in trainee if t < float(r["time"]) <= t + ANSWER_WINDOW]
    if kind == "ease":
        drawn = sorted({tool for tool in held.values() if tool in WEAPONS})
        eased = next((r for r in after if r["type"] in ("Holster", "LowReady")), None)
        if drawn and eased is not None:
            verb = "put it away" if eased["type"] == "Holster" else "lowered it"
            return f"the trainee {verb} {float(eased['time']) - t:.1f} s later"
        if drawn:
            return f"the {', '.join(drawn).replace('_', ' ')} stayed out"
    say = next((r for r in after if r["type"] == "Say"), None)
    if say is None:
        return f"no words from the trainee in the next {ANSWER_WINDOW:.0f} s"
    i = say["intent"]
    how = "calming" if i in CALMING else "a command" if i.startswith(COMMANDS_PREFIX) else "words"
    return f"the trainee answered {float(say['time']) - t:.1f} s later with {how}: {_said(say)}"
