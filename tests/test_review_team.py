"""The review of a call worked with a partner officer: it credits the trainee who stepped in
on a partner going too far, faults one who did not, and lists the partner's acts apart."""

from __future__ import annotations

from game.core.events import Say
from game.review.load import review_run
from game.review.report import render_html
from review_support import record_run


def test_stepping_in_at_once_is_credited_and_scores_the_duty_to_intervene(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "duty_to_intervene", "good"))
    assert rv.outcome == "resolved_peacefully" and rv.team is not None
    (episode,) = rv.team.episodes
    assert episode.verdict == "prompt" and episode.officer == "officer:2" and episode.subject == "marcus"
    assert episode.stopped[1:] == ("trainee", "said it") and 0 < episode.response <= 5.0
    assert any("Stepped in on Officer Kerr" in x and "duty to intervene" in x for x in rv.went_well)
    assert any("Led Officer Kerr" in x for x in rv.went_well)
    assert rv.team.score == 1.0 and {x["id"] for x in rv.look_for if x["met"]} >= {"stepped_in", "repaired"}
    html = render_html(rv)
    assert "The team and the duty to intervene" in html and "stopped after" in html
    assert "officer 2" in html  # "Each officer": the partner's acts apart from the trainee's
    assert any(e.who == "officer:2" and e.kind == "OfficerSaid" and "(slur)" in e.text for e in rv.timeline)


def test_not_stepping_in_is_faulted_and_costs_the_score(tmp_path):
    good = review_run(record_run(tmp_path / "good", "duty_to_intervene", "good"))
    rv = review_run(record_run(tmp_path / "poor", "duty_to_intervene", "poor"))
    assert rv.outcome == "officer_hurt"
    (episode,) = rv.team.episodes
    assert episode.verdict == "none" and episode.stopped is None and len(episode.acts) >= 2
    assert any("Did not intervene when Officer Kerr went too far" in x for x in rv.work_on)
    assert rv.team.score == 0.0 and rv.score < good.score
    assert "nobody intervened" in render_html(rv)


def test_stepping_in_late_is_named_late(tmp_path):
    def feed(sim):
        if abs(sim.now - 19.0) < 1e-6:
            sim.submit(Say(intent="intervene", tone="shout"))

    rv = review_run(record_run(tmp_path / "run", "duty_to_intervene", "poor", feed=feed))
    (episode,) = rv.team.episodes
    assert episode.verdict == "late" and episode.response > 5.0
    assert any("only" in x and "intervene at once" in x for x in rv.work_on)


def test_a_call_without_a_partner_has_no_team_part(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "welfare_check", "good"))
    assert rv.team is None and "duty to intervene" not in render_html(rv)
