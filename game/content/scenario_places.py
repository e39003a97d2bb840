"""Checks of a scenario against what it is played in and scored by: where its people stand
in the scene, and the facts its subjects carry for the use-of-force policy.

Both catch typos that would otherwise pass silently: a subject placed outside the scene (it
would be dragged to the edge on its first move, or stand in a wall), a fact the policy does
not know (a misspelt ``elderly`` quietly switches the rule that protects an elderly man off).
"""

from __future__ import annotations

import difflib
from typing import Any

from game.content.errors import ContentError, Problem
from game.core.navigation import BODY_RADIUS, Footprint, Navigator
from game.core.subject import WALL_MARGIN


def placement_problems(d: dict[str, Any], loc: Any, scene_id: str,
                       bounds: tuple[tuple[float, float], tuple[float, float]],
                       footprints: tuple[Footprint, ...] = ()) -> list[Problem]:
    """A subject must start inside the scene's walkable area (its ``bounds`` less the
    :data:`~game.core.subject.WALL_MARGIN` a subject keeps from the edge) and
    :data:`~game.core.navigation.BODY_RADIUS` clear of every footprint: an error. The
    trainee outside the bounds is a warning: the trainee is not kept inside them and may
    deliberately start beyond the modelled area (walking up from a car park's road); the
    trainee in a footprint is an error (the desk would put the officer outside it at once)."""
    nav = Navigator(footprints)
    (x0, y0), (x1, y1) = bounds
    area = f"scene '{scene_id}' spans x {x0:g} to {x1:g}, y {y0:g} to {y1:g}"
    problems = []
    for i, s in enumerate(d["subjects"]):
        x, y = s["position"]
        if not (x0 + WALL_MARGIN <= x <= x1 - WALL_MARGIN and y0 + WALL_MARGIN <= y <= y1 - WALL_MARGIN):
            where = "outside the scene" if not (x0 <= x <= x1 and y0 <= y <= y1) else \
                f"within {WALL_MARGIN:g} m of the scene's edge, where subjects do not walk"
            problems.append(loc.problem(("subjects", i, "position"),
                                        f"[{x:g}, {y:g}] is {where} ({area}): place the subject inside it"))
        elif (fp := nav.blocking((float(x), float(y)))) is not None:
            free = nav.free_point((float(x), float(y)))
            problems.append(loc.problem(("subjects", i, "position"), _in_footprint(x, y, fp, free)))
    trainee = d.get("trainee", {}).get("position")
    if trainee is not None and (fp := nav.blocking((float(trainee[0]), float(trainee[1])))) is not None:
        free = nav.free_point((float(trainee[0]), float(trainee[1])))
        problems.append(loc.problem(("trainee", "position"), _in_footprint(trainee[0], trainee[1], fp, free)))
    if trainee is not None and not (x0 <= trainee[0] <= x1 and y0 <= trainee[1] <= y1):
        problems.append(loc.problem(("trainee", "position"),
                                    f"[{trainee[0]:g}, {trainee[1]:g}] is outside the scene ({area}); "
                                    "fine if the trainee is meant to walk in from beyond it", severity="warning"))
    return problems


def _in_footprint(x: float, y: float, fp: Footprint, free: tuple[float, float]) -> str:
    return (f"[{x:g}, {y:g}] is within {BODY_RADIUS:g} m of footprint '{fp.name}' (nobody stands in a car or a "
            f"sofa): place them clear of it, e.g. at [{round(free[0] + 0.0, 2):g}, {round(free[1] + 0.0, 2):g}]")


def fact_problems(d: dict[str, Any], loc: Any) -> list[Problem]:
    """Each subject fact should be one a condition of the agency's policy (``TALKDOWN_POLICY``,
    else the shipped one) names. Unknown and close to a known fact: an error (a typo that
    switches a rule off). Unknown and like none: a warning, since it can be legitimate — a
    fact for another agency's policy, which scores the session where that policy is set."""
    from game.content.policy import default_policy_path, load_policy

    try:
        policy = load_policy()
    except ContentError:
        return []  # a broken policy is reported where it is validated and used
    known = sorted({f for c in policy.conditions.values() for f in c.when.get("facts", ())})
    problems = []
    for i, s in enumerate(d["subjects"]):
        for j, fact in enumerate(s.get("facts", ())):
            if fact in known:
                continue
            close = difflib.get_close_matches(fact, known, n=1, cutoff=0.75)
            named = f"no condition of the policy ({default_policy_path()}) uses fact '{fact}'"
            if close:
                problems.append(loc.problem(("subjects", i, "facts", j),
                                            f"{named}: did you mean '{close[0]}'? (as written it rules nothing out)"))
            else:
                problems.append(loc.problem(("subjects", i, "facts", j),
                                            f"{named}, so it rules nothing out here (known: {', '.join(known) or 'none'}); "
                                            "fine if it is for another agency's policy", severity="warning"))
    return problems
