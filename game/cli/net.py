"""``talkdown host SCENARIO``: the instructor's station hosts a session that trainee stations join;
``talkdown join HOST[:PORT] --code CODE``: a trainee station joins as officer 2 (or N).

Every failure a user can cause (no host there, a wrong code, an address that cannot be
listened on, another version) ends in one line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

from game.net.protocol import DEFAULT_PORT


def add_parsers(sub: argparse._SubParsersAction) -> None:
    from game.cli import positive_number

    h = sub.add_parser("host", help="host a session on the instructor's station: trainee stations join it "
                                    "(talkdown join) as officers 2…N")
    h.add_argument("scenario", help="a scenario name or a path to its file")
    h.add_argument("--listen", action="append", default=[], metavar="ADDR[:PORT]",
                   help=f"also listen on ADDR (a LAN address of this machine, or 0.0.0.0 for all); loopback always; "
                        f"port {DEFAULT_PORT} unless given (0: any free port)")
    h.add_argument("--port", type=int, default=None, metavar="PORT",
                   help=f"the port to listen on (default {DEFAULT_PORT}; 0: any free port, printed)")
    h.add_argument("--officers", type=int, default=2, metavar="N",
                   help="officers in the scene: officer 1 here, 2…N on trainee stations (default 2)")
    h.add_argument("--code", metavar="CODE", help="the join code (default: a fresh one, printed)")
    h.add_argument("--wait-for", type=int, metavar="N",
                   help="start once N stations have joined (default: every remote officer; 0: start at once)")
    h.add_argument("--join-timeout", type=positive_number, metavar="S",
                   help="start after S seconds even if not every station has joined")
    h.add_argument("--script", metavar="FILE",
                   help="officer 1's script (default: the scenario's own; officer 1 is scripted on a headless host)")
    at = h.add_mutually_exclusive_group()
    at.add_argument("--headless", action="store_true",
                    help="no window at the host (the default): the session is stepped and recorded without rendering, "
                         "officer 1 scripted")
    at.add_argument("--window", action="store_true",
                    help="the instructor's station at the desk: officer 1 at the keys (or --script), the instructor's "
                         "console and its hotkeys, as talkdown run, while trainee stations join")
    h.add_argument("--offscreen", action="store_true",
                   help="with --window: render without a window (CI, or a station with no display)")
    h.add_argument("--dispatcher", metavar="NAME",
                   help="someone takes the call first at the dispatcher's page (talkdown dispatch's), served beside "
                        "the session with the same join code; its address is printed")
    h.add_argument("--dispatch-port", type=int, default=0, metavar="PORT",
                   help="the dispatcher's page's port (default: any free port, printed)")
    h.add_argument("--seed", type=int, default=1)
    h.add_argument("--out", metavar="DIR", default="runs", help="folder for run folders (default: runs)")
    h.add_argument("--duration", type=positive_number, metavar="S", help="stop after S simulated seconds")
    h.add_argument("--speed", type=positive_number, default=1.0, help="wall-clock speed (default 1: real time)")
    h.add_argument("--send-every", type=int, default=1, metavar="N",
                   help="send a frame every N steps, and at once when an input was journaled (default 1)")
    h.add_argument("--trainee", default="", metavar="NAME", help="who trains as officer 1 (journaled)")
    h.add_argument("--instructor", default="", metavar="NAME", help="who instructs (journaled)")
    h.add_argument("--tools", metavar="FILE", help="force options' figures (default: input/tools.yaml)")
    h.add_argument("--db", metavar="URL", help="records database (as for talkdown run)")
    h.add_argument("--no-records", action="store_true", help="do not file the session in the records database")

    j = sub.add_parser("join", help="join a hosted session from a trainee station as officer 2 (or N)")
    j.add_argument("address", metavar="HOST[:PORT]", help=f"the instructor's station (port {DEFAULT_PORT} unless given)")
    j.add_argument("--code", required=True, help="the join code the host printed")
    j.add_argument("--seat", default="", metavar="officer:N", help="the officer's seat to take (default: the first free)")
    j.add_argument("--trainee", default="", metavar="NAME", help="who trains at this station (journaled by the host)")
    j.add_argument("--script", metavar="FILE", help="a scripted officer instead of the keys (a trainee script)")
    j.add_argument("--scenario", metavar="FILE", help="the scenario's file here, when it is not installed")
    where = j.add_mutually_exclusive_group()
    where.add_argument("--offscreen", action="store_true", help="render without a window (with --frames, save PNGs)")
    where.add_argument("--headless", action="store_true", help="no rendering at all (a scripted officer)")
    j.add_argument("--vr", action="store_true", help="the headset (OpenXR) for this station's officer")
    j.add_argument("--frames", metavar="DIR", help="save a PNG of this station's view every --frame-interval s")
    j.add_argument("--frame-interval", type=positive_number, default=2.0, metavar="S")
    j.add_argument("--size", default="1280x720", metavar="WxH")
    j.add_argument("--name-tags", action="store_true", help="show the other officers' name tags (off by default)")
    j.add_argument("--timeout", type=positive_number, metavar="S", help="give up after S seconds")


def main_host(args: argparse.Namespace) -> int:
    from game.cli import _recover, _scenario_path
    from game.cli.records import file_runs
    from game.content.script import load_script_for
    from game.core.drivers import ScriptedTrainee
    from game.live.host import RunPlan
    from game.net.hosting import HostOptions, host_headless, human_seats_problem, officer_starts
    from game.net.server import NetError, parse_listen
    from game.content.scenario import load_scenario
    from game.content.tools import load_tools

    if not 1 <= args.officers <= 8:
        print("talkdown: error: --officers must be 1 to 8", file=sys.stderr)
        return 2
    if args.officers < 2:
        print("talkdown: error: a hosted session needs --officers 2 or more (officer 1 is here)", file=sys.stderr)
        return 2
    port = DEFAULT_PORT if args.port is None else args.port
    try:
        listen = [parse_listen(text, port) for text in args.listen]
    except ValueError as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        return 2
    ports = {p for _, p in listen} | {port}
    if len(ports) > 1:
        print("talkdown: error: every --listen address must use the same port", file=sys.stderr)
        return 2
    loaded = load_scenario(_scenario_path(args.scenario))
    sc = loaded.scenario
    problem = human_seats_problem(sc, args.officers)
    if problem:
        print(f"talkdown: error: {problem}", file=sys.stderr)
        return 2
    script = (load_script_for(args.script, [s.id for s in sc.subjects], [b.id for b in sc.branches])
              if args.script else loaded.default_script)
    plan = RunPlan(loaded, seed=args.seed, out=Path(args.out), duration=args.duration, tools=load_tools(args.tools),
                   trainee=args.trainee, instructor=args.instructor, officers=officer_starts(sc, args.officers),
                   dispatcher=args.dispatcher or "",
                   meta={"mode": "hosted", "script": script.source if script is not None else "",
                         "officers": args.officers})
    devices = [ScriptedTrainee(script, seat="officer:1")] if script is not None else []
    options = HostOptions(listen=listen, port=ports.pop(), officers=args.officers, code=args.code,
                          wait_for=args.wait_for, join_timeout=args.join_timeout, speed=args.speed,
                          send_every=args.send_every)

    if args.dispatcher:
        options.services.append(_dispatcher_page(sc, listen, args.dispatch_port))

    def announce(service: Any) -> None:
        where = ", ".join(f"{h}:{p}" for h, p in service.addresses)
        print(f"talkdown: hosting {sc.title} for officers 2…{args.officers} on {where}", flush=True)
        print(f"talkdown: join code {service.code} — on a trainee station: "
              f"talkdown join {_join_host(service.addresses)} --code {service.code}", flush=True)

    _recover(Path(args.out), None if args.no_records else args.db, filing=not args.no_records)
    if args.window:
        return _host_at_desk(args, loaded, options, announce)
    try:
        info = host_headless(plan, options, devices, log=lambda line: print(line, flush=True), announce=announce)
    except NetError as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        return 1
    except _PageUnavailable as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        return 1
    if not info:
        print("talkdown: the session never started")
        return 130
    file_runs(Path(args.out), info, args.db, filing=not args.no_records)
    ending = info.get("ending") or "none"
    print(f"talkdown: session ended ({info['finish_reason']}; ending: {ending}) after {info['sim_seconds']:.1f} s "
          f"simulated — journal {Path(args.out) / info['run_id'] / 'journal.jsonl'}", flush=True)
    return 130 if info.get("finish_reason") == "interrupted" else 0


def _host_at_desk(args: argparse.Namespace, loaded: Any, options: Any, announce: Callable[[Any], None]) -> int:
    """``talkdown host --window``: the desk's session (game.runner: the keys or a script for officer
    1, the instructor's console, the saved frames, the review and records after) with the trainee
    stations plugged in as one more seat device before it starts (game.net.hosting.attach_network),
    and the dispatcher's page beside it when asked."""
    from game.engine.settings import EngineUnavailable
    from game.live.session import RunFolderError
    from game.net.hosting import attach_network, officer_starts, start_services
    from game.net.server import NetError
    from game.runner import RunOptions, run

    log = lambda line: print(line, flush=True)  # noqa: E731
    attach = attach_network(options, log=log, announce=announce)
    pages = [start for start in options.services]

    def plug_in(host: Any) -> None:
        start_services(host, attach(host), pages, log=log)

    run_options = RunOptions(offscreen=args.offscreen, script=args.script, seed=args.seed, out=args.out,
                             duration=args.duration, tools=args.tools, trainee=args.trainee,
                             instructor=args.instructor, db=args.db, review=True, records=not args.no_records,
                             vr=False, dispatcher=args.dispatcher or "",
                             officers=officer_starts(loaded.scenario, args.officers), services=(plug_in,))
    try:
        info = run(loaded, run_options)
    except (NetError, _PageUnavailable, EngineUnavailable, RunFolderError) as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        return 1
    return 130 if info.get("finish_reason") == "interrupted" else 0


class _PageUnavailable(RuntimeError):
    """The dispatcher's page cannot be served (aiohttp missing, the port taken): one line."""


class _DispatcherPage:
    """The dispatcher's page as a hosted session's extra service: its device feeds the session, and
    the page stops with the host's teardown."""

    seat = "dispatcher"

    def __init__(self, server: Any) -> None:
        self.server = server

    def feed(self, sim: Any) -> None:
        self.server.device.feed(sim)

    def detach(self) -> None:
        self.server.device.detach()

    def close(self) -> None:
        self.server.stop()


def _dispatcher_page(scenario: Any, listen: list[tuple[str, int]], port: int) -> Any:
    """A :class:`~game.net.hosting.HostOptions` service serving talkdown dispatch's page (the
    dispatcher's seat) with the session's join code, where the host listens for stations."""

    def start(host: Any, context: dict[str, Any]) -> _DispatcherPage:
        from game.web.dispatch import WebUnavailable, serve_dispatch

        where = next((h for h, _ in listen if h not in ("127.0.0.1", "localhost")), "127.0.0.1")
        try:
            server = serve_dispatch(scenario.title, scenario.call, code=context["code"], host=where, port=port,
                                    log=context["log"])
        except WebUnavailable as exc:
            raise _PageUnavailable(str(exc)) from None
        context["log"](f"talkdown: the dispatcher's page: {server.url}#code={context['code']}")
        return _DispatcherPage(server)

    return start


def _join_host(addresses: list[tuple[str, int]]) -> str:
    lan = [(h, p) for h, p in addresses if not h.startswith("127.") and h != "::1"]
    h, p = (lan or addresses)[0]
    h = "THIS-MACHINE" if h in ("0.0.0.0", "::") else h
    return f"{h}:{p}"


def main_join(args: argparse.Namespace) -> int:
    from game.content.script import load_script_for
    from game.core.drivers import ScriptedTrainee
    from game.net.client import JoinError, Link, Mirror, RemoteSim, run_headless, welcome_scenario

    log = lambda line: print(line, flush=True)  # noqa: E731
    link = Link(args.address, args.code, seat=args.seat, name=args.trainee, log=log)
    try:
        welcome = link.join()
        loaded = welcome_scenario(link, args.scenario)
    except JoinError as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        link.close()
        return 1
    sc = loaded.scenario
    seat = link.seat
    print(f"talkdown: joined {sc.title} at {link.host}:{link.port} as {seat}", flush=True)
    script = None
    if args.script:
        script = load_script_for(args.script, [s.id for s in sc.subjects], [b.id for b in sc.branches])
    sim = RemoteSim(sc, link, seat, starts=welcome.get("officers", ()), log=log)
    try:
        if args.headless:
            device = ScriptedTrainee(script, seat=seat) if script is not None else None
            why = run_headless(link, Mirror(link, sim, device), timeout=args.timeout)
        else:
            from game.net.station import StationOptions, run_station

            why = run_station(link, loaded, sim, StationOptions(
                offscreen=args.offscreen, script=script, vr=args.vr, frames=args.frames,
                frame_interval=args.frame_interval, size=args.size, name_tags=args.name_tags,
                timeout=args.timeout), log=log)
    except KeyboardInterrupt:
        why = "interrupted"
    except JoinError as exc:
        print(f"talkdown: error: {exc}", file=sys.stderr)
        return 1
    finally:
        link.close()
    if why == "ended":
        ended = link.ended or {}
        print(f"talkdown: the session ended ({ended.get('reason', '')}; ending: {ended.get('ending') or 'none'})",
              flush=True)
        return 0
    if why == "interrupted":
        print(f"talkdown: left the session; {seat} stands still until a station joins again with the code", flush=True)
        return 130
    print(f"talkdown: the connection to the host ended ({why}); join again with the same code to take {seat} back",
          flush=True)
    return 1
