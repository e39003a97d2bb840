"""Talkdown's OpenXR adapter over pyopenxr: instance, session, actions, frames, teardown.

:class:`XrRuntime` owns one OpenXR instance and session. The engine drives it each
frame in this order (named tasks in :mod:`game.xr.app`): :meth:`XrRuntime.poll` (events;
session state) → :meth:`XrRuntime.wait_frame` (pacing: the runtime says when) →
:meth:`XrRuntime.sync` (actions, head and hand poses as an :class:`~game.xr.trainee.XrFrame`)
→ simulate → render each eye (:mod:`game.xr.stereo`) → :meth:`XrRuntime.end_frame`.

A *headless* session (``XR_MND_headless``, for tests and tools that draw nothing) skips
the frame loop: its time comes from the system clock through ``XR_KHR_convert_timespec_time``.

Session states become a :class:`SessionStatus`: only ``FOCUSED`` runs the simulation; the
others pause it with a one-line reason (focus lost to a system menu, headset taken off,
runtime gone). :meth:`XrRuntime.close` destroys spaces, actions, session and instance
in that order and is safe to call twice — a process must not leave an instance behind
(a known crash at exit with some loaders).

Nothing here runs at import time; ``xr`` (pyopenxr) is imported by :meth:`XrRuntime.open`.
"""

from __future__ import annotations

import ctypes
import time
from dataclasses import dataclass
from typing import Any, Callable

from game.content.xr_actions import XrActions
from game.core.events import HANDS
from game.xr.poses import Pose, StageAnchor
from game.xr.trainee import HandInput, XrFrame

#: Why the simulation pauses, per OpenXR session state.
PAUSE_REASONS = {
    "IDLE": "the headset is idle (taken off, or the runtime is starting)",
    "READY": "the headset is getting ready",
    "SYNCHRONIZED": "the headset is not showing Talkdown (taken off, or another app is in front)",
    "VISIBLE": "the headset shows a system menu: Talkdown lost input focus",
    "STOPPING": "the runtime is stopping the session",
    "LOSS_PENDING": "the runtime is going away (headset disconnected)",
    "EXITING": "the runtime ended the session",
}


class XrUnavailable(RuntimeError):
    """No headset session can be had (one line for the user: no pyopenxr, no runtime, no headset)."""


@dataclass(frozen=True, slots=True)
class SessionStatus:
    state: str  # the OpenXR session state's name, or "CLOSED"
    running: bool  # the simulation may step (FOCUSED)
    reason: str  # why it does not, one line ("" when running)
    ended: bool = False  # the session is over for good (exiting, runtime lost, instance lost)


def _name(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class XrRuntime:
    """One OpenXR session (see the module's docstring). ``log`` gets one-line messages."""

    def __init__(self, actions: XrActions, anchor: StageAnchor | None = None, *, headless: bool = False,
                 app_name: str = "Talkdown", log: Callable[[str], None] = print) -> None:
        self.actions_def = actions
        self.anchor = anchor or StageAnchor()
        self.headless = headless
        self.app_name = app_name
        self.log = log
        self.xr: Any = None
        self.instance: Any = None
        self.system_id: Any = None
        self.system_name = ""
        self.session: Any = None
        self.action_set: Any = None
        self.actions: dict[str, Any] = {}
        self.hand_paths: dict[str, Any] = {}
        self.spaces: dict[str, Any] = {}  # "stage", "view", "left:grip_pose" ...
        self.state = "CLOSED"
        self.began = False
        self.frame_state: Any = None
        self.display_time = 0
        self.extensions: list[str] = []
        self.reference_space = ""
        self.frames = 0
        self.focused_once = False

    # -------------------------------------------------------------- lifecycle

    def open(self, graphics: Callable[[Any, XrRuntime], Any] | None = None, *, extensions: tuple[str, ...] = ()) -> None:
        """Creates the instance, finds the headset, creates the session and the actions.
        ``graphics(xr, runtime)`` makes the graphics binding once the system is known (None
        with ``headless``); ``extensions`` are the ones it needs.
        Raises :class:`XrUnavailable` (and cleans up) when any of it cannot be had."""
        try:
            import xr  # pyopenxr: an optional dependency (talkdown[xr])
        except ImportError as exc:
            raise XrUnavailable(f"pyopenxr is not installed ({exc}); install talkdown[xr]") from None
        self.xr = xr
        try:
            self._open(graphics, extensions)
        except xr.exception.XrException as exc:
            self.close()
            raise XrUnavailable(_explain(exc)) from None
        except BaseException:
            self.close()
            raise

    def probe(self) -> None:
        """Checks for a runtime with a headset, without a session (cheap: an instance and a
        system query). Raises :class:`XrUnavailable` saying what is missing."""
        try:
            import xr
        except ImportError as exc:
            raise XrUnavailable(f"pyopenxr is not installed ({exc})") from None
        self.xr = xr
        try:
            self.instance = xr.create_instance(xr.InstanceCreateInfo(application_info=xr.ApplicationInfo(
                application_name=self.app_name, engine_name="Talkdown", api_version=xr.Version(1, 0, 0))))
        except xr.exception.XrException as exc:
            raise XrUnavailable(f"no OpenXR runtime ({_explain(exc)})") from None
        try:
            self.system_id = xr.get_system(self.instance, xr.SystemGetInfo(form_factor=xr.FormFactor.HEAD_MOUNTED_DISPLAY))
        except xr.exception.XrException:
            raise XrUnavailable("no headset connected (the OpenXR runtime sees no head-mounted display)") from None
        self.system_name = _name(xr.get_system_properties(self.instance, self.system_id).system_name)

    def _open(self, graphics: Callable[[Any, XrRuntime], Any] | None, extensions: tuple[str, ...]) -> None:
        xr = self.xr
        try:
            available = {_name(e.extension_name) for e in xr.enumerate_instance_extension_properties()}
        except xr.exception.XrException as exc:
            raise XrUnavailable(f"no OpenXR runtime found ({_explain(exc)})") from None
        wanted = list(extensions)
        if self.headless and not hasattr(time, "clock_gettime_ns"):
            raise XrUnavailable("headless OpenXR sessions (tests) need a POSIX clock; use a headset here")
        if self.headless:
            wanted += ["XR_MND_headless", "XR_KHR_convert_timespec_time"]
        missing = [e for e in wanted if e not in available]
        if missing:
            raise XrUnavailable(f"the OpenXR runtime lacks {', '.join(missing)}")
        self.extensions = wanted
        self.instance = xr.create_instance(xr.InstanceCreateInfo(
            application_info=xr.ApplicationInfo(application_name=self.app_name, application_version=1,
                                                engine_name="Talkdown", engine_version=1,
                                                api_version=xr.Version(1, 0, 0)),
            enabled_extension_names=wanted,
        ))
        try:
            self.system_id = xr.get_system(self.instance, xr.SystemGetInfo(form_factor=xr.FormFactor.HEAD_MOUNTED_DISPLAY))
        except xr.exception.FormFactorUnavailableError:
            raise XrUnavailable("no headset connected (the OpenXR runtime sees no head-mounted display)") from None
        self.system_name = _name(xr.get_system_properties(self.instance, self.system_id).system_name)
        self._create_actions()
        self._binding = graphics(xr, self) if graphics is not None else None  # kept alive with the session
        info = xr.SessionCreateInfo(system_id=self.system_id, next=self._binding)
        self.session = xr.create_session(self.instance, info)
        self.state = "IDLE"
        self._create_spaces()
        xr.attach_session_action_sets(self.session, xr.SessionActionSetsAttachInfo(action_sets=[self.action_set]))

    def _create_actions(self) -> None:
        xr, d = self.xr, self.actions_def
        self.action_set = xr.create_action_set(self.instance, xr.ActionSetCreateInfo(
            action_set_name=d.action_set, localized_action_set_name=d.localized_name, priority=d.priority))
        self.hand_paths = {h: xr.string_to_path(self.instance, f"/user/hand/{h}") for h in HANDS}
        kinds = {"pose": xr.ActionType.POSE_INPUT, "float": xr.ActionType.FLOAT_INPUT,
                 "boolean": xr.ActionType.BOOLEAN_INPUT}
        for name, (kind, localized) in d.actions.items():
            self.actions[name] = xr.create_action(self.action_set, xr.ActionCreateInfo(
                action_type=kinds[kind], action_name=name, localized_action_name=localized,
                subaction_paths=list(self.hand_paths.values())))
        for profile, table in d.bindings.items():
            suggested = [xr.ActionSuggestedBinding(self.actions[a], xr.string_to_path(self.instance, p))
                         for a, paths in table.items() for p in paths]
            try:
                xr.suggest_interaction_profile_bindings(self.instance, xr.InteractionProfileSuggestedBinding(
                    interaction_profile=xr.string_to_path(self.instance, profile), suggested_bindings=suggested))
            except xr.exception.XrException as exc:  # a runtime may not know every profile
                self.log(f"talkdown: OpenXR: bindings for {profile} not taken ({_explain(exc)})")

    def _create_spaces(self) -> None:
        xr = self.xr
        kinds = set(xr.enumerate_reference_spaces(self.session))
        stage = xr.ReferenceSpaceType.STAGE
        chosen = stage if stage.value in {int(k) for k in kinds} else xr.ReferenceSpaceType.LOCAL
        self.reference_space = chosen.name
        if chosen != stage:
            self.log("talkdown: OpenXR: no room-scale (stage) space; using the seated (local) space")
        self.spaces["stage"] = xr.create_reference_space(self.session, xr.ReferenceSpaceCreateInfo(
            reference_space_type=chosen, pose_in_reference_space=xr.Posef()))
        self.spaces["view"] = xr.create_reference_space(self.session, xr.ReferenceSpaceCreateInfo(
            reference_space_type=xr.ReferenceSpaceType.VIEW, pose_in_reference_space=xr.Posef()))
        for name, (kind, _loc) in self.actions_def.actions.items():
            if kind != "pose":
                continue
            for hand, path in self.hand_paths.items():
                self.spaces[f"{hand}:{name}"] = xr.create_action_space(self.session, xr.ActionSpaceCreateInfo(
                    action=self.actions[name], subaction_path=path, pose_in_action_space=xr.Posef()))

    def close(self) -> None:
        """Ends and destroys everything, in reverse order. Safe to call twice, and after a failed open."""
        xr = self.xr
        if xr is None:
            return
        if self.session is not None and self.began and self.state == "STOPPING":
            _quietly(xr, xr.end_session, self.session)  # elsewhere destroying the session ends it
        self.began = False
        for space in self.spaces.values():
            _quietly(xr, xr.destroy_space, space)
        self.spaces.clear()
        for action in self.actions.values():
            _quietly(xr, xr.destroy_action, action)
        self.actions.clear()
        if self.action_set is not None:
            _quietly(xr, xr.destroy_action_set, self.action_set)
            self.action_set = None
        if self.session is not None:
            _quietly(xr, xr.destroy_session, self.session)
            self.session = None
        if self.instance is not None:
            _quietly(xr, xr.destroy_instance, self.instance)
            self.instance = None
        self.state = "CLOSED"

    def __enter__(self) -> XrRuntime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- events

    def poll(self) -> SessionStatus:
        """Handles every pending runtime event (begins and ends the session as asked) and
        says whether the simulation may run."""
        xr = self.xr
        if self.instance is None:
            return SessionStatus("CLOSED", False, "the headset session is closed", ended=True)
        while True:
            try:
                event = xr.poll_event(self.instance)
            except xr.EventUnavailable:
                break
            except xr.exception.XrException as exc:  # the instance is lost: the runtime went away
                self.log(f"talkdown: OpenXR: {_explain(exc)}")
                self.state = "LOSS_PENDING"
                return self.status(ended=True)
            kind = xr.StructureType(event.type)
            if kind == xr.StructureType.EVENT_DATA_SESSION_STATE_CHANGED:
                changed = ctypes.cast(ctypes.byref(event), ctypes.POINTER(xr.EventDataSessionStateChanged)).contents
                self._on_state(xr.SessionState(changed.state).name)
            elif kind == xr.StructureType.EVENT_DATA_INSTANCE_LOSS_PENDING:
                self.state = "LOSS_PENDING"
        return self.status()

    def _on_state(self, state: str) -> None:
        previous, self.state = self.state, state
        if state == "READY" and not self.began:
            self.xr.begin_session(self.session, self.xr.SessionBeginInfo(
                primary_view_configuration_type=self.xr.ViewConfigurationType.PRIMARY_STEREO))
            self.began = True
        elif state == "STOPPING" and self.began:
            self.xr.end_session(self.session)
            self.began = False
        if state == "FOCUSED":
            if self.focused_once and previous != state:
                self.log("talkdown: resumed: the headset has focus again")
            self.focused_once = True
        elif previous != state and self.focused_once:  # the start-up states are no pause
            self.log(f"talkdown: paused: {self.status().reason}")

    def status(self, *, ended: bool = False) -> SessionStatus:
        s = self.state
        ended = ended or s in ("EXITING", "LOSS_PENDING", "CLOSED")
        if s == "FOCUSED":
            return SessionStatus(s, True, "")
        return SessionStatus(s, False, PAUSE_REASONS.get(s, f"the headset session is {s.lower()}"), ended=ended)

    # ----------------------------------------------------------------- frames

    @property
    def should_render(self) -> bool:
        return bool(self.frame_state is not None and self.frame_state.should_render)

    def wait_frame(self) -> None:
        """Blocks until the runtime wants the next frame (its pacing), then begins it.
        Headless sessions take the time from the clock instead."""
        xr = self.xr
        if self.headless:
            self.display_time = self.now()
            return
        self.frame_state = xr.wait_frame(self.session, xr.FrameWaitInfo())
        xr.begin_frame(self.session, xr.FrameBeginInfo())
        self.display_time = self.frame_state.predicted_display_time

    def end_frame(self, layers: list[Any] | None = None) -> None:
        xr = self.xr
        if self.headless:
            return
        xr.end_frame(self.session, xr.FrameEndInfo(
            display_time=self.display_time, environment_blend_mode=xr.EnvironmentBlendMode.OPAQUE,
            layers=layers or []))
        self.frames += 1

    def now(self) -> int:
        """The runtime's time for "now" (XrTime, nanoseconds), from the system's monotonic clock."""
        xr = self.xr
        ns = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        spec = xr.timespec(ns // 1_000_000_000, ns % 1_000_000_000)
        t = xr.convert_timespec_time_to_time_khr(self.instance, spec)
        return int(getattr(t, "value", t))

    def locate_views(self) -> list[Any]:
        """Each eye's pose and field of view (stage space) for this frame."""
        xr = self.xr
        _state, views = xr.locate_views(self.session, xr.ViewLocateInfo(
            view_configuration_type=xr.ViewConfigurationType.PRIMARY_STEREO,
            display_time=self.display_time, space=self.spaces["stage"]))
        return list(views)

    # ---------------------------------------------------------------- actions

    def sync(self) -> XrFrame:
        """Syncs the actions and locates head and hands for the current display time."""
        xr = self.xr
        if self.state != "FOCUSED":
            return XrFrame()  # unfocused sessions get no input: hands read as lost
        xr.sync_actions(self.session, xr.ActionsSyncInfo(active_action_sets=[xr.ActiveActionSet(self.action_set)]))
        t = self.display_time or self.now()
        head = self._locate(self.spaces["view"], t)
        hands = {}
        for hand, path in self.hand_paths.items():
            hands[hand] = HandInput(
                grip_pose=self._locate(self.spaces.get(f"{hand}:grip_pose"), t),
                aim_pose=self._locate(self.spaces.get(f"{hand}:aim_pose"), t),
                grip=self._float("grip", path),
                trigger=self._float("trigger", path),
                tool_select=self._bool("tool_select", path),
                push_to_talk=self._bool("push_to_talk", path),
            )
        return XrFrame(head=head, hands=hands)

    def _locate(self, space: Any, t: int) -> Pose | None:
        if space is None:
            return None
        xr = self.xr
        loc = xr.locate_space(space, self.spaces["stage"], t)
        need = xr.SpaceLocationFlags.POSITION_VALID_BIT | xr.SpaceLocationFlags.ORIENTATION_VALID_BIT
        if (int(loc.location_flags) & int(need)) != int(need):
            return None
        p, o = loc.pose.position, loc.pose.orientation
        return self.anchor.pose((p.x, p.y, p.z), (o.x, o.y, o.z, o.w))

    def _float(self, name: str, path: Any) -> float:
        action = self.actions.get(name)
        if action is None:
            return 0.0
        xr = self.xr
        state = xr.get_action_state_float(self.session, xr.ActionStateGetInfo(action=action, subaction_path=path))
        return float(state.current_state) if state.is_active else 0.0

    def _bool(self, name: str, path: Any) -> bool:
        action = self.actions.get(name)
        if action is None:
            return False
        xr = self.xr
        state = xr.get_action_state_boolean(self.session, xr.ActionStateGetInfo(action=action, subaction_path=path))
        return bool(state.current_state) if state.is_active else False

    def current_profile(self, hand: str) -> str:
        """The interaction profile the runtime picked for ``hand`` ("" before one is known)."""
        xr = self.xr
        try:
            state = xr.get_current_interaction_profile(self.session, self.hand_paths[hand])
            if not state.interaction_profile:
                return ""
            return _name(xr.path_to_string(self.instance, state.interaction_profile))
        except xr.exception.XrException:
            return ""


def _quietly(xr: Any, fn: Callable[[Any], Any], handle: Any) -> None:
    try:
        fn(handle)
    except xr.exception.XrException:
        pass


def _explain(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
