"""``talkdown bench``'s network figures (issue 18): `game.net` measured from outside.

- **Input → host step → the other station**: a real ``talkdown host`` process on localhost with
  two stations in this process (officers 2 and 3, so one clock times both ends). Station A sends
  a ``Move`` with a marked position; the time until station B has the frame whose journal lines
  carry it is one sample: A → host, the wait for the next 90 Hz step, the step, the frame out,
  host → B. Rendering it adds one display frame on top.
- **Injected latency**: the same through :class:`DelayProxy`, a TCP proxy of our own (asyncio,
  in this process) that holds every chunk ``delay`` ms in each direction, for both stations
  (so input → other station grows by about twice the delay). ``tc netem`` would do the same on
  the loopback device but changes the machine for everyone on it; the proxy changes nothing.
- **Bandwidth**: a session with 8 subjects hosted in this process, one station through a
  proxy with no delay that counts the bytes on the wire (compressed: permessage-deflate) and the
  messages' own size, per second, for a frame every step and every third step.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from game.core.events import EndSession, Move

CODE = "BENCH-CODE"


class DelayProxy:
    """A TCP proxy on 127.0.0.1 to ``target`` that delivers every chunk ``delay`` seconds late in
    each direction (order kept) and counts the bytes each way. Runs in a thread of its own."""

    def __init__(self, target: tuple[str, int], delay: float = 0.0) -> None:
        self.target, self.delay = target, delay
        self.up = 0  # station -> host bytes
        self.down = 0  # host -> station bytes
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: Any = None

    def __enter__(self) -> "DelayProxy":
        ready = threading.Event()

        def main() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop

            async def start() -> None:
                self._server = await asyncio.start_server(self._pipe_pair, "127.0.0.1", 0)
                self.port = self._server.sockets[0].getsockname()[1]
                ready.set()

            loop.run_until_complete(start())
            loop.run_forever()
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.close()

        self._thread = threading.Thread(target=main, name="talkdown:bench-proxy", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._server.close)
            loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    async def _pipe_pair(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, up_writer, "up"), self._pipe(up_reader, writer, "down"),
                             return_exceptions=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, way: str) -> None:
        held: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                at, data = await held.get()
                if not data:
                    break
                wait = at - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            writer.close()

        task = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(65536)
                if way == "up":
                    self.up += len(data)
                else:
                    self.down += len(data)
                await held.put((time.perf_counter() + self.delay, data))
                if not data:
                    break
        finally:
            await task


def _host(out: Path, *args: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "game", "host", "welfare_check", "--port", "0", "--code", CODE,
                             "--no-records", "--out", str(out), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "join code" in line:
            address = line.split("talkdown join ")[1].split()[0]
            threading.Thread(target=lambda: proc.stdout.read(), daemon=True).start()  # type: ignore[union-attr]
            return proc, address
    raise RuntimeError("the host did not start")


def _marked(frame: Any, x: float) -> bool:
    return any(r.get("type") == "Move" and r.get("source") == "officer:2" and abs(r["position"][0] - x) < 1e-6
               for r in frame.records)


def input_to_other_station_ms(address: str, *, samples: int, delay: float = 0.0) -> float:
    """Median ms from station A's ``Move`` to station B's frame that carries it (see the module)."""
    from game.net.client import Link

    with DelayProxy((address.rsplit(":", 1)[0], int(address.rsplit(":", 1)[1])), delay) as proxy:
        via = f"127.0.0.1:{proxy.port}"
        a = Link(via, CODE, seat="officer:2", log=lambda line: None)
        b = Link(via, CODE, seat="officer:3", log=lambda line: None)
        a.join()
        b.join()
        a.ready()
        b.ready()
        times: list[float] = []
        try:
            for i in range(samples):
                x = round(10.0 + i * 0.01 + delay, 4)
                time.sleep(0.05)
                while not b.frames.empty():
                    b.frames.get_nowait()
                sent = time.perf_counter()
                a.send_input(Move(position=(x, -14.0), heading=0.0, by="officer:2"))
                end = sent + 2.0
                while time.perf_counter() < end:
                    try:
                        frame = b.frames.get(timeout=0.5)
                    except Exception:  # noqa: BLE001 - queue.Empty
                        continue
                    if _marked(frame, x):
                        times.append((frame.received - sent) * 1000.0)
                        break
        finally:
            a.close()
            b.close()
    return statistics.median(times) if times else float("nan")


def bandwidth(with_subjects: Callable[[Any, int], Any], subjects: int = 8, *, seconds: float = 4.0,
              send_every: int = 1) -> dict[str, float]:
    """Bytes a second to one station (on the wire, compressed; and the messages' own size) and frames
    a second, in a session of ``subjects`` subjects (``with_subjects(scenario, n)``: game.bench's)
    hosted in this process."""
    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.live.host import RunPlan
    from game.net.client import Link
    from game.net.hosting import HostOptions, host_headless, officer_starts

    loaded = load_scenario(package_dir("scenarios") / "welfare_check.yaml")
    loaded = replace(loaded, scenario=with_subjects(loaded.scenario, subjects))
    with tempfile.TemporaryDirectory() as tmp:
        plan = RunPlan(loaded, seed=1, out=Path(tmp), duration=seconds + 1.5,
                       officers=officer_starts(loaded.scenario, 2))
        found: dict[str, Any] = {}
        announced = threading.Event()

        def announce(service: Any) -> None:
            found["address"] = service.addresses[0]
            announced.set()

        options = HostOptions(port=0, code=CODE, officers=2, send_every=send_every)
        thread = threading.Thread(target=host_headless, args=(plan, options),
                                  kwargs={"log": lambda line: None, "announce": announce}, daemon=True)
        thread.start()
        announced.wait(30)
        with DelayProxy(found["address"]) as proxy:
            link = Link(f"127.0.0.1:{proxy.port}", CODE, log=lambda line: None)
            link.join()
            link.ready()
            time.sleep(0.5)  # settle
            down0, text0, frames0 = proxy.down, link.received_bytes, link.frames.qsize()
            time.sleep(seconds)
            down1, text1, frames1 = proxy.down, link.received_bytes, link.frames.qsize()
            link.send_input(EndSession(by="officer:2", reason="bench done"))
            thread.join(30)
            link.close()
    return {"wire_kib_s": (down1 - down0) / seconds / 1024, "message_kib_s": (text1 - text0) / seconds / 1024,
            "frames_s": (frames1 - frames0) / seconds}


def net_results(with_subjects: Callable[[Any, int], Any], *, quick: bool = False) -> dict[str, Any]:
    """Every figure of the module (a dict for ``talkdown bench``)."""
    samples = 15 if quick else 60
    out: dict[str, Any] = {"latency_ms": {}, "bandwidth": {}}
    with tempfile.TemporaryDirectory() as tmp:
        proc, address = _host(Path(tmp), "--officers", "3", "--wait-for", "0", "--duration", "600")
        try:
            for delay in (0.0, 0.020, 0.050):
                out["latency_ms"][f"{delay * 1000:.0f}"] = input_to_other_station_ms(address, samples=samples,
                                                                                    delay=delay)
        finally:
            proc.terminate()
            proc.wait(10)
    for every in (1, 3):
        out["bandwidth"][f"every {every}"] = bandwidth(with_subjects, 8, seconds=2.0 if quick else 5.0, send_every=every)
    return out


def format_rows(net: dict[str, Any]) -> list[str]:
    lines = []
    for delay, ms in net["latency_ms"].items():
        added = "localhost" if delay == "0" else f"+{delay} ms each way (proxy)"
        lines.append(f"{'net: input -> host step -> other station, ' + added:<68} {ms:>7.1f} ms")
    for every, b in net["bandwidth"].items():
        lines.append(f"{'net: to one station, 8 subjects, a frame ' + every + ' step(s)':<68} "
                     f"{b['wire_kib_s']:>7.1f} KiB/s on the wire ({b['message_kib_s']:.0f} KiB/s of messages, "
                     f"{b['frames_s']:.0f} frames/s)")
    return lines


def add_net(results: dict[str, Any], with_subjects: Callable[[Any, int], Any], *, quick: bool) -> None:
    try:
        results["net"] = net_results(with_subjects, quick=quick)
    except Exception as exc:  # noqa: BLE001 - a bench row must not take the others down
        results["net"] = {"error": f"{type(exc).__name__}: {exc}"}
