"""Lets the tests import ``game`` from a plain checkout (an installed copy wins)."""

import sys
from pathlib import Path

import pytest

try:
    import game  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@pytest.fixture(scope="session", autouse=True)
def records_db(tmp_path_factory):
    """Runs started by the tests (in this process or a subprocess) file their sessions in a
    throw-away records database, never in the user's own."""
    import os

    path = tmp_path_factory.mktemp("records") / "records.sqlite3"
    old = os.environ.get("TALKDOWN_DB")
    os.environ["TALKDOWN_DB"] = str(path)
    yield path
    if old is None:
        os.environ.pop("TALKDOWN_DB", None)
    else:
        os.environ["TALKDOWN_DB"] = old


@pytest.fixture(scope="session")
def monado_config():
    """One headless Monado configuration (remote driver on a free port) for the whole test
    process: Monado reads some settings once per process, so every XR module shares it."""
    import tempfile

    from xr_support import free_port, monado_env, monado_manifest

    manifest, why = monado_manifest()
    if manifest is None:
        pytest.skip(why)
    port = free_port()
    return port, monado_env(manifest, Path(tempfile.mkdtemp(prefix="talkdown-monado-")), port)


@pytest.fixture(scope="module")
def monado(monado_config):
    """Monado's environment while an XR test module runs (restored after it, so the other
    tests' subprocesses never find a runtime); yields the remote driver's port."""
    import os

    port, env = monado_config
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield port
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def pg_server():
    """The superuser URL of a PostgreSQL server for the records tests, for the whole test process:
    ``TALKDOWN_TEST_PG_URL`` (an existing server, as a role that may create databases: each
    test makes its own and drops it), else a throwaway one started by
    ``tools/pgserver.py`` (stopped and removed afterwards). On Linux, where CI runs, a server
    that cannot start fails these tests; on Windows and macOS they skip, saying how to run them."""
    import os

    if os.environ.get("TALKDOWN_TEST_PG_URL"):
        yield os.environ["TALKDOWN_TEST_PG_URL"]
        return
    if not sys.platform.startswith("linux"):
        pytest.skip("tools/pgserver.py (the CI helper) starts PostgreSQL on Linux only; "
                    "set TALKDOWN_TEST_PG_URL=postgresql://user@host/db to test against a server here")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
    import pgserver  # tools/pgserver.py

    try:
        server = pgserver.start()
    except pgserver.ServerError as exc:
        pytest.fail(f"no PostgreSQL server for the records tests (tools/bootstrap.py test installs it): {exc}", pytrace=False)
    yield server.url
    server.stop()
