"""The session journal: one JSON object a line, written and flushed as events happen.

Each line starts with ``step``, ``time``, ``type`` and ``source``, then the
event's own fields. Nothing in it depends on the wall clock or the machine, so
the same seed and the same inputs give the same bytes (wall-clock facts go to
the run's ``run.json``).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any, Iterator, Protocol

from game.core.events import Event

#: Bumped whenever the meaning of a journal line changes.
JOURNAL_FORMAT = 1


def encode(step: int, time: float, event: Event) -> str:
    """The journal line for ``event`` at ``step`` (without the newline)."""
    record: dict[str, Any] = {"step": step, "time": time, "type": event.TYPE, "source": event.source}
    record.update(event.payload())
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class JournalSink(Protocol):
    """Where the simulation writes events. Called in step order, as they happen."""

    def record(self, step: int, time: float, event: Event) -> None: ...


class MemoryJournal:
    """Keeps journal lines in a list (tests, benchmarks, the instructor's HUD)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def record(self, step: int, time: float, event: Event) -> None:
        self.lines.append(encode(step, time, event))

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines]

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)


def _private_opener(path: str, flags: int) -> int:
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)
    return fd


class FileJournal:
    """Appends journal lines to a file and flushes each one, so a crash loses at most one line.

    Use as a context manager, or call :meth:`close` when the session ends.
    """

    def __init__(self, path: str | os.PathLike[str], *, fsync_every: int = 0) -> None:
        self.path = Path(path)
        # never mix two sessions ("x"); owner-only whatever the umask: a journal names the trainee
        self._file: io.TextIOWrapper = open(self.path, "x", encoding="utf-8", newline="\n", opener=_private_opener)
        self._fsync_every = fsync_every
        self._since_sync = 0
        self.count = 0

    def record(self, step: int, time: float, event: Event) -> None:
        self._file.write(encode(step, time, event) + "\n")
        self._file.flush()
        self.count += 1
        if self._fsync_every:
            self._since_sync += 1
            if self._since_sync >= self._fsync_every:
                os.fsync(self._file.fileno())
                self._since_sync = 0

    def sync(self) -> None:
        """Makes every line written so far durable (a pause, before a device may take the process down)."""
        if not self._file.closed:
            self._file.flush()
            try:
                os.fsync(self._file.fileno())
            except OSError:
                pass

    def close(self) -> None:
        if not self._file.closed:
            self.sync()
            self._file.close()

    def __enter__(self) -> "FileJournal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class TeeJournal:
    """Sends each event to several sinks (e.g. the file and the HUD's memory)."""

    def __init__(self, *sinks: JournalSink) -> None:
        self.sinks = sinks

    def record(self, step: int, time: float, event: Event) -> None:
        for sink in self.sinks:
            sink.record(step, time, event)


def read_journal(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Every complete record of a journal file; a truncated last line (a crash) is skipped."""
    return list(iter_journal(path))


def iter_journal(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    last = len(lines)
    while last > 0 and not lines[last - 1].strip():
        last -= 1
    for number, line in enumerate(lines[:last], 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            if number == last:  # the last line, cut short by a crash
                return
            raise ValueError(f"{path}:{number}: journal line is not valid JSON") from None
