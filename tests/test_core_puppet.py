"""The instructor's voice in the core: a puppeted line is the subject's own authored line,
said at the step the instructor picked it; speaking as a subject or as dispatch is journaled
with its words (or "instructor spoke as …") and its recording; bad names are refused in one
line; every journal replays byte for byte."""

from __future__ import annotations

import pytest

from game.content import load_scenario
from game.content.library import package_dir
from game.core import MemoryJournal, Simulation
from game.core.controls import Hands, events_for
from game.core.events import Puppet, SpeakAs
from game.core.puppet import line_menu, line_problem
from game.core.replay import replay
from game.core.seats import SeatError

SCENARIOS = package_dir("scenarios")


@pytest.fixture(scope="module")
def welfare():
    return load_scenario(SCENARIOS / "welfare_check.yaml").scenario


def started(scenario, seconds=0.5):
    sim = Simulation(scenario, seed=5, journal=MemoryJournal())
    sim.run_for(seconds)
    return sim


def records(sim, *types):
    return [r for r in sim.journal.records() if r["type"] in types]


def test_a_puppeted_line_is_said_in_the_next_step_with_its_authored_text_and_marked_as_the_instructors(welfare):
    sim = started(welfare)
    step = sim.clock.step
    (event,) = events_for("puppet", Hands(), subject="dale", line="ask_what_happened", variant=1)
    sim.submit(event)
    sim.step()
    (puppet,) = records(sim, "Puppet")
    said = [r for r in records(sim, "SubjectSaid") if r.get("instructor") == "puppet"]
    assert (puppet["step"], puppet["source"], puppet["line"], puppet["variant"]) == (step, "instructor",
                                                                                   "ask_what_happened", 1)
    assert len(said) == 1 and said[0]["step"] == step
    assert (said[0]["subject"], said[0]["line"], said[0]["text"]) == ("dale", "ask_what_happened",
                                                                      "Nothing happened. Everything happened.")
    assert said[0]["tone"] in ("normal", "shout")


def test_the_menu_lists_every_text_of_every_line_of_the_subject_in_file_order(welfare):
    menu = line_menu(welfare, "dale")
    assert [(m.line, m.variant) for m in menu[:4]] == [("reply", 0), ("reply", 1), ("reply", 2), ("reply_agitated", 0)]
    assert menu[0].text == "What do you want?"
    assert line_menu(welfare, "nobody") == []


@pytest.mark.parametrize("subject,line,variant,words", [
    ("dale", "ask_whta_happened", 0, "Dale Porter has no line 'ask_whta_happened' (did you mean 'ask_what_happened'?)"),
    ("dael", "reply", 0, "no subject 'dael' in the scenario (did you mean 'dale'?)"),
    ("dale", "ask_name", 3, "Dale Porter's line 'ask_name' has 1 text(s): variant 3 is not one of 0..0"),
])
def test_a_bad_line_subject_or_variant_is_refused_in_one_line_before_anything_is_journaled(welfare, subject, line,
                                                                                            variant, words):
    sim = started(welfare)
    before = len(sim.journal.records())
    assert line_problem(welfare, subject, line, variant) == words
    with pytest.raises(ValueError) as err:
        sim.submit(Puppet(subject=subject, line=line, variant=variant))
    assert str(err.value) == words
    sim.step()
    assert not [r for r in sim.journal.records()[before:] if r["source"] == "instructor" or r.get("instructor")]


def test_only_the_instructor_may_puppet_or_speak_as(welfare):
    sim = started(welfare)
    with pytest.raises(SeatError):
        sim.submit(Puppet(subject="dale", line="reply", by="officer:1"))
    with pytest.raises(SeatError):
        sim.submit(SpeakAs(voice="dispatch", by="officer:1"))


def test_words_spoken_as_the_subject_and_understood_become_its_line_and_the_rest_only_the_journals(welfare):
    sim = started(welfare)
    sim.submit(SpeakAs(voice="dale", text="leave me alone", understood=True, audio="voice/0001-dale.wav",
                       seconds=1.23456, at=0.2))
    sim.step()
    sim.submit(SpeakAs(voice="dale", text="instructor spoke as Dale Porter", audio="voice/0002-dale.wav", seconds=0.8))
    sim.submit(SpeakAs(voice="dispatch", text="all units, be advised", understood=True, audio="voice/0003-dispatch.wav",
                       seconds=2.0))
    sim.step()
    spoke = records(sim, "SpeakAs")
    assert [(r["voice"], r["text"], r["understood"], r["audio"]) for r in spoke] == [
        ("dale", "leave me alone", True, "voice/0001-dale.wav"),
        ("dale", "instructor spoke as Dale Porter", False, "voice/0002-dale.wav"),
        ("dispatch", "all units, be advised", True, "voice/0003-dispatch.wav")]
    assert spoke[0]["seconds"] == 1.2346 and spoke[0]["at"] == 0.2
    said = [r for r in records(sim, "SubjectSaid") if r.get("instructor")]
    assert [(r["subject"], r["line"], r["text"], r["instructor"]) for r in said] == [
        ("dale", "instructor", "leave me alone", "voice")]


@pytest.mark.parametrize("event,words", [
    (SpeakAs(voice="dael"), "cannot speak as 'dael': neither 'dispatch' nor a subject (dale)"),
    (SpeakAs(voice="dale", audio="../../etc/passwd"), "a SpeakAs recording is 'voice/NAME.wav' in the run folder"),
    (SpeakAs(voice="dale", seconds=float("nan")), "a SpeakAs lasts 0..3600 seconds"),
])
def test_a_speak_as_naming_nobody_or_a_file_outside_the_run_folder_is_refused(welfare, event, words):
    sim = started(welfare)
    with pytest.raises(ValueError) as err:
        sim.submit(event)
    assert str(err.value).startswith(words)


def test_a_journal_with_puppeted_lines_and_speech_replays_byte_for_byte(welfare):
    sim = started(welfare)
    sim.submit(Puppet(subject="dale", line="reply_agitated", variant=1, tone="shout"))
    sim.run_for(0.5)
    sim.submit(SpeakAs(voice="dale", text="fine", understood=True, audio="voice/0001-dale.wav", seconds=0.5, at=0.9))
    sim.run_for(1.0)
    copy = MemoryJournal()
    replay(welfare, sim.journal.records(), copy)
    assert copy.lines[: len(sim.journal.lines)] == sim.journal.lines


# ------------------------------------------------------------------ scripted puppeteering


def _script(tmp_path, body):
    path = tmp_path / "scripts" / "puppet.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("format_version: 1\nscenario: welfare_check\nactions:\n" + body)
    return path


def test_a_scripted_puppet_line_is_said_at_its_time_as_the_instructors(tmp_path, welfare):
    from game.content.script import load_script_for, subject_lines
    from game.core.drivers import ScriptedTrainee

    path = _script(tmp_path, "  - {at: 1.0, instructor: puppet, subject: dale, line: ask_what_happened, variant: 1}\n")
    script = load_script_for(path, ["dale"], [b.id for b in welfare.branches], subject_lines(welfare))
    sim = Simulation(welfare, seed=5, journal=MemoryJournal())
    trainee = ScriptedTrainee(script)
    for _ in range(int(1.5 * sim.clock.hz)):
        trainee.feed(sim)
        sim.step()
    (said,) = [r for r in records(sim, "SubjectSaid") if r.get("instructor") == "puppet"]
    assert said["text"] == "Nothing happened. Everything happened." and 1.0 <= said["time"] < 1.1


def test_a_script_puppeting_a_line_the_subject_lacks_is_a_located_problem(tmp_path, welfare):
    from game.content.errors import ContentError
    from game.content.script import check_script, load_script_for, subject_lines

    path = _script(tmp_path, "  - {at: 1.0, instructor: puppet, subject: dale, line: ask_nmae}\n"
                             "  - {at: 2.0, instructor: puppet, subject: dale, line: ask_name, variant: 2}\n"
                             "  - {at: 3.0, instructor: puppet, subject: dale}\n")
    with pytest.raises(ContentError) as err:
        load_script_for(path, ["dale"], [], subject_lines(welfare))
    assert [str(p).split("puppet.yaml:")[1] for p in err.value.problems] == [
        "6:5: actions[2]: 'instructor: puppet' needs 'line'"]
    path.write_text(path.read_text().replace("  - {at: 3.0, instructor: puppet, subject: dale}\n", ""))
    problems = [str(p).split("puppet.yaml:")[1] for p in check_script(path)]
    assert problems == [
        "4:50: actions[0].line: subject 'dale' has no line 'ask_nmae' (did you mean 'ask_name'?)",
        "5:66: actions[1].variant: line 'ask_name' of 'dale' has 1 text(s): variant 2 is not one of 0..0"]
