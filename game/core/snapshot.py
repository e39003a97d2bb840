"""The read model: a frozen, typed picture of a session after a step.

:meth:`~game.core.simulation.Simulation.step` returns it with the step's events; views,
devices, the HUD, the replay and (later) the network read only this — never the
simulation's minds or mutable states. A snapshot is plain data (tuples, strings, numbers):
it can be kept, compared, sent, and built from a recorded journal as well as from a
running simulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from game.core.events import Event, HANDS


@dataclass(frozen=True, slots=True)
class SaidView:
    """Something an officer said (``time``: when)."""

    intent: str
    tone: str
    time: float


@dataclass(frozen=True, slots=True)
class OfficerView:
    """One officer: pose, what each hand holds (and whether at low ready), the last words."""

    seat: str
    position: tuple[float, float]
    heading: float
    pitch: float
    tools: tuple[str, str]  # left, right ("" empty)
    low: tuple[bool, bool]  # left, right at low ready
    said: tuple[SaidView, ...] = ()  # the last few, oldest first
    #: Why the officer's station is away (its connection dropped: ``OfficerLeft``), "" while present.
    away: str = ""
    #: A partner officer the simulation drives (game.core.partner), with its name and what it
    #: is doing (cover, crowd, step_back …); False for an officer a trainee plays.
    partner: bool = False
    name: str = ""
    activity: str = ""

    @property
    def hands(self) -> dict[str, str]:
        """``{"left": tool, "right": tool}`` (a fresh dict)."""
        return dict(zip(HANDS, self.tools))

    @property
    def low_ready(self) -> dict[str, bool]:
        return dict(zip(HANDS, self.low))

    def pointed_tools(self) -> list[str]:
        """Tools out and pointed where the officer looks (not held at low ready)."""
        return [tool for tool, low in zip(self.tools, self.low) if tool and not low]


@dataclass(frozen=True, slots=True)
class SubjectView:
    """One subject as the views see it."""

    id: str
    name: str
    position: tuple[float, float]
    heading: float
    speed: float
    posture: str
    activity: str
    goal: str
    branch: str
    weapon: str
    weapon_out: bool
    agitation: float
    trust: float
    compliance: float
    down: bool  # incapacitated now
    behaviour: tuple[str, ...] = ()  # the active tree path, root first (empty: not known, e.g. a recording)
    posture_ticks: tuple[float, ...] = ()  # the agitation levels where its posture changes
    weapon_name: str = ""  # the scenario's name for the weapon ("screwdriver"), else ""
    learned: str = ""  # what the officers have learned from it so far (the HUD's line), "" for nothing
    # what the face shows (game.engine.world.face): crowded, closing on it, the last force used on it
    crowded: bool = False
    closing_speed: float = 0.0
    last_force_tool: str = ""
    last_force: float = -1e9


@dataclass(frozen=True, slots=True)
class BranchView:
    """A scenario branch: its subject, whether it runs, and why the instructor cannot force it
    now (``refused``; "" when it can)."""

    id: str
    subject: str
    running: bool
    refused: str

    @property
    def can_force(self) -> bool:
        return not self.refused


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the views read: ``step`` steps have run, the clock is at ``time`` seconds."""

    step: int
    time: float
    dt: float
    paused: bool
    finished: bool
    finish_reason: str
    ending: str
    officers: tuple[OfficerView, ...]
    subjects: tuple[SubjectView, ...]
    branches: tuple[BranchView, ...] = ()
    #: Built from a recording (:mod:`game.core.playback`): the tree path is not known and no
    #: branch can be forced (``refused`` says so).
    recorded: bool = False
    #: The call and the radio (a :class:`game.core.call.CallView`) when a dispatcher takes part.
    call: Any = None

    @property
    def trainee(self) -> OfficerView:
        """Officer 1."""
        return self.officers[0]

    @property
    def partners(self) -> tuple[OfficerView, ...]:
        """The partner officers on scene (the simulation drives them)."""
        return tuple(o for o in self.officers if o.partner)

    @property
    def en_route(self) -> bool:
        """The call is being taken and the unit is not on scene yet (see :mod:`game.core.call`)."""
        return self.call is not None and self.call.en_route

    @property
    def scene_start(self) -> float:
        """When the scene started: the unit's arrival (0 without a call)."""
        return self.call.scene_start if self.call is not None else 0.0

    def officer(self, seat: str) -> OfficerView | None:
        return next((o for o in self.officers if o.seat == seat), None)

    def subject(self, subject_id: str) -> SubjectView | None:
        return next((s for s in self.subjects if s.id == subject_id), None)

    @property
    def subjects_by_id(self) -> Mapping[str, SubjectView]:
        return {s.id: s for s in self.subjects}


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step did: its events (inputs applied and outputs, in journal order) and the
    snapshot after it."""

    events: tuple[Event, ...]
    snapshot: Snapshot | None  # None when the step was asked for none
