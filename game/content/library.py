"""Where content lives: the installed ``scenarios/``, ``scenes/``, ``input/`` and
``assets/`` folders, and files named by path.

Names resolve to installed files (``welfare_check`` → ``scenarios/welfare_check.yaml``);
anything with a path separator or a ``.yaml`` suffix is taken as a path.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

DEFAULT_SCENARIO = "welfare_check"


#: Where the content packages sit: beside the ``game`` package, installed or checked out.
_ROOT = Path(__file__).resolve().parent.parent.parent


def package_dir(package: str) -> Path:
    """The folder of an installed content package (``scenarios``, ``scenes``, ``input``, ``assets``).

    Found beside the ``game`` package rather than by import, so a folder of the same name in
    the working directory (an author's own ``scenes/``) cannot stand in for it."""
    beside = _ROOT / package
    if (beside / "__init__.py").is_file():
        return beside
    return Path(os.fspath(resources.files(package)))  # type: ignore[arg-type]


def looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name


def resolve(name: str, package: str, relative_to: str | os.PathLike[str] | None = None) -> Path:
    """The file a ``name`` refers to: a path (relative to ``relative_to``'s folder when given)
    or an installed file ``<package>/<name>.yaml``. The result may not exist."""
    if looks_like_path(name):
        p = Path(name)
        if not p.is_absolute() and relative_to is not None:
            p = Path(relative_to).parent / p
        return p
    return package_dir(package) / f"{name}.yaml"


def installed(package: str) -> list[Path]:
    """Every content file installed in ``package`` (schemas excluded), sorted by name."""
    return sorted(p for p in package_dir(package).glob("*.yaml"))
