"""pytest-benchmark measures of the simulation (``pytest --benchmark-enable tests/test_benchmarks.py``).

In the normal suite benchmarks are disabled and each body runs once as a plain test,
so it still checks that what it measures works. Figures are reported, never asserted.
"""

from __future__ import annotations

import pytest

from game.bench import with_subjects
from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.scenario import load_scenario
from game.core.drivers import ScriptedTrainee
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation


@pytest.fixture(scope="module")
def loaded():
    return load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))


@pytest.mark.parametrize("subjects", [1, 8])
def test_benchmark_one_second_of_simulation(benchmark, loaded, subjects):
    scenario = with_subjects(loaded.scenario, subjects)

    def one_second():
        sim = Simulation(scenario, seed=1, journal=MemoryJournal())
        driver = ScriptedTrainee(loaded.default_script)
        for _ in range(sim.clock.hz):
            driver.feed(sim)
            sim.step()
        return sim

    sim = benchmark(one_second)
    assert sim.clock.step == 90 and len(sim.minds) == subjects


def test_benchmark_loading_the_default_scenario(benchmark, loaded):
    result = benchmark(load_scenario, loaded.path)
    assert result.scenario.id == DEFAULT_SCENARIO
