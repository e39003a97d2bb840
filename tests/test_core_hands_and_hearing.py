"""What the subject perceives: words it could not hear, and tools that only change hands."""

from __future__ import annotations

from game.core.events import Draw, Move, Say
from game.core.scenario import EndingDef, Profile

from test_core_subject import records_of, reactions, scenario, start, submit_and_step

CALM = Profile(baseline_agitation=0.1, baseline_trust=0.9, postures=((0.0, "relaxed"),))
ACCEPTS_HELP = EndingDef(id="accepts_help", outcome="resolved_peacefully",
                         when={"said_within": {"intents": ["offer_help"], "seconds": 5}})


def test_an_offer_of_help_the_subject_could_not_hear_does_not_end_the_call():
    sim, journal = start(scenario(profile=CALM, endings=[ACCEPTS_HELP], trainee=(0.0, -30.0)))
    submit_and_step(sim, Say(intent="offer_help", tone="normal"))
    sim.run_for(1.0)
    assert records_of(journal, "ScenarioEnded") == []
    assert reactions(journal, "said:") == []


def test_the_same_offer_within_hearing_ends_the_call_peacefully():
    sim, journal = start(scenario(profile=CALM, endings=[ACCEPTS_HELP], trainee=(0.0, -8.0)))
    submit_and_step(sim, Say(intent="offer_help", tone="normal"))
    sim.run_for(0.1)
    assert records_of(journal, "ScenarioEnded")[0]["outcome"] == "resolved_peacefully"


def test_moving_a_drawn_tool_to_the_other_hand_is_not_a_second_draw():
    sim, journal = start(scenario(trainee=(0.0, -6.0)))
    submit_and_step(sim, Draw(tool="cew", hand="right"))
    submit_and_step(sim, Draw(tool="cew", hand="left"))
    assert sim.trainee.hands == {"left": "cew", "right": ""}
    assert len(reactions(journal, "tool_drawn:cew")) == 1


def test_a_shout_carries_further_than_a_calm_word():
    sim, journal = start(scenario(trainee=(0.0, -20.0)))
    submit_and_step(sim, Say(intent="greet", tone="calm"))
    submit_and_step(sim, Say(intent="command_stop", tone="shout"))
    causes = [r["cause"] for r in reactions(journal, "said:")]
    assert causes == ["said:command_stop:shout"]
    submit_and_step(sim, Move(position=(0.0, -5.0), heading=0.0))
    submit_and_step(sim, Say(intent="greet", tone="calm"))
    assert reactions(journal, "said:greet:calm")


def test_said_within_any_counts_any_phrase_the_subject_heard():
    ending = EndingDef(id="talked", outcome="resolved_peacefully", when={"said_within": "any"})
    sim, journal = start(scenario(profile=CALM, endings=[ending], trainee=(0.0, -8.0)))
    sim.run_for(0.5)
    assert records_of(journal, "ScenarioEnded") == []
    submit_and_step(sim, Say(intent="listen", tone="calm"))
    sim.run_for(0.05)  # the tree (and the endings) are looked at 30 times a second
    assert [r["ending"] for r in records_of(journal, "ScenarioEnded")] == ["talked"]
