"""The trainee in a headset, as an input provider: what the runtime reports each frame
(head, hands, trigger, grip, tool select, push-to-talk) becomes the core's events.

Device-free: :class:`XrTrainee` gets plain :class:`XrFrame` values (from
:mod:`game.xr.runtime`, or a test), so the same rules hold with any runtime. Presses are
caught per frame (with hysteresis) and handed to the simulation at its next step:

- head → ``Move`` (through :class:`~game.core.drivers.PoseFilter`);
- each hand's aim pose → ``HandMove`` (filtered the same way; a lost hand once as untracked);
- trigger pulled → ``Use`` of the tool in that hand;
- grip squeezed at a holster → ``Draw`` that tool (empty hand) or ``Holster`` it (the same tool);
- tool select → the next tool on the belt for that hand (after the last: empty hand);
- push-to-talk → :attr:`XrTrainee.talking` (for the voice recogniser).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from game.content.xr_actions import XrActions
from game.core.controls import Hands, events_for
from game.core.drivers import PoseFilter, SeatPort
from game.core.events import HANDS, HandMove, InputEvent
from game.xr.poses import Pose


@dataclass(frozen=True, slots=True)
class HandInput:
    """One controller this frame: poses (None: not tracked) and input values."""

    grip_pose: Pose | None = None
    aim_pose: Pose | None = None
    grip: float = 0.0
    trigger: float = 0.0
    tool_select: bool = False
    push_to_talk: bool = False

    @property
    def tracked(self) -> bool:
        return self.aim_pose is not None


@dataclass(frozen=True, slots=True)
class XrFrame:
    """What the runtime reported for one frame."""

    head: Pose | None = None
    hands: dict[str, HandInput] = field(default_factory=lambda: {h: HandInput() for h in HANDS})


class HandFilter:
    """Turns a hand's continuous pose into ``HandMove`` events, like :class:`PoseFilter`:
    at most every ``min_steps`` steps and only when it moved ``min_move`` metres or turned
    ``min_turn`` degrees; losing and finding the hand always counts."""

    def __init__(self, hand: str, min_steps: int = 2, min_move: float = 0.01, min_turn: float = 1.0) -> None:
        self.hand = hand
        self.seat = ""  # the officer whose hand it is (empty: officer 1)
        self.min_steps, self.min_move, self.min_turn = min_steps, min_move, min_turn
        self._last: tuple[tuple[float, float, float], float, float, float] | None = None
        self._tracked = False
        self._last_step = -10**9

    def offer(self, sim: SeatPort, pose: Pose | None) -> bool:
        step = sim.snapshot().step
        if pose is None:
            if self._tracked:
                sim.submit(HandMove(hand=self.hand, tracked=False, by=self.seat))
                self._tracked, self._last, self._last_step = False, None, step
                return True
            return False
        if step - self._last_step < self.min_steps:
            return False
        heading, pitch, roll = pose.heading, pose.pitch, pose.roll
        if self._last is not None:
            p0, h0, pi0, r0 = self._last
            turned = max(abs((h0 - heading + 180) % 360 - 180), abs(pi0 - pitch), abs((r0 - roll + 180) % 360 - 180))
            if math.dist(p0, pose.position) < self.min_move and turned < self.min_turn:
                return False
        sim.submit(HandMove(hand=self.hand, position=pose.position, heading=heading, pitch=pitch, roll=roll,
                            by=self.seat))
        self._last, self._tracked, self._last_step = (pose.position, heading, pitch, roll), True, step
        return True


class _Edge:
    """A float that counts as pressed above ``press`` and released below ``release``."""

    def __init__(self, press: float, release: float) -> None:
        self.press, self.release, self.down = press, release, False

    def update(self, value: float) -> bool:
        """Returns True on the frame the value goes down (a press)."""
        if not self.down and value >= self.press:
            self.down = True
            return True
        if self.down and value <= self.release:
            self.down = False
        return False


class XrTrainee:
    """An input provider for a headset. Call :meth:`update` once a frame, :meth:`feed` before each step."""

    def __init__(self, actions: XrActions, *, seat: str = "officer:1") -> None:
        self.seat = seat  # the officer this headset plays
        self.actions = actions
        self.frame = XrFrame()
        self.pose_filter = PoseFilter()
        self.hand_filters = {h: HandFilter(h) for h in HANDS}
        for f in self.hand_filters.values():
            f.seat = seat
        self._trigger = {h: _Edge(actions.press, actions.release) for h in HANDS}
        self._grip = {h: _Edge(actions.press, actions.release) for h in HANDS}
        self._select = {h: _Edge(0.5, 0.5) for h in HANDS}
        self._presses: list[tuple[str, str]] = []  # (what, hand) in the order they happened
        self.talking = False

    def reset(self, position: tuple[float, float], heading: float) -> None:
        """The next session starts (the instructor's restart): its first head and hand poses
        are journaled whatever they are, and no press carries over. (The trainee stays where
        they stand: in a headset only their own movement moves them.)"""
        self.pose_filter = PoseFilter()
        seat = self.hand_filters["left"].seat
        self.hand_filters = {h: HandFilter(h) for h in HANDS}
        for f in self.hand_filters.values():
            f.seat = seat
        self._presses.clear()

    def update(self, frame: XrFrame) -> None:
        """Called once a frame with the runtime's latest state; catches presses."""
        self.frame = frame
        for hand in HANDS:
            h = frame.hands.get(hand, HandInput())
            if not h.tracked:  # a lost controller's buttons read as released
                h = HandInput()
            if self._grip[hand].update(h.grip):
                self._presses.append(("grip", hand))
            if self._select[hand].update(1.0 if h.tool_select else 0.0):
                self._presses.append(("tool_select", hand))
            if self._trigger[hand].update(h.trigger):
                self._presses.append(("trigger", hand))
        self.talking = any(h.push_to_talk and h.tracked for h in frame.hands.values())

    def holster_near(self, hand: str) -> str:
        """The tool whose holster the hand's grip is within reach of, or ""."""
        head, h = self.frame.head, self.frame.hands.get(hand)
        if head is None or h is None or h.grip_pose is None:
            return ""
        rad = math.radians(head.heading)
        c, s = math.cos(rad), math.sin(rad)
        best, best_d = "", self.actions.belt_reach
        for tool, (x, y, z) in self.actions.holsters.items():
            at = (head.position[0] + c * x - s * y, head.position[1] + s * x + c * y, head.position[2] + z)
            d = math.dist(at, h.grip_pose.position)
            if d <= best_d:
                best, best_d = tool, d
        return best

    def feed(self, sim: SeatPort) -> None:
        """Called before each step: pose events, then the presses since the last step."""
        head = self.frame.head
        if head is not None:
            self.pose_filter.offer(sim, (head.position[0], head.position[1]), head.heading, head.pitch, by=self.seat)
        for hand in HANDS:
            h = self.frame.hands.get(hand, HandInput())
            self.hand_filters[hand].offer(sim, h.aim_pose)
        presses, self._presses = self._presses, []
        if not presses:
            return
        me = sim.snapshot().officer(self.seat or "officer:1")
        assert me is not None, f"no officer at {self.seat!r} in this session"
        hands = Hands.of(me.hands, me.low_ready)
        for what, hand in presses:
            for event in self._events(what, hand, hands):
                sim.submit(event)

    def _events(self, what: str, hand: str, hands: Hands) -> list[InputEvent]:
        """What a press means given what the hands hold (``hands`` is updated in place): the
        headset's controls are actions of :mod:`game.core.controls`."""
        if what == "trigger":
            return events_for("trigger", hands, seat=self.seat, hand=hand)
        if what == "grip":
            return events_for("grip", hands, seat=self.seat, tool=self.holster_near(hand), hand=hand)
        return events_for("next_tool", hands, seat=self.seat, hand=hand)  # tool select
