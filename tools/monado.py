#!/usr/bin/env python3
"""Builds a headless Monado (an open OpenXR runtime) for the XR tests. CI-only, Linux/Debian.

    python3 tools/monado.py ensure      # build into the cache unless it is there; print the manifest
    python3 tools/monado.py deps        # only install the Debian build dependencies
    python3 tools/monado.py where       # print the runtime manifest path if built (exit 1 if not)

Monado 25.0.0 comes from Debian 13's *source* package (Debian 12 has no Monado, and
13's binary needs a newer glibc). ``apt-get source`` runs with a private apt
configuration under the cache, so the machine's own sources stay untouched. Only the
in-process runtime is built: no service, GUI, SteamVR plugin or hardware drivers (the
simulated and remote drivers are what the tests use). The result, about 1.4 MB, lives
in ``~/.cache/talkdown/monado-25.0.0/`` (``$TALKDOWN_CACHE`` moves it): a second run
finds it and returns at once. A build takes about 2.5 minutes on two cores.

Every failure is reported in one line and leaves the tests to skip with that reason
(written to ``build-failed.txt`` beside the prefix).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

VERSION = "25.0.0"
SOURCE_VERSION = "25.0.0+dfsg-2"
SUITE = "trixie"
#: Debian packages the build needs (Debian 12 names).
BUILD_DEPS = [
    "cmake", "ninja-build", "g++", "pkg-config", "dpkg-dev", "xz-utils", "glslang-tools", "libvulkan-dev",
    "libeigen3-dev", "libcjson-dev", "libudev-dev", "libx11-dev", "libxrandr-dev", "libxcb-randr0-dev",
    "libx11-xcb-dev", "libbsd-dev", "libgl-dev", "libegl-dev", "mesa-vulkan-drivers", "libgl1-mesa-dri",
    "libegl-mesa0",
]
#: CMake switches: what CI does not need is off. XRT_MODULE_AUX_VIVE must stay on (the link needs it).
CMAKE_OPTIONS = {
    "CMAKE_BUILD_TYPE": "Release",
    "XRT_FEATURE_SERVICE": "OFF",
    "XRT_MODULE_MONADO_GUI": "OFF",
    "XRT_FEATURE_STEAMVR_PLUGIN": "OFF",
    "BUILD_TESTING": "OFF",
    "XRT_BUILD_SAMPLES": "OFF",
    "BUILD_DOC": "OFF",
    **{f"XRT_BUILD_DRIVER_{d}": "OFF" for d in (
        "NS", "TWRAP", "WMR", "VIVE", "HDK", "HYDRA", "PSMV", "PSSENSE", "ROKID", "STEAMVR_LIGHTHOUSE",
        "RIFT_S", "ARDUINO", "DAYDREAM", "EUROC")},
}
MANIFEST = Path("share/openxr/1/openxr_monado.json")


def say(msg: str) -> None:
    print(f"monado: {msg}", flush=True)


def cache_root() -> Path:
    env = os.environ.get("TALKDOWN_CACHE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "talkdown"


def prefix() -> Path:
    return cache_root() / f"monado-{VERSION}"


def manifest_path() -> Path | None:
    """The runtime manifest of a finished build, or None."""
    path = prefix() / MANIFEST
    return path if path.is_file() and any((prefix() / "lib").glob("libopenxr_monado.so*")) else None


def failure_note() -> Path:
    return cache_root() / f"monado-{VERSION}.build-failed.txt"


class BuildError(RuntimeError):
    """A step of the build failed (the message is one line)."""


def _run(cmd: list[str], *, cwd: Path | None = None, log: Path | None = None, env: dict[str, str] | None = None) -> None:
    out = open(log, "ab") if log is not None else subprocess.DEVNULL
    try:
        r = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
    except OSError as exc:
        raise BuildError(f"cannot run {cmd[0]}: {exc}") from None
    finally:
        if log is not None:
            out.close()  # type: ignore[union-attr]
    if r.returncode != 0:
        where = f" (log: {log})" if log is not None else ""
        raise BuildError(f"{' '.join(cmd[:3])} ... failed with exit code {r.returncode}{where}")


def missing_packages(packages: list[str]) -> list[str]:
    if shutil.which("dpkg-query") is None:
        return []
    missing = []
    for pkg in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    return missing


def install_deps() -> None:
    """Installs the missing build dependencies with apt (as root or via sudo). Raises BuildError."""
    missing = missing_packages(BUILD_DEPS)
    if not missing:
        return
    prefix_cmd: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            raise BuildError(f"build dependencies missing and no sudo: apt-get install {' '.join(missing)}")
        prefix_cmd = ["sudo", "-n"]
    say(f"installing build dependencies: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        _run([*prefix_cmd, "apt-get", "update", "-qq"], env=env)
    except BuildError:
        pass  # stale lists may still serve
    _run([*prefix_cmd, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def debian_mirror() -> str:
    """The machine's own Debian mirror (deb822 or one-line sources), else deb.debian.org."""
    candidates = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for path in candidates:
        if path.suffix not in ("", ".list", ".sources") or not path.is_file():
            continue
        text = path.read_text(errors="replace")
        for m in re.finditer(r"^\s*(?:URIs:\s*|deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?)(\S+)", text, re.MULTILINE):
            uri = m.group(1).rstrip("/")
            if uri.startswith("http") and "security" not in uri and "debian" in uri:
                return uri
    return "http://deb.debian.org/debian"


def fetch_source(work: Path, log: Path) -> Path:
    """Downloads Monado's Debian source with a private apt setup; returns the orig tarball."""
    apt = work / "apt"
    for sub in ("lists/partial", "archives/partial"):
        (apt / sub).mkdir(parents=True, exist_ok=True)
    sources = apt / "sources.list"
    sources.write_text(f"deb-src {debian_mirror()} {SUITE} main\n")
    opts = [
        "-o", f"Dir::Etc::SourceList={sources}",
        "-o", "Dir::Etc::SourceParts=/dev/null",
        "-o", f"Dir::State={apt}",
        "-o", f"Dir::State::Lists={apt / 'lists'}",
        "-o", f"Dir::Cache={apt}",
        "-o", "Debug::NoLocking=1",
        "-o", "APT::Sandbox::User=root",
    ]
    _run(["apt-get", *opts, "update"], log=log)
    src = work / "src"
    src.mkdir(exist_ok=True)
    try:
        _run(["apt-get", *opts, "source", "--download-only", f"monado={SOURCE_VERSION}"], cwd=src, log=log)
    except BuildError as exc:
        # Some mirrors carry only the upstream tarball, not the .dsc or the Debian diff. apt checks
        # each file against the signed Sources index before keeping it, so the tarball alone will do.
        if not list(src.glob("monado_*.orig.tar.*")):
            raise exc
    tarballs = sorted(src.glob("monado_*.orig.tar.*"))
    if not tarballs:
        raise BuildError(f"apt-get source left no orig tarball in {src}")
    return tarballs[0]


def build(*, deps: bool = True) -> Path:
    """Builds Monado into :func:`prefix` and returns the manifest. Raises BuildError."""
    if sys.platform != "linux":
        raise BuildError("the CI runtime is built on Linux only")
    if deps:
        install_deps()
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    work = root / f"monado-{VERSION}.work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log = work / "build.log"
    started = time.monotonic()
    say(f"building Monado {VERSION} into {prefix()} (about 2.5 minutes on 2 cores; log {log})")
    tarball = fetch_source(work, log)
    with tarfile.open(tarball) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse links and paths out of the tree
            tar.extractall(work / "tree", filter="data")
        else:  # an apt-verified Debian tarball
            tar.extractall(work / "tree")
    (tree,) = [p for p in (work / "tree").iterdir() if p.is_dir()]
    staging = root / f"monado-{VERSION}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    defines = [f"-D{k}={v}" for k, v in CMAKE_OPTIONS.items()]
    _run(["cmake", "-S", str(tree), "-B", str(work / "build"), "-G", "Ninja",
          f"-DCMAKE_INSTALL_PREFIX={staging}", *defines], log=log)
    _run(["cmake", "--build", str(work / "build"), "--parallel", str(os.cpu_count() or 2)], log=log)
    _run(["cmake", "--install", str(work / "build")], log=log)
    if not (staging / MANIFEST).is_file():
        raise BuildError(f"the build installed no {MANIFEST} (log: {log})")
    final = prefix()
    shutil.rmtree(final, ignore_errors=True)
    staging.rename(final)  # appears whole or not at all
    shutil.copy(log, final / "build.log")
    shutil.rmtree(work, ignore_errors=True)
    say(f"built in {time.monotonic() - started:.0f} s")
    return final / MANIFEST


def ensure(*, deps: bool = True) -> Path | None:
    """The runtime manifest, building it first when missing. None (and a note saying why) on failure."""
    found = manifest_path()
    if found is not None:
        return found
    try:
        path = build(deps=deps)
    except (BuildError, OSError, tarfile.TarError, ValueError) as exc:
        say(f"cannot build the runtime: {exc}; XR tests will be skipped")
        try:
            failure_note().parent.mkdir(parents=True, exist_ok=True)
            failure_note().write_text(f"{exc}\n")
        except OSError:
            pass
        return None
    failure_note().unlink(missing_ok=True)
    return path


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "ensure"
    if command == "where":
        found = manifest_path()
        if found is not None:
            print(found)
        return 0 if found else 1
    if command == "deps":
        try:
            install_deps()
        except BuildError as exc:
            say(str(exc))
            return 1
        return 0
    if command == "ensure":
        found = ensure()
        if found is not None:
            print(found)
        return 0 if found else 1
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
