"""Test support for the headset tests: a headless Monado (built by tools/monado.py) and a
client for its remote driver, which lets a test set the head's and the controllers' poses,
trigger and grip values and button clicks as if a trainee moved them.

Monado reads its settings once per process, so every XR test in a pytest process shares
one configuration (the remote driver on a free port); :func:`monado_env` sets it up.
"""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = b"mndrmt3\0"
#: struct r_remote_data of Monado 25.0.0 (src/xrt/drivers/remote/r_interface.h): 376 bytes.
POSE = "4f3f"  # orientation x y z w, position x y z
VIEW = "4f" + POSE + "I"  # fov (left right up down), pose, pad
HEAD = "<" + VIEW * 2 + POSE + "?3x"
CONTROLLER = "<" + POSE + "3f3f" + "5f" + "fff" + "2f" + "f" + "2f" + "16?"
SIZE = 8 + struct.calcsize(HEAD) + 2 * struct.calcsize(CONTROLLER)
assert SIZE == 376, SIZE


def monado_manifest() -> tuple[Path | None, str]:
    """The built runtime's manifest, or None and why not (for the skip message)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import monado  # tools/monado.py
    finally:
        sys.path.pop(0)
    found = monado.manifest_path()
    if found is not None:
        return found, ""
    if not sys.platform.startswith("linux"):
        return None, "the CI OpenXR runtime (Monado) is built on Linux only"
    note = monado.failure_note()
    why = note.read_text().strip() if note.exists() else "it has not been built (run: python3 tools/monado.py ensure)"
    return None, f"no headless Monado to test against: {why}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def monado_env(manifest: Path, config_home: Path, port: int) -> dict[str, str]:
    """Environment for an in-process, headless Monado whose devices are the remote driver's."""
    (config_home / "monado").mkdir(parents=True, exist_ok=True)
    (config_home / "monado" / "config_v0.json").write_text(
        json.dumps({"remote": {"version": 0, "port": port, "view_count": 2}}))
    return {
        "XR_RUNTIME_JSON": str(manifest),
        "XRT_COMPOSITOR_NULL": "1",
        "XDG_CONFIG_HOME": str(config_home),
        "XRT_LOG": "error",
        "OXR_DEBUG_ENTRYPOINTS": "0",
        "P_OVERRIDE_ACTIVE_CONFIG": "remote",
        "XR_LOADER_DEBUG": "none",
    }


@dataclass
class Controller:
    position: tuple[float, float, float] = (0.0, 1.2, -0.3)
    orientation: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
    trigger: float = 0.0
    squeeze: float = 0.0
    active: bool = True
    a_click: bool = False
    b_click: bool = False

    def pack(self) -> bytes:
        bools = [False, self.active, False, False, self.a_click, False, self.b_click, False,
                 self.trigger > 0.9, self.trigger > 0.0, False, False, False, False, False, False]
        return struct.pack(CONTROLLER, *self.orientation, *self.position, 0, 0, 0, 0, 0, 0, *([0.0] * 5),
                           self.trigger, self.squeeze, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, *bools)


@dataclass
class RemoteState:
    head_position: tuple[float, float, float] = (0.0, 1.6, 0.0)
    head_orientation: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
    left: Controller = field(default_factory=lambda: Controller(position=(-0.2, 1.2, -0.3)))
    right: Controller = field(default_factory=lambda: Controller(position=(0.2, 1.2, -0.3)))

    def pack(self) -> bytes:
        fov = (-0.8, 0.8, 0.7, -0.7)
        view = (*fov, *self.head_orientation, 0.0, 0.0, 0.0, 0)
        head = struct.pack(HEAD, *view, *view, *self.head_orientation, *self.head_position, False)
        return HEADER + head + self.left.pack() + self.right.pack()


class RemoteDriver:
    """A connection to Monado's remote driver: :meth:`send` sets head and controllers."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=2.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._drain(2 * SIZE)  # the hub sends its reset and latest state first

    def _drain(self, n: int) -> None:
        got = 0
        self.sock.settimeout(2.0)
        while got < n:
            chunk = self.sock.recv(n - got)
            if not chunk:
                break
            got += len(chunk)

    def send(self, state: RemoteState) -> None:
        self.sock.sendall(state.pack())

    def close(self) -> None:
        self.sock.close()


def run_isolated(code: str, env: dict[str, str], timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    """Runs ``code`` in a fresh interpreter (for what must not share this process's runtime)."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout)
