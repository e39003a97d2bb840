"""Rigged characters: a glTF/bam Actor per subject whose clips blend from the subject's state.

:class:`CharacterModels` loads each character file once through the loader it is given
and makes :class:`CharacterView` instances; the view takes the same calls as the
placeholder :class:`~game.engine.world.figure.Figure` (``set_posture``, ``set_motion``,
``look_at``, ``talk``, ``update``) plus ``set_activity``, ``set_weapon`` and
``play_once`` for the core's events. Weights move toward their targets with a time
constant, so postures and gaits cross-fade instead of snapping; Actor frame blending
interpolates between the clips' 30 fps frames. Clips advance by the simulated ``dt``
they are given, never by the wall clock, so offscreen runs show what the journal says.
"""

from __future__ import annotations

import math
import struct
from pathlib import Path
from typing import Any

from panda3d.core import Filename, NodePath

from game.content.manifest import AssetEntry
from game.content.gestures import GESTURES
from game.engine.world.face import Blinker, Feeling, Speech, expression, mix, smooth
from game.engine.world.face_rig import FaceRig
from game.engine.world.gltf_files import is_glb, load_glb
from game.engine.world.props import weapon_prop

#: Loop clip per posture (the core's postures; unknown ones fall back to ``idle``).
POSTURE_CLIPS = {
    "relaxed": "idle", "arms_crossed": "arms_crossed", "agitated": "idle_agitated", "fists": "fists",
    "hands_up": "hands_up", "kneeling": "kneel", "sitting": "sit", "prone": "prone", "attacking": "fists",
    "collapsed": "collapse", "running": "idle_agitated",
}
#: Postures on the ground: no walking, gesturing or head turning over them.
GROUNDED = frozenset({"kneeling", "sitting", "prone", "collapsed"})
HELD = frozenset({"collapse", "fall"})  # played once, then their last frame holds
ONE_SHOTS = frozenset({"draw_weapon", "attack", "flinch", "gesture", "fall", *GESTURES})
#: Gestures that take the body to the ground: played from any posture but lying.
LOW_GESTURES = frozenset({"kneel_down", "lie_down", "sit_down"})
LOD_DISTANCE = 8.0  # metres: beyond it the face's small parts are hidden and its targets rest
FACE_PARTS = ("eye_", "teeth.", "tongue.", "lashes.", "brows.", "mouth.")
SEAT_SINK = 0.04  # metres the hip joint sits above a seat's top (the buttocks press into a cushion)
FAR_PREFIX = "lod1."  # the far level of detail's parts: shown instead of the rest beyond LOD_DISTANCE
BLEND_SECONDS = 0.2
RUN_SPEED = 2.5  # m/s: faster is running
GAITS = {"walk": 1.3, "run": 4.0, "pace": 1.0}  # the speed each gait clip was made for
LOOK_LIMIT = 70.0


def find_joint(names: list[str], *wanted: str) -> str | None:
    """The first joint whose name ends with one of ``wanted`` (case-insensitive): ``Head``
    matches ``Head`` and ``mixamorig:Head``; the first wanted name wins."""
    for w in wanted:
        for n in names:
            if n.lower().endswith(w.lower()):
                return n
    return None


class CharacterModels:
    """Loads character files once through ``loader`` (a Panda3D ``Loader`` passed in)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self._models: dict[str, NodePath | None] = {}
        self.errors: dict[str, str] = {}

    def model(self, path: Path) -> NodePath | None:
        key = str(path)
        if key not in self._models:
            try:
                if path.suffix.lower() == ".glb" and is_glb(path):
                    np = load_glb(path)
                else:
                    np = self.loader.load_model(Filename.from_os_specific(key), noCache=True)
            except (OSError, RuntimeError, ValueError, KeyError, IndexError, AssertionError, struct.error) as exc:  # Panda raises IOError (OSError) for bad files
                self.errors[key] = f"could not load {path.name}: {exc}"
                np = None
            if np is not None and np.find("**/+Character").is_empty():
                self.errors[key] = f"{path.name} has no skeleton"
                np = None
            self._models[key] = np
        return self._models[key]

    def create(self, parent: NodePath, name: str, entry: AssetEntry | None) -> CharacterView | None:
        """A view of ``entry`` under ``parent``, or None when it cannot be shown (the caller
        falls back to the placeholder figure)."""
        if entry is None or entry.kind != "character" or entry.path() is None:
            return None
        model = self.model(entry.path())  # type: ignore[arg-type]
        if model is None:
            return None
        return CharacterView(parent, name, model, entry)


class CharacterView:
    """One subject's Actor under ``parent``. Call :meth:`update` once per rendered frame."""

    def __init__(self, parent: NodePath, name: str, model: NodePath, entry: AssetEntry) -> None:
        from direct.actor.Actor import Actor

        self.root = parent.attach_new_node(f"character:{name}")
        self.body = self.root.attach_new_node("body")
        self.body.set_h({"-y": 180.0, "+y": 0.0, "+x": 90.0, "-x": -90.0}.get(entry.forward, 180.0))
        self.actor = Actor(model)
        self.actor.reparent_to(self.body)
        look = entry.appearance
        if look is not None:
            self.body.set_scale(look.height / 1.78)
            self._dress(look)
        self.clip_map = dict(entry.clip_map)
        self.anim_names = set(self.actor.get_anim_names())
        self.actor.set_blend(animBlend=True, frameBlend=True)
        joints = [j.get_name() for j in self.actor.get_joints()]
        neck = find_joint(joints, "Neck", "Head")
        jaw = find_joint(joints, "Jaw")
        self.neck = self.actor.control_joint(None, "modelRoot", neck) if neck else None
        self.neck_rest = self.neck.get_quat() if self.neck is not None else None
        self.jaw = self.actor.control_joint(None, "modelRoot", jaw) if jaw else None
        hand = find_joint(joints, "RightHand")
        self.hand = self.actor.expose_joint(None, "modelRoot", hand) if hand else None
        self.posture = "relaxed"
        self.activity = "idle"
        self.speed = 0.0
        self.turn_rate = 0.0
        self.look_heading = 0.0
        self.look_now = 0.0
        self.talk_left = 0.0
        self.talk_time = 0.0
        self.shouting = False
        self.weights: dict[str, float] = {}
        self.clip_time: dict[str, float] = {}  # seconds into each clip
        self.one_shot: tuple[str, float] | None = None  # clip, seconds left
        self.prop: NodePath | None = None
        self.weapon = ("", False)
        self.face_rig = FaceRig(self.actor)
        self.blinker = Blinker(name)
        self.speech: Speech | None = None
        self.feeling = Feeling()
        self.expression_now: dict[str, float] = {}
        self.face_now: dict[str, float] = {}
        self.gaze = (0.0, 0.0)  # where the eyes look: (yaw, pitch) degrees from the body's front
        self.gaze_now = (0.0, 0.0)
        self.far = False
        self.seat: tuple[float, tuple[float, float]] | None = None  # (height, where) while sitting on one
        self._legs: dict[str, tuple[Any, Any]] = {}
        self._hips = self.actor.expose_joint(None, "modelRoot", find_joint(joints, "Hips") or "Hips") \
            if find_joint(joints, "Hips") else None
        geoms = list(self.actor.find_all_matches("**/+GeomNode"))
        self._far_parts = [np for np in geoms if np.get_name().startswith(FAR_PREFIX)]
        near = [np for np in geoms if not np.get_name().startswith(FAR_PREFIX)]
        # With a far level of detail everything else gives way to it; without one, the face's small parts go.
        self._face_parts = near if self._far_parts else [np for np in near if np.get_name().startswith(FACE_PARTS)]
        for np in self._far_parts:
            np.hide()
        self.update(10.0)  # settle into the first posture at once

    # ----------------------------------------------------------------- appearance

    def _dress(self, look: Any) -> None:
        keep = look.pieces()
        for np in self.actor.find_all_matches("**/+GeomNode"):
            parts = np.get_name().removeprefix(FAR_PREFIX).split(".")
            if len(parts) != 3:
                continue  # not a humanoid piece: leave it as it is
            if parts[1] not in ("look", "upper", "lower") and f"{parts[0]}.{parts[1]}" not in keep:
                np.remove_node()  # the one-file humanoid's pieces another look wears
                continue
            np.set_material_off(1)
            np.set_color(*look.colour(parts[2]), 1.0, 1)

    # -------------------------------------------------------------------- control

    def set_posture(self, posture: str) -> None:
        """The subject's posture; the clips cross-fade into it."""
        if posture != self.posture and POSTURE_CLIPS.get(posture) in HELD:
            self._clip_restart(POSTURE_CLIPS[posture])
        self.posture = posture if posture in POSTURE_CLIPS else "relaxed"

    def set_motion(self, speed: float) -> None:
        """The subject's ground speed (m/s): walking, or running above 2.5 m/s."""
        self.speed = max(0.0, speed)

    def set_activity(self, activity: str) -> None:
        """What the subject is doing (``pace`` walks the pacing gait)."""
        self.activity = activity

    def set_turn_rate(self, degrees_per_second: float) -> None:
        self.turn_rate = degrees_per_second

    def look_at(self, relative_heading: float) -> None:
        """Turns the head toward a heading relative to the body (clamped to what a neck does)."""
        self.look_heading = max(-LOOK_LIMIT, min(LOOK_LIMIT, relative_heading))

    def talk(self, seconds: float = 1.6, *, shout: bool = False, text: str = "", envelope: list[float] | None = None,
             hop: float = 0.02, phonemes: list[tuple[float, str]] | None = None) -> None:
        """The subject says a line for ``seconds``: the mouth shapes its sounds (espeak-ng's
        ``phonemes`` of the audio where the voice-line cache has them, else the words of
        ``text``; loudness from the audio's ``envelope``), and standing subjects gesture or shout."""
        self.talk_left = seconds
        self.shouting = shout
        self.speech = Speech(text or "a" * 12, seconds, shout, list(envelope or ()), hop,
                             list(phonemes or ())) if seconds > 0 else None

    def set_feeling(self, feeling: Feeling) -> None:
        """What the face shows (anger, fear, trust, pain, shame)."""
        self.feeling = feeling

    def set_gaze(self, yaw: float, pitch: float) -> None:
        """Where the subject looks, degrees from the body's front (yaw to its left, pitch up):
        the neck takes part of it (:meth:`look_at`), the eyes the rest."""
        self.gaze = (max(-90.0, min(90.0, yaw)), max(-60.0, min(40.0, pitch)))

    def set_seat(self, height: float | None, where: tuple[float, float] = (0.0, 0.0)) -> None:
        """A seat's top (metres, and the point on it in the parent's coordinates) for a sitting
        subject, or None: sitting then sits on it, thighs level and shins down, instead of on
        the ground."""
        self.seat = None if height is None else (height, where)

    def _sit_on_seat(self) -> None:
        from panda3d.core import LQuaternionf, Point3

        seated = self.seat is not None and self.posture == "sitting" and self._hips is not None
        if not seated:
            if self._legs:
                for name in self._legs:
                    self.actor.release_joint("modelRoot", name)
                self._legs.clear()
                self.body.set_pos(0, 0, 0)
            return
        names = [j.get_name() for j in self.actor.get_joints()]
        for wanted, pitch in (("LeftUpperLeg", -90.0), ("RightUpperLeg", -90.0), ("LeftLowerLeg", 90.0),
                              ("RightLowerLeg", 90.0), ("LeftFoot", 0.0), ("RightFoot", 0.0)):
            name = find_joint(names, wanted)
            if name is None:
                continue
            if name not in self._legs:
                node = self.actor.control_joint(None, "modelRoot", name)
                self._legs[name] = (node, node.get_quat())
            node, rest = self._legs[name]
            turn = LQuaternionf()
            turn.set_hpr((0.0, pitch, 0.0))  # thighs level forward, shins hanging down
            node.set_quat(rest * turn)
        self.actor.update(force=True)
        height, where = self.seat  # type: ignore[misc]
        parent = self.root.get_parent()
        hips = self._hips.get_pos(parent)
        goal = Point3(where[0], where[1], height + SEAT_SINK)
        offset = self.root.get_relative_vector(parent, goal - hips)
        self.body.set_pos(self.body.get_pos() + offset)

    def set_distance(self, metres: float) -> None:
        """The camera's distance: beyond :data:`LOD_DISTANCE` the face's small parts are hidden."""
        far = metres > LOD_DISTANCE
        if far != self.far:
            self.far = far
            for np in self._face_parts:
                np.hide() if far else np.show()
            for np in self._far_parts:
                np.show() if far else np.hide()

    def play_gesture(self, gesture: str) -> bool:
        """Plays a described action's gesture over the posture; False if the character lacks it."""
        if self._name(gesture) is None or self.posture in ("prone", "collapsed"):
            return False
        if self.posture in GROUNDED and gesture not in LOW_GESTURES:
            return False
        self._clip_restart(gesture)
        self.one_shot = (gesture, self.actor.get_duration(self._name(gesture)))
        return True

    def play_once(self, clip: str) -> None:
        """Plays a one-shot clip (``draw_weapon``, ``attack``, ``flinch``, ``gesture``) over the rest."""
        if self._name(clip) is None or self.posture in GROUNDED:
            return
        self._clip_restart(clip)
        self.one_shot = (clip, self.actor.get_duration(self._name(clip)))

    def set_weapon(self, weapon: str, out: bool) -> None:
        """Shows ``weapon`` (knife, bat, firearm) in the right hand while it is out."""
        if (weapon, out) == self.weapon:
            return
        self.weapon = (weapon, out)
        if self.prop is not None:
            self.prop.remove_node()
            self.prop = None
        if out and weapon and self.hand is not None:
            self.prop = weapon_prop(weapon, self.hand)

    # --------------------------------------------------------------------- update

    def _name(self, clip: str) -> str | None:
        """The file's name for a standard clip (through the artist's clip map), if it has it."""
        name = self.clip_map.get(clip, clip)
        return name if name in self.anim_names else None

    def _clip_restart(self, clip: str) -> None:
        if self._name(clip) is not None:
            self.clip_time[clip] = 0.0
            self.weights.setdefault(clip, 0.0)

    def _targets(self) -> dict[str, float]:
        base = POSTURE_CLIPS[self.posture]
        if self.posture in GROUNDED:
            return {base: 1.0}
        move = min(1.0, max(0.0, (self.speed - 0.15) / 0.45))
        gait = "run" if self.speed > RUN_SPEED else "pace" if self.activity == "pace" else "walk"
        still = 1.0 - move
        out = {base: still, gait: move}
        if self.talk_left > 0.0 and self.posture in ("relaxed", "agitated", "arms_crossed"):
            voice = "shout" if self.shouting else "talk"
            share = 0.75 if self.posture != "arms_crossed" else 0.0
            out[base] = still * (1.0 - share)
            out[voice] = out.get(voice, 0.0) + still * share
        turning = min(1.0, abs(self.turn_rate) / 90.0) * still
        if turning > 0.05:
            out = {k: v * (1.0 - turning) for k, v in out.items()}
            out["turn"] = out.get("turn", 0.0) + turning
        if self.one_shot is not None:
            clip, left = self.one_shot
            total = self.actor.get_duration(self._name(clip))
            env = min(1.0, (total - left) / 0.1, left / 0.15) if total > 0 else 0.0
            out = {k: v * (1.0 - env) for k, v in out.items()}
            out[clip] = out.get(clip, 0.0) + env
        return out

    def update(self, dt: float) -> None:
        """Called once per frame: cross-fades the clips, turns the head, moves the jaw."""
        if self.one_shot is not None:
            clip, left = self.one_shot
            self.one_shot = (clip, left - dt) if left - dt > 0.0 else None
        self.talk_left = max(0.0, self.talk_left - dt)
        targets = {c: w for c, w in self._targets().items() if self._name(c) is not None}
        if not targets:
            return
        k = 1.0 - math.exp(-dt / BLEND_SECONDS)
        for clip in set(self.weights) | set(targets):
            w = self.weights.get(clip, 0.0)
            self.weights[clip] = w + (targets.get(clip, 0.0) - w) * k
        total = sum(self.weights.values()) or 1.0
        for clip in list(self.weights):
            name = self._name(clip)
            w = self.weights[clip] / total
            if w < 0.002 and clip not in targets:
                del self.weights[clip]
                self.clip_time.pop(clip, None)
                self.actor.set_control_effect(name, 0.0)
                continue
            rate = min(1.8, max(0.5, self.speed / GAITS[clip])) if clip in GAITS else 1.0
            t = self.clip_time.get(clip, 0.0) + dt * rate
            self.clip_time[clip] = t
            control = self.actor.get_anim_control(name)
            frames = control.get_num_frames()
            frame = t * control.get_frame_rate()
            if clip in HELD or clip in ONE_SHOTS:
                frame = min(frame, frames - 1.0)
            else:
                frame %= frames
            control.pose(frame)  # simulated time drives the clips, not the wall clock
            self.actor.set_control_effect(name, w)
        self._head(dt)
        self._sit_on_seat()

    def _head(self, dt: float) -> None:
        k = 1.0 - math.exp(-dt / 0.3)
        goal = 0.0 if self.posture in GROUNDED else self.look_heading
        self.look_now += (goal - self.look_now) * k
        if self.neck is not None and self.neck_rest is not None:
            from panda3d.core import LQuaternionf

            turn = LQuaternionf()
            turn.set_hpr((self.look_now * 0.6, 0.0, 0.0))  # the neck takes most of a head turn
            self.neck.set_quat(self.neck_rest * turn)
        self._face(dt)

    def _face(self, dt: float) -> None:
        """Mouth shapes while speaking (shut otherwise), the feeling's expression, blinks, gaze."""
        mouth: dict[str, float] = {}
        if self.speech is not None:
            self.speech.elapsed += dt
            mouth = self.speech.weights()
            if self.speech.done:
                self.speech = None
        self.expression_now = smooth(self.expression_now, expression(self.feeling), dt, 0.35)
        f = self.feeling
        blink = self.blinker.update(dt, max(f.fear, f.anger))
        self.face_now = mix(self.expression_now, mouth, {"eyeBlink": blink} if blink > 0 else {})
        if mouth.get("jawOpen", 0.0) > 0.0:  # speaking opens what anger or pain presses shut
            for k in ("mouthPress", "mouthClose"):
                self.face_now[k] = min(self.face_now.get(k, 0.0), mouth.get(k, 0.0))
        yaw = self.gaze[0] - self.look_now * 0.6
        goal = (max(-30.0, min(30.0, yaw)), max(-25.0, min(20.0, self.gaze[1])))
        k = 1.0 - math.exp(-dt / 0.05)
        self.gaze_now = (self.gaze_now[0] + (goal[0] - self.gaze_now[0]) * k,
                         self.gaze_now[1] + (goal[1] - self.gaze_now[1]) * k)
        if self.face_rig:
            self.face_rig.set({} if self.far else self.face_now)
            self.face_rig.apply(self.gaze_now)
        if self.jaw is not None:  # characters with a jaw joint and no mouth targets open it instead
            self.jaw.set_p((20.0 if self.shouting else 16.0) * mouth.get("jawOpen", 0.0))

    def destroy(self) -> None:
        if self.prop is not None:
            self.prop.remove_node()
        self.actor.cleanup()
        self.actor.remove_node()
        self.root.remove_node()
