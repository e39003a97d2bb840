"""The behaviour-tree engine: what each composite returns tick by tick, and what it halts.

Scripted stand-in leaves return a fixed series of statuses and log their hooks, as
py_trees' own tests do; each test reads as a small table of ticks.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from game.core.behaviour import (
    FAILURE,
    HALTED,
    RUNNING,
    SUCCESS,
    Check,
    Guard,
    Loop,
    Node,
    Once,
    Random,
    Selector,
    Sequence_,
    compile_tree,
)


class Scripted(Node):
    """Returns the statuses it was given, one per tick (the last one forever after)."""

    def __init__(self, label, *statuses, log):
        super().__init__(label)
        self.statuses = list(statuses)
        self.log = log
        self.ticks = 0  # in all
        self.since_start = 0

    def start(self, body):
        self.since_start = 0
        self.log.append(f"{self.label}.start")

    def update(self, body):
        self.ticks += 1
        self.since_start += 1
        return self.statuses[min(self.since_start, len(self.statuses)) - 1]

    def stop(self, body, status):
        self.log.append(f"{self.label}.stop:{status.name}")


class Flag:
    """A condition that holds while ``value`` is true."""

    def __init__(self, value=True):
        self.value = value

    def holds(self, ctx):
        return self.value


BODY = SimpleNamespace(rng=random.Random(1), context=None)


def ticks(node, n):
    return [node.tick(BODY) for _ in range(n)]


def test_a_selector_returns_the_first_child_that_does_not_fail_and_never_ticks_the_rest():
    log = []
    a, b, c = Scripted("a", FAILURE, log=log), Scripted("b", RUNNING, RUNNING, SUCCESS, log=log), Scripted("c", SUCCESS, log=log)
    sel = Selector("sel", [a, b, c])
    assert ticks(sel, 3) == [RUNNING, RUNNING, SUCCESS]
    assert c.ticks == 0 and a.ticks == 3


def test_a_selector_halts_a_running_lower_child_when_a_higher_one_starts_to_succeed():
    log = []
    guard = Flag(False)
    high = Guard("high", guard, Scripted("alarm", RUNNING, log=log))
    low = Scripted("idle", RUNNING, log=log)
    sel = Selector("sel", [high, low])
    assert ticks(sel, 2) == [RUNNING, RUNNING]
    guard.value = True
    assert sel.tick(BODY) is RUNNING
    assert log == ["idle.start", "alarm.start", "idle.stop:HALTED"]
    assert sel.active() == ["sel", "high", "alarm"]


def test_a_guard_halts_what_it_runs_as_soon_as_its_condition_stops_holding():
    log = []
    flag = Flag(True)
    guard = Guard("g", flag, Scripted("walk", RUNNING, log=log))
    assert guard.tick(BODY) is RUNNING
    flag.value = False
    assert guard.tick(BODY) is FAILURE
    assert log == ["walk.start", "walk.stop:HALTED"]


def test_a_sequence_resumes_at_its_running_child_and_fails_as_soon_as_one_child_fails():
    log = []
    a, b = Scripted("a", SUCCESS, log=log), Scripted("b", RUNNING, RUNNING, SUCCESS, log=log)
    seq = Sequence_("seq", [a, b])
    assert ticks(seq, 3) == [RUNNING, RUNNING, SUCCESS]
    assert a.ticks == 1 and b.ticks == 3  # a is not ticked again while b runs
    failing = Sequence_("seq2", [Scripted("x", FAILURE, log=log), Scripted("y", SUCCESS, log=log)])
    assert failing.tick(BODY) is FAILURE and "y.start" not in log


def test_a_loop_starts_over_when_its_children_finish_and_keeps_running():
    log = []
    a, b = Scripted("a", SUCCESS, log=log), Scripted("b", RUNNING, SUCCESS, log=log)
    loop = Loop("loop", [a, b])
    assert ticks(loop, 4) == [RUNNING, RUNNING, RUNNING, RUNNING]
    assert a.ticks == 2  # started over on the tick after b finished
    assert log.count("b.start") == 2


def test_a_loop_of_instant_actions_does_not_spin_within_one_tick():
    log = []
    a = Scripted("a", SUCCESS, log=log)
    loop = Loop("loop", [a])
    assert ticks(loop, 3) == [RUNNING, RUNNING, RUNNING]
    assert a.ticks == 3


def test_once_succeeds_without_ticking_its_child_after_the_first_success():
    log = []
    child = Scripted("hello", RUNNING, SUCCESS, log=log)
    once = Once("once", child)
    assert ticks(once, 4) == [RUNNING, SUCCESS, SUCCESS, SUCCESS]
    assert child.ticks == 2


def test_random_picks_one_child_with_the_bodys_randomness_and_sticks_to_it_while_it_runs():
    picks = set()
    for seed in range(20):
        log = []
        kids = [Scripted(n, RUNNING, log=log) for n in "abc"]
        node = Random("r", kids)
        body = SimpleNamespace(rng=random.Random(seed), context=None)
        for _ in range(3):
            node.tick(body)
        started = [e for e in log if e.endswith(".start")]
        assert len(started) == 1
        picks.add(started[0][0])
    assert picks == {"a", "b", "c"}


def test_check_succeeds_or_fails_with_its_condition():
    assert Check("c", Flag(True)).tick(BODY) is SUCCESS
    assert Check("c", Flag(False)).tick(BODY) is FAILURE


def test_halting_a_tree_stops_every_running_node_below_it_once():
    log = []
    tree = Selector("root", [Sequence_("seq", [Scripted("a", SUCCESS, log=log), Scripted("b", RUNNING, log=log)])])
    tree.tick(BODY)
    tree.halt(BODY)
    tree.halt(BODY)
    assert log.count("b.stop:HALTED") == 1 and tree.active() == []


@pytest.mark.parametrize(("data", "kind"), [
    ({"selector": ["idle"]}, Selector), ([{"wait": 1}, {"wait": 2}], Sequence_), ({"loop": ["idle"]}, Loop),
    ({"once": "idle"}, Once), ({"random": ["idle", "idle"]}, Random), ({"when": {}, "do": "idle"}, Guard),
    ({"check": {}}, Check),
])
def test_compile_tree_builds_the_node_each_key_names(data, kind):
    made = compile_tree(data, {"idle": lambda v, n: Scripted("idle", RUNNING, log=[]),
                               "wait": lambda v, n: Scripted("wait", SUCCESS, log=[])}, lambda c: Flag(True))
    assert isinstance(made, kind)


def test_an_authors_name_labels_the_node_on_the_hud():
    made = compile_tree({"name": "keeps his distance", "when": {}, "do": "idle"},
                        {"idle": lambda v, n: Scripted("idle", RUNNING, log=[])}, lambda c: Flag(True))
    made.tick(BODY)
    assert made.active() == ["keeps his distance", "idle"]


def test_halted_is_only_ever_given_to_stop():
    assert HALTED not in (SUCCESS, FAILURE, RUNNING)


def test_without_names_the_hud_reads_what_each_node_is_and_what_it_waits_for():
    made = compile_tree({"selector": [{"when": {"trainee_within": 2.0, "said_within": {"intents": ["greet", "listen"]}},
                                       "do": "idle"}, "idle"]},
                        {"idle": lambda v, n: Scripted("idle", RUNNING, log=[])}, lambda c: Flag(True))
    made.tick(BODY)
    assert made.active() == ["selector", "when trainee_within 2, said_within greet/listen", "idle"]
