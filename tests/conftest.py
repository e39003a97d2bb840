"""Lets the tests import ``game`` from a plain checkout (an installed copy wins)."""

import sys
from pathlib import Path

try:
    import game  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
