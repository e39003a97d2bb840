"""Lets the tests import ``game`` from a plain checkout (an installed copy wins)."""

import sys
from pathlib import Path

import pytest

try:
    import game  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@pytest.fixture(scope="session")
def monado():
    """An in-process, headless Monado with the remote driver on a free port (see tests/xr_support.py);
    one configuration per test process, since Monado reads its settings once. Yields the port."""
    import os
    import tempfile

    from xr_support import free_port, monado_env, monado_manifest

    manifest, why = monado_manifest()
    if manifest is None:
        pytest.skip(why)
    port = free_port()
    env = monado_env(manifest, Path(tempfile.mkdtemp(prefix="talkdown-monado-")), port)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield port
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
