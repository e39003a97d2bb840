"""The 3D view of a running session: the scene, a figure per subject, the trainee's
camera and held tools. Reads the simulation's state; never changes it."""

from __future__ import annotations

from typing import Any

from panda3d.core import NodePath

from game.content.scene import SceneDef
from game.core.events import Event, SubjectSaid
from game.core.scenario import ScenarioDef
from game.core.world import heading_to
from game.engine.figure import Figure
from game.engine.scene_view import build_scene
from game.engine.tools_view import HeldTools

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


class WorldView:
    """Builds the scene under ``render`` and drives ``camera`` (both passed in)."""

    def __init__(self, render: NodePath, camera: NodePath, scene: SceneDef, scenario: ScenarioDef) -> None:
        self.root = render.attach_new_node("world")
        self.scene = build_scene(scene, self.root, lit_root=self.root)
        self.camera = camera
        self.figures = {s.id: Figure(self.root, s.id) for s in scenario.subjects}
        for s in scenario.subjects:
            fig = self.figures[s.id]
            fig.root.set_pos(s.position[0], s.position[1], 0)
            fig.root.set_h(s.heading)
        self.tools = HeldTools(camera, self.root)

    def record(self, step: int, time: float, event: Event) -> None:
        """Journal sink hook: the figure talks while its line is said."""
        if isinstance(event, SubjectSaid) and event.subject in self.figures:
            self.figures[event.subject].talk(min(4.0, 0.6 + 0.06 * len(event.text)))

    def update(self, sim: Any, dt: float, pose: tuple[tuple[float, float], float, float] | None = None) -> None:
        """Called once per frame after the simulation steps. ``pose`` (position, heading, pitch)
        is the device's latest head pose; without it the simulation's trainee pose is used."""
        t = sim.trainee
        position, heading, pitch = pose if pose is not None else (t.position, t.heading, t.pitch)
        self.camera.set_pos(position[0], position[1], EYE_HEIGHT)
        self.camera.set_hpr(heading, pitch, 0)
        for mind in sim.minds:
            s = mind.state
            fig = self.figures[s.id]
            fig.root.set_pos(s.position[0], s.position[1], 0)
            fig.root.set_h(s.heading)
            fig.set_posture(s.posture)
            fig.set_motion(s.speed)
            rel = (heading_to(s.position, position) - s.heading + 180.0) % 360.0 - 180.0
            fig.look_at(rel)
            fig.update(dt)
        self.tools.update(t.hands)

    def destroy(self) -> None:
        self.tools.destroy()
        for fig in self.figures.values():
            fig.destroy()
        self.scene.destroy()
        self.root.remove_node()
