"""A trainee station's side: joins the host, sends its officer's inputs, plays the host's frames.

The station runs no simulation. :class:`Link` is the WebSocket connection (the ``websockets``
package's threaded client: a reader thread queues the host's frames); :class:`RemoteSim` is
what the station's device (a script, the desk's keys, the headset) sees in place of a
simulation — shaped like one for ``feed(sim)``: the clock, the officers and subjects of the
latest snapshot, and ``submit``, which sends the input to the host. :class:`Mirror` plays the
frames: each journal line to the views' ``record`` (a subject talks, draws, strikes), the
snapshot to ``update``.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable

from game.core.events import InputEvent
from game.core.playback import event_from_record
from game.core.seats import role_of
from game.core.snapshot import OfficerView, Snapshot
from game.net.protocol import (
    DEFAULT_PORT, FROM_HOST, MAX_MESSAGE, MessageError, dumps, input_message, loads, snapshot_from_record,
)


class JoinError(RuntimeError):
    """The station cannot join (no host there, refused, another version): one line."""


def parse_address(text: str) -> tuple[str, int]:
    """``HOST[:PORT]`` (``[::1]:PORT``) as (host, port); raises :class:`JoinError`."""
    text = text.strip()
    host, port = text, DEFAULT_PORT
    try:
        if text.startswith("["):
            host, _, rest = text[1:].partition("]")
            port = int(rest[1:]) if rest.startswith(":") else DEFAULT_PORT
        elif text.count(":") == 1:
            host, _, p = text.partition(":")
            port = int(p)
    except ValueError:
        raise JoinError(f"not a host address: {text!r} (HOST or HOST:PORT)") from None
    if not host or not 0 < port <= 65535:
        raise JoinError(f"not a host address: {text!r} (HOST or HOST:PORT)")
    return host, port


@dataclass
class Frame:
    """One frame from the host: the journal records since the last, and the snapshot after them."""

    records: list[dict[str, Any]]
    snapshot: Snapshot
    received: float  # time.perf_counter() when it arrived


class Link:
    """The connection to a host. :meth:`join` says hello and returns the welcome."""

    def __init__(self, address: str, code: str, *, seat: str = "", name: str = "",
                 log: Callable[[str], None] = print) -> None:
        self.host, self.port = parse_address(address)
        self.code = code
        self.seat_wanted = seat
        self.name = name
        self.log = log
        self.welcome: dict[str, Any] = {}
        self.frames: "queue.SimpleQueue[Frame]" = queue.SimpleQueue()
        self.ended: dict[str, Any] | None = None
        self.lost = ""  # why the connection ended, when it did before the session
        self.pongs: "queue.SimpleQueue[tuple[float, float]]" = queue.SimpleQueue()  # (sent t, received at)
        self.received_bytes = 0
        self.sent = 0
        self._ws: Any = None
        self._reader: threading.Thread | None = None

    @property
    def seat(self) -> str:
        return str(self.welcome.get("seat", ""))

    def join(self, timeout: float = 10.0) -> dict[str, Any]:
        from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
        from websockets.sync.client import connect

        host = f"[{self.host}]" if ":" in self.host else self.host
        uri = f"ws://{host}:{self.port}/"
        try:
            opened = connect(uri, max_size=MAX_MESSAGE, open_timeout=timeout, close_timeout=1.0,
                             compression="deflate", ping_interval=2.0, ping_timeout=4.0)
            self._ws = opened.__enter__()  # held open until close() (what a ``with`` block would do)
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            raise JoinError(f"cannot reach a Talkdown host at {self.host}:{self.port} "
                            f"({getattr(exc, 'strerror', None) or exc})") from None
        from game import __version__

        try:
            self._ws.send(dumps("hello", code=self.code, seat=self.seat_wanted, name=self.name, software=__version__))
            answer = loads(self._ws.recv(timeout), FROM_HOST)
        except (ConnectionClosed, TimeoutError) as exc:
            raise JoinError(f"the host at {self.host}:{self.port} closed the connection before answering ({exc})") from None
        except MessageError as exc:
            raise JoinError(f"the host at {self.host}:{self.port} answered something else: {exc}") from None
        if answer["kind"] == "refused":
            self._ws.close()
            raise JoinError(f"the host refused to let this station join: {answer.get('reason', '')}")
        if answer["kind"] != "welcome":
            raise JoinError(f"the host answered {answer['kind']} instead of welcome")
        self.welcome = answer
        self._reader = threading.Thread(target=self._read, name="talkdown:net-link", daemon=True)
        self._reader.start()
        return answer

    def _read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            for raw in self._ws:
                self.received_bytes += len(raw)
                try:
                    message = loads(raw, FROM_HOST)
                    kind = message["kind"]
                    if kind == "frame":
                        snap = snapshot_from_record(message["snapshot"])
                        self.frames.put(Frame(list(message.get("events", ())), snap, time.perf_counter()))
                    elif kind == "ended":
                        self.ended = message
                    elif kind == "dropped":
                        self.log(f"talkdown: the host dropped a message of this station's: {message.get('reason', '')}")
                    elif kind == "pong":
                        self.pongs.put((float(message.get("t", 0.0)), time.perf_counter()))
                except (MessageError, KeyError, TypeError, ValueError) as exc:
                    self.log(f"talkdown: warning: a message from the host could not be read ({exc})")
        except ConnectionClosed as exc:
            rcvd = getattr(exc, "rcvd", None)
            self.lost = f"closed ({rcvd.code}{': ' + rcvd.reason if rcvd and rcvd.reason else ''})" if rcvd else "connection lost"
        except OSError as exc:
            self.lost = f"connection lost ({exc})"
        if self.ended is None and not self.lost:
            self.lost = "connection closed"

    @property
    def open(self) -> bool:
        return self._reader is not None and self._reader.is_alive()

    def send(self, text: str) -> bool:
        """Sends a raw message; False when the connection is gone."""
        from websockets.exceptions import ConnectionClosed

        try:
            self._ws.send(text)
            self.sent += 1
            return True
        except (ConnectionClosed, OSError, RuntimeError):
            return False

    def send_input(self, event: InputEvent) -> bool:
        return self.send(input_message(event))

    def ready(self) -> None:
        """Tells the host this station is ready (its view is loaded): a waiting session starts."""
        self.send(dumps("ready"))

    def ping(self) -> None:
        self.send(dumps("ping", t=time.perf_counter()))

    def close(self) -> None:
        if self._ws is not None:
            try:
                if self.open:
                    self._ws.send(dumps("bye"))
                self._ws.close()
            except Exception:  # noqa: BLE001 - closing a dead connection
                pass
        if self._reader is not None:
            self._reader.join(2.0)


class _Clock:
    """The host's clock as the latest snapshot says it (``step``, ``time``, ``dt``, ``hz``)."""

    def __init__(self, hz: int) -> None:
        self.hz = int(hz)
        self.dt = 1.0 / self.hz
        self.step = 0
        self.time = 0.0


class RemoteSim:
    """In place of a simulation for a station's device: the latest snapshot's clock, officers and
    subjects; :meth:`submit` sends the input to the host (only the station's own seat's)."""

    def __init__(self, scenario: Any, link: Link, seat: str, *, starts: Iterable[Any] = (),
                 log: Callable[[str], None] = print) -> None:
        self.scenario = scenario
        self.link = link
        self.seat = seat
        self.log = log
        self.clock = _Clock(int(link.welcome.get("hz", 90)))
        self.snap: Snapshot | None = None
        self.finished = False
        self.finish_reason = ""
        self.refused: list[str] = []
        self._starts = [((float(p[0]), float(p[1])), float(h)) for p, h in starts]
        self._feeding: Snapshot | None = None

    # what devices read -------------------------------------------------------

    @property
    def now(self) -> float:
        return self.clock.time

    @property
    def paused(self) -> bool:
        return bool(self.snap and self.snap.paused)

    @property
    def subjects(self) -> dict[str, Any]:
        return dict(self.snap.subjects_by_id) if self.snap is not None else {}

    @property
    def officers(self) -> dict[str, OfficerView]:
        return {o.seat: o for o in self.snap.officers} if self.snap is not None else {}

    def officer_view(self, seat: str) -> OfficerView:
        found = self.snap.officer(seat) if self.snap is not None else None
        if found is not None:
            return found
        from game.core.seats import officer_number

        n = (officer_number(seat) or 1) - 1
        (x, y), h = self._starts[n] if n < len(self._starts) else (self.scenario.trainee_position,
                                                                    self.scenario.trainee_heading)
        return OfficerView(seat, (x, y), h, 0.0, ("", ""), (False, False))

    def snapshot(self) -> Snapshot:
        """The read model a device is fed with (a :class:`~game.core.drivers.SeatPort`'s): the host's
        latest, at the step being fed."""
        if self._feeding is not None:
            return self._feeding
        if self.snap is not None:
            return self.snap
        return Snapshot(0, 0.0, self.clock.dt, False, False, "", "",
                        tuple(self.officer_view(f"officer:{i + 1}") for i in range(max(1, len(self._starts)))), ())

    # what devices do ---------------------------------------------------------

    def submit(self, event: InputEvent) -> None:
        """Sends ``event`` to the host. An input for another seat (a script's instructor lines) is
        not this station's to send: said once per type and left out."""
        if event.seat != self.seat:
            why = f"{event.TYPE} for {event.seat}"
            if why not in self.refused:
                self.refused.append(why)
                role = role_of(event.seat) if event.seat else "?"
                self.log(f"talkdown: {why} is left out: this station sends only {self.seat}'s inputs"
                         + (" (the instructor's station sends the instructor's)" if role == "instructor" else ""))
            return
        self.link.send_input(event)

    def advance(self, snap: Snapshot) -> None:
        self.snap = snap
        self.clock.step, self.clock.time = snap.step, snap.time
        if snap.finished:
            self.finished, self.finish_reason = True, snap.finish_reason


class Mirror:
    """Plays the host's frames into ``sinks`` (journal sinks: the views) and ``sim``; feeds
    ``device`` once per host step (so a scripted walk keeps the host's pace)."""

    def __init__(self, link: Link, sim: RemoteSim, device: Any = None, sinks: Iterable[Any] = ()) -> None:
        self.link = link
        self.sim = sim
        self.device = device
        self.sinks = list(sinks)
        self.frames = 0
        self.lines = 0
        self._fed_step = -1

    def listen(self, sink: Any) -> None:
        self.sinks.append(sink)

    def pump(self) -> int:
        """Applies every frame that has arrived; returns how many."""
        count = 0
        while True:
            try:
                frame = self.link.frames.get_nowait()
            except queue.Empty:
                break
            count += 1
            self.frames += 1
            for record in frame.records:
                self.lines += 1
                event = event_from_record(record) if self.sinks else None
                if event is not None:
                    for sink in self.sinks:
                        sink.record(int(record["step"]), float(record["time"]), event)
            self._feed_to(frame.snapshot)
        return count

    def _feed_to(self, snap: Snapshot) -> None:
        """Feeds the device for each host step up to ``snap`` (at most 8 at once; once a frame while
        the host is paused, whose step stands still)."""
        previous = self.sim.snap
        self.sim.advance(snap)
        if self.device is None or snap.finished:
            return
        if previous is not None and snap.step < previous.step:  # the instructor restarted: a new run
            me = snap.officer(self.sim.seat)
            reset = getattr(self.device, "reset", None)
            if me is not None and callable(reset):
                reset(me.position, me.heading)
            self._fed_step = -1
        steps = snap.step - self._fed_step if self._fed_step >= 0 else 1
        if steps <= 0:
            steps = 1 if snap.paused or previous is None else 0
        steps = min(steps, 8)
        try:
            for i in range(steps):
                behind = steps - 1 - i  # the steps this frame covers, fed one by one (a script walks at the host's pace)
                self.sim._feeding = replace(snap, step=snap.step - behind, time=snap.time - behind * snap.dt) \
                    if behind else snap
                self.device.feed(self.sim)
        finally:
            self.sim._feeding = None
        self._fed_step = snap.step


def run_headless(link: Link, mirror: Mirror, *, timeout: float | None = None, poll: float = 0.002) -> str:
    """Plays frames until the session ends or the connection goes; returns why it stopped
    (``ended``, or the connection's reason)."""
    start = time.monotonic()
    link.ready()
    while True:
        mirror.pump()
        if link.ended is not None and link.frames.empty():
            return "ended"
        if not link.open and link.frames.empty():
            mirror.pump()
            return "ended" if link.ended is not None else (link.lost or "connection closed")
        if timeout is not None and time.monotonic() - start > timeout:
            return "timeout"
        time.sleep(poll)


def welcome_scenario(link: Link, path: str | None = None) -> Any:
    """The scenario the host runs, loaded here (installed, or ``path``): its file must be the
    host's byte for byte (the welcome's sha256), else :class:`JoinError` says so."""
    from game.content.library import installed
    from game.content.scenario import load_scenario

    about = link.welcome.get("scenario") or {}
    wanted, sha = str(about.get("id", "")), str(about.get("sha256", ""))
    candidates = [path] if path else [str(p) for p in installed("scenarios") if p.stem == wanted]
    if not candidates:
        candidates = [str(p) for p in installed("scenarios")]
    for candidate in candidates:
        try:
            loaded = load_scenario(candidate)
        except Exception:  # noqa: BLE001 - a broken file here is not the host's
            continue
        if loaded.scenario.id == wanted:
            if sha and loaded.scenario.sha256 != sha:
                raise JoinError(f"this station's scenario '{wanted}' ({candidate}) is not the host's "
                                "(its contents differ): install the same Talkdown and content on both")
            return loaded
    raise JoinError(f"the host runs scenario '{wanted}', which this station does not have "
                    "(install the same content, or give its file with --scenario)")

