"""The read model built from a :class:`~game.core.simulation.Simulation` (``sim``): the frozen
:class:`~game.core.snapshot.Snapshot` of everything views, devices, the HUD, the replay and the
network read, and one officer's part of it. Reads the simulation; changes nothing.
"""

from __future__ import annotations

from typing import Any

from game.core.knowledge import learned_line
from game.core.snapshot import BranchView, OfficerView, SaidView, Snapshot, SubjectView


def officer_view(sim: Any, seat: str) -> OfficerView:
    """One officer's part of the read model (what a device asks before it sends: what the
    hands hold), cheaper than a whole :func:`snapshot`."""
    o = sim.officers[seat]
    p = sim.partners.get(seat)
    return OfficerView(seat, o.position, o.heading, o.pitch, (o.hands["left"], o.hands["right"]),
                       (o.low_ready["left"], o.low_ready["right"]),
                       tuple(SaidView(r.intent, r.tone, r.time) for r in o.said[-3:]), sim.away.get(seat, ""),
                       partner=p is not None, name=p.definition.name if p is not None else "",
                       activity=p.activity if p is not None else "")


def snapshot(sim: Any) -> Snapshot:
    """The read model now (see :mod:`game.core.snapshot`), built afresh: the devices and the
    views share one a step through :class:`~game.core.drivers.SimulationPort`."""
    now = sim.now
    officers = tuple(officer_view(sim, seat) for seat in sim.officers)
    subjects = tuple(
        SubjectView(s.id, sim._names.get(s.id, "") or s.id, s.position, s.heading, s.speed, s.posture,
                    s.activity, s.goal, s.branch, s.weapon, s.weapon_out, s.agitation, s.trust, s.compliance,
                    m.incapacitated_until > now, tuple(m.active_behaviour()),
                    tuple(t for t, _ in m.profile.postures if 0.0 < t < 1.0), m.profile.weapon_name,
                    learned_line(getattr(m, "conversation", None)), s.crowded, s.closing_speed,
                    s.last_force_tool, s.last_force)
        for m in sim.minds for s in (m.state,))
    branches = tuple(
        BranchView(b.id, b.subject, b.subject in sim.subjects and sim.subjects[b.subject].branch == b.id,
                   sim.can_force(b.id) or "")
        for b in sim.scenario.branches)
    return Snapshot(sim.clock.step, now, sim.clock.dt, sim.paused, sim.finished, sim.finish_reason,
                    sim.ending.id if sim.ending else "", officers, subjects, branches,
                    call=sim.call.view() if sim.call is not None else None)
