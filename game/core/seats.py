"""Seats: who sends inputs to a session.

A seat is a role at the table: ``officer:1`` … ``officer:N`` (the trainees in the scene),
``instructor`` (the console) and ``dispatcher`` (the radio room). Every input event says
which seat sent it (its ``by``; the journal's ``source``), and a seat may send only the
input types of its role (:data:`ROLE_INPUTS`): the simulation refuses others with a
:class:`SeatError` before anything is journaled.

Journal spelling: officer 1 is written ``trainee``, as every journal before seats wrote
the one trainee, so those journals replay unchanged; the others are written as their
seat (``officer:2``, ``instructor``, ``dispatcher``). :func:`journal_name` and
:func:`seat_of` convert.

The contact officer: a subject's conditions and targets that say ``trainee`` mean its
contact officer, the officer **nearest** to it (ties: the lower number). Nearest rather
than "the last who spoke": everything a subject reacts to besides words — crowding,
closing speed, a weapon pointed at it, a light in its eyes, a hand on it — is physical
and comes from whoever is close, and words reach it from whoever speaks anyway (a
``Say`` is heard from its speaker's position). With one officer both are officer 1.
"""

from __future__ import annotations

OFFICER = "officer"
OFFICER_1 = "officer:1"
INSTRUCTOR = "instructor"
DISPATCHER = "dispatcher"

#: How officer 1 is written in the journal (every journal before seats said ``trainee``).
OFFICER_1_JOURNAL = "trainee"

#: The input types (their journal ``type``) each role may send.
ROLE_INPUTS: dict[str, frozenset[str]] = {
    OFFICER: frozenset({"Move", "HandMove", "Say", "SpeechHeard", "Draw", "LowReady", "Holster", "Touch", "Use",
                        "EndSession", "Radio"}),
    # the instructor's station also journals officers' stations leaving and joining (the network)
    INSTRUCTOR: frozenset({"Escalate", "Calm", "ForceBranch", "Mark", "Pause", "Resume", "Restart", "EndSession",
                           "OfficerLeft", "OfficerJoined"}),
    #: the call (game.core.call): pick up, ask, the incident card, send the unit, answer the radio
    DISPATCHER: frozenset({"Mark", "AnswerCall", "AskCaller", "FillCard", "DispatchUnit", "RadioAnswer"}),
}


class SeatError(ValueError):
    """An input from a seat that may not send it, or from a seat the session does not have."""


def officer(n: int) -> str:
    """The seat of officer ``n`` (1-based)."""
    return f"{OFFICER}:{int(n)}"


def officer_number(seat: str) -> int | None:
    """``n`` for ``officer:n`` (and for ``trainee``, officer 1); None for any other seat."""
    seat = seat_of(seat)
    head, _, tail = seat.partition(":")
    if head != OFFICER or not tail.isdigit() or int(tail) < 1:
        return None
    return int(tail)


def role_of(seat: str) -> str:
    """``officer``, ``instructor`` or ``dispatcher``; raises :class:`SeatError` for anything else."""
    seat = seat_of(seat)
    if officer_number(seat) is not None:
        return OFFICER
    if seat != OFFICER and seat in ROLE_INPUTS:  # a role that seats one: instructor, dispatcher …
        return seat
    others = ", ".join(r for r in ROLE_INPUTS if r != OFFICER)
    raise SeatError(f"no seat {seat!r} (seats: officer:1…N, {others})")


def journal_name(seat: str) -> str:
    """How ``seat`` is written in the journal's ``source``: officer 1 is ``trainee``."""
    return OFFICER_1_JOURNAL if seat == OFFICER_1 else seat


def seat_of(source: str) -> str:
    """The seat a journal ``source`` names: ``trainee`` is officer 1."""
    return OFFICER_1 if source == OFFICER_1_JOURNAL else source


def may_send(seat: str, event_type: str) -> bool:
    return event_type in ROLE_INPUTS[role_of(seat)]
