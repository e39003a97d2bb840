"""The network's messages: versioned JSON text frames, served by the journal's own codec.

Every message is one WebSocket text frame holding a JSON object ``{"v": PROTOCOL, "kind": …}``.

Station → host:

- ``hello`` ``{code, seat?, name?, software}``: the join code (required), the officer's seat
  wanted (``officer:N``; none: the first free one), who trains there;
- ``input`` ``{event}``: one input event as its journal line says it (``type``, ``source`` and
  its fields, without ``step``/``time``: the host journals it at the step it takes effect). The
  same events the desk and the headset make (:mod:`game.core.controls`), encoded by
  :func:`game.core.journal.encode` and rebuilt by :func:`game.core.events.input_from_record`;
  ``source`` must be the station's own seat;
- ``ready``: the station's view is loaded (a host waiting for its stations starts the session
  once every one is ready);
- ``ping`` ``{t}`` (answered by ``pong`` with the same ``t``), ``bye``.

Host → station:

- ``welcome`` ``{seat, scenario: {id, sha256, title}, seed, hz, officers, run}``;
- ``refused`` ``{reason}`` (then the host closes the connection);
- ``frame`` ``{step, time, events, snapshot}``: the journal lines of the steps since the last
  frame, exactly as journaled, and the read model after them (:func:`snapshot_record`);
- ``dropped`` ``{reason}``: a message of the station's was dropped (at most one a second);
- ``ended`` ``{reason, ending}``: the session is over.

A message bigger than :data:`MAX_MESSAGE` bytes is refused by the WebSocket layer itself (the
connection closes with 1009, "message too big"); everything else that does not parse, names
another seat, or carries a field of the wrong type is a :class:`MessageError` with a one-line
reason — dropped and logged, never a crash.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields, replace
from typing import Any, Iterable, Mapping

from game.core.events import INPUT_TYPES, InputEvent, input_from_record
from game.core.journal import encode
from game.core.seats import journal_name, may_send, role_of, SeatError
from game.core.snapshot import BranchView, OfficerView, SaidView, Snapshot, SubjectView

#: The message format's version: bumped whenever a message's meaning changes.
PROTOCOL = 1
#: The largest message either side accepts (bytes). An input is well under 1 KiB; a frame with
#: eight subjects about 6 KiB.
MAX_MESSAGE = 64 * 1024
#: The port ``talkdown host`` listens on unless told.
DEFAULT_PORT = 47400

#: Kinds a station may send, and kinds the host sends.
FROM_STATION = frozenset({"hello", "ready", "input", "ping", "bye"})
FROM_HOST = frozenset({"welcome", "refused", "frame", "dropped", "ended", "pong"})

#: Strings longer than this in an input are refused (a spoken sentence is far shorter).
MAX_TEXT = 2000
#: Numbers in an input must be finite and within this (metres, degrees).
MAX_NUMBER = 1e6


class MessageError(ValueError):
    """A message that cannot be taken: the text is the one-line reason."""


def dumps(kind: str, **body: Any) -> str:
    """The message ``kind`` with ``body`` as one line of JSON."""
    return json.dumps({"v": PROTOCOL, "kind": kind, **body}, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False)


def loads(data: str | bytes, kinds: Iterable[str] = FROM_STATION) -> dict[str, Any]:
    """The message in ``data``; raises :class:`MessageError` for anything that is not one of
    ``kinds`` in this protocol version."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        raise MessageError("a binary message (messages are JSON text)")
    if len(data) > MAX_MESSAGE:
        raise MessageError(f"a message of {len(data)} characters (at most {MAX_MESSAGE})")
    try:
        message = json.loads(data, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise MessageError(f"not JSON ({str(exc).splitlines()[0][:80]})") from None
    if not isinstance(message, dict):
        raise MessageError(f"a JSON {type(message).__name__}, not an object")
    version = message.get("v")
    if version != PROTOCOL:
        raise MessageError(f"protocol version {version!r}; this Talkdown speaks {PROTOCOL} "
                           "(run the same Talkdown version on every station)")
    kind = message.get("kind")
    if kind not in kinds:
        raise MessageError(f"unknown message kind {str(kind)[:40]!r} (expected {', '.join(sorted(kinds))})")
    return message


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number here")


# ----------------------------------------------------------------------------- inputs


def input_message(event: InputEvent) -> str:
    """The ``input`` message for ``event``: its journal line without step and time."""
    record = json.loads(encode(0, 0.0, event))
    del record["step"], record["time"]
    return dumps("input", event=record)


def input_event(record: Any, seat: str) -> InputEvent:
    """The input event an ``input`` message from the station at ``seat`` carries. Raises
    :class:`MessageError` when it names another seat, is not an officer's input, or a field
    is missing, unknown or of the wrong type."""
    if not isinstance(record, dict):
        raise MessageError("an input without an event object")
    kind = record.get("type")
    cls = INPUT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise MessageError(f"unknown input type {str(kind)[:40]!r}")
    source = record.get("source")
    if source != journal_name(seat):
        raise MessageError(f"an input for {str(source)[:40]!r} from the station of {seat}: "
                           "a station sends only its own officer's inputs")
    try:
        allowed = may_send(seat, kind)
    except SeatError as exc:
        raise MessageError(str(exc)) from None
    if not allowed:
        raise MessageError(f"{seat} may not send {kind} (an {role_of(seat)} does not)")
    declared = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    for name, value in record.items():
        if name in ("type", "source"):
            continue
        if name not in declared or name == "by":
            raise MessageError(f"{kind} has no field {name[:40]!r}")
        problem = _type_problem(str(declared[name].type), value)
        if problem:
            raise MessageError(f"{kind}.{name}: {problem}")
    try:
        return input_from_record(record)
    except (TypeError, ValueError) as exc:
        raise MessageError(f"{kind}: {str(exc).splitlines()[0][:120]}") from None


def _number_problem(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {type(value).__name__}"
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        return f"a number out of range ({value!r})"
    return ""


def _type_problem(annotation: str, value: Any) -> str:
    """Why ``value`` is not of the field type ``annotation`` (as the dataclass spells it); "" if it is."""
    annotation = annotation.replace(" ", "")
    if annotation == "float|None":
        return "" if value is None else _number_problem(value)
    if annotation in ("float", "int"):
        problem = _number_problem(value)
        if not problem and annotation == "int" and not isinstance(value, int):
            return "expected a whole number"
        return problem
    if annotation == "str":
        if not isinstance(value, str):
            return f"expected text, got {type(value).__name__}"
        return f"text of {len(value)} characters (at most {MAX_TEXT})" if len(value) > MAX_TEXT else ""
    if annotation == "bool":
        return "" if isinstance(value, bool) else f"expected true or false, got {type(value).__name__}"
    if annotation.startswith("tuple[float") and annotation.endswith("]"):
        size = annotation.count("float")
        if not isinstance(value, list) or len(value) != size:
            return f"expected a list of {size} numbers"
        return next((p for p in map(_number_problem, value) if p), "")
    return "this field cannot come over the network"


# ------------------------------------------------------------------------ snapshots


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            return 1e9 if value > 0 else -1e9
        return round(value, 4)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


def snapshot_record(snap: Snapshot) -> dict[str, Any]:
    """``snap`` as plain JSON data (floats to the journal's four decimals)."""
    return _plain(snap)


def _build(cls: type, data: Mapping[str, Any], nested: Mapping[str, type] = {}) -> Any:
    """``cls`` from ``data``: unknown keys are left out (a newer host), lists become tuples."""
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in nested:
            value = tuple(_build(nested[f.name], v) for v in value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        kwargs[f.name] = value
    return cls(**kwargs)


def snapshot_from_record(data: Mapping[str, Any]) -> Snapshot:
    """The :class:`~game.core.snapshot.Snapshot` :func:`snapshot_record` gave. Raises
    :class:`MessageError` when it is not one."""
    try:
        officers = tuple(_build(OfficerView, o, {"said": SaidView}) for o in data["officers"])
        subjects = tuple(_build(SubjectView, s) for s in data["subjects"])
        branches = tuple(_build(BranchView, b) for b in data.get("branches", ()))
        rest = {k: v for k, v in data.items() if k not in ("officers", "subjects", "branches")}
        bare = _build(Snapshot, {**rest, "officers": [], "subjects": [], "branches": []})
        return replace(bare, officers=officers, subjects=subjects, branches=branches)
    except (KeyError, TypeError, ValueError) as exc:
        raise MessageError(f"not a snapshot ({type(exc).__name__}: {exc})") from None


def frame_message(lines: Iterable[str], snap: Snapshot) -> str:
    """A ``frame``: the journal ``lines`` exactly as journaled (spliced in, not re-encoded) and
    the snapshot after them."""
    head = dumps("frame", step=snap.step, time=round(snap.time, 4), snapshot=snapshot_record(snap))
    return head[:-1] + ',"events":[' + ",".join(lines) + "]}"
