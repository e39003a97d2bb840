"""Typed events: what enters the core (inputs) and what the core announces (outputs).

Inputs are imperative (``Say``, ``Draw``, ``Escalate``): something a trainee or an
instructor asks for. Outputs are in the past tense (``SubjectReacted``): something
that happened in the simulation. Every event is journaled with the step at which
it took effect, its ``type`` and its ``source`` (the seat that sent an input — ``trainee``
for officer 1, ``officer:2`` …, ``instructor``, ``dispatcher``: see :mod:`game.core.seats` —
or ``sim``), then its own fields in declaration order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from game.core.terms import (  # noqa: F401  (re-exported: the events' vocabulary)
    HANDS, TOOLS, WEAPONS, TONES, FORCE_REACTIONS, INTENTS, VISUAL_INTENTS, COMMANDS, NUDGE_CAUSES, NUDGE,
    LEAD_INTENTS, INTERVENTION_INTENTS, OFFICER_INTENTS, BODILY_INTENTS,
)


from game.core.event_base import OMIT_DEFAULT, Event, InputEvent, OutputEvent, _plain  # noqa: F401  (re-exported)
from game.core.call_events import (  # noqa: F401  (re-exported: the call's events)
    AnswerCall, AskCaller, BriefingGiven, CallEnded, CallerAnswered, CallerChanged, CallerSaid, CallRang, DispatchUnit,
    FillCard, OfficerArrived, Radio, RadioAnswer, RadioAnswered, RadioRequested, UnitArrived, UnitDispatched,
)


# ----------------------------------------------------------------------------- inputs

@dataclass(frozen=True, slots=True, kw_only=True)
class Move(InputEvent):
    """The trainee's body is now here: position on the ground (x, y metres) and head angles."""

    TYPE = "Move"
    position: tuple[float, float]
    heading: float  # degrees, counter-clockwise from +y (Panda3D's H)
    pitch: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class HandMove(InputEvent):
    """A tracked hand (a controller's grip) is now here: position (x, y, z metres, z up) and
    where it points (heading and pitch, degrees, like ``Move``; roll, degrees clockwise seen
    from behind). ``tracked`` False: the hand is lost (controller off or out of view); tools
    in it aim where the head looks again until it is found."""

    TYPE = "HandMove"
    hand: str
    position: tuple[float, float, float] = (0.0, 0.0, 0.0)
    heading: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    tracked: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Say(InputEvent):
    """The trainee says something meaning ``intent``, in ``tone``."""

    TYPE = "Say"
    intent: str
    tone: str = "normal"
    text: str = ""
    to: str = ""  # a subject spoken to by name; the others overhear (it counts) but do not answer
    #: how sure the speech recogniser was (1 for a key or a script: then left out of the line)
    confidence: float = field(default=1.0, metadata=OMIT_DEFAULT)


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeechHeard(InputEvent):
    """The trainee said something the recogniser did not understand as any intent:
    journaled with its words (the grammar's nearest guess, or empty) and tone, so the
    review can quote it; the subjects take no meaning from it."""

    TYPE = "SpeechHeard"
    text: str = ""
    tone: str = "normal"


@dataclass(frozen=True, slots=True, kw_only=True)
class Draw(InputEvent):
    """The trainee draws ``tool`` into ``hand`` (whatever was there goes back to the belt)."""

    TYPE = "Draw"
    tool: str
    hand: str = "right"
    low_ready: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class LowReady(InputEvent):
    """The trainee lowers the tool in ``hand`` to low ready (``low``), or raises it to point
    where they look. A tool held low is seen but not aimed at anybody."""

    TYPE = "LowReady"
    hand: str = "right"
    low: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Holster(InputEvent):
    """The trainee puts back what is in ``hand``."""

    TYPE = "Holster"
    hand: str = "right"


@dataclass(frozen=True, slots=True, kw_only=True)
class Escalate(InputEvent):
    """The instructor pushes a subject's agitation up by ``amount``."""

    TYPE = "Escalate"
    SOURCE = "instructor"
    amount: float = NUDGE
    subject: str = ""  # empty: every subject


@dataclass(frozen=True, slots=True, kw_only=True)
class Calm(InputEvent):
    """The instructor brings a subject's agitation down by ``amount``."""

    TYPE = "Calm"
    SOURCE = "instructor"
    amount: float = NUDGE
    subject: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Touch(InputEvent):
    """The trainee puts a hand on a subject (guiding, an escort hold, handcuffing).

    Reaches the nearest subject within arm's length; ``subject`` names one instead.
    """

    TYPE = "Touch"
    hand: str = "left"
    subject: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Use(InputEvent):
    """The trainee uses the tool in ``hand`` where it points: fires the CEW, sprays OC,
    strikes with the baton, fires the firearm, or (flashlight) toggles the beam."""

    TYPE = "Use"
    hand: str = "right"


@dataclass(frozen=True, slots=True, kw_only=True)
class ForceBranch(InputEvent):
    """The instructor makes a subject enter one of the scenario's named branches now."""

    TYPE = "ForceBranch"
    SOURCE = "instructor"
    branch: str
    subject: str = ""  # empty: the branch's own subject


@dataclass(frozen=True, slots=True, kw_only=True)
class Mark(InputEvent):
    """The instructor marks a moment for the review, with an optional ``note``.

    ``at`` is the simulated time the instructor pressed the key (typing the note takes a
    while; the line is journaled when it is entered); None: the step it is journaled at."""

    TYPE = "Mark"
    SOURCE = "instructor"
    note: str = ""
    at: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Puppet(InputEvent):
    """The instructor makes ``subject`` say its authored ``line`` now (its ``variant``-th
    text); ``tone`` empty: the subject's own (shouted when agitated). See :mod:`game.core.puppet`."""

    TYPE = "Puppet"
    SOURCE = "instructor"
    subject: str
    line: str
    variant: int = 0
    tone: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeakAs(InputEvent):
    """The instructor spoke into the microphone as ``voice`` (a subject's id: from its head;
    ``dispatch``: over the trainee's radio). ``text``: what the recogniser understood
    (``understood``), else "instructor spoke as …"; ``audio``: the recording in the run folder
    (``voice/NAME.wav``), ``seconds`` long; ``at``: when the instructor began (journaled when
    the push-to-talk key is let go)."""

    TYPE = "SpeakAs"
    SOURCE = "instructor"
    voice: str
    text: str = ""
    understood: bool = False
    tone: str = "normal"
    audio: str = ""
    seconds: float = 0.0
    at: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Pause(InputEvent):
    """The instructor pauses the session: the subjects and the clock stop (the step index
    too) until ``Resume``. Instructor inputs still act while paused, and the session can
    still be ended; the trainee's inputs wait and take effect right after ``Resume``."""

    TYPE = "Pause"
    SOURCE = "instructor"


@dataclass(frozen=True, slots=True, kw_only=True)
class Resume(InputEvent):
    """The instructor resumes a paused session."""

    TYPE = "Resume"
    SOURCE = "instructor"


@dataclass(frozen=True, slots=True, kw_only=True)
class Restart(InputEvent):
    """The instructor ends this session to start the scenario again (the session ends with
    reason ``restart``; whoever runs sessions starts the next one in a new run folder)."""

    TYPE = "Restart"
    SOURCE = "instructor"


@dataclass(frozen=True, slots=True, kw_only=True)
class EndSession(InputEvent):
    """Somebody ends the session now (``by`` says who)."""

    TYPE = "EndSession"
    by: str = "instructor"
    reason: str = "ended"


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerLeft(InputEvent):
    """The instructor's station lost an officer's station (its connection dropped, or it
    left): ``officer`` stands where it was and sends nothing until ``OfficerJoined``.
    ``reason`` says why (``connection lost``, ``left``). ``then`` is what happens to the
    officer meanwhile: ``pause`` (it stands still); ``partner`` (the partner officer's AI
    drives it) once the team issue's AI officer is there — refused until then."""

    TYPE = "OfficerLeft"
    SOURCE = "instructor"
    officer: str
    reason: str = ""
    then: str = field(default="pause", metadata=OMIT_DEFAULT)


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerJoined(InputEvent):
    """An officer's station joined the session (or joined again after ``OfficerLeft``);
    ``name`` is who trains there, if it said."""

    TYPE = "OfficerJoined"
    SOURCE = "instructor"
    officer: str
    name: str = ""


#: What may happen to an officer whose station left (``OfficerLeft.then``); ``partner`` comes
#: with the partner officer's AI.
OFFICER_AWAY = ("pause",)


# ---------------------------------------------------------------------------- outputs



@dataclass(frozen=True, slots=True, kw_only=True)
class SessionStarted(OutputEvent):
    TYPE = "SessionStarted"
    journal_format: int
    scenario: str
    scenario_sha256: str
    seed: int
    hz: int
    subjects: tuple[str, ...]
    software: str = ""  # the Talkdown version that recorded it
    trainee: str = ""  # who trained and who ran the console (``talkdown run --trainee/--instructor``)
    instructor: str = ""
    #: The simulation version that recorded the journal (see ``game.core.simulation.SIMULATION_VERSION``).
    #: Journaled only from version 2 on: a journal without it was recorded by version 1.
    simulation: int = 1
    #: Where officers start, officer 1 first, ``[[x, y], heading]`` each: journaled only with
    #: more than one officer (one officer starts where the scenario puts the trainee).
    officers: tuple[tuple[tuple[float, float], float], ...] = ()
    #: Who took the call as the dispatcher (a name, or ``dispatcher``): the session starts with
    #: the scenario's call (game.core.call). Left out of the line when nobody did.
    dispatcher: str = field(default="", metadata=OMIT_DEFAULT)

    def payload(self) -> dict[str, Any]:
        out = Event.payload(self)
        if out.get("simulation") == 1:
            del out["simulation"]
        if not out.get("officers"):
            out.pop("officers", None)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectReacted(OutputEvent):
    """A stimulus moved a subject's inner state; ``cause`` says which."""

    TYPE = "SubjectReacted"
    subject: str
    cause: str
    agitation: float
    trust: float
    delta_agitation: float
    delta_trust: float

    @property
    def nudge(self) -> str:
        """``Escalate`` or ``Calm`` when the instructor's nudge caused it, else ""."""
        return NUDGE_CAUSES.get(self.cause, "")


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectPostureChanged(OutputEvent):
    TYPE = "SubjectPostureChanged"
    subject: str
    posture: str
    previous: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectGoalChanged(OutputEvent):
    TYPE = "SubjectGoalChanged"
    subject: str
    goal: str
    previous: str
    because: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectSaid(OutputEvent):
    """A subject said one of its ``line`` texts; ``audio`` is the recording to play, if the
    scenario has one (a path relative to the scenario file), else the text is voiced or shown."""

    TYPE = "SubjectSaid"
    subject: str
    line: str
    text: str
    tone: str = "normal"
    audio: str = ""
    #: what the subject does, not says: acted and shown, never voiced (left out of the line when not)
    narration: bool = field(default=False, metadata=OMIT_DEFAULT)
    #: the instructor made the subject say it: ``puppet`` (an authored line picked at the console)
    #: or ``voice`` (the instructor's own words, heard from the subject's head; left out when neither)
    instructor: str = field(default="", metadata=OMIT_DEFAULT)


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectAnswered(OutputEvent):
    """A subject was asked about one of the things it knows (``fact``) and answered:
    ``told``, ``refused``, ``lied``, ``doesnt_know`` or ``irritated`` (asked once too
    often); ``text`` is what it said (a ``SubjectSaid`` with it follows)."""

    TYPE = "SubjectAnswered"
    subject: str
    fact: str
    answer: str
    text: str
    times_asked: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectActivityChanged(OutputEvent):
    """The subject started doing something else (``approach``, ``flee``, ``pace`` ...)."""

    TYPE = "SubjectActivityChanged"
    subject: str
    activity: str
    previous: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectWeaponChanged(OutputEvent):
    """The subject drew (``out``) or dropped/put away a weapon of kind ``weapon``."""

    TYPE = "SubjectWeaponChanged"
    subject: str
    weapon: str
    out: bool
    dropped: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectAttacked(OutputEvent):
    """The subject struck at ``target`` (``trainee`` or a subject id); ``hit`` whether it landed."""

    TYPE = "SubjectAttacked"
    subject: str
    target: str
    weapon: str
    hit: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectPushedPast(OutputEvent):
    """Fleeing, the subject shouldered past ``officer`` (a seat), who stood in its way."""

    TYPE = "SubjectPushedPast"
    subject: str
    officer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectGrappled(OutputEvent):
    """Attacking someone else, the subject took hold of ``officer`` (a seat), who stood in its
    way, for ``seconds``; then it breaks through (see :mod:`game.core.presence`)."""

    TYPE = "SubjectGrappled"
    subject: str
    officer: str
    seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectTouched(OutputEvent):
    """A trainee's ``Touch`` reached ``subject``."""

    TYPE = "SubjectTouched"
    subject: str
    hand: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolUsed(OutputEvent):
    """A ``Use`` resolved: ``tool`` was used and ``hit`` says on whom (empty: nobody)."""

    TYPE = "ToolUsed"
    tool: str
    hand: str
    hit: str
    force: bool  # whether it counts as use of force (the flashlight does not)


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolDischarged(OutputEvent):
    """A force option went off (fired, sprayed, swung): from ``origin`` along ``direction``
    (world metres, z up). ``speed`` is a baton swing's, m/s. Its hits and misses follow."""

    TYPE = "ToolDischarged"
    tool: str
    hand: str
    origin: tuple[float, float, float]
    direction: tuple[float, float, float]
    speed: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolHit(OutputEvent):
    """A discharge landed on ``subject``'s ``zone`` (head, torso, arms, legs) at ``point``.
    ``probe`` numbers a CEW's probes (1 upper, 2 lower); 0 for everything else."""

    TYPE = "ToolHit"
    tool: str
    hand: str
    subject: str
    zone: str
    point: tuple[float, float, float]
    probe: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolMissed(OutputEvent):
    """A discharge hit nobody; ``point`` is where it stopped (its range, or the end of the rod)."""

    TYPE = "ToolMissed"
    tool: str
    hand: str
    point: tuple[float, float, float]
    probe: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SubjectReactedToForce(OutputEvent):
    """How a force option worked on ``subject``: ``incapacitated``, ``fall``, ``pain``,
    ``flinch``, ``flee`` or ``none``; ``detail`` says why (``cew:spread 0.32 m``,
    ``oc:strength 0.35`` ...) and ``seconds`` how long it lasts (0: a moment, -1: for good)."""

    TYPE = "SubjectReactedToForce"
    subject: str
    tool: str
    reaction: str
    zone: str = ""
    detail: str = ""
    seconds: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class BranchEntered(OutputEvent):
    """A subject entered a named branch: ``cause`` is ``instructor``, ``auto`` (its ``when``
    held) or ``tree`` (a behaviour led there); ``previous`` is empty for the main tree."""

    TYPE = "BranchEntered"
    subject: str
    branch: str
    previous: str
    cause: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BranchRefused(OutputEvent):
    """An instructor's ``ForceBranch`` could not apply now; ``reason`` says why (the same
    words :meth:`~game.core.simulation.Simulation.can_force` gives the console)."""

    TYPE = "BranchRefused"
    subject: str
    branch: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BranchLeft(OutputEvent):
    """A subject went back to its main behaviour because the branch's ``until`` held."""

    TYPE = "BranchLeft"
    subject: str
    branch: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StateSampled(OutputEvent):
    """A low-rate sample of where everybody is and how each subject feels (for plots and replay)."""

    TYPE = "StateSampled"
    trainee: dict[str, Any]  # officer 1
    subjects: tuple[dict[str, Any], ...]
    #: Officers 2…N by seat (journaled only when there are any: a one-officer line is as before).
    officers: dict[str, dict[str, Any]] | None = None

    def payload(self) -> dict[str, Any]:
        out = Event.payload(self)
        if not out.get("officers"):
            out.pop("officers", None)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class LookForMet(OutputEvent):
    """A review point's ``expect`` condition held for the first time (for ``subject``)."""

    TYPE = "LookForMet"
    look_for: str
    subject: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioEnded(OutputEvent):
    TYPE = "ScenarioEnded"
    ending: str
    outcome: str
    subject: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionEnded(OutputEvent):
    TYPE = "SessionEnded"
    reason: str
    ending: str


INPUT_TYPES: dict[str, type[InputEvent]] = {
    cls.TYPE: cls for cls in (Move, HandMove, Say, SpeechHeard, Draw, LowReady, Holster, Touch, Use, Escalate, Calm, ForceBranch,
                              Mark, Puppet, SpeakAs, Pause, Resume, Restart, EndSession, AnswerCall, AskCaller,
                              FillCard, DispatchUnit, RadioAnswer, Radio, OfficerLeft, OfficerJoined)
}


def input_from_record(record: dict[str, Any]) -> InputEvent:
    """Rebuild an input event from its journal line (for replay)."""
    cls = INPUT_TYPES[record["type"]]
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    kwargs = {k: v for k, v in record.items() if k in names}
    if "position" in kwargs:
        kwargs["position"] = tuple(kwargs["position"])
    source = record.get("source", cls.SOURCE)
    if cls is EndSession or source != cls.SOURCE:
        kwargs["by"] = source  # the journal spelling: "trainee" is officer 1 (see game.core.seats)
    return cls(**kwargs)
