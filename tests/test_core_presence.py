"""Bodies take up room: a subject stops at the trainee instead of walking through, and is held
off when the trainee walks into it; the trainee's camera never ends up inside its head."""

from __future__ import annotations

import math

from game.content.library import resolve
from game.content.scenario import load_scenario
from game.core import MemoryJournal, Simulation
from game.core.events import Move
from game.core.presence import PERSONAL_SPACE


def _closest(sim: Simulation, steps: int, moves=None) -> float:
    closest = math.inf
    for i in range(steps):
        if moves is not None:
            sim.submit(moves(i))
        sim.step()
        if sim.finished:
            break
        for m in sim.minds:
            closest = min(closest, math.dist(m.state.position, sim.trainee.position))
    return closest


def test_a_trainee_walking_into_a_subject_pushes_it_back_rather_than_standing_inside_it():
    loaded = load_scenario(resolve("welfare_check", "scenarios"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    s = sim.minds[0].state
    x, y = s.position
    path = [(x, y - 3.0 + 0.05 * i) for i in range(120)]  # straight through where the subject stands

    def moves(i):
        return Move(position=path[min(i, len(path) - 1)], heading=0.0)

    assert _closest(sim, 150, moves) >= PERSONAL_SPACE - 1e-9
