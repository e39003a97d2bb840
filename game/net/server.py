"""The host's side: trainee stations join over WebSockets and are one more seat device.

:class:`NetService` is a :class:`~game.live.host.SeatDevice` and a journal sink of the session
host. Its WebSocket server (the ``websockets`` package, asyncio) runs in a thread of its own;
the session host's thread never waits on the network:

- a station's ``hello`` must carry the join code (compared in constant time); it gets a free
  officer's seat (``officer:2`` …) or is refused with one line;
- its ``input`` messages are checked (:func:`~game.net.protocol.input_event`: its own seat,
  an officer's input type, every field of the right type) and queued; :meth:`NetService.feed`
  submits them before the next step, so they are journaled at the step they take effect;
- what the session journals is spliced into a ``frame`` with the snapshot after the step and
  queued to every joined station (:meth:`NetService.publish`);
- a station that drops (closed, killed, silent past the keep-alive) leaves its officer standing
  where it was: ``OfficerLeft`` is journaled, the session goes on, and a station that joins
  again with the code takes the seat back (``OfficerJoined``).

Nothing a station sends can crash the host: an oversized message (over
:data:`~game.net.protocol.MAX_MESSAGE`) is refused by the WebSocket layer, which closes that
connection; garbage, another seat's inputs and a flood over :attr:`NetService.rate` messages a
second are dropped, each with a logged reason (at most one line a second per station).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import threading
import time
import queue
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from game import __version__
from game.core.events import InputEvent, OfficerJoined, OfficerLeft
from game.core.journal import encode
from game.core.seats import officer_number
from game.net.protocol import (
    MAX_MESSAGE, FROM_STATION, MessageError, dumps, frame_message, input_event, loads,
)

#: Letters of a join code: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class NetError(RuntimeError):
    """The network cannot start (the address is taken, not this machine's …): one line."""


def new_join_code(length: int = 8) -> str:
    """A fresh join code such as ``K7QF-M2XP`` (40 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return f"{raw[:4]}-{raw[4:]}" if length == 8 else raw


def normal_code(code: str) -> str:
    """A code as typed, compared without case, spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def code_matches(given: Any, expected: str) -> bool:
    """Whether ``given`` is the join code: constant time, whatever was typed."""
    if not isinstance(given, str) or len(given) > 64:
        return False
    return hmac.compare_digest(normal_code(given).encode(), normal_code(expected).encode())


def parse_listen(text: str, default_port: int) -> tuple[str, int]:
    """``ADDR[:PORT]`` (``[::1]:PORT`` for IPv6) as (host, port); raises ValueError in one line."""
    text = text.strip()
    host, port = text, default_port
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest.startswith(":"):
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, p = text.partition(":")
        port = int(p)
    if not host or not 0 <= port <= 65535:
        raise ValueError(f"not an address to listen on: {text!r} (ADDR or ADDR:PORT)")
    return host, port


class TokenBucket:
    """``rate`` a second, at most ``burst`` at once."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.at = burst, time.monotonic()

    def take(self, amount: float = 1.0) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= amount:
            self.tokens -= amount
            return True
        return False


@dataclass
class Station:
    """One joined station (lives on the network thread)."""

    seat: str
    name: str
    address: str
    connection: Any
    outbox: "asyncio.Queue[str | None]"
    messages: TokenBucket
    volume: TokenBucket
    dropped: Counter = field(default_factory=Counter)  # reason -> drops not yet said
    said: dict[str, float] = field(default_factory=dict)  # reason -> when last said
    sent_bytes: int = 0
    sent_frames: int = 0
    ready: bool = False  # said ``ready``: its view is loaded (a session waiting for stations starts then)


class NetService:
    """Remote officers' stations for a session (see the module). ``seats``: the officers' seats
    stations may take (``officer:2`` …); ``hosts`` and ``port``: where to listen (loopback
    unless told); ``code``: the join code (a fresh one by default: :attr:`code`)."""

    #: Messages a second a station may send (a headset sends ~90: head and two hands at 30 Hz).
    rate = 240.0
    burst = 480.0
    #: Bytes a second a station may send.
    byte_rate = 256 * 1024
    #: Frames queued for a station before it counts as too slow and is dropped.
    backlog = 512
    #: Seconds a connection has to say hello.
    hello_timeout = 5.0
    #: Most connections at once (joined or not).
    max_connections = 16

    def __init__(self, seats: Sequence[str], *, hosts: Sequence[str] = ("127.0.0.1",), port: int = 0,
                 code: str | None = None, log: Callable[[str], None] = print, send_every: int = 1,
                 keepalive: float = 2.0) -> None:
        self.seats = [s for s in seats if (officer_number(s) or 0) >= 2]
        if not self.seats:
            raise ValueError("a network service needs officers' seats beyond officer:1 to give out")
        self.hosts = list(hosts)
        self.port = port
        self.code = code or new_join_code()
        self.log = log
        self.send_every = max(1, int(send_every))
        self.keepalive = keepalive
        self.seat = "network"  # the host's restart resets officers' devices; this is none
        #: What happens to a dropped station's officer: "pause" (it stands still). The partner
        #: officer's AI (issue 18) can take it over: set ``on_drop`` to return "partner" then.
        self.on_drop: Callable[[str], str] = lambda seat: "pause"
        self.addresses: list[tuple[str, int]] = []
        self.dropped: Counter = Counter()  # reason -> count, for run.json and the tests
        self.joins: list[dict[str, Any]] = []
        self._inbox: "queue.SimpleQueue[tuple[str, str, Any]]" = queue.SimpleQueue()
        self._stations: dict[str, Station] = {}  # seat -> station (network thread; read under _lock)
        self._lock = threading.Lock()
        self._connections = 0
        self._pending: list[str] = []  # journal lines since the last frame
        self._urgent = False  # an input among them: the frame goes at once
        self._published = -1
        self._last_sim: Any = None
        self._welcome: dict[str, Any] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None
        self._detached = False
        self._closed = False

    # ------------------------------------------------------------ lifecycle (host's thread)

    def open(self, welcome: dict[str, Any], timeout: float = 10.0) -> list[tuple[str, int]]:
        """Starts listening; ``welcome`` is what each station is told (scenario, seed, hz, run).
        Returns the (host, port) pairs listened on. Raises :class:`NetError` in one line."""
        self._welcome = dict(welcome)
        ready = threading.Event()
        failure: list[BaseException] = []

        def main() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._serve(ready, failure))
            except BaseException as exc:  # noqa: BLE001 - reported to open(), never raised in the thread
                failure.append(exc)
                ready.set()
            finally:
                loop.close()

        self._thread = threading.Thread(target=main, name="talkdown:net", daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or failure:
            why = failure[0] if failure else TimeoutError("no answer")
            self._thread.join(1.0)
            raise NetError(f"cannot listen on {', '.join(self.hosts)} port {self.port}: "
                           f"{getattr(why, 'strerror', None) or why}")
        return list(self.addresses)

    async def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        from websockets.asyncio.server import serve

        self._stopped = asyncio.Event()
        quiet = logging.getLogger("talkdown.net.websockets")  # handshake noise from port scanners: not printed
        quiet.propagate = False
        if not quiet.handlers:
            quiet.addHandler(logging.NullHandler())
        try:
            server = await serve(self._handle, self.hosts, self.port, max_size=MAX_MESSAGE, max_queue=64, logger=quiet,
                                 ping_interval=self.keepalive, ping_timeout=self.keepalive * 2,
                                 compression="deflate", open_timeout=self.hello_timeout, close_timeout=1.0,
                                 server_header=None, process_request=self._limit_connections)
        except OSError as exc:
            failure.append(exc)
            ready.set()
            return
        self.addresses = [(s.getsockname()[0], s.getsockname()[1]) for s in server.sockets]
        ready.set()
        await self._stopped.wait()
        server.close()
        try:
            await asyncio.wait_for(server.wait_closed(), 3.0)
        except (asyncio.TimeoutError, OSError):
            pass

    def _limit_connections(self, connection: Any, request: Any) -> Any:
        if self._connections >= self.max_connections:
            self._log_once("", "refused a connection: too many connections")
            return connection.respond(503, "Too many stations\n")
        return None

    def detach(self) -> None:
        """Takes no more inputs (the host's teardown, step 1)."""
        self._detached = True

    def close(self) -> None:
        """Sends what is left and ``ended`` to every station, closes them and stops listening."""
        if self._closed:
            return
        self._closed = True
        sim = self._last_sim
        last = sim.snapshot() if sim is not None else None
        if last is not None and self._pending:
            self.publish(last)
        ending = last.ending if last is not None else ""
        reason = last.finish_reason if last is not None else ""
        loop = self._loop
        if loop is not None and self._thread is not None and self._thread.is_alive():
            done = threading.Event()

            def finish() -> None:
                for st in list(self._stations.values()):
                    self._queue(st, dumps("ended", reason=reason or "closed", ending=ending))
                    self._queue(st, None)
                asyncio.ensure_future(self._stop_later(done))

            loop.call_soon_threadsafe(finish)
            done.wait(3.0)
            self._thread.join(5.0)

    async def _stop_later(self, done: threading.Event) -> None:
        # each station's sender closes its connection after its last frame; give them a moment
        for _ in range(40):
            if not self._stations:
                break
            await asyncio.sleep(0.05)
        assert self._stopped is not None
        self._stopped.set()
        done.set()

    # ------------------------------------------------------------ the session's side

    def joined(self, *, ready: bool = False) -> list[str]:
        """The seats whose stations are joined now (``ready``: and have said they are ready)."""
        with self._lock:
            return sorted(seat for seat, st in self._stations.items() if st.ready or not ready)

    def wait_for(self, count: int, timeout: float | None = None, *, poll: Callable[[], bool] = lambda: True) -> bool:
        """Waits until ``count`` stations are joined and ready (or ``timeout`` seconds; ``poll``
        returning False stops waiting). Returns whether they are."""
        end = None if timeout is None else time.monotonic() + timeout
        while len(self.joined(ready=True)) < count:
            if (end is not None and time.monotonic() >= end) or not poll():
                return False
            time.sleep(0.02)
        return True

    def restarted(self) -> None:
        """The instructor restarted: the next run's journal says who is joined again (``OfficerJoined``)."""
        with self._lock:
            joined = [(st.seat, st.name) for st in self._stations.values()]
        for seat, name in sorted(joined):
            self._inbox.put(("joined", seat, name))

    def record(self, step: int, time_: float, event: Any) -> None:
        """Journal sink: each line goes into the next frame exactly as journaled."""
        self._pending.append(encode(step, time_, event))
        if isinstance(event, InputEvent):
            self._urgent = True

    def feed(self, sim: Any) -> None:
        """Before each step (``sim``: the session's :class:`~game.core.drivers.SeatPort`): the last step's frame goes out, and the stations' inputs, joins and
        drops go in (journaled at this step)."""
        self._last_sim = sim
        snap = sim.snapshot()
        if self.due(snap.step):
            self.publish(snap)
        while True:
            try:
                what, seat, item = self._inbox.get_nowait()
            except queue.Empty:
                break
            if self._detached:
                continue
            try:
                if what == "input":
                    sim.submit(item)
                elif what == "joined":
                    sim.submit(OfficerJoined(officer=seat, name=item))
                elif what == "left":
                    then = self.on_drop(seat)
                    if then != "pause":
                        self.log(f"talkdown: net: no partner officer AI in this version to take {seat}; it stands still")
                        then = "pause"
                    sim.submit(OfficerLeft(officer=seat, reason=item, then=then))
            except ValueError as exc:  # the simulation refused it: dropped, said, the session goes on
                self._drop(seat, f"the simulation refused it: {exc}")

    def due(self, step: int) -> bool:
        """Whether a frame is due after ``step``: :attr:`send_every` steps since the last, or at once
        when an input was journaled (an officer's move shows on the other stations without waiting)."""
        return self._urgent or step - self._published >= self.send_every or step < self._published  # a restart

    def publish(self, snap: Any) -> None:
        """Sends the journal lines since the last frame and ``snap`` to every joined station."""
        lines, self._pending, self._urgent = self._pending, [], False
        self._published = snap.step
        loop = self._loop
        if loop is None or not self._stations:
            return
        text = frame_message(lines, snap)
        try:
            loop.call_soon_threadsafe(self._fanout, text)
        except RuntimeError:  # the loop is closed: the service is shutting down
            pass

    def _drop(self, seat: str, reason: str) -> None:
        """Counts and says a dropped message (from the host's thread)."""
        loop = self._loop
        if loop is not None:
            try:
                loop.call_soon_threadsafe(self._dropped_by, self._stations.get(seat), seat, reason)
            except RuntimeError:
                pass

    # ------------------------------------------------------------ network thread

    def _fanout(self, text: str) -> None:
        for st in list(self._stations.values()):
            self._queue(st, text)

    def _queue(self, st: Station, text: str | None) -> None:
        try:
            st.outbox.put_nowait(text)
        except asyncio.QueueFull:
            self._log_once(st.seat, f"{st.seat} at {st.address} is {self.backlog} frames behind: dropping it")
            asyncio.ensure_future(st.connection.close(1011, "too slow"))

    def _log_once(self, key: str, line: str) -> None:
        self.log(f"talkdown: net: {line}")

    def _dropped_by(self, st: Station | None, who: str, reason: str) -> None:
        """Counts a dropped message and says why: each kind of reason at most once a second per
        station (in the log, and to the station as ``dropped``), with how many it stands for."""
        key = reason.split(" (")[0][:80]
        self.dropped[key] += 1
        if st is None:
            self.log(f"talkdown: net: dropped a message from {who}: {reason}")
            return
        st.dropped[key] += 1
        now = time.monotonic()
        if now - st.said.get(key, -10.0) < 1.0:
            return
        if len(st.said) > 64:
            st.said.clear()
        st.said[key] = now
        count, st.dropped[key] = st.dropped[key], 0
        more = f" ({count} like it since it was last said)" if count > 1 else ""
        self.log(f"talkdown: net: dropped a message from {st.seat} at {st.address}: {reason}{more}")
        self._queue(st, dumps("dropped", reason=reason, count=count))

    async def _handle(self, connection: Any) -> None:
        self._connections += 1
        address = _address(connection)
        station: Station | None = None
        reason = "connection closed"
        try:
            station = await self._hello(connection, address)
            if station is None:
                return
            sender = asyncio.ensure_future(self._send(station))
            try:
                reason = await self._receive(station)
            finally:
                sender.cancel()
        except Exception as exc:  # noqa: BLE001 - a station's fault never reaches the host
            reason = _closed_reason(exc)
        finally:
            self._connections -= 1
            if station is not None:
                with self._lock:
                    if self._stations.get(station.seat) is station:
                        del self._stations[station.seat]
                self.log(f"talkdown: net: {station.seat} ({station.name or 'no name'}) at {address} left: {reason}")
                self._inbox.put(("left", station.seat, reason))

    async def _hello(self, connection: Any, address: str) -> Station | None:
        from websockets.exceptions import ConnectionClosed

        try:
            raw = await asyncio.wait_for(connection.recv(), self.hello_timeout)
        except asyncio.TimeoutError:
            await self._refuse(connection, address, "no hello in time")
            return None
        except ConnectionClosed as exc:
            self.log(f"talkdown: net: a station at {address} closed before joining: {_closed_reason(exc)}")
            return None
        try:
            hello = loads(raw, ("hello",))
        except MessageError as exc:
            await self._refuse(connection, address, f"the first message must be a hello: {exc}")
            return None
        if not code_matches(hello.get("code"), self.code):
            await asyncio.sleep(0.5)  # guessing codes is slow
            await self._refuse(connection, address, "wrong join code")
            return None
        wanted = hello.get("seat") or ""
        name = hello.get("name") if isinstance(hello.get("name"), str) else ""
        name = name[:80]
        with self._lock:
            if wanted:
                if wanted not in self.seats:
                    free = None
                    why = f"no seat {str(wanted)[:20]!r} here (officers' seats: {', '.join(self.seats)})"
                elif wanted in self._stations:
                    free, why = None, f"{wanted} is taken"
                else:
                    free, why = wanted, ""
            else:
                free = next((s for s in self.seats if s not in self._stations), None)
                why = "" if free else f"every officer's seat is taken ({', '.join(self.seats)})"
            station = None
            if free is not None:
                station = Station(free, name, address, connection, asyncio.Queue(self.backlog),
                                  TokenBucket(self.rate, self.burst), TokenBucket(self.byte_rate, self.byte_rate * 2))
                self._stations[free] = station
        if station is None:
            await self._refuse(connection, address, why)
            return None
        await connection.send(dumps("welcome", seat=station.seat, software=__version__, **self._welcome))
        self.joins.append({"seat": station.seat, "name": name, "address": address, "at": time.time()})
        self.log(f"talkdown: net: {station.seat} joined from {address}" + (f" ({name})" if name else ""))
        self._inbox.put(("joined", station.seat, name))
        return station

    async def _refuse(self, connection: Any, address: str, reason: str) -> None:
        self.dropped[f"refused: {reason[:50]}"] += 1
        self.log(f"talkdown: net: refused a station at {address}: {reason}")
        try:
            await connection.send(dumps("refused", reason=reason))
            await connection.close(1008, reason[:100])
        except Exception:  # noqa: BLE001 - it may be gone already
            pass

    async def _receive(self, st: Station) -> str:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in st.connection:
                size = len(raw)
                if not st.messages.take() or not st.volume.take(size):
                    self._dropped_by(st, st.seat, f"flooding (over {self.rate:.0f} messages or "
                                                  f"{self.byte_rate // 1024} KiB a second)")
                    continue
                try:
                    message = loads(raw, FROM_STATION)
                    kind = message["kind"]
                    if kind == "input":
                        if self._detached:
                            continue
                        self._inbox.put(("input", st.seat, input_event(message.get("event"), st.seat)))
                    elif kind == "ping":
                        t = message.get("t")
                        self._queue(st, dumps("pong", t=t if isinstance(t, (int, float)) else 0))
                    elif kind == "bye":
                        return "left"
                    elif kind == "ready":
                        st.ready = True
                    else:
                        raise MessageError(f"a {kind} after joining")
                except MessageError as exc:
                    self._dropped_by(st, st.seat, str(exc))
        except ConnectionClosed as exc:
            return _closed_reason(exc)
        return "connection closed"

    async def _send(self, st: Station) -> None:
        while True:
            text = await st.outbox.get()
            if text is None:
                await st.connection.close(1000, "session ended")
                return
            await st.connection.send(text)
            st.sent_bytes += len(text)
            st.sent_frames += 1


def _address(connection: Any) -> str:
    peer = getattr(connection, "remote_address", None)
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    return str(peer or "?")


def _closed_reason(exc: BaseException) -> str:
    """Why a connection ended, in words."""
    rcvd = getattr(exc, "rcvd", None)
    code = getattr(rcvd, "code", None)
    if code == 1009:
        return f"a message over {MAX_MESSAGE // 1024} KiB (refused; the connection is closed)"
    if code in (1000, 1001):
        return "left"
    if rcvd is None and getattr(exc, "sent", None) is not None and getattr(exc.sent, "code", None) == 1009:
        return f"a message over {MAX_MESSAGE // 1024} KiB (refused; the connection is closed)"
    if rcvd is None:
        return "connection lost"
    return f"closed ({code}{': ' + rcvd.reason if getattr(rcvd, 'reason', '') else ''})"
