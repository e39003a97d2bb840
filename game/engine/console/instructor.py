"""The instructor's console at the desk: Panda3D's keys for the engine-free
:class:`~game.live.console.ConsoleModel` (which owns what each key does).

Key events arrive through the ShowBase's messenger (tests send them with
``messenger.send``); typed characters as ``keystroke`` events from a window's button
thrower.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from game.content.bindings import Bindings
from game.live.console import (CONFIRM_SECONDS, MESSAGE_SECONDS, NOTE_LIMIT, ConsoleModel, ConsoleState,  # noqa: F401
                               KeyboardFocus, Message, NoteEntry)


class InstructorConsole(ConsoleModel):
    """The console on the ShowBase ``base``'s keyboard (its messenger and, where a window has
    one, its button thrower for typed characters). See :class:`ConsoleModel`."""

    def __init__(self, base: Any, bindings: Bindings, scenario: Any, *, focus: KeyboardFocus | None = None,
                 on_switch_view: Callable[[], str] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(bindings, scenario, focus=focus, on_switch_view=on_switch_view, clock=clock)
        self.base = base
        messenger = base.messenger
        for key, action in bindings.key_map().items():
            messenger.accept(key, self, self.press, [action])
            messenger.accept(f"{key}-up", self, self.release, [action])
        messenger.accept("keystroke", self, self.typed)
        for key in ("enter", "escape", "backspace", "arrow_up", "arrow_down"):
            messenger.accept(key, self, self.entry_key, [key])
        self._enable_keystrokes()

    def _enable_keystrokes(self) -> None:
        """Typed characters come as ``keystroke`` events from a window's button thrower."""
        for thrower in getattr(self.base, "buttonThrowers", None) or ():
            node = thrower.node()
            if not node.get_keystroke_event():
                node.set_keystroke_event("keystroke")

    def detach(self) -> None:
        """Stops listening to key events (called when the session closes)."""
        self.base.messenger.ignoreAll(self)
