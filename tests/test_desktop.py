"""The desktop trainee: key events through Panda3D's messenger become the simulation's inputs."""

from __future__ import annotations


import pytest

from game.content.bindings import load_bindings
from game.content.errors import ContentError
from game.content.library import DEFAULT_SCENARIO, package_dir, resolve
from game.content.scenario import load_scenario
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation
from game.engine.desk.desktop import WALK_SPEED, DesktopTrainee

from engine_support import offscreen_base

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def base():
    with offscreen_base(64, 64) as b:
        yield b


@pytest.fixture
def trainee(base):
    bindings = load_bindings(package_dir("input") / "desktop.yaml")
    t = DesktopTrainee(base, bindings, position=(0.0, -10.0), heading=0.0)
    yield t
    t.detach()


@pytest.fixture
def sim():
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    return Simulation(loaded.scenario, seed=1, journal=MemoryJournal())


def test_holding_the_forward_key_walks_the_trainee_where_they_look(base, trainee):
    base.messenger.send("w")
    trainee.poll(1.0)
    base.messenger.send("w-up")
    trainee.poll(1.0)
    assert trainee.position == pytest.approx((0.0, -10.0 + WALK_SPEED))


def test_turning_then_walking_moves_along_the_new_heading(base, trainee):
    base.messenger.send("q")
    trainee.poll(1.0)  # 90 degrees to the left: facing -x
    base.messenger.send("q-up")
    base.messenger.send("w")
    trainee.poll(1.0)
    base.messenger.send("w-up")
    assert trainee.heading == pytest.approx(90.0)
    assert trainee.position[0] == pytest.approx(-WALK_SPEED)
    assert trainee.position[1] == pytest.approx(-10.0, abs=1e-9)


def test_phrase_keys_become_says_with_the_tone_of_the_modifier(base, trainee, sim):
    base.messenger.send("2")
    base.messenger.send("shift-z")
    base.messenger.send("control-6")
    trainee.feed(sim)
    sim.step()
    says = [r for r in sim.journal.records() if r["type"] == "Say"]
    assert [(r["intent"], r["tone"], r["source"]) for r in says] == [
        ("greet", "normal", "trainee"),
        ("command_show_hands", "shout", "trainee"),
        ("empathise", "calm", "trainee"),
    ]


def test_a_tool_key_draws_the_tool_and_pressing_it_again_holsters_it(base, trainee, sim):
    base.messenger.send("f3")
    trainee.feed(sim)
    sim.step()
    assert sim.trainee.hands["right"] == "cew"
    base.messenger.send("f1")
    trainee.feed(sim)
    sim.step()
    assert sim.trainee.hands == {"left": "flashlight", "right": "cew"}
    base.messenger.send("f3")
    trainee.feed(sim)
    sim.step()
    assert sim.trainee.hands == {"left": "flashlight", "right": ""}
    base.messenger.send("h")
    trainee.feed(sim)
    sim.step()
    assert sim.trainee.hands == {"left": "", "right": ""}
    kinds = [r["type"] for r in sim.journal.records() if r["type"] in ("Draw", "Holster")]
    assert kinds == ["Draw", "Draw", "Holster", "Holster"]


def test_the_next_tool_key_cycles_the_belt_like_the_headsets_tool_select(base, trainee, sim):
    base.messenger.send("f1")  # the flashlight into the left hand: the right hand skips it
    seen = []
    for _ in range(5):
        base.messenger.send("tab")
        trainee.feed(sim)
        sim.step()
        seen.append(sim.trainee.hands["right"])
    assert seen == ["oc_spray", "cew", "baton", "firearm", ""]


def test_push_to_talk_is_held_while_its_key_is_down(base, trainee, sim):
    base.messenger.send("p")
    assert trainee.talking
    base.messenger.send("p-up")
    assert not trainee.talking


def test_escape_ends_the_session_as_the_trainee(base, trainee, sim):
    base.messenger.send("escape")
    trainee.feed(sim)
    sim.step()
    assert sim.finished
    last = sim.journal.records()[-1]
    assert last["type"] == "SessionEnded"
    ended = [r for r in sim.journal.records() if r["type"] == "EndSession"]
    assert ended[0]["source"] == "trainee"


def test_walking_is_journaled_as_filtered_moves(base, trainee, sim):
    base.messenger.send("w")
    for _ in range(90):
        trainee.poll(1 / 90)
        trainee.feed(sim)
        sim.step()
    base.messenger.send("w-up")
    moves = [r for r in sim.journal.records() if r["type"] == "Move"]
    assert 10 <= len(moves) <= 31, "one second of walking should give at most ~30 moves"
    assert moves[-1]["position"][1] == pytest.approx(-10.0 + WALK_SPEED, abs=0.05)
    assert sim.trainee.position[1] == pytest.approx(moves[-1]["position"][1])


def test_detaching_stops_listening_to_keys(base, trainee):
    trainee.detach()
    base.messenger.send("2")
    assert trainee.pending == []


def _write(tmp_path, text):
    path = tmp_path / "keys.yaml"
    path.write_text("format_version: 1\ndevice: desktop\nactions:\n" + text)
    return path


def test_a_bindings_file_with_an_unknown_action_gets_a_located_error(tmp_path):
    path = _write(tmp_path, "  move_forward: [w]\n  say_hello: [g]\n")
    with pytest.raises(ContentError) as err:
        load_bindings(path)
    (problem,) = err.value.problems
    assert (problem.line, problem.path) == (5, "actions.say_hello")
    assert "unknown action 'say_hello'" in problem.message


def test_a_key_bound_twice_gets_a_located_error_naming_the_first_action(tmp_path):
    path = _write(tmp_path, "  move_forward: [w]\n  say_greet: [g, w]\n")
    with pytest.raises(ContentError) as err:
        load_bindings(path)
    (problem,) = err.value.problems
    assert problem.path == "actions.say_greet[1]" and problem.line == 5
    assert "already bound to 'move_forward'" in problem.message


def test_walking_with_shift_held_still_walks(base, trainee):
    base.messenger.send("shift-w")
    trainee.poll(1.0)
    base.messenger.send("w-up")
    trainee.poll(1.0)
    assert trainee.position == pytest.approx((0.0, -10.0 + WALK_SPEED))


def test_two_presses_of_a_tool_key_before_a_step_draw_then_holster(base, trainee, sim):
    base.messenger.send("f5")
    base.messenger.send("f5")
    trainee.feed(sim)
    sim.step()
    assert [r["type"] for r in sim.journal.records() if r["type"] in ("Draw", "Holster")] == ["Draw", "Holster"]
    assert sim.trainee.hands["right"] == ""


def test_the_use_and_touch_keys_fire_the_tool_in_hand_and_reach_for_the_subject(base, trainee, sim):
    for key in ("f3", "mouse1", "t", "g"):
        base.messenger.send(key)
        base.messenger.send(f"{key}-up")
        trainee.feed(sim)
        sim.step()
    inputs = [(r["type"], r.get("hand"), r.get("intent")) for r in sim.journal.records() if r["source"] == "trainee"]
    assert ("Draw", "right", None) in inputs and ("Use", "right", None) in inputs
    assert ("Touch", "left", None) in inputs and ("Say", None, "gesture") in inputs
    (used,) = [r for r in sim.journal.records() if r["type"] == "ToolUsed"]
    assert (used["tool"], used["hit"]) == ("cew", "")  # Dale is out of the CEW's range from 10 m
