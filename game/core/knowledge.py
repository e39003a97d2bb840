"""What a subject knows and will tell, and what it remembers of the conversation.

A scenario lists, per subject, facts under ``knows:`` (its name, what happened, who else
is there, medications, a weapon, what it wants ...). A fact is asked by an intent
(``ask_name``) or by topic words in what the trainee said ("any medication?"), and the
subject answers by its state: it tells when its trust is high enough and its agitation
low enough; else it refuses ("won't say") or lies, where the author wrote a lie; a fact
it does not know it says so. Each answer is journaled (``SubjectAnswered``) beside the
line said, so the console and the review know what was found out and what never asked.

The subject also remembers: the same thing asked three times irritates it; its name
used warms it; a promise ("I'll stay right here") is kept or broken ("You said you'd
stay back!"). Pure and deterministic: plain text matching, no randomness.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from game.core.events import OutputEvent, SubjectAnswered

Emit = Callable[[OutputEvent], None]

#: Topics a fact's id may name, with the intents and the words that ask about them.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "name": (("ask_name",), ("your name", "call you", "who are you", "who am i talking to")),
    "what_happened": (("ask_what_happened",), ("what happened", "going on", "what's wrong", "the matter")),
    "others": ((), ("anyone else", "anybody else", "someone else", "who else", "alone", "anyone with you",
                    "anyone inside", "anybody inside", "kids", "children")),
    "medications": ((), ("medication", "medicine", "meds", "pills", "prescription", "taken anything",
                         "take anything", "drugs", "drinking", "had to drink")),
    "weapon": ((), ("weapon", "knife", "gun", "armed", "anything sharp", "in your pocket", "in your hand",
                    "anything on you")),
    "wants": ((), ("what do you want", "what would help", "what would you like", "what do you need",
                   "what can i do")),
    "hurt": ((), ("are you hurt", "injured", "bleeding", "are you okay", "need a doctor", "need an ambulance")),
}
ANSWERS = ("told", "refused", "lied", "doesnt_know", "irritated")
#: Asked this many times, the subject is irritated (and says so instead of answering).
IRRITATED_AFTER = 3
IRRITATION = (0.08, -0.06)
NAME_WARMTH = (-0.02, 0.04)
NAME_EVERY = 20.0  # seconds: the name used again sooner warms no more
#: A promise to keep one's distance is broken by coming this much closer than when it was made.
PROMISE_SLACK = 1.5
PROMISE_KEPT_AFTER = 30.0
PROMISE_BROKEN = (0.15, -0.2)
PROMISE_KEPT = (-0.02, 0.05)
_DISTANCE_PROMISE = re.compile(r"\b(i'?ll|i will|i'?m going to|i'?m gonna|i'?m) (just )?(stay|staying|wait|keep)"
                               r"( right)? (here|back|over here|where i am|my distance)|\b(won'?t|not going to|"
                               r"not gonna) come (any )?closer")
_TOUCH_PROMISE = re.compile(r"\b(won'?t|not going to|not gonna) (touch|grab) you")
DEFAULT_LINES = {"refuses": "I don't want to talk about that.", "asked_again": "I already told you!",
                 "promise_broken": "You said you'd stay back!", "promise_broken_touch": "You said you wouldn't touch me!",
                 "doesnt_know": "I don't know."}


@dataclass(frozen=True, slots=True)
class FactDef:
    """One thing a subject knows: what asks it, what it says, when it tells."""

    id: str
    tells: str = ""  # the answer when it tells
    asked_by: tuple[str, ...] = ()  # intents that ask it (a topic's own by default)
    words: tuple[str, ...] = ()  # words in the trainee's sentence that ask it (a topic's own by default)
    trust: float = 0.0  # tells from this trust up ...
    calm: float = 1.0  # ... and below this agitation
    refuses: str = ""  # said when it will not tell (a default line if empty)
    lie: str = ""  # said instead of refusing, when given
    doesnt_know: str = ""  # the subject does not know: it says this whatever its state
    narration: bool = False  # the answers are acted (typed on a phone, a shake of the head), not voiced

    def asked(self, intent: str, text: str) -> bool:
        intents, words = TOPICS.get(self.id, ((), ()))
        if intent and intent in (self.asked_by or intents):
            return True
        said = " " + " ".join(re.findall(r"[a-z0-9']+", text.lower())) + " "
        return any(f" {w} " in said or said.startswith(f" {w} ") for w in (self.words or words))


def topic_words(fact: FactDef) -> tuple[str, ...]:
    return fact.words or TOPICS.get(fact.id, ((), ()))[1]


@dataclass
class Conversation:
    """One subject's memory of the conversation: what was asked how often, what it told,
    its name used, promises made."""

    subject: str
    name: str
    facts: tuple[FactDef, ...]
    lines: dict[str, str] = field(default_factory=dict)
    asked: dict[str, int] = field(default_factory=dict)
    answered: dict[str, str] = field(default_factory=dict)  # fact -> how it was last answered
    name_used_at: float = -1e9
    promise: tuple[str, float, float] | None = None  # (kind, made at, distance then)

    def first_name(self) -> str:
        w = self.name.split()
        return w[0].lower() if w and w[0][:1].isupper() else ""

    def question(self, intent: str, text: str) -> FactDef | None:
        return next((f for f in self.facts if f.asked(intent, text)), None)

    def answer(self, fact: FactDef, agitation: float, trust: float, now: float,
               emit: Emit, shift: Callable[[float, float, str], None]) -> tuple[str, str]:
        """(how, text): the subject's answer to ``fact`` now; journals ``SubjectAnswered``."""
        n = self.asked.get(fact.id, 0) + 1
        self.asked[fact.id] = n
        if n >= IRRITATED_AFTER and n % IRRITATED_AFTER == 0:
            shift(*IRRITATION, f"asked_again:{fact.id}")
            how, text = "irritated", self.lines.get("asked_again", DEFAULT_LINES["asked_again"])
        elif fact.doesnt_know:
            how, text = "doesnt_know", fact.doesnt_know
        elif trust >= fact.trust and agitation < fact.calm and fact.tells:
            how, text = "told", fact.tells
        elif fact.lie:
            how, text = "lied", fact.lie
        else:
            how, text = "refused", fact.refuses or self.lines.get("refuses", DEFAULT_LINES["refuses"])
        if how != "irritated" or fact.id not in self.answered:
            self.answered[fact.id] = how if how != "irritated" else self.answered.get(fact.id, "refused")
        emit(SubjectAnswered(subject=self.subject, fact=fact.id, answer=how, text=text, times_asked=n))
        return how, text

    def heard(self, text: str, now: float, distance: float, shift: Callable[[float, float, str], None]) -> None:
        """Whatever the trainee said (understood or not): the name, promises."""
        low = " ".join(re.findall(r"[a-z0-9']+", text.lower()))
        first = self.first_name()
        if first and re.search(rf"\b{re.escape(first)}\b", low) and now - self.name_used_at >= NAME_EVERY:
            self.name_used_at = now
            shift(*NAME_WARMTH, "name_used")
        if _DISTANCE_PROMISE.search(low):
            self.promise = ("keep_distance", now, distance)
        elif _TOUCH_PROMISE.search(low):
            self.promise = ("no_touch", now, distance)

    def watch(self, now: float, distance: float, touched_at: float,
              shift: Callable[[float, float, str], None]) -> str:
        """Each step: a promise broken or kept. Returns the line key to say ("" for none)."""
        if self.promise is None:
            return ""
        kind, made, d0 = self.promise
        broken = (kind == "keep_distance" and distance < d0 - PROMISE_SLACK) or (kind == "no_touch" and touched_at > made)
        if broken:
            self.promise = None
            shift(*PROMISE_BROKEN, f"promise_broken:{kind}")
            return "promise_broken" if kind == "keep_distance" else "promise_broken_touch"
        if now - made >= PROMISE_KEPT_AFTER:
            self.promise = None
            shift(*PROMISE_KEPT, f"promise_kept:{kind}")
        return ""


def learned_line(conversation: Conversation | None, width: int = 60) -> str:
    """What the trainee has found out from this subject, for the instructor's console:
    "name, what happened (lied: medications) - not asked: others, weapon"."""
    if conversation is None or not conversation.facts:
        return ""
    got = conversation.answered
    told = [f.id.replace("_", " ") for f in conversation.facts if got.get(f.id) in ("told", "doesnt_know")]
    lied = [f.id.replace("_", " ") for f in conversation.facts if got.get(f.id) == "lied"]
    refused = [f.id.replace("_", " ") for f in conversation.facts if got.get(f.id) == "refused"]
    never = [f.id.replace("_", " ") for f in conversation.facts if f.id not in got]
    parts = [", ".join(told) or "nothing yet"]
    if lied:
        parts.append(f"lied about: {', '.join(lied)}")
    if refused:
        parts.append(f"won't say: {', '.join(refused)}")
    if never:
        parts.append(f"not asked: {', '.join(never)}")
    return "; ".join(parts)
