"""Frames of the trainee's view for the review, saved without stalling the render loop.

:class:`FrameCapture` is a journal sink and the body of ``SessionApp``'s ``talkdown:capture``
task. It saves the first frame, one every ``interval`` simulated seconds, one at each key
moment — a force option drawn or used, hands on, an attack, a branch entered, an instructor's
mark, the ending — and the last. The task runs after the frame is rendered: the pixels are
copied out of the window there, on the main thread, into plain bytes (a few milliseconds),
and a background thread encodes and writes the PNG (:mod:`game.png`: zlib, no Panda3D call,
so nothing of the engine is touched while it renders), so a VR frame never waits for the disk.

A frame comes from the trainee's view when it shows a subject; when it shows none
(a van's side, a wall, the subject behind them) it comes from a witness camera that sees both
the trainee and the subject (:mod:`game.engine.witness`, given by :meth:`FrameCapture.watch`),
rendered for that one frame into a small offscreen buffer.

Each PNG is written to a temporary and renamed (a kill leaves no half a PNG under a frame's
name), owner-only like the run folder; a rename another program blocks is retried (Windows).
A frame that still cannot be written is left out of the session's list when :meth:`flush`
returns, and one line says how many were lost and why.
"""

from __future__ import annotations

import queue
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import numpy as np

from game.core.events import WEAPONS as FORCE_TOOLS, Event
from game.files import private_dir, write_atomic
from game.png import encode_png

#: Journal events that are key moments, and whether they need a force tool to count. The trainee's
#: first words (the first ``Say`` not by the instructor) are one too: the review's "first contact".
#: A key moment's frame is the first one rendered after it; the review shows the frame at or just
#: after each moment (game/review/report.py).
KEY_MOMENTS = {"ToolUsed": True, "Draw": True, "SubjectTouched": False, "SubjectAttacked": False,
               "BranchEntered": False, "ScenarioEnded": False, "Mark": False}


class FrameCapture:
    """Saves PNG frames of ``win`` into ``folder``; see the module's docstring for when.

    ``limit`` caps the periodic frames (key moments are always saved, up to ``moments``).
    Call :meth:`flush` before the run's ``run.json`` is completed so every listed file exists.
    ``warn`` gets the one-line report of frames that could not be written (default: stderr).
    """

    def __init__(self, win: Any, folder: Path, *, interval: float = 5.0, limit: int = 60, moments: int = 60,
                 warn: Callable[[str], Any] | None = None) -> None:
        self.win = win
        self.folder = folder
        self.interval = interval
        self.limit = limit
        self.moments = moments
        self._next = 0.0
        self.count = 0
        self.moment_count = 0
        self._wanted = False
        self._spoken = False
        self.failed = 0
        self.written = 0
        self._folder_made = False
        self.warn = warn or (lambda line: print(line, file=sys.stderr))
        self._queue: queue.Queue[tuple[bytes, int, int, int, Path] | None] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._errors: dict[str, str] = {}  # file name -> why it was not written (filled by the writer)
        self._listed: list[tuple[Any, dict[str, Any]]] = []  # (session, its frame entry) awaiting the writer
        self.witness: Any = None  # a game.engine.witness.Witness (see watch)
        self.witnessed = 0  # key-moment frames taken from the witness camera

    def watch(self, view: Any) -> None:
        """Key moments the trainee's view misses are filmed from a witness camera on ``view``'s
        scene (a :class:`~game.engine.world.world_view.WorldView`). Once; a view without a scene
        (a placeholder) is ignored."""
        if self.witness is not None or not hasattr(view, "figures") or not hasattr(self.win, "make_texture_buffer"):
            return
        from game.engine.witness import Witness

        self.witness = Witness(self.win, view)

    # ------------------------------------------------------------ journal sink

    def record(self, step: int, time: float, event: Event) -> None:
        """Journal sink hook, called as each event happens: a key moment asks for the next frame."""
        if event.TYPE == "Say" and not self._spoken and event.source not in ("instructor", "sim"):
            self._spoken = True  # the trainee's first words: the review's "first contact" moment
            self._want_moment()
            return
        needs_force = KEY_MOMENTS.get(event.TYPE)
        if needs_force is None:
            return
        if needs_force and not (getattr(event, "tool", "") in FORCE_TOOLS and getattr(event, "force", True)):
            return
        self._want_moment()

    def _want_moment(self) -> None:
        if not self._wanted and self.witness is not None and self.moment_count < self.moments:
            self.witness.arm()  # before the frame renders: the trainee's view may show nobody
        self._wanted = True

    # ------------------------------------------------------------ capture task

    def due(self, now: float) -> bool:
        """Whether the frame just rendered should be saved (called once per rendered frame)."""
        if self._wanted and self.moment_count < self.moments:
            return True
        if not (self.count < self.limit and now + 1e-9 >= self._next):
            return False
        if self.witness is not None and not self.witness.armed and self.witness.arm():
            return False  # the trainee's view shows nobody: the next frame, from the witness camera
        return True

    def save(self, session: Any) -> str | None:
        """Copies the frame just rendered and queues it for writing (once per step: a second
        call at the same step does nothing). Returns the file's name, or None."""
        step = session.step_index
        if session.frames and session.frames[-1]["step"] == step:
            self._wanted = False
            if self.witness is not None:
                self.witness.take()  # rests its buffer
            return None
        texture = self.witness.take() if self.witness is not None and self.witness.armed else None
        if texture is not None:
            self.witnessed += 1
        else:
            texture = self.win.get_screenshot()
        if texture is None:
            return None
        # the pixels leave the engine here, on the main thread: the writer gets plain bytes
        width, height = texture.get_x_size(), texture.get_y_size()
        channels = texture.get_num_components()
        if texture.get_component_type() == texture.T_unsigned_byte and channels in (3, 4) and \
                texture.get_ram_image_compression() == texture.CM_off:
            pixels = bytes(texture.get_ram_image())  # Panda's order, BGR(A): a plain copy (~0.1 ms at 1280x720)
        else:
            pixels, channels = bytes(texture.get_ram_image_as("BGR")), 3
        del texture
        if len(pixels) != width * height * channels:
            return None
        if self._wanted:
            self._wanted = False
            self.moment_count += 1
        else:
            self.count += 1
            self._next = session.now + self.interval
        if not self._folder_made:
            private_dir(self.folder)  # frames show the trainee: owner-only, like the run folder
            self._folder_made = True
        name = f"frame_{step:06d}.png"
        self._start_writer()
        self._queue.put((pixels, width, height, channels, self.folder / name))
        session.add_frame(f"{self.folder.name}/{name}")
        if session.frames:
            self._listed.append((session, session.frames[-1]))
        return name

    def flush(self) -> None:
        """Waits until every queued frame is on disk (called when the run ends), then takes the
        frames that could not be written out of their session's list and reports them in one line.
        The witness camera's buffer is let go (a later key moment uses the window)."""
        if self.witness is not None:
            self.witness.destroy()
            self.witness = None
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None
        errors, self._errors = self._errors, {}
        listed, self._listed = self._listed, []
        if not errors:
            return
        for session, entry in listed:
            if Path(entry["file"]).name in errors and entry in session.frames:
                session.frames.remove(entry)
        first = next(iter(errors.items()))
        self.warn(f"talkdown: warning: {len(errors)} frame(s) could not be saved in {self.folder} "
                  f"({first[0]}: {first[1]}); the review goes without them")

    def _start_writer(self) -> None:
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_all, name="talkdown-frames", daemon=True)
            self._writer.start()

    def _write_all(self) -> None:
        """The writer thread: never calls Panda3D, and survives any failure of one frame."""
        while (item := self._queue.get()) is not None:
            pixels, width, height, channels, path = item
            try:
                rgb = np.frombuffer(pixels, dtype=np.uint8).reshape(height, width, channels)[:, :, 2::-1]  # BGR(A) -> RGB
                # a temporary, then a rename: a kill mid-write leaves no half a PNG under the real name
                write_atomic(path, encode_png(np.ascontiguousarray(rgb), width, height, bottom_up=True), mode=0o600)
                self.written += 1
            except Exception as exc:  # noqa: BLE001  (a full disk, a file held open: this frame is lost, not the rest)
                self.failed += 1
                self._errors[path.name] = f"{type(exc).__name__}: {exc}"
