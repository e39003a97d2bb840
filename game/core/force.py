"""Resolving a force option: from a trainee's ``Use`` (or a baton swing) to what the
journal records and how the subject reacts.

:class:`ForceOptions` is the simulation's part that knows the tools. For each
discharge it journals, in order: ``ToolDischarged`` (origin and direction),
``ToolHit``/``ToolMissed`` per projectile or probe (with positions, for the review's
shot placement), the summary ``ToolUsed``, then the subject's
``SubjectReactedToForce`` (OC's comes after its onset). :func:`reaction_for` holds the
rules: which tool on which zone does what.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from game.core.body import Body, RayHit, body_of
from game.core.events import WEAPONS, OutputEvent, ToolDischarged, ToolHit, ToolMissed, ToolUsed
from game.core.subject import SubjectMind
from game.core.tools import KINDS, ToolSpecs, aim_ray, baton_lands, baton_strike
from game.core.world import HandPose, TraineeState

Emit = Callable[[OutputEvent], None]


def reaction_for(tool: str, zone: str, specs: ToolSpecs, *, effective: bool = True, speed: float = 0.0,
                 strength: float = 1.0) -> tuple[str, float, str]:
    """(reaction, seconds, detail) for ``tool`` landing on ``zone``: seconds -1 is for good
    (each tool's rules are its ``react`` in :data:`game.core.tools.KINDS`)."""
    kind = KINDS.get(tool)
    if kind is None or kind.react is None:
        return "none", 0.0, ""
    return kind.react(zone, specs, effective=effective, speed=speed, strength=strength)


def _vec(v: np.ndarray | Sequence[float]) -> tuple[float, float, float]:
    return (float(v[0]), float(v[1]), float(v[2]))


class ForceOptions:
    """The tools' physics applied to a simulation's subjects (see the module's docstring)."""

    def __init__(self, specs: ToolSpecs) -> None:
        self.specs = specs
        self._last_swing: dict[str, float] = {}

    def bodies(self, minds: Sequence[SubjectMind]) -> list[Body]:
        return [body_of(m.state.id, m.state.posture, m.state.position, m.state.heading) for m in minds]

    def use(self, trainee: TraineeState, hand: str, minds: Sequence[SubjectMind], now: float, emit: Emit) -> None:
        """A ``Use``: fires, sprays or strikes with what ``hand`` holds, where it points (the
        tool's ``use`` in :data:`game.core.tools.KINDS`)."""
        tool = trainee.hands[hand]
        if not tool:
            return
        origin, dirn, up = aim_ray(trainee, hand, tool, self.specs)
        kind = KINDS[tool]
        if kind.use is None:
            emit(ToolUsed(tool=tool, hand=hand, hit="", force=False))
            return
        kind.use(Shot(self, trainee, tool, hand, origin, dirn, up, minds, now, emit))

    def swing(self, trainee: TraineeState, hand: str, before: HandPose | None, after: HandPose,
              minds: Sequence[SubjectMind], now: float, emit: Emit) -> None:
        """Called when a tracked hand holding the baton moves: a fast enough swing whose rod
        meets a body is a strike (one per ``cooldown`` per hand)."""
        b = self.specs.baton
        if before is None or after.time <= before.time:
            return
        speed = math.dist(before.position, after.position) / (after.time - before.time)
        if speed < b.min_speed or now - self._last_swing.get(hand, -1e9) < b.cooldown:
            return
        origin, dirn, _up = aim_ray(trainee, hand, "baton", self.specs)
        bodies = self.bodies(minds)
        hit = baton_strike(origin, dirn, b.length, bodies)
        if hit is None:
            return  # a fast move that meets nobody is not journaled as a strike
        self._last_swing[hand] = now
        shot = Shot(self, trainee, "baton", hand, origin, dirn, _up, minds, now, emit, bodies=bodies)
        shot.discharged(round(speed, 2))
        baton_lands(shot, hit, origin + dirn * b.length, speed)

    # ------------------------------------------------------------------ helpers

    def _land(self, trainee: TraineeState, tool: str, hand: str, hit: RayHit | None, end: np.ndarray,
              now: float, emit: Emit, probe: int = 0, summary: bool = True) -> None:
        if hit is not None:
            emit(ToolHit(tool=tool, hand=hand, subject=hit.subject, zone=hit.zone, point=hit.point, probe=probe))
        else:
            emit(ToolMissed(tool=tool, hand=hand, point=_vec(end), probe=probe))
        if summary:
            self._summary(trainee, tool, hand, hit.subject if hit is not None else "", now, emit)

    def _summary(self, trainee: TraineeState, tool: str, hand: str, subject: str, now: float, emit: Emit) -> None:
        force = tool in WEAPONS
        if force:
            trainee.force.append((now, tool, subject))
        emit(ToolUsed(tool=tool, hand=hand, hit=subject, force=force))


class Shot:
    """One use of a tool, handed to its kind's ``use`` (:class:`game.core.tools.ToolKind`):
    where the tool is and points, the subjects' bodies, and how to journal what it did — in
    the order the module's docstring gives."""

    def __init__(self, options: ForceOptions, trainee: TraineeState, tool: str, hand: str, origin: np.ndarray,
                 dirn: np.ndarray, up: np.ndarray, minds: Sequence[SubjectMind], now: float, emit: Emit, *,
                 bodies: list[Body] | None = None) -> None:
        self.options, self.trainee, self.tool, self.hand = options, trainee, tool, hand
        self.origin, self.dirn, self.up, self.now, self.emit = origin, dirn, up, now, emit
        self.specs = options.specs
        self.bodies = bodies if bodies is not None else options.bodies(minds)
        self._minds = {m.state.id: m for m in minds}

    def discharged(self, speed: float = 0.0) -> None:
        """``ToolDischarged``: it went off (or swung) from here, this way."""
        self.emit(ToolDischarged(tool=self.tool, hand=self.hand, origin=_vec(self.origin), direction=_vec(self.dirn),
                                 speed=speed))

    def land(self, hit: RayHit | None, end: np.ndarray, *, probe: int = 0, summary: bool = True) -> None:
        """``ToolHit`` or ``ToolMissed`` (at ``end``), then (``summary``) ``ToolUsed``."""
        self.options._land(self.trainee, self.tool, self.hand, hit, end, self.now, self.emit, probe=probe,
                           summary=summary)

    def summary(self, subject: str) -> None:
        """``ToolUsed`` on ``subject`` ("" for nobody)."""
        self.options._summary(self.trainee, self.tool, self.hand, subject, self.now, self.emit)

    def react(self, subject: str, zone: str, reaction: str, seconds: float, detail: str) -> None:
        """The subject's ``SubjectReactedToForce`` now, and what it does."""
        self._minds[subject].hit(self.tool, self.now, self.emit, zone=zone, reaction=reaction, seconds=seconds,
                                 detail=detail)

    def dose(self, subject: str, at: float, reaction: str, seconds: float, detail: str) -> None:
        """The subject reacts at ``at`` (OC's onset)."""
        self._minds[subject].dose(self.tool, at, reaction, seconds, detail)

    def triggers(self, subject: str) -> tuple[str, ...]:
        """The subject's profile triggers (intoxicated, hears voices …)."""
        return self._minds[subject].profile.triggers
