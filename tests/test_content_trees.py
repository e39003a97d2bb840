"""Checking trees, branches, endings and libraries: located messages, reachability, no cascades."""

from __future__ import annotations

import textwrap

import pytest

from game.content import ContentError, load_scenario
from game.content.shared import check_library

BASE = """\
format_version: 1
id: call
title: A call
scene: parking_lot_night
time_limit: 120
{include}
subjects:
  - id: sam
    position: [0, 0]
    profile: {profile}
    tree:
{tree}
    lines:
      crowded: "Back off."
      calm_now: "Okay."
  - id: kim
    position: [3, 0]
{branches}
endings:
  - id: settled
    outcome: resolved_peacefully
    when: {{agitation_below: 0.2, trust_above: 0.6}}
{endings}
"""


def write(tmp_path, *, tree="      idle: true", branches="", endings="", profile="{}", include="", name="call"):
    text = BASE.format(tree=tree, branches=branches, endings=endings, profile=profile, include=include)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path, text


def problems(path):
    """The errors of a file (warnings, such as lines never said, left out)."""
    with pytest.raises(ContentError) as caught:
        load_scenario(path)
    return [p for p in caught.value.problems if p.severity == "error"]


def line_of(text, needle):
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def block(yaml_text, indent):
    return textwrap.indent(textwrap.dedent(yaml_text).strip("\n"), " " * indent)


def test_a_good_little_scenario_loads(tmp_path):
    path, _ = write(tmp_path, tree=block("selector: [{when: {trainee_within: 2}, do: {say: crowded}}, idle]", 6))
    assert load_scenario(path).scenario.subjects[0].tree is not None


def test_a_node_that_does_two_things_is_reported_where_it_is_written(tmp_path):
    path, text = write(tmp_path, tree=block("""
        sequence:
          - {say: crowded, wait: 2}
    """, 6))
    (p,) = problems(path)
    assert (p.line, p.path) == (line_of(text, "say: crowded, wait"), "subjects[0].tree.sequence[0]")
    assert "a node does one thing, this one has 2 things (say, wait)" in p.message and "list" in p.message


def test_when_without_do_says_what_is_missing(tmp_path):
    path, _ = write(tmp_path, tree=block("selector: [{when: {trainee_within: 2}}, idle]", 6))
    (p,) = problems(path)
    assert p.path == "subjects[0].tree.selector[0]" and "'when' needs a 'do'" in p.message


def test_a_line_the_tree_says_that_the_subject_lacks_is_reported_at_the_say(tmp_path):
    path, text = write(tmp_path, tree=block("say: crowdd", 6))
    (p,) = problems(path)
    assert (p.line, p.path) == (line_of(text, "say: crowdd"), "subjects[0].tree.say")
    assert "subject 'sam' has no lines 'crowdd' (did you mean 'crowded'?)" in p.message


def test_an_unknown_subtree_suggests_a_close_one_and_a_subtree_cannot_use_itself(tmp_path):
    path, _ = write(tmp_path, include="include: [common]", tree=block("use: wary_stnd", 6))
    (p,) = problems(path)
    assert p.path == "subjects[0].tree.use" and "no subtree 'wary_stnd' (did you mean 'wary_stand'?)" in p.message
    path, text = write(tmp_path, tree=block("use: loop_a", 6))
    path.write_text(text + "subtrees:\n  loop_a: {use: loop_b}\n  loop_b: {use: loop_a}\n")
    (p,) = problems(path)
    assert p.path == "subtrees.loop_b.use" and "subtree 'loop_a' uses itself (loop_a → loop_b → loop_a)" in p.message


def test_lines_said_inside_a_library_subtree_are_checked_where_the_subtree_is_used(tmp_path):
    path, text = write(tmp_path, include="include: [common]", tree=block("use: wary_stand", 6).replace("crowded", "x"))
    text = text.replace('      crowded: "Back off."\n', "")
    path.write_text(text)
    (p,) = problems(path)
    assert (p.line, p.path) == (line_of(text, "use: wary_stand"), "subjects[0].tree.use")
    assert "has no lines 'crowded'" in p.message and "(in subtree 'wary_stand')" in p.message


@pytest.mark.parametrize(("tree", "message"), [
    ("end: nowhere", "no ending 'nowhere' (endings: settled)"),
    ("draw_weapon: true", "subject 'sam' has no weapon to draw"),
    ("approach: {target: kym, distance: 1}", "'kym' is neither 'trainee' (the contact officer), 'officer:N' nor a subject (did you mean 'kim'?)"),
    ("check: {flag: ready}", "no behaviour of subject 'sam' sets flag 'ready'"),
    ("check: {other: {subject: bob, agitation_above: 0.5}}", "no subject 'bob'"),
])
def test_names_a_tree_uses_must_exist(tmp_path, tree, message):
    path, _ = write(tmp_path, tree=block(tree, 6))
    (p,) = problems(path)
    assert message in p.message and p.path.startswith("subjects[0].tree")


def branch(id="bolts", subject="sam", when=None, tree="[{flee: 15}, {end: fled}]", extra=""):
    when_line = f"\n    when: {when}" if when else ""
    return f"branches:\n  - id: {id}\n    subject: {subject}{when_line}\n    tree: {tree}{extra}"


FLED = "  - id: fled\n    outcome: subject_fled"


def test_a_branch_whose_condition_can_never_hold_is_reported_with_the_reason(tmp_path):
    path, text = write(tmp_path, branches=branch(when="{agitation_above: 0.9, agitation_below: 0.5}"), endings=FLED)
    found = problems(path)
    assert [p.path for p in found] == ["branches[0].when", "branches[0]", "endings[1]"]
    assert "can never hold: it needs agitation above 0.9 and below 0.5 at once" in found[0].message
    assert "can never start" in found[1].message and "forced_only" in found[1].message


def test_a_branch_nothing_leads_to_is_fine_when_marked_for_instructors_only(tmp_path):
    path, _ = write(tmp_path, branches=branch(extra="\n    forced_only: true"), endings=FLED)
    assert load_scenario(path).scenario.branches[0].forced_only


def test_a_branch_with_no_way_out_is_reported(tmp_path):
    path, _ = write(tmp_path, branches=branch(tree="[{posture: sitting}, idle]", extra="\n    forced_only: true"))
    (p,) = problems(path)
    assert p.path == "branches[0]" and "has no way out" in p.message and "in_branch: bolts" in p.message


def test_an_ending_nothing_can_reach_and_a_missing_peaceful_one_are_reported(tmp_path):
    path, text = write(tmp_path, endings="  - id: late\n    outcome: subject_fled\n    when: {after: 500}")
    (p,) = problems(path)
    assert p.path == "endings[1]" and "'after: 500' is not before the time limit (120 s)" in p.message
    text = text.replace("agitation_below: 0.2", "agitation_below: 0")
    path.write_text(text)
    found = {p.path: p.message for p in problems(path)}
    assert "never below 0" in found["endings[0]"]
    assert "no peaceful resolution can be reached" in found["endings"]


def test_a_subject_who_cannot_hear_can_never_meet_a_condition_on_spoken_words(tmp_path):
    path, _ = write(tmp_path, profile="{triggers: [cannot_hear]}",
                    endings="  - id: talked\n    outcome: resolved_peacefully\n    subject: sam\n    when: {said_within: offer_help}")
    (p,) = problems(path)
    assert p.path == "endings[1]" and "cannot hear" in p.message and "gesture" in p.message


def test_a_broken_tree_is_reported_alone_without_reachability_complaints_it_would_cause(tmp_path):
    path, _ = write(tmp_path, tree=block("say: nothing_here", 6), branches=branch(tree="[{flee: 15}, {end: fled}]"),
                    endings=FLED)
    found = problems(path)
    assert [p.path for p in found] == ["subjects[0].tree.say"]


def test_a_forced_only_branch_cannot_also_have_a_when(tmp_path):
    path, _ = write(tmp_path, branches=branch(when="{trainee_within: 2}", extra="\n    forced_only: true"), endings=FLED)
    assert any("cannot also start by itself" in p.message for p in problems(path))


def test_a_behaviour_cannot_lead_to_another_subjects_branch(tmp_path):
    path, _ = write(tmp_path, tree=block("branch: bolts", 6), branches=branch(subject="kim"), endings=FLED)
    (p,) = problems(path)
    assert "belongs to subject 'kim', not 'sam'" in p.message


# ------------------------------------------------------------------- libraries


def test_a_profile_that_extends_an_unknown_profile_suggests_one(tmp_path):
    path, _ = write(tmp_path, include="include: [common]", profile="{extends: anxious_adlt, baseline_agitation: 0.6}")
    (p,) = problems(path)
    assert p.path == "subjects[0].profile.extends" and "no profile 'anxious_adlt' (did you mean 'anxious_adult'?)" in p.message


def test_a_profile_by_name_merges_the_librarys_values(tmp_path):
    path, _ = write(tmp_path, include="include: [common]", profile="{extends: anxious_adult, sensitivity: {shout: 0.3}}")
    sam = load_scenario(path).scenario.subjects[0]
    assert sam.profile.comfort_distance == 3.5 and sam.profile.sensitivity["shout"] == 0.3
    assert sam.profile.sensitivity["crowding"] == 0.3  # kept from the library's sensitivity


def test_problems_in_an_included_library_are_listed_with_the_library_file(tmp_path):
    (tmp_path / "mine.yaml").write_text("format_version: 1\nsubtrees:\n  stand: {idle: true, wait: 1}\nprofiles:\n  p: {extends: q}\n")
    path, _ = write(tmp_path, include="include: [./mine.yaml]")
    found = problems(path)
    assert found[0].path == "include[0]" and "has problems" in found[0].message
    lib = [p for p in found if p.file.endswith("mine.yaml")]
    assert {p.path for p in lib} == {"subtrees.stand", "profiles.p"}
    assert check_library(tmp_path / "mine.yaml") == lib


def test_a_library_that_does_not_exist_is_named(tmp_path):
    path, _ = write(tmp_path, include="include: [no_such_library]")
    (p,) = problems(path)
    assert p.path == "include[0]" and "no library 'no_such_library'" in p.message


def test_libraries_that_include_each_other_are_reported_not_followed_forever(tmp_path):
    (tmp_path / "a.yaml").write_text("format_version: 1\ninclude: [./b.yaml]\n")
    (tmp_path / "b.yaml").write_text("format_version: 1\ninclude: [./a.yaml]\n")
    path, _ = write(tmp_path, include="include: [./a.yaml]")
    assert any("includes itself" in p.message for p in problems(path))


def test_a_line_may_carry_a_recording_beside_the_scenario_and_the_journal_names_it(tmp_path):
    from game.core.events import Say
    from game.core.journal import MemoryJournal
    from game.core.simulation import Simulation

    (tmp_path / "voice").mkdir()
    (tmp_path / "voice" / "hi.wav").write_bytes(b"RIFF")
    path, text = write(tmp_path)
    path.write_text(text.replace('      crowded: "Back off."', '      greet: {text: "Hi.", audio: voice/hi.wav}'))
    loaded = load_scenario(path)
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    sim.submit(Say(intent="greet"))
    sim.step()
    (said,) = [r for r in sim.journal.records() if r["type"] == "SubjectSaid"]
    assert (said["text"], said["audio"]) == ("Hi.", "voice/hi.wav")


@pytest.mark.parametrize(("audio", "message"), [
    ("../elsewhere.wav", "outside the scenario's folder"), ("voice/missing.wav", "no recording at"),
    ("voice/hi.mp4", "not a .wav or .ogg"),
])
def test_a_recording_that_is_missing_or_outside_the_scenarios_folder_is_refused(tmp_path, audio, message):
    path, text = write(tmp_path)
    path.write_text(text.replace('      crowded: "Back off."', f'      greet: [{{text: "Hi.", audio: {audio}}}]'))
    (p,) = problems(path)
    assert p.path == "subjects[0].lines.greet[0].audio" and message in p.message


def test_a_flag_set_by_one_subject_does_not_satisfy_a_check_on_another(tmp_path):
    path, text = write(tmp_path, tree=block("sequence: [{flag: ready}, idle]", 6))
    text = text.replace("  - id: kim\n    position: [3, 0]\n", "  - id: kim\n    position: [3, 0]\n    tree: {check: {flag: ready}}\n")
    path.write_text(text)
    (p,) = problems(path)
    assert p.path == "subjects[1].tree.check.flag" and "subject 'kim'" in p.message and "'other:'" in p.message


@pytest.mark.parametrize("cond", ["{force_used: flashlight}", "{trainee_within: 2, trainee_beyond: 2}"])
def test_conditions_that_can_never_hold_for_subtler_reasons_are_caught(tmp_path, cond):
    path, _ = write(tmp_path, endings=f"  - id: odd\n    outcome: force_used\n    when: {cond}")
    (p,) = problems(path)
    assert p.path == "endings[1]" and "can never be reached" in p.message


def test_a_bare_default_script_name_is_looked_for_in_the_scripts_folder(tmp_path):
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "mine.yaml").write_text("format_version: 1\nactions:\n  - {at: 1, say: greet}\n")
    path, text = write(tmp_path)
    path.write_text(text.replace("time_limit: 120\n", "time_limit: 120\ndefault_script: mine\n"))
    assert load_scenario(path).default_script.actions[0].verb == "say"


def test_a_script_that_names_a_subject_or_branch_the_scenario_lacks_is_reported_in_the_script(tmp_path):
    (tmp_path / "scripts").mkdir()
    script = tmp_path / "scripts" / "call_good.yaml"
    script.write_text("format_version: 1\nscenario: call\nactions:\n"
                      "  - {at: 1, say: greet, to: sammy}\n"
                      "  - {at: 2, instructor: branch, branch: bolt}\n")
    path, text = write(tmp_path, branches=branch(extra="\n    forced_only: true"), endings=FLED)
    path.write_text(text.replace("time_limit: 120\n", "time_limit: 120\ndefault_script: scripts/call_good.yaml\n"))
    found = problems(path)
    assert [p.path for p in found] == ["default_script", "actions[0].to", "actions[1].branch"]
    assert "no subject 'sammy' in the scenario (did you mean 'sam'?)" in found[1].message
    assert "no branch 'bolt' in the scenario (did you mean 'bolts'?)" in found[2].message
    from game.content.script import check_script
    assert [p.path for p in check_script(script)] == ["actions[0].to", "actions[1].branch"]
