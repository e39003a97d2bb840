"""Typos in a scenario that used to pass silently are located errors now (or warnings where
the value can be meant): a fact the policy does not know, a subject placed outside its scene,
a line key that is not an id."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.cli import main as talkdown
from game.content.library import package_dir
from game.content.scenario import check_scenario

SCENARIOS = package_dir("scenarios")


def edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    if not (tmp_path / "scripts").exists():
        shutil.copytree(SCENARIOS / "scripts", tmp_path / "scripts")  # default_script resolves beside the file
    text = (SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(i for i, x in enumerate(path.read_text().splitlines(), 1) if text in x)


def test_a_misspelt_fact_that_would_switch_a_policy_rule_off_is_a_located_error(tmp_path):
    path = edited(tmp_path, "dementia_welfare", "facts: [elderly, confused]", "facts: [elderley, confused]")
    (p,) = check_scenario(path)
    assert p.severity == "error" and p.path == "subjects[0].facts[0]" and p.line == line_of(path, "elderley")
    assert "uses fact 'elderley': did you mean 'elderly'?" in p.message


def test_a_fact_like_none_the_policy_knows_is_a_warning_because_another_agencys_policy_may_use_it(tmp_path, capsys):
    path = edited(tmp_path, "dementia_welfare", "facts: [elderly, confused]", "facts: [elderly, confused, pregnant]")
    (p,) = check_scenario(path)
    assert p.severity == "warning" and p.path == "subjects[0].facts[2]"
    assert "rules nothing out here" in p.message and "another agency's policy" in p.message
    assert talkdown(["validate", str(path)]) == 0  # a warning does not fail validation
    assert "warning: subjects[0].facts[2]:" in capsys.readouterr().out


@pytest.mark.parametrize(("new", "where"), [("position: [1.2, 40.0]", "outside the scene"),
                                            ("position: [9.9, 2.6]", "of the scene's edge")])
def test_a_subject_placed_outside_its_scenes_walkable_area_is_a_located_error(tmp_path, new, where):
    path = edited(tmp_path, "dementia_welfare", "position: [1.2, 2.6]", new)
    (p,) = check_scenario(path)
    assert p.severity == "error" and p.path == "subjects[0].position" and p.line == line_of(path, new)
    assert where in p.message and "scene 'park' spans x -10 to 10, y -16 to 10" in p.message


def test_a_trainee_starting_beyond_the_scene_is_only_a_warning(tmp_path):
    path = edited(tmp_path, "dementia_welfare", "position: [0.0, -14.0]", "position: [0.0, -20.0]")
    (p,) = check_scenario(path)
    assert p.severity == "warning" and p.path == "trainee.position" and "walk in from beyond it" in p.message


def test_a_line_key_that_is_not_an_id_is_a_located_error_at_the_key(tmp_path):
    path = edited(tmp_path, "dementia_welfare", "      greet: [", "      Greet Me: [")
    problems = [p for p in check_scenario(path) if p.severity == "error"]
    (p,) = problems
    assert p.path == "subjects[0].lines.Greet Me" and p.line == line_of(path, "Greet Me:") and p.column == 7
    assert "key 'Greet Me' does not match the expected form" in p.message


def test_every_shipped_scenario_still_validates_without_a_warning(capsys):
    assert talkdown(["validate"]) == 0
    out = capsys.readouterr().out
    assert "warning" not in out and out.strip().endswith("file(s) valid")
