"""Whatever is in a scenario file, loading it either works or raises ContentError.

Hypothesis writes arbitrary text and mutated copies of the shipped scenario;
whatever loads must also run, since the loader is the core's only gate.
"""

from __future__ import annotations

import copy
import datetime
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.content import ContentError, load_scenario
from game.content.library import package_dir
from game.content.shared import check_library
from game.core import MemoryJournal, Simulation
from game.core.events import ForceBranch

SCENARIOS = package_dir("scenarios")
GOOD = (SCENARIOS / "welfare_check.yaml").read_text(encoding="utf-8")
LINES = GOOD.splitlines(keepends=True)
DATA = yaml.safe_load(GOOD)

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def load_or_refuse(content: str | bytes):
    """Writes ``content`` as welfare_check.yaml beside a copy of its scripts and loads it.

    Returns the loaded scenario, or None when it was refused with a ContentError;
    any other exception fails the test.
    """
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(SCENARIOS / "scripts", folder / "scripts")
        path = folder / "welfare_check.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        try:
            loaded = load_scenario(path)
        except ContentError as err:
            assert err.problems, "a ContentError must carry at least one problem"
            for problem in err.problems:
                assert problem.message and problem.line >= 0 and problem.column >= 0
                assert str(problem)
            return None
    return loaded


def assert_runs(loaded) -> None:
    """A scenario that loads can be simulated, forced into every branch (the loader checked
    everything the core needs)."""
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    sim.run_for(1.0)
    for branch in loaded.scenario.branches:
        sim.submit(ForceBranch(branch=branch.id))
        sim.run_for(0.5)


def test_the_unmutated_scenario_loads_and_runs():
    loaded = load_or_refuse(GOOD)
    assert loaded is not None
    assert_runs(loaded)


# ------------------------------------------------------------- arbitrary input

YAML_CHARS = st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?~. \t\n0123456789abcdefgxyz_\\\u00e9\u2014\ufeff"))


@SETTINGS
@given(st.text(max_size=400) | st.text(alphabet=YAML_CHARS, max_size=400))
def test_any_text_is_loaded_or_refused_with_a_content_error(text):
    load_or_refuse(text)


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_are_loaded_or_refused_with_a_content_error(raw):
    load_or_refuse(raw)


# ------------------------------------------------------------ mutated scenario


@st.composite
def line_edits(draw):
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "replace", "reindent", "insert"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "replace":
            lines[i] = draw(st.sampled_from(LINES))
        elif op == "reindent":
            lines[i] = " " * draw(st.integers(0, 10)) + lines[i].lstrip(" ")
        else:
            lines.insert(i, draw(st.text(alphabet=YAML_CHARS, max_size=30)) + "\n")
    return "".join(lines)


@st.composite
def character_edits(draw):
    text = GOOD
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        char = draw(YAML_CHARS | st.characters())
        if op == "insert":
            text = text[:i] + char + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + 1:]
        else:
            text = text[:i] + char + text[i + 1:]
    return text


@SETTINGS
@given(line_edits())
def test_deleting_duplicating_or_replacing_lines_never_crashes_the_loader(text):
    loaded = load_or_refuse(text)
    if loaded is not None:
        assert_runs(loaded)


@SETTINGS
@given(character_edits())
def test_random_characters_in_the_scenario_never_crash_the_loader(text):
    loaded = load_or_refuse(text)
    if loaded is not None:
        assert_runs(loaded)


# ------------------------------------------------------- values at key paths


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


PATHS = [p for p in _paths(DATA) if p]


def _get(data, path):
    for part in path:
        data = data[part]
    return data


#: Values that sit on the schema's edges, or are valid somewhere else in the file.
TELLING = st.sampled_from([
    0, 1, -1, 0.5, 2, 7200, 7201, 1e9, -1e9, "", "any", "weapon", "dale", "offer_help", "fists",
    "parking_lot_night", "scripts/welfare_check_poor.yaml", "resolved_peacefully", "comply", "stay",
    [0, 0], [0], [0, 0, 0], {"for": 1}, {"after": 0}, {"not": {"after": 1}}, {"all": []}, {"any": [{"after": 1}]},
    # tree and branch vocabulary, valid in some places and not in others
    "idle", "comply", "main", "wary_stand", "accepts_help", "runs_off", "crowded", "trainee",
    {"use": "wary_stand"}, {"use": "nowhere"}, {"say": "crowded"}, {"branch": "runs_off"}, {"end": "accepts_help"},
    {"when": {"after": 1}, "do": "idle"}, {"when": {}}, {"selector": []}, {"sequence": ["idle", {"wait": 1}]},
    {"loop": [{"say": "swings"}]}, {"once": "draw_weapon"}, {"in_branch": "runs_off"}, {"other": {"subject": "dale"}},
    {"attack": "dale"}, {"approach": {"target": "dale"}}, {"flee": {"to": [0, 0]}}, {"flag": "x"}, {"check": {"flag": "x"}},
    {"extends": "anxious_adult"}, {"extends": "nobody"}, ["idle"], [], {"forced_only": True},
])
NUMBERS = (st.integers(-10**6, 10**6) | st.integers() | st.floats()
           | st.sampled_from([10**16, -10**400, float("nan"), float("inf"), -float("inf")]))
KEYS = (st.text(max_size=12) | TELLING.filter(lambda v: isinstance(v, str)) | st.none() | st.booleans()
        | st.integers(-100, 100) | st.dates(min_value=datetime.date(1900, 1, 1)))
SCALARS = st.none() | st.booleans() | NUMBERS | st.text(max_size=20) | st.dates() | TELLING
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)


def _edit_values(draw, original, paths):
    """A YAML dump of ``original`` with 1-3 values replaced, deleted, or given a new sibling."""
    data = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        try:
            parent = _get(data, path[:-1])
            parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed it
        op = draw(st.sampled_from(["replace", "replace", "delete", "add_key"]))
        if op == "replace":
            parent[path[-1]] = draw(VALUES)
        elif op == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(KEYS)] = draw(VALUES)
        else:
            parent.append(draw(VALUES))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@st.composite
def value_edits(draw):
    return _edit_values(draw, DATA, PATHS)


@SETTINGS
@given(value_edits())
def test_any_value_at_any_key_path_is_loaded_or_refused_with_a_content_error(text):
    loaded = load_or_refuse(text)
    if loaded is not None:
        assert_runs(loaded)


# ------------------------------------------------------------- mutated library

LIBRARY = yaml.safe_load((SCENARIOS / "library" / "common.yaml").read_text(encoding="utf-8"))
LIBRARY_PATHS = [p for p in _paths(LIBRARY) if p]


@st.composite
def library_edits(draw):
    return _edit_values(draw, LIBRARY, LIBRARY_PATHS)


@SETTINGS
@given(library_edits())
def test_a_mutated_shared_library_never_crashes_the_scenarios_that_include_it(text):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(SCENARIOS / "scripts", folder / "scripts")
        (folder / "mine.yaml").write_text(text, encoding="utf-8")
        (folder / "welfare_check.yaml").write_text(GOOD.replace("include: [common]", "include: [./mine.yaml]"))
        assert check_library(folder / "mine.yaml") is not None
        try:
            loaded = load_scenario(folder / "welfare_check.yaml")
        except ContentError as err:
            assert err.problems and all(str(p) for p in err.problems)
            return
    assert_runs(loaded)
