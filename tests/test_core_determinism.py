"""Same scenario, same seed, same inputs: the same journal, byte for byte, and a journal replays."""

from __future__ import annotations

import pytest

from game.content import load_scenario, load_script
from game.content.library import package_dir
from game.core import FileJournal, MemoryJournal, Simulation, read_journal
from game.core.drivers import ScriptedTrainee
from game.core.events import INPUT_TYPES, EndSession, Escalate, input_from_record

SCENARIOS = package_dir("scenarios")
MAX_SECONDS = 120.0


@pytest.fixture(scope="module")
def welfare_check():
    return load_scenario(SCENARIOS / "welfare_check.yaml").scenario


def script(name):
    return load_script(SCENARIOS / "scripts" / f"welfare_check_{name}.yaml")


def play(scenario, journal, *, seed, feed):
    """The loop every driver uses: feed, step, and close the session once an ending is reached."""
    sim = Simulation(scenario, seed=seed, journal=journal)
    while not sim.finished and sim.now < MAX_SECONDS:
        feed(sim)
        sim.step()
        if sim.ending and not sim.finished:
            sim.finish("scenario_ended")
    return sim


def play_script(scenario, path, *, seed, name="good"):
    with FileJournal(path) as journal:
        play(scenario, journal, seed=seed, feed=ScriptedTrainee(script(name)).feed)
    return path


def replay(scenario, records):
    """Plays a journal's inputs back into a fresh simulation, each at the step it took effect."""
    seed = records[0]["seed"]
    inputs = [(r["step"], input_from_record(r)) for r in records if r["type"] in INPUT_TYPES]

    def feed(sim):
        for step, event in inputs:
            if step == sim.clock.step:
                sim.submit(event)

    journal = MemoryJournal()
    play(scenario, journal, seed=seed, feed=feed)
    return journal


def outcome(records):
    ended = [r for r in records if r["type"] == "ScenarioEnded"]
    return ended[0]["ending"], ended[0]["outcome"]


def test_the_same_seed_and_script_give_the_same_journal_bytes(welfare_check, tmp_path):
    first = play_script(welfare_check, tmp_path / "first.jsonl", seed=1234)
    second = play_script(welfare_check, tmp_path / "second.jsonl", seed=1234)
    assert first.read_bytes() == second.read_bytes()
    assert len(read_journal(first)) > 100


def test_different_seeds_give_different_journals_beyond_the_seed_itself(welfare_check, tmp_path):
    a = read_journal(play_script(welfare_check, tmp_path / "a.jsonl", seed=1))
    b = read_journal(play_script(welfare_check, tmp_path / "b.jsonl", seed=2))
    assert (a[0]["type"], a[0]["seed"], b[0]["seed"]) == ("SessionStarted", 1, 2)
    assert a[1:] != b[1:]


@pytest.mark.parametrize("name", ["good", "poor"])
def test_replaying_a_journals_inputs_gives_the_same_journal(welfare_check, tmp_path, name):
    path = play_script(welfare_check, tmp_path / "j.jsonl", seed=77, name=name)
    assert replay(welfare_check, read_journal(path)).text() == path.read_text(encoding="utf-8")


def test_a_replay_of_a_session_the_instructor_ended_ends_the_same_way(welfare_check):
    journal = MemoryJournal()
    steps = {45: Escalate(amount=0.25), 300: Escalate(amount=0.1, subject="dale")}

    def feed(sim):
        if sim.clock.step in steps:
            sim.submit(steps[sim.clock.step])
        if sim.clock.step == 400:
            sim.submit(EndSession(by="instructor", reason="enough"))

    play(welfare_check, journal, seed=5, feed=feed)
    assert journal.records()[-1]["reason"] == "enough"
    assert replay(welfare_check, journal.records()).text() == journal.text()


def test_an_instructor_nudge_with_many_decimals_replays_exactly(welfare_check):
    journal = MemoryJournal()

    def feed(sim):
        if sim.clock.step == 10:
            sim.submit(Escalate(amount=0.123456789))
        if sim.clock.step == 20:
            sim.submit(EndSession(reason="done"))

    play(welfare_check, journal, seed=3, feed=feed)
    assert replay(welfare_check, journal.records()).text() == journal.text()


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_good_approach_ends_with_dale_accepting_help(welfare_check, tmp_path, seed):
    records = read_journal(play_script(welfare_check, tmp_path / "j.jsonl", seed=seed))
    assert outcome(records) == ("accepts_help", "resolved_peacefully")
    assert records[-1]["type"] == "SessionEnded"
    assert (records[-1]["reason"], records[-1]["ending"]) == ("scenario_ended", "accepts_help")


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_poor_approach_ends_with_dale_fleeing_or_the_officer_hurt(welfare_check, tmp_path, seed):
    records = read_journal(play_script(welfare_check, tmp_path / "j.jsonl", seed=seed, name="poor"))
    ending, result = outcome(records)
    assert result in ("subject_fled", "officer_hurt")
    assert records[-1]["ending"] == ending
    assert not any(r["type"] == "SubjectGoalChanged" and r["goal"] == "comply" for r in records)
