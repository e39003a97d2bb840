"""What an input event must hold before the simulation takes it (:func:`check_input`): the
checks :meth:`Simulation.submit <game.core.simulation.Simulation.submit>` makes, apart from the
seat's (``game.core.seats``), so a refused input never reaches a step or the journal.
"""

from __future__ import annotations

import math

from game.core.call import check_input as check_call_input
from game.core.events import (
    HANDS,
    INTENTS,
    OFFICER_AWAY,
    TONES,
    TOOLS,
    Calm,
    Draw,
    Escalate,
    HandMove,
    Holster,
    InputEvent,
    LowReady,
    Mark,
    Move,
    OfficerJoined,
    OfficerLeft,
    Say,
    SpeechHeard,
    Touch,
    Use,
)


def check_input(event: InputEvent) -> None:
    """Refuses (``ValueError``, one line) an input whose values no step could apply: numbers that
    are not finite, an unknown intent, tone, tool or hand, a call input the call cannot take."""
    check_call_input(event)
    if isinstance(event, Move):
        values = (*event.position, event.heading, event.pitch)
        if len(event.position) != 2 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
            raise ValueError(f"a Move needs finite numbers, got {event}")
    elif isinstance(event, Mark):
        if event.at is not None and not (isinstance(event.at, (int, float)) and math.isfinite(event.at)):
            raise ValueError(f"a Mark's 'at' must be a finite number of seconds, got {event.at!r}")
    elif isinstance(event, (Escalate, Calm)):
        if not (isinstance(event.amount, (int, float)) and math.isfinite(event.amount) and 0 <= event.amount <= 1):
            raise ValueError(f"{event.TYPE} amount must be a number in 0..1, got {event.amount!r}")
    elif isinstance(event, Say):
        if event.intent not in INTENTS:
            raise ValueError(f"unknown intent {event.intent!r}")
        if event.tone not in TONES:
            raise ValueError(f"unknown tone {event.tone!r}")
    elif isinstance(event, SpeechHeard):
        if event.tone not in TONES:
            raise ValueError(f"unknown tone {event.tone!r}")
    elif isinstance(event, Draw):
        if event.tool not in TOOLS:
            raise ValueError(f"unknown tool {event.tool!r}")
        if event.hand not in HANDS:
            raise ValueError(f"unknown hand {event.hand!r}")
    elif isinstance(event, HandMove):
        values = (*event.position, event.heading, event.pitch, event.roll)
        if event.hand not in HANDS:
            raise ValueError(f"unknown hand {event.hand!r}")
        if len(event.position) != 3 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in values):
            raise ValueError(f"a HandMove needs finite numbers, got {event}")
    elif isinstance(event, (Holster, Touch, Use, LowReady)) and event.hand not in HANDS:
        raise ValueError(f"unknown hand {event.hand!r}")
    elif isinstance(event, (OfficerLeft, OfficerJoined)) and not str(event.officer).startswith("officer:"):
        raise ValueError(f"{event.TYPE} names an officer's seat (officer:N), got {event.officer!r}")
    elif isinstance(event, OfficerLeft) and event.then not in OFFICER_AWAY:
        raise ValueError(f"an officer away can only {' or '.join(OFFICER_AWAY)} in this version, not {event.then!r}")
