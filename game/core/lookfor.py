"""Watches a scenario's review points (``review.look_for``) during a session.

A look-for with an ``expect`` condition is evaluated every step, for its subject
(or each subject), until it first holds; then ``LookForMet`` is journaled so the
review can say when — or that it never happened.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from game.core.conditions import Condition, Context, compile_condition
from game.core.events import LookForMet, OutputEvent
from game.core.scenario import LookFor
from game.core.world import SubjectState, TraineeState


class LookForWatch:
    """Holds one compiled condition per (look-for, subject) pair still waiting to hold."""

    def __init__(self, look_for: tuple[LookFor, ...], subjects: Mapping[str, SubjectState]) -> None:
        self.subjects = subjects
        #: Every officer on scene and the team's record (set by the simulation), for conditions
        #: that name another officer or ask about an intervention.
        self.officers: Mapping[str, TraineeState] = {}
        self.team: Any = None
        self.pending: list[tuple[LookFor, str, Condition]] = [
            (lf, sid, compile_condition(lf.expect))
            for lf in look_for
            if lf.expect is not None
            for sid in subjects
            if lf.subject in ("", sid)
        ]

    def check(self, trainee: TraineeState | Callable[[SubjectState], TraineeState], now: float, step: int,
              emit: Callable[[OutputEvent], None]) -> None:
        """Called once per step, after the subjects have moved. ``trainee``: the officer, or
        the subject's contact officer for each subject (a function of the subject)."""
        contact = trainee if callable(trainee) else (lambda _s: trainee)
        if not self.pending:
            return
        met: set[str] = set()
        for lf, sid, cond in self.pending:
            if lf.id not in met and cond.holds(Context(now, contact(self.subjects[sid]), self.subjects[sid], self.subjects,
                                                             self.officers, self.team)):
                met.add(lf.id)
                emit(LookForMet(look_for=lf.id, subject=sid))
        if met:
            self.pending = [p for p in self.pending if p[0].id not in met]
