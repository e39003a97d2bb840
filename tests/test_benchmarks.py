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


def _tree_mind():
    from game.bench_trees import bench_tree
    from game.core.scenario import Profile, ScenarioDef, SubjectDef

    subject = SubjectDef(id="s", name="S", position=(0.0, 0.0), profile=Profile(), tree=bench_tree())
    sim = Simulation(ScenarioDef(id="b", title="b", scene="none", subjects=(subject,), endings=()),
                     seed=1, journal=MemoryJournal())
    sim.step()
    return sim.minds[0]


def test_benchmark_ticking_a_34_node_tree_with_this_engine(benchmark):
    mind = _tree_mind()
    status = benchmark(mind.tree.tick, mind)
    assert status.name == "SUCCESS"  # seven guards fail, the eighth does its two actions


def test_benchmark_ticking_the_same_tree_with_py_trees(benchmark):
    pytest.importorskip("py_trees")
    from game.bench_trees import py_trees_tick_us

    assert benchmark.pedantic(py_trees_tick_us, kwargs={"batches": 1}, rounds=1) > 0


def test_benchmark_reviewing_a_recorded_run(benchmark, tmp_path):
    from game.live.bench_review import record
    from game.review.load import review_run

    run = record(tmp_path / "run")
    rv = benchmark(review_run, run)
    assert rv.ending == "knife_down" and rv.look_for and rv.icat[4]
