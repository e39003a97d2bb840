"""The dispatcher's page server over real sockets (issue 19): the join code, only the
dispatcher's inputs, bad and hostile messages refused with a message, size limits; the
page's files come with headers that forbid anything from elsewhere."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

aiohttp = pytest.importorskip("aiohttp")

from game.content.scenario import load_scenario  # noqa: E402
from game.web.dispatch import MAX_MESSAGE, event_for, Refused, serve_dispatch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server():
    scenario = load_scenario(ROOT / "scenarios" / "dementia_welfare.yaml").scenario
    srv = serve_dispatch(scenario.title, scenario.call, code="q7hx2m")
    yield srv
    srv.stop()


def talk(server, first, messages=(), *, raw=False):
    """Connects, sends ``first`` then ``messages``; returns every JSON message received."""

    async def go():
        got = []
        async with aiohttp.ClientSession() as s:
            async with s.ws_connect(server.url + "ws") as ws:
                await (ws.send_str(first) if raw else ws.send_json(first))
                for m in messages:
                    if isinstance(m, bytes):
                        await ws.send_bytes(m)
                    elif isinstance(m, str):
                        await ws.send_str(m)
                    else:
                        await ws.send_json(m)
                while True:
                    msg = await ws.receive(timeout=5)
                    if msg.type != aiohttp.WSMsgType.TEXT:
                        got.append({"closed": msg.type.name, "code": ws.close_code})
                        return got
                    got.append(json.loads(msg.data))
                    if messages and sum("ok" in g or "error" in g for g in got) >= len(messages):
                        return got

    return asyncio.run(go())


def test_without_the_join_code_nothing_is_accepted_and_the_socket_closes_with_a_message(server):
    got = talk(server, {"code": "nope"})
    assert got[0] == {"error": "wrong join code"} and got[-1]["code"] == 4003
    got = talk(server, "not json at all", raw=True)
    assert got[0] == {"error": "wrong join code"}


def test_with_the_code_the_page_gets_the_questions_and_card_and_bad_input_is_refused_in_one_line(server):
    got = talk(server, {"code": "Q7HX2M"}, [
        {"do": "card", "field": "location", "value": "Linden Park"},
        {"do": "card", "field": "weapons", "value": "x" * 301},
        {"do": "card", "field": "priority", "value": "urgent"},
        {"do": "move", "position": [0, 0]},  # an officer's input: the page cannot send it
        {"do": "radio", "request": "1"},
        "{{{",
        b"\x00\x01",
    ])
    welcome = got[0]["welcome"]
    assert welcome["title"].startswith("Welfare check") and ["address", "What is the address of your emergency?"] in \
        [list(q) for q in welcome["questions"]]
    replies = [g for g in got if "ok" in g or "error" in g]
    assert replies == [{"ok": "FillCard"}, {"error": "a card entry is at most 300 characters"},
                       {"error": "priority is 1, 2 or 3"},
                       {"error": "unknown action 'move' (answer, ask, card, dispatch, radio)"},
                       {"error": "'request' must be the request's number"}, {"error": "a message is JSON"},
                       {"error": "messages are JSON text"}]
    # only the one good input reached the dispatcher's seat
    inbox = server.device._inbox
    assert [(e.TYPE, e.seat) for e in inbox] == [("FillCard", "dispatcher")]


def test_a_message_over_the_size_limit_closes_the_socket(server):
    got = talk(server, {"code": "Q7HX2M"}, [json.dumps({"do": "ask", "text": "y" * (MAX_MESSAGE + 10)})])
    assert got[-1].get("closed") in ("CLOSE", "CLOSING", "CLOSED", "ERROR")


def test_the_page_and_its_files_say_nothing_may_come_from_elsewhere(server):
    async def go():
        async with aiohttp.ClientSession() as s:
            out = {}
            for path in ("", "console.js", "console.css"):
                async with s.get(server.url + path) as r:
                    out[path] = (r.status, r.headers.get("Content-Security-Policy", ""), await r.text())
            async with s.get(server.url + "../../etc/passwd") as r:
                out["escape"] = (r.status, "", "")
            return out

    out = asyncio.run(go())
    for path in ("", "console.js", "console.css"):
        status, csp, body = out[path]
        assert status == 200 and "default-src 'self'" in csp
        assert "http://" not in body and "https://" not in body  # no CDN, no web font
    assert out["escape"][0] == 404


def test_an_event_is_always_the_dispatchers_whatever_the_message_says():
    event = event_for({"do": "card", "field": "nature", "value": "ok", "by": "officer:1", "seat": "instructor"})
    assert event.seat == "dispatcher"
    with pytest.raises(Refused, match="must be text"):
        event_for({"do": "ask", "text": ["a list"]})


def test_a_port_already_taken_is_one_clear_line(server):
    from game.web.dispatch import WebUnavailable

    with pytest.raises(WebUnavailable, match=rf"cannot be served on 127.0.0.1:{server.port}: ") as err:
        serve_dispatch("x", None, code="abc", port=server.port)
    assert "\n" not in str(err.value)
