"""The session host: one engine-free owner of a session's lifecycle, for the desk, the
headset, a replay branch and (later) the network.

A :class:`RunPlan` is everything a run needs, each file loaded once (the scenario, the
scripts per seat, the tool figures). A :class:`SessionHost` takes the plan and the seats'
devices — each a :class:`SeatDevice`: the desk keyboard, the headset, a script, the
instructor's console, later a network client — and owns:

- **start**: a run folder, the journal, the lock (:class:`~game.live.session.Session`);
- **stepping** (:meth:`SessionHost.step`), **pause** and **resume** (a headset taken off);
- **restart**: the instructor's ``Restart`` closes the run (``restarted_as``) and opens the
  next one of the same plan (``restart_of``); devices start again where their officer
  starts, whoever drives the frames hears of it (``on_session``) — at the desk and in the
  headset alike;
- **one teardown order** (:meth:`SessionHost.close`), whatever ends the session:
  0. the frame loop's tasks stop (``stop``);
  1. the devices let go of their inputs (``detach``): nothing new arrives;
  2. what writes files flushes (``flush``: the frame capture);
  3. the session closes: the journal, ``run.json``, the lock;
  4. what holds a device closes (``close``: the microphone);
  5. the views are destroyed, the last made first (``destroy``);
  6. the after-session hooks it was given run, in order (``after``: ``talkdown run``'s
     one-line summary, then filing the review and the records,
     :func:`~game.live.filing.filing_hook`, which covers restarted runs too through
     ``previous_runs``; a replay branch's comparison, then the same filing).

:meth:`SessionHost.drive` runs a frame loop inside that lifecycle (start, the loop, close
on every way out: "interrupted" for Ctrl-C, "error: …" raised again), so the desk
(:func:`game.engine.desk.station.run_desk`), the headset
(:func:`game.xr.station.run_headset`) and a headless run (:meth:`SessionHost.run`) close
alike; the commands only choose a device per seat.

The host owns the loop's parts but not the loop: whoever drives frames (Panda3D's task
manager, the headset's frame loop, a test) calls :meth:`~SessionHost.step`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence

from game.content.scenario import LoadedScenario
from game.core.drivers import SeatPort, TraineeScript
from game.core.tools import DEFAULT_TOOLS, ToolSpecs
from game.live.session import Session, new_run_dir


class SeatDevice(Protocol):
    """What sits at a seat: before each step it is handed the session's
    :class:`~game.core.drivers.SeatPort` — submit inputs, read the frozen snapshot, nothing
    else. Optional hooks: ``reset(position, heading)`` (a restart), ``detach()``, ``close()``."""

    def feed(self, sim: SeatPort) -> None: ...


@dataclass
class RunPlan:
    """A run, loaded once: the scenario and seed, where runs go, when to stop, the tools,
    who trains and instructs, where each officer starts, and each scripted seat's script."""

    loaded: LoadedScenario
    seed: int = 1
    out: Path = Path("runs")
    duration: float | None = None
    tools: ToolSpecs = DEFAULT_TOOLS
    trainee: str = ""
    instructor: str = ""
    officers: Sequence[tuple[tuple[float, float], float]] | None = None
    scripts: Mapping[str, TraineeScript] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    #: The software journaled as having recorded it (a branch keeps the recording's).
    software: str | None = None
    #: Who takes the call at the dispatcher's seat (empty: nobody; the officer gets the
    #: scenario's written briefing). See game.core.call.
    dispatcher: str = ""

    @classmethod
    def load(cls, scenario: str | Path, *, scripts: Mapping[str, str | Path] = (), tools: str | None = None,
             **fields: Any) -> "RunPlan":
        """Loads every file of a run once (a located ``ContentError`` for a broken one, before
        anything is recorded): the scenario, a script per seat, the tool figures."""
        from game.content.scenario import load_scenario
        from game.content.script import load_script
        from game.content.tools import load_tools

        return cls(load_scenario(scenario), scripts={seat: load_script(p) for seat, p in dict(scripts).items()},
                   tools=load_tools(tools), **fields)

    def officer_start(self, seat: str) -> tuple[tuple[float, float], float]:
        """Where the officer at ``seat`` starts."""
        from game.core.seats import officer_number

        sc = self.loaded.scenario
        starts = list(self.officers or sc.human_officers())
        n = officer_number(seat) or 1
        return starts[n - 1] if n <= len(starts) else starts[0]


class SessionHost:
    """Runs sessions of ``plan`` with ``devices`` (see the module). Call :meth:`start`, then
    :meth:`step` until :attr:`done`, then :meth:`close` — on every way out."""

    def __init__(self, plan: RunPlan, devices: Iterable[SeatDevice] = (), *,
                 after: Iterable[Callable[[Path, dict[str, Any]], None]] = (),
                 log: Callable[[str], None] = lambda line: None) -> None:
        self.plan = plan
        self.devices = [d for d in devices if d is not None]
        self.after = list(after)
        self.log = log
        self.session: Session | None = None
        self.runs: list[dict[str, Any]] = []  # run.json of each run closed by a restart
        self.on_session: list[Callable[[Session], None]] = []  # told of each new session (restart)
        self.sinks: list[Any] = []  # journal sinks every session gets (views, HUD, capture)
        self._stop: list[Any] = []
        self._flush: list[Any] = []
        #: Extra ``run.json`` fields when a run closes (the frames rendered, the console's cost).
        self.close_extra: Callable[[], dict[str, Any]] = dict
        self._close: list[Any] = []
        self._destroy: list[Any] = []
        self.closed = False
        self.info: dict[str, Any] = {}

    # ------------------------------------------------------------ parts

    def own(self, part: Any, *, stop: bool = False, flush: bool = False, close: bool = False,
            destroy: bool = False, listen: bool = False) -> Any:
        """Hands ``part`` to the host's teardown (and, with ``listen``, to every session's
        journal). Returns it."""
        if part is None:
            return None
        for wanted, where in ((stop, self._stop), (flush, self._flush), (close, self._close), (destroy, self._destroy),
                              (listen, self.sinks)):
            if wanted:
                where.append(part)
        if listen and self.session is not None:
            self.session.listen(part)
        return part

    def disown(self, part: Any) -> None:
        """Takes ``part`` out of the teardown and the sessions' journals to come (a frame capture
        replaced after a restart: the new run's folder gets a new one)."""
        for where in (self._stop, self._flush, self._close, self._destroy, self.sinks):
            while part in where:
                where.remove(part)

    def hand_over(self, devices: Iterable[SeatDevice]) -> None:
        """From the next step on ``devices`` feed the session instead of the present ones (a
        replay branch: the journal's inputs hand over to the live seats)."""
        self.devices = [d for d in devices if d is not None]
        if self.session is not None:
            self.session.providers = list(self.devices)

    def add_device(self, device: SeatDevice) -> None:
        """A device joins (the instructor's console, a microphone): it feeds from the next step."""
        self.devices.append(device)
        if self.session is not None:
            self.session.providers.append(device)

    # ------------------------------------------------------------ lifecycle

    def start(self, run_dir: Path | None = None, **meta: Any) -> Session:
        """Opens the first (or next) session in ``run_dir`` (None: a new run folder)."""
        plan = self.plan
        folder = run_dir if run_dir is not None else new_run_dir(plan.out, plan.loaded.scenario.id, plan.seed)
        self.session = Session(plan.loaded, seed=plan.seed, run_dir=folder, providers=list(self.devices),
                               duration=plan.duration, tools=plan.tools, meta={**plan.meta, **meta},
                               trainee=plan.trainee, instructor=plan.instructor, officers=plan.officers,
                               dispatcher=plan.dispatcher,
                               **({"software": plan.software} if plan.software is not None else {}))
        for sink in self.sinks:
            self.session.listen(sink)
        return self.session

    @property
    def done(self) -> bool:
        return self.session is None or self.session.done

    def step(self) -> None:
        """One step of the session; after the instructor's restart, the next session starts."""
        session = self.session
        if session is None or session.done:
            return
        session.step()
        if session.finish_reason == "restart":
            self.restart()

    def run(self) -> dict[str, Any]:
        """Steps until the session ends, then closes it (a headless session: scripts only)."""

        def steps() -> str:
            while not self.done:
                self.step()
            return "completed"

        return self.drive(steps)

    def drive(self, frames: Callable[[], str]) -> dict[str, Any]:
        """Runs the frame loop ``frames`` — the desk's, the headset's, a test's; it steps the
        host and returns why it stopped ("completed", "headset: …") — and closes the run in the
        one teardown order on every way out: Ctrl-C or a closed window as "interrupted", any
        other exception as "error: …" (raised again). Starts the session first if it is not.
        Returns the last run's ``run.json`` data, after the after-session hooks ran."""
        if self.session is None:
            self.start()
        try:
            reason = frames()
        except (KeyboardInterrupt, SystemExit):
            reason = "interrupted"
        except BaseException as exc:
            self.close(f"error: {type(exc).__name__}: {exc}")
            raise
        return self.close(reason)

    def restart(self, **extra: Any) -> Session:
        """Closes this run as restarted and opens the next one of the same plan; the devices
        start again where their officers start, and :attr:`on_session` hears of it."""
        old = self.session
        assert old is not None
        plan = self.plan
        next_dir = new_run_dir(plan.out, plan.loaded.scenario.id, plan.seed)
        for part in self._flush:
            part.flush()
        self.runs.append(old.close("restart", restarted_as=next_dir.name, **{**self.close_extra(), **extra}))
        self.log(f"talkdown: restarted by the instructor; {old.run_dir} is kept, recording to {next_dir}")
        for device in self.devices:
            reset = getattr(device, "reset", None)
            seat = getattr(device, "seat", "officer:1")
            if callable(reset) and seat.startswith("officer"):
                position, heading = plan.officer_start(seat)
                reset(position, heading)
        session = self.start(next_dir, restart_of=old.run_dir.name)
        for listener in self.on_session:
            listener(session)
        return session

    def pause(self, reason: str) -> None:
        if self.session is not None:
            self.session.pause(reason)

    def resume(self) -> None:
        if self.session is not None:
            self.session.resume()

    def close(self, reason: str = "closed", **extra: Any) -> dict[str, Any]:
        """Ends the session (if still running) in the one teardown order (see the module);
        safe to call twice. Returns the last run's ``run.json`` data (``previous_runs``:
        the runs it restarted from)."""
        if self.closed:
            return self.info
        self.closed = True
        errors: list[BaseException] = []

        def each(parts: Sequence[Any], method: str) -> None:
            for part in parts:
                fn = getattr(part, method, None)
                if callable(fn):
                    try:
                        fn()
                    except Exception as exc:  # one failing part must not keep the others open
                        errors.append(exc)

        each(self._stop, "stop")
        each(self.devices, "detach")
        each(self._flush, "flush")
        info: dict[str, Any] = {}
        if self.session is not None:
            try:
                more = self.close_extra()
            except Exception as exc:
                more = {}
                errors.append(exc)
            info = self.session.close(reason, **{**more, **extra})
            if self.runs:
                info = {**info, "previous_runs": [r["run_id"] for r in self.runs]}
        each(list({id(p): p for p in (*self.devices, *self._close)}.values()), "close")
        each(list(reversed(self._destroy)), "destroy")
        self.info = info
        if self.session is not None:
            for hook in self.after:
                try:
                    hook(self.session.run_dir.parent, info)
                except Exception as exc:
                    errors.append(exc)
        if errors:
            raise errors[0]
        return info
