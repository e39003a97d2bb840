"""The condition vocabulary scenario authors write, evaluated step by step on plain state."""

from __future__ import annotations

import pytest

from game.core.conditions import Context, compile_condition
from game.core.world import SaidRecord, SubjectState, TraineeState

DT = 1.0 / 90


def context(now=0.0, *, agitation=0.5, trust=0.5, gap=5.0, hands=("", ""), said=(), heading=0.0, unheard=False):
    """``said`` lists (intent, time) the trainee said; the subject heard them unless ``unheard``."""
    words = [SaidRecord(intent, "normal", t) for intent, t in said]
    trainee = TraineeState(position=(0.0, -gap), heading=heading, hands={"left": hands[0], "right": hands[1]},
                           said=list(words))
    subject = SubjectState(id="dale", position=(0.0, 0.0), heading=180.0, anchor=(0.0, 0.0),
                           agitation=agitation, trust=trust, heard=[] if unheard else list(words))
    return Context(now=now, trainee=trainee, subject=subject, subjects={subject.id: subject})


@pytest.mark.parametrize(
    ("condition", "state", "holds"),
    [({"agitation_above": 0.5}, {"agitation": 0.51}, True), ({"agitation_above": 0.5}, {"agitation": 0.5}, False),
     ({"agitation_below": 0.35}, {"agitation": 0.3}, True), ({"trust_above": 0.5}, {"trust": 0.5}, False),
     ({"trust_below": 0.2}, {"trust": 0.1}, True),
     ({"trainee_within": 4.0}, {"gap": 4.0}, True), ({"trainee_beyond": 4.0}, {"gap": 4.0}, False),
     ({"tool_drawn": "weapon"}, {"hands": ("flashlight", "")}, False),
     ({"tool_drawn": "any"}, {"hands": ("flashlight", "")}, True),
     ({"tool_drawn": "cew"}, {"hands": ("", "cew")}, True),
     ({"tool_aimed": "firearm"}, {"hands": ("", "firearm"), "heading": 90.0}, False),
     ({"tool_aimed": "firearm"}, {"hands": ("", "firearm"), "heading": 5.0}, True),
     ({"said_within": "offer_help"}, {"said": [("offer_help", 0.0)], "now": 5.0}, True),
     ({"said_within": "offer_help"}, {"said": [("offer_help", 0.0)], "now": 5.1}, False),
     ({"said_within": "offer_help"}, {"said": [("offer_help", 0.0)], "now": 1.0, "unheard": True}, False),
     ({"said_within": {"intents": ["listen", "offer_help"], "seconds": 6}},
      {"said": [("offer_help", 0.0), ("greet", 1.0)], "now": 6.0}, True),
     ({"said_within": {"intent": "any", "seconds": 1}}, {"said": [("greet", 2.0)], "now": 2.5}, True),
     ({"after": 3.0}, {"now": 2.99}, False), ({"after": 3.0}, {"now": 3.0}, True),
     ({"agitation_above": 0.5, "trust_above": 0.5}, {"agitation": 0.6, "trust": 0.4}, False),
     ({"any": [{"agitation_above": 0.9}, {"trust_above": 0.3}]}, {}, True),
     ({"all": [{"agitation_above": 0.4}, {"trust_below": 0.3}]}, {}, False),
     ({"not": {"trainee_within": 2.0}}, {"gap": 5.0}, True)],
)
def test_each_condition_holds_exactly_when_its_words_say(condition, state, holds):
    assert compile_condition(condition).holds(context(**state)) is holds


def run(condition, agitation_at, seconds, **state):
    """Steps ``condition`` through time; ``agitation_at(t)`` gives the subject's agitation. Returns when it first held."""
    for step in range(int(round(seconds * 90)) + 1):
        now = round(step * DT, 6)
        if condition.holds(context(now, agitation=agitation_at(now), **state)):
            return now
    return None


def test_for_holds_once_the_rest_has_held_that_long_and_starts_over_after_a_break():
    steady = compile_condition({"agitation_above": 0.5, "for": 2.0})
    assert run(steady, lambda t: 0.6, 5.0) == 2.0
    broken = compile_condition({"agitation_above": 0.5, "for": 2.0})
    assert run(broken, lambda t: 0.3 if 1.5 <= t < 2.5 else 0.6, 5.0) == 4.5


def test_a_condition_with_only_for_holds_after_that_long():
    assert run(compile_condition({"for": 1.0}), lambda t: 0.5, 3.0) == 1.0


def test_not_of_a_sustained_condition_holds_until_the_inner_one_has_been_sustained():
    cond = compile_condition({"not": {"agitation_above": 0.5, "for": 1.0}})
    held = [cond.holds(context(round(step * DT, 6), agitation=0.6)) for step in range(181)]
    assert held.index(False) == 90 and not any(held[90:])


@pytest.mark.parametrize(
    "written",
    [{"all": [{"trainee_within": 4.0}, {"agitation_above": 0.5, "for": 2.0}]},
     {"not": {"any": [{"trainee_beyond": 4.0}, {"not": {"agitation_above": 0.5, "for": 2.0}}]}}],
    ids=["all", "any"],
)
def test_a_sustained_part_is_not_fooled_by_a_break_it_did_not_see(written):
    # The trainee is away (6 m) from 1 s to 3 s; meanwhile agitation dips below 0.5 from 1.5 s to 2.5 s.
    # When the trainee is back at 3 s, agitation has held only since 2.5 s, so `for: 2` must wait until 4.5 s.
    cond = compile_condition(written)
    fired = []
    for step in range(6 * 90 + 1):
        now = round(step * DT, 6)
        agitation = 0.3 if 1.5 <= now < 2.5 else 0.6
        if cond.holds(context(now, agitation=agitation, gap=6.0 if 1.0 <= now < 3.0 else 3.0)):
            fired.append(now)
    assert fired[:1] == [4.5]
