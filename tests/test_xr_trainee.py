"""The headset trainee without a headset: frames in, events out (belt, trigger, tool select,
lost hands), and the frame loop's pauses when the session loses focus — with a stand-in
runtime, so these run everywhere."""

from __future__ import annotations

import json

import pytest

from game.content.errors import ContentError
from game.content.xr_actions import PROFILE_COMPONENTS, load_xr_actions
from game.core import MemoryJournal, Simulation
from game.core.scenario import Profile, ScenarioDef, SubjectDef
from game.engine.app import FixedPacer
from game.live.session import Session
from game.xr.app import XrLoop
from game.xr.poses import Pose
from game.xr.runtime import SessionStatus
from game.xr.trainee import HandInput, XrFrame, XrTrainee

ACTIONS = load_xr_actions()
HEAD = Pose((0.0, -3.0, 1.6), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def scenario():
    dale = SubjectDef(id="dale", name="Dale", position=(0.0, 0.0), heading=180.0,
                      profile=Profile(postures=((0.0, "relaxed"),)))
    return ScenarioDef(id="inline", title="Inline", scene="none", subjects=(dale,), endings=(),
                       trainee_position=(0.0, -3.0))


def hand_at(offset, **values):
    """A tracked hand at ``offset`` (x right, y forward, z up) from the head, pointing ahead."""
    p = (HEAD.position[0] + offset[0], HEAD.position[1] + offset[1], HEAD.position[2] + offset[2])
    pose = Pose(p, (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
    return HandInput(grip_pose=pose, aim_pose=pose, **values)


def frame(right=None, left=None):
    return XrFrame(head=HEAD, hands={"left": left or hand_at((-0.3, 0.3, -0.4)), "right": right or hand_at((0.3, 0.3, -0.4))})


@pytest.fixture
def rig():
    sim = Simulation(scenario(), seed=1, journal=MemoryJournal())
    return sim, XrTrainee(ACTIONS)


def push(sim, trainee, f, steps=1):
    trainee.update(f)
    for _ in range(steps):
        trainee.feed(sim)
        sim.step()


def kinds(sim, *types):
    return [r for r in sim.journal.records() if r["type"] in types]


def test_gripping_at_a_holster_draws_that_tool_and_gripping_there_again_holsters_it(rig):
    sim, trainee = rig
    at = ACTIONS.holsters["firearm"]
    push(sim, trainee, frame(right=hand_at(at, grip=1.0)))
    assert sim.trainee.hands["right"] == "firearm"
    push(sim, trainee, frame(right=hand_at(at, grip=0.0)))
    push(sim, trainee, frame(right=hand_at(at, grip=1.0)))
    assert sim.trainee.hands["right"] == ""
    assert [r["type"] for r in kinds(sim, "Draw", "Holster")] == ["Draw", "Holster"]


def test_a_grip_away_from_the_belt_does_nothing(rig):
    sim, trainee = rig
    push(sim, trainee, frame(right=hand_at((0.3, 0.5, -0.1), grip=1.0)))
    assert sim.trainee.hands["right"] == "" and not kinds(sim, "Draw")


def test_a_held_trigger_fires_once_and_a_half_release_does_not_rearm(rig):
    sim, trainee = rig
    push(sim, trainee, frame(right=hand_at(ACTIONS.holsters["cew"], grip=1.0)))
    for value in (0.9, 1.0, 0.5, 0.9, 0.1, 0.8):
        push(sim, trainee, frame(right=hand_at((0.0, 0.3, -0.3), trigger=value)))
    assert len(kinds(sim, "Use")) == 2  # pressed, (held, half-released, held), released, pressed


def test_tool_select_cycles_the_belt_skipping_the_other_hands_tool_and_ends_empty(rig):
    sim, trainee = rig
    push(sim, trainee, frame(left=hand_at(ACTIONS.holsters["flashlight"], grip=1.0)))
    seen = []
    for _ in range(5):
        push(sim, trainee, frame(right=hand_at((0.3, 0.3, -0.4), tool_select=True)))
        push(sim, trainee, frame(right=hand_at((0.3, 0.3, -0.4), tool_select=False)))
        seen.append(sim.trainee.hands["right"])
    assert seen == ["oc_spray", "cew", "baton", "firearm", ""]


def test_a_lost_hand_is_journaled_once_and_its_buttons_read_released(rig):
    sim, trainee = rig
    push(sim, trainee, frame(), steps=3)
    lost = XrFrame(head=HEAD, hands={"left": HandInput(trigger=1.0), "right": hand_at((0.3, 0.3, -0.4))})
    push(sim, trainee, lost, steps=6)
    untracked = [r for r in kinds(sim, "HandMove") if not r["tracked"]]
    assert [r["hand"] for r in untracked] == ["left"]
    assert not kinds(sim, "Use")


def test_push_to_talk_is_held_while_pressed(rig):
    sim, trainee = rig
    trainee.update(frame(right=hand_at((0.3, 0.3, -0.4), push_to_talk=True)))
    assert trainee.talking
    trainee.update(frame())
    assert not trainee.talking


def test_every_shipped_profile_binds_the_required_actions():
    assert {p.split("/interaction_profiles/")[1] for p in ACTIONS.bindings} == set(PROFILE_COMPONENTS)
    for profile, table in ACTIONS.bindings.items():
        for action in ("grip_pose", "aim_pose", "trigger", "tool_select"):
            assert len(table[action]) == 2, (profile, action)


def test_a_bad_binding_is_refused_with_its_place(tmp_path):
    text = (package_text().replace("left/input/x/click", "left/input/a/click")
            .replace("right/input/trigger/value, right/input/trigger/value", ""))
    f = tmp_path / "xr.yaml"
    f.write_text(text.replace("trigger: {type: float", "trigger: {type: pose"))
    with pytest.raises(ContentError) as err:
        load_xr_actions(f)
    msg = str(err.value)
    assert "oculus/touch_controller has no 'left/input/a/click'" in msg
    assert "'trigger' must be a float action, not pose" in msg
    assert "xr.yaml:" in msg


def package_text():
    from game.content.xr_actions import default_xr_path
    with open(default_xr_path(), encoding="utf-8") as f:
        return f.read()


# ------------------------------------------------------------ pauses, with a stand-in runtime

class FakeRuntime:
    """Plays a list of session states, one per frame."""

    def __init__(self, states):
        self.states = list(states)
        self.state = "IDLE"
        self.began = True
        self.focused_once = False
        self.frames = 0

    def poll(self):
        self.state = self.states.pop(0) if self.states else self.state
        if self.state == "FOCUSED":
            self.focused_once = True
        reasons = {"VISIBLE": "the headset shows a system menu: Talkdown lost input focus",
                   "LOSS_PENDING": "the runtime is going away (headset disconnected)"}
        return SessionStatus(self.state, self.state == "FOCUSED", reasons.get(self.state, ""),
                             ended=self.state == "LOSS_PENDING")

    def wait_frame(self):
        pass

    def sync(self):
        return frame()

    def end_frame(self, layers):
        self.frames += 1


def test_losing_focus_pauses_the_simulation_and_run_json_says_why(tmp_path):
    loaded = type("Loaded", (), {"scenario": scenario(), "path": "inline.yaml"})()
    trainee = XrTrainee(ACTIONS)
    session = Session(loaded, seed=1, run_dir=tmp_path / "run", providers=[trainee])
    runtime = FakeRuntime(["READY", "FOCUSED", "FOCUSED", "VISIBLE", "VISIBLE", "VISIBLE", "FOCUSED", "LOSS_PENDING"])
    loop = XrLoop(runtime, session, trainee, pacer=FixedPacer(1))
    steps = []
    for _ in range(8):
        loop.frame()
        steps.append(session.sim.clock.step)
    assert steps == [0, 1, 2, 2, 2, 2, 3, 3]  # no steps while the menu has focus
    info = json.loads((tmp_path / "run" / "run.json").read_text())
    menu, gone = info["pauses"]
    assert menu["reason"].startswith("the headset shows a system menu") and "resumed_at" in menu
    assert "going away" in gone["reason"] and "resumed_at" not in gone
    assert loop.done and "going away" in loop.ended_reason
    session.close("headset: " + loop.ended_reason)
    records = [json.loads(x) for x in (tmp_path / "run" / "journal.jsonl").read_text().splitlines()]
    assert records[-1]["type"] == "SessionEnded" and "going away" in records[-1]["reason"]
