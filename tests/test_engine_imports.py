"""Importing the engine adapter does nothing by itself: no config, no window, no builtins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import builtins, importlib, pkgutil
import game.engine, game.runner, game.cli, game.bench, game.live.session
for info in pkgutil.iter_modules(game.engine.__path__):
    importlib.import_module(f"game.engine.{info.name}")
from panda3d.core import ConfigPageManager
pages = [ConfigPageManager.get_global_ptr().get_explicit_page(i).get_name()
         for i in range(ConfigPageManager.get_global_ptr().get_num_explicit_pages())]
print("pages:", [p for p in pages if "talkdown" in p])
print("builtins:", [n for n in ("base", "render", "loader", "taskMgr", "messenger") if hasattr(builtins, n)])
print("showbase:", "direct.showbase.ShowBase" in __import__("sys").modules)
"""


def test_importing_every_engine_module_configures_nothing_and_opens_nothing(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "pages: []" in result.stdout
    assert "builtins: []" in result.stdout
    assert "showbase: False" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_closing_an_engine_unloads_its_config_so_the_next_one_starts_clean():
    from panda3d.core import ConfigPageManager

    from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase

    def talkdown_pages() -> int:
        mgr = ConfigPageManager.get_global_ptr()
        return sum("talkdown" in mgr.get_explicit_page(i).get_name() for i in range(mgr.get_num_explicit_pages()))

    before = talkdown_pages()
    base = create_showbase(EngineSettings(offscreen=True, width=32, height=32, display=default_offscreen_display()))
    assert talkdown_pages() == before + 1
    destroy_showbase(base)
    assert talkdown_pages() == before
