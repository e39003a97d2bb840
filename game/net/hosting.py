"""``talkdown host``'s session: the session host with a :class:`~game.net.server.NetService` as
one more seat device, stepped at wall-clock pace without rendering (the instructor's station
headless), and the extra services an instructor's station may start beside it.

Extra services (:attr:`HostOptions.services`) are the clean place for what else the
instructor's station serves during a hosted session — the dispatcher's web page (issue 19),
say: each is a callable ``service(host, context)`` called once the session has started, with
the :class:`~game.live.host.SessionHost` and a dict (``code``, ``addresses``, ``log``); what it
returns is handed to the host's teardown (its ``detach``/``close``/``destroy``, when it has
them), and may be a seat device too (``feed``), which then feeds the session like the others.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from game.core.clock import DEFAULT_HZ
from game.core.seats import officer
from game.live.host import RunPlan, SessionHost
from game.net.protocol import DEFAULT_PORT
from game.net.server import NetService

#: Metres between officers standing side by side at the start.
BESIDE = 1.5


@dataclass
class HostOptions:
    """How ``talkdown host`` hosts: where it listens, how many officers, the join code."""

    #: Addresses to listen on besides loopback (``ADDR`` or ``ADDR:PORT``); loopback always.
    listen: Sequence[tuple[str, int]] = ()
    port: int = DEFAULT_PORT
    #: Officers in the scene: officer 1 at this station, 2…N on trainee stations.
    officers: int = 2
    code: str | None = None
    #: Stations to wait for before the session starts (None: every remote officer).
    wait_for: int | None = None
    join_timeout: float | None = None
    #: Wall-clock speed (1: real time; tests run faster).
    speed: float = 1.0
    send_every: int = 1
    keepalive: float = 2.0
    #: Extra services started with the session (see the module).
    services: list[Callable[[SessionHost, dict[str, Any]], Any]] = field(default_factory=list)


def officer_starts(scenario: Any, count: int) -> list[tuple[tuple[float, float], float]]:
    """Where ``count`` officers that trainees play start: where the scenario puts them (format 2's
    ``officers:`` without a ``partner:``; format 1's trainee), and any more beside the last of
    them, to its right, :data:`BESIDE` metres apart, facing the same way."""
    starts = [((float(p[0]), float(p[1])), float(h)) for p, h in scenario.human_officers()][:count]
    (x, y), h = starts[-1]
    right = (math.cos(math.radians(h)), math.sin(math.radians(h)))
    for i in range(1, count - len(starts) + 1):
        starts.append(((round(x + right[0] * BESIDE * i, 3), round(y + right[1] * BESIDE * i, 3)), h))
    return starts


def human_seats_problem(scenario: Any, count: int) -> str:
    """Why ``count`` officers played by trainees cannot work this scenario ('' when they can): its
    partner officers hold seats of their own, after the trainees'."""
    first = min((o.number for o in getattr(scenario, "partners", ())), default=0)
    if first and count >= first:
        return (f"officer {first} of this scenario is a partner officer (the simulation plays it): "
                f"host at most {first - 1} officer(s) played by trainees (--officers {first - 1})")
    return ""


def create_service(plan: RunPlan, options: HostOptions, *, log: Callable[[str], None]) -> NetService:
    hosts = ["127.0.0.1", *(h for h, _ in options.listen if h not in ("127.0.0.1", "localhost"))]
    return NetService([officer(n) for n in range(2, options.officers + 1)], hosts=hosts, port=options.port,
                      code=options.code, log=log, send_every=options.send_every, keepalive=options.keepalive)


def welcome_of(plan: RunPlan) -> dict[str, Any]:
    sc = plan.loaded.scenario
    starts = plan.officers or [(sc.trainee_position, sc.trainee_heading)]
    return {"scenario": {"id": sc.id, "sha256": sc.sha256, "title": sc.title}, "seed": plan.seed,
            "hz": DEFAULT_HZ, "officers": [[list(p), h] for p, h in starts]}


def wait_for_stations(service: NetService, options: HostOptions, *, log: Callable[[str], None],
                      should_run: Callable[[], bool] = lambda: True) -> None:
    """Waits until :attr:`HostOptions.wait_for` stations (default: every remote officer) have
    joined, or the join timeout passes (then the session starts anyway, and says so)."""
    wanted = options.wait_for if options.wait_for is not None else len(service.seats)
    if wanted:
        log(f"talkdown: waiting for {wanted} station(s) to join (Ctrl-C stops)")
        if not service.wait_for(wanted, options.join_timeout, poll=should_run):
            log(f"talkdown: {len(service.joined())} of {wanted} station(s) joined in time; starting anyway")


def start_services(host: SessionHost, service: NetService,
                   services: Sequence[Callable[[SessionHost, dict[str, Any]], Any]], *,
                   log: Callable[[str], None]) -> None:
    """Starts the extra services (see the module) with the join code and addresses, hands each
    part to the host's teardown (and its seat to the session when it has one), and keeps the
    network's stations in ``run.json`` (besides what the frame loop adds there)."""
    context = {"code": service.code, "addresses": service.addresses, "log": log}
    for start_service in services:
        part = start_service(host, context)
        if part is not None:
            host.own(part, close=True)
            if callable(getattr(part, "feed", None)):
                host.add_device(part)
    earlier = host.close_extra
    host.close_extra = lambda: {**earlier(), "network": {
        "addresses": [f"{h}:{p}" for h, p in service.addresses],
        "stations": service.joins, "dropped": dict(service.dropped)}}


def host_headless(plan: RunPlan, options: HostOptions, devices: Sequence[Any] = (), *,
                  log: Callable[[str], None] = print, announce: Callable[[NetService], None] | None = None,
                  should_run: Callable[[], bool] = lambda: True) -> dict[str, Any]:
    """Hosts a session without rendering: listens, waits for the stations, steps at
    ``options.speed`` × wall-clock until the session ends, and closes it in the host's one
    teardown order. Returns the finished ``run.json`` data (``network``: who joined, what was
    dropped). Raises :class:`~game.net.server.NetError` when it cannot listen (before anything
    is recorded)."""
    service = create_service(plan, options, log=log)
    host = SessionHost(plan, [*devices, service], log=log)
    host.own(service, listen=True)
    host.on_session.append(lambda session: service.restarted())
    service.open(welcome_of(plan))
    try:
        if announce is not None:
            announce(service)
        wait_for_stations(service, options, log=log, should_run=should_run)
        session = host.start()
        log(f"talkdown: {plan.loaded.scenario.title} — seed {plan.seed}, hosted, recording to {session.run_dir}")
        start_services(host, service, options.services, log=log)
        dt = 1.0 / session.hz / max(options.speed, 1e-3)
        next_at = time.perf_counter()
        while not host.done and should_run():
            host.step()
            if host.session is not None and service.due(host.session.step_index):
                service.publish(host.session.snapshot)
            next_at += dt
            delay = next_at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            elif delay < -0.25:  # fell behind (a stall): go on from now rather than leap
                next_at = time.perf_counter()
        info = host.close("completed" if host.done else "interrupted")
    except KeyboardInterrupt:
        info = host.close("interrupted")
    except BaseException as exc:
        host.close(f"error: {type(exc).__name__}: {exc}")
        raise
    finally:
        if not host.closed:
            host.close("closed")
        service.close()
    return info


def attach_network(options: HostOptions, *, log: Callable[[str], None] = print,
                   announce: Callable[[NetService], None] | None = None,
                   should_run: Callable[[], bool] = lambda: True) -> Callable[[SessionHost], NetService]:
    """A service for a session host that some other frame loop drives (the desk's window): called
    with the host before its session starts, it adds a :class:`NetService` as a seat device and
    journal sink, listens, says where (``announce``) and waits for the stations as
    :func:`host_headless` does. Raises :class:`~game.net.server.NetError` when it cannot listen."""

    def attach(host: SessionHost) -> NetService:
        service = create_service(host.plan, options, log=log)
        service.open(welcome_of(host.plan))
        host.add_device(service)
        host.own(service, listen=True, close=True)
        host.on_session.append(lambda session: service.restarted())
        if announce is not None:
            announce(service)
        wait_for_stations(service, options, log=log, should_run=should_run)
        return service

    return attach
