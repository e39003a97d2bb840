"""The instructor's HUD on the monitor: the chosen subject's agitation and trust with
their recent history, posture, goal, activity, branch and the running path through its
behaviour tree; the trainee's hands and last words; distance and elapsed time; the
scenario's branches, numbered, with those that cannot start now greyed out and why;
a hotkey legend; the note being typed; and short messages (refusals, limits, pauses).

It draws in a 2D display region of its own on the monitor window (above the trainee's
overlay), under its own root and camera  - never on a headset's eyes. It is also a
journal sink: the core's events (a refused branch, a nudge at the limit, a pause)
become its messages.

Without a console it is read-only (``talkdown replay``): no keys, no note being typed;
its messages last :data:`MESSAGE_SECONDS` of *simulated* time and its sparklines are the
journal's ``StateSampled`` lines, so what it shows is the state at the replayed moment
even after a seek, and the instructor's past inputs (escalate, calm, forced
branches, pauses, marks with their notes) are listed as they happened, in place of the
hotkey legend.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from panda3d.core import NodePath, TextNode

from game.core.events import (BranchEntered, BranchRefused, Calm, EndSession, Escalate, Event, ForceBranch, Mark,
                              Pause, Restart, Resume, Say, ScenarioEnded, SpeechHeard, StateSampled, SubjectReacted,
                              SubjectSaid)
from game.core.snapshot import Snapshot, SubjectView
from game.core.world import distance
from game.engine.console.hud_widgets import TEXT, Gauge, Layer2D, Text, card, frame
from game.live.console import MESSAGE_SECONDS, ConsoleState, Message
from game.engine.console.instructor_view import FACE_INSET, INSETS

PANEL_WIDTH = 1.0
HEADING = 0.048
LINE = TEXT * 1.2  # the advance of one line of TEXT
GAP = 0.018  # between blocks of the panel
SAMPLE_EVERY = 0.2  # seconds of simulated time between sparkline samples
HISTORY_SECONDS = 60.0
GREEN, AMBER, RED = (0.3, 0.8, 0.35, 1.0), (0.95, 0.7, 0.2, 1.0), (0.95, 0.25, 0.2, 1.0)
GREY, WHITE, DIM = (0.55, 0.55, 0.58, 1.0), (1.0, 1.0, 1.0, 1.0), (0.75, 0.8, 0.85, 1.0)
MESSAGE_COLORS = {"info": (1.0, 0.95, 0.7, 1.0), "refused": (1.0, 0.55, 0.45, 1.0), "limit": (1.0, 0.8, 0.35, 1.0),
                  "said": (0.8, 0.9, 1.0, 1.0)}
KEY_NAMES = {"page_up": "PgUp", "page_down": "PgDn", "pause": "Pause", "escape": "Esc", "enter": "Enter",
             "space": "Space", "tab": "Tab", "backspace": "Bksp", "insert": "Ins", "delete": "Del"}


def key_name(key: str) -> str:
    """A Panda3D key name as people write it: ``alt-1`` → ``Alt+1``, ``page_up`` → ``PgUp``."""
    if not key:
        return "-"
    *mods, last = key.split("-")
    name = KEY_NAMES.get(last, last.upper() if len(last) <= 3 else last.replace("_", " ").title())
    return "+".join([*(m.title() for m in mods), name])


def monitor_label(main: str) -> str:
    """The caption under the monitor's main view: ``monitor: overhead view``, ``monitor: Dale
    Porter's view`` (a label that already ends in "view" gets no second one); none for the trainee."""
    if main == "trainee":
        return ""
    return f"monitor: {main}" if main.endswith(("view", "camera")) else f"monitor: {main} view"


def clock_text(seconds: float) -> str:
    return f"{int(seconds // 60):02d}:{seconds % 60:04.1f}"


def weapon_text(s: SubjectView) -> str:
    """The HUD's weapon line for a subject: the scenario's name for it ("screwdriver", not the kind
    "knife" it behaves as), in hand or hidden; "none"."""
    if not s.weapon:
        return "none"
    name = s.weapon_name or s.weapon
    return f"{name} {'in hand' if s.weapon_out else 'hidden'}"


class InstructorHud:
    """The HUD. ``win`` is the monitor window; ``console`` the
    :class:`~game.engine.console.instructor.InstructorConsole` (bindings, chosen subject, note,
    messages), or None for the read-only HUD of a replay, which then needs ``scenario``;
    ``labels`` gives the monitor view's region names (main, inset, inset)."""

    #: How many of the instructor's past inputs the read-only HUD lists.
    LOG_LINES = 4

    def __init__(self, win: Any, console: Any = None, *, scenario: Any = None,
                 labels: Callable[[], tuple[str, str, str]] | None = None,
                 wall_clock: Callable[[], float] = time.monotonic) -> None:
        if console is None and scenario is None:
            raise ValueError("a read-only HUD (no console) needs the scenario")
        self.win = win
        self.console = console
        self.read_only = console is None
        self._own_scenario = scenario
        self._own_state = ConsoleState(subject=scenario.subjects[0].id if scenario is not None and scenario.subjects
                                       else "")
        self.instructor_log: list[str] = []  # read-only: the instructor's inputs so far, as HUD lines
        self.visible = True
        self.labels = labels
        self.wall_clock = wall_clock
        self.layer = Layer2D(win, "instructor_hud", 20)  # over the trainee's overlay
        self.region, self.root = self.layer.region, self.layer.root
        self.aspect = 0.0
        self._messages_top = 0.0
        self.scenario: Any = None
        self.history: dict[str, list[tuple[float, float]]] = {}
        self._shown = ""
        self._last_sample = -1e9
        self._paused_since: float | None = None
        self._sim: Snapshot | None = None  # the last snapshot shown
        self._last_step = 0
        self._build()
        self._fit()

    # --------------------------------------------------------------- layout

    def _build(self) -> None:
        self.panel = self.root.attach_new_node("panel")
        self.left = self.root.attach_new_node("left")
        self.centre = self.root.attach_new_node("centre")
        # opaque: the scene behind a translucent panel made its text hard to read
        self.background = card(self.panel, -0.02, PANEL_WIDTH + 0.01, -1.98, 0.0, (0.02, 0.03, 0.05, 1.0))
        self.header = Text(self.panel, (0.0, -0.045), scale=HEADING)
        self.others = Text(self.panel, (0.0, -0.085), scale=TEXT, color=DIM, wrap=PANEL_WIDTH)
        self.agitation = Gauge(self.panel, "agitation", pos=(0.0, -0.1), width=PANEL_WIDTH - 0.02,
                               low=GREEN, high=RED, points=int(HISTORY_SECONDS / SAMPLE_EVERY))
        self.trust = Gauge(self.panel, "trust", pos=(0.0, -0.285), width=PANEL_WIDTH - 0.02,
                           low=(0.35, 0.35, 0.4, 1.0), high=(0.35, 0.65, 1.0, 1.0),
                           points=int(HISTORY_SECONDS / SAMPLE_EVERY))
        self.state_text = Text(self.panel, (0.0, -0.5), scale=TEXT, wrap=PANEL_WIDTH)
        self.path_text = Text(self.panel, (0.0, -0.72), scale=TEXT, color=DIM, wrap=PANEL_WIDTH)
        self.trainee_text = Text(self.panel, (0.0, -0.84), scale=TEXT, wrap=PANEL_WIDTH)
        self.branch_title = Text(self.panel, (0.0, -1.0), scale=TEXT, color=DIM)
        self.branch_lines = [Text(self.panel, (0.0, -1.04 - i * LINE), scale=TEXT, wrap=PANEL_WIDTH)
                             for i in range(9)]
        self.legend = Text(self.panel, (0.0, -1.62), scale=TEXT, color=DIM, wrap=PANEL_WIDTH)
        self.paused = Text(self.centre, (0.0, 0.8), scale=0.09, color=(1.0, 0.85, 0.3, 1.0), align=TextNode.A_center)
        self.messages = [Text(self.left, (0.0, 0.0), scale=TEXT, wrap=0.0) for _ in range(4)]
        self.note_card = card(self.left, -0.01, 1.0, -0.12, 0.045, (0.0, 0.0, 0.0, 0.8))
        self.note_text = Text(self.left, (0.0, 0.0), scale=TEXT, color=(1.0, 1.0, 0.8, 1.0))
        self.inset_labels = [Text(self.left, (0.0, 0.0), scale=TEXT) for _ in INSETS]
        self.face_label = Text(self.left, (0.0, 0.0), scale=TEXT)
        self.inset_frames: list[NodePath] = []
        # read-only (a replay), the bottom of the window is the timeline's
        self.main_label = Text(self.centre, (0.0, -0.84 if self.read_only else -0.965), scale=TEXT, color=DIM,
                               align=TextNode.A_center)

    def _fit(self) -> None:
        """Places the panels for the window's aspect ratio (on the first frame and on resizes)."""
        if not self.layer.refit():
            return
        self.aspect = a = self.layer.aspect
        self.panel.set_pos(a - PANEL_WIDTH - 0.02, 0, 0.99)
        for f in self.inset_frames:
            f.remove_node()
        self.inset_frames = []
        for label, (left, right, bottom, top) in zip(self.inset_labels, INSETS):
            x0, x1, y0, y1 = -a + 2 * a * left, -a + 2 * a * right, -1 + 2 * bottom, -1 + 2 * top
            self.inset_frames.append(frame(self.left, x0, x1, y0, y1, (0.8, 0.8, 0.85, 0.9)))
            label.np.set_pos(x0 + 0.015, 0, y1 - 0.045)
        left, right, bottom, top = FACE_INSET
        x0, x1, y0, y1 = -a + 2 * a * left, -a + 2 * a * right, -1 + 2 * bottom, -1 + 2 * top
        if self.labels is not None:  # a monitor with the face close-up under its insets
            self.inset_frames.append(frame(self.left, x0, x1, y0, y1, (0.8, 0.8, 0.85, 0.9)))
            self.face_label.np.set_pos(x0 + 0.015, 0, y1 - 0.045)
        # the messages (subtitles, refusals) beside the face, under the insets
        x0 = x1 + 0.03 if self.labels is not None else -a + 2 * a * INSETS[0][0]
        y = self._messages_top = -1 + 2 * INSETS[-1][2] - 0.06
        for m in self.messages:
            m.np.set_pos(x0, 0, y)
            m.node.set_wordwrap(2 * a * 0.42 / TEXT)
        self.note_text.np.set_pos(x0 + 0.01, 0, y - 0.25)
        self.note_text.node.set_wordwrap(2 * a * 0.4 / TEXT)
        self.note_card.set_pos(x0, 0, y - 0.25)
        self.note_card.set_sx(2 * a * 0.42)

    # ---------------------------------------------------------- journal sink

    @property
    def state(self) -> ConsoleState:
        """The console's state (chosen subject, note, messages); the HUD's own when read-only."""
        return self.console.state if self.console is not None else self._own_state

    def _scenario_def(self) -> Any:
        return self.console.scenario if self.console is not None else self._own_scenario

    def next_subject(self) -> str:
        """Read-only: shows the next subject (the live console has its own key for it)."""
        ids = [s.id for s in self._scenario_def().subjects]
        if ids:
            i = ids.index(self.state.subject) if self.state.subject in ids else -1
            self.state.subject = ids[(i + 1) % len(ids)]
        return self.state.subject

    def reset(self) -> None:
        """Read-only: forgets messages and the instructor's log (a replay went back to the start)."""
        self._own_state.messages.clear()
        self.instructor_log.clear()
        self.history.clear()
        self._shown = ""  # the gauges start again from the (empty) history
        self.legend.set(self._legend())

    def set_visible(self, visible: bool) -> None:
        """Shows or hides the HUD (hidden, :meth:`update` only samples the gauges' history)."""
        self.visible = visible
        self.region.set_active(visible)

    def _say_at(self, time: float) -> Callable[..., None]:
        """Read-only: shows a message said at simulated ``time`` until :data:`MESSAGE_SECONDS` later
        (the live console's messages last on the wall clock)."""
        def say(text: str, *, kind: str = "info", seconds: float = MESSAGE_SECONDS) -> None:
            self._own_state.messages.append(Message(text, time + seconds, kind))
            del self._own_state.messages[:-4]
        return say

    def _log(self, time: float, event: Event, names: dict[str, str]) -> None:
        """Read-only: the instructor's inputs as they happened, newest last."""
        def who(subject: str) -> str:
            return names.get(subject, subject).split()[0] if subject else "everyone"

        if isinstance(event, (Escalate, Calm)):
            up = isinstance(event, Escalate)
            text = f"{'escalate' if up else 'calm'} {who(event.subject)} {'+' if up else '-'}{event.amount:.2f}"
        elif isinstance(event, ForceBranch):
            text = f"force branch {self._number(event.branch)}"
        elif isinstance(event, Mark):
            text = f"mark at {clock_text(event.at if event.at is not None else time)}" + (
                f": {event.note}" if event.note else "")
        elif isinstance(event, (Pause, Resume, Restart)):
            text = type(event).__name__.lower()
        elif isinstance(event, EndSession) and event.by == "instructor":
            text = "ended the session"
        else:
            return
        self.instructor_log.append(f"{clock_text(time)}  {text}")
        del self.instructor_log[:-self.LOG_LINES]
        self.legend.set(self._legend())
        if not isinstance(event, (Pause, Resume)):  # those have their own message below
            self._say_at(time)(f"instructor: {text}", kind="limit" if isinstance(event, Mark) else "info")

    def record(self, step: int, time: float, event: Event) -> None:
        """Journal sink hook: what the core did with the instructor's inputs."""
        say = self.console.say if self.console is not None else self._say_at(time)
        names = self._names()
        if self.console is None:  # read-only
            self._log(time, event, names)
            if isinstance(event, StateSampled):  # the sparklines, every sample even across a seek
                for s in event.subjects:
                    self._push(s["id"], s["agitation"], s["trust"])
        if isinstance(event, BranchRefused):
            say(f"branch {self._number(event.branch)} refused: {event.reason}", kind="refused")
        elif isinstance(event, BranchEntered) and event.cause == "instructor":
            say(f"{names.get(event.subject, event.subject)}: branch '{event.branch}' started")
        elif isinstance(event, SubjectReacted) and event.nudge:
            name = names.get(event.subject, event.subject)
            up = event.nudge == "Escalate"
            at_limit = event.agitation >= 1.0 if up else event.agitation <= 0.0
            if at_limit:
                already = "already " if abs(event.delta_agitation) < 0.02 else ""
                say(f"{name}: agitation {already}at {'maximum' if up else 'minimum'}", kind="limit")
        elif isinstance(event, Pause):
            say("paused: the subject and the clock are stopped")
        elif isinstance(event, Resume):
            say("resumed")
        elif isinstance(event, SubjectSaid):  # subtitles: both sides of the conversation
            said = f"({event.text.strip('()')})" if event.narration else f"\"{event.text}\""
            say(f"{names.get(event.subject, event.subject)}: {said}", kind="said")
        elif isinstance(event, Say) and event.text:
            say(f"trainee: \"{event.text}\" ({event.intent.replace('_', ' ')}, {event.tone})", kind="said")
        elif isinstance(event, SpeechHeard):
            say(f"trainee: \"{event.text}\" (not understood, {event.tone})", kind="said")
        elif isinstance(event, ScenarioEnded):
            say(f"scenario ended: {event.ending.replace('_', ' ')} ({event.outcome.replace('_', ' ')})")

    def _names(self) -> dict[str, str]:
        return {s.id: s.name for s in self._scenario_def().subjects}

    def _number(self, branch: str) -> str:
        ids = [b.id for b in self._scenario_def().branches]
        return f"{ids.index(branch) + 1} ({branch})" if branch in ids else f"'{branch}'"

    # ---------------------------------------------------------------- frame

    def update(self, snap: Snapshot) -> None:
        """Called once a frame after the simulation stepped, with its snapshot."""
        self._fit()
        if self._sim is None or snap.step < self._last_step:
            self._new_session()
        self._sim = snap
        self._last_step = snap.step
        subject = self.state.subject
        view = snap.subject(subject) or (snap.subjects[0] if snap.subjects else None)
        self._sample(snap)
        if not self.visible:
            return
        if view is not None:
            self._show_subject(snap, view)
        self._show_trainee(snap)
        self._show_branches(snap)
        self._show_console(snap)
        self._flow()

    def _flow(self) -> None:
        """Lays the panel out top to bottom by what each block holds (a wrapped line pushes the
        blocks below it down), so legible text never overlaps."""
        y = -0.05
        self.header.np.set_z(y)
        y -= HEADING * 1.1
        if self.others.text:
            self.others.np.set_z(y)
            y -= LINE * self.others.lines()
        for gauge in (self.agitation, self.trust):
            gauge.root.set_z(y + TEXT * 0.8)
            y -= gauge.height() + GAP
        y -= TEXT * 0.2
        for block in (self.state_text, self.path_text, self.trainee_text):
            block.np.set_z(y)
            y -= LINE * block.lines() + GAP
        self.branch_title.np.set_z(y)
        y -= LINE
        for line in self.branch_lines:
            line.np.set_z(y)
            y -= LINE * line.lines()
        self.legend.np.set_z(y - GAP)

    def new_session(self) -> None:
        """The next session (a restart) starts: the gauges' history starts again."""
        self._sim = None

    def _new_session(self) -> None:
        self.scenario = self._scenario_def()
        if not self.read_only:  # read-only, the history comes from the journal (reset() forgets it)
            self.history = {s.id: [] for s in self.scenario.subjects}
        self._shown = ""
        self._last_sample = -1e9
        self._paused_since = None
        self.legend.set(self._legend())

    def _sample(self, snap: Snapshot) -> None:
        if self.read_only or snap.time - self._last_sample < SAMPLE_EVERY - 1e-9:
            return
        self._last_sample = snap.time
        for s in snap.subjects:
            self._push(s.id, s.agitation, s.trust)

    def _push(self, subject: str, agitation: float, trust: float) -> None:
        h = self.history.setdefault(subject, [])
        h.append((agitation, trust))
        del h[:-int(HISTORY_SECONDS / SAMPLE_EVERY)]
        if subject == self._shown:
            self.agitation.push(agitation)
            self.trust.push(trust)

    def _show_subject(self, snap: Snapshot, s: SubjectView) -> None:
        if s.id != self._shown:
            self._shown = s.id
            h = self.history.get(s.id, [])
            self.agitation.reset([a for a, _ in h])
            self.trust.reset([t for _, t in h])
            self.agitation.set_ticks(list(s.posture_ticks))
        count = len(snap.subjects)
        which = f" ({[o.id for o in snap.subjects].index(s.id) + 1}/{count})" if count > 1 else ""
        self.header.set(f"{s.name}{which}   {clock_text(snap.time)}")
        self.agitation.set(s.agitation, f"{s.agitation:.2f}")
        self.trust.set(s.trust, f"{s.trust:.2f}")
        others = [f"{o.name.split()[0]} {o.agitation:.2f}/{o.trust:.2f}" for o in snap.subjects if o.id != s.id]
        self.others.set(("others (agitation/trust): " + ", ".join(others)) if others else "")
        d = distance(snap.trainee.position, s.position)
        weapon = weapon_text(s)
        down = "  - DOWN" if s.down else ""
        self.state_text.set(
            f"posture   {s.posture.replace('_', ' ')}{down}\n"
            f"goal      {s.goal.replace('_', ' ')}\n"
            f"activity  {s.activity.replace('_', ' ')}\n"
            f"branch    {s.branch or 'main behaviour'}\n"
            f"weapon    {weapon}    compliance {s.compliance:.2f}\n"
            f"distance  {d:.1f} m"
            + (f"\nlearned   {s.learned}" if s.learned else ""))
        path = " > ".join(s.behaviour) or ("(not in the recording)" if snap.recorded else "(waiting)")
        call = snap.call
        if call is not None and snap.en_route:  # the dispatcher is taking the call (game.core.call)
            doing = {"ringing": "the phone is ringing", "talking": f"on the line, caller {call.caller_state}",
                     "dispatched": f"unit on the way, on scene at {call.eta:.0f} s"}.get(call.phase, call.phase)
            path = f"(not on scene yet: {doing}; {len(call.asked)} question(s), card: " \
                   f"{', '.join(k for k, _ in call.card) or 'empty'})"
        self.path_text.set(f"running: {path}")

    def _show_trainee(self, snap: Snapshot) -> None:
        lines = []
        for o in snap.officers:
            def hand(i: int) -> str:
                tool = o.tools[i]
                return f"{tool.replace('_', ' ')}{' (low)' if o.low[i] else ''}" if tool else "empty"

            said = [f"{r.intent.replace('_', ' ')}{'' if r.tone == 'normal' else f' ({r.tone})'} "
                    f"{max(0.0, snap.time - r.time):.0f}s" for r in reversed(o.said)]
            who = "trainee" if len(snap.officers) == 1 else o.seat
            lines.append(f"{who:<9} left: {hand(0)}   right: {hand(1)}\n"
                         f"said      {', '.join(said) if said else '-'}")
        self.trainee_text.set("\n".join(lines))

    def _show_branches(self, snap: Snapshot) -> None:
        branches = snap.branches
        self.branch_title.set(f"branches ({len(branches)})" if branches else "no branches in this scenario")
        names = self._names()
        bindings = self.console.bindings if self.console is not None else None
        for i, line in enumerate(self.branch_lines):
            if i >= len(branches):
                line.set("")
                continue
            b = branches[i]
            reason = "" if snap.recorded else b.refused  # a recording: what ran, not what could have
            key = f"{key_name(bindings.first_key(f'force_branch_{i + 1}')):<6}" if bindings is not None else ""
            who = names.get(b.subject, b.subject).split()[0]
            mark = ">" if b.running else ("x" if reason else " ")
            text = f"{key}{mark} {i + 1} {b.id.replace('_', ' ')} ({who})"
            line.set(text + (f"  - {reason}" if reason and not b.running else ""), GREY if reason else WHITE)

    def _show_console(self, snap: Snapshot) -> None:
        state = self.state
        now = self.wall_clock() if self.console is not None else snap.time
        if snap.paused and self.console is None:
            self.paused.set("PAUSED by the instructor")
        elif snap.paused:
            if self._paused_since is None:
                self._paused_since = now
            key = key_name(self.console.bindings.first_key("pause"))
            self.paused.set(f"PAUSED {now - self._paused_since:.0f}s  - {key} resumes")
        else:
            self._paused_since = None
            self.paused.set("")
        live = [m for m in state.messages if m.until > now][-len(self.messages):]
        y = self._messages_top
        for i, line in enumerate(self.messages):
            if i < len(live):
                line.set(live[i].text, MESSAGE_COLORS.get(live[i].kind, WHITE))
            else:
                line.set("")
            line.np.set_z(y)
            y -= LINE * max(1, line.lines())
        if state.note is not None:
            self.note_card.show()
            self.note_text.set(f"mark at {clock_text(state.note.at)}  - note: {state.note.text}_\n"
                               "Enter: save   Esc: cancel")
        else:
            self.note_card.hide()
            self.note_text.set("")
        if self.labels is not None:
            main, *insets = self.labels()
            for label, text in zip(self.inset_labels, insets):
                label.set(text)
            subject = self._names().get(self.state.subject, self.state.subject)
            self.face_label.set(f"{subject.split()[0]}'s face" if subject else "face")
            self.main_label.set(monitor_label(main))

    def _legend(self) -> str:
        if self.console is None:
            return "instructor so far: " + ("\n".join(["", *self.instructor_log]) if self.instructor_log else "nothing")
        b = self.console.bindings

        def k(action: str) -> str:
            return key_name(b.first_key(action))

        first, last = k("force_branch_1"), k("force_branch_9")
        return (f"{k('escalate')} escalate   {k('calm')} calm   {first}..{last.split('+')[-1]} force branch\n"
                f"{k('pause')} pause/resume   {k('mark')} mark (note)   {k('switch_view')} monitor view\n"
                f"{k('next_subject')} next subject   {k('restart')} x2 restart   {k('end_session')} x2 end")

    def gauge_pixels(self, name: str) -> tuple[int, int, int, int]:
        """Where a gauge's bar is on the window, in pixels (x0, y0, x1, y1; y from the top), for tests."""
        gauge = self.agitation if name == "agitation" else self.trust
        left, right, bottom, top = gauge.bar_rect()
        px, _, pz = self.panel.get_pos()
        w, h = self.win.get_x_size(), self.win.get_y_size()

        def to_px(x: float, y: float) -> tuple[int, int]:
            return int((x + self.aspect) / (2 * self.aspect) * w), int((1 - y) / 2 * h)

        x0, y0 = to_px(px + left, pz + top)
        x1, y1 = to_px(px + right, pz + bottom)
        return x0, y0, x1, y1

    def destroy(self) -> None:
        self.layer.destroy()
