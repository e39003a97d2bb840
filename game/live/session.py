"""A recorded session: the run folder, the journal, ``run.json``, the input providers
and when to stop. Engine-free: the offscreen runner, the window and the tests all use it.

The run folder holds ``journal.jsonl`` (deterministic: same seed and inputs, same
bytes), ``run.json`` (wall-clock facts: when, where, on what machine) and
``frames/`` (PNG frames from the trainee's view, when rendered).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

from game import __version__
from game.content.scenario import LoadedScenario
from game.core.drivers import InputProvider, SimulationPort
from game.core.journal import JOURNAL_FORMAT, JournalSink, FileJournal, TeeJournal
from game.core.playback import JournalPlayback
from game.core.simulation import Simulation
from game.core.snapshot import Snapshot
from game.core.tools import DEFAULT_TOOLS, ToolSpecs
from game.files import private_dir, restrict, write_atomic
from game.live.runlock import LOCK_NAME, RunLock

#: Seconds the session goes on after the scenario ends, so its last moments are seen.
EPILOGUE = 2.0


class RunFolderError(RuntimeError):
    """The run folder cannot be made (the message is one line for the user)."""


def new_run_dir(root: str | os.PathLike[str], scenario_id: str, seed: int) -> Path:
    """A fresh folder ``<root>/<UTC time>-<scenario>-s<seed>[-N]``. Raises :class:`RunFolderError`."""
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    base = Path(root) / f"{stamp}-{scenario_id}-s{seed}"
    try:
        Path(root).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RunFolderError(f"cannot create the run folder under {root}: {exc.strerror or exc}") from None
    for n in range(1, 1000):
        path = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            path.mkdir(mode=0o700)  # trainee data are personal: the owner alone reads a run
            restrict(path)  # 0700 whatever the umask; on Windows an ACL for this account
            return path
        except FileExistsError:
            if not path.exists():  # a dangling link or the like, not another run
                raise RunFolderError(f"cannot create the run folder {path}") from None
        except OSError as exc:
            raise RunFolderError(f"cannot create the run folder {path}: {exc.strerror or exc}") from None
    raise RunFolderError(f"too many runs named {base.name} in {root}")


def write_json_atomic(path: Path, data: dict[str, Any]) -> bool:
    """Writes ``data`` as JSON to ``path`` (owner-only) so that readers see the old or the new
    file, never half; a replacement another program blocks is retried for about a second.
    When it still fails, one line says so and False is returned: the journal has everything,
    and the next ``talkdown run`` completes the run folder from it (``game.live.recovery``)."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    try:
        write_atomic(path, text, mode=0o600)
        return True
    except OSError as exc:
        print(f"talkdown: warning: could not write {path} ({exc.strerror or exc}); the journal beside it keeps "
              "the session, and the next talkdown run completes it", file=sys.stderr)
        return False


class Session:
    """One run of one scenario. Call :meth:`step` until :attr:`done`, then :meth:`close`."""

    def __init__(
        self,
        loaded: LoadedScenario,
        *,
        seed: int,
        run_dir: Path,
        providers: Iterable[InputProvider] = (),
        duration: float | None = None,
        epilogue: float = EPILOGUE,
        meta: dict[str, Any] | None = None,
        tools: ToolSpecs = DEFAULT_TOOLS,
        trainee: str = "",
        instructor: str = "",
        software: str = __version__,
        officers: Sequence[tuple[tuple[float, float], float]] | None = None,
        playback: Sequence[dict[str, Any]] | None = None,
        dispatcher: str = "",
    ) -> None:
        """``playback``: a recorded journal to play as it was recorded (the 3D replay) instead
        of simulating (:class:`~game.core.playback.JournalPlayback`); it ends as it ended."""
        self.loaded = loaded
        self.run_dir = Path(run_dir)
        private_dir(self.run_dir)  # owner-only whatever made it (0700; an ACL on Windows)
        self._lock = RunLock(self.run_dir / LOCK_NAME)  # held while the session runs: see game.live.recovery
        self._lock.acquire()
        self.providers = list(providers)
        self.duration = duration
        self.epilogue = epilogue
        self.journal_file = FileJournal(self.run_dir / "journal.jsonl")
        self._tee = TeeJournal(self.journal_file)
        about = {"software": software, "trainee": trainee, "instructor": instructor}
        self.playing = playback is not None
        self.sim: Any = (JournalPlayback(loaded.scenario, playback, self._tee) if playback is not None else
                         Simulation(loaded.scenario, seed=seed, journal=self._tee, tools=tools, about=about,
                                    officers=officers, dispatcher=dispatcher))
        self.frames: list[dict[str, Any]] = []
        #: What the devices are fed before each step: submits, and the snapshot (built once a step).
        self.port = SimulationPort(self.sim)
        self._steps = 0  # step() calls (a paused step keeps the step index)
        self._ended_at_time: float | None = None
        self._wall_start = time.perf_counter()
        self.closed = False
        scenario = loaded.scenario
        self.info: dict[str, Any] = {
            "talkdown_version": __version__,
            "journal_format": JOURNAL_FORMAT,
            "trainee": trainee,
            "instructor": instructor,
            "run_id": self.run_dir.name,
            "status": "running",
            "scenario": {"id": scenario.id, "title": scenario.title, "path": os.fspath(loaded.path),
                         "sha256": scenario.sha256},
            "seed": seed,
            "hz": self.sim.clock.hz,
            "started_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "platform": {"system": platform.system(), "release": platform.release(),
                         "machine": platform.machine(), "python": sys.version.split()[0]},
            **({"dispatcher": dispatcher} if dispatcher else {}),
            **(meta or {}),
        }
        write_json_atomic(self.run_dir / "run.json", self.info)

    @property
    def snapshot(self) -> Snapshot:
        """The read model after the latest step (built once per step, when first asked)."""
        return self.port.snapshot()

    # what whoever drives the frames reads of the clock, without reaching into the simulation
    @property
    def now(self) -> float:
        """Simulated seconds so far."""
        return self.sim.now

    @property
    def step_index(self) -> int:
        """Fixed steps so far (a paused step keeps it)."""
        return self.sim.clock.step

    @property
    def dt(self) -> float:
        return self.sim.clock.dt

    @property
    def hz(self) -> int:
        return self.sim.clock.hz

    @property
    def finish_reason(self) -> str:
        """Why the session ended ("" while it runs)."""
        return self.sim.finish_reason

    def finish(self, reason: str) -> None:
        """Ends the session now (journals ``SessionEnded`` with ``reason``; the journal stays
        open until :meth:`close`)."""
        self.sim.finish(reason)

    def listen(self, sink: JournalSink) -> None:
        """Adds a view (HUD, overlay, figures) that hears every event as it is journaled."""
        self._tee.sinks = (*self._tee.sinks, sink)

    @property
    def done(self) -> bool:
        return self.sim.finished

    def step(self) -> None:
        """Feeds every provider, advances the simulation one step, and decides whether to stop."""
        sim = self.sim
        if sim.finished:
            return
        for provider in self.providers:
            provider.feed(self.port)
        sim.step(snapshot=False)  # the views read one snapshot a frame: see snapshot
        self._steps += 1
        if sim.finished or self.playing:  # a recording ends where it ended
            return
        if sim.ending is not None:
            if self._ended_at_time is None:
                self._ended_at_time = sim.now
            elif sim.now - self._ended_at_time >= self.epilogue:
                sim.finish("scenario_ended")
        if self.duration is not None and sim.now >= self.duration and not sim.finished:
            sim.finish("duration")

    def pause(self, reason: str) -> None:
        """The simulation stops stepping (the headset lost focus, was taken off, the runtime went
        away): ``run.json`` records when and why at once, so a crash after it loses nothing."""
        pauses = self.info.setdefault("pauses", [])
        if pauses and "resumed_at" not in pauses[-1]:
            if pauses[-1]["reason"] == reason:
                return
            pauses[-1]["resumed_at"] = self.sim.now
        pauses.append({"at": self.sim.now, "reason": reason})
        self.journal_file.sync()
        write_json_atomic(self.run_dir / "run.json", self.info)

    def resume(self) -> None:
        pauses = self.info.get("pauses")
        if pauses and "resumed_at" not in pauses[-1]:
            pauses[-1]["resumed_at"] = self.sim.now
            write_json_atomic(self.run_dir / "run.json", self.info)

    @property
    def paused(self) -> bool:
        pauses = self.info.get("pauses")
        return bool(pauses) and "resumed_at" not in pauses[-1]

    def add_frame(self, file: str) -> None:
        self.frames.append({"file": file, "step": self.sim.clock.step, "time": self.sim.now})

    def close(self, reason: str = "closed", **extra: Any) -> dict[str, Any]:
        """Ends the session (if still running), closes the journal and completes ``run.json``.
        Safe to call twice; called on every way out, errors included, so nothing recorded is lost."""
        if self.closed:
            return self.info
        self.closed = True
        self.sim.finish(reason)
        self.journal_file.close()
        ending = self.sim.ending
        self.info.update(
            status="finished",
            ended_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            wall_seconds=round(time.perf_counter() - self._wall_start, 3),
            sim_seconds=self.sim.now,
            steps=self.sim.clock.step,
            finish_reason=self.sim.finish_reason,
            ending=ending.id if ending else "",
            outcome=ending.outcome if ending else "",
            journal="journal.jsonl",
            journal_lines=self.journal_file.count,
            frames=self.frames,
            **extra,
        )
        write_json_atomic(self.run_dir / "run.json", self.info)
        self._lock.release()
        return self.info
