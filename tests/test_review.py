"""The after-action review, read from scripted runs of shipped scenarios: the events, numbers
and policy verdicts an instructor debriefs from; the policy file as data with located errors."""

from __future__ import annotations

import json

import pytest

from game.content.errors import ContentError
from game.content.policy import load_policy
from game.core.events import Escalate
from game.core.policy import resistance_level
from game.review.load import review_run
from game.review.report import render_html
from review_support import record_run


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def test_the_default_policy_allows_each_option_from_its_level_and_bars_it_under_its_conditions(policy):
    table = [
        # tool, level, facts, drawn, allowed
        ("firearm", "assaultive", {}, False, False),
        ("firearm", "deadly", {}, False, True),
        ("firearm", "active", {}, True, True),
        ("cew", "passive", {}, False, False),
        ("cew", "active", {}, False, True),
        ("cew", "active", {"facts": ("elevated",)}, False, False),
        ("cew", "active", {"scenarios": ("bridge_crisis",)}, False, True),  # a scenario is no fact about a subject
        ("baton", "assaultive", {"facts": ("frail",)}, False, False),
        ("cew", "active", {"facts": ("juvenile",)}, False, False),
        ("cew", "assaultive", {"appearances": ("elderly_man",)}, False, False),
        ("oc_spray", "active", {"triggers": ("confused",)}, False, False),
        ("oc_spray", "active", {}, False, True),
        ("touch", "passive", {}, False, True),
        ("touch", "compliant", {}, False, False),
        ("baton", "active", {}, False, False),
    ]
    got = [(tool, level, policy.verdict(tool, level, facts, drawn=drawn).allowed) for tool, level, facts, drawn, _ in table]
    assert got == [(tool, level, allowed) for tool, level, _, _, allowed in table]
    assert "fall" in policy.verdict("cew", "deadly", {"facts": ("elevated",)}).reason


def test_the_resistance_level_follows_posture_activity_weapon_attack_and_compliance():
    calm = {"posture": "relaxed", "activity": "idle", "goal": "stay", "compliance": 0.2, "weapon_out": False}
    table = [
        (calm, "none", None, "passive"),
        ({**calm, "compliance": 0.8}, "none", None, "compliant"),
        ({**calm, "posture": "hands_up"}, "none", None, "compliant"),
        ({**calm, "posture": "fists"}, "none", None, "active"),
        ({**calm, "activity": "flee"}, "none", None, "active"),
        ({**calm, "weapon_out": True}, "knife", None, "active"),
        ({**calm, "activity": "attack"}, "none", None, "assaultive"),
        ({**calm, "goal": "attack", "weapon_out": True}, "knife", None, "deadly"),
        (calm, "none", 9.0, "assaultive"),  # attacked a second ago
    ]
    assert [resistance_level(s, weapon=w, attacked_at=a, now=10.0) for s, w, a, _ in table] == [x[-1] for x in table]


def test_a_broken_policy_is_reported_with_file_line_and_key(tmp_path):
    text = open(load_policy().path, encoding="utf-8").read()
    bad = tmp_path / "policies" / "ours.yaml"
    bad.parent.mkdir()
    bad.write_text(text.replace("not_when: [elevated, elderly, juvenile]", "not_when: [elevated, on_bridge]"), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_policy(bad)
    (problem,) = err.value.problems
    line = next(i for i, x in enumerate(bad.read_text().splitlines(), 1) if "on_bridge" in x)
    assert (problem.line, problem.path) == (line, "options[4].not_when[1]")
    assert "unknown condition 'on_bridge'" in problem.message


def test_the_review_of_a_poor_knife_approach_shows_the_gap_closed_the_drawn_gun_and_no_look_for_met(tmp_path, policy):
    run = record_run(tmp_path / "run", "knife_parking_lot", "poor")
    rv = review_run(run)
    assert (rv.trainee, rv.instructor, rv.complete) == ("Alex Doe", "Sam Roe", True)
    assert (rv.first_words, rv.first_words_time) == ("Police!", 2.0)
    assert (rv.ending, rv.outcome) == ("officer_stabbed", "officer_hurt")
    assert rv.armed_present and rv.closest_armed < 1.0 and rv.time_inside_armed_gap > 2.0
    (force,) = rv.force
    assert (force.time, force.tool, force.action, force.level, force.allowed) == (5.0, "firearm", "drawn", "active", True)
    assert [x["met"] for x in rv.look_for] == [False] * 5
    assert any("attacked trainee" in label for _, label in rv.key_moments)
    assert any(line.startswith("5.0 s: aaron escalated (fists) — agitation rose")
               and "right after the trainee drew the firearm" in line
               and "; the trainee answered 2.0 s later with a command" in line for line in rv.icat[5])
    assert any("Shouted" in x for x in rv.work_on)
    html = render_html(rv)
    assert "officer_stabbed" in html and "Drop the knife! Drop it!" in html and "firearm drawn" in html
    assert html.count("<svg") == 4 and "reactionary gap" in html and "<script" not in html
    assert f"talkdown replay {run} --at SECONDS" in html


def test_a_cew_drawn_on_a_passive_driver_is_not_within_policy(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "traffic_stop", "poor"))
    cew = next(f for f in rv.force if f.tool == "cew")
    assert (cew.action, cew.level, cew.allowed) == ("drawn", "passive", False)
    assert "needs at least active resistance" in cew.reason
    assert any("cew drawn" in x for x in rv.work_on)
    assert "NOT within policy" in render_html(rv)


def test_a_good_bridge_crisis_review_meets_its_look_for_points_and_keeps_out_of_the_gap(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "bridge_crisis", "good"))
    assert rv.outcome == "resolved_peacefully" and rv.time_inside_gap == 0.0 and not rv.force
    met = [x["id"] for x in rv.look_for if x["met"]]
    assert met and all(x["time"] is not None for x in rv.look_for if x["met"])
    assert rv.score > 70 and any("No force" in x for x in rv.went_well)
    assert rv.icat[1] and rv.icat[4]  # questions asked; options used (crisis team)


def test_the_instructors_interventions_are_marked_as_the_instructors(tmp_path):
    done = []

    def feed(sim):
        if sim.now >= 3.0 and not done:
            sim.submit(Escalate(amount=0.3))
            done.append(1)

    rv = review_run(record_run(tmp_path / "run", "welfare_check", "good", feed=feed))
    (entry,) = [e for e in rv.timeline if e.who == "instructor"]
    assert entry.kind == "Escalate" and rv.instructor_actions == 1
    assert any("instructor intervened 1 time" in x for x in rv.work_on)
    assert '<tr class=instructor><td>3.0</td><td>INSTRUCTOR</td><td>Escalate</td>' in render_html(rv)


def test_a_journal_cut_mid_line_is_reviewed_up_to_its_last_complete_line(tmp_path):
    run = record_run(tmp_path / "run", "welfare_check", "good")
    journal = run / "journal.jsonl"
    data = journal.read_bytes()
    journal.write_bytes(data[: len(data) * 2 // 3])  # mid-line, no SessionEnded
    rv = review_run(run)
    assert not rv.complete and "cut short" in rv.finish_reason
    assert 'id=incomplete' in render_html(rv)


def test_the_journal_and_run_json_describe_themselves(tmp_path):
    run = record_run(tmp_path / "run", "welfare_check", "good", seed=4)
    start = json.loads((run / "journal.jsonl").read_text().splitlines()[0])
    info = json.loads((run / "run.json").read_text())
    assert start["journal_format"] == 1 and start["seed"] == 4 and start["scenario"] == "welfare_check"
    assert len(start["scenario_sha256"]) == 64 and start["software"] and start["trainee"] == "Alex Doe"
    assert (info["trainee"], info["instructor"], info["scenario"]["sha256"]) == ("Alex Doe", "Sam Roe", start["scenario_sha256"])


def test_talkdown_policy_names_the_agencys_policy_for_every_command_that_scores(tmp_path, monkeypatch):
    from game.content.policy import default_policy_path

    ours = tmp_path / "policies" / "ours.yaml"
    ours.parent.mkdir()
    text = open(default_policy_path(), encoding="utf-8").read()
    ours.write_text(text.replace("Default use-of-force policy", "Our agency's policy").replace(
        "    allowed_from: deadly\n    drawn_from: active", "    allowed_from: deadly\n    drawn_from: assaultive"))
    run = record_run(tmp_path / "run", "knife_parking_lot", "poor")
    assert review_run(run).force[0].allowed  # the example policy: drawing at active resistance is allowed
    monkeypatch.setenv("TALKDOWN_POLICY", str(ours))
    rv = review_run(run)
    assert rv.policy_title.startswith("Our agency's policy") and not rv.force[0].allowed
    assert "needs at least assaultive resistance" in rv.force[0].reason


def test_the_shipped_scenarios_state_the_facts_the_policy_needs():
    from game.content.library import package_dir
    from game.content.scenario import load_scenario

    facts = {sid: load_scenario(package_dir("scenarios") / f"{sid}.yaml").scenario.subjects[0].facts
             for sid in ("bridge_crisis", "dementia_welfare", "juvenile_shoplifter")}
    assert facts == {"bridge_crisis": ("elevated",), "dementia_welfare": ("elderly", "confused"),
                     "juvenile_shoplifter": ("juvenile",)}


def test_a_cew_fired_at_an_elderly_man_is_barred_by_the_policy_whatever_his_resistance(tmp_path):
    from game.core.events import Draw, Use

    def feed(sim):
        if abs(sim.now - 3.0) < 1e-6:
            sim.submit(Draw(tool="cew", hand="right"))
        if abs(sim.now - 4.0) < 1e-6:
            sim.submit(Use(hand="right"))

    rv = review_run(record_run(tmp_path / "run", "dementia_welfare", "good", feed=feed))
    used = [f for f in rv.force if f.tool == "cew" and f.action == "used"]
    assert used and not used[0].allowed and "elderly" in used[0].conditions
    assert "Elderly or visibly frail" in used[0].reason


@pytest.mark.parametrize("cut", [0, 10])
def test_a_journal_with_no_complete_first_line_is_a_one_line_error(tmp_path, capsys, cut):
    from game.cli import main

    run = record_run(tmp_path / "run", "welfare_check", "good")
    (run / "run.json").unlink()  # the scenario is then found from the journal's first line
    journal = run / "journal.jsonl"
    journal.write_bytes(journal.read_bytes()[:cut])
    assert main(["review", str(run)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the journal has no SessionStarted line" in err[0] and "Traceback" not in err[0]
