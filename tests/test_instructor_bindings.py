"""The instructor's bindings file: action names, not keys, in the code; located errors for
an unknown action, a key bound twice, or a key the trainee already uses on a shared keyboard."""

from __future__ import annotations

import pytest

from game.content.bindings import INSTRUCTOR_ACTIONS, load_bindings
from game.content.errors import ContentError
from game.content.library import package_dir

INPUT = package_dir("input")


@pytest.fixture(scope="module")
def desktop():
    return load_bindings(INPUT / "desktop.yaml", device="desktop")


def _write(tmp_path, text, device="instructor"):
    path = tmp_path / "console.yaml"
    path.write_text(f"format_version: 1\ndevice: {device}\nactions:\n" + text, encoding="utf-8")
    return path


def test_the_default_instructor_keys_bind_every_action_and_none_is_a_trainee_key(desktop):
    keys = load_bindings(INPUT / "instructor.yaml", device="instructor", shared_with=desktop)
    assert set(keys.actions) == set(INSTRUCTOR_ACTIONS)
    trainee = desktop.keys_heard()
    assert not set(keys.keys_heard()) & set(trainee)


def test_an_instructor_file_with_an_unknown_action_gets_a_located_error_with_a_suggestion(tmp_path):
    path = _write(tmp_path, "  escalate: [page_up]\n  force_branch_10: [alt-0]\n  pauze: [f9]\n")
    with pytest.raises(ContentError) as err:
        load_bindings(path, device="instructor")
    assert [(p.line, p.path) for p in err.value.problems] == [(5, "actions.force_branch_10"), (6, "actions.pauze")]
    assert "unknown action 'pauze' (did you mean 'pause'?)" in err.value.problems[1].message


def test_an_instructor_key_bound_twice_gets_a_located_error_naming_the_first_action(tmp_path):
    path = _write(tmp_path, "  escalate: [page_up]\n  calm: [page_down, page_up]\n")
    with pytest.raises(ContentError) as err:
        load_bindings(path, device="instructor")
    (problem,) = err.value.problems
    assert (problem.line, problem.path) == (5, "actions.calm[1]")
    assert "key 'page_up' is already bound to 'escalate'" in problem.message


def test_an_instructor_key_the_trainee_hears_on_the_shared_keyboard_is_refused_where_it_is_written(tmp_path, desktop):
    path = _write(tmp_path, "  escalate: [page_up]\n  mark: [control-h]\n  pause: [f1]\n")
    with pytest.raises(ContentError) as err:
        load_bindings(path, device="instructor", shared_with=desktop)
    assert [(p.line, p.path) for p in err.value.problems] == [(5, "actions.mark[0]"), (6, "actions.pause[0]")]
    assert "key 'control-h' is the desktop key for 'holster'" in err.value.problems[0].message
    assert "key 'f1' is the desktop key for 'draw_flashlight'" in err.value.problems[1].message


def test_a_trainee_file_given_where_the_instructors_is_wanted_says_which_device_it_binds(tmp_path):
    path = _write(tmp_path, "  move_forward: [w]\n", device="desktop")
    with pytest.raises(ContentError) as err:
        load_bindings(path, device="instructor")
    (problem,) = err.value.problems
    assert problem.path == "device" and problem.line == 2
    assert "binds the 'desktop' device; 'device: instructor' bindings are needed here" in problem.message
