"""The instructor's console without Panda3D: what each key does, confirmations, the note,
and what reaches the simulation — the model a desk keyboard (or later a tablet) drives."""

from __future__ import annotations

import subprocess
import sys

from game.content import load_scenario
from game.content.bindings import load_bindings
from game.content.library import package_dir
from game.core import MemoryJournal, Simulation
from game.live.console import ConsoleModel

SCENARIOS = package_dir("scenarios")


def console_and_sim():
    scenario = load_scenario(SCENARIOS / "domestic_disturbance.yaml").scenario
    keys = load_bindings(package_dir("input") / "instructor.yaml", device="instructor")
    now = [0.0]
    console = ConsoleModel(keys, scenario, clock=lambda: now[0])
    sim = Simulation(scenario, seed=1, journal=MemoryJournal())
    console.attach(sim)
    return console, sim, now


def journaled(sim):
    return [(r["type"], r["source"]) for r in sim.journal.records() if r["source"] != "sim"]


def test_escalate_pause_and_a_forced_branch_reach_the_journal_as_the_instructors_inputs():
    console, sim, _ = console_and_sim()
    for action in ("escalate", "pause", "pause", "force_branch_1"):
        console.press(action)
    console.feed(sim)
    sim.step()
    assert journaled(sim) == [("Escalate", "instructor"), ("Pause", "instructor"), ("Resume", "instructor"),
                              ("ForceBranch", "instructor")]


def test_end_needs_a_second_press_within_the_confirmation_time():
    console, sim, now = console_and_sim()
    console.press("end_session")
    assert console.state.confirm == "end_session" and "again" in console.state.messages[-1].text
    now[0] = 10.0
    console.poll()
    console.press("end_session")  # lapsed: asks again
    console.feed(sim)
    sim.step()
    assert not sim.finished
    console.press("end_session")
    console.feed(sim)
    sim.step()
    assert sim.finished and sim.finish_reason == "ended by instructor"


def test_a_typed_note_becomes_a_mark_at_the_moment_the_key_was_pressed():
    console, sim, _ = console_and_sim()
    sim.run_for(1.0)
    console.press("mark")
    assert console.focus.captured
    for ch in "too close":
        console.typed(ch)
    sim.run_for(0.5)
    console.entry_key("enter")
    console.feed(sim)
    sim.step()
    mark = next(r for r in sim.journal.records() if r["type"] == "Mark")
    assert (mark["note"], mark["at"]) == ("too close", 1.0)


def test_the_console_model_loads_no_engine():
    code = "import sys, game.live.console; print(sorted(m for m in sys.modules if m.split('.')[0] in ('panda3d', 'direct')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
