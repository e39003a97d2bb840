"""The events' base classes (see :mod:`game.core.events`, which re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from game.core.seats import journal_name, seat_of


class Event:
    """Base of every event. Subclasses are frozen dataclasses with a ``TYPE``."""

    TYPE: ClassVar[str] = ""
    SOURCE: ClassVar[str] = "sim"

    @property
    def source(self) -> str:
        """Who sent it, as the journal writes it (see :mod:`game.core.seats`)."""
        by = getattr(self, "by", None)
        return journal_name(by) if by else self.SOURCE

    def payload(self) -> dict[str, Any]:
        """The event's own fields, in declaration order, ready for JSON."""
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            if f.name == "by":
                continue
            value = getattr(self, f.name)
            if f.metadata.get("omit_default") and value == f.default:
                continue  # a field added later: at its default, the line reads as it did before it
            out[f.name] = _plain(value)
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 4)
    return value




#: Field metadata for a field added to an event after journals were written with it missing:
#: left out of the journal line while at its default, so older lines decode and re-encode
#: byte for byte (the 3D replay writes a recording again from its events).
OMIT_DEFAULT = {"omit_default": True}

@dataclass(frozen=True, kw_only=True)
class InputEvent(Event):
    """Something asked of the simulation. Applied at the start of the next step.

    ``by`` is the seat that sent it (``officer:2``, ``instructor`` …; empty: the type's
    usual seat, ``SOURCE``: officer 1, journaled ``trainee``, or the instructor)."""

    SOURCE = "trainee"
    by: str = ""

    def __post_init__(self) -> None:
        if self.by and journal_name(self.by) == self.SOURCE:  # the usual seat, however spelled
            object.__setattr__(self, "by", "")

    @property
    def seat(self) -> str:
        """The seat that sent it (``officer:1`` for ``trainee``)."""
        return seat_of(self.source)




class OutputEvent(Event):
    """Something that happened in the simulation."""
