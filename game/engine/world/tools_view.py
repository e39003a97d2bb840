"""What the trainee holds, drawn in front of the camera; the flashlight really lights the scene."""

from __future__ import annotations

from panda3d.core import NodePath, Spotlight, Vec3

from game.engine.world import geometry

FLASHLIGHT_COLOR = (1.1, 1.1, 1.0, 1)
FLASHLIGHT_ATTENUATION = (1.0, 0.12, 0.08)  # constant, linear, quadratic: x0.64 at 2 m, x0.40 at 4 m
HAND_OFFSETS = {"right": (0.2, 0.5, -0.16), "left": (-0.2, 0.5, -0.16)}


def _pistol_shape(np: NodePath, *, length: float, body_color: tuple[float, float, float, float]) -> None:
    """A barrel-and-grip shape (CEW, handgun), pointing along +y."""
    body = np.attach_new_node(geometry.box(0.032, length, 0.045, centred=True))
    body.set_color(*body_color)
    grip = np.attach_new_node(geometry.box(0.03, 0.045, 0.1))
    grip.set_pos(0, -length * 0.3, -0.12)
    grip.set_color(0.1, 0.1, 0.1, 1)


def _tool_model(tool: str, parent: NodePath) -> NodePath:
    np = parent.attach_new_node(f"tool:{tool}")
    if tool == "flashlight":
        body = np.attach_new_node(geometry.cylinder(0.022, 0.2, axis="y"))
        body.set_color(0.08, 0.08, 0.08, 1)
        lens = np.attach_new_node(geometry.cylinder(0.028, 0.02, axis="y"))
        lens.set_y(0.1)
        lens.set_color(1.0, 1.0, 0.85, 1)
        lens.set_light_off(1)
    elif tool == "oc_spray":
        can = np.attach_new_node(geometry.cylinder(0.025, 0.13))
        can.set_z(-0.06)
        can.set_color(0.9, 0.45, 0.05, 1)
    elif tool == "cew":
        _pistol_shape(np, length=0.16, body_color=(0.95, 0.8, 0.05, 1))
    elif tool == "baton":
        rod = np.attach_new_node(geometry.cylinder(0.016, 0.6, axis="y"))
        rod.set_pos(0, 0.2, 0)
        rod.set_color(0.05, 0.05, 0.05, 1)
    elif tool == "firearm":
        _pistol_shape(np, length=0.19, body_color=(0.12, 0.12, 0.13, 1))
    return np


class HeldTools:
    """Shows each hand's tool under ``camera``; the flashlight adds a spotlight to ``lit_root``."""

    def __init__(self, camera: NodePath, lit_root: NodePath) -> None:
        self.camera = camera
        self.lit_root = lit_root
        self.hands = {hand: camera.attach_new_node(f"hand:{hand}") for hand in HAND_OFFSETS}
        for hand, offset in HAND_OFFSETS.items():
            self.hands[hand].set_pos(*offset)
        self.shown = {"left": "", "right": ""}
        self.models: dict[str, NodePath] = {}
        self.beam: NodePath | None = None

    def update(self, hands: dict[str, str]) -> None:
        """Called each frame with what is in each hand; rebuilds only what changed."""
        changed = [hand for hand, tool in hands.items() if self.shown[hand] != tool]
        for hand in changed:  # take away first, so a tool moving between hands is rebuilt cleanly
            if hand in self.models:
                self.models.pop(hand).remove_node()
            if self.shown[hand] == "flashlight":
                self._beam_off()
            self.shown[hand] = ""
        for hand in changed:
            tool = hands[hand]
            self.shown[hand] = tool
            if tool:
                self.models[hand] = _tool_model(tool, self.hands[hand])
                if tool == "flashlight":
                    self._beam_on(self.models[hand])

    def _beam_on(self, model: NodePath) -> None:
        light = Spotlight("flashlight_beam")
        # bright but not blinding: at 2 m a face gets ~0.7 of full light on top of the scene's,
        # so its brightest parts stay below white (the fixed-function sum clamps at 1; before,
        # 2.5 at 2 m clipped a face to a flat plateau)
        light.set_color(FLASHLIGHT_COLOR)
        light.set_attenuation(Vec3(*FLASHLIGHT_ATTENUATION))
        light.get_lens().set_fov(22)
        light.set_exponent(12)
        self.beam = model.attach_new_node(light)
        self.beam.set_h(0)
        self.lit_root.set_light(self.beam)

    def _beam_off(self) -> None:
        if self.beam is not None:
            self.lit_root.clear_light(self.beam)
            self.beam.remove_node()
            self.beam = None

    def destroy(self) -> None:
        self._beam_off()
        for np in self.hands.values():
            np.remove_node()
