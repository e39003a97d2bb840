"""The dispatcher's console: a web page served by Talkdown (issue 19).

:func:`serve_dispatch` starts an aiohttp server on a thread of its own and returns a
:class:`DispatchServer` whose :attr:`~DispatchServer.device` is the dispatcher's seat
device: hand it to the session host like any other device (``SessionHost(plan, [officer,
server.device])``). The page (``game/web/static/``: one HTML file, one script, one style
sheet, no fonts or scripts from anywhere else) talks over one WebSocket:

- the first message must carry the session's join code, else the socket is closed with a
  message; a wrong code is refused and counted (five wrong codes from an address: refused
  for a minute);
- then only the dispatcher's actions (``answer``, ``ask``, ``card``, ``dispatch``,
  ``radio``), each checked here first — bad input gets ``{"error": "..."}`` in one line and
  nothing reaches the simulation; messages are at most :data:`MAX_MESSAGE` bytes and
  :data:`MAX_RATE` a second;
- the server pushes ``{"state": ...}`` (the call's read model, ``game.core.call.CallView``)
  whenever it changes. The page reconnects by itself when the network blips, sending the
  code again.

Threads: the host steps the simulation on its own thread and calls :meth:`DispatcherDevice.feed`
before each step; the device submits what the page sent and publishes the call's view.
The server's loop only reads that view under a lock. Nothing happens at import time; aiohttp
is imported only when a server starts (``pip install talkdown[dispatch]``).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

from game.core.call import CARD_FIELDS, CARD_LABELS, RESOURCES, CallDef, check_input
from game.core.controls import Hands, events_for
from game.core.seats import DISPATCHER, may_send

STATIC = Path(__file__).resolve().parent / "static"
#: Largest message the page may send (bytes).
MAX_MESSAGE = 2048
#: Messages a second a connection may send (a burst of this many, refilled each second).
MAX_RATE = 20
#: Wrong join codes from one address before it is refused for :data:`LOCKOUT` seconds.
MAX_WRONG_CODES = 5
LOCKOUT = 60.0
#: How often the server looks for a new state to push (seconds).
PUSH_EVERY = 0.1
#: How often the device rebuilds the call's view (simulation steps).
VIEW_EVERY = 6
TYPES = {"text/html": ".html", "text/javascript": ".js", "text/css": ".css"}
FILES = {"/": ("index.html", "text/html"), "/console.js": ("console.js", "text/javascript"),
         "/console.css": ("console.css", "text/css")}
#: Every response says: nothing from anywhere else, no framing, no sniffing.
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class WebUnavailable(RuntimeError):
    """The web stack is not installed, or the port cannot be had (a one-line message)."""


class Refused(ValueError):
    """A message from the page that is refused (its text goes back to the page)."""


def event_for(message: Any) -> Any:
    """The dispatcher's input event for one message of the page; raises :class:`Refused`
    (one line) for anything else. The seat is always the dispatcher: the page cannot speak
    for another seat whatever it sends."""
    if not isinstance(message, dict):
        raise Refused("a message is a JSON object")
    do = message.get("do")

    def text(key: str) -> str:
        value = message.get(key, "")
        if not isinstance(value, str):
            raise Refused(f"'{key}' must be text")
        return value

    if do == "answer":
        action, args = "answer_call", {}
    elif do == "ask":
        action, args = "ask_caller", {"question": text("question"), "text": text("text"),
                                      "tone": text("tone") or "normal"}
    elif do == "card":
        action, args = "fill_card", {"field": text("field"), "value": text("value")}
    elif do == "dispatch":
        action, args = "dispatch", {}
    elif do == "radio":
        request = message.get("request")
        if not isinstance(request, int) or isinstance(request, bool):
            raise Refused("'request' must be the request's number")
        action, args = "radio_answer", {"request": request, "send": message.get("send") is True, "text": text("text")}
    else:
        raise Refused(f"unknown action {str(do)[:40]!r} (answer, ask, card, dispatch, radio)")
    (event,) = events_for(action, Hands(), seat=DISPATCHER, **args)
    if not may_send(event.seat, event.TYPE):  # cannot happen: the table's seat is the dispatcher's
        raise Refused(f"the dispatcher may not send {event.TYPE}")
    try:
        check_input(event)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    return event


class DispatcherDevice:
    """The dispatcher's seat device: what the page sent goes into the simulation before the
    next step, and the call's view comes out (thread-safe both ways)."""

    seat = DISPATCHER

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inbox: list[Any] = []
        self._view: dict[str, Any] = {}
        self.version = 0
        self.errors: deque[str] = deque(maxlen=20)
        self._steps = 0
        self.detached = False

    def send(self, event: Any) -> None:
        with self._lock:
            if not self.detached:
                self._inbox.append(event)

    def state(self) -> tuple[int, dict[str, Any]]:
        with self._lock:
            return self.version, self._view

    def feed(self, sim: Any) -> None:
        """Before each step (``sim``: the session's seat port): what the page sent goes in; every
        few steps, and after an input, the call's view comes out for the page."""
        with self._lock:
            inbox, self._inbox = self._inbox, []
        for event in inbox:
            try:
                sim.submit(event)
            except ValueError as exc:  # checked before it was queued; a seat the session lacks
                self.errors.append(str(exc))
        self._steps += 1
        if inbox or self._steps % VIEW_EVERY == 1:  # the first step too: the page sees the ringing at once
            self.publish(sim)

    def publish(self, sim: Any) -> None:
        snap = sim.snapshot()
        view = asdict(snap.call) if snap.call is not None else {"phase": "none"}
        view.update(time=round(snap.time, 1), finished=bool(snap.finished),
                    scene_time=None if snap.en_route else round(snap.time - snap.scene_start, 1))
        with self._lock:
            if view != self._view:
                self._view = view
                self.version += 1

    def detach(self) -> None:
        with self._lock:
            self.detached = True
            self._inbox = []


@dataclass(frozen=True)
class _About:
    """What the page shows besides the live state: the protocol questions, the card's fields."""

    title: str
    caller: str
    questions: tuple[tuple[str, str], ...]
    fields: tuple[tuple[str, str], ...]
    resources: tuple[str, ...]


def about_call(title: str, call: CallDef | None) -> dict[str, Any]:
    questions = tuple((q.id, q.text) for q in call.all_questions()) if call else ()
    return asdict(_About(title, call.caller.name if call else "", questions,
                         tuple((f, CARD_LABELS[f]) for f in CARD_FIELDS), RESOURCES))


class DispatchServer:
    """The dispatcher's page on ``host:port`` (see the module); :meth:`stop` when done."""

    def __init__(self, about: dict[str, Any], code: str, device: DispatcherDevice, host: str, port: int,
                 log: Callable[[str], None]) -> None:
        self.about, self.code, self.device = about, code, device
        self.host, self.port, self.log = host, port, log
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopping: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._wrong: dict[str, list[float]] = {}
        self.connections = 0
        self._open: set[Any] = set()

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self.port}/"

    def start(self) -> "DispatchServer":
        self._thread = threading.Thread(target=self._serve, name="talkdown:dispatch-web", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise WebUnavailable(f"the dispatcher's page cannot be served on {self.host}:{self.port}: "
                                 f"{getattr(self._error, 'strerror', None) or self._error}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(5)

    close = stop  # the host's teardown calls close()

    def drop_connections(self) -> None:
        """Closes every page's socket now (as a network blip would; the pages reconnect)."""
        loop = self._loop
        if loop is None:
            return

        async def drop() -> None:
            for ws in list(self._open):
                await ws.close(code=1012, message=b"dropped")

        asyncio.run_coroutine_threadsafe(drop(), loop).result(5)

    # ------------------------------------------------------------ the server's thread

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as exc:  # reported by start(); never a traceback on the console
            self._error = exc
            self._ready.set()
        finally:
            loop.close()

    async def _main(self) -> None:
        from aiohttp import web

        self._stopping = asyncio.Event()
        app = web.Application(client_max_size=MAX_MESSAGE * 4)
        app.router.add_get("/ws", self._socket)
        for route in FILES:
            app.router.add_get(route, self._file)
        app.on_response_prepare.append(self._headers)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        server = getattr(site, "_server", None)
        if server is not None and server.sockets:
            self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            await runner.cleanup()

    @staticmethod
    async def _headers(request: Any, response: Any) -> None:
        response.headers.update(HEADERS)

    async def _file(self, request: Any) -> Any:
        from aiohttp import web

        name, kind = FILES[request.path]
        return web.Response(body=(STATIC / name).read_bytes(), content_type=kind, charset="utf-8")

    def _locked_out(self, peer: str) -> bool:
        now = time.monotonic()
        recent = [t for t in self._wrong.get(peer, []) if now - t < LOCKOUT]
        self._wrong[peer] = recent
        return len(recent) >= MAX_WRONG_CODES

    async def _socket(self, request: Any) -> Any:
        from aiohttp import WSMsgType, web

        ws = web.WebSocketResponse(max_msg_size=MAX_MESSAGE, heartbeat=10.0)
        await ws.prepare(request)
        peer = request.remote or "?"
        if self._locked_out(peer):
            await ws.send_json({"error": "too many wrong join codes: wait a minute"})
            await ws.close(code=4003, message=b"locked out")
            return ws
        try:
            first = await ws.receive(timeout=15)
        except asyncio.TimeoutError:
            await ws.close(code=4001, message=b"no join code")
            return ws
        code = None
        if first.type == WSMsgType.TEXT:
            try:
                code = json.loads(first.data).get("code")
            except (ValueError, AttributeError):
                code = None
        if not isinstance(code, str) or code.strip().upper() != self.code:
            self._wrong.setdefault(peer, []).append(time.monotonic())
            await ws.send_json({"error": "wrong join code"})
            await ws.close(code=4003, message=b"wrong join code")
            return ws
        self.connections += 1
        self._open.add(ws)
        await ws.send_json({"welcome": self.about})
        pusher = asyncio.ensure_future(self._push(ws))
        tokens, refill = float(MAX_RATE), time.monotonic()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    if msg.type == WSMsgType.ERROR:
                        break
                    await ws.send_json({"error": "messages are JSON text"})
                    continue
                now = time.monotonic()
                tokens, refill = min(float(MAX_RATE), tokens + (now - refill) * MAX_RATE), now
                if tokens < 1:
                    await ws.send_json({"error": "too many messages: slow down"})
                    continue
                tokens -= 1
                try:
                    event = event_for(json.loads(msg.data))
                except ValueError as exc:  # Refused, or not JSON at all
                    await ws.send_json({"error": str(exc) if isinstance(exc, Refused) else "a message is JSON"})
                    continue
                self.device.send(event)
                await ws.send_json({"ok": event.TYPE})
        finally:
            pusher.cancel()
            self._open.discard(ws)
        return ws

    async def _push(self, ws: Any) -> None:
        sent = -1
        try:
            while not ws.closed:
                version, view = self.device.state()
                if version != sent:
                    await ws.send_json({"state": view})
                    sent = version
                await asyncio.sleep(PUSH_EVERY)
        except (ConnectionError, RuntimeError, asyncio.CancelledError):
            return


def serve_dispatch(title: str, call: CallDef | None, *, code: str, host: str = "127.0.0.1", port: int = 0,
                   device: DispatcherDevice | None = None,
                   log: Callable[[str], None] = lambda line: None) -> DispatchServer:
    """Serves the dispatcher's page for a session of a scenario titled ``title`` with ``call``
    (None: no call, only the radio), admitting whoever gives ``code``. Returns the running
    server; plug ``server.device`` into the session host, ``server.stop()`` at the end.
    Raises :class:`WebUnavailable` (one line) when aiohttp is missing or the port is taken."""
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        raise WebUnavailable("the dispatcher's page needs aiohttp: pip install 'talkdown[dispatch]'") from None
    if not code or not code.strip():
        raise WebUnavailable("the dispatcher's page needs a join code")
    server = DispatchServer(about_call(title, call), code.strip().upper(), device or DispatcherDevice(), host, port, log)
    return server.start()
