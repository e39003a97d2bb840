"""The instructor's voice in the scene, in the core: which authored lines a subject can be
made to say (puppeteering, the ``Puppet`` input) and what a ``SpeakAs`` may name.

The console lists :func:`line_menu` for the subject it is on; :func:`line_problem` gives the
console's refusal, a script checker's located problem and :meth:`Simulation.submit`'s
``ValueError`` the same words. Pure: the audio of a ``SpeakAs`` is the voice adapter's
(``game/voice/instructor_voice.py``); the core journals the input and, for words the
recogniser understood as a subject, the subject's ``SubjectSaid``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

#: ``SpeakAs.voice`` for the trainee's radio (any other value is a subject's id).
DISPATCH = "dispatch"
#: ``SubjectSaid.line`` of the words the instructor spoke as a subject.
SPOKEN_LINE = "instructor"
#: Where a ``SpeakAs`` recording lies in the run folder.
AUDIO_FOLDER = "voice"


@dataclass(frozen=True, slots=True)
class MenuLine:
    """One authored line the console can make a subject say: its key, which of its texts
    (``variant``), and the text."""

    line: str
    variant: int
    text: str
    narration: bool = False


def _subject(scenario: Any, subject: str) -> Any:
    return next((s for s in scenario.subjects if s.id == subject), None)


def line_menu(scenario: Any, subject: str) -> list[MenuLine]:
    """Every authored line of ``subject`` (each text of each key, in file order)."""
    s = _subject(scenario, subject)
    if s is None:
        return []
    out = []
    for key, texts in s.lines.items():
        for i, item in enumerate(texts):
            text = item if isinstance(item, str) else item.text
            out.append(MenuLine(key, i, text, bool(getattr(item, "narration", False))))
    return out


def line_problem(scenario: Any, subject: str, line: str, variant: int = 0) -> str | None:
    """Why ``subject`` cannot be made to say ``line`` (its ``variant``-th text), in one line;
    None when it can."""
    ids = [s.id for s in scenario.subjects]
    s = _subject(scenario, subject)
    if s is None:
        close = difflib.get_close_matches(str(subject), ids, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"subjects: {', '.join(ids) or 'none'}"
        return f"no subject '{subject}' in the scenario ({hint})"
    keys = list(s.lines)
    if line not in s.lines:
        close = difflib.get_close_matches(str(line), keys, n=1)
        hint = f"did you mean '{close[0]}'?" if close else (f"lines: {', '.join(keys)}" if keys else "it has none")
        return f"{s.name or s.id} has no line '{line}' ({hint})"
    n = len(s.lines[line])
    if not isinstance(variant, int) or isinstance(variant, bool) or not 0 <= variant < n:
        return f"{s.name or s.id}'s line '{line}' has {n} text(s): variant {variant!r} is not one of 0..{n - 1}"
    return None


def voice_problem(scenario: Any, voice: str) -> str | None:
    """Why ``voice`` is neither a subject of the scenario nor ``dispatch``; None when it is."""
    if voice == DISPATCH or _subject(scenario, voice) is not None:
        return None
    ids = [s.id for s in scenario.subjects]
    return f"cannot speak as '{voice}': neither '{DISPATCH}' nor a subject ({', '.join(ids) or 'none'})"


def audio_problem(audio: str) -> str | None:
    """A ``SpeakAs`` recording must be a WAV under the run folder's ``voice/`` (a journal
    naming any other file is refused: a replay would open it)."""
    if not audio:
        return None
    parts = audio.split("/")
    if (len(parts) != 2 or parts[0] != AUDIO_FOLDER or not parts[1] or parts[1].startswith(".")
            or "\\" in audio or ":" in audio or not parts[1].endswith(".wav")):
        return f"a SpeakAs recording is '{AUDIO_FOLDER}/NAME.wav' in the run folder, not {audio!r}"
    return None


def spoken_as(scenario: Any, voice: str) -> str:
    """What the journal says of speech not understood: ``instructor spoke as <name>``."""
    s = _subject(scenario, voice)
    return f"instructor spoke as {s.name or s.id}" if s is not None else f"instructor spoke as {voice}"


def instructor_voice_problem(scenario: Any, event: Any) -> str | None:
    """Why a ``Puppet`` or ``SpeakAs`` cannot apply to ``scenario``, in one line; None when it can."""
    import math

    if event.TYPE == "Puppet":
        problem = line_problem(scenario, event.subject, event.line, event.variant)
        if problem is None and event.tone not in ("", "calm", "normal", "shout"):
            problem = f"unknown tone {event.tone!r}"
        return problem
    problem = voice_problem(scenario, event.voice) or audio_problem(event.audio)
    if problem is None and event.tone not in ("calm", "normal", "shout"):
        problem = f"unknown tone {event.tone!r}"
    if problem is None and not (isinstance(event.seconds, (int, float)) and math.isfinite(event.seconds)
                                and 0 <= event.seconds <= 3600):
        problem = f"a SpeakAs lasts 0..3600 seconds, not {event.seconds!r}"
    if problem is None and event.at is not None and not (isinstance(event.at, (int, float)) and math.isfinite(event.at)):
        problem = f"a SpeakAs's 'at' must be a finite number of seconds, got {event.at!r}"
    if problem is None and (not isinstance(event.text, str) or len(event.text) > 2000):
        problem = "a SpeakAs's text is a string of at most 2000 characters"
    return problem
