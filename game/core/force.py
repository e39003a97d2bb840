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
from game.core.tools import ToolSpecs, aim_ray, baton_strike, cew_shot, firearm_shot, oc_strength, oc_target
from game.core.world import HandPose, TraineeState

Emit = Callable[[OutputEvent], None]


def reaction_for(tool: str, zone: str, specs: ToolSpecs, *, effective: bool = True, speed: float = 0.0,
                 strength: float = 1.0) -> tuple[str, float, str]:
    """(reaction, seconds, detail) for ``tool`` landing on ``zone``: seconds -1 is for good."""
    if tool == "cew":
        if effective:
            return "incapacitated", specs.cew.cycle, "both probes connected"
        return "pain", 0.0, "probes too close or only one connected"
    if tool == "oc_spray":
        if strength >= specs.oc_spray.subdues_at:
            return "incapacitated", specs.oc_spray.duration * strength, f"strength {strength:.2f}"
        if strength >= 0.2:
            return "pain", 0.0, f"strength {strength:.2f}"
        return "none", 0.0, f"strength {strength:.2f}"
    if tool == "baton":
        b = specs.baton
        if speed < 1.5 * b.min_speed:
            return "flinch", 0.0, f"{speed:.1f} m/s"
        if zone == "head":
            return "fall", 3.0, f"head strike {speed:.1f} m/s"
        if zone == "legs" and speed >= b.fall_speed:
            return "fall", 2.0, f"{speed:.1f} m/s"
        return "pain", 0.0, f"{speed:.1f} m/s"
    if tool == "firearm":
        if zone in ("head", "torso"):
            return "incapacitated", -1.0, zone
        if zone == "legs":
            return "fall", -1.0, zone
        return "pain", 0.0, zone
    return "none", 0.0, ""


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
        """A ``Use``: fires, sprays or strikes with what ``hand`` holds, where it points."""
        tool = trainee.hands[hand]
        if not tool:
            return
        origin, dirn, up = aim_ray(trainee, hand, tool, self.specs)
        if tool == "flashlight":
            emit(ToolUsed(tool=tool, hand=hand, hit="", force=False))
            return
        by_id = {m.state.id: m for m in minds}
        bodies = self.bodies(minds)
        speed = self.specs.baton.desktop_speed if tool == "baton" else 0.0
        emit(ToolDischarged(tool=tool, hand=hand, origin=_vec(origin), direction=_vec(dirn), speed=speed))
        if tool == "cew":
            self._cew(trainee, hand, origin, dirn, up, bodies, by_id, now, emit)
        elif tool == "oc_spray":
            hit = oc_target(origin, dirn, self.specs.oc_spray, bodies)
            self._land(trainee, tool, hand, hit, origin + dirn * self.specs.oc_spray.reach, now, emit)
            if hit is not None:
                mind = by_id[hit.subject]
                strength = oc_strength(self.specs.oc_spray, mind.profile.triggers)
                reaction, seconds, detail = reaction_for(tool, "head", self.specs, strength=strength)
                mind.dose(tool, now + self.specs.oc_spray.onset, reaction, seconds, detail)
        elif tool == "baton":
            reach = max(0.1, self.specs.baton.desktop_reach - self.specs.hold_forward)
            hit = baton_strike(origin, dirn, reach, bodies)
            self._strike(trainee, hand, hit, origin + dirn * reach, speed, by_id, now, emit)
        elif tool == "firearm":
            hit = firearm_shot(origin, dirn, self.specs.firearm, bodies)
            self._land(trainee, tool, hand, hit, origin + dirn * self.specs.firearm.reach, now, emit)
            if hit is not None:
                reaction, seconds, detail = reaction_for(tool, hit.zone, self.specs)
                by_id[hit.subject].hit(tool, now, emit, zone=hit.zone, reaction=reaction, seconds=seconds, detail=detail)

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
        emit(ToolDischarged(tool="baton", hand=hand, origin=_vec(origin), direction=_vec(dirn), speed=round(speed, 2)))
        self._strike(trainee, hand, hit, origin + dirn * b.length, speed, {m.state.id: m for m in minds}, now, emit)

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

    def _strike(self, trainee: TraineeState, hand: str, hit: RayHit | None, end: np.ndarray, speed: float,
                by_id: dict[str, SubjectMind], now: float, emit: Emit) -> None:
        self._land(trainee, "baton", hand, hit, end, now, emit)
        if hit is not None:
            reaction, seconds, detail = reaction_for("baton", hit.zone, self.specs, speed=speed)
            by_id[hit.subject].hit("baton", now, emit, zone=hit.zone, reaction=reaction, seconds=seconds, detail=detail)

    def _cew(self, trainee: TraineeState, hand: str, origin: np.ndarray, dirn: np.ndarray, up: np.ndarray,
             bodies: list[Body], by_id: dict[str, SubjectMind], now: float, emit: Emit) -> None:
        shot = cew_shot(origin, dirn, up, self.specs.cew, bodies)
        for i, (hit, end) in enumerate(zip(shot.probes, shot.ends), start=1):
            self._land(trainee, "cew", hand, hit, np.array(end), now, emit, probe=i, summary=False)
        self._summary(trainee, "cew", hand, shot.subject, now, emit)
        if shot.subject:
            reaction, seconds, detail = reaction_for("cew", "", self.specs, effective=shot.effective)
            if shot.spread > 0.0:
                detail = f"{detail}; spread {shot.spread:.2f} m"
            zone = next(h.zone for h in shot.probes if h is not None)
            by_id[shot.subject].hit("cew", now, emit, zone=zone, reaction=reaction, seconds=seconds, detail=detail)
