"""The call's part of the review (issue 19): one report from the first ring to the end on scene.

For the dispatcher: the questions asked, the facts captured against those knowable, the time
to dispatch, what was passed on to the officer and what was left out. For the officer: what
they knew on arrival (the briefing — exactly the card) and on the radio later, and whether
their approach used it (a fact's ``look_for``: the scenario's review point, met or not).
Read from the journal alone (and the scenario's ``call:``), like the rest of the review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any, Sequence

from game.core.call import CARD_LABELS, CallDef

#: What a fact was in the end: the dispatcher's chain from caller to officer.
PASSED_ON, LEFT_OUT, REFUSED, NOT_ASKED = "passed on", "learned but not passed on", "refused", "never asked"


@dataclass
class FactReview:
    id: str
    field: str
    value: str
    learned: bool  # the caller told it (or the records check found it)
    passed_on: str  # "briefing", "radio" or ""
    asked_refused: bool  # asked, but the caller would not (or could not) say
    look_for: str = ""
    look_for_text: str = ""
    look_for_met: bool | None = None  # None: the fact names no review point

    @property
    def status(self) -> str:
        if self.passed_on:
            return PASSED_ON
        if self.learned:
            return LEFT_OUT
        return REFUSED if self.asked_refused else NOT_ASKED


@dataclass
class CallReview:
    dispatcher: str
    caller: str
    answered_at: float | None = None
    dispatched_at: float | None = None
    dispatch_cause: str = ""
    arrived_at: float | None = None
    hung_up_at: float | None = None
    ended: float = 0.0
    questions: list[tuple[float, str, str, str]] = field(default_factory=list)  # time, question id, words, tone
    unmatched: list[tuple[float, str]] = field(default_factory=list)  # free words that matched no question
    shouted: int = 0
    facts: list[FactReview] = field(default_factory=list)
    briefing: str = ""
    card: dict[str, str] = field(default_factory=dict)
    radio: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[tuple[float, str, str]] = field(default_factory=list)  # time, who, what
    notes: list[str] = field(default_factory=list)

    @property
    def knowable(self) -> int:
        return len(self.facts)

    @property
    def learned(self) -> int:
        return sum(f.learned for f in self.facts)

    @property
    def passed(self) -> int:
        return sum(bool(f.passed_on) for f in self.facts)

    @property
    def score(self) -> int:
        """The dispatcher's score (0-100): facts passed on to the officer (70), radio requests
        answered (15; full marks when there were none), the unit sent by the dispatcher (15)."""
        facts = self.passed / self.knowable if self.knowable else 1.0
        radio = sum(q["answered"] is not None for q in self.radio) / len(self.radio) if self.radio else 1.0
        sent = 1.0 if self.dispatched_at is not None and self.dispatch_cause == "dispatcher" else 0.0
        return int(round(70 * facts + 15 * radio + 15 * sent))

    def fact(self, fact_id: str) -> FactReview | None:
        return next((f for f in self.facts if f.id == fact_id), None)


def review_call(records: Sequence[dict[str, Any]], call: CallDef, look_fors: dict[str, str]) -> CallReview:
    """The call's review from a journal read back (``look_fors``: review point id → text)."""
    start = records[0]
    cr = CallReview(dispatcher=str(start.get("dispatcher", "")), caller=call.caller.name)
    told: set[str] = set()
    refused: set[str] = set()
    met: set[str] = set()
    radio_texts: list[str] = []
    requests: dict[int, dict[str, Any]] = {}
    records_checked = False
    question_text = {q.id: q.text for q in call.all_questions()}
    add = cr.timeline.append
    for r in records:
        t, kind = float(r["time"]), r["type"]
        if kind == "CallRang":
            add((t, "caller", f"the phone rings: {r['caller']}"))
        elif kind == "AnswerCall":
            cr.answered_at = t
            add((t, "dispatcher", "answers"))
        elif kind == "AskCaller":
            words = r.get("text") or question_text.get(r.get("question", ""), r.get("question", ""))
            cr.shouted += r.get("tone") == "shout"
            if r.get("question"):
                cr.questions.append((t, r["question"], words, r.get("tone", "normal")))
            add((t, "dispatcher", ("(shouting) " if r.get("tone") == "shout" else "") + words))
        elif kind == "CallerAnswered":
            if r["question"] != "opening" and r.get("heard") and not any(
                    q[0] == t and q[1] == r["question"] for q in cr.questions):
                cr.questions.append((t, r["question"], r["heard"], "normal"))
            (told if r["answer"] == "told" else refused).add(r["fact"])
        elif kind == "CallerSaid":
            add((t, "caller", r["text"]))
            if r["line"] == "unknown" and cr.timeline[-2:-1] and cr.timeline[-2][1] == "dispatcher":
                cr.unmatched.append((t, cr.timeline[-2][2]))
        elif kind == "CallerChanged":
            add((t, "caller", f"now {r['state']}"))
        elif kind == "CallEnded":
            if r["reason"] == "caller_hung_up":
                cr.hung_up_at = t
            add((t, "caller", "hangs up" if r["reason"] == "caller_hung_up" else "the line closes: the unit is on scene"))
        elif kind == "UnitDispatched":
            cr.dispatched_at, cr.dispatch_cause = t, r.get("cause", "dispatcher")
            add((t, "dispatcher", "dispatches the unit" + (" (the call ran out of time)" if cr.dispatch_cause != "dispatcher" else "")))
        elif kind == "BriefingGiven":
            cr.briefing, cr.card = r["text"], dict(r.get("card", {}))
            add((t, "radio", f"briefing: {r['text']}"))
        elif kind == "OfficerArrived":
            cr.arrived_at = t
            add((t, "officer", "on scene"))
        elif kind == "RadioRequested":
            requests[r["number"]] = {"number": r["number"], "request": r["request"], "officer": r["officer"],
                                     "at": t, "answered": None, "text": "", "eta": 0.0, "arrived": None}
            records_checked |= r["request"] == "records_check"
            add((t, "officer", f"asks dispatch for {r['request'].replace('_', ' ')}"))
        elif kind == "RadioAnswered":
            q = requests.get(r["number"])
            if q is not None:
                q.update(answered=t, text=r.get("text", ""), eta=r.get("eta", 0.0))
            radio_texts.append(r.get("text", ""))
            add((t, "radio", (r.get("text") or "acknowledged") + (f" (due at {r['eta']:.0f} s)" if r.get("eta") else "")))
        elif kind == "UnitArrived":
            q = requests.get(r["number"])
            if q is not None:
                q["arrived"] = t
            add((t, "radio", f"{r['request'].replace('_', ' ')} on scene"))
        elif kind == "Say" and r.get("source") == "trainee" and cr.arrived_at is not None:
            add((t, "officer", r.get("text") or r["intent"].replace("_", " ")))
        elif kind == "LookForMet":
            met.add(r["look_for"])
            add((t, "review", f"met: {look_fors.get(r['look_for'], r['look_for'])}"))
        elif kind == "ScenarioEnded":
            add((t, "scene", f"ends: {r['ending'].replace('_', ' ')} ({r['outcome'].replace('_', ' ')})"))
        elif kind == "SessionEnded":
            cr.ended = t
            add((t, "session", f"ended ({r['reason']})"))
    if records_checked:  # the dispatcher saw what the records check found
        told |= set(call.records_reveal)
    cr.radio = list(requests.values())
    card_text = {k: v for k, v in cr.card.items()}
    for f in call.facts:
        on_card = f.on(card_text.get(f.field, ""))
        on_radio = any(f.on(text) for text in radio_texts)
        lf = f.look_for
        cr.facts.append(FactReview(
            f.id, f.field, f.value or f.says, f.id in told or on_card, "briefing" if on_card else "radio" if on_radio else "",
            f.id in refused and f.id not in told, lf, look_fors.get(lf, ""), (lf in met) if lf else None))
    _notes(cr, call)
    return cr


def _notes(cr: CallReview, call: CallDef) -> None:
    n = cr.notes
    if cr.answered_at is None:
        n.append("The call was never answered: the officer went in with nothing.")
    if cr.dispatched_at is not None and cr.answered_at is not None:
        n.append(f"Time to dispatch: {cr.dispatched_at:.0f} s from the first ring "
                 f"({cr.dispatched_at - cr.answered_at:.0f} s on the line).")
    if cr.dispatch_cause == "call_time_limit":
        n.append("The unit went when the call ran out of time, not when the dispatcher sent it.")
    if cr.hung_up_at is not None:
        n.append(f"The caller hung up at {cr.hung_up_at:.0f} s" + (" after being shouted at." if cr.shouted else "."))
    n.append(f"Facts: {cr.learned} of {cr.knowable} knowable were learned, {cr.passed} passed on to the officer.")
    for f in cr.facts:
        label = CARD_LABELS.get(f.field, f.field).lower()
        if f.status == NOT_ASKED:
            n.append(f"Never asked about {f.id.replace('_', ' ')} ({label}): the officer arrived not knowing "
                     f"“{f.value}”.")
        elif f.status == REFUSED:
            n.append(f"Asked about {f.id.replace('_', ' ')}, but the caller would not say (too upset): "
                     f"the officer did not know “{f.value}”.")
        elif f.status == LEFT_OUT:
            n.append(f"Learned but not passed on: {f.id.replace('_', ' ')} — “{f.value}” was not on the card.")
        if f.look_for_met is not None:
            knew = "knew" if f.passed_on else "did not know"
            n.append(f"The officer {knew} of “{f.value}”; {'met' if f.look_for_met else 'not met'}: "
                     f"{f.look_for_text or f.look_for}")


def render_call_html(cr: CallReview) -> list[str]:
    """The call's section of the review page."""
    e = escape
    out = ["<h2 id=call>The call</h2><table id=call-summary>",
           f"<tr><th>Dispatcher</th><td>{e(cr.dispatcher or '(not named)')}</td><th>Caller</th><td>{e(cr.caller)}</td></tr>",
           f"<tr><th>Answered</th><td>{_at(cr.answered_at)}</td><th>Dispatched</th><td>{_at(cr.dispatched_at)}</td></tr>",
           f"<tr><th>On scene</th><td>{_at(cr.arrived_at)}</td><th>Facts learned / passed on</th>"
           f"<td>{cr.learned} / {cr.passed} of {cr.knowable}</td></tr>",
           f"<tr><th>Dispatcher's score</th><td id=call-score>{cr.score} / 100</td><th></th><td></td></tr></table>",
           "<h3>What the dispatcher noted</h3><ul id=call-notes>"]
    out += [f"<li>{e(x)}</li>" for x in cr.notes]
    out.append("</ul><h3>Facts: knowable, learned, passed on</h3><table id=call-facts>"
               "<tr><th>fact</th><th>card field</th><th>what it was</th><th>in the end</th><th>the officer's approach</th></tr>")
    for f in cr.facts:
        cls = "yes" if f.passed_on else "no"
        use = ("—" if f.look_for_met is None else
               f"<span class={'yes' if f.look_for_met else 'no'}>{'met' if f.look_for_met else 'not met'}</span>: "
               f"{e(f.look_for_text or f.look_for)}")
        out.append(f"<tr><td>{e(f.id)}</td><td>{e(CARD_LABELS.get(f.field, f.field))}</td><td>{e(f.value)}</td>"
                   f"<td class={cls}>{e(f.status)}{' (' + e(f.passed_on) + ')' if f.passed_on else ''}</td><td>{use}</td></tr>")
    out.append("</table>")
    out.append(f"<h3>What the officer was told on the way</h3><p id=call-briefing>{e(cr.briefing or 'nothing (no dispatch)')}</p>")
    out.append("<h3>Questions asked</h3><ol id=call-questions>")
    out += [f"<li>{t:.1f} s: {e(words)}{' (shouted)' if tone == 'shout' else ''} <span class=muted>[{e(q)}]</span></li>"
            for t, q, words, tone in cr.questions] or ["<li class=muted>none</li>"]
    out.append("</ol>")
    if cr.radio:
        out.append("<h3>The radio</h3><ul id=call-radio>")
        for q in cr.radio:
            answer = (f"answered at {q['answered']:.1f} s: “{e(q['text'] or 'acknowledged')}”" if q["answered"] is not None
                      else "<span class=no>never answered</span>")
            arrived = f"; on scene at {q['arrived']:.1f} s" if q["arrived"] is not None else ""
            who = "officer 1" if q["officer"] == "trainee" else q["officer"].replace(":", " ")
            out.append(f"<li>{q['at']:.1f} s: {e(who)} asked for {e(q['request'].replace('_', ' '))} — {answer}{arrived}</li>")
        out.append("</ul>")
    out.append("<h3>From the first ring to the end on scene</h3><table id=call-timeline><tr><th>time</th><th>who</th><th>what</th></tr>")
    out += [f"<tr><td>{t:.1f}</td><td>{e(who)}</td><td>{e(what)}</td></tr>" for t, who, what in cr.timeline]
    out.append("</table>")
    return out


def _at(t: float | None) -> str:
    return "—" if t is None else f"{t:.1f} s"
