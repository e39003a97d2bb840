"""The phrases per spoken intent (``input/voice.yaml``, format 1) plus a scenario's own.

An agency copies the file and adds its wording; a scenario may add phrases under
``voice:`` in the same shape. Words the recogniser's dictionary lacks are located
problems (file, line, column, key), found before any audio is heard.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from game.content.document import read_document
from game.content.errors import ContentError, Problem
from game.content.library import package_dir
from game.core.events import BODILY_INTENTS, INTENTS, VISUAL_INTENTS

SCHEMA = ("input", "voice.schema.json")
#: The intents a trainee can speak (the others are seen — a gesture, a note — or done with the
#: body: stepping between a partner and the subject, a hand on the partner's shoulder).
SPOKEN_INTENTS = tuple(i for i in INTENTS if i not in VISUAL_INTENTS and i not in BODILY_INTENTS)


def default_vocabulary_path() -> str:
    return os.fspath(package_dir("input") / "voice.yaml")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Phrases per intent (lower-case words), fillers allowed before any phrase, and
    the tone thresholds in dB against the calibrated normal level."""

    phrases: Mapping[str, tuple[str, ...]]
    fillers: tuple[str, ...] = ()
    shout_db: float = 9.0
    calm_db: float = -6.0
    #: where each phrase came from ("file:line:column"), for messages
    origin: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: free sentences per intent for the free-speech matcher (any words: not the grammar's)
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: free sentences that are no intent, for the free-speech matcher's rejection
    talk: tuple[str, ...] = ()

    def words(self) -> set[str]:
        return {w for ps in self.phrases.values() for p in ps for w in p.split()} | set(self.fillers)

    def intent_of(self, text: str) -> str:
        """The intent whose phrase ``text`` is (after leading fillers), or "" for none."""
        words = text.split()
        while words and words[0] in self.fillers:
            words.pop(0)
        phrase = " ".join(words)
        for intent, phrases in self.phrases.items():
            if phrase in phrases:
                return intent
        return ""

    def extended(self, more: Mapping[str, Iterable[str]], origin: Mapping[str, str] | None = None,
                 examples: Mapping[str, Iterable[str]] | None = None) -> Vocabulary:
        """This vocabulary with ``more`` phrases (and free ``examples``) per intent (a scenario's own)."""
        phrases = {k: list(v) for k, v in self.phrases.items()}
        for intent, extra in more.items():
            phrases.setdefault(intent, [])
            phrases[intent] += [p for p in extra if p not in phrases[intent]]
        free = {k: list(v) for k, v in self.examples.items()}
        for intent, extra in (examples or {}).items():
            free.setdefault(intent, [])
            free[intent] += [e for e in extra if e not in free[intent]]
        return Vocabulary(MappingProxyType({k: tuple(v) for k, v in phrases.items()}), self.fillers, self.shout_db,
                          self.calm_db, MappingProxyType({**self.origin, **(origin or {})}),
                          MappingProxyType({k: tuple(v) for k, v in free.items()}), self.talk)


def load_vocabulary(path: str | os.PathLike[str] | None = None, *, dictionary: set[str] | None = None) -> Vocabulary:
    """Reads and checks a vocabulary file (the shipped one for None); with ``dictionary``,
    also that every word is in it. Raises :class:`ContentError` with every problem."""
    doc = read_document(path or default_vocabulary_path(), kind="voice vocabulary", schema=SCHEMA)
    d, loc = doc.data, doc.locations
    problems: list[Problem] = []
    origin: dict[str, str] = {}
    for intent, phrases in d["phrases"].items():
        if intent not in SPOKEN_INTENTS:
            hint = " (it is seen, not heard)" if intent in VISUAL_INTENTS else ""
            problems.append(loc.problem(("phrases", intent), f"unknown spoken intent '{intent}'{hint} "
                                        f"(known: {', '.join(SPOKEN_INTENTS)})"))
            continue
        for i, phrase in enumerate(phrases):
            p = loc.problem(("phrases", intent, i), "")
            origin[phrase] = f"{p.file}:{p.line}:{p.column}"
    for intent in d.get("examples", {}):
        if intent not in SPOKEN_INTENTS:
            problems.append(loc.problem(("examples", intent), f"unknown spoken intent '{intent}' "
                                        f"(known: {', '.join(SPOKEN_INTENTS)})"))
    for i, word in enumerate(d.get("fillers", [])):
        problems += _unknown_words(word, dictionary, loc, ("fillers", i))
    seen: dict[str, str] = {}
    for intent, phrases in d["phrases"].items():
        for i, phrase in enumerate(phrases):
            problems += _unknown_words(phrase, dictionary, loc, ("phrases", intent, i))
            if phrase in seen and seen[phrase] != intent:
                problems.append(loc.problem(("phrases", intent, i),
                                            f"'{phrase}' is already a phrase of '{seen[phrase]}': one phrase, one intent"))
            seen.setdefault(phrase, intent)
    if problems:
        raise ContentError(problems)
    tone = d.get("tone", {})
    return Vocabulary(MappingProxyType({k: tuple(dict.fromkeys(v)) for k, v in d["phrases"].items()}),
                      tuple(d.get("fillers", ())), float(tone.get("shout_db", 9.0)), float(tone.get("calm_db", -6.0)),
                      MappingProxyType(origin),
                      MappingProxyType({k: tuple(dict.fromkeys(v)) for k, v in d.get("examples", {}).items()}),
                      tuple(dict.fromkeys(d.get("talk", ()))))


def _unknown_words(text: str, dictionary: set[str] | None, loc, path: tuple[object, ...]) -> list[Problem]:
    if dictionary is None:
        return []
    missing = [w for w in text.split() if w not in dictionary]
    if not missing:
        return []
    return [loc.problem(path, f"not in the recogniser's dictionary: {', '.join(missing)} (use other words, "
                              "or spell a number or a name the way it is said)")]
