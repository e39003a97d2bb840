"""The call before the call: a caller, what can be learned from them, the incident card, the
unit sent, and the radio during the scene (issue 19).

A scenario's ``call:`` (loaded by :mod:`game.content.call`) is a :class:`CallDef`. When a
session has a dispatcher (``Simulation(dispatcher=True)``, journaled in ``SessionStarted``),
the session starts with the call: the phone rings (``CallRang``), the dispatcher picks up
(``AnswerCall``), asks (``AskCaller``: a protocol question, or free words matched to one),
fills the incident card (``FillCard``) and sends the unit (``DispatchUnit``). The briefing
(``BriefingGiven``) is exactly the card at that moment — a poor call-take gives a poorly
informed officer. The unit is on scene ``travel`` seconds later (``OfficerArrived``): only
then does the scene start (its subjects, its review points, its time limit); until then the
officer's inputs wait, as while paused. During the scene an officer's ``Radio`` request (or
a ``Say`` of ``call_backup`` / ``call_crisis_team``) reaches the dispatcher
(``RadioRequested``), who answers (``RadioAnswer``); what was sent arrives when due
(``UnitArrived``).

The caller is a small mind of its own: an agitation (0..1) that the dispatcher's words move
(a question asked calmly settles it a little, reassurance more, shouting raises it and a
shouted-at caller tells less), that silence raises, and a behaviour tree of the subjects'
engine (:mod:`game.core.behaviour`) with the caller's own actions (``say``, ``wait``,
``hang_up``, ``idle``) and conditions. Without a dispatcher nothing of this runs: the officer
gets the scenario's written briefing, as before.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping

from game.core.behaviour import RUNNING, Node
from game.core.call_caller import _Body, compile_caller_tree
from game.core.events import (
    AnswerCall,
    AskCaller,
    BriefingGiven,
    CallEnded,
    CallerAnswered,
    CallerChanged,
    CallerSaid,
    CallRang,
    DispatchUnit,
    FillCard,
    InputEvent,
    OfficerArrived,
    OutputEvent,
    Radio,
    RadioAnswer,
    RadioAnswered,
    RadioRequested,
    UnitArrived,
    UnitDispatched,
)

#: The incident card's fields, in the order the card (and the briefing) lists them.
CARD_FIELDS = ("location", "nature", "weapons", "persons", "hazards", "mental_health", "priority")
CARD_LABELS = MappingProxyType({"location": "Location", "nature": "Nature", "weapons": "Weapons",
                                "persons": "Persons", "hazards": "Hazards", "mental_health": "Mental health",
                                "priority": "Priority"})
PRIORITIES = ("1", "2", "3")
#: What an officer may ask dispatch for over the radio.
RADIO_REQUESTS = ("backup", "ems", "crisis_team", "records_check")
#: Resources a dispatcher can send (a records check is answered, not sent).
RESOURCES = ("backup", "ems", "crisis_team")
#: Spoken intents that are radio requests when a dispatcher takes part.
RADIO_INTENTS = MappingProxyType({"call_backup": "backup", "call_crisis_team": "crisis_team"})
CALLER_PROFILES = ("witness", "neighbour", "family", "subject", "passer_by")
#: Longest card entry, free question and radio answer the core takes (characters).
MAX_TEXT = 300
#: The caller's states by agitation (``CallerChanged``).
STATE_BANDS = ((0.7, "panicking"), (0.4, "upset"), (0.0, "calm"))
#: How the dispatcher's words move the caller's agitation, per tone / kind, and silence per second.
DEFAULT_SENSITIVITY = MappingProxyType({"question": -0.03, "calm": -0.06, "reassure": -0.15, "shout": 0.25,
                                        "silence": 0.01})
#: Seconds without the dispatcher's words before silence starts to tell on the caller.
SILENCE_AFTER = 8.0
#: The question every call has: telling the caller help is coming (it reveals nothing).
REASSURE = "reassure"
REASSURE_TEXT = "Help is on the way. Stay on the line with me, you're doing well."
REASSURE_WORDS = ("help is on the way", "on the way", "stay on the line", "you're doing", "stay calm",
                  "breathe", "it's okay", "you are safe", "coming")
DEFAULT_LINES = MappingProxyType({
    "opening": "Hello? I need the police.",
    "refuses": "I don't know! I can't think — just send someone!",
    "unknown": "What? I don't understand what you're asking.",
    "panic": "Please hurry, please!",
    "reassured": "Okay. Okay. I'm listening.",
    "hang_up": "I can't do this —",
})
#: The caller's tree when the scenario gives none: hangs up after panicking a while, pleads while panicking.
DEFAULT_TREE = MappingProxyType({"selector": (
    MappingProxyType({"when": MappingProxyType({"agitation_above": 0.9, "for": 6}), "do": "hang_up"}),
    MappingProxyType({"when": MappingProxyType({"agitation_above": 0.7}),
                      "do": MappingProxyType({"loop": ("say: panic", MappingProxyType({"wait": 7}))})}),
    "idle",
)})
#: Caller tree actions and conditions (the content checker validates against these).
CALLER_ACTIONS = ("say", "wait", "hang_up", "idle")
CALLER_CONDITIONS = ("agitation_above", "agitation_below", "for", "silent_for", "shouted_within",
                     "reassured_within", "after", "asked", "told", "all", "any", "not")


@dataclass(frozen=True, slots=True)
class CallFact:
    """Something knowable by asking: ``says`` is the caller's words, ``field`` the card field
    it belongs on, ``words`` what on the card shows it was passed on, ``calm`` the agitation
    below which the caller tells it, ``look_for`` a review point that shows the officer used it."""

    id: str
    field: str
    says: str
    value: str = ""
    words: tuple[str, ...] = ()
    calm: float = 1.0
    look_for: str = ""

    def on(self, text: str) -> bool:
        """Whether ``text`` (a card field, a radio message) carries this fact."""
        low = text.lower()
        return bool(self.words) and any(w in low for w in self.words)


@dataclass(frozen=True, slots=True)
class CallQuestion:
    """A protocol question: ``text`` as shown, ``words`` that free words match it by, the facts it ``reveals``."""

    id: str
    text: str
    reveals: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CallerDef:
    name: str = "Caller"
    profile: str = "witness"
    voice: str = ""
    agitation: float = 0.5
    sensitivity: Mapping[str, float] = field(default_factory=lambda: DEFAULT_SENSITIVITY)
    lines: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    tree: Any = field(default_factory=lambda: DEFAULT_TREE)


@dataclass(frozen=True, slots=True)
class CallDef:
    """A scenario's ``call:`` (see the module)."""

    caller: CallerDef
    facts: tuple[CallFact, ...]
    questions: tuple[CallQuestion, ...]
    opening_reveals: tuple[str, ...] = ()
    default_briefing: str = ""
    travel: float = 20.0
    time_limit: float = 300.0
    records: str = ""  # what a records check finds (the dispatcher reads it out, or not)
    records_reveal: tuple[str, ...] = ()
    units: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def fact(self, fact_id: str) -> CallFact | None:
        return next((f for f in self.facts if f.id == fact_id), None)

    def question(self, question_id: str) -> CallQuestion | None:
        if question_id == REASSURE:
            return CallQuestion(REASSURE, REASSURE_TEXT, (), REASSURE_WORDS)
        return next((q for q in self.questions if q.id == question_id), None)

    def all_questions(self) -> tuple[CallQuestion, ...]:
        return (*self.questions, CallQuestion(REASSURE, REASSURE_TEXT, (), REASSURE_WORDS))


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9']+", text.lower())) + " "


def match_question(call: CallDef, text: str) -> CallQuestion | None:
    """The protocol question free ``text`` asks: the one with most of its ``words`` in it
    (a word matches whole; a phrase, as a phrase), ties to the first; None when none match."""
    said = _words(text)
    best, best_score = None, 0
    for q in call.all_questions():
        score = sum(1 for w in q.words if _words(w) in said)
        if score > best_score:
            best, best_score = q, score
    return best


def briefing_text(card: Mapping[str, str]) -> str:
    """The briefing read to the officer: the card's filled fields, in card order."""
    parts = []
    for key in CARD_FIELDS:
        value = " ".join(str(card.get(key, "")).split())
        if value:
            parts.append(f"{CARD_LABELS[key]}: {value}.".replace("..", "."))
    return " ".join(parts) if parts else "No details given."


def state_of(agitation: float) -> str:
    return next(name for edge, name in STATE_BANDS if agitation >= edge)


# ----------------------------------------------------------------------------- the call's run


@dataclass(frozen=True, slots=True)
class CallView:
    """The call in the read model (what the dispatcher's page and the desk show)."""

    phase: str  # ringing, talking, ended (the caller's line), then dispatched, on_scene
    caller: str
    caller_state: str
    line_open: bool
    transcript: tuple[tuple[float, str, str], ...]  # (time, "caller" | "dispatcher" | "radio", text)
    card: tuple[tuple[str, str], ...]
    asked: tuple[str, ...]  # question ids asked, in order
    briefing: str
    eta: float
    requests: tuple[tuple[int, str, str, bool], ...]  # (number, request, officer, answered)
    records: str  # what the records check found, once an officer asked for one
    arrivals: tuple[str, ...]
    en_route: bool = False  # the scene has not started: the officer's inputs wait
    scene_start: float = 0.0  # when the unit arrived


#: Lines of transcript the read model keeps.
TRANSCRIPT_KEEP = 200
#: How often the caller's tree is ticked.
CALLER_HZ = 10


class CallRun:
    """The call in one session (see the module). Owned by the simulation; journals through ``emit``."""

    def __init__(self, call: CallDef | None, rng: random.Random, hz: int) -> None:
        self.call = call
        self.rng = rng
        self.hz = hz
        self.en_route = call is not None  # the officer is not on scene until the unit arrives
        self.phase = "ringing" if call is not None else "on_scene"
        self.line_open = False
        self.agitation = call.caller.agitation if call else 0.0
        self.state = state_of(self.agitation)
        self.card: dict[str, str] = {}
        self.asked: list[str] = []
        self.told: set[str] = set()
        self.transcript: list[tuple[float, str, str]] = []
        self.briefing = ""
        self.eta = 0.0
        self.scene_start = 0.0
        self.answered_at = 0.0
        self.last_words = 0.0
        self.last_shout = -1e9
        self.last_reassure = -1e9
        self.requests: list[list[Any]] = []  # [number, request, officer, answered]
        self.pending: list[tuple[float, str, int]] = []  # (due, resource, request number)
        self.arrivals: list[str] = []
        self.records_asked = False
        self._emit: Callable[[OutputEvent], None] = lambda e: None
        self.now = 0.0
        self._tree: Node | None = None
        self._body = _Body(self, rng)
        self._tick_every = max(1, hz // CALLER_HZ)
        self._kept: tuple[int, tuple[tuple[float, str, str], ...]] = (0, ())

    # ------------------------------------------------------------ the caller's voice

    def line(self, key: str) -> str:
        assert self.call is not None
        texts = self.call.caller.lines.get(key) or (DEFAULT_LINES.get(key, ""),)
        return texts[0] if len(texts) == 1 else self.rng.choice(texts)

    def say(self, key: str, text: str = "") -> None:
        if not self.line_open:
            return
        text = text or self.line(key)
        if not text:
            return
        self.transcript.append((self.now, "caller", text))
        self._emit(CallerSaid(line=key, text=text, tone="shout" if self.state == "panicking" else "normal"))

    def hang_up(self) -> None:
        if not self.line_open:
            return
        self.say("hang_up")
        self.line_open = False
        self._emit(CallEnded(reason="caller_hung_up"))

    def _feel(self, delta: float) -> None:
        self.agitation = min(1.0, max(0.0, round(self.agitation + delta, 6)))
        state = state_of(self.agitation)
        if state != self.state:
            self.state = state
            self._emit(CallerChanged(state=state, agitation=self.agitation))

    # ------------------------------------------------------------ driving

    def start(self, now: float, emit: Callable[[OutputEvent], None]) -> None:
        self._emit, self.now = emit, now
        if self.call is not None:
            emit(CallRang(caller=self.call.caller.name, profile=self.call.caller.profile))

    def apply(self, event: InputEvent, now: float, emit: Callable[[OutputEvent], None]) -> None:
        """One dispatcher input, or an officer's radio request."""
        self._emit, self.now = emit, now
        call = self.call
        if isinstance(event, Radio):
            self._request(event.request, event.seat)
        elif isinstance(event, RadioAnswer):
            self._answer(event)
        elif call is None:
            return  # no call in this scenario: only the radio
        elif isinstance(event, AnswerCall):
            if self.phase == "ringing":
                self.phase, self.line_open, self.answered_at, self.last_words = "talking", True, now, now
                self._tree = compile_caller_tree(call.caller.tree)
                self.say("opening")
                for fid in call.opening_reveals:
                    self.told.add(fid)
                    emit(CallerAnswered(question="opening", fact=fid, answer="told"))
        elif isinstance(event, AskCaller):
            self._ask(event)
        elif isinstance(event, FillCard):
            self.card[event.field] = " ".join(event.value.split())
        elif isinstance(event, DispatchUnit):
            self.dispatch("dispatcher")

    def _ask(self, event: AskCaller) -> None:
        call = self.call
        assert call is not None
        words = event.text or (call.question(event.question).text if call.question(event.question) else event.question)
        self.transcript.append((self.now, "dispatcher", words))
        if not self.line_open:
            return
        self.last_words = self.now
        question = call.question(event.question) if event.question else match_question(call, event.text)
        heard = event.text if not event.question else ""
        sens = call.caller.sensitivity
        if event.tone == "shout":
            self.last_shout = self.now
            self._feel(sens.get("shout", DEFAULT_SENSITIVITY["shout"]))
        if question is None:
            self.say("unknown")
            return
        self.asked.append(question.id)
        if question.id == REASSURE:
            self.last_reassure = self.now
            was = self.state
            self._feel(sens.get("reassure", DEFAULT_SENSITIVITY["reassure"]))
            if was != "calm" and self.state != was:
                self.say("reassured")
            return
        if event.tone != "shout":
            self._feel(sens.get("calm" if event.tone == "calm" else "question", DEFAULT_SENSITIVITY["question"]))
        told: list[str] = []
        for i, fid in enumerate(question.reveals):
            fact = call.fact(fid)
            if fact is None:
                continue
            # a shouted-at caller says less: the first thing at most, and only if calm enough
            ok = self.agitation < fact.calm and not (event.tone == "shout" and i > 0)
            self._emit(CallerAnswered(question=question.id, fact=fid, answer="told" if ok else "refused", heard=heard))
            if ok:
                self.told.add(fid)
                told.append(fact.says)
        if told:
            self.say("answer", " ".join(told))
        elif question.reveals:
            self.say("refuses")
        else:
            self.say("unknown")

    def dispatch(self, cause: str) -> None:
        if self.phase in ("dispatched", "on_scene") or self.call is None:
            return
        self.phase = "dispatched"
        self.eta = round(self.now + self.call.travel, 4)
        self.briefing = briefing_text(self.card)
        self._emit(UnitDispatched(eta=self.eta, cause=cause))
        self._emit(BriefingGiven(text=self.briefing, card={k: self.card[k] for k in CARD_FIELDS if self.card.get(k)}))
        self.transcript.append((self.now, "radio", self.briefing))

    def _request(self, request: str, seat: str) -> None:
        from game.core.seats import journal_name

        number = len(self.requests) + 1
        self.requests.append([number, request, journal_name(seat), False])
        if request == "records_check":
            self.records_asked = True
        self._emit(RadioRequested(number=number, request=request, officer=journal_name(seat)))

    def _answer(self, event: RadioAnswer) -> None:
        req = next((r for r in self.requests if r[0] == event.request), None)
        if req is None:
            return
        req[3] = True
        units = self.call.units if self.call else {}
        eta = 0.0
        if event.send and req[1] in RESOURCES:
            eta = round(self.now + float(units.get(req[1], 60.0)), 4)
            self.pending.append((eta, req[1], req[0]))
        text = " ".join(event.text.split())
        self.transcript.append((self.now, "radio", text or ("sent" if eta else "acknowledged")))
        self._emit(RadioAnswered(number=req[0], request=req[1], text=text, eta=eta))

    def hear(self, intent: str, seat: str) -> None:
        """An officer said ``intent``: the radio's spoken requests."""
        if intent in RADIO_INTENTS:
            self._request(RADIO_INTENTS[intent], seat)

    def update(self, now: float, step: int, emit: Callable[[OutputEvent], None]) -> bool:
        """One step; returns True on the step the unit arrives (the scene starts)."""
        self._emit, self.now = emit, now
        call = self.call
        while self.pending and self.pending[0][0] <= now + 1e-9:
            _, resource, number = self.pending.pop(0)
            self.arrivals.append(resource)
            emit(UnitArrived(request=resource, number=number))
        if call is None:
            return False
        arrived = False
        if self.phase == "dispatched" and now >= self.eta - 1e-9:
            self.phase, self.en_route, self.scene_start, arrived = "on_scene", False, now, True
            emit(OfficerArrived())
            if self.line_open:
                self.line_open = False
                emit(CallEnded(reason="unit_on_scene"))
        if self.phase in ("ringing", "talking") and now >= call.time_limit - 1e-9:
            self.dispatch("call_time_limit")
        if self.line_open and step % self._tick_every == 0:
            if now - self.last_words >= SILENCE_AFTER:
                self._feel(call.caller.sensitivity.get("silence", DEFAULT_SENSITIVITY["silence"]) / CALLER_HZ)
            self._body.now = self._body.context.now = now
            assert self._tree is not None
            status = self._tree.tick(self._body)
            if status is not RUNNING:
                self._tree.halt(self._body)
        return arrived

    def view(self) -> CallView:
        records = self.call.records if (self.call and self.records_asked) else ""
        if self._kept[0] != len(self.transcript):  # the transcript only grows: copied when it has
            self._kept = (len(self.transcript), tuple(self.transcript[-TRANSCRIPT_KEEP:]))
        return CallView(self.phase, self.call.caller.name if self.call else "", self.state, self.line_open,
                        self._kept[1],
                        tuple((k, self.card[k]) for k in CARD_FIELDS if self.card.get(k)), tuple(self.asked),
                        self.briefing, self.eta, tuple(tuple(r) for r in self.requests),  # type: ignore[misc]
                        records, tuple(self.arrivals), self.en_route, self.scene_start)


def check_input(event: InputEvent) -> None:
    """Raises ``ValueError`` (one line) for a call input no step could apply."""
    from game.core.terms import TONES

    if isinstance(event, AskCaller):
        if not event.question and not event.text.strip():
            raise ValueError("a question needs a protocol question or some words")
        if len(event.text) > MAX_TEXT:
            raise ValueError(f"a question is at most {MAX_TEXT} characters")
        if event.tone not in TONES:
            raise ValueError(f"unknown tone {event.tone!r}")
    elif isinstance(event, FillCard):
        if event.field not in CARD_FIELDS:
            raise ValueError(f"no card field {event.field!r} (fields: {', '.join(CARD_FIELDS)})")
        if len(event.value) > MAX_TEXT:
            raise ValueError(f"a card entry is at most {MAX_TEXT} characters")
        if event.field == "priority" and event.value not in ("", *PRIORITIES):
            raise ValueError("priority is 1, 2 or 3")
    elif isinstance(event, Radio):
        if event.request not in RADIO_REQUESTS:
            raise ValueError(f"unknown radio request {event.request!r} (requests: {', '.join(RADIO_REQUESTS)})")
    elif isinstance(event, RadioAnswer):
        if not isinstance(event.request, int) or isinstance(event.request, bool) or event.request < 1:
            raise ValueError("a radio answer names a request by its number")
        if len(event.text) > MAX_TEXT:
            raise ValueError(f"a radio answer is at most {MAX_TEXT} characters")
