"""Frames of the trainee's view for the review, saved without stalling the render loop.

:class:`FrameCapture` is a journal sink and the body of ``SessionApp``'s ``talkdown:capture``
task. It saves the first frame, one every ``interval`` simulated seconds, one at each key
moment — a force option drawn or used, hands on, an attack, a branch entered, an instructor's
mark, the ending — and the last. The task runs after the frame is rendered: the picture is
copied out of the window there (a few milliseconds), and a background thread encodes the PNG
(Panda3D releases the GIL while it writes), so a VR frame never waits for the disk.
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path
from typing import Any

from panda3d.core import Filename

from game.core.events import WEAPONS as FORCE_TOOLS, Event

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
    """

    def __init__(self, win: Any, folder: Path, *, interval: float = 5.0, limit: int = 60, moments: int = 60) -> None:
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
        self._queue: queue.Queue[tuple[Any, Path] | None] = queue.Queue()
        self._writer: threading.Thread | None = None

    # ------------------------------------------------------------ journal sink

    def record(self, step: int, time: float, event: Event) -> None:
        """Journal sink hook, called as each event happens: a key moment asks for the next frame."""
        if event.TYPE == "Say" and not self._spoken and event.source not in ("instructor", "sim"):
            self._spoken = True  # the trainee's first words: the review's "first contact" moment
            self._wanted = True
            return
        needs_force = KEY_MOMENTS.get(event.TYPE)
        if needs_force is None:
            return
        if needs_force and not (getattr(event, "tool", "") in FORCE_TOOLS and getattr(event, "force", True)):
            return
        self._wanted = True

    # ------------------------------------------------------------ capture task

    def due(self, now: float) -> bool:
        """Whether the frame just rendered should be saved (called once per rendered frame)."""
        if self._wanted and self.moment_count < self.moments:
            return True
        return self.count < self.limit and now + 1e-9 >= self._next

    def save(self, session: Any) -> str | None:
        """Copies the frame just rendered and queues it for writing (once per step: a second
        call at the same step does nothing). Returns the file's name, or None."""
        step = session.sim.clock.step
        if session.frames and session.frames[-1]["step"] == step:
            self._wanted = False
            return None
        texture = self.win.get_screenshot()
        if texture is None:
            return None
        if self._wanted:
            self._wanted = False
            self.moment_count += 1
        else:
            self.count += 1
            self._next = session.sim.now + self.interval
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"frame_{step:06d}.png"
        self._start_writer()
        self._queue.put((texture, self.folder / name))
        session.add_frame(f"{self.folder.name}/{name}")
        return name

    def flush(self) -> None:
        """Waits until every queued frame is on disk (called when the run ends)."""
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None

    def _start_writer(self) -> None:
        if self._writer is None:
            self._writer = threading.Thread(target=self._write_all, name="talkdown-frames", daemon=True)
            self._writer.start()

    def _write_all(self) -> None:
        while (item := self._queue.get()) is not None:
            texture, path = item
            part = path.with_name(path.stem + ".part.png")  # a kill mid-write leaves no half a PNG under the real name
            if texture.write(Filename.from_os_specific(str(part))):
                os.replace(part, path)
            else:
                self.failed += 1
