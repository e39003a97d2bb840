"""Puppeteering at the monitor through Panda3D's keys, rendered offscreen: F10 shows the chosen
subject's lines on the HUD, a digit makes the subject say one (journaled as the instructor's;
the trainee's keys on the same keyboard do not act), the speak-as keys without a microphone
say so on the HUD, and the legend names the new keys."""

from __future__ import annotations

import numpy as np
import pytest

from engine_support import offscreen_base
from test_instructor_console import Station

pytestmark = pytest.mark.render


@pytest.fixture(scope="module")
def base():
    with offscreen_base(480, 270) as b:
        yield b


@pytest.fixture
def station(base):
    s = Station(base, "welfare_check")
    s.step(45)
    yield s
    s.close()


def test_f10_shows_the_subjects_lines_and_a_digit_makes_it_say_one_while_the_trainees_keys_keep_still(station):
    shut = station.frame()
    station.press("f10")
    shown = station.frame()
    rows = station.hud.note_text.text.splitlines()
    assert rows[0] == "Dale Porter says ... (page 1/3)" and rows[2] == "  2 reply: I'm not doing anything wrong."
    assert np.abs(shown - shut).max(axis=2).mean() > 0.005, "the menu does not show on the monitor"
    station.press("2")  # the button a window sends with the character: the trainee's say_greet key
    station.base.messenger.send("keystroke", ["2"])
    station.step()
    assert station.records("Say") == []
    (puppet,) = station.records("Puppet")
    said = [r for r in station.records("SubjectSaid") if r.get("instructor") == "puppet"]
    assert (puppet["source"], puppet["line"], puppet["variant"]) == ("instructor", "reply", 1)
    assert [r["text"] for r in said] == ["I'm not doing anything wrong."]
    station.frame()
    assert station.hud.note_text.text == "" and station.console.state.menu is None
    assert "Dale says: I'm not doing anything wrong." in station.messages()
    station.step(2)
    station.press("2")
    station.step()
    assert len(station.records("Say")) == 1, "the trainee's keys work again once the menu is closed"


def test_the_speak_as_keys_without_a_microphone_say_so_and_the_legend_names_them(station):
    station.press("insert")
    station.press("insert-up")
    station.step()
    assert station.messages()[-1] == "no microphone: speaking as a subject or dispatch is off"
    assert station.records("SpeakAs") == []
    station.frame()
    legend = station.hud.legend.text
    assert "F10 subject's lines" in legend and "Ins hold: speak as subject" in legend and "Home hold: as dispatch" in legend


def test_while_the_speak_as_key_is_held_the_hud_says_whom_the_instructor_speaks_as(station, tmp_path):
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        pytest.skip("pocketsphinx is not installed (pip install 'talkdown[voice]')")
    from game.voice.hear import create_listener
    from game.voice.instructor_voice import InstructorVoice

    voice = InstructorVoice(create_listener(free=False), station.scenario, lambda: tmp_path)
    station.console.voice = voice
    try:
        station.press("home")
        station.frame()
        assert station.hud.paused.text == "SPEAKING AS DISPATCH" and voice.voice == "dispatch"
        station.press("home-up")
        station.press("insert")
        station.frame()
        assert station.hud.paused.text == "SPEAKING AS DALE PORTER" and voice.voice == "dale"
        station.press("insert-up")
        station.frame()
        assert station.hud.paused.text == "" and voice.voice == ""
    finally:
        voice.close()


def test_the_replays_read_only_hud_lists_puppeted_lines_and_speech_among_the_instructors_inputs(base):
    from game.content import load_scenario
    from game.content.library import package_dir
    from game.core.events import Puppet, SpeakAs
    from game.engine.console.hud import InstructorHud

    scenario = load_scenario(package_dir("scenarios") / "welfare_check.yaml").scenario
    hud = InstructorHud(base.win, scenario=scenario)
    try:
        hud.record(90, 1.0, Puppet(subject="dale", line="ask_name"))
        hud.record(180, 2.0, SpeakAs(voice="dale", text="instructor spoke as Dale Porter", seconds=1.25, audio="voice/0001-dale.wav"))
        hud.record(270, 3.0, SpeakAs(voice="dispatch", text="units be advised", understood=True, seconds=2.0))
        assert [line.split("  ", 1)[1] for line in hud.instructor_log] == [
            "made Dale say 'ask_name'", "spoke as Dale (1.2 s)", 'as dispatch: "units be advised"']
        assert "made Dale say 'ask_name'" in hud.legend.text
    finally:
        hud.destroy()
