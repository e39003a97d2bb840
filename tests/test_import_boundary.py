"""The pure core (game.core, game.content, game.review, the session host game.live) never reaches
for the engine, a device or a database; every package imports only the layers docs/architecture.md's
layer table allows it, and no module imports itself round a circle.

Checked twice: statically, by reading every import statement, and dynamically,
by importing every module in a fresh interpreter and looking at what got loaded.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_PACKAGES = ("game/core", "game/content", "game/review", "game/live")

#: Top-level modules that belong to the engine, to devices, or to the records' database (game.records only).
FORBIDDEN_TOP = frozenset(
    {"panda3d", "direct", "pandac", "simplepbr", "gltf", "xr", "pyopenxr", "sounddevice", "pocketsphinx",
     "sqlalchemy", "psycopg", "psycopg2"}
)
#: Parts of Talkdown that the pure core must not depend on.
FORBIDDEN_GAME = ("game.engine", "game.cli")


def _pure_files() -> list[Path]:
    files = sorted(p for pkg in PURE_PACKAGES for p in (ROOT / pkg).rglob("*.py"))
    assert files, "found no source files: is ROOT right?"
    return files


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_names(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    """Every module ``path`` imports (relative imports resolved), with the line it is on."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.append((node.lineno, target))
            names += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in ("import_module", "__import__") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    names.append((node.lineno, arg.value))
    return names


def _is_forbidden(name: str) -> bool:
    if name.split(".")[0] in FORBIDDEN_TOP:
        return True
    return any(name == g or name.startswith(g + ".") for g in FORBIDDEN_GAME)


def test_the_import_checker_notices_an_engine_import_written_any_usual_way(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import json\nimport panda3d.core\nfrom ..engine import app\nimportlib.import_module('sounddevice')\n",
        encoding="utf-8",
    )
    names = [name for _, name in _imported_names(probe, module="game.core.probe")]
    assert [n for n in names if _is_forbidden(n)] == ["panda3d.core", "game.engine", "game.engine.app", "sounddevice"]


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_pure_module_imports_the_engine_or_a_device(path):
    bad = [f"{path.relative_to(ROOT)}:{line}: imports {name}" for line, name in _imported_names(path) if _is_forbidden(name)]
    assert bad == []


_IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import game, game.core, game.content, game.review, game.live
names = ["game", "game.core", "game.content", "game.review", "game.live"]
for pkg in (game.core, game.content, game.review, game.live):
    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        importlib.import_module(info.name)
        names.append(info.name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""


@pytest.fixture(scope="module")
def fresh_import(tmp_path_factory):
    """Imports every pure module in a fresh interpreter, in an empty folder with an empty home."""
    work = tmp_path_factory.mktemp("cwd")
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PANDA", "XR_"))}
    env.update(PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1", HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERYTHING], cwd=work, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["cwd"], result["home"] = work, home
    return result


def test_importing_every_pure_module_loads_no_engine_or_device_module(fresh_import):
    loaded = [m for m in fresh_import["loaded"] if _is_forbidden(m)]
    assert loaded == []


def test_every_module_under_core_and_content_was_imported(fresh_import):
    expected = {_module_name(p) for p in _pure_files()} | {"game"}
    assert set(fresh_import["imported"]) == expected


def test_importing_the_pure_core_writes_no_files(fresh_import):
    assert list(fresh_import["cwd"].iterdir()) == []
    assert list(fresh_import["home"].iterdir()) == []


# ------------------------------------------------------------------ the layer table


def _layer_table() -> dict[str, tuple[list[str], set[str]]]:
    """docs/architecture.md's layer table: layer -> (its packages, the layers it may import)."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = text.split("<!-- layers -->", 2)[1]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in block.splitlines()
            if line.startswith("|") and not line.startswith("|---")][1:]
    names = {row[0] for row in rows}
    table = {}
    for layer, packages, may, *_rest in rows:
        pkgs = [p.strip(" `") for p in packages.split(",")]
        allowed = {w.strip(" `") for w in may.split(",")} & names if may != "everything" else set(names)
        table[layer] = (pkgs, allowed)
    return table


def _layer_of(module: str, table: dict[str, tuple[list[str], set[str]]]) -> str | None:
    for layer, (pkgs, _) in table.items():
        if any(module == p or module.startswith(p + ".") for p in pkgs):
            return layer
    return None


def _all_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((ROOT / "game").rglob("*.py"))}


def test_the_layer_table_in_the_docs_names_every_package_of_the_game():
    table = _layer_table()
    assert {"core", "content", "live", "engine", "command"} <= set(table)
    unplaced = sorted(m for m in _all_modules() if m != "game" and _layer_of(m, table) is None)
    assert unplaced == [], "modules in no layer of docs/architecture.md's table"


def test_every_import_of_a_talkdown_module_is_one_its_layer_may_make():
    table = _layer_table()
    bad = []
    for module, path in _all_modules().items():
        src = _layer_of(module, table)
        if src is None:
            continue
        for line, name in _imported_names(path, module):
            if not name.startswith("game.") or name.count(".") < 1:
                continue
            dst = _layer_of(name, table)
            if dst is not None and dst != src and dst not in table[src][1]:
                bad.append(f"{path.relative_to(ROOT)}:{line}: {src} imports {name} ({dst})")
    assert bad == []


def _import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the Talkdown modules it imports, at the top or inside a function alike."""

    def target(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        deps = set()
        for _line, name in _imported_names(path, module):
            dst = target(name) if name.startswith("game") else None
            # a package's own __init__ (the import system loads it first) is not a circle
            if dst and dst != module and dst != "game" and not module.startswith(dst + "."):
                deps.add(dst)
        graph[module] = deps
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle a depth-first walk of ``graph`` meets, each as the path round it."""
    seen: dict[str, int] = {}  # 1: on the path, 2: done
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                circles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in seen:
                visit(nxt, path + [nxt])
        seen[node] = 2

    for module in sorted(graph):
        if module not in seen:
            visit(module, [module])
    return circles


def test_no_module_imports_itself_round_a_circle_not_even_inside_a_function():
    assert _circles(_import_graph(_all_modules())) == []


def test_the_circle_checker_notices_two_modules_importing_each_other_inside_functions(tmp_path):
    (tmp_path / "a.py").write_text("def f():\n    from game.voice.b import g\n    return g\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def g():\n    from game.voice import a\n    return a\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("from game.voice.a import f\n", encoding="utf-8")
    modules = {f"game.voice.{n}": tmp_path / f"{n}.py" for n in "abc"}
    assert _circles(_import_graph(modules)) == [["game.voice.a", "game.voice.b", "game.voice.a"]]


def test_the_layer_checker_notices_a_layer_reaching_up(tmp_path):
    table = _layer_table()
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from game.engine.app import SessionApp\n", encoding="utf-8")
    [(_, name), *_] = [x for x in _imported_names(probe, "game.live.probe") if x[1].startswith("game.engine")]
    assert _layer_of(name, table) == "engine" and "engine" not in table["live"][1]
