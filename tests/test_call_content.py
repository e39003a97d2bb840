"""A scenario's ``call:`` is checked like the rest (issue 19): facts referenced exist, every
fact can be learned, the caller's tree uses the caller's words; errors are located."""

from __future__ import annotations

import shutil
from pathlib import Path

from game.content.scenario import check_scenario

ROOT = Path(__file__).resolve().parent.parent
BRIDGE = ROOT / "scenarios" / "bridge_crisis.yaml"


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = BRIDGE.read_text(encoding="utf-8")
    assert old in text, old
    (tmp_path / "scripts").mkdir(exist_ok=True)
    shutil.copy(ROOT / "scenarios" / "scripts" / "bridge_crisis_good.yaml", tmp_path / "scripts")
    path = tmp_path / "bridge_crisis.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def errors(path: Path) -> list:
    return [p for p in check_scenario(path) if p.severity == "error"]


def test_the_shipped_calls_have_no_problems():
    for name in ("bridge_crisis", "dementia_welfare"):
        assert check_scenario(ROOT / "scenarios" / f"{name}.yaml") == []


def test_a_question_revealing_a_fact_the_call_lacks_is_a_located_error_with_a_hint(tmp_path):
    path = variant(tmp_path, "      reveals: [weapons]\n", "      reveals: [weapon]\n")
    (p,) = [e for e in errors(path) if "no fact" in e.message]
    assert p.path == "call.questions[2].reveals[0]" and p.line > 200
    assert "did you mean 'weapons'?" in p.message
    # and with nothing revealing it any more, the weapons fact cannot be learned
    assert any("fact 'weapons' cannot be learned" in e.message and e.path == "call.facts[2].id" for e in errors(path))


def test_a_fact_the_caller_never_tells_is_an_error(tmp_path):
    path = variant(tmp_path, "      calm: 0.75\n", "      calm: 0.0\n")
    assert any(e.path == "call.facts[4].calm" and "never told" in e.message for e in errors(path))


def test_a_fact_naming_a_review_point_the_scenario_lacks_is_an_error(tmp_path):
    path = variant(tmp_path, "      look_for: slowed_down\n", "      look_for: slowed_dwn\n")
    assert any(e.path == "call.facts[0].look_for" and "did you mean 'slowed_down'?" in e.message for e in errors(path))


def test_the_callers_tree_may_use_only_the_callers_actions_conditions_and_lines(tmp_path):
    tree = ("      hang_up: \"She's — I have to go to her, I can't just sit here —\"\n"
            "    tree:\n"
            "      selector:\n"
            "        - when: {agitation_abov: 0.9}\n"
            "          do: hang_up\n"
            "        - when: {agitation_above: 0.7}\n"
            "          do: [{say: panicc}, {wait: 5}]\n"
            "        - approach: trainee\n")
    path = variant(tmp_path, "      hang_up: \"She's — I have to go to her, I can't just sit here —\"\n", tree)
    found = {(e.path, e.message.split(" (")[0].split(":")[0]) for e in errors(path)}
    assert ("call.caller.tree.selector[0].when.agitation_abov", "unknown caller condition 'agitation_abov'") in found
    assert ("call.caller.tree.selector[1].do[0].say", "the caller has no line 'panicc'") in found
    assert any(p == "call.caller.tree.selector[2]" and "unknown caller action" in m for p, m in found)


def test_a_card_field_that_does_not_exist_is_refused_by_the_schema(tmp_path):
    path = variant(tmp_path, "      card: weapons\n", "      card: weapon\n")
    assert any(e.path == "call.facts[2].card" for e in errors(path))
