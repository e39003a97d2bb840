"""A camera for the review's key frames that sees both the trainee and the subject, used when the
trainee's own view shows no subject (a van's flat side, a wall, the subject behind them).

:class:`Witness` reads the world view (its trainee camera, its figures, its scene): at a key moment
:meth:`arm` asks whether any subject is in the trainee's field of view with nothing of the scene
between (a segment tested against the scene's visible geometry); if none is, it places its own
camera where a line of sight reaches both — beside the pair, or above them (through a ceiling
only if nothing else will do) — and renders one frame into a small offscreen buffer, which
:class:`~game.engine.capture.FrameCapture` saves instead of the window. Between key moments the
buffer is inactive and costs nothing. The trainee is drawn as an officer's figure only this
camera sees (:data:`WITNESS_BIT`); the trainee's view-model (hands, tools) is hidden from it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from panda3d.core import BitMask32, Camera, NodePath, PandaNode, PerspectiveLens, Point3, Texture

from game.engine.world.figure import Figure
from game.engine.world.masks import WITNESS_BIT

SIZE = (640, 360)
FOV = 62.0
CHEST = 1.25  # metres: where a line of sight must reach on a person
TRAINEE_FOV = 75.0  # the desk's horizontal field of view (a little margin is taken off)
FAR = 40.0  # a subject further than this is not "in view"


class Witness:
    """See the module's docstring. ``win`` makes the buffer; ``view`` is the
    :class:`~game.engine.world.world_view.WorldView` whose scene it films."""

    def __init__(self, win: Any, view: Any, size: tuple[int, int] = SIZE) -> None:
        from game.engine.console.instructor_view import OFFICER

        self.view = view
        self.texture = Texture("witness")
        self.buffer = win.make_texture_buffer("witness", size[0], size[1], self.texture, to_ram=True)
        self.armed = False
        self.cam: NodePath | None = None
        if self.buffer is None:  # the renderer cannot make one: the window's frame is saved as before
            return
        self.buffer.set_sort(-20)
        self.buffer.set_clear_color(win.get_clear_color())
        self.buffer.set_active(False)
        self.cam = view.root.attach_new_node(Camera("witness", PerspectiveLens()))
        lens = self.cam.node().get_lens()
        lens.set_fov(FOV)
        lens.set_aspect_ratio(size[0] / size[1])
        lens.set_near_far(0.2, 300.0)
        self.cam.node().set_camera_mask(BitMask32.bit(WITNESS_BIT))
        region = self.buffer.make_display_region()
        region.set_camera(self.cam)
        for dr in win.get_display_regions():  # the window's cameras never see the witness's figure
            other = dr.get_camera()
            if not other.is_empty() and other != self.cam:
                other.node().set_camera_mask(other.node().get_camera_mask() & ~BitMask32.bit(WITNESS_BIT))
        self.officer = Figure(view.root, "witness_officer", OFFICER)
        self.officer.root.hide(PandaNode.get_all_camera_mask() & ~BitMask32.bit(WITNESS_BIT))
        for hand in getattr(view.tools, "hands", {}).values():
            hand.hide(BitMask32.bit(WITNESS_BIT))
        self._boxes = self._scene_boxes()

    # ------------------------------------------------------------------ decisions
    def _people(self) -> tuple[Point3, float, list[Point3]]:
        root = self.view.root
        eye = self.view.camera.get_pos(root)
        heading = self.view.camera.get_h(root)
        subjects = [fig.root.get_pos(root) for fig in self.view.figures.values()]
        return eye, heading, subjects

    def _scene_boxes(self) -> tuple[np.ndarray, np.ndarray]:
        """The scene's pieces as world boxes (each object, part and prop): what can stand between
        two people. Flat ones (ground, paint, pools of light) cannot, and are left out."""
        lo, hi = [], []
        for np_ in self.view.scene.root.find_all_matches("**/+GeomNode"):
            if np_.is_hidden():
                continue
            bounds = np_.get_tight_bounds(self.view.root)
            if not bounds:
                continue
            a, b = bounds
            if b.z - a.z < 0.05 or b.z < 0.4:  # flat, or too low to hide a person's chest
                continue
            lo.append((a.x, a.y, a.z))
            hi.append((b.x, b.y, b.z))
        return np.array(lo, float).reshape(-1, 3), np.array(hi, float).reshape(-1, 3)

    def clear(self, a: Point3, b: Point3, *, skip: float = 0.45) -> bool:
        """Whether nothing of the scene (its objects and props, as boxes; not the people) lies
        between ``a`` and ``b``, their first and last ``skip`` metres aside."""
        p0, p1 = np.array(a, float), np.array(b, float)
        d = p1 - p0
        length = float(np.linalg.norm(d))
        if length <= 2 * skip or not len(self._boxes[0]):
            return True
        t0, t1 = skip / length, 1.0 - skip / length
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = np.where(np.abs(d) > 1e-9, 1.0 / np.where(d == 0, 1.0, d), np.inf)
            lo = (self._boxes[0] - p0) * inv
            hi = (self._boxes[1] - p0) * inv
        flat = np.abs(d) <= 1e-9  # parallel to an axis: inside that slab or not at all
        inside = (p0 >= self._boxes[0]) & (p0 <= self._boxes[1])
        lo = np.where(flat, np.where(inside, -np.inf, np.inf), lo)  # outside that slab: never between
        hi = np.where(flat, np.inf, hi)
        near = np.minimum(lo, hi).max(axis=1)
        far = np.maximum(lo, hi).min(axis=1)
        return not bool(np.any((far >= near) & (far >= t0) & (near <= t1)))

    def trainee_sees_a_subject(self) -> bool:
        eye, heading, subjects = self._people()
        for p in subjects:
            chest = Point3(p.x, p.y, CHEST)
            bearing = math.degrees(math.atan2(-(chest.x - eye.x), chest.y - eye.y))
            off = (bearing - heading + 180.0) % 360.0 - 180.0
            if abs(off) <= TRAINEE_FOV / 2 - 5 and (chest - eye).length() <= FAR and self.clear(eye, chest):
                return True
        return not subjects  # nobody to show: the trainee's own view will do

    def place(self) -> bool:
        """Puts the camera where it sees the trainee and the nearest subject; False if none will."""
        eye, _, subjects = self._people()
        if not subjects or self.cam is None:
            return False
        trainee = Point3(eye.x, eye.y, CHEST)
        s = min(subjects, key=lambda p: (p - eye).length())
        subject = Point3(s.x, s.y, CHEST)
        mid = (trainee + subject) / 2
        apart = max(1.0, (subject - trainee).length())
        along = (subject - trainee) / apart
        side = Point3(-along.y, along.x, 0)
        back = max(2.5, apart * 0.9)
        candidates = []
        for height in (1.1, 2.2, 3.5):
            for sign in (1, -1):
                candidates.append(mid + side * sign * back + Point3(0, 0, height))
        candidates += [trainee - along * 2.2 + side * 0.6 + Point3(0, 0, 1.0),  # over the trainee's shoulder
                       mid + side * back * 0.6 + Point3(0, 0, back * 1.4 + 3.0)]  # from high above
        for cam in candidates:
            if self.clear(cam, trainee, skip=0.3) and self.clear(cam, subject, skip=0.3):
                break
        else:
            cam = mid + Point3(0.01, 0, back * 1.6 + 4.0)  # straight down: at least they are both in it
        self.cam.set_pos(cam)
        self.cam.look_at(mid - Point3(0, 0, 0.2))
        return True

    # ------------------------------------------------------------------ frames
    def arm(self) -> bool:
        """Called at a key moment, before the frame renders: if the trainee's view shows no
        subject, the next frame is also rendered from the witness camera. Returns whether it will."""
        if self.cam is None or self.buffer is None:
            return False
        if self.trainee_sees_a_subject() or not self.place():
            self.armed = False
            return False
        eye = self.view.camera.get_pos(self.view.root)
        self.officer.root.set_pos(eye.x, eye.y, 0)
        self.officer.root.set_h(self.view.camera.get_h(self.view.root))
        self.buffer.set_active(True)
        self.armed = True
        return True

    def take(self) -> Texture | None:
        """The witness frame rendered since :meth:`arm` (then the buffer rests), or None."""
        if not self.armed:
            return None
        self.armed = False
        self.buffer.set_active(False)
        return self.texture if self.texture.has_ram_image() else None

    def destroy(self) -> None:
        if self.buffer is not None:
            self.buffer.get_engine().remove_window(self.buffer)
            self.buffer = None
        if self.cam is not None:
            self.cam.remove_node()
            self.officer.destroy()
            self.cam = None
