"""The headset adapter against a real OpenXR runtime: a headless Monado whose head and
controllers a test moves through Monado's remote driver (see tests/xr_support.py).

Skipped, with the reason, only where the runtime could not be built (tools/monado.py)."""

from __future__ import annotations

import json
import math
import os

import pytest

from game.content.xr_actions import load_xr_actions
from game.core.scenario import Profile, ScenarioDef, SubjectDef
from game.engine.app import FixedPacer
from game.live.session import Session
from game.xr.app import XrLoop
from game.xr.poses import StageAnchor
from game.xr.runtime import XrRuntime
from game.xr.trainee import XrTrainee
from xr_support import RemoteDriver, RemoteState, monado_manifest

MANIFEST, WHY = monado_manifest()
pytestmark = [pytest.mark.xr, pytest.mark.skipif(MANIFEST is None, reason=WHY)]


class Rig:
    """A headless headset session, a remote driver and a recorded session of a small scenario."""

    def __init__(self, port, tmp_path, *, trainee=(0.0, -3.0), heading=0.0):
        dale = SubjectDef(id="dale", name="Dale", position=(0.0, 0.0), heading=180.0,
                          profile=Profile(baseline_agitation=0.3, postures=((0.0, "relaxed"),)))
        sc = ScenarioDef(id="inline", title="Inline", scene="none", subjects=(dale,), endings=(),
                         trainee_position=trainee, trainee_heading=heading)
        loaded = type("Loaded", (), {"scenario": sc, "path": "inline.yaml"})()
        self.actions = load_xr_actions()
        self.trainee = XrTrainee(self.actions)
        self.session = Session(loaded, seed=1, run_dir=tmp_path / "run", providers=[self.trainee])
        self.log: list[str] = []
        self.runtime = XrRuntime(self.actions, StageAnchor(trainee, heading), headless=True, log=self.log.append)
        self.runtime.open()
        self.driver = RemoteDriver(port)
        self.state = RemoteState()
        from panda3d.core import NodePath

        from game.xr.hands_view import HandNodes
        self.root = NodePath("world")
        self.hands = HandNodes(self.root)
        self.loop = XrLoop(self.runtime, self.session, self.trainee, pacer=FixedPacer(1), hands=self.hands,
                           log=self.log.append)

    def frames(self, n=1):
        for _ in range(n):
            self.driver.send(self.state)
            self.loop.frame()

    def until_focused(self, limit=300):
        for _ in range(limit):
            self.frames()
            if self.loop.status.running:
                return
        raise AssertionError(f"the session never reached FOCUSED (state {self.runtime.state})")

    def settle(self, n=6):
        """Lets the remote driver's latest state reach the runtime and the simulation."""
        import time
        for _ in range(n):
            self.driver.send(self.state)
            time.sleep(0.01)
            self.loop.frame()

    def records(self, kind=None):
        self.session.journal_file._file.flush()
        lines = [json.loads(x) for x in (self.session.run_dir / "journal.jsonl").read_text().splitlines()]
        return [r for r in lines if kind is None or r["type"] == kind]

    def close(self):
        self.session.close("test")
        self.driver.close()
        self.runtime.close()
        self.hands.destroy()


@pytest.fixture
def rig(monado, tmp_path):
    r = Rig(monado, tmp_path)
    yield r
    r.close()


def test_a_headless_session_reaches_focused_on_the_stage_and_closes_twice(rig):
    rig.until_focused()
    assert rig.runtime.state == "FOCUSED"
    assert rig.runtime.reference_space == "STAGE"
    assert rig.runtime.system_name
    rig.runtime.close()
    rig.runtime.close()
    assert rig.runtime.poll().ended


def test_the_runtime_picks_a_profile_from_our_suggested_bindings(rig):
    rig.until_focused()
    rig.settle()
    assert rig.runtime.current_profile("right") == "/interaction_profiles/valve/index_controller"


def test_head_and_hand_poses_arrive_in_the_world_and_move_the_hand_nodes(rig):
    rig.until_focused()
    rig.state.head_position = (0.5, 1.7, -1.0)  # a step right and forward in the room
    rig.state.right.position = (0.3, 1.1, -1.4)
    rig.settle()
    t = rig.session.sim.trainee
    assert t.position == pytest.approx((0.5, -2.0), abs=1e-3)  # the play area starts at (0, -3)
    pose = t.hand_poses["right"]
    assert pose.position == pytest.approx((0.3, -1.6, 1.1), abs=1e-3)
    assert pose.heading == pytest.approx(0.0, abs=0.5) and pose.pitch == pytest.approx(0.0, abs=0.5)
    node = rig.hands.nodes["right"]
    assert rig.hands.shown("right")
    assert tuple(node.get_pos()) == pytest.approx((0.3, -1.6, 1.1), abs=1e-3)
    assert rig.records("HandMove") and rig.records("Move")


def test_a_turned_play_area_turns_the_poses_with_it(monado, tmp_path):
    rig = Rig(monado, tmp_path, trainee=(2.0, 0.0), heading=90.0)  # facing -x
    try:
        rig.until_focused()
        rig.state.right.position = (0.0, 1.2, -0.5)  # half a metre ahead of the room's centre
        rig.settle()
        pose = rig.session.sim.trainee.hand_poses["right"]
        assert pose.position == pytest.approx((1.5, 0.0, 1.2), abs=1e-3)
        assert pose.heading == pytest.approx(90.0, abs=0.5)
    finally:
        rig.close()


def test_gripping_at_the_holster_draws_and_a_trigger_pull_fires_the_cew_into_the_subject(rig):
    rig.until_focused()
    cew_at = rig.actions.holsters["cew"]  # x right, y forward, z up from the head
    head = rig.state.head_position
    rig.state.right.position = (head[0] + cew_at[0], head[1] + cew_at[2], head[2] - cew_at[1])
    rig.settle()
    rig.state.right.squeeze = 1.0
    rig.settle()
    rig.state.right.squeeze = 0.0
    assert rig.session.sim.trainee.hands["right"] == "cew"
    # aim at the subject's chest, 3 m ahead: the controller's -z is the room's forward
    rig.state.right.position = (0.0, 1.3, -0.3)
    rig.settle()
    rig.state.right.trigger = 1.0
    rig.settle()
    rig.state.right.trigger = 0.0
    rig.settle()
    hits = rig.records("ToolHit")
    assert [h["probe"] for h in hits] == [1, 2]
    assert {h["subject"] for h in hits} == {"dale"}
    assert hits[0]["point"][2] == pytest.approx(1.3, abs=0.05) and hits[1]["point"][2] < 1.0
    (reaction,) = rig.records("SubjectReactedToForce")
    assert reaction["reaction"] == "incapacitated"
    assert len(rig.records("ToolDischarged")) == 1  # one pull, one discharge (hysteresis)


def test_the_tool_select_button_cycles_the_belt(rig):
    rig.until_focused()
    for _ in range(3):
        rig.state.right.a_click = True
        rig.settle(3)
        rig.state.right.a_click = False
        rig.settle(3)
    assert rig.session.sim.trainee.hands["right"] == "cew"
    assert [r["tool"] for r in rig.records("Draw")] == ["flashlight", "oc_spray", "cew"]


def test_losing_a_controller_hides_its_hand_and_the_trigger_does_nothing(rig):
    rig.until_focused()
    rig.settle()
    assert rig.hands.shown("left")
    rig.state.left.active = False
    rig.state.left.trigger = 1.0
    rig.settle()
    assert not rig.hands.shown("left") and rig.hands.shown("right")
    assert "left" not in rig.session.sim.trainee.hand_poses
    lost = [r for r in rig.records("HandMove") if r["hand"] == "left" and not r["tracked"]]
    assert len(lost) == 1
    assert rig.records("Use") == []
    rig.state.left.active, rig.state.left.trigger = True, 0.0
    rig.settle()
    assert rig.hands.shown("left") and "left" in rig.session.sim.trainee.hand_poses


def test_an_instance_and_session_open_and_close_quickly(monado):
    import time
    actions = load_xr_actions()
    started = time.perf_counter()
    for _ in range(3):
        with XrRuntime(actions, headless=True, log=lambda m: None) as rt:
            rt.open()
    assert (time.perf_counter() - started) / 3 < 5.0  # generous: llvmpipe machines are slow


def test_a_process_with_a_session_exits_cleanly(monado):
    from xr_support import run_isolated
    code = ("from game.content.xr_actions import load_xr_actions\n"
            "from game.xr.runtime import XrRuntime\n"
            "rt = XrRuntime(load_xr_actions(), headless=True, log=print)\n"
            "rt.open()\n"
            "for _ in range(50): rt.poll()\n"
            "rt.close()\n"
            "print('closed')\n")
    result = run_isolated(code, {k: os.environ[k] for k in ("XR_RUNTIME_JSON", "XRT_COMPOSITOR_NULL",
                                                            "XDG_CONFIG_HOME", "P_OVERRIDE_ACTIVE_CONFIG")})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "closed" in result.stdout


def test_a_stage_pose_maps_to_world_heading_and_roll():
    anchor = StageAnchor((0.0, 0.0), 0.0)
    s = math.sin(math.radians(15))
    c = math.cos(math.radians(15))
    # rotated 30 degrees about the room's z (forward) axis: rolled 30 degrees to the left
    pose = anchor.pose((0.0, 1.0, 0.0), (0.0, 0.0, s, c))
    assert pose.heading == pytest.approx(0.0, abs=1e-6) and pose.pitch == pytest.approx(0.0, abs=1e-6)
    assert pose.roll == pytest.approx(-30.0, abs=1e-4)


def test_the_instructors_restart_in_the_headset_opens_the_next_run_and_the_headset_goes_on_in_it(monado, tmp_path):
    from game.core.events import Restart
    from game.live.host import RunPlan, SessionHost

    rig = Rig(monado, tmp_path)
    try:
        rig.session.close("not used")  # the rig's own session: this test runs its sessions through a host

        class RestartOnce:
            seat = "instructor"
            sent = False

            def feed(self, sim):
                if not self.sent and sim.snapshot().time >= 0.2:
                    sim.submit(Restart())
                    self.sent = True

        host = SessionHost(RunPlan(rig.session.loaded, seed=1, out=tmp_path / "runs"), [rig.trainee, RestartOnce()])
        first = host.start()
        rig.loop = XrLoop(rig.runtime, first, rig.trainee, pacer=FixedPacer(1), hands=rig.hands,
                          log=rig.log.append, host=host)
        rig.until_focused()
        for _ in range(400):
            rig.frames()
            if rig.loop.session is not first and rig.loop.session.sim.now > 0.3:
                break
        second = rig.loop.session
        assert second is not first and second is host.session and not rig.loop.done
        info = host.close("test")
        assert host.runs[0]["finish_reason"] == "restart" and host.runs[0]["restarted_as"] == info["run_id"]
        moves = [json.loads(x) for x in (second.run_dir / "journal.jsonl").read_text().splitlines()]
        assert any(r["type"] == "Move" for r in moves), "the headset's head pose reaches the restarted run"
    finally:
        rig.driver.close()
        rig.runtime.close()
        rig.hands.destroy()
