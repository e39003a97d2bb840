"""The call's events (issue 19): the dispatcher's inputs, the officer's radio request, and what
the call journals (see :mod:`game.core.call`). Re-exported by :mod:`game.core.events`. A scenario
without a ``call:`` and a run without a dispatcher never journal any of them, so their journals
read as before."""

from __future__ import annotations

from dataclasses import dataclass

from game.core.event_base import InputEvent, OutputEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerCall(InputEvent):
    """The dispatcher picks up the ringing call."""

    TYPE = "AnswerCall"
    SOURCE = "dispatcher"


@dataclass(frozen=True, slots=True, kw_only=True)
class AskCaller(InputEvent):
    """The dispatcher asks the caller something: a protocol ``question`` by id, or ``text``
    typed (or spoken) freely, which the core matches to a question; in ``tone``."""

    TYPE = "AskCaller"
    SOURCE = "dispatcher"
    question: str = ""
    text: str = ""
    tone: str = "normal"


@dataclass(frozen=True, slots=True, kw_only=True)
class FillCard(InputEvent):
    """The dispatcher writes ``value`` into the incident card's ``field`` (``priority``: 1-3)."""

    TYPE = "FillCard"
    SOURCE = "dispatcher"
    field: str
    value: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DispatchUnit(InputEvent):
    """The dispatcher sends the unit: the briefing is the incident card as it is now."""

    TYPE = "DispatchUnit"
    SOURCE = "dispatcher"


@dataclass(frozen=True, slots=True, kw_only=True)
class RadioAnswer(InputEvent):
    """The dispatcher answers radio request ``request`` (its number): ``send`` assigns the
    resource (it arrives when due), ``text`` is what is said over the radio."""

    TYPE = "RadioAnswer"
    SOURCE = "dispatcher"
    request: int
    send: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Radio(InputEvent):
    """An officer asks dispatch over the radio for ``request``: ``backup``, ``ems``,
    ``crisis_team`` or ``records_check`` (``text``: what was said)."""

    TYPE = "Radio"
    request: str
    text: str = ""



# outputs

@dataclass(frozen=True, slots=True, kw_only=True)
class CallRang(OutputEvent):
    """The call comes in (a scenario's ``call:``, with a dispatcher in the session)."""

    TYPE = "CallRang"
    caller: str
    profile: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallerSaid(OutputEvent):
    """The caller said ``text`` (``line``: which of the caller's lines, or ``answer``)."""

    TYPE = "CallerSaid"
    line: str
    text: str
    tone: str = "normal"


@dataclass(frozen=True, slots=True, kw_only=True)
class CallerAnswered(OutputEvent):
    """The caller was asked ``question`` (``heard``: the dispatcher's free words matched to it)
    and ``answer``-ed about ``fact``: ``told`` or ``refused``."""

    TYPE = "CallerAnswered"
    question: str
    fact: str
    answer: str
    heard: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CallerChanged(OutputEvent):
    """The caller is now ``state``: ``calm``, ``upset`` or ``panicking``."""

    TYPE = "CallerChanged"
    state: str
    agitation: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEnded(OutputEvent):
    """The line went dead: ``caller_hung_up`` or ``unit_on_scene``."""

    TYPE = "CallEnded"
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitDispatched(OutputEvent):
    """The unit is on its way (``cause``: ``dispatcher``, or ``call_time_limit`` when the call
    ran out of time); it arrives at ``eta`` (seconds on the session's clock)."""

    TYPE = "UnitDispatched"
    eta: float
    cause: str = "dispatcher"


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefingGiven(OutputEvent):
    """What the officer is told on the way: exactly the incident card the dispatcher filled
    (``card``: field → text), read out as ``text``. Shown on the desk, spoken over the radio."""

    TYPE = "BriefingGiven"
    text: str
    card: dict[str, str]


@dataclass(frozen=True, slots=True, kw_only=True)
class OfficerArrived(OutputEvent):
    """The unit is on scene: the scene starts now (its subjects and its time limit)."""

    TYPE = "OfficerArrived"


@dataclass(frozen=True, slots=True, kw_only=True)
class RadioRequested(OutputEvent):
    """Officer ``officer`` asked dispatch for ``request`` (number ``number``)."""

    TYPE = "RadioRequested"
    number: int
    request: str
    officer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RadioAnswered(OutputEvent):
    """Dispatch answered request ``number``: ``text`` over the radio; ``eta`` when a resource
    was sent (0: none sent)."""

    TYPE = "RadioAnswered"
    number: int
    request: str
    text: str
    eta: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitArrived(OutputEvent):
    """A resource the dispatcher sent (``backup``, ``ems``, ``crisis_team``) is on scene."""

    TYPE = "UnitArrived"
    request: str
    number: int
