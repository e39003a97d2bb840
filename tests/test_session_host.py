"""The session host: a whole session with two scripted officers and an instructor, no Panda3D:
the journal names each input's seat, the review lists each officer's actions apart, a
restart opens the next run, and the one teardown order holds on every way out."""

from __future__ import annotations

import json
import subprocess
import sys
from types import MappingProxyType

import pytest

from game.content import load_scenario
from game.content.library import package_dir
from game.core.drivers import ScriptAction, ScriptedTrainee, TraineeScript
from game.core.journal import read_journal
from game.live.host import RunPlan, SessionHost

SCENARIOS = package_dir("scenarios")
TWO = ((((0.0, -10.0), 0.0)), (((2.5, -9.0), 0.0)))


def act(at, verb, **args):
    return ScriptAction(at, verb, MappingProxyType({verb: args.pop(verb, True), **args}))


def script(*actions):
    return TraineeScript(actions=tuple(actions))


OFFICER_1 = script(act(0.2, "walk_to", walk_to=[0.0, -6.0]), act(1.0, "say", say="greet", text="Evening."),
                   act(2.5, "say", say="ask_name"), act(3.5, "instructor", instructor="escalate", amount=0.2),
                   act(6.0, "end", reason="done"))
OFFICER_2 = script(act(0.5, "walk_to", walk_to=[3.0, -7.0]), act(1.5, "draw", draw="flashlight", hand="left"),
                   act(3.0, "say", say="reassure", text="We're here to help."))


@pytest.fixture(scope="module")
def welfare():
    return load_scenario(SCENARIOS / "welfare_check.yaml")


def test_a_whole_session_with_two_scripted_officers_and_an_instructor_runs_through_the_host(tmp_path, welfare):
    plan = RunPlan(welfare, seed=2, out=tmp_path, officers=TWO, trainee="Pat Lane")
    devices = [ScriptedTrainee(OFFICER_1, seat="officer:1"), ScriptedTrainee(OFFICER_2, seat="officer:2")]
    filed = []
    host = SessionHost(plan, devices, after=[lambda out, info: filed.append((out, info["run_id"]))])
    info = host.run()
    run = tmp_path / info["run_id"]
    records = read_journal(run / "journal.jsonl")
    by = {(r["type"], r.get("intent") or r.get("tool") or ""): r["source"] for r in records if r["source"] != "sim"}
    assert by[("Say", "greet")] == "trainee" and by[("Say", "ask_name")] == "trainee"
    assert by[("Say", "reassure")] == "officer:2" and by[("Draw", "flashlight")] == "officer:2"
    assert by[("Escalate", "")] == "instructor" and by[("EndSession", "")] == "trainee"
    assert {r["source"] for r in records if r["type"] == "Move"} == {"trainee", "officer:2"}
    assert info["finish_reason"] == "done" and filed == [(tmp_path, info["run_id"])]

    from game.review.load import review_run
    from game.review.report import render_html

    rv = review_run(run)
    apart = rv.officer_actions()
    assert list(apart) == ["officer:1", "officer:2"]
    assert [e.kind for e in apart["officer:1"]] == ["Say", "Say", "EndSession"]
    assert [e.kind for e in apart["officer:2"]] == ["Draw", "Say"]
    html = render_html(rv, run)
    assert "<h2>Each officer</h2>" in html and "officer 2" in html

    from game.live.check import check_run

    assert check_run(run).matched, "a two-officer journal replays byte for byte"


def test_a_restart_through_the_host_closes_the_run_and_opens_the_next_with_its_devices_back_at_the_start(tmp_path, welfare):
    restarting = script(act(0.5, "walk_to", walk_to=[0.0, -7.0]), act(1.0, "instructor", instructor="end"))
    plan = RunPlan(welfare, seed=3, out=tmp_path)

    class RestartOnce:
        seat = "instructor"
        done = False

        def feed(self, sim):
            if not self.done and sim.snapshot().time >= 0.5:
                from game.core.events import Restart

                sim.submit(Restart())
                self.done = True

    officer = ScriptedTrainee(restarting)
    resets = []
    officer.reset = lambda position, heading: resets.append((position, heading))  # type: ignore[attr-defined]
    host = SessionHost(plan, [officer, RestartOnce()])
    told = []
    host.on_session.append(lambda s: told.append(s.run_dir.name))
    info = host.run()
    first, second = host.runs[0], info
    assert first["finish_reason"] == "restart" and first["restarted_as"] == second["run_id"] == told[0]
    assert info["previous_runs"] == [first["run_id"]]
    assert json.loads((tmp_path / second["run_id"] / "run.json").read_text())["restart_of"] == first["run_id"]
    assert resets == [(welfare.scenario.trainee_position, welfare.scenario.trainee_heading)]


def test_the_host_tears_down_in_one_order_even_when_a_step_fails(tmp_path, welfare):
    order = []

    class Part:
        def __init__(self, name):
            self.name = name

        def detach(self):
            order.append(f"{self.name}:detach")

        def flush(self):
            order.append(f"{self.name}:flush")

        def close(self):
            order.append(f"{self.name}:close")

        def destroy(self):
            order.append(f"{self.name}:destroy")

    class Broken(Part):
        seat = "officer:1"

        def feed(self, sim):
            if sim.snapshot().time > 0.2:
                raise RuntimeError("the device broke")

    host = SessionHost(RunPlan(welfare, out=tmp_path), [Broken("keys")],
                       after=[lambda out, info: order.append("after")])
    host.own(Part("capture"), flush=True)
    host.own(Part("mic"), close=True)
    host.own(Part("world"), destroy=True)
    host.own(Part("hud"), destroy=True)
    with pytest.raises(RuntimeError, match="the device broke"):
        host.run()
    assert order == ["keys:detach", "capture:flush", "keys:close", "mic:close", "hud:destroy", "world:destroy", "after"]
    run = next(tmp_path.iterdir())
    info = json.loads((run / "run.json").read_text())
    assert info["status"] == "finished" and info["finish_reason"].startswith("error: RuntimeError")
    assert not (run / "session.lock").exists()


def test_a_run_plan_loads_every_file_once_and_names_a_broken_one(tmp_path):
    from game.content.errors import ContentError

    plan = RunPlan.load(SCENARIOS / "welfare_check.yaml", scripts={"officer:1": SCENARIOS / "scripts" / "welfare_check_good.yaml"})
    assert plan.loaded.scenario.id == "welfare_check" and plan.scripts["officer:1"].actions
    bad = tmp_path / "bad.yaml"
    bad.write_text("format_version: 1\nactions: [{at: x}]\n")
    with pytest.raises(ContentError, match="bad.yaml"):
        RunPlan.load(SCENARIOS / "welfare_check.yaml", scripts={"officer:1": bad})


def test_the_session_host_loads_no_engine():
    code = "import sys, game.live.host, game.live.filing, game.live.check; " \
           "print(sorted(m for m in sys.modules if m.split('.')[0] in ('panda3d', 'direct', 'xr')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
