"""A second trainee on another machine (issue 18): real ``talkdown host`` and ``talkdown join``
processes talking over real WebSocket connections on localhost. The host runs headless at a few
times wall-clock speed so each test takes seconds; nothing here asserts on time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from game.core.journal import read_journal
from game.live.check import check_run

ROOT = Path(__file__).resolve().parent.parent
OFFICER_2 = ROOT / "tests" / "fixtures" / "net" / "welfare_officer2.yaml"
CODE = "TEST-CODE"
#: The host at eight times wall-clock speed, a frame every other step (the scenario's 36 s in ~5 s).
FAST = ("--speed", "8", "--send-every", "2")


class Proc:
    """A talkdown process whose output is read as it comes (so its pipe never fills)."""

    def __init__(self, *args: str, cwd: Path, env: dict[str, str] | None = None, without: tuple[str, ...] = ()) -> None:
        env = {**{k: v for k, v in os.environ.items() if k not in without}, "PYTHONUNBUFFERED": "1",
               "TALKDOWN_DB": str(cwd / "records.sqlite"), **(env or {})}
        self.p = subprocess.Popen([sys.executable, "-m", "game", *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.p.stdout is not None
        for line in self.p.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, needle: str, timeout: float = 60.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in list(self.lines):
                if needle in line:
                    return line
            if self.p.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"never said {needle!r}:\n{self.text}")

    def finish(self, timeout: float = 90.0) -> int:
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait(10)
            raise AssertionError(f"still running after {timeout} s:\n{self.text}") from None
        self._reader.join(5)
        return rc

    def kill(self) -> None:
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait(10)
        self._reader.join(5)


@pytest.fixture
def procs():
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.kill()


def host(procs, cwd: Path, *args: str) -> tuple[Proc, str]:
    proc = Proc("host", "welfare_check", "--port", "0", "--code", CODE, "--no-records", "--out", "runs", *args, cwd=cwd)
    procs.append(proc)
    line = proc.wait_for("join code")
    address = line.split("talkdown join ")[1].split()[0]
    return proc, address


def join(procs, cwd: Path, address: str, *args: str, code: str = CODE) -> Proc:
    proc = Proc("join", address, "--code", code, "--headless", *args, cwd=cwd)
    procs.append(proc)
    return proc


def the_run(cwd: Path) -> Path:
    runs = sorted((cwd / "runs").iterdir())
    assert len(runs) == 1, runs
    return runs[0]


def test_a_host_and_a_joined_station_play_a_scenario_to_its_end_and_the_journal_replays_byte_for_byte(tmp_path, procs):
    h, address = host(procs, tmp_path, *FAST)
    station = join(procs, tmp_path, address, "--script", str(OFFICER_2), "--trainee", "Sam Ortiz")
    assert station.finish() == 0, station.text
    assert "the session ended (scenario_ended; ending: accepts_help)" in station.text
    assert h.finish() == 0, h.text
    run = the_run(tmp_path)
    records = read_journal(run / "journal.jsonl")
    inputs = {(r["source"], r["type"]) for r in records if r["source"] != "sim"}
    assert {("trainee", "Say"), ("trainee", "Move")} <= inputs  # officer 1, scripted at the host
    assert {("officer:2", "Move"), ("officer:2", "Draw"), ("officer:2", "Say"), ("officer:2", "Holster")} <= inputs
    joined = [r for r in records if r["type"] == "OfficerJoined"]
    assert [(j["officer"], j["name"], j["source"]) for j in joined] == [("officer:2", "Sam Ortiz", "instructor")]
    said = next(r for r in records if r["type"] == "Say" and r["source"] == "officer:2")
    assert said["text"] == "We're just here to help."
    assert records[-1]["type"] == "SessionEnded" and records[-1]["ending"] == "accepts_help"
    assert check_run(run).matched, "the hosted journal re-simulates byte for byte"
    info = json.loads((run / "run.json").read_text())
    assert info["network"]["stations"][0]["seat"] == "officer:2" and info["status"] == "finished"
    assert info["network"]["addresses"] == [address] and address.startswith("127.0.0.1:"), "loopback only, unless told"


def test_a_station_killed_mid_session_leaves_the_host_running_and_it_can_join_again_with_the_code(tmp_path, procs):
    h, address = host(procs, tmp_path, *FAST)
    first = join(procs, tmp_path, address, "--script", str(OFFICER_2))
    first.wait_for("joined")
    h.wait_for("recording to")
    time.sleep(0.4)
    first.kill()  # no goodbye: the process is gone
    h.wait_for("officer:2 (no name) at")
    again = join(procs, tmp_path, address, "--trainee", "Sam again")
    again.wait_for("as officer:2")
    assert again.finish() == 0, again.text
    assert h.finish() == 0, h.text
    run = the_run(tmp_path)
    records = read_journal(run / "journal.jsonl")
    seq = [(r["type"], r.get("name", r.get("reason"))) for r in records if r["type"] in ("OfficerJoined", "OfficerLeft")]
    assert seq[0] == ("OfficerJoined", "") and seq[1][0] == "OfficerLeft" and seq[2] == ("OfficerJoined", "Sam again")
    assert seq[1][1] in ("connection lost", "connection closed") or seq[1][1].startswith("closed"), seq
    assert records[-1]["type"] == "SessionEnded" and records[-1]["ending"] == "accepts_help"
    assert check_run(run).matched


def test_the_host_killed_mid_session_leaves_a_run_the_next_start_recovers_and_the_station_says_so(tmp_path, procs):
    from game.live.recovery import recover

    h, address = host(procs, tmp_path, "--speed", "1")
    station = join(procs, tmp_path, address, "--script", str(OFFICER_2))
    h.wait_for("recording to")
    time.sleep(1.5)
    h.kill()
    assert station.finish() == 1, station.text
    assert "join again with the same code" in station.text and "Traceback" not in station.text
    run = the_run(tmp_path)
    closed = recover(tmp_path / "runs")
    assert [c["run_id"] for c in closed] == [run.name] and closed[0]["finish_reason"].startswith("cut short")
    assert any(r["type"] == "OfficerJoined" for r in read_journal(run / "journal.jsonl"))


def test_a_station_is_refused_for_a_wrong_code_another_seats_inputs_garbage_a_flood_and_a_10_mb_message(tmp_path, procs):
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    from game.core.events import Say
    from game.net.protocol import dumps, input_message

    h, address = host(procs, tmp_path, "--speed", "2", "--wait-for", "0", "--duration", "12", "--officers", "3")
    uri = f"ws://{address}/"

    with connect(uri, max_size=None) as ws:  # a wrong code
        ws.send(dumps("hello", code="WRONG-CODE"))
        assert json.loads(ws.recv(10)) == {"v": 1, "kind": "refused", "reason": "wrong join code"}
    with connect(uri, max_size=None) as ws:  # not a hello first
        ws.send("garbage")
        assert json.loads(ws.recv(10))["kind"] == "refused"

    with connect(uri, max_size=None) as ws:
        ws.send(dumps("hello", code=CODE.lower()))
        welcome = json.loads(ws.recv(10))
        assert welcome["kind"] == "welcome" and welcome["seat"] == "officer:2"

        def dropped(needle: str) -> dict:
            """The host's next ``dropped`` notice that says ``needle`` (the others it sent pass by)."""
            while True:
                message = json.loads(ws.recv(10))
                if message["kind"] == "dropped" and needle in message["reason"]:
                    return message

        ws.send(input_message(Say(intent="greet", text="I am officer 3", by="officer:3")))
        assert "from the station of officer:2" in dropped("a station sends only its own officer's inputs")["reason"]
        ws.send(input_message(Say(intent="greet", text="I am the instructor", by="instructor")))
        ws.send("{not json")
        ws.send(dumps("input", event={"type": "Move", "source": "officer:2", "position": "here", "heading": 0}))
        ws.send(dumps("input", event={"type": "Escalate", "source": "officer:2", "amount": 0.5}))
        dropped("may not send Escalate")
        for _ in range(3000):  # a flood
            ws.send(dumps("ping", t=0))
        assert dropped("flooding")["count"] >= 1
        ws.send("x" * (10 * 1024 * 1024))  # 10 MB
        with pytest.raises(ConnectionClosed):
            while True:
                ws.recv(10)
        assert ws.close_code == 1009

    h.wait_for("a message over 64 KiB")
    with connect(uri, max_size=None) as ws:  # the host is still there, and the seat is free again
        ws.send(dumps("hello", code=CODE, name="after"))
        assert json.loads(ws.recv(10))["seat"] == "officer:2"
    assert h.finish() == 0, h.text
    assert "Traceback" not in h.text
    for reason in ("wrong join code", "a station sends only its own officer's inputs", "not JSON",
                   "Move.position: expected a list of 2 numbers", "officer:2 may not send Escalate", "flooding"):
        assert reason in h.text, reason
    records = read_journal(the_run(tmp_path) / "journal.jsonl")
    assert not [r for r in records if r["type"] in ("Say", "Escalate") and r["source"] != "trainee"], \
        "nothing refused reached the journal"
    assert [r["officer"] for r in records if r["type"] == "OfficerJoined"] == ["officer:2", "officer:2"]


def test_the_benchs_probe_times_an_input_from_one_station_to_the_other_through_the_delay_proxy(tmp_path, procs):
    import math

    from game.bench_net import CODE as BENCH_CODE, input_to_other_station_ms

    proc = Proc("host", "welfare_check", "--port", "0", "--code", BENCH_CODE, "--no-records", "--out", "runs",
                "--officers", "3", "--wait-for", "0", "--duration", "60", cwd=tmp_path)
    procs.append(proc)
    address = proc.wait_for("join code").split("talkdown join ")[1].split()[0]
    ms = input_to_other_station_ms(address, samples=3, delay=0.01)
    assert math.isfinite(ms) and ms > 0
    proc.kill()
    moves = [r for r in read_journal(the_run(tmp_path) / "journal.jsonl") if r["type"] == "Move" and r["source"] == "officer:2"]
    assert [round(r["position"][0], 4) for r in moves] == [10.01, 10.02, 10.03], "each probe's move reached the journal"


@pytest.mark.render
def test_a_joined_station_renders_the_hosted_scene_offscreen_without_simulating_it(tmp_path, procs):
    from panda3d.core import PNMImage, Filename

    h, address = host(procs, tmp_path, *FAST)
    station = Proc("join", address, "--code", CODE, "--offscreen", "--size", "160x120", "--frames", "frames",
                   "--frame-interval", "10", "--script", str(OFFICER_2), cwd=tmp_path)
    procs.append(station)
    assert station.finish() == 0, station.text
    assert h.finish() == 0, h.text
    frames = sorted((tmp_path / "frames").glob("frame_*.png"))
    assert len(frames) >= 2, station.text
    image = PNMImage()
    assert image.read(Filename.from_os_specific(str(frames[-1])))
    values = [image.get_bright(x, y) for x in range(0, 160, 8) for y in range(0, 120, 8)]
    assert max(values) - min(values) > 0.2, "the frame shows a scene, not a blank"
    assert len(list((tmp_path / "runs").iterdir())) == 1, "only the host records a run"


def test_a_restart_at_the_host_opens_the_next_run_with_the_station_still_joined_and_its_script_played_again(tmp_path):
    from game.content import load_scenario
    from game.content.library import package_dir
    from game.content.script import load_script
    from game.core.drivers import ScriptedTrainee
    from game.core.events import Restart
    from game.live.host import RunPlan
    from game.net.client import Link, Mirror, RemoteSim, run_headless
    from game.net.hosting import HostOptions, host_headless, officer_starts

    loaded = load_scenario(package_dir("scenarios") / "welfare_check.yaml")

    class RestartOnce:  # the instructor restarts once, at 3 s
        seat = "instructor"
        done = False

        def feed(self, port):
            if not self.done and port.snapshot().time >= 3.0:
                port.submit(Restart())
                self.done = True

    plan = RunPlan(loaded, seed=1, out=tmp_path / "runs", duration=5.0, officers=officer_starts(loaded.scenario, 2))
    found, result = {}, {}
    announced = threading.Event()

    def announce(service):
        found["port"] = service.addresses[0][1]
        announced.set()

    thread = threading.Thread(target=lambda: result.update(host_headless(
        plan, HostOptions(port=0, code=CODE, speed=8), [RestartOnce()], log=lambda line: None, announce=announce)))
    thread.start()
    assert announced.wait(30)
    link = Link(f"127.0.0.1:{found['port']}", CODE, name="Sam", log=lambda line: None)
    welcome = link.join()
    sim = RemoteSim(loaded.scenario, link, link.seat, starts=welcome["officers"])
    why = run_headless(link, Mirror(link, sim, ScriptedTrainee(load_script(OFFICER_2), seat=link.seat)), timeout=60)
    link.close()
    thread.join(30)
    assert why == "ended" and result["previous_runs"]
    first, second = (read_journal(tmp_path / "runs" / run / "journal.jsonl")
                     for run in (result["previous_runs"][0], result["run_id"]))
    for records in (first, second):
        assert [(r["officer"], r["name"]) for r in records if r["type"] == "OfficerJoined"] == [("officer:2", "Sam")]
        assert [r["tool"] for r in records if r["type"] == "Draw" and r["source"] == "officer:2"] == ["flashlight"]
    assert first[-1]["reason"] == "restart" and second[-1]["reason"] == "duration"


def test_a_hosted_session_can_serve_the_dispatchers_page_beside_it_with_the_same_join_code(tmp_path, procs):
    import urllib.request

    pytest.importorskip("aiohttp")
    proc = Proc("host", "bridge_crisis", "--port", "0", "--code", CODE, "--no-records", "--out", "runs", "--wait-for",
                "0", "--duration", "8", "--speed", "4", "--dispatcher", "Dana Cho", cwd=tmp_path)
    procs.append(proc)
    line = proc.wait_for("the dispatcher's page: ")
    url = line.split("the dispatcher's page: ")[1]
    assert url.startswith("http://127.0.0.1:") and url.endswith(f"#code={CODE}")
    with urllib.request.urlopen(url.split("#")[0], timeout=10) as page:
        assert page.status == 200 and b"<html" in page.read().lower()
    assert proc.finish() == 0, proc.text
    records = read_journal(the_run(tmp_path) / "journal.jsonl")
    assert records[0]["dispatcher"] == "Dana Cho" and records[1]["type"] == "CallRang"


@pytest.mark.xr
def test_a_station_in_the_headset_joins_as_officer_2_and_its_head_and_hands_reach_the_hosts_journal(tmp_path, procs):
    import tempfile

    from xr_support import monado_manifest

    manifest, why = monado_manifest()
    if manifest is None:
        pytest.skip(why)
    h, address = host(procs, tmp_path, *FAST)
    env = {"XR_RUNTIME_JSON": str(manifest), "XRT_COMPOSITOR_NULL": "1", "XRT_LOG": "error",
           "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="talkdown-monado-"), "SIMULATED_ENABLE": "1",
           "SIMULATED_LEFT": "simple", "SIMULATED_RIGHT": "simple", "TALKDOWN_XR_EYE": "96x72"}
    station = Proc("join", address, "--code", CODE, "--vr", cwd=tmp_path, env=env, without=("DISPLAY", "WAYLAND_DISPLAY"))
    procs.append(station)
    assert station.finish() == 0, station.text
    assert "officer:2 in the headset 'Monado: Simulated HMD'" in station.text
    assert h.finish() == 0, h.text
    run = the_run(tmp_path)
    mine = {r["type"] for r in read_journal(run / "journal.jsonl") if r["source"] == "officer:2"}
    assert {"Move", "HandMove"} <= mine, mine
    assert check_run(run).matched


@pytest.mark.render
def test_the_instructors_station_can_host_at_the_desk_with_its_console_while_a_station_joins(tmp_path, procs):
    h, address = host(procs, tmp_path, "--window", "--offscreen")
    station = join(procs, tmp_path, address, "--script", str(OFFICER_2), "--trainee", "Sam Ortiz")
    assert station.finish(180) == 0, station.text
    assert h.finish(180) == 0, h.text
    assert "Traceback" not in h.text
    run = the_run(tmp_path)
    records = read_journal(run / "journal.jsonl")
    inputs = {(r["source"], r["type"]) for r in records if r["source"] != "sim"}
    assert ("trainee", "Move") in inputs and ("officer:2", "Say") in inputs, "officer 1 at the desk, 2 joined"
    assert records[-1]["type"] == "SessionEnded"
    info = json.loads((run / "run.json").read_text())
    assert info["mode"] == "offscreen" and info["frames"], "the desk rendered the host's officer's view"
    assert info["network"]["stations"][0]["seat"] == "officer:2"
    assert (run / "review.html").is_file(), "the desk's after-session hooks wrote the review"
    assert check_run(run).matched


def test_hosting_at_the_desk_on_an_address_that_cannot_be_listened_on_says_so_in_a_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "game", "host", "welfare_check", "--window", "--offscreen",
                           "--listen", "192.0.2.1", "--port", "0", "--no-records", "--out", "runs"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "talkdown: error:" in proc.stderr and "Traceback" not in proc.stdout + proc.stderr
    assert not any((tmp_path / "runs").glob("*/journal.jsonl")), "nothing recorded"
