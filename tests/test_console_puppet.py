"""Puppeteering and speaking as from the instructor's console, without Panda3D: the lines menu
(a digit, the arrows and Enter, Escape), a bad line refused in one line, the speak-as keys held
driving the instructor's voice with real audio, and what reaches the journal."""

from __future__ import annotations

import pytest

from game.content import load_scenario
from game.content.bindings import load_bindings
from game.content.library import package_dir
from game.core import MemoryJournal, Simulation
from game.live.console import ConsoleModel

SCENARIOS = package_dir("scenarios")


def console_and_sim(name="welfare_check"):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml").scenario
    keys = load_bindings(package_dir("input") / "instructor.yaml", device="instructor",
                         shared_with=load_bindings(package_dir("input") / "desktop.yaml", device="desktop"))
    console = ConsoleModel(keys, scenario, clock=lambda: 0.0)
    sim = Simulation(scenario, seed=1, journal=MemoryJournal())
    console.attach(sim)
    sim.run_for(0.3)
    return console, sim


def step(console, sim):
    console.feed(sim)
    sim.step()


def puppeted(sim):
    return [(r["subject"], r["line"], r["text"]) for r in sim.journal.records()
            if r["type"] == "SubjectSaid" and r.get("instructor") == "puppet"]


def test_the_lines_key_opens_the_subjects_lines_and_a_digit_makes_it_say_that_one():
    console, sim = console_and_sim()
    console.press("puppet_menu")
    menu = console.state.menu
    assert menu is not None and console.focus.captured
    assert menu.rows()[0] == "Dale Porter says ... (page 1/3)"
    assert menu.rows()[1] == "> 1 reply: What do you want?"
    console.press("escalate")  # the keyboard is the menu's while it is open
    console.typed("3")
    assert console.state.menu is None
    step(console, sim)
    assert puppeted(sim) == [("dale", "reply", "Yeah. I heard you.")]
    assert [r["type"] for r in sim.journal.records() if r["source"] == "instructor"] == ["Puppet"]


def test_the_arrows_move_through_the_pages_and_enter_says_the_line_under_the_cursor():
    console, sim = console_and_sim()
    console.press("puppet_menu")
    for _ in range(10):
        console.entry_key("arrow_down")
    menu = console.state.menu
    assert menu.page_start == 9 and menu.rows()[0].endswith("(page 2/3)")
    chosen = menu.chosen()
    console.entry_key("enter")
    step(console, sim)
    assert puppeted(sim) == [("dale", chosen.line, chosen.text)]


def test_escape_closes_the_menu_and_says_nothing():
    console, sim = console_and_sim()
    console.press("puppet_menu")
    console.entry_key("escape")
    assert console.state.menu is None
    console.poll()
    assert not console.focus.captured
    step(console, sim)
    assert puppeted(sim) == []


def test_a_line_the_subject_does_not_have_is_refused_in_one_line_and_nothing_is_journaled():
    console, sim = console_and_sim()
    assert console.puppet("dale", "ask_nmae") is False
    message = console.state.messages[-1]
    assert (message.kind, message.text) == ("refused", "Dale Porter has no line 'ask_nmae' (did you mean 'ask_name'?)")
    assert console.puppet("dale", "ask_name") is True
    step(console, sim)
    assert puppeted(sim) == [("dale", "ask_name", "Dale. It's Dale.")]


def test_without_a_microphone_the_speak_as_keys_say_so_once_and_nothing_is_journaled():
    console, sim = console_and_sim()
    console.press("speak_as_subject")
    console.release("speak_as_subject")
    assert console.state.messages[-1].text == "no microphone: speaking as a subject or dispatch is off"
    step(console, sim)
    assert not [r for r in sim.journal.records() if r["source"] == "instructor"]


def test_holding_the_speak_as_key_speaks_as_the_chosen_subject_and_letting_go_journals_it(tmp_path):
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        pytest.skip("pocketsphinx is not installed (pip install 'talkdown[voice]')")
    from game.voice.synth import espeak, synthesize, with_noise

    if espeak() is None:
        pytest.skip("espeak-ng is not installed")
    from game.voice.hear import create_listener
    from game.voice.instructor_voice import InstructorVoice

    console, sim = console_and_sim()
    voice = InstructorVoice(create_listener(free=False), console.scenario, lambda: tmp_path)
    console.voice = voice
    try:
        pcm = with_noise(synthesize("put your hands up"), seed=3)
        console.press("speak_as_subject")
        assert console.state.speaking == "Dale Porter"
        for i in range(0, len(pcm), 960):
            voice.push(pcm[i:i + 960])
        console.release("speak_as_subject")
        voice.wait()
        voice.feed(sim)
        sim.step()
    finally:
        voice.close()
    (spoke,) = [r for r in sim.journal.records() if r["type"] == "SpeakAs"]
    assert (spoke["voice"], spoke["at"], spoke["audio"]) == ("dale", 0.3, "voice/0001-dale.wav")
    assert console.state.speaking == "" and (tmp_path / spoke["audio"]).is_file()
