"""The console's menu of a subject's authored lines (puppeteering), engine-free.

Opened by the ``puppet_menu`` key for the subject the console is on; it lists each text of
each of its lines (:func:`game.core.puppet.line_menu`) a page of :data:`PAGE` at a time. A
digit picks that entry of the page, the arrows move the cursor (and the page), Enter picks
the cursor's entry, Escape closes it. What is picked becomes a ``Puppet`` input through the
action table (``game.core.controls``), journaled at the next step. The HUD draws
:meth:`LineMenu.rows`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.core.controls import Hands, events_for
from game.core.puppet import DISPATCH, MenuLine, line_menu, line_problem

PAGE = 9
#: Longest text shown on a row (the whole line is said).
ROW_CHARS = 64


@dataclass
class LineMenu:
    subject: str
    name: str
    items: list[MenuLine] = field(default_factory=list)
    cursor: int = 0

    @classmethod
    def of(cls, scenario: object, subject: str) -> "LineMenu":
        name = next((s.name for s in getattr(scenario, "subjects", ()) if s.id == subject), subject)
        return cls(subject, name or subject, line_menu(scenario, subject))

    @property
    def page_start(self) -> int:
        return self.cursor // PAGE * PAGE

    def move(self, by: int) -> None:
        if self.items:
            self.cursor = (self.cursor + by) % len(self.items)

    def on_page(self, number: int) -> MenuLine | None:
        """The entry a digit (1..9) picks on the page shown, or None."""
        i = self.page_start + number - 1
        return self.items[i] if 1 <= number <= PAGE and i < len(self.items) else None

    def chosen(self) -> MenuLine | None:
        return self.items[self.cursor] if self.items else None

    def rows(self) -> list[str]:
        """The page as text rows: a title, one row per entry (the cursor's marked), a footer."""
        start = self.page_start
        pages = (len(self.items) + PAGE - 1) // PAGE
        out = [f"{self.name} says ... (page {start // PAGE + 1}/{pages})"]
        for n, item in enumerate(self.items[start:start + PAGE], 1):
            text = item.text if len(item.text) <= ROW_CHARS else item.text[:ROW_CHARS - 1] + "…"
            mark = ">" if start + n - 1 == self.cursor else " "
            out.append(f"{mark} {n} {item.line}: {text}")
        out.append("1-9 or Enter: say it   arrows: move   Esc: close")
        return out


class PuppetConsole:
    """What :class:`~game.live.console.ConsoleModel` does for the instructor's voice in the
    scene: the lines menu, :meth:`puppet`, and the speak-as keys (held) driving its ``voice``
    (a :class:`game.voice.instructor_voice.InstructorVoice`, or None without a microphone)."""

    state: Any
    scenario: Any
    focus: Any
    pending: list
    sim: Any
    voice: Any
    say: Any  # the console's message on the HUD

    def release(self, action: str) -> None:
        """The key bound to ``action`` was let go (the speak-as keys are held while speaking)."""
        if action in ("speak_as_subject", "speak_as_dispatch") and self.state.speaking:
            self.state.speaking = ""
            if self.voice is not None:
                self.voice.end()

    def puppet(self, subject: str, line: str, variant: int = 0) -> bool:
        """Makes ``subject`` say its authored ``line`` at the next step; a bad name is refused
        in one line on the HUD (returns False)."""
        problem = line_problem(self.scenario, subject, line, variant)
        if problem:
            self.say(problem, kind="refused")
            return False
        self.pending += events_for("puppet", Hands(), subject=subject, line=line, variant=variant)
        return True

    def _open_menu(self) -> None:
        menu = LineMenu.of(self.scenario, self.state.subject)
        if not menu.items:
            self.say(f"{menu.name} has no authored lines to say", kind="refused")
            return
        self.state.menu = menu
        self.focus.capture()

    def _pick(self, item: Any) -> None:
        menu = self.state.menu
        self.state.menu = None
        self.focus.release_next_frame()
        if item is not None and menu is not None and self.puppet(menu.subject, item.line, item.variant):
            self.say(f"{menu.name.split()[0]} says: {item.text}")

    def _speak_as_key(self, action: str) -> None:
        self._speak_as(self.state.subject if action == "speak_as_subject" else DISPATCH)

    def _speak_as(self, voice: str) -> None:
        if self.voice is None:
            self.say("no microphone: speaking as a subject or dispatch is off", kind="refused")
            return
        if not voice:
            return
        names = {s.id: s.name for s in self.scenario.subjects}
        self.state.speaking = names.get(voice, voice) or voice
        self.voice.begin(voice, self.sim.snapshot().time if self.sim is not None else 0.0)

    def _menu_typed(self, char: str) -> bool:
        """A typed character while the menu is open (a digit picks); True when the menu took it."""
        if self.state.menu is None or not self.focus.captured:
            return False
        if char.isdigit() and char != "0":
            item = self.state.menu.on_page(int(char))
            if item is not None:
                self._pick(item)
        return True

    def _menu_key(self, key: str) -> bool:
        """The arrows, Enter or Escape while the menu is open; True when the menu took it."""
        menu = self.state.menu
        if menu is None:
            return False
        if key in ("arrow_up", "arrow_down"):
            menu.move(-1 if key == "arrow_up" else 1)
        elif key == "enter":
            self._pick(menu.chosen())
        elif key == "escape":
            self._pick(None)
        return True
