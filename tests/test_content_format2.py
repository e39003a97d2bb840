"""Scenario format 2 (``officers:``, partner officers) beside format 1 (``trainee:``): every new
key has a located error, a format-1 file loads as before and migrates to format 2 unchanged
in meaning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.content.library import installed, package_dir
from game.content.scenario import check_scenario, load_scenario
from game.content.scenario_officers import migrate_text

DUTY = package_dir("scenarios") / "duty_to_intervene.yaml"
FORMAT_1 = sorted(p for p in installed("scenarios") if "format_version: 1" in p.read_text(encoding="utf-8"))


def write(tmp_path: Path, text: str, name: str = "duty_to_intervene.yaml") -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir(exist_ok=True)
    if not (folder / "scripts").exists():
        shutil.copytree(package_dir("scenarios") / "scripts", folder / "scripts")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def edited(old: str, new: str) -> str:
    text = DUTY.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def errors(path: Path) -> list:
    return [p for p in check_scenario(path) if p.severity == "error"]


def test_format_1_scenarios_load_as_before_and_have_no_officers_list():
    assert FORMAT_1, "the shipped library still has format-1 scenarios"
    for path in FORMAT_1:
        loaded = load_scenario(path)
        assert loaded.scenario.format_version == 1 and loaded.scenario.officers == ()
        assert not loaded.warnings, path


def test_a_format_2_scenario_has_its_officers_with_the_partner_and_officer_1_as_the_trainee():
    sc = load_scenario(DUTY).scenario
    assert sc.format_version == 2 and [o.number for o in sc.officers] == [1, 2]
    assert sc.trainee_position == sc.officers[0].position and sc.officers[0].partner is None
    (kerr,) = sc.partners
    assert kerr.name == "Officer Kerr" and kerr.partner.watches == "marcus" and kerr.partner.tree is not None
    assert sc.human_officers() == [(sc.officers[0].position, sc.officers[0].heading)]


@pytest.mark.parametrize(("old", "new", "where", "words"), [
    ("format_version: 2", "format_version: 1", "officers", ["'officers' is scenario format 2", "--migrate"]),
    ("officers:\n  - position: [0.0, -8.0]\n    heading: 10\n",
     "trainee:\n  position: [0.0, -8.0]\nofficers:\n  - position: [0.0, -8.0]\n    heading: 10\n",
     "trainee", ["'trainee:' is format 1", "--migrate"]),
    ("\nsubjects:\n", "\n  - position: [0, -9]\n\nsubjects:\n", "officers[2]",
     ["played by a trainee but comes after partner officer 2"]),
    ("      watches: marcus", "      watches: marcos", "officers[1].partner.watches", ["no subject 'marcos'", "did you mean 'marcus'"]),
    ("              - slur: slur\n", "              - slur: slurr\n", "officers[1].partner.tree.selector[3].do[0].slur",
     ["officer 2 has no lines 'slurr'", "did you mean 'slur'"]),
    ("    when: {agitation_above: 0.82, officer_within: {officer: 2, distance: 1.6}, for: 0.5}",
     "    when: {agitation_above: 0.82, officer_within: {officer: 3, distance: 1.6}, for: 0.5}",
     "branches[0].when.officer_within.officer", ["no officer 3", "officers 1…2"]),
    ("      - attack: officer:2", "      - attack: officer:4", "branches[0].tree[1].attack", ["no officer 4"]),
    ("              - force: shove", "              - force: kick", "officers[1].partner.tree.selector[1].do[0].force", ["kick"]),
    ("      watches: marcus\n", "      watches: marcus\n      arrives: {after: 5}\n", "officers[1].partner.arrives.after",
     ["'after' counts from the trainee's call", "on_call"]),
])
def test_every_new_key_has_a_located_error(tmp_path, old, new, where, words):
    (problem,) = errors(write(tmp_path, edited(old, new)))
    assert problem.path == where, problem
    assert problem.line > 0 and problem.column > 0
    for word in words:
        assert word in problem.message, problem


def test_officer_1_cannot_be_a_partner(tmp_path):
    text = edited("officers:\n  - position: [0.0, -8.0]\n    heading: 10\n", "officers:\n")
    problem = errors(write(tmp_path, text))[0]  # (and officer 2, named below, is gone)
    assert problem.path == "officers[0].partner" and "officer 1 is the trainee" in problem.message


def test_a_partner_that_misbehaves_but_cannot_be_stopped_and_intervention_conditions_without_a_partner_warn(tmp_path):
    text = edited("          - name: backs off once a partner stops him\n            when: {intervened: true}\n",
                  "          - name: backs off once a partner stops him\n            when: {after: 100}\n")
    found = check_scenario(write(tmp_path, text))
    (warning,) = [p for p in found if p.severity == "warning"]
    assert warning.path == "officers[1].partner.tree" and "never asks 'intervened:'" in warning.message
    one = (package_dir("scenarios") / "welfare_check.yaml").read_text(encoding="utf-8")
    one = one.replace("review:\n  look_for:\n", "review:\n  look_for:\n    - {id: stopped, text: x, expect: {intervened: true}}\n", 1)
    found = check_scenario(write(tmp_path, one, "welfare_check.yaml"))
    assert [p.severity for p in found] == ["warning"] and "this scenario has none" in found[0].message


@pytest.mark.parametrize("path", FORMAT_1, ids=lambda p: p.stem)
def test_a_migrated_format_1_scenario_is_format_2_and_means_the_same(tmp_path, path):
    text = migrate_text(path.read_text(encoding="utf-8"))
    assert text is not None and "format_version: 2" in text and "\ntrainee:" not in text
    assert "# " in text or "#" not in path.read_text(encoding="utf-8")  # comments kept
    new = load_scenario(write(tmp_path, text, path.name)).scenario
    old = load_scenario(path).scenario
    assert new.format_version == 2 and [o.number for o in new.officers] == [1]
    assert (new.trainee_position, new.trainee_heading) == (old.trainee_position, old.trainee_heading)
    assert new.subjects == old.subjects and new.branches == old.branches and new.endings == old.endings
    assert migrate_text(text) is None  # already format 2


def test_talkdown_validate_migrate_rewrites_the_file_and_it_validates(tmp_path, capsys):
    path = write(tmp_path, (package_dir("scenarios") / "traffic_stop.yaml").read_text(encoding="utf-8"), "traffic_stop.yaml")
    assert main(["validate", "--migrate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "migrated to scenario format 2" in out and "1 of 1 file(s) valid" in out
    assert path.read_text(encoding="utf-8").startswith("format_version: 2")
    assert not list(path.parent.glob(".*migrating"))
