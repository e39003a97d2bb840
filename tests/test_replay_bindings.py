"""The replay's keys are action names in input/replay.yaml, checked by the same loader as
the trainee's and the instructor's."""

from __future__ import annotations

import pytest

from game.content.bindings import REPLAY_ACTIONS, load_bindings
from game.content.errors import ContentError
from game.content.library import package_dir

INPUT = package_dir("input")


def test_the_default_replay_keys_bind_every_replay_action_once():
    keys = load_bindings(INPUT / "replay.yaml", device="replay")
    assert set(keys.actions) == set(REPLAY_ACTIONS)
    assert keys.first_key("take_controls") == "b" and keys.first_key("faster") == "]"


def test_a_replay_file_with_an_unknown_action_or_a_key_bound_twice_gets_located_errors(tmp_path):
    path = tmp_path / "replay.yaml"
    path.write_text("format_version: 1\ndevice: replay\nactions:\n  play_pause: [space]\n"
                    "  fly_forwards: [w]\n  quit: [space]\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_bindings(path, device="replay")
    assert [(p.line, p.path) for p in err.value.problems] == [(5, "actions.fly_forwards"), (6, "actions.quit[0]")]
    assert "did you mean 'fly_forward'" in err.value.problems[0].message


def test_a_key_name_that_is_not_a_key_is_refused_by_the_schema(tmp_path):
    path = tmp_path / "replay.yaml"
    path.write_text("format_version: 1\ndevice: replay\nactions:\n  faster: [\"]]\"]\n", encoding="utf-8")
    with pytest.raises(ContentError):
        load_bindings(path, device="replay")
