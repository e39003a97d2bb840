"""The replay's timeline: a bar along the bottom of the window with the time played and
the total, the playhead, and ticks where the recording has marks (yellow), branches
entered (orange), the instructor's inputs (red) and the scenario's ending (violet). A
click on it seeks there.

It draws in a 2D display region of its own above the instructor's HUD, in the HUD's
units (the window is 2 units high, y up; x spans ±aspect).
"""

from __future__ import annotations

from typing import Any, Sequence

from panda3d.core import NodePath, TextNode

from game.engine.console.hud import clock_text
from game.engine.console.hud_widgets import Layer2D, Text, card

MARK, BRANCH, INSTRUCTOR, ENDING = (1.0, 0.9, 0.2, 1.0), (1.0, 0.55, 0.1, 1.0), (0.95, 0.25, 0.2, 1.0), (0.8, 0.5, 1.0, 1.0)
INSTRUCTOR_INPUTS = ("Escalate", "Calm", "ForceBranch", "Pause", "Resume", "Restart")
BAR_Y = -0.955  # the bar's middle
BAR_HALF = 0.012
HIT = 0.06  # a click this close (vertically) to the bar seeks
MARGIN = 0.04
LEGEND_SCALE = 0.026  # the key hints above the bar, at most this big
LEGEND_MIN_SCALE = 0.016  # smaller than this is unreadable: the hints hide instead


def ticks_of(records: Sequence[dict[str, Any]]) -> list[tuple[float, tuple[float, float, float, float]]]:
    """(time, colour) of each moment worth a tick in a journal read back."""
    out = []
    for r in records:
        kind, t = r.get("type"), float(r.get("time", 0.0))
        if kind == "Mark":
            out.append((float(r["at"]) if r.get("at") is not None else t, MARK))
        elif kind == "BranchEntered":
            out.append((t, BRANCH))
        elif kind in INSTRUCTOR_INPUTS or (kind == "EndSession" and r.get("by") == "instructor"):
            out.append((t, INSTRUCTOR))
        elif kind == "ScenarioEnded":
            out.append((t, ENDING))
    return out


class Timeline:
    """The bar on ``win`` for a recording ``total`` seconds long with ``ticks`` (see
    :func:`ticks_of`); ``legend`` is a line of key hints shown above it on the right."""

    def __init__(self, win: Any, total: float, ticks: Sequence[tuple[float, tuple[float, float, float, float]]], *,
                 legend: str = "") -> None:
        self.win = win
        self.total = max(total, 1e-6)
        self.layer = Layer2D(win, "replay_timeline", 30)  # over the instructor's HUD
        self.region, self.root = self.layer.region, self.layer.root
        self.ticks = list(ticks)
        self.legend_text = legend
        self.aspect = 0.0
        self.bar: NodePath | None = None
        self.time = Text(self.root, (0.0, BAR_Y + 0.03), scale=0.034)
        self.legend = Text(self.root, (0.0, BAR_Y + 0.03), scale=LEGEND_SCALE, color=(0.75, 0.8, 0.85, 1.0),
                           align=TextNode.A_right)
        self.now = 0.0
        self._fit()

    def _fit(self) -> None:
        if not self.layer.refit():
            return
        self.aspect = a = self.layer.aspect
        if self.bar is not None:
            self.bar.remove_node()
        self.bar = self.root.attach_new_node("bar")
        x0, x1 = self.span()
        card(self.bar, -a, a, -1.0, BAR_Y + 0.075, (0.02, 0.03, 0.05, 0.75))
        card(self.bar, x0, x1, BAR_Y - BAR_HALF, BAR_Y + BAR_HALF, (0.35, 0.37, 0.42, 1.0))
        self.played = card(self.bar, 0.0, 1.0, BAR_Y - BAR_HALF, BAR_Y + BAR_HALF, (0.4, 0.65, 1.0, 1.0))
        self.played.set_x(x0)
        for t, colour in self.ticks:
            x = self.x_of(t)
            card(self.bar, x - 0.004, x + 0.004, BAR_Y - 0.028, BAR_Y + 0.028, colour)
        self.head = card(self.bar, -0.006, 0.006, BAR_Y - 0.035, BAR_Y + 0.035, (1.0, 1.0, 1.0, 1.0))
        self.time.np.set_pos(x0, 0, BAR_Y + 0.03)
        self.legend.np.set_pos(x1, 0, BAR_Y + 0.032)
        self.legend.set(self.legend_text)
        # the key hints share the line with the time and status on the left: in a narrow window
        # they shrink to the right half, and give way altogether rather than overlap
        width = self.legend.node.get_width() if self.legend_text else 0.0
        fit = min(LEGEND_SCALE, 0.5 * (x1 - x0) / width) if width else LEGEND_SCALE
        self.legend.np.set_scale(fit)
        if fit < LEGEND_MIN_SCALE:
            self.legend.np.hide()
        else:
            self.legend.np.show()
        self.set_time(self.now)

    def span(self) -> tuple[float, float]:
        """The bar's left and right ends (HUD units)."""
        return -self.aspect + MARGIN, self.aspect - MARGIN

    def x_of(self, t: float) -> float:
        x0, x1 = self.span()
        return x0 + (x1 - x0) * max(0.0, min(1.0, t / self.total))

    def set_time(self, now: float, status: str = "") -> None:
        """Once a frame: where the playhead is, and what the line above the bar says."""
        self.now = now
        x0, _ = self.span()
        x = self.x_of(now)
        self.played.set_sx(max(1e-4, x - x0))
        self.head.set_x(x)
        self.time.set(f"{clock_text(now)} / {clock_text(self.total)}{'   ' + status if status else ''}")

    def update(self, now: float, status: str = "") -> None:
        self._fit()
        self.set_time(now, status)

    def time_at(self, mouse_x: float, mouse_y: float) -> float | None:
        """The time under a mouse position (-1..1 across the window each way), or None when it is
        not on the bar."""
        if abs(mouse_y - BAR_Y) > HIT:
            return None
        x0, x1 = self.span()
        x = mouse_x * self.aspect
        if x < x0 - HIT or x > x1 + HIT:
            return None
        return max(0.0, min(1.0, (x - x0) / (x1 - x0))) * self.total

    def pixel_of(self, t: float) -> tuple[int, int]:
        """Where time ``t`` is on the bar, in window pixels (y from the top), for tests."""
        w, h = self.win.get_x_size(), self.win.get_y_size()
        return int((self.x_of(t) / self.aspect + 1) / 2 * w), int((1 - BAR_Y) / 2 * h)

    def set_visible(self, visible: bool) -> None:
        self.region.set_active(visible)

    def destroy(self) -> None:
        self.layer.destroy()
