"""Broken content files: every problem is a ContentError naming file, line, column and key path."""

from __future__ import annotations

import json
import shutil
import signal
from dataclasses import fields
from pathlib import Path

import pytest

from game.content import ContentError, load_scenario
from game.content.scenario import check_scenario
from game.content.library import package_dir
from game.content.script import VERBS
from game.core.actions import ACTIONS
from game.core.behaviour import COMPOSITES
from game.core.conditions import CONDITION_KEYS
from game.core.events import HANDS, INTENTS, TONES, TOOLS
from game.core.scenario import GOALS, OUTCOMES, POSTURES, Profile

SCENARIOS = package_dir("scenarios")
GOOD = (SCENARIOS / "welfare_check.yaml").read_text(encoding="utf-8")


@pytest.fixture
def folder(tmp_path):
    shutil.copytree(SCENARIOS / "scripts", tmp_path / "scripts")  # default_script resolves beside the file
    return tmp_path


def problems(folder, text, name="welfare_check"):
    path = folder / f"{name}.yaml"
    (path.write_bytes if isinstance(text, bytes) else path.write_text)(text)
    with pytest.raises(ContentError) as caught:
        load_scenario(path)
    for p in caught.value.problems:
        assert Path(p.file).resolve() == path.resolve(), p
    return caught.value.problems


def edit(old, new, text=GOOD):
    assert text.count(old) == 1, old
    return text.replace(old, new)


def line_of(text, needle, nth=1):
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def where(problem):
    return (problem.line, problem.column, problem.path)


def test_the_shipped_scenario_loads_from_a_copy(folder):
    (folder / "welfare_check.yaml").write_text(GOOD)
    assert load_scenario(folder / "welfare_check.yaml").scenario.id == "welfare_check"


# ----------------------------------------------------------------- whole file


def test_a_yaml_syntax_error_names_its_line_and_column(folder):
    text = edit("title: Welfare check in a parking lot at night", "title: Welfare: check")
    (p,) = problems(folder, text)
    assert where(p) == (line_of(text, "title:"), 15, "")
    assert p.message.startswith("YAML syntax:") and "mapping values are not allowed" in p.message


@pytest.mark.parametrize(
    ("text", "message"),
    [("- one\n- two\n", "must be a mapping of keys, not list"), ("just words\n", "not str"),
     ("", "file is empty"), ("# only a comment\n", "file is empty")],
    ids=["list", "scalar", "empty", "comment"],
)
def test_a_file_that_is_not_a_mapping_says_so(folder, text, message):
    (p,) = problems(folder, text)
    assert message in p.message and p.path == ""


def test_bytes_that_are_not_utf8_are_reported_with_their_offset(folder):
    (p,) = problems(folder, b"format_version: 1\nid: caf\xe9\n")
    assert "not UTF-8 text (byte 25)" in p.message


def _give_up(*_):
    raise TimeoutError("still loading: the alias guard did not trip")


@pytest.mark.parametrize(
    ("text", "message"),
    [("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
      + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=False)),
      "too many values"),
     ("a: &a [*a]\n", "nests too deeply")],
    ids=["billion_laughs", "self_reference"],
)
def test_aliases_that_expand_forever_are_refused_instead_of_hanging(folder, text, message):
    previous = signal.signal(signal.SIGALRM, _give_up)
    signal.alarm(60)  # a guard against hanging forever, not a timing assertion
    try:
        (p,) = problems(folder, text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert message in p.message


# ------------------------------------------------------------- format version


@pytest.mark.parametrize(
    ("old", "new", "words", "path"),
    [("format_version: 1\n", "", ["missing 'format_version'", "format_version: 2"], ""),
     ("format_version: 1\n", "format_version: 3\n", ["format 3, newer", "up to 2", "upgrade Talkdown"], "format_version"),
     ("format_version: 1\n", "format_version: 0\n", ["format 0, older", "convert it"], "format_version"),
     ("format_version: 1\n", "format_version: one\n", ["whole number"], "format_version")],
    ids=["missing", "newer", "older", "text"],
)
def test_the_format_version_is_checked_first_and_alone(folder, old, new, words, path):
    text = edit(old, new) + "unknown_key: 1\n"  # would be a problem, but not in a format we cannot read
    (p,) = problems(folder, text)
    assert p.path == path and p.line == 1
    for word in words:
        assert word in p.message


# ---------------------------------------------------------------------- schema


def test_an_unknown_key_suggests_the_key_it_resembles(folder):
    text = edit("      baseline_agitation: 0.52\n", "      baseline_agitation: 0.52\n      comfort_distanse: 3\n")
    (p,) = problems(folder, text)
    assert where(p) == (line_of(text, "comfort_distanse"), 7, "subjects[0].profile.comfort_distanse")
    assert "unknown key 'comfort_distanse' (did you mean 'comfort_distance'?)" in p.message


def test_a_value_of_the_wrong_type_says_what_was_expected(folder):
    text = edit("time_limit: 240", "time_limit: soon")
    (p,) = problems(folder, text)
    assert where(p) == (line_of(text, "time_limit"), 1, "time_limit")
    assert p.message == "expected a number, got 'soon'"


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [("baseline_agitation: 0.52", "baseline_agitation: 1.5", "subjects[0].profile.baseline_agitation",
      "must be at most 1, got 1.5"),
     ("comfort_distance: 3.5", "comfort_distance: 0", "subjects[0].profile.comfort_distance",
      "must be more than 0, got 0"),
     ("outcome: subject_fled", "outcome: fled", "endings[1].outcome", "'fled' is not one of")],
)
def test_a_value_out_of_range_names_the_limit(folder, old, new, path, message):
    text = edit(old, new)
    (p,) = problems(folder, text)
    assert (p.line, p.path) == (line_of(text, new), path)
    assert message in p.message


def test_a_duplicate_key_is_reported_instead_of_silently_winning(folder):
    text = edit("time_limit: 240\n", "time_limit: 240\ntime_limit: 100\n")
    (p,) = problems(folder, text)
    assert p.path == "time_limit" and "appears twice" in p.message


def test_a_duplicate_key_is_reported_where_the_duplicate_is_and_names_the_first(folder):
    text = edit("time_limit: 240\n", "time_limit: 240\ntime_limit: 100\n")
    (p,) = problems(folder, text)
    assert p.line == line_of(text, "time_limit", nth=2)
    assert f"first on line {line_of(text, 'time_limit')}" in p.message


def test_several_mistakes_in_one_file_are_all_reported(folder):
    text = edit("comfort_distance: 3.5", "comfort_distanse: 3.5",
                edit("outcome: subject_fled", "outcome: fled", edit("time_limit: 240", "time_limit: soon")))
    found = {(p.line, p.path) for p in problems(folder, text)}
    assert found == {
        (line_of(text, "time_limit"), "time_limit"),
        (line_of(text, "comfort_distanse"), "subjects[0].profile.comfort_distanse"),
        (line_of(text, "outcome: fled"), "endings[1].outcome"),
    }


def test_missing_required_keys_are_named_together_once(folder):
    text = edit("title: Welfare check in a parking lot at night\n", "", edit("scene: parking_lot_night\n", ""))
    (p,) = problems(folder, text)
    assert (p.line, p.path, p.message) == (1, "", "missing required keys 'title', 'scene'")


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [("subjects:\n", "subjects: dale\nleft_over:\n", "subjects", "expected a list, got 'dale'"),
     ("    profile:\n", "    profile: [calm]\n    left_over:\n", "subjects[0].profile", "expected"),
     ("said_within: {intents: [offer_help, call_crisis_team], seconds: 6}", "said_within: [offer_help]",
      "branches[0].when.said_within", "expected")],
    ids=["subjects", "profile", "said_within"],
)
def test_a_broken_value_is_reported_once_not_again_for_everything_inside_it(folder, old, new, path, message):
    text = edit(old, new)
    found = [p for p in problems(folder, text) if not p.path.endswith("left_over")]
    assert [(p.path, message in p.message) for p in found] == [(path, True)]


# ---------------------------------------------------------------- meaning


def test_a_scene_that_does_not_exist_is_named(folder):
    text = edit("scene: parking_lot_night", "scene: parking_lot_day")
    (p,) = problems(folder, text)
    assert where(p) == (line_of(text, "scene:"), 1, "scene")
    assert "no scene 'parking_lot_day'" in p.message and "parking_lot_day.yaml" in p.message


def test_an_ending_for_a_subject_that_does_not_exist_lists_the_subjects(folder):
    text = edit("    outcome: subject_fled\n", "    outcome: subject_fled\n    subject: bob\n")
    (p,) = problems(folder, text)
    assert where(p) == (line_of(text, "subject: bob"), 5, "endings[1].subject")
    assert p.message == "no subject 'bob' (subjects: dale)"


def test_an_id_that_differs_from_the_file_name_is_reported(folder):
    (p,) = problems(folder, GOOD, name="night_shift")
    assert where(p) == (line_of(GOOD, "id: welfare_check"), 1, "id")
    assert "differs from the file name 'night_shift'" in p.message


def warnings(folder, text):
    path = folder / "welfare_check.yaml"
    path.write_text(text)
    found = check_scenario(path)
    assert all(p.severity == "warning" for p in found)
    return found


def test_a_line_for_something_a_subject_never_replies_to_is_reported(folder):
    text = edit("      greet: [", "      greeting: [")
    (p,) = warnings(folder, text)
    assert ": warning: subjects[0].lines.greeting:" in str(p)
    assert where(p) == (line_of(text, "greeting:"), 7, "subjects[0].lines.greeting")
    assert "is never said: not an intent a subject replies to, nor a line its behaviours say (did you mean 'greet'?)" in p.message


def test_mistakes_in_meaning_and_references_are_reported_together(folder):
    text = edit("scene: parking_lot_night", "scene: nowhere",
                edit("    outcome: subject_fled\n", "    outcome: subject_fled\n    subject: bob\n"))
    found = {p.path for p in problems(folder, text, name="other")}
    assert found == {"id", "scene", "endings[1].subject"}


def test_problems_in_the_scene_a_scenario_names_are_listed_with_the_scene_file(folder):
    (folder / "broken_scene.yaml").write_text("format_version: 1\nid: broken_scene\ntitle: x\nobjects:\n  - {shape: cube}\n")
    text = edit("scene: parking_lot_night", "scene: ./broken_scene.yaml")
    path = folder / "welfare_check.yaml"
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_scenario(path)
    scenario_p, scene_p = caught.value.problems
    assert (scenario_p.path, "1 problem" in scenario_p.message) == ("scene", True)
    assert Path(scene_p.file).name == "broken_scene.yaml" and (scene_p.line, scene_p.path) == (5, "objects[0].shape")


@pytest.mark.parametrize("key", ["null", "true"])
def test_a_lines_key_that_yaml_reads_as_not_text_is_reported_as_written(folder, key):
    text = edit("      greet: [", f"      {key}: [")
    (p,) = warnings(folder, text)
    assert where(p) == (line_of(text, f"{key}: ["), 7, f"subjects[0].lines.{key}")
    assert f"lines '{key}' is never said" in p.message


@pytest.mark.parametrize("key", ["~", "2001-01-01", "12"])
def test_a_lines_key_that_is_not_an_id_is_an_error_reported_as_written(folder, key):
    text = edit("      greet: [", f"      {key}: [")
    (p,) = problems(folder, text)
    assert where(p) == (line_of(text, f"{key}: ["), 7, f"subjects[0].lines.{key}")
    assert f"key '{key}' does not match the expected form" in p.message


@pytest.mark.parametrize(
    ("value", "message"),
    [(".nan", "not a finite number"), (".inf", "not a finite number"), ("-.inf", "not a finite number"),
     ("1" + "0" * 400, "number too large")],
    ids=["nan", "inf", "-inf", "huge"],
)
def test_a_position_that_is_not_a_usable_number_is_reported(folder, value, message):
    text = edit("position: [2.2, 1.2]", f"position: [{value}, 1.2]")
    (p,) = problems(folder, text)
    assert (p.line, p.path) == (line_of(text, value), "subjects[0].position[0]")
    assert message in p.message


# -------------------------------------------------------- schema and code agree


def _schema(name):
    return json.loads((SCENARIOS / name).read_text(encoding="utf-8"))


def test_the_published_scenario_schema_lists_exactly_the_names_the_code_knows():
    s = _schema("schema.json")
    profile = s["$defs"]["profile"]["properties"]
    ending = s["properties"]["endings"]["items"]["properties"]
    condition = s["$defs"]["condition"]["properties"]
    said = condition["said_within"]["oneOf"]
    assert profile["intent_effects"]["propertyNames"]["enum"] == list(INTENTS)
    assert said[0]["enum"] == [*INTENTS, "any"]
    assert said[1]["properties"]["intents"]["oneOf"][1]["items"]["enum"] == [*INTENTS, "any"]
    assert condition["tool_drawn"]["enum"] == condition["tool_aimed"]["enum"] == [*TOOLS, "any", "weapon"]
    assert profile["postures"]["items"]["properties"]["posture"]["enum"] == list(POSTURES)
    assert profile["goals"]["items"]["enum"] == list(GOALS)
    assert ending["outcome"]["enum"] == list(OUTCOMES)
    assert set(condition) == set(CONDITION_KEYS)
    assert set(profile) - {"extends"} == {f.name for f in fields(Profile)}
    node = s["$defs"]["node"]["oneOf"][2]["properties"]
    assert set(ACTIONS) | set(COMPOSITES) | {"when", "do", "check", "use", "name"} == set(node)


def test_the_published_schemas_are_what_tools_make_schemas_writes():
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run([sys.executable, str(root / "tools" / "make_schemas.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_published_script_schema_lists_exactly_the_names_the_code_knows():
    action = _schema("script.schema.json")["properties"]["actions"]["items"]["properties"]
    assert action["say"]["enum"] == list(INTENTS)
    assert action["draw"]["enum"] == list(TOOLS)
    assert action["tone"]["enum"] == list(TONES)
    assert action["hand"]["enum"] == list(HANDS)
    assert action["holster"]["enum"] == [*HANDS, "all"]
    assert set(VERBS) <= set(action)


def test_the_scenario_checksum_is_the_same_for_windows_and_unix_line_endings(tmp_path):
    from game.content.scenario import content_sha256

    text = b"format_version: 1\nid: x\n"
    assert content_sha256(text) == content_sha256(text.replace(b"\n", b"\r\n"))
    assert content_sha256(text) != content_sha256(text + b"# changed\n")


def test_an_appearance_that_is_not_a_character_in_the_manifest_is_reported(tmp_path):
    from game.content.library import package_dir

    text = (package_dir("scenarios") / "welfare_check.yaml").read_text()
    text = text.replace("appearance: adult_man", "appearance: adult_mann")
    path = tmp_path / "welfare_check.yaml"
    path.write_text(text.replace("scene: parking_lot_night", "scene: parking_lot_night").replace(
        "default_script: scripts/welfare_check_good.yaml\n", ""))
    with pytest.raises(ContentError) as err:
        load_scenario(path)
    (problem,) = err.value.problems
    assert problem.path == "subjects[0].appearance"
    assert "did you mean 'adult_man'?" in problem.message


@pytest.mark.parametrize("text", ["0x_", "a: 0b_", "a: [1, 0x_]"])
def test_a_scalar_that_yaml_reads_as_a_broken_number_is_refused_with_its_place(text):
    from game.content.located import load_located

    with pytest.raises(ContentError) as err:
        load_located(text, "f.yaml")
    assert "looks like a number but is not one" in str(err.value) and "f.yaml:1:" in str(err.value)
