"""What the trainee holds, drawn in front of the camera: a gloved hand in a uniform sleeve around
each drawn tool (flashlight, OC canister, CEW, baton, pistol), low in the view as in any
first-person trainer. The flashlight really lights the scene. Each tool has a ``muzzle`` node at
the end its effect leaves from (:mod:`game.engine.world.tool_effects` draws from it).

In the headset the same hand anchors are moved onto the tracked controllers
(:meth:`game.xr.hands_view.HandNodes.attach_tools`).
"""

from __future__ import annotations

from panda3d.core import AmbientLight, DepthOffsetAttrib, DirectionalLight, NodePath, Spotlight, Vec3

from game.engine.world import geometry

FLASHLIGHT_COLOR = (1.1, 1.1, 1.0, 1)
FLASHLIGHT_ATTENUATION = (1.0, 0.12, 0.08)  # constant, linear, quadratic: x0.64 at 2 m, x0.40 at 4 m
#: Where each hand holds its tool, from the eye (metres: right, forward, up): low and to the side.
HAND_OFFSETS = {"right": (0.19, 0.48, -0.15), "left": (-0.19, 0.48, -0.15)}
SKIN = (0.62, 0.45, 0.36, 1)  # a glove-less hand, mid skin tone
SLEEVE = (0.07, 0.08, 0.12, 1)  # a dark uniform sleeve
VIEW_FILL = (0.22, 0.22, 0.24, 1)  # a little light of its own, so a hand reads even in a dark lot
VIEW_KEY = (0.35, 0.34, 0.32, 1)  # and a soft key from above and behind the shoulder
#: The depth range the desk's view-model is drawn in: in front of the world (a hand never sinks
#: into a car's door the trainee stands against), still depth-tested against itself.
IN_FRONT = DepthOffsetAttrib.make(0, 0.0, 0.04)


def _part(parent: NodePath, node, pos=(0.0, 0.0, 0.0), color=(0.1, 0.1, 0.1, 1), hpr=None) -> NodePath:
    np = parent.attach_new_node(node)
    np.set_pos(*pos)
    if hpr is not None:
        np.set_hpr(*hpr)
    np.set_color(*color)
    return np


def _box(parent: NodePath, size, pos, color, hpr=None) -> NodePath:
    return _part(parent, geometry.box(*size, centred=True), pos, color, hpr)


def _hand(parent: NodePath, grip: tuple[float, float, float], *, fist: str = "pistol", side: int = 1) -> NodePath:
    """A hand closed around a grip at ``grip`` (the tool's frame, +y forward), its forearm in a
    sleeve running back and down out of view. ``fist``: ``pistol`` (a vertical grip, index finger
    along the frame) or ``rod`` (a fist round a horizontal body)."""
    hand = parent.attach_new_node("hand")
    hand.set_pos(*grip)
    if fist == "pistol":
        _box(hand, (0.05, 0.06, 0.085), (0, -0.012, -0.005), SKIN)  # fingers wrapped round the grip
        _box(hand, (0.055, 0.075, 0.05), (0.01 * side, -0.05, 0.02), SKIN)  # the palm's heel and back
        _part(hand, geometry.cylinder(0.011, 0.06, axis="y"), (-0.026 * side, 0.0, 0.028), SKIN)  # thumb
        _part(hand, geometry.cylinder(0.01, 0.05, axis="y"), (0.024 * side, 0.03, 0.03), SKIN)  # index finger
        wrist = (0.01 * side, -0.09, 0.0)
    else:
        _box(hand, (0.07, 0.085, 0.06), (0.0, 0.0, 0.0), SKIN)  # a fist round the body
        for i in range(4):  # knuckles
            _part(hand, geometry.sphere(0.014, rings=5, segments=8), (0.028 * side, -0.03 + 0.02 * i, 0.022), SKIN)
        _part(hand, geometry.cylinder(0.011, 0.05, axis="y"), (-0.03 * side, 0.01, 0.02), SKIN)
        wrist = (0.0, -0.045, -0.01)
    forearm = hand.attach_new_node("forearm")  # from the wrist, back and down out of the view
    forearm.set_pos(*wrist)
    forearm.set_hpr(-8 * side, 28, 0)
    _part(forearm, geometry.cylinder(0.026, 0.05, axis="y"), (0, -0.02, 0), SKIN)  # the wrist
    _part(forearm, geometry.cylinder(0.036, 0.24, axis="y"), (0, -0.16, 0), SLEEVE)
    _part(forearm, geometry.cylinder(0.038, 0.015, axis="y"), (0, -0.045, 0), (0.04, 0.04, 0.06, 1))  # the cuff
    return hand


def _pistol(np: NodePath, *, length: float, body: tuple, side: int, cew: bool) -> NodePath:
    """A pistol-shaped tool (CEW, handgun) pointing along +y; returns its muzzle node."""
    _box(np, (0.03, length, 0.04), (0, length / 2 - 0.05, 0.02), body)  # slide / body
    _box(np, (0.028, 0.05, 0.1), (0, -0.03, -0.04), (0.1, 0.1, 0.1, 1), hpr=(0, -12, 0))  # grip
    _box(np, (0.026, 0.045, 0.012), (0, 0.02, -0.012), (0.1, 0.1, 0.1, 1))  # trigger guard
    if cew:  # the cartridge on the front, the laser under it
        _box(np, (0.036, 0.04, 0.05), (0, length - 0.05 + 0.02, 0.018), (0.12, 0.12, 0.12, 1))
        laser = _part(np, geometry.cylinder(0.005, 0.01, axis="y"), (0, length - 0.04, -0.012), (1.0, 0.1, 0.1, 1))
        laser.set_light_off(1)
    else:  # sights on the slide
        _box(np, (0.006, 0.008, 0.008), (0, length - 0.06, 0.044), (0.85, 0.85, 0.8, 1))
        _box(np, (0.022, 0.008, 0.009), (0, -0.04, 0.044), (0.05, 0.05, 0.05, 1))
    muzzle = np.attach_new_node("muzzle")
    muzzle.set_pos(0, length - 0.03 + (0.02 if cew else 0.0), 0.02)
    _hand(np, (0, -0.03, -0.04), fist="pistol", side=side)
    return muzzle


def _tool_model(tool: str, parent: NodePath, side: int = 1) -> NodePath:
    np = parent.attach_new_node(f"tool:{tool}")
    muzzle = None
    if tool == "flashlight":
        _part(np, geometry.cylinder(0.018, 0.2, axis="y"), (0, 0, 0), (0.08, 0.08, 0.08, 1))
        _part(np, geometry.cylinder(0.026, 0.05, axis="y"), (0, 0.11, 0), (0.1, 0.1, 0.1, 1))  # the head
        lens = _part(np, geometry.cylinder(0.022, 0.005, axis="y"), (0, 0.137, 0), (1.0, 1.0, 0.85, 1))
        lens.set_light_off(1)
        muzzle = np.attach_new_node("muzzle")
        muzzle.set_y(0.14)
        _hand(np, (0, -0.03, 0), fist="rod", side=side)
    elif tool == "oc_spray":
        _part(np, geometry.cylinder(0.023, 0.14), (0, 0, -0.08), (0.85, 0.4, 0.05, 1))  # the canister
        _part(np, geometry.cylinder(0.02, 0.025), (0, 0, 0.06), (0.1, 0.1, 0.1, 1))  # actuator
        _box(np, (0.012, 0.02, 0.012), (0, 0.02, 0.075), (0.1, 0.1, 0.1, 1))  # nozzle
        muzzle = np.attach_new_node("muzzle")
        muzzle.set_pos(0, 0.035, 0.075)
        _hand(np, (0, 0, -0.02), fist="rod", side=side).set_hpr(0, 0, 90 * side)
    elif tool == "cew":
        muzzle = _pistol(np, length=0.16, body=(0.95, 0.8, 0.05, 1), side=side, cew=True)
    elif tool == "baton":
        _part(np, geometry.cylinder(0.016, 0.6, axis="y"), (0, 0.2, 0), (0.05, 0.05, 0.05, 1))
        _part(np, geometry.cylinder(0.021, 0.16, axis="y"), (0, -0.03, 0), (0.12, 0.12, 0.12, 1))  # the grip
        muzzle = np.attach_new_node("muzzle")
        muzzle.set_y(0.5)
        _hand(np, (0, -0.03, 0), fist="rod", side=side)
    elif tool == "firearm":
        muzzle = _pistol(np, length=0.19, body=(0.12, 0.12, 0.13, 1), side=side, cew=False)
    if muzzle is None:
        muzzle = np.attach_new_node("muzzle")
    return np


def _linearise(model: NodePath) -> None:
    """``high`` shades in linear light: the view-model's authored (sRGB) colours are turned into it,
    as the scene's are."""
    from game.engine.world.lighting import srgb_to_linear

    for np in [model, *model.find_all_matches("**")]:
        if np.has_color():
            c = np.get_color()
            np.set_color(srgb_to_linear(c[0]), srgb_to_linear(c[1]), srgb_to_linear(c[2]), c[3])


class HeldTools:
    """Shows each hand's tool under ``camera``; the flashlight adds a spotlight to ``lit_root``.
    ``quality`` ``high`` gives the view-model a material the PBR shader lights."""

    def __init__(self, camera: NodePath, lit_root: NodePath, quality: str = "low") -> None:
        self.camera = camera
        self.lit_root = lit_root
        self.quality = quality
        self.hands = {hand: camera.attach_new_node(f"hand:{hand}") for hand in HAND_OFFSETS}
        fill = AmbientLight("view_model_fill")
        fill.set_color(VIEW_FILL)
        key = DirectionalLight("view_model_key")
        key.set_color(VIEW_KEY)
        self._fill = camera.attach_new_node(fill)
        self._key = camera.attach_new_node(key)
        self._key.set_hpr(-20, -50, 0)
        for hand, offset in HAND_OFFSETS.items():
            self.hands[hand].set_pos(*offset)
            self.hands[hand].set_light(self._fill)
            self.hands[hand].set_light(self._key)
            if quality == "high":
                from game.engine.world.lighting import surface_material

                self.hands[hand].set_material(surface_material(0.6), 2)
        self.keep_in_front(True)
        self.shown = {"left": "", "right": ""}
        self.models: dict[str, NodePath] = {}
        self.beam: NodePath | None = None

    def keep_in_front(self, on: bool) -> None:
        """On the desk the hands are drawn in front of the world (the default); in the headset,
        where they are where the trainee's hands really are, they are not."""
        for np in self.hands.values():
            if on:
                np.set_attrib(IN_FRONT, 1)
            else:
                np.clear_attrib(DepthOffsetAttrib)

    def muzzle(self, hand: str) -> NodePath | None:
        """The node at the working end of ``hand``'s tool (None: that hand is empty)."""
        model = self.models.get(hand)
        return None if model is None else model.find("**/muzzle")

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
                self.models[hand] = _tool_model(tool, self.hands[hand], side=1 if hand == "right" else -1)
                if self.quality == "high":
                    _linearise(self.models[hand])
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
        self._fill.remove_node()
        self._key.remove_node()
