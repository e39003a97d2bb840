"""Behaviour-tree tick cost: this engine against py_trees on the same 34-node tree.

The tree is the shape subjects use: a priority selector over guarded behaviours, of
which all but the last guard fail on most ticks (the common case: a subject checks
its triggers and carries on). py_trees gets the same shape with a condition leaf
in a sequence where this engine has a guard. py_trees is optional (``pip install
py_trees``); without it only this engine is measured.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from game.core.journal import MemoryJournal
from game.core.scenario import Profile, ScenarioDef, SubjectDef
from game.core.simulation import Simulation

GUARDS = 8  # root + 8 × (guard, sequence, 2 actions) + idle = 34 nodes


def bench_tree() -> dict[str, Any]:
    """The 34-node tree as scenario data."""
    guards = [
        {"when": {"agitation_above": 0.9 + i * 0.01 if i < GUARDS - 1 else 0.0},
         "do": [{"face": "trainee"}, {"posture": "auto"}]}
        for i in range(GUARDS)
    ]
    return {"selector": [*guards, "idle"]}


def _median_us(fn: Any, *, batches: int, per_batch: int = 200) -> float:
    times = []
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(per_batch):
            fn()
        times.append((time.perf_counter() - t0) / per_batch)
    return statistics.median(times) * 1e6


def ours_tick_us(*, batches: int = 30) -> float:
    subject = SubjectDef(id="s", name="S", position=(0.0, 0.0), profile=Profile(), tree=bench_tree())
    sim = Simulation(ScenarioDef(id="bench", title="bench", scene="none", subjects=(subject,), endings=()),
                     seed=1, journal=MemoryJournal())
    sim.step()
    mind = sim.minds[0]
    return _median_us(lambda: mind.tree.tick(mind), batches=batches)


def py_trees_tick_us(*, batches: int = 30) -> float | None:
    try:
        import py_trees
    except ImportError:
        return None
    state = {"agitation": 0.5}
    rng = random.Random(1)

    class Above(py_trees.behaviour.Behaviour):
        def __init__(self, name: str, threshold: float) -> None:
            super().__init__(name)
            self.threshold = threshold

        def update(self) -> Any:
            ok = state["agitation"] > self.threshold
            return py_trees.common.Status.SUCCESS if ok else py_trees.common.Status.FAILURE

    class Act(py_trees.behaviour.Behaviour):
        def update(self) -> Any:
            rng.random()
            return py_trees.common.Status.SUCCESS

    class Idle(py_trees.behaviour.Behaviour):
        def update(self) -> Any:
            return py_trees.common.Status.RUNNING

    children = []
    for i in range(GUARDS):
        threshold = 0.9 + i * 0.01 if i < GUARDS - 1 else 0.0
        seq = py_trees.composites.Sequence(f"guard{i}", memory=True)
        seq.add_children([Above(f"above{i}", threshold), Act(f"face{i}"), Act(f"posture{i}")])
        children.append(seq)
    root = py_trees.composites.Selector("root", memory=False)
    root.add_children([*children, Idle("idle")])
    tree = py_trees.trees.BehaviourTree(root)
    tree.setup()
    return _median_us(tree.tick, batches=batches)


def measure(*, quick: bool = False) -> dict[str, Any]:
    batches = 8 if quick else 30
    ours = ours_tick_us(batches=batches)
    theirs = py_trees_tick_us(batches=batches)
    return {"nodes": 1 + GUARDS * 4 + 1, "ours_us": ours, "py_trees_us": theirs,
            "ratio": None if theirs is None else theirs / ours}
