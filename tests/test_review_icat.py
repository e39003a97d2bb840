"""The ICAT Critical Decision-Making Model in the review: the trainee's events tagged to its
five steps from real scripted sessions, and what a step with nothing in it says."""

from __future__ import annotations

from game.content.library import package_dir
from game.content.scenario import load_scenario
from game.content.script import load_script
from game.core.drivers import ScriptedTrainee
from game.review.icat import NOTHING
from game.review.load import review_run
from game.review.report import render_html
from game.session import Session
from review_support import record_run


def run_script(run_dir, scenario_id, actions):
    """Records ``actions`` (script lines) against a shipped scenario to its end."""
    script = run_dir.parent / "script.yaml"
    script.write_text(f"format_version: 1\ntitle: test\nscenario: {scenario_id}\nactions:\n"
                      + "".join(f"  - {a}\n" for a in actions), encoding="utf-8")
    loaded = load_scenario(package_dir("scenarios") / f"{scenario_id}.yaml")
    session = Session(loaded, seed=1, run_dir=run_dir, providers=[ScriptedTrainee(load_script(script))], duration=30.0,
                      trainee="Alex Doe", meta={"mode": "test"})
    while not session.done:
        session.step()
    session.close("completed")
    return run_dir


def test_a_good_knife_call_tags_the_weapon_seen_the_options_taken_and_the_answer_to_the_dropped_knife(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "knife_parking_lot", "good"))
    assert "0.0 s: aaron's knife out, 13.5 m away" in rv.icat[2]
    assert any(x.startswith("0.5 s: first words from 13.5 m") for x in rv.icat[2])
    assert {"0.5 s: call backup", "3.0 s: call crisis team"} <= set(rv.icat[4])
    assert not rv.icat[3]
    (drop,) = rv.icat[5]
    assert drop.startswith("58.0 s: aaron dropped the knife; the trainee answered 8.0 s later with calming: reassure")
    assert NOTHING[3] in render_html(rv)


def test_a_step_with_nothing_in_it_says_what_would_have_counted(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "bridge_crisis", "poor"))
    assert rv.icat[1] == [] and rv.icat[3] == []
    html = render_html(rv)
    assert NOTHING[1] in html and NOTHING[3] in html and "nothing recorded" not in html
    first = rv.icat[5][0]
    assert first.startswith("3.0 s: claire escalated (fists) — agitation rose (")
    assert "right after the trainee shouted “Ma'am! Police! Stop right there!”" in first
    assert "; the trainee answered 4.0 s later with a command" in first


def test_stepping_back_and_lowering_the_gun_count_as_options(tmp_path):
    rv = review_run(run_script(tmp_path / "run", "knife_parking_lot", [
        "{at: 0.5, walk_to: [1.5, -8.5], speed: 1.5}",
        "{at: 5.0, draw: firearm, hand: right}",
        "{at: 7.0, walk_to: [0.0, -14.0], speed: 1.5}",
        "{at: 6.5, ready: low, hand: right}",
    ]))
    (back,) = [x for x in rv.icat[4] if "stepped back" in x]
    assert back.startswith("7.") and "from aaron" in back
    metres = float(back.split("stepped back ")[1].split(" m")[0])
    assert 3.0 < metres < 7.5
    assert any(x.startswith("6.5 s: lowered the firearm to low ready") for x in rv.icat[4])


def test_a_change_in_the_subject_with_no_answer_says_so(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "knife_parking_lot", "poor"))
    assert all("answered" in x or "no words from the trainee" in x or "stayed out" in x for x in rv.icat[5])
