"""Binds a character's face to :mod:`game.engine.world.face`: its morph targets (panda3d-gltf makes
``CharacterSlider``s of them, one per mesh that has the target) and its eye joints.

A control is driven wherever the character has it: as one target (``mouthSmile``), as
ARKit's two sides (``mouthSmileLeft``/``mouthSmileRight``), in every mesh that carries it
(head, teeth, lashes, beard). Eyes turn by ``LeftEye``/``RightEye`` joints where there are
some, else by ARKit's ``eyeLook*`` targets.
"""

from __future__ import annotations

from typing import Any

from game.engine.world.face import CONTROLS, GAZE_CONTROLS


def _sliders(actor: Any) -> dict[str, list[Any]]:
    from panda3d.core import CharacterSlider

    found: dict[str, list[Any]] = {}

    def walk(group: Any) -> None:
        for i in range(group.get_num_children()):
            child = group.get_child(i)
            if isinstance(child, CharacterSlider):
                found.setdefault(child.get_name(), []).append(child)
            walk(child)

    for bundle in actor.get_part_bundles():
        walk(bundle)
    return found


def face_controls(names: set[str] | list[str]) -> list[str]:
    """Which logical face controls (and gaze) a set of morph target names provides."""
    have = set(names)
    out = [c for c in CONTROLS if c in have or {f"{c}Left", f"{c}Right"} & have]
    out += [g for g in GAZE_CONTROLS if {f"{g}Left", f"{g}Right"} & have]
    return out


class FaceRig:
    """The face controls of one Actor. ``set`` then ``apply`` once a frame."""

    def __init__(self, actor: Any) -> None:
        from panda3d.core import ModelNode, NodePath

        self.actor = actor
        self._nodes: dict[str, Any] = {}
        for name, parts in sorted(_sliders(actor).items()):
            node = NodePath(ModelNode(f"face:{name}"))
            node.reparent_to(actor)
            for part in parts:
                part.apply_control(node.node())
            self._nodes[name] = node
        self.controls = face_controls(list(self._nodes))
        joints = {j.get_name(): j for j in actor.get_joints()}
        self.eyes = {}
        for side in ("Left", "Right"):
            name = next((n for n in joints if n.lower().endswith(f"{side.lower()}eye")), None)
            if name is not None:
                eye = actor.control_joint(None, "modelRoot", name)
                self.eyes[side] = (eye, eye.get_quat())  # the rest turn holds the loader's axis change
        self.values: dict[str, float] = {}

    def __bool__(self) -> bool:
        return bool(self._nodes) or bool(self.eyes)

    @property
    def has_mouth(self) -> bool:
        return "jawOpen" in self.controls

    def set(self, weights: dict[str, float]) -> None:
        self.values = dict(weights)

    def apply(self, gaze: tuple[float, float] = (0.0, 0.0)) -> None:
        """Writes the last ``set`` weights (controls not named go to 0) and turns the eyes
        ``gaze`` = (yaw, pitch) degrees: positive yaw to the subject's left, pitch up."""
        for name, node in self._nodes.items():
            base = name[:-4] if name.endswith("Left") else name[:-5] if name.endswith("Right") else name
            node.set_x(self.values.get(name, self.values.get(base, 0.0)))
        yaw, pitch = gaze
        if self.eyes:
            from panda3d.core import LQuaternionf

            turn = LQuaternionf()
            turn.set_hpr((yaw, pitch, 0.0))
            for eye, rest in self.eyes.values():
                eye.set_quat(rest * turn)
        else:
            self._look_morphs(yaw, pitch)

    def _look_morphs(self, yaw: float, pitch: float) -> None:
        sideways, updown = min(1.0, abs(yaw) / 30.0), min(1.0, abs(pitch) / 25.0)
        for name, node in self._nodes.items():
            if not name.startswith("eyeLook"):
                continue
            side = "Left" if name.endswith("Left") else "Right"
            kind = name[len("eyeLook"):-len(side)]
            toward_left = yaw > 0
            value = 0.0
            if kind == "Up" and pitch > 0 or kind == "Down" and pitch < 0:
                value = updown
            elif kind == "Out":
                value = sideways if (side == "Left") == toward_left else 0.0
            elif kind == "In":
                value = sideways if (side == "Left") != toward_left else 0.0
            node.set_x(value)
