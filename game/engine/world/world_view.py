"""The 3D view of a running session: the scene, a character per subject, the trainee's
camera and held tools. Reads the simulation's state; never changes it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from panda3d.core import NodePath

from game.content.manifest import AssetEntry
from game.content.scene import SceneDef
from game.core.scenario import ScenarioDef
from game.core.snapshot import OfficerView, Snapshot, SubjectView
from game.core.world import heading_to
from game.content.gestures import gesture_for, spoken_part
from game.engine.world.character import CharacterModels
from game.engine.world.face import feeling_of
from game.engine.world.figure import Figure
from game.engine.world.masks import overhead_mask
from game.engine.world.scene_view import build_scene
from game.engine.world.seating import scene_seats, seat_for
from game.engine.world.speech_timing import line_timing
from game.engine.world.tool_effects import ToolEffects
from game.engine.world.tools_view import HeldTools

EYE_HEIGHT = 1.7
FIELD_OF_VIEW = 75.0  # horizontal degrees on a desktop monitor (a headset sets its own)


def setup_lens(cam: NodePath, fov: float = FIELD_OF_VIEW) -> None:
    """Gives the trainee's camera (the node holding the lens) a human field of view and a near
    plane close enough for the tools in hand."""
    lens = cam.node().get_lens()
    lens.set_fov(fov)
    lens.set_near_far(0.05, 250.0)


def prepare_view(base: Any, scene: SceneDef, quality: str = "auto") -> str:
    """Sets up ``base`` for the trainee's view of ``scene`` at ``quality`` (``low``, ``high`` or
    ``auto``: see :mod:`game.engine.world.lighting`): sky colour, lens and, for ``high``, the PBR
    pipeline (once per ShowBase). Returns the quality used (``low`` or ``high``); pass it to
    :class:`WorldView`."""
    from game.engine.world.lighting import init_high, resolve_quality, srgb_to_linear, sync_high
    from game.engine.settings import is_software_renderer

    chosen = resolve_quality(quality, base)
    setup_lens(base.cam)
    if chosen == "high":
        base.set_background_color(*(srgb_to_linear(c) for c in scene.sky_color[:3]), 1)
        if getattr(base, "_talkdown_pbr", None) is None:
            base._talkdown_pbr = init_high(base, software=is_software_renderer(base))
            from game.engine.world.sky_light import environment_map

            env = environment_map()  # the HDR sky's light (filtered in the background the first time)
            if env is not None:
                base._talkdown_pbr.env_map = env
        sync_high(base._talkdown_pbr, base.win.get_clear_color(), base.render, base.cam)
    else:
        base.set_background_color(*scene.sky_color)
    return chosen


def _angle(a: float) -> float:
    return (a + 180.0) % 360.0 - 180.0


def _inward(seat: Any, point: tuple[float, float], depth: float = 0.12) -> tuple[float, float]:
    """Where on a seat the hips go: ``depth`` in from the edge nearest the subject."""
    import math

    dx, dy = seat.centre[0] - point[0], seat.centre[1] - point[1]
    d = math.hypot(dx, dy)
    k = min(depth, d) / d if d > 1e-6 else 0.0
    return (point[0] + dx * k, point[1] + dy * k)


def load_characters(scenario: ScenarioDef, manifest: Mapping[str, AssetEntry] | None = None) -> dict[str, AssetEntry | None]:
    """Each subject's character entry from the manifest (the installed one by default);
    None where the manifest cannot be read or lacks the name (the placeholder shows)."""
    from game.content.errors import ContentError
    from game.content.manifest import load_manifest

    if manifest is None:
        try:
            manifest = load_manifest()
        except ContentError:
            manifest = {}
    return {s.id: manifest.get(getattr(s, "appearance", "")) for s in scenario.subjects}


class WorldView:
    """Builds the scene under ``render`` and drives ``camera`` (both passed in). With a
    ``loader`` (the ShowBase's) subjects are rigged characters from the asset manifest and
    the scene's placed assets are their models; without one, or when a file cannot load,
    subjects are placeholder figures and assets boxes (``scene.warnings`` says which)."""

    def __init__(self, render: NodePath, camera: NodePath, scene: SceneDef, scenario: ScenarioDef, *,
                 loader: Any = None, manifest: Mapping[str, AssetEntry] | None = None, quality: str = "low",
                 seat: str = "officer:1") -> None:
        """``seat``: whose eyes the camera is (a trainee station's own officer); the other officers
        are drawn as officer figures (:mod:`game.engine.world.officers_view`)."""
        from game.engine.world.lighting import sky_dome
        from game.engine.world.officers_view import OfficerFigures

        self.root = render.attach_new_node("world")
        self.quality = quality
        self.scene = build_scene(scene, self.root, lit_root=self.root, loader=loader, quality=quality)
        self.camera = camera
        # the sky is part of the world (hiding the world hides it) and goes where the camera goes
        self.sky = self.root.attach_new_node(sky_dome(scene, linear=quality == "high").node())
        self.sky.hide(overhead_mask())
        self.sky.set_pos(camera.get_pos(self.root))
        self.models = CharacterModels(loader) if loader is not None else None
        entries = load_characters(scenario, manifest) if loader is not None else {}
        self.figures: dict[str, Any] = {}
        self.shadows: list[NodePath] = []
        for s in scenario.subjects:
            view = self.models.create(self.root, s.id, entries.get(s.id)) if self.models is not None else None
            self.figures[s.id] = view if view is not None else Figure(self.root, s.id)
            fig = self.figures[s.id]
            fig.root.set_pos(s.position[0], s.position[1], 0)
            fig.root.set_h(s.heading)
            self._light_figure(fig)
        self._headings = {s.id: s.heading for s in scenario.subjects}
        self._lines = {s.id: s.lines for s in scenario.subjects}
        self.seats = scene_seats(scene)
        self.scenario = scenario
        self.voices: Path | None = None  # where generated voice lines are (the game's default when None)
        self.gestures: list[tuple[str, str]] = []  # (subject, gesture) played, in order
        self.tools = HeldTools(camera, self.root, quality)
        self.effects = ToolEffects(self.root, self.tools)
        self.seat = seat
        self.officers = OfficerFigures(self.root, seat)

    def _light_figure(self, fig: Any) -> None:
        """A contact shadow under the subject; at ``high`` a material the PBR shader lights (the
        characters' pieces carry no material of their own, which it would draw black)."""
        from game.engine.world.lighting import contact_shadow, surface_material

        self.shadows.append(contact_shadow(fig.root))
        if self.quality == "high":
            fig.root.set_material(surface_material(0.7), 2)

    def record(self, step: int, time: float, event: Any) -> None:
        """Journal sink hook: the core's output events become talking, drawing, striking.
        Events it does not know are ignored."""
        kind = getattr(event, "TYPE", type(event).__name__)
        if kind in ("ToolDischarged", "ToolHit", "ToolMissed"):
            self.effects.record(time, event)
        fig = self.figures.get(getattr(event, "subject", None))
        if fig is None:
            return
        if kind == "SubjectSaid":
            self._said(fig, event)
        elif isinstance(fig, Figure):
            return
        elif kind == "SubjectWeaponChanged":
            out = bool(getattr(event, "out", False))
            fig.set_weapon(getattr(event, "weapon", ""), out)
            if out:
                fig.play_once("draw_weapon")
        elif kind == "SubjectAttacked":
            fig.play_once("attack")
        elif kind == "SubjectPushedPast":
            fig.play_once("push")
        elif kind == "SubjectGrappled":
            fig.play_once("grapple")

    def _line(self, event: Any) -> Any:
        """The scenario's line (text, gesture, narration) the event said, if it is a recorded one."""
        for item in self._lines.get(getattr(event, "subject", ""), {}).get(getattr(event, "line", ""), ()):
            if not isinstance(item, str) and item.text == getattr(event, "text", ""):
                return item
        return None

    def _said(self, fig: Any, event: Any) -> None:
        text = getattr(event, "text", "")
        line = self._line(event)
        # The scenario's line (or the event itself, where the core carries them) may say it is a
        # described action and which gesture it plays; otherwise its words tell.
        narration = True if getattr(event, "narration", False) or getattr(line, "narration", False) else None
        gesture = gesture_for(text, getattr(event, "gesture", "") or getattr(line, "gesture", ""), narration)
        spoken = spoken_part(text, narration)
        audio = None
        if spoken:
            from game.voice.lines import audio_for

            try:
                audio = audio_for(event, self.scenario.id, getattr(self.scenario, "source", "."), self.voices)
            except (OSError, ValueError):
                audio = None
        seconds, envelope = line_timing(audio, spoken)
        if isinstance(fig, Figure):
            if spoken:
                fig.talk(seconds)
            return
        if spoken:
            from game.voice.phonemes import read_phonemes

            fig.talk(seconds, shout=getattr(event, "tone", "normal") == "shout", text=spoken, envelope=list(envelope),
                     phonemes=list(read_phonemes(audio)))
        if gesture and fig.play_gesture(gesture):
            self.gestures.append((getattr(event, "subject", ""), gesture))

    def update(self, snap: Snapshot, dt: float, pose: tuple[tuple[float, float], float, float] | None = None) -> None:
        """Called once per frame after the simulation steps, with its snapshot. ``pose``
        (position, heading, pitch) is the device's latest head pose; without it the viewer's officer's."""
        t = snap.officer(self.seat) or snap.trainee
        self.officers.update(snap)
        position, heading, pitch = pose if pose is not None else (t.position, t.heading, t.pitch)
        self.camera.set_pos(position[0], position[1], EYE_HEIGHT)
        self.camera.set_hpr(heading, pitch, 0)
        self.sky.set_pos(self.camera.get_pos(self.root))
        for s in snap.subjects:
            fig = self.figures[s.id]
            fig.root.set_pos(s.position[0], s.position[1], 0)
            fig.root.set_h(s.heading)
            fig.set_posture(s.posture)
            fig.set_motion(s.speed)
            if not isinstance(fig, Figure):
                fig.set_activity(s.activity)
                turned = _angle(s.heading - self._headings.get(s.id, s.heading))
                fig.set_turn_rate(turned / dt if dt > 0 else 0.0)
                fig.set_weapon(s.weapon, s.weapon_out and bool(s.weapon))
                found = seat_for(self.seats, s.position) if s.posture == "sitting" else None
                fig.set_seat(*(None, (0.0, 0.0)) if found is None else (found[0].height, _inward(found[0], found[1])))
            self._headings[s.id] = s.heading
            toward = _angle(heading_to(s.position, position) - s.heading)
            fig.look_at(toward)
            if not isinstance(fig, Figure):
                self._face(fig, s, snap, t, position, toward)
            fig.update(dt)
        self.tools.update(t.hands)
        self.effects.update(snap.time)
        self.scene.animate(snap.time)
        if self.quality == "high":  # what simplepbr's own task sets before each frame, for frames drawn without it
            self.root.set_shader_input("camera_world_position", self.camera.get_pos(self.root))

    def _face(self, fig: Any, s: SubjectView, snap: Snapshot, trainee: OfficerView, eye: tuple[float, float],
              toward: float) -> None:
        """The subject's feeling, and its gaze: at the trainee's face, at a weapon pointed at it,
        or at the ground when ashamed."""
        import math

        feeling = feeling_of(s, snap.time, trainee)
        fig.set_feeling(feeling)
        distance = max(0.3, math.dist(s.position, eye))
        scale = fig.root.get_scale().z * fig.body.get_scale().z
        pitch = math.degrees(math.atan2(EYE_HEIGHT - 1.65 * scale, distance))
        if feeling.shame > 0.3:
            pitch = -35.0
        elif trainee.pointed_tools():
            pitch = math.degrees(math.atan2(1.25 - 1.65 * scale, distance))  # the tool in the trainee's hand
        fig.set_gaze(toward, pitch)
        fig.set_distance(distance)

    def destroy(self) -> None:
        self.sky.remove_node()
        self.effects.destroy()
        self.tools.destroy()
        self.officers.destroy()
        for fig in self.figures.values():
            fig.destroy()
        self.scene.destroy()
        self.root.remove_node()
