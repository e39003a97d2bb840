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
from pathlib import Path
from typing import Any

from panda3d.core import Filename, NodePath

from game.content.manifest import AssetEntry
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
ONE_SHOTS = frozenset({"draw_weapon", "attack", "flinch", "gesture", "fall"})
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
                np = self.loader.load_model(Filename.from_os_specific(key), noCache=True)
            except (OSError, RuntimeError, ValueError) as exc:  # Panda raises IOError (OSError) for bad files
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
        self.update(10.0)  # settle into the first posture at once

    # ----------------------------------------------------------------- appearance

    def _dress(self, look: Any) -> None:
        keep = look.pieces()
        for np in self.actor.find_all_matches("**/+GeomNode"):
            parts = np.get_name().split(".")
            if len(parts) != 3:
                continue  # not a humanoid piece: leave it as it is
            if f"{parts[0]}.{parts[1]}" not in keep:
                np.remove_node()
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

    def talk(self, seconds: float = 1.6, *, shout: bool = False) -> None:
        """The subject says a line: the jaw moves, and standing subjects gesture or shout."""
        self.talk_left = seconds
        self.shouting = shout

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

    def _head(self, dt: float) -> None:
        k = 1.0 - math.exp(-dt / 0.3)
        goal = 0.0 if self.posture in GROUNDED else self.look_heading
        self.look_now += (goal - self.look_now) * k
        if self.neck is not None and self.neck_rest is not None:
            from panda3d.core import LQuaternionf

            turn = LQuaternionf()
            turn.set_hpr((self.look_now * 0.6, 0.0, 0.0))  # the neck takes most of a head turn
            self.neck.set_quat(self.neck_rest * turn)
        if self.jaw is not None:
            self.talk_time += dt
            opening = 0.0
            if self.talk_left > 0.0:
                opening = (14.0 if self.shouting else 8.0) * (0.5 + 0.5 * math.sin(self.talk_time * 17.0))
            self.jaw.set_p(opening)

    def destroy(self) -> None:
        if self.prop is not None:
            self.prop.remove_node()
        self.actor.cleanup()
        self.actor.remove_node()
        self.root.remove_node()
