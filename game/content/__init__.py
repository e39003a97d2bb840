"""Content: the one loader and validator for scenarios, scenes, scripts and bindings.

Pure Python (no engine): the game, ``talkdown validate`` and the tools all use it.
Every error is a :class:`~game.content.errors.Problem` with file, line, column and key path.
"""

from game.content.errors import ContentError, Problem
from game.content.scenario import LoadedScenario, check_scenario, load_scenario
from game.content.scene import SceneDef, load_scene
from game.content.script import load_script

__all__ = [
    "ContentError",
    "LoadedScenario",
    "Problem",
    "SceneDef",
    "check_scenario",
    "load_scenario",
    "load_scene",
    "load_script",
]
