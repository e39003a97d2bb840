"""The scenario tutorial's example (docs/examples/) works as the tutorial says, and the
tutorial cannot drift from it: every YAML block marked ``# file: PATH`` is that file,
every block marked ``# step: NAME.yaml`` is a valid scenario, and the validator messages
it quotes are the ones the validator prints."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from game.cli import main
from game.content.scenario import check_scenario, load_scenario
from game.content.script import check_script, load_script
from game.core.drivers import ScriptedTrainee
from game.core.journal import MemoryJournal
from game.core.scenario import PEACEFUL_OUTCOMES
from game.core.simulation import Simulation

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
TUTORIAL = DOCS / "scenario-tutorial.md"
REFERENCE = DOCS / "scenario-reference.md"
SCENARIO = EXAMPLES / "park_bench.yaml"
SCRIPTS = EXAMPLES / "scripts"
SEEDS = (1, 2, 3)

#: The deliberate mistakes of the tutorial's step 8: (text in the example, what it becomes).
MISTAKES = [
    ("say: {line: grumbles, cooldown: 10}", "say: {line: grumble, cooldown: 10}"),
    ("      ask_what_happened: [", "      ask_what_happend: ["),
    ("      - end: leaves_park\n", ""),
]


def yaml_blocks(markdown: Path) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", markdown.read_text(encoding="utf-8"), flags=re.S | re.M)


def marked(marker: str) -> list[tuple[str, str]]:
    """(what the marker names, the block without its marker line) for each marked block."""
    out = []
    for block in yaml_blocks(TUTORIAL):
        first, _, rest = block.partition("\n")
        m = re.fullmatch(rf"# {marker}: (\S+)", first.strip())
        if m:
            out.append((m.group(1), rest))
    return out


def walk(script_name: str, seed: int) -> list[dict]:
    sim = Simulation(load_scenario(SCENARIO).scenario, seed=seed, journal=MemoryJournal())
    trainee = ScriptedTrainee(load_script(SCRIPTS / script_name))
    while not sim.finished and sim.ending is None:
        trainee.feed(sim)
        sim.step()
    return sim.journal.records()


def test_the_example_scenario_validates_with_no_errors_and_no_warnings():
    assert [str(p) for p in check_scenario(SCENARIO)] == []


@pytest.mark.parametrize("name", ["park_bench_good.yaml", "park_bench_poor.yaml"])
def test_the_example_scripts_validate_and_name_the_example_scenario(name):
    assert [str(p) for p in check_script(SCRIPTS / name)] == []
    assert load_script(SCRIPTS / name).scenario == "park_bench"


@pytest.mark.parametrize("seed", SEEDS)
def test_the_good_script_reaches_a_peaceful_outcome(seed):
    records = walk("park_bench_good.yaml", seed)
    (ended,) = [r for r in records if r["type"] == "ScenarioEnded"]
    assert ended["outcome"] in PEACEFUL_OUTCOMES, ended
    assert ended["ending"] == "leaves_park"
    assert any(r["type"] == "LookForMet" and r["look_for"] == "asked_why" for r in records)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_poor_script_does_not_reach_a_peaceful_outcome(seed):
    records = walk("park_bench_poor.yaml", seed)
    ended = [r for r in records if r["type"] == "ScenarioEnded"]
    assert ended, "the poor script should end the scenario (the tutorial says Walt shoves the officer)"
    assert ended[0]["outcome"] not in PEACEFUL_OUTCOMES, ended
    assert ended[0]["ending"] == "shoved_officer"


def test_the_tutorial_shows_every_example_file_in_full():
    shown = {path for path, _ in marked("file")}
    files = {p.relative_to(ROOT).as_posix() for p in EXAMPLES.rglob("*.yaml")}
    assert shown == files


def test_every_complete_file_in_the_tutorial_equals_the_file_in_docs_examples():
    for path, text in marked("file"):
        assert (ROOT / path).read_text(encoding="utf-8") == text, f"the tutorial's {path} differs from the file"


def test_every_intermediate_step_of_the_tutorial_is_a_valid_scenario(tmp_path):
    steps = marked("step")
    assert len(steps) >= 2
    shutil.copytree(SCRIPTS, tmp_path / "scripts")  # a step may name the default script
    for i, (name, text) in enumerate(steps):
        folder = tmp_path / f"step{i}"
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
        shutil.copytree(SCRIPTS, folder / "scripts")
        errors = [str(p) for p in check_scenario(folder / name) if p.severity == "error"]
        assert errors == [], f"step {i + 1} of the tutorial:\n" + "\n".join(errors)


@pytest.mark.parametrize("old,new", MISTAKES)
def test_the_validator_output_quoted_in_the_tutorial_is_the_real_one(old, new, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "docs" / "examples"
    shutil.copytree(EXAMPLES, folder)
    text = SCENARIO.read_text(encoding="utf-8")
    assert text.count(old) == 1
    (folder / "park_bench.yaml").write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # messages name the file relative to where you run
    command = "talkdown validate docs/examples/park_bench.yaml"
    main(command.split()[1:])
    shown = f"```\n$ {command}\n{capsys.readouterr().out}```"
    assert shown in TUTORIAL.read_text(encoding="utf-8"), f"the tutorial should show:\n{shown}"


@pytest.mark.parametrize("version,message", [
    ("3", "format_version: this scenario is format 3, newer than this Talkdown reads (up to 2): upgrade Talkdown"),
    ("0", "format_version: this scenario is format 0, older than this Talkdown reads (from 1): convert it (see docs/content-formats.md)"),
    ('"1"', "format_version: format_version must be a whole number such as 2, got '1'"),
])
def test_the_version_messages_in_the_reference_are_the_real_ones(version, message, tmp_path):
    path = tmp_path / "park_bench.yaml"
    path.write_text(SCENARIO.read_text(encoding="utf-8").replace("format_version: 1", f"format_version: {version}", 1),
                    encoding="utf-8")
    (problem,) = check_scenario(path)
    assert str(problem).endswith(f":1:1: {message}")
    assert f"`{message}`" in REFERENCE.read_text(encoding="utf-8")
