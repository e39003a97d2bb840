"""A subject who answers: what it knows and tells (by intent or by topic words, as its
trust and agitation allow), refusals, lies, "doesn't know", being asked three times, its
name used, promises kept and broken — through the Simulation, and from scenario files
with located errors."""

from __future__ import annotations

import shutil
from types import MappingProxyType

import pytest

from game.content.errors import ContentError
from game.content.scenario import load_scenario
from game.core import MemoryJournal, Simulation
from game.core.events import Move, Say, SpeechHeard, Touch
from game.core.knowledge import FactDef
from game.core.scenario import Profile, ScenarioDef, SubjectDef

STILL = Profile(baseline_agitation=0.3, baseline_trust=0.2, recovery=0.0, postures=((0.0, "relaxed"),))
KNOWS = (
    FactDef(id="name", tells="Dale. It's Dale.", trust=0.1, refuses="Why do you need my name?"),
    FactDef(id="medications", tells="I take lithium.", trust=0.5, lie="Nothing. I don't take anything."),
    FactDef(id="what_happened", tells="They fired me.", trust=0.5),
    FactDef(id="others", doesnt_know="I don't know who's inside."),
)


def start(trust=0.2, agitation=0.3, trainee=(0.0, -6.0), lines=None):
    profile = Profile(baseline_agitation=agitation, baseline_trust=trust, recovery=0.0, postures=((0.0, "relaxed"),))
    dale = SubjectDef(id="dale", name="Dale Porter", position=(0.0, 0.0), heading=180.0, profile=profile, knows=KNOWS,
                      lines=MappingProxyType({k: (v,) for k, v in (lines or {}).items()}))
    sc = ScenarioDef(id="inline", title="Inline", scene="none", subjects=(dale,), endings=(),
                     trainee_position=trainee, trainee_heading=0.0)
    sim = Simulation(sc, seed=3, journal=MemoryJournal())
    sim.step()
    return sim


def say(sim, *events, steps=200):
    for e in events:
        sim.submit(e)
    for _ in range(steps):  # two seconds: past the gap between two lines
        sim.step()


def answers(sim):
    return [(r["fact"], r["answer"], r["text"]) for r in sim.journal.records() if r["type"] == "SubjectAnswered"]


def said(sim):
    return [r["text"] for r in sim.journal.records() if r["type"] == "SubjectSaid"]


def test_asked_with_trust_high_enough_the_subject_tells_and_says_it():
    sim = start(trust=0.6)
    say(sim, Say(intent="ask_name", text="what's your name"))
    assert answers(sim) == [("name", "told", "Dale. It's Dale.")]
    assert said(sim)[-1] == "Dale. It's Dale."


def test_with_trust_low_the_subject_refuses_or_tells_the_authors_lie():
    sim = start(trust=0.2)
    say(sim, Say(intent="ask_what_happened", text="what happened"),
        SpeechHeard(text="do you take any medication"))
    assert answers(sim) == [("what_happened", "refused", "I don't want to talk about that."),
                            ("medications", "lied", "Nothing. I don't take anything.")]


def test_topic_words_ask_even_when_no_intent_was_understood_and_a_fact_it_does_not_know_is_said_so():
    sim = start(trust=0.9)
    say(sim, SpeechHeard(text="is there anybody else inside the house"))
    say(sim, Say(intent="offer_help", text="are you on any meds right now"))
    assert answers(sim) == [("others", "doesnt_know", "I don't know who's inside."),
                            ("medications", "told", "I take lithium.")]


def test_agitated_the_subject_will_not_tell_what_it_would_tell_when_calm():
    sim = start(trust=0.6, agitation=0.95)
    fact = FactDef(id="x", words=("x",), tells="yes", calm=0.9)
    sim.minds[0].conversation.facts = (fact,)
    say(sim, SpeechHeard(text="x"))
    assert answers(sim)[0][1] == "refused"


def test_asked_the_same_thing_three_times_the_subject_is_irritated():
    sim = start(trust=0.2)
    a0 = sim.minds[0].state.agitation
    for _ in range(3):
        say(sim, Say(intent="ask_what_happened", text="what happened"))
    assert [a[1] for a in answers(sim)] == ["refused", "refused", "irritated"]
    assert said(sim)[-1] == "I already told you!"
    causes = [r["cause"] for r in sim.journal.records() if r["type"] == "SubjectReacted"]
    assert "asked_again:what_happened" in causes
    assert sim.minds[0].state.agitation > a0


def test_using_the_subjects_name_warms_it_once_in_a_while():
    sim = start()
    say(sim, SpeechHeard(text="Dale, I hear you"), SpeechHeard(text="Dale, I'm here"))
    causes = [r["cause"] for r in sim.journal.records() if r["type"] == "SubjectReacted"]
    assert causes.count("name_used") == 1
    say(sim, SpeechHeard(text="nothing with a name"))
    assert [r["cause"] for r in sim.journal.records() if r["type"] == "SubjectReacted"].count("name_used") == 1


def test_a_promise_to_stay_back_broken_by_walking_up_is_remembered_and_said():
    sim = start(trainee=(0.0, -8.0))
    say(sim, Say(intent="give_space", text="I'll stay right here, okay?"))
    say(sim, Move(position=(0.0, -4.0), heading=0.0))
    causes = [r["cause"] for r in sim.journal.records() if r["type"] == "SubjectReacted"]
    assert "promise_broken:keep_distance" in causes
    assert "You said you'd stay back!" in said(sim)


def test_a_promise_kept_for_half_a_minute_earns_trust_and_a_broken_no_touch_promise_is_said():
    sim = start(trainee=(0.0, -8.0))
    say(sim, SpeechHeard(text="I'm not going to come any closer"), steps=90 * 31)
    assert any(r["cause"] == "promise_kept:keep_distance" for r in sim.journal.records() if r["type"] == "SubjectReacted")
    sim2 = start(trainee=(0.0, -0.6))
    say(sim2, SpeechHeard(text="I won't touch you"))
    say(sim2, Touch(hand="left"))
    assert "You said you wouldn't touch me!" in said(sim2)


def test_the_shipped_scenarios_know_things_and_a_fact_nobody_can_ask_about_is_a_located_error(tmp_path):
    sc = load_scenario("scenarios/bridge_crisis.yaml").scenario
    assert {"name", "what_happened", "medications", "others"} <= {f.id for f in sc.subjects[0].knows}
    text = open("scenarios/welfare_check.yaml", encoding="utf-8").read()
    bad = text.replace("      - {id: car, words: [car, hatchback, \"your car\"],", "      - {id: car_thing,")
    assert bad != text
    (tmp_path / "welfare_check.yaml").write_text(bad.replace("default_script: scripts/welfare_check_good.yaml\n", ""))
    shutil.copytree("scenarios/library", tmp_path / "library")
    with pytest.raises(ContentError) as err:
        load_scenario(tmp_path / "welfare_check.yaml")
    msg = "\n".join(str(p) for p in err.value.problems)
    assert "welfare_check.yaml:" in msg and "subjects[0].knows[6].id: nobody can ask about 'car_thing'" in msg


def test_the_review_lists_what_was_found_out_and_never_asked_and_quotes_words_not_understood(tmp_path):
    from game.review.load import review_run
    from game.review.report import render_html
    from review_support import record_run

    asked = []

    def feed(sim):
        if not asked and sim.now > 3.0:
            asked.append(1)
            sim.submit(SpeechHeard(text="Um, do you take any medication?"))

    run = record_run(tmp_path / "run", "bridge_crisis", "good", feed=feed)
    rv = review_run(run)
    facts = {x["fact"]: x["answer"] for x in rv.found_out}
    assert facts.get("name") == "told" and "what_happened" in facts
    assert facts.get("medications") in ("lied", "refused")  # asked before she trusts the officer
    assert "weapon" in rv.never_asked["claire"]
    assert rv.first_words == "Um, do you take any medication?"
    page = render_html(rv, run)
    assert "What the trainee found out" in page and "never asked: " in page and "not understood" in page


def test_narration_is_marked_shown_and_never_voiced_by_the_line_tool(tmp_path):
    import sys

    from game.content.scenario import check_scenario
    from game.voice.lines import audio_for
    from game.core.events import SubjectSaid
    sys.path.insert(0, "tools")
    from make_voice_lines import lines_of

    deaf = load_scenario("scenarios/deaf_subject.yaml").scenario
    assert all(v.narration for vs in deaf.subjects[0].lines.values() for v in vs)
    assert lines_of(deaf) == []  # the deaf subject says nothing aloud
    shop = load_scenario("scenarios/juvenile_shoplifter.yaml").scenario
    texts = [t for _, t in lines_of(shop)]
    assert "Hi." in texts and not any("kerb" in t for t in texts)
    frown = SubjectSaid(subject="daniel", line="cannot_hear", text="He frowns at your moving lips.", narration=True)
    (tmp_path / "voices").mkdir()
    assert audio_for(frown, "deaf_subject", "scenarios/deaf_subject.yaml", assets=tmp_path) is None
    # an unmarked line in parentheses is a warning with its place
    src = open("scenarios/juvenile_shoplifter.yaml", encoding="utf-8").read()
    bad = src.replace('{text: "He kicks at the kerb, pretending not to notice you.", narration: true}',
                      '"(He kicks at the kerb.)"')
    assert bad != src
    (tmp_path / "juvenile_shoplifter.yaml").write_text(bad.replace("default_script: scripts/juvenile_shoplifter_good.yaml\n", ""))
    shutil.copytree("scenarios/library", tmp_path / "library")
    warnings = [str(p) for p in check_scenario(tmp_path / "juvenile_shoplifter.yaml") if p.severity == "warning"]
    assert any("lines.casual[1]: this line looks like narration" in w for w in warnings), warnings


def test_the_console_line_says_what_has_been_learned_refused_lied_about_and_not_asked():
    from game.core.knowledge import learned_line

    sim = start(trust=0.3)
    assert learned_line(sim.minds[0].conversation) == "nothing yet; not asked: name, medications, what happened, others"
    say(sim, Say(intent="ask_name", text="what's your name"), SpeechHeard(text="any pills today?"))
    say(sim, Say(intent="ask_what_happened", text="what happened"))
    assert learned_line(sim.minds[0].conversation) == \
        "name; lied about: medications; won't say: what happened; not asked: others"


def test_the_deaf_subject_answers_written_notes_by_typing_and_never_hears_a_spoken_question():
    deaf = load_scenario("scenarios/deaf_subject.yaml").scenario
    daniel = deaf.subjects[0]
    assert {"name", "what_happened", "others", "weapon", "wants", "hurt"} <= {f.id for f in daniel.knows}
    assert all(f.narration for f in daniel.knows)
    sim = Simulation(deaf, seed=3, journal=MemoryJournal())
    sim.submit(Move(position=(1.0, -4.5), heading=0.0))  # in his sight, beyond his comfort distance
    sim.step()
    say(sim, Say(intent="ask_what_happened", tone="normal", text="Did you lose your dog?"))
    assert answers(sim) == []  # spoken: it never reaches him
    say(sim, Say(intent="write_note", tone="calm", text="(writes) Are you OK? Did you lose your dog?"))
    got = answers(sim)
    assert [a[0] for a in got] == ["hurt"] and got[0][1] == "told"
    (line,) = [r for r in sim.journal.records() if r["type"] == "SubjectSaid" and r["line"].startswith("knows.")]
    assert line["narration"] is True and "thumbs-up" in line["text"]
