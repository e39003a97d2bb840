"""The 3D view of a running session: the scene, a character per subject, the trainee's
camera and held tools. Reads the simulation's state; never changes it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from panda3d.core import NodePath

from game.content.manifest import AssetEntry
from game.content.scene import SceneDef
from game.core.scenario import ScenarioDef
from game.core.snapshot import Snapshot
from game.core.world import heading_to
from game.engine.world.character import CharacterModels
from game.engine.world.figure import Figure
from game.engine.world.scene_view import build_scene
from game.engine.world.tools_view import HeldTools

EYE_HEIGHT = 1.7
FIELD_OF_VIEW = 75.0  # horizontal degrees on a desktop monitor (a headset sets its own)


def setup_lens(cam: NodePath, fov: float = FIELD_OF_VIEW) -> None:
    """Gives the trainee's camera (the node holding the lens) a human field of view and a near
    plane close enough for the tools in hand."""
    lens = cam.node().get_lens()
    lens.set_fov(fov)
    lens.set_near_far(0.05, 250.0)


def prepare_view(base: Any, scene: SceneDef) -> None:
    """Sets up ``base`` for the trainee's view of ``scene``: sky colour, lens, and per-pixel
    lighting where a real GPU runs shaders (software renderers keep fixed-function lights)."""
    from game.engine.settings import is_software_renderer

    base.set_background_color(*scene.sky_color)
    setup_lens(base.cam)
    if not is_software_renderer(base):
        base.render.set_shader_auto()


def _angle(a: float) -> float:
    return (a + 180.0) % 360.0 - 180.0


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
                 loader: Any = None, manifest: Mapping[str, AssetEntry] | None = None) -> None:
        self.root = render.attach_new_node("world")
        self.scene = build_scene(scene, self.root, lit_root=self.root, loader=loader)
        self.camera = camera
        self.models = CharacterModels(loader) if loader is not None else None
        entries = load_characters(scenario, manifest) if loader is not None else {}
        self.figures: dict[str, Any] = {}
        for s in scenario.subjects:
            view = self.models.create(self.root, s.id, entries.get(s.id)) if self.models is not None else None
            self.figures[s.id] = view if view is not None else Figure(self.root, s.id)
            fig = self.figures[s.id]
            fig.root.set_pos(s.position[0], s.position[1], 0)
            fig.root.set_h(s.heading)
        self._headings = {s.id: s.heading for s in scenario.subjects}
        self.tools = HeldTools(camera, self.root)

    def record(self, step: int, time: float, event: Any) -> None:
        """Journal sink hook: the core's output events become talking, drawing, striking.
        Events it does not know are ignored."""
        kind = getattr(event, "TYPE", type(event).__name__)
        fig = self.figures.get(getattr(event, "subject", None))
        if fig is None:
            return
        if kind == "SubjectSaid":
            text = getattr(event, "text", "")
            shout = getattr(event, "tone", "normal") == "shout"
            if isinstance(fig, Figure):
                fig.talk(min(4.0, 0.6 + 0.06 * len(text)))
            else:
                fig.talk(min(4.0, 0.6 + 0.06 * len(text)), shout=shout)
        elif isinstance(fig, Figure):
            return
        elif kind == "SubjectWeaponChanged":
            out = bool(getattr(event, "out", False))
            fig.set_weapon(getattr(event, "weapon", ""), out)
            if out:
                fig.play_once("draw_weapon")
        elif kind == "SubjectAttacked":
            fig.play_once("attack")

    def update(self, snap: Snapshot, dt: float, pose: tuple[tuple[float, float], float, float] | None = None) -> None:
        """Called once per frame after the simulation steps, with its snapshot. ``pose``
        (position, heading, pitch) is the device's latest head pose; without it officer 1's."""
        t = snap.trainee
        position, heading, pitch = pose if pose is not None else (t.position, t.heading, t.pitch)
        self.camera.set_pos(position[0], position[1], EYE_HEIGHT)
        self.camera.set_hpr(heading, pitch, 0)
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
            self._headings[s.id] = s.heading
            fig.look_at(_angle(heading_to(s.position, position) - s.heading))
            fig.update(dt)
        self.tools.update(t.hands)

    def destroy(self) -> None:
        self.tools.destroy()
        for fig in self.figures.values():
            fig.destroy()
        self.scene.destroy()
        self.root.remove_node()
