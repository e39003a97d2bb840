"""What a partner officer does, as journaled outputs (past tense, source ``sim``).

A partner officer (:mod:`game.core.partner`) is driven by the simulation, so what it does is
output, not input: a replay re-simulates it from the trainees' inputs, and the 3D replay and
the review read these lines. ``officer`` is the partner's seat (``officer:2`` …);
``leader`` and ``intervener`` the seat of the officer who led or stopped it, as the journal
spells seats (``trainee`` is officer 1). Its pose is in ``StateSampled.officers`` (5 Hz), like every officer but the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core.events import OutputEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerArrived(OutputEvent):
    """A partner officer came on scene at ``position`` facing ``heading`` (``cause``: ``start``,
    ``time`` or ``call``: the trainee's radio call)."""

    TYPE = "OfficerArrived"
    officer: str
    name: str
    position: tuple[float, float]
    heading: float
    cause: str = "start"


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerSaid(OutputEvent):
    """A partner officer said one of its ``line`` texts. ``intent``: what the subjects take it
    as (a command, a greeting; empty: nothing they answer); ``conduct``: ``slur`` for abuse."""

    TYPE = "OfficerSaid"
    officer: str
    line: str
    text: str
    tone: str = "normal"
    intent: str = ""
    conduct: str = ""
    to: str = ""  # the subject spoken to (or insulted)


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerActivityChanged(OutputEvent):
    """A partner officer started doing something else (``cover``, ``approach``, ``crowd``,
    ``step_back``, ``move_to``, ``idle`` …)."""

    TYPE = "OfficerActivityChanged"
    officer: str
    activity: str
    previous: str
    target: str = ""  # the subject it heads for (approach, crowd), if any


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerToolChanged(OutputEvent):
    """A partner officer drew ``tool`` into ``hand`` (empty: put it away), or raised it
    (``low_ready`` False: pointed where it looks) or lowered it."""

    TYPE = "OfficerToolChanged"
    officer: str
    hand: str
    tool: str
    low_ready: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerUsedForce(OutputEvent):
    """A partner officer laid hands on ``subject`` (``how``: shove, grab, strike) — force the
    scenario's author wrote as not needed (the trainee's duty to intervene)."""

    TYPE = "OfficerUsedForce"
    officer: str
    subject: str
    how: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerFollowed(OutputEvent):
    """A partner officer heard the trainee's lead (``order``: take_lead, watch_hands,
    partner_step_back) from ``leader``."""

    TYPE = "OfficerFollowed"
    officer: str
    order: str
    leader: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerIntervened(OutputEvent):
    """``intervener`` stepped in on partner ``officer`` (``how``: ``intervene`` said,
    ``step_between``, ``hold_partner``, ``stepped_between`` seen from the officers' poses).
    ``reached``: close enough to count; ``needed``: the partner was misbehaving then (within
    :data:`game.core.partner.MISCONDUCT_WINDOW` seconds of an act, or crowding)."""

    TYPE = "OfficerIntervened"
    officer: str
    intervener: str
    how: str
    reached: bool
    needed: bool


TEAM_EVENTS = (OfficerArrived, OfficerSaid, OfficerActivityChanged, OfficerToolChanged, OfficerUsedForce,
               OfficerFollowed, OfficerIntervened)
