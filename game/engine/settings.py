"""Engine settings as a typed dataclass, turned into Panda3D config when a ShowBase is made.

Nothing is configured at import time: :func:`create_showbase` loads a named config
page for the settings it is given, and :func:`destroy_showbase` unloads it again,
so tests can open and close engines with different settings in one process.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """How the engine opens: window or offscreen, size, renderer, audio."""

    offscreen: bool = False
    width: int = 1280
    height: int = 720
    title: str = "Talkdown"
    display: str = ""  # a Panda display module (pandagl, p3headlessgl, p3tinydisplay); empty: Panda's default
    audio: bool = False
    vsync: bool = True
    gl_finish: bool = False  # makes offscreen frame times honest on software renderers

    def prc(self) -> str:
        lines = [
            f"win-size {self.width} {self.height}",
            f"window-type {'offscreen' if self.offscreen else 'onscreen'}",
            f"audio-library-name {'p3openal_audio' if self.audio else 'null'}",
            f"sync-video {'#t' if self.vsync and not self.offscreen else '#f'}",
            f"gl-finish {'#t' if self.gl_finish else '#f'}",
            "model-cache-dir",  # no cache: it hides loader changes and leaks state between runs
            "notify-level-device fatal",
            "print-pipe-types #f",
            "notify-level-glgsg error",
            "notify-level-display error",
            "default-directnotify-level warning",
            "textures-power-2 none",
        ]
        if self.display:
            lines.append(f"load-display {self.display}")
            lines.append("aux-display p3tinydisplay")
        return "\n".join(lines) + "\n"


def default_offscreen_display() -> str:
    """The display module that renders with no screen: EGL on Linux, the normal GL elsewhere."""
    return "p3headlessgl" if sys.platform.startswith("linux") else ""


class EngineUnavailable(RuntimeError):
    """No window or offscreen buffer could be opened (the message is one line for the user)."""


def create_showbase(settings: EngineSettings) -> Any:
    """Opens a ShowBase for ``settings``. Raises :class:`EngineUnavailable` with a one-line
    reason when no window or buffer can be opened."""
    from direct.showbase.ShowBase import ShowBase
    from panda3d.core import WindowProperties, load_prc_file_data, unload_prc_file

    page = load_prc_file_data("talkdown-engine", settings.prc())
    what = "buffer" if settings.offscreen else "window"
    try:
        base = ShowBase(windowType="offscreen" if settings.offscreen else "onscreen")
    except Exception as exc:  # Panda raises a bare Exception when no window opens
        unload_prc_file(page)
        raise EngineUnavailable(f"could not open a {what}: {exc}") from None
    if base.win is None:
        base.destroy()
        unload_prc_file(page)
        raise EngineUnavailable(f"could not open a {what} (no graphics driver found)")
    base._talkdown_prc_page = page  # type: ignore[attr-defined]
    base.disable_mouse()
    if not settings.offscreen:
        props = WindowProperties()
        props.set_title(settings.title)
        base.win.request_properties(props)
    return base


def destroy_showbase(base: Any) -> None:
    """Closes ``base`` and unloads its config page. Safe to call twice."""
    from panda3d.core import unload_prc_file

    page = getattr(base, "_talkdown_prc_page", None)
    try:
        base.destroy()
    finally:
        if page is not None:
            unload_prc_file(page)
            base._talkdown_prc_page = None


def renderer_name(base: Any) -> str:
    """The GPU (or software renderer) drawing ``base``'s window, for run.json and benchmarks."""
    gsg = base.win.get_gsg() if base.win else None
    name = f"{gsg.get_driver_vendor()} {gsg.get_driver_renderer()}".strip() if gsg is not None else ""
    return name or (base.pipe.get_interface_name() if base.pipe else "unknown")


def is_software_renderer(base: Any) -> bool:
    name = renderer_name(base).lower()
    return any(s in name for s in ("llvmpipe", "softpipe", "software", "tiny", "swrast"))
