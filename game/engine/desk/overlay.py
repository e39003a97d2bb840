"""The trainee's on-screen text at the desk: briefing, subtitles of what the subject
says, what is in each hand, the key legend, and how the scenario ended.

(In VR the headset shows none of this; the instructor's HUD is a separate view.)
"""

from __future__ import annotations

from typing import Any

from panda3d.core import NodePath, TextNode

from game.core.events import (BriefingGiven, Event, OfficerArrived, RadioAnswered, ScenarioEnded, SessionEnded,
                              SubjectSaid, UnitArrived)

SUBTITLE_SECONDS = 4.0


class Overlay:
    """Text on ``aspect2d`` (passed in). Also a journal sink: it shows events as they happen."""

    def __init__(self, aspect2d: NodePath, top_left: NodePath, bottom_left: NodePath, *, title: str, briefing: str,
                 legend: str, names: dict[str, str], dispatched: bool = False) -> None:
        """``top_left`` and ``bottom_left`` are the window's corner anchors (ShowBase's
        ``a2dTopLeft``/``a2dBottomLeft``), so text stays on screen at any aspect ratio.
        ``dispatched``: a dispatcher takes the call (game.core.call): ``briefing`` stays up until
        the dispatcher's own (``BriefingGiven``) replaces it, which stays until 10 s on scene."""
        from direct.gui.OnscreenText import OnscreenText

        self.root = aspect2d.attach_new_node("overlay")
        self.names = names
        style: dict[str, Any] = dict(parent=self.root, fg=(1, 1, 1, 1), shadow=(0, 0, 0, 0.9), mayChange=True)
        self.corner_root = top_left.attach_new_node("overlay_top")
        self.bottom_root = bottom_left.attach_new_node("overlay_bottom")
        self.status = OnscreenText(text=title, pos=(0.05, -0.08), scale=0.045, align=TextNode.A_left,
                                   **{**style, "parent": self.corner_root})
        paragraphs = [" ".join(p.split()) for p in briefing.split("\n\n")]
        self.briefing = OnscreenText(text="\n\n".join(paragraphs), pos=(0, 0.6), scale=0.045, wordwrap=34, **style)
        self.subtitle = OnscreenText(text="", pos=(0, -0.72), scale=0.06, fg=(1, 0.95, 0.7, 1),
                                     shadow=(0, 0, 0, 1), parent=self.root, mayChange=True, wordwrap=30)
        self.legend = OnscreenText(text=legend, pos=(0.05, 0.06), scale=0.035, align=TextNode.A_left,
                                   fg=(0.8, 0.85, 0.9, 1), parent=self.bottom_root, mayChange=False)
        self.banner = OnscreenText(text="", pos=(0, 0.1), scale=0.08, fg=(1, 1, 1, 1), shadow=(0, 0, 0, 1),
                                   parent=self.root, mayChange=True)
        self._subtitle_until = 0.0
        self._status_text = ""
        self.title = title
        self._briefing_text = self.briefing.getText()
        #: The written briefing goes after 8 s; a dispatcher's stays until 10 s after arrival.
        self._hold = dispatched
        self._briefing_until = float("inf") if dispatched else 8.0

    def reset(self) -> None:
        """A new session of the same scenario (the instructor restarted it)."""
        self.banner.setText("")
        self.subtitle.setText("")
        self.briefing.setText(self._briefing_text)
        self._subtitle_until = 0.0
        self._briefing_until = float("inf") if self._hold else 8.0

    def record(self, step: int, time: float, event: Event) -> None:
        """Journal sink hook: called for every event as it happens."""
        if isinstance(event, SubjectSaid):
            self.subtitle.setText(f"{self.names.get(event.subject, event.subject)}: {event.text}")
            self._subtitle_until = time + SUBTITLE_SECONDS
        elif isinstance(event, BriefingGiven):  # the dispatcher's briefing: exactly the card (game.core.call)
            self.briefing.setText(f"Dispatch: {event.text}")
            self._briefing_until = float("inf")
        elif isinstance(event, OfficerArrived):
            self._briefing_until = time + 10.0
        elif isinstance(event, RadioAnswered):
            self.subtitle.setText(f"Dispatch: {event.text or ('sent' if event.eta else 'acknowledged')}")
            self._subtitle_until = time + SUBTITLE_SECONDS
        elif isinstance(event, UnitArrived):
            self.subtitle.setText(f"Dispatch: {event.request.replace('_', ' ')} on scene")
            self._subtitle_until = time + SUBTITLE_SECONDS
        elif isinstance(event, ScenarioEnded):
            self.banner.setText(f"Scenario ended: {event.ending.replace('_', ' ')}\n({event.outcome.replace('_', ' ')})")
        elif isinstance(event, SessionEnded) and not self.banner.getText():
            self.banner.setText(f"Session ended: {event.reason.replace('_', ' ')}")

    def update(self, now: float, hands: dict[str, str]) -> None:
        """Called once per frame."""
        held = ", ".join(f"{h}: {t.replace('_', ' ')}" for h, t in hands.items() if t) or "hands empty"
        text = f"{self.title}   {int(now // 60):02d}:{now % 60:04.1f}   [{held}]"
        if text != self._status_text:
            self._status_text = text
            self.status.setText(text)
        if now > self._briefing_until and self.briefing.getText():
            self.briefing.setText("")
        if now > self._subtitle_until and self.subtitle.getText():
            self.subtitle.setText("")

    def destroy(self) -> None:
        for root in (self.root, self.corner_root, self.bottom_root):
            root.remove_node()


def legend_text(key_map: dict[str, str]) -> str:
    """A one-line key legend from a bindings key map (key → action)."""
    by_action: dict[str, list[str]] = {}
    for key, action in key_map.items():
        by_action.setdefault(action, []).append(key)

    def keys(*actions: str) -> str:
        return "/".join(k.upper() for a in actions for k in by_action.get(a, [])[:1])

    words = sorted(a for a in by_action if a.startswith("say_"))
    return (
        f"{keys('move_forward', 'strafe_left', 'move_back', 'strafe_right')} move   "
        f"{keys('turn_left', 'turn_right')} turn   "
        f"{len(words)} phrase keys (shift: shout, ctrl: calm)   "
        f"{keys('draw_flashlight')}-{keys('draw_firearm')} draw   {keys('holster')} holster   "
        f"{keys('end_session')} end"
    )
