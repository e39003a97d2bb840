"""Sessions that never closed: found and closed at the next ``talkdown run``, so that a crash
or a killed process still ends up in the review and the records.

A session writes ``run.json`` with ``status: running`` when it starts and completes it when it
closes; while it runs it holds its folder's :class:`~game.runlock.RunLock`. A folder that
still says ``running`` and whose lock can be taken belonged to a process that died. Its
journal is kept as it is (a truncated last line is tolerated by every reader);
:func:`close_unclosed` completes ``run.json`` from what the journal and ``frames/`` hold.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any, Iterator

from game.core.journal import read_journal
from game.runlock import LOCK_NAME, RunLock
from game.session import write_json_atomic

#: ``run.json``'s status and finish reason for a session closed after its process died.
CUT_SHORT = "cut short"
CUT_SHORT_REASON = "cut short: the process ended without closing the session"


def _status(run: Path) -> dict[str, Any] | None:
    try:
        info = json.loads((run / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def unclosed_runs(root: Path) -> Iterator[tuple[Path, RunLock]]:
    """Run folders under ``root`` that say ``running`` and whose session is gone, each with its
    lock taken (the caller releases it). Live sessions in other processes are skipped."""
    if not root.is_dir():
        return
    for run in sorted(p for p in root.iterdir() if p.is_dir()):
        info = _status(run)
        if info is None or info.get("status") != "running" or not (run / "journal.jsonl").is_file():
            continue
        lock = RunLock(run / LOCK_NAME)
        if lock.acquire():
            yield run, lock


def close_unclosed(run: Path) -> dict[str, Any]:
    """Completes an unclosed run's ``run.json`` from its journal and frames; returns it."""
    from game.review.analysis import frames_on_disk

    info = _status(run) or {}
    info.setdefault("run_id", run.name)
    records = read_journal(run / "journal.jsonl")
    last = records[-1] if records else {"time": 0.0, "step": 0}
    ended = next((r for r in records if r.get("type") == "ScenarioEnded"), None)
    info.update(
        status=CUT_SHORT,
        closed_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        sim_seconds=float(last["time"]),
        steps=int(last["step"]),
        finish_reason=CUT_SHORT_REASON,
        ending=ended["ending"] if ended else "",
        outcome=ended["outcome"] if ended else "",
        journal="journal.jsonl",
        journal_lines=len(records),
        frames=frames_on_disk(run, float(info.get("hz", 90))),
    )
    write_json_atomic(run / "run.json", info)
    return info


def recover(root: Path, failed: list[tuple[Path, OSError]] | None = None) -> list[dict[str, Any]]:
    """Closes every unclosed run under ``root``; returns their ``run.json`` data. A run that cannot
    be closed (its folder is read-only) is left as it is — journal untouched — and, with ``failed``,
    listed there with the error; the others are closed all the same."""
    closed = []
    for run, lock in unclosed_runs(root):
        try:
            closed.append(close_unclosed(run))
        except OSError as exc:
            if failed is None:
                raise
            failed.append((run, exc))
        finally:
            lock.release()
    return closed
