"""tools/monado.py, the CI runtime's builder: where it caches, that a cached build is
reused without building, and what it switches off."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def monado(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location("monado_tool", ROOT / "tools" / "monado.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setenv("TALKDOWN_CACHE", str(tmp_path / "cache"))
    return module


def test_the_build_lives_in_the_cache_outside_the_checkout(monado, tmp_path):
    assert monado.prefix() == tmp_path / "cache" / "monado-25.0.0"
    assert monado.manifest_path() is None


def test_a_cached_build_is_found_at_once_and_never_rebuilt(monado, monkeypatch):
    manifest = monado.prefix() / monado.MANIFEST
    manifest.parent.mkdir(parents=True)
    manifest.write_text("{}")
    (monado.prefix() / "lib").mkdir()
    (monado.prefix() / "lib" / "libopenxr_monado.so").write_bytes(b"")
    monkeypatch.setattr(monado, "build", lambda **kw: pytest.fail("rebuilt a cached runtime"))
    started = time.perf_counter()
    assert monado.ensure() == manifest
    assert time.perf_counter() - started < 0.5


def test_a_failed_build_leaves_a_reason_for_the_skips(monado, monkeypatch):
    def broken(**kw):
        raise monado.BuildError("apt-get source ... failed with exit code 100")
    monkeypatch.setattr(monado, "build", broken)
    assert monado.ensure() is None
    assert "exit code 100" in monado.failure_note().read_text()


def test_only_what_ci_needs_is_built(monado):
    opts = monado.CMAKE_OPTIONS
    assert opts["XRT_FEATURE_SERVICE"] == "OFF" and opts["XRT_MODULE_MONADO_GUI"] == "OFF"
    assert "XRT_MODULE_AUX_VIVE" not in opts  # switching it off breaks the link
    assert opts["XRT_BUILD_DRIVER_VIVE"] == "OFF"


def test_the_mirror_comes_from_the_machines_own_sources(monado, monkeypatch, tmp_path):
    assert monado.debian_mirror().startswith("http")
