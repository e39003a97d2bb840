"""The instructor's console, engine-free: hotkeys (action names from an ``instructor``
bindings file) that become the core's instructor inputs, a typed note for a mark, and the
choice of which subject the console shows and acts on.

A press is queued and submitted in :meth:`ConsoleModel.feed`, just before the next
simulation step, so it acts in that step and is journaled there with source
``instructor``. Switching the monitor view and choosing the subject only change what the
console shows; they are not journaled. The trainee and the instructor may share one
keyboard at the desk: while a note is typed, :class:`KeyboardFocus` tells the trainee's
keys and the console's hotkeys to keep still. The Panda3D keys are
:class:`game.engine.console.instructor.InstructorConsole`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from game.content.bindings import Bindings
from game.core.controls import Hands, events_for
from game.core.drivers import SeatPort
from game.core.events import InputEvent

#: Restart and end ask for a second press within this many (wall-clock) seconds.
CONFIRM_SECONDS = 3.0
#: How long a console message stays on the HUD (wall-clock seconds).
MESSAGE_SECONDS = 4.0
NOTE_LIMIT = 200


class KeyboardFocus:
    """Who has the keyboard: nobody (every hotkey works) or a text entry (only it does).

    Captured at once; released only at the console's next :meth:`ConsoleModel.poll`
    (the next frame), so the key that closes the entry (Enter, Escape) does not also
    reach the trainee's keys in the same frame (Escape ends the trainee's session)."""

    def __init__(self) -> None:
        self.captured = False
        self._release = False

    def capture(self) -> None:
        self.captured, self._release = True, False

    def release_next_frame(self) -> None:
        self._release = True

    def settle(self) -> None:
        """Called once a frame, before input is read."""
        if self._release:
            self.captured, self._release = False, False


@dataclass
class NoteEntry:
    """The text of a mark's note being typed; ``at`` is when the mark key was pressed."""

    at: float
    text: str = ""


@dataclass
class Message:
    text: str
    until: float
    kind: str = "info"  # info, refused, limit


@dataclass
class ConsoleState:
    """What the HUD shows of the console (read-only for it)."""

    subject: str = ""
    note: NoteEntry | None = None
    confirm: str = ""  # the action waiting for its second press
    messages: list[Message] = field(default_factory=list)


class ConsoleModel:
    """The console without a keyboard: what a press, a typed character or Enter does, the
    confirmations, the note, the messages, the chosen subject, and what goes to the
    simulation before each step. Engine-free: a device (Panda3D's keys, later a tablet or
    the network) calls :meth:`press`, :meth:`typed`, :meth:`entry_key`; ``scenario`` is the
    running scenario (for the branch numbers); ``on_switch_view`` is called for the
    switch-view key."""

    seat = "instructor"

    def __init__(self, bindings: Bindings, scenario: Any, *, focus: KeyboardFocus | None = None,
                 on_switch_view: Callable[[], str] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.bindings = bindings
        self.scenario = scenario
        self.focus = focus or KeyboardFocus()
        self.on_switch_view = on_switch_view
        self.clock = clock
        self.state = ConsoleState(subject=scenario.subjects[0].id if scenario.subjects else "")
        self.pending: list[InputEvent | str] = []
        self.sim: SeatPort | None = None
        self._confirm_until = 0.0

    def attach(self, sim: SeatPort) -> None:
        """Called when a (new) session starts: the console acts on ``sim`` (and reads only its
        snapshot)."""
        self.sim = sim
        self.pending.clear()
        self.state.note = None
        self.state.confirm = ""
        ids = [s.id for s in sim.snapshot().subjects]
        if ids and self.state.subject not in ids:
            self.state.subject = ids[0]

    # ------------------------------------------------------------------ keys

    def press(self, action: str) -> None:
        """The key bound to ``action`` was pressed."""
        if self.focus.captured:
            return
        if action in ("restart", "end_session") and not self._confirmed(action):
            return
        if action in ("escalate", "calm"):
            self.pending += events_for(action, Hands(), subject=self.state.subject)
        elif action.startswith("force_branch_"):
            self._force(int(action.rsplit("_", 1)[1]))
        elif action == "pause":
            self.pending.append("pause")  # pause or resume: resolved against the sim in feed()
        elif action == "mark":
            self.state.note = NoteEntry(at=self.sim.snapshot().time if self.sim is not None else 0.0)
            self.focus.capture()
        elif action == "switch_view" and self.on_switch_view is not None:
            self.say(f"monitor: {self.on_switch_view()}")
        elif action == "next_subject":
            self._next_subject()
        elif action == "restart":
            self.pending += events_for("restart", Hands())
        elif action == "end_session":
            self.pending += events_for("end", Hands(), seat="instructor", reason="ended by instructor")

    def _confirmed(self, action: str) -> bool:
        """Restart and end need a second press within :data:`CONFIRM_SECONDS`."""
        now = self.clock()
        if self.state.confirm == action and now <= self._confirm_until:
            self.state.confirm = ""
            return True
        self.state.confirm = action
        self._confirm_until = now + CONFIRM_SECONDS
        key = self.bindings.first_key(action).upper()
        what = "restart the scenario" if action == "restart" else "end the session"
        self.say(f"press {key} again to {what}", seconds=CONFIRM_SECONDS)
        return False

    def _force(self, number: int) -> None:
        branches = self.scenario.branches
        if number > len(branches):
            self.say(f"no branch {number}: this scenario has {len(branches)}", kind="refused")
            return
        self.pending += events_for("force_branch", Hands(), branch=branches[number - 1].id)

    def _next_subject(self) -> None:
        ids = [s.id for s in self.scenario.subjects]
        if not ids:
            return
        i = ids.index(self.state.subject) if self.state.subject in ids else -1
        self.state.subject = ids[(i + 1) % len(ids)]
        name = next(s.name for s in self.scenario.subjects if s.id == self.state.subject)
        self.say(f"console on {name}")

    # ------------------------------------------------------------ the note

    def typed(self, char: str) -> None:
        """A character was typed (it goes to the note being written, if any)."""
        note = self.state.note
        if note is None or not self.focus.captured:
            return
        if char.isprintable() and len(note.text) < NOTE_LIMIT:
            note.text += char

    def entry_key(self, key: str) -> None:
        """Enter, Escape or Backspace while a note may be open."""
        note = self.state.note
        if note is None:
            return
        if key == "backspace":
            note.text = note.text[:-1]
            return
        self.state.note = None
        self.focus.release_next_frame()
        if key == "enter":
            self.pending += events_for("mark", Hands(), note=note.text.strip(), at=note.at)
            self.say("marked" + (f": {note.text.strip()}" if note.text.strip() else ""))
        else:
            self.say("mark cancelled")

    # -------------------------------------------------------------- frame

    def say(self, text: str, *, kind: str = "info", seconds: float = MESSAGE_SECONDS) -> None:
        """Shows ``text`` on the HUD for a while (the newest last)."""
        self.state.messages.append(Message(text, self.clock() + seconds, kind))
        del self.state.messages[:-4]

    def poll(self) -> None:
        """Called once a frame before input is read: expires messages and confirmations."""
        self.focus.settle()
        now = self.clock()
        self.state.messages = [m for m in self.state.messages if m.until > now]
        if self.state.confirm and now > self._confirm_until:
            self.state.confirm = ""

    def feed(self, sim: SeatPort) -> None:
        """Called before each step: submits what was pressed since the last step."""
        self.sim = sim
        pending, self.pending = self.pending, []
        if not pending:
            return
        state = Hands(paused=sim.snapshot().paused)
        for item in pending:
            for event in (events_for("toggle_pause", state) if item == "pause" else [item]):
                sim.submit(event)
