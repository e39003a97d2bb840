"""One table from action name to input events: the desk's keys, the headset's controls and
scripts send the same events for the same action."""

from __future__ import annotations

import pytest

from game.core.controls import ACTIONS, Hands, binding_action, events_for
from game.core.events import NUDGE, Draw, EndSession, Escalate, Holster, LowReady, Pause, Resume, Say, Use
from game.core.seats import SeatError


def test_a_draw_key_draws_the_tool_into_its_hand_and_holsters_it_when_it_is_already_there():
    hands = Hands()
    assert events_for("toggle_tool", hands, tool="flashlight") == [Draw(tool="flashlight", hand="left")]
    assert events_for("toggle_tool", hands, tool="flashlight") == [Holster(hand="left")]


def test_a_grip_at_a_holster_draws_into_an_empty_hand_puts_back_the_same_tool_and_leaves_a_full_hand():
    hands = Hands()
    assert events_for("grip", hands, tool="cew", hand="right") == [Draw(tool="cew", hand="right")]
    assert events_for("grip", hands, tool="baton", hand="right") == []
    assert events_for("grip", hands, tool="cew", hand="right") == [Holster(hand="right")]
    assert events_for("grip", hands, tool="", hand="right") == []


def test_a_trigger_uses_only_a_held_tool_a_use_key_always():
    assert events_for("trigger", Hands(), hand="right") == []
    assert events_for("trigger", Hands.of({"left": "", "right": "cew"}), hand="right") == [Use(hand="right")]
    assert events_for("use", Hands(), hand="left") == [Use(hand="left")]


def test_holster_all_empties_both_hands_in_the_order_asked():
    full = {"left": "flashlight", "right": "cew"}
    assert events_for("holster", Hands.of(full), hand="all") == [Holster(hand="right"), Holster(hand="left")]
    assert events_for("holster", Hands.of(full), hand="all", order=("left", "right")) == \
        [Holster(hand="left"), Holster(hand="right")]


def test_low_ready_toggles_only_with_a_tool_in_the_hand():
    hands = Hands()
    assert events_for("low_ready", hands, hand="right") == []
    hands.tools["right"] = "firearm"
    assert events_for("low_ready", hands, hand="right") == [LowReady(hand="right", low=True)]
    assert events_for("low_ready", hands, hand="right") == [LowReady(hand="right", low=False)]


def test_the_instructors_nudge_is_the_cores_one_amount_and_pause_toggles_against_the_state():
    assert events_for("escalate", Hands()) == [Escalate(amount=NUDGE)]
    state = Hands(paused=False)
    assert events_for("toggle_pause", state) + events_for("toggle_pause", state) == [Pause(), Resume()]


def test_an_action_sent_from_a_seat_names_the_seat_and_end_names_who_ended():
    [say] = events_for("say", Hands(), seat="officer:2", intent="greet")
    assert say.source == "officer:2" and say == Say(intent="greet", by="officer:2")
    assert events_for("say", Hands(), seat="officer:1", intent="greet") == [Say(intent="greet")]
    assert events_for("end", Hands(), seat="officer:1", reason="x")[0].source == "trainee"
    assert events_for("end", Hands(), reason="x") == [EndSession(reason="x")]


def test_bindings_action_names_read_as_actions_of_the_table():
    for name in ("say_greet", "draw_cew", "next_tool_left", "use_right", "holster", "low_ready", "touch",
                 "end_session", "escalate", "calm", "pause", "restart", "force_branch_2"):
        action, _args = binding_action(name)
        assert action in ACTIONS or action == "end", name
    assert binding_action("move_forward") is None


def test_an_officer_seat_sending_an_instructor_action_is_refused_by_the_simulation():
    from game.content import load_scenario
    from game.content.library import package_dir
    from game.core import MemoryJournal, Simulation

    sim = Simulation(load_scenario(package_dir("scenarios") / "welfare_check.yaml").scenario, seed=1,
                     journal=MemoryJournal())
    with pytest.raises(SeatError):
        sim.submit(events_for("escalate", Hands(), seat="officer:1")[0])
