"""One table from action name to input events, for every device that sends inputs.

The desk's keys (``input/desktop.yaml``, ``input/instructor.yaml``), the headset's actions
(``input/xr.yaml``), trainee scripts and (later) the network name *actions*; this table
says what each action sends, given what the seat's hands hold (:class:`Hands`, updated in
place so that several presses before one step resolve in order). Devices keep what is
theirs — how a key is read, where a holster is on the belt, when a trigger counts as
pressed — and call :func:`events_for`.

| action | args | sends |
|---|---|---|
| ``say`` | intent, tone, text, to | ``Say`` |
| ``lead`` | order (``take_lead``, ``watch_hands``, ``partner_step_back``), tone | ``Say`` of that order, to the partner |
| ``intervene`` | how (``say``, ``step_between``, ``hold``), tone, text | ``Say`` of ``intervene`` / ``step_between`` / ``hold_partner`` |
| ``draw`` | tool, hand, low_ready | ``Draw`` |
| ``toggle_tool`` | tool | ``Draw`` into the tool's hand, or ``Holster`` when it is already there (a desk key) |
| ``grip`` | tool, hand | at a holster: ``Holster`` what the hand holds there, or ``Draw`` into an empty hand (the headset) |
| ``holster`` | hand (``all``: both, in ``order``, right first by default) | ``Holster`` of each hand holding something |
| ``next_tool`` | hand | the next tool on the belt (:func:`~game.core.belt.next_tool`) |
| ``low_ready`` | hand, low (None: toggle) | ``LowReady`` when the hand holds a tool |
| ``touch`` | hand, subject | ``Touch`` |
| ``use`` | hand | ``Use`` |
| ``trigger`` | hand | ``Use`` when the hand holds a tool |
| ``end`` | reason | ``EndSession`` by the seat |
| ``escalate`` / ``calm`` | amount (default :data:`~game.core.events.NUDGE`), subject | ``Escalate`` / ``Calm`` |
| ``force_branch`` | branch (an id) | ``ForceBranch`` |
| ``pause`` / ``resume`` / ``toggle_pause`` | | ``Pause`` / ``Resume`` / whichever applies |
| ``mark`` | note, at | ``Mark`` |
| ``restart`` | | ``Restart`` |
| ``puppet`` | subject, line, variant, tone | ``Puppet``: the subject says its authored line |
| ``speak_as`` | voice, text, understood, tone, audio, seconds, at | ``SpeakAs``: the instructor spoke as a subject or dispatch |
| ``radio`` | request (backup, ems, crisis_team, records_check), text | ``Radio`` (an officer asks dispatch) |
| ``answer_call`` / ``ask_caller`` / ``fill_card`` / ``dispatch`` / ``radio_answer`` | question, text, tone / field, value / request, send, text | the dispatcher's inputs (:mod:`game.core.call`) |

:func:`binding_action` reads a bindings file's action names (``say_greet``, ``draw_cew``,
``next_tool_right`` …) as (action, args) of this table.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from game.core.belt import next_tool
from game.core.events import (NUDGE, Calm, Draw, EndSession, Escalate, ForceBranch, Holster, InputEvent, LowReady,
                              Mark, Pause, Puppet, Restart, Resume, Say, SpeakAs, Touch, Use, AnswerCall,
                              AskCaller, FillCard, DispatchUnit, Radio, RadioAnswer)
from game.core.seats import journal_name
from game.core.terms import LEAD_INTENTS
from game.core.tools import KINDS

#: Which hand a tool is drawn into by a desk key (the support hand for the light): each
#: tool's ``hand`` in game.core.tools.KINDS.
TOOL_HAND = {name: kind.hand for name, kind in KINDS.items()}


@dataclass
class Hands:
    """What a seat's hands hold and whether each is at low ready (updated as events are made),
    and whether the session is paused (for ``toggle_pause``)."""

    tools: dict[str, str] = field(default_factory=lambda: {"left": "", "right": ""})
    low: dict[str, bool] = field(default_factory=lambda: {"left": False, "right": False})
    paused: bool = False

    @classmethod
    def of(cls, hands: Mapping[str, str], low: Mapping[str, bool] | None = None, *, paused: bool = False) -> "Hands":
        return cls(dict(hands), dict(low or {"left": False, "right": False}), paused)


def _say(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    return [Say(intent=a["intent"], tone=a.get("tone", "normal"), text=a.get("text", ""), to=a.get("to", ""))]


def _draw(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    hand = a.get("hand", "right")
    other = "left" if hand == "right" else "right"
    if h.tools[other] == a["tool"]:
        h.tools[other] = ""
    h.tools[hand], h.low[hand] = a["tool"], bool(a.get("low_ready", False))
    return [Draw(tool=a["tool"], hand=hand, low_ready=bool(a.get("low_ready", False)))]


def _toggle_tool(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    tool = a["tool"]
    hand = TOOL_HAND.get(tool, "right")
    if h.tools[hand] == tool:
        h.tools[hand] = ""
        return [Holster(hand=hand)]
    h.tools[hand] = tool
    return [Draw(tool=tool, hand=hand)]


def _grip(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    tool, hand = a.get("tool", ""), a["hand"]
    held = h.tools[hand]
    if not tool:
        return []
    if held == tool:
        h.tools[hand] = ""
        return [Holster(hand=hand)]
    if not held:
        h.tools[hand] = tool
        return [Draw(tool=tool, hand=hand)]
    return []  # the hand is full: put its tool away first


def _holster(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    which = a.get("hand", "all")  # "all": both, in the order ``order`` gives (right first by default)
    hands = tuple(a.get("order", ("right", "left"))) if which == "all" else (which,)
    events: list[InputEvent] = [Holster(hand=x) for x in hands if h.tools[x]]
    for x in hands:
        h.tools[x] = ""
    return events


def _low_ready(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    hand = a.get("hand", "right")
    low = a.get("low")
    if low is None:  # a toggle: only with something in the hand
        if not h.tools[hand]:
            return []
        low = not h.low[hand]
    h.low[hand] = bool(low)
    return [LowReady(hand=hand, low=bool(low))]


def _toggle_pause(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    event: InputEvent = Resume() if h.paused else Pause()
    h.paused = not h.paused
    return [event]


#: What ``intervene``'s ``how`` sends (see :data:`~game.core.terms.INTERVENTION_INTENTS`).
INTERVENE_HOW = {"say": "intervene", "step_between": "step_between", "hold": "hold_partner"}


def _lead(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    order = a.get("order", "take_lead")
    if order not in LEAD_INTENTS:
        raise KeyError(f"no lead order {order!r} (orders: {', '.join(LEAD_INTENTS)})")
    return [Say(intent=order, tone=a.get("tone", "normal"), text=a.get("text", ""))]


def _intervene(h: Hands, a: Mapping[str, Any]) -> list[InputEvent]:
    return [Say(intent=INTERVENE_HOW[a.get("how", "say")], tone=a.get("tone", "normal"), text=a.get("text", ""))]


ACTIONS: dict[str, Callable[[Hands, Mapping[str, Any]], list[InputEvent]]] = {
    "say": _say,
    "lead": _lead,
    "intervene": _intervene,
    "draw": _draw,
    "toggle_tool": _toggle_tool,
    "grip": _grip,
    "holster": _holster,
    "next_tool": lambda h, a: next_tool(h.tools, a["hand"]),
    "low_ready": _low_ready,
    "touch": lambda h, a: [Touch(hand=a.get("hand", "left"), subject=a.get("subject", ""))],
    "use": lambda h, a: [Use(hand=a.get("hand", "right"))],
    "trigger": lambda h, a: [Use(hand=a["hand"])] if h.tools[a["hand"]] else [],
    "escalate": lambda h, a: [Escalate(amount=float(a.get("amount", NUDGE)), subject=a.get("subject", ""))],
    "calm": lambda h, a: [Calm(amount=float(a.get("amount", NUDGE)), subject=a.get("subject", ""))],
    "force_branch": lambda h, a: [ForceBranch(branch=a["branch"], subject=a.get("subject", ""))],
    "pause": lambda h, a: [Pause()],
    "resume": lambda h, a: [Resume()],
    "toggle_pause": _toggle_pause,
    "mark": lambda h, a: [Mark(note=a.get("note", ""), at=a.get("at"))],
    "restart": lambda h, a: [Restart()],
    "puppet": lambda h, a: [Puppet(subject=a["subject"], line=a["line"], variant=int(a.get("variant", 0)),
                                   tone=a.get("tone", ""))],
    "speak_as": lambda h, a: [SpeakAs(voice=a["voice"], text=a.get("text", ""), understood=bool(a.get("understood")),
                                      tone=a.get("tone", "normal"), audio=a.get("audio", ""),
                                      seconds=float(a.get("seconds", 0.0)), at=a.get("at"))],
    "radio": lambda h, a: [Radio(request=a["request"], text=a.get("text", ""))],
    "answer_call": lambda h, a: [AnswerCall()],
    "ask_caller": lambda h, a: [AskCaller(question=a.get("question", ""), text=a.get("text", ""),
                                          tone=a.get("tone", "normal"))],
    "fill_card": lambda h, a: [FillCard(field=a["field"], value=a.get("value", ""))],
    "dispatch": lambda h, a: [DispatchUnit()],
    "radio_answer": lambda h, a: [RadioAnswer(request=a["request"], send=bool(a.get("send", False)),
                                              text=a.get("text", ""))],
}


def events_for(action: str, hands: Hands, *, seat: str = "", **args: Any) -> list[InputEvent]:
    """The input events ``action`` sends from ``seat`` (empty: the action's usual seat,
    officer 1 or the instructor; the simulation refuses one its seat may not send).
    Raises ``KeyError`` for an action not in the table."""
    if action == "end":
        return [EndSession(by=journal_name(seat) if seat else "instructor", reason=args.get("reason", "ended"))]
    events = ACTIONS[action](hands, args)
    if seat:
        spelled = journal_name(seat)
        events = [e if e.SOURCE == spelled else dataclasses.replace(e, by=seat) for e in events]
    return events


def binding_action(name: str) -> tuple[str, dict[str, Any]] | None:
    """A bindings file's action name as an action of the table with its args (None: not an
    input action — movement, push-to-talk, the console's own keys)."""
    if name.startswith("say_"):
        return "say", {"intent": name[4:]}
    if name.startswith("draw_"):
        return "toggle_tool", {"tool": name[5:]}
    if name.startswith("next_tool_"):
        return "next_tool", {"hand": name[len("next_tool_"):]}
    if name.startswith("use_"):
        return "use", {"hand": name[4:]}
    if name.startswith("force_branch_"):
        return "force_branch", {"number": int(name.rsplit("_", 1)[1])}
    return {
        "holster": ("holster", {"hand": "all"}),
        "low_ready": ("low_ready", {"hand": "right"}),
        "touch": ("touch", {"hand": "left"}),
        "end_session": ("end", {"reason": "ended by trainee"}),
        "escalate": ("escalate", {}),
        "calm": ("calm", {}),
        "pause": ("toggle_pause", {}),
        "restart": ("restart", {}),
    }.get(name)
