"""Exemplars per intent for the sentence matcher (:mod:`game.voice.understand`): the
vocabulary's phrases (the grammar's), its free-text ``examples`` (an agency's own
wording, ``input/voice.yaml``), a scenario's own, and generated variety — the same
command asked politely, with "for me", "now", "right now", "I need you to ..."; the
same question as "can you tell me ...", "do you mind telling me ...".

Generated variety never includes the benchmark's held-out sentences: it is made from
fixed frames, not from any set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: Frames for commands: "{}" is a phrase of the intent.
COMMAND_FRAMES = ("{}", "{} now", "{} right now", "{} for me", "can you {} for me", "i need you to {}",
                  "please {}", "{} please", "go ahead and {}", "i want you to {}", "could you {}", "you need to {}")
#: Frames for questions and offers.
QUESTION_FRAMES = ("{}", "can you tell me {}", "could you tell me {}", "do you mind telling me {}", "tell me {}")
#: Which intents take which frames (intents not listed take their phrases as they are).
FRAMED = {
    "command_show_hands": COMMAND_FRAMES, "command_stop": COMMAND_FRAMES, "command_get_down": COMMAND_FRAMES,
    "command_step_back": COMMAND_FRAMES, "command_drop_weapon": COMMAND_FRAMES,
}
#: Question phrases that become "can you tell me <what>" when they start with these words.
_QUESTION_WORDS = ("what's", "what", "who")


def _question_forms(phrase: str) -> list[str]:
    """'what's your name' -> 'what your name is' forms for the question frames."""
    w = phrase.split()
    if not w or w[0] not in _QUESTION_WORDS:
        return [phrase]
    if w[0] == "what's" and len(w) > 1:
        return [phrase, f"what {' '.join(w[1:])} is"]
    if w[0] == "what" and len(w) > 2 and w[1] == "is":
        return [phrase, f"what {' '.join(w[2:])} is"]
    return [phrase]


def generate(phrases: Mapping[str, Iterable[str]], examples: Mapping[str, Iterable[str]] | None = None,
             ) -> dict[str, list[str]]:
    """Exemplars per intent: ``phrases`` and ``examples`` as given, plus framed variety."""
    out: dict[str, list[str]] = {}
    for intent, ps in phrases.items():
        rows = out.setdefault(intent, [])
        for p in ps:
            rows.append(p)
            for frame in FRAMED.get(intent, ()):
                rows.append(frame.format(p))
            if intent in ("ask_name", "ask_what_happened"):
                for form in _question_forms(p):
                    if form.split()[0] in _QUESTION_WORDS and form.endswith(" is"):
                        for frame in QUESTION_FRAMES[1:]:
                            rows.append(frame.format(form))
    for intent, es in (examples or {}).items():
        rows = out.setdefault(intent, [])
        for e in es:
            rows.append(e)
            if intent in FRAMED and len(e.split()) <= 5:
                rows += [frame.format(e) for frame in ("{} now", "{} for me", "please {}")]
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}
