"""One table of the tools (game.core.tools.KINDS): every list of tools in the core, the
devices, the content checks and the review is read from it, so a new force option is that
table, its figures, its look and its place in the policy (docs/architecture.md)."""

from __future__ import annotations

from dataclasses import fields

import pytest

from game.content.bindings import DESKTOP_ACTIONS
from game.content.errors import ContentError
from game.content.library import package_dir
from game.content.policy import POLICY_TOOLS, load_policy
from game.core.controls import TOOL_HAND
from game.core.events import TOOLS, WEAPONS
from game.core.subject import DEFAULT_REACTION, DOWN_POSTURE
from game.core.tools import DEFAULT_TOOLS, KINDS, ToolSpecs
from game.review.plots import TOOL_COLOURS


def test_every_list_of_tools_is_read_from_the_one_tool_table():
    assert TOOLS == ("flashlight", "oc_spray", "cew", "baton", "firearm") == tuple(KINDS)
    assert WEAPONS == {name for name, kind in KINDS.items() if kind.force} == set(TOOLS) - {"flashlight"}
    assert set(DEFAULT_REACTION) == WEAPONS and DEFAULT_REACTION["cew"] == ("incapacitated", 5.0)
    assert DOWN_POSTURE["firearm"] == "collapsed" and DOWN_POSTURE["oc_spray"] == "kneeling"
    assert TOOL_HAND == {"flashlight": "left", "oc_spray": "right", "cew": "right", "baton": "right",
                         "firearm": "right"}
    assert set(TOOL_COLOURS) == set(TOOLS) | {"touch"}
    assert POLICY_TOOLS == ("touch", "oc_spray", "cew", "baton", "firearm")
    assert {f"draw_{t}" for t in TOOLS} <= set(DESKTOP_ACTIONS)


def test_every_tool_has_its_figures_and_a_hold_height_and_every_force_option_a_use():
    assert set(TOOLS) <= {f.name for f in fields(ToolSpecs)}
    assert set(DEFAULT_TOOLS.hold_height) == set(TOOLS)
    assert all(kind.use is not None and kind.react is not None for kind in KINDS.values() if kind.force)
    assert [name for name, kind in KINDS.items() if kind.swings] == ["baton"]


def test_a_policy_naming_a_tool_outside_the_table_is_refused_where_it_says_so(tmp_path):
    text = (package_dir("scenarios") / "policies" / "default.yaml").read_text(encoding="utf-8")
    path = tmp_path / "policy.yaml"
    path.write_text(text.replace("tools: [baton]", "tools: [nunchaku]"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_policy(path)
    (problem,) = caught.value.problems
    assert problem.line == text[:text.index("tools: [baton]")].count("\n") + 1
    assert "unknown tool 'nunchaku' (known: touch, oc_spray, cew, baton, firearm)" in str(problem)
