"""Devices read only the snapshot: a session hands its devices a port that submits inputs and
hands out the frozen snapshot and nothing else (no ``paused``, no ``subjects``, no ``minds``,
no clock); the scripted trainee, the instructor's console model and the headset trainee work
through it, and a snapshot shared for a whole step journals the very bytes of fresh ones."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from game.content import load_scenario
from game.content.bindings import load_bindings
from game.content.library import package_dir
from game.content.xr_actions import load_xr_actions
from game.core import MemoryJournal, Simulation
from game.core.drivers import ScriptAction, ScriptedTrainee, SimulationPort, TraineeScript
from game.core.events import EndSession
from game.core.snapshot import Snapshot
from game.live.console import ConsoleModel
from game.live.host import RunPlan, SessionHost

SCENARIOS = package_dir("scenarios")
TWO = (((0.0, -10.0), 0.0), ((2.5, -9.0), 0.0))


class SnapshotOnly:
    """A seat port over a simulation with nothing else on it, building a fresh snapshot each
    time it is asked (the session's :class:`SimulationPort` builds one a step)."""

    __slots__ = ("_sim",)

    def __init__(self, sim: Simulation) -> None:
        self._sim = sim

    def submit(self, event) -> None:
        self._sim.submit(event)

    def snapshot(self) -> Snapshot:
        return self._sim.snapshot()


class Through:
    """A device fed through :class:`SnapshotOnly` over the session's own port."""

    def __init__(self, device) -> None:
        self.device = device
        self.seat = device.seat

    def feed(self, sim) -> None:
        self.device.feed(SnapshotOnly(sim))


def test_a_session_hands_its_devices_a_port_with_only_submit_and_the_snapshot(tmp_path, welfare):
    seen = []

    class Curious:
        seat = "instructor"

        def feed(self, sim):
            seen.append(type(sim))
            for internal in ("paused", "subjects", "minds", "clock", "now", "trainee", "scenario"):
                with pytest.raises(AttributeError):
                    getattr(sim, internal)
            sim.submit(EndSession(by="instructor", reason="seen"))

    info = SessionHost(RunPlan(welfare, out=tmp_path), [Curious()]).run()
    assert seen == [SimulationPort] and info["finish_reason"] == "seen"


def act(at, verb, **args):
    return ScriptAction(at, verb, MappingProxyType({verb: args.pop(verb, True), **args}))


OFFICER_1 = TraineeScript(actions=(
    act(0.2, "walk_to", walk_to=[0.0, -6.0]), act(1.0, "say", say="greet", text="Evening."),
    act(1.5, "instructor", instructor="pause"), act(2.5, "instructor", instructor="resume"),
    act(3.0, "instructor", instructor="branch", branch=1), act(3.2, "instructor", instructor="branch", branch=9),
    act(3.5, "turn_to", turn_to="dale"), act(4.0, "draw", draw="flashlight", hand="left"),
    act(4.5, "instructor", instructor="escalate", amount=0.2), act(7.0, "end", reason="done")))
OFFICER_2 = TraineeScript(actions=(
    act(0.5, "walk_to", walk_to=[3.0, -7.0], face="path"), act(2.0, "say", say="reassure"),
    act(3.0, "draw", draw="flashlight", hand="right"), act(3.5, "holster", holster="right")))


@pytest.fixture(scope="module")
def welfare():
    return load_scenario(SCENARIOS / "welfare_check.yaml")


def journal_of(tmp_path, welfare, wrap) -> bytes:
    plan = RunPlan(welfare, seed=4, out=tmp_path, officers=TWO)
    devices = [wrap(ScriptedTrainee(OFFICER_1, seat="officer:1")), wrap(ScriptedTrainee(OFFICER_2, seat="officer:2"))]
    info = SessionHost(plan, devices).run()
    assert info["finish_reason"] == "done"
    return (tmp_path / info["run_id"] / "journal.jsonl").read_bytes()


def test_scripted_officers_sharing_one_snapshot_a_step_journal_the_bytes_of_ones_given_fresh_snapshots(tmp_path, welfare):
    direct = journal_of(tmp_path / "direct", welfare, lambda d: d)
    through = journal_of(tmp_path / "port", welfare, Through)
    assert through == direct
    text = through.decode()
    for seen in ('"type":"Pause"', '"type":"Resume"', '"type":"ForceBranch"', '"branch":"#9"', '"type":"Holster"',
                 '"source":"officer:2"'):
        assert seen in text, seen


def test_the_console_model_acts_on_a_port_that_offers_only_the_snapshot():
    scenario = load_scenario(SCENARIOS / "domestic_disturbance.yaml").scenario
    keys = load_bindings(package_dir("input") / "instructor.yaml", device="instructor")
    console = ConsoleModel(keys, scenario, clock=lambda: 0.0)
    sim = Simulation(scenario, seed=1, journal=MemoryJournal())
    port = SnapshotOnly(sim)
    console.attach(port)
    for _ in range(45):
        sim.step()
    console.press("pause")
    console.press("mark")
    for char in "late":
        console.typed(char)
    console.entry_key("enter")
    console.feed(port)
    sim.step()
    console.poll()  # the next frame: the note's keyboard focus lets go
    console.press("pause")  # now paused: the same key resumes, resolved against the snapshot
    console.press("force_branch_1")
    console.feed(port)
    sim.step()
    got = [(r["type"], r.get("note", r.get("branch", ""))) for r in sim.journal.records() if r["source"] == "instructor"]
    assert got == [("Pause", ""), ("Mark", "late"), ("Resume", ""), ("ForceBranch", scenario.branches[0].id)]
    mark = next(r for r in sim.journal.records() if r["type"] == "Mark")
    assert mark["at"] == pytest.approx(0.5)


def test_the_headset_trainee_draws_and_fires_on_a_port_that_offers_only_the_snapshot():
    from game.core.scenario import Profile, ScenarioDef, SubjectDef
    from game.xr.poses import Pose
    from game.xr.trainee import HandInput, XrFrame, XrTrainee

    actions = load_xr_actions()
    dale = SubjectDef(id="dale", name="Dale", position=(0.0, 0.0), heading=180.0,
                      profile=Profile(postures=((0.0, "relaxed"),)))
    scenario = ScenarioDef(id="inline", title="Inline", scene="none", subjects=(dale,), endings=(),
                           trainee_position=(0.0, -3.0))
    sim = Simulation(scenario, seed=1, journal=MemoryJournal())
    head = Pose((0.0, -3.0, 1.6), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))

    def hand(offset, **values):
        p = tuple(h + o for h, o in zip(head.position, offset))
        pose = Pose(p, (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
        return HandInput(grip_pose=pose, aim_pose=pose, **values)

    trainee = XrTrainee(actions)
    at = actions.holsters["flashlight"]
    for right in (hand(at, grip=1.0), hand(at, grip=0.0), hand((0.3, 0.4, -0.2), trigger=1.0)):
        trainee.update(XrFrame(head=head, hands={"left": hand((-0.3, 0.3, -0.4)), "right": right}))
        for _ in range(3):
            trainee.feed(SnapshotOnly(sim))
            sim.step()
    assert [r["type"] for r in sim.journal.records() if r["type"] in ("Draw", "Use")] == ["Draw", "Use"]
    assert sim.snapshot().trainee.hands["right"] == "flashlight"
