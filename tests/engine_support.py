"""Helpers for tests that render: an offscreen ShowBase and pixel measurements."""

from __future__ import annotations

import contextlib
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from game.engine.settings import EngineSettings, create_showbase, default_offscreen_display, destroy_showbase


@contextlib.contextmanager
def offscreen_base(width: int = 320, height: int = 240) -> Iterator[object]:
    """A real offscreen ShowBase (EGL + Mesa on Linux); destroyed afterwards."""
    base = create_showbase(
        EngineSettings(offscreen=True, width=width, height=height, display=default_offscreen_display(), gl_finish=True)
    )
    try:
        yield base
    finally:
        destroy_showbase(base)


def render_rgb(base: object) -> np.ndarray:
    """Renders one frame and returns it as an (h, w, 3) float array in 0..1, row 0 at the top."""
    base.graphics_engine.render_frame()  # type: ignore[attr-defined]
    base.graphics_engine.render_frame()  # type: ignore[attr-defined]
    tex = base.win.get_screenshot()  # type: ignore[attr-defined]
    assert tex is not None, "no screenshot"
    w, h = tex.get_x_size(), tex.get_y_size()
    data = np.frombuffer(bytes(tex.get_ram_image_as("RGB")), dtype=np.uint8).reshape(h, w, 3)
    return data[::-1].astype(np.float32) / 255.0  # frame buffers are stored bottom row first


def project(base: object, point: tuple[float, float, float]) -> tuple[int, int] | None:
    """Pixel (x, y) where a world point appears in the default camera's view, or None."""
    from panda3d.core import Point2, Point3

    cam = base.cam  # type: ignore[attr-defined]
    p = cam.get_relative_point(base.render, Point3(*point))  # type: ignore[attr-defined]
    p2 = Point2()
    if not cam.node().get_lens().project(p, p2):
        return None
    w, h = base.win.get_x_size(), base.win.get_y_size()  # type: ignore[attr-defined]
    return int((p2.x + 1) / 2 * w), int((1 - p2.y) / 2 * h)


def wait_for(test: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Polls ``test`` every 0.1 s until it holds or ``seconds`` pass (for a child process's
    window or journal; a guard against hanging, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def virtual_display(first: int, last: int, size: str = "800x600x24") -> Iterator[str]:
    """A private Xvfb display numbered in ``first..last`` (each test module its own range, so
    modules never share one); yields ``":N"`` and stops the server afterwards."""
    number = next(n for n in range(first, last)
                  if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists())
    proc = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", size, "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_for(lambda: Path(f"/tmp/.X11-unix/X{number}").exists() or proc.poll() is not None, 10.0) \
                or proc.poll() is not None:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
