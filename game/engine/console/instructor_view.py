"""The instructor's monitor: the trainee's view with two insets — an overhead view and
the subject's point of view — as extra cameras and display regions on the window.

It touches only the monitor window's display regions (the main one and two insets it
makes); a headset renders its eyes elsewhere and never shows any of this. The switch
key cycles which view fills the window: the trainee's (with the overhead and the
subject's view inset), the overhead (with the trainee's and the subject's), or the
subject's (with the trainee's and the overhead).

The instructor's cameras see one thing the trainee's does not: a figure standing
where the trainee is (the trainee has no body in their own view).

A replay adds a fourth mode, ``free``: a camera it flies (passed in as ``free``), with
the trainee's and the overhead view inset.
"""

from __future__ import annotations

import math
from typing import Any

from panda3d.core import BitMask32, Camera, NodePath, PerspectiveLens

from game.core.snapshot import Snapshot
from game.core.world import distance, heading_to
from game.engine.world import geometry
from game.engine.world.figure import Appearance, Figure
from game.engine.world.masks import INSTRUCTOR_BIT, instructor_mask, overhead_mask, trainee_mask

#: Camera bit of the instructor's own cameras: they see the trainee's figure.
__all__ = ["FACE_INSET", "INSTRUCTOR_BIT", "InstructorView", "INSETS", "MODES"]
#: Inset rectangles on the window, (left, right, bottom, top) as fractions: a column on the left.
INSETS = ((0.006, 0.25, 0.655, 0.935), (0.006, 0.25, 0.36, 0.64))
#: The subject's face close up (the instructor reads emotion from it), below the insets; it
#: always shows the subject on the console, whichever view fills the window.
FACE_INSET = (0.006, 0.135, 0.075, 0.33)
FACE_DISTANCE = 0.75  # metres in front of the face
MODES = ("trainee", "overhead", "subject")
EYE = {"kneeling": 1.05, "sitting": 1.1, "prone": 0.35, "collapsed": 0.3}
STANDING_EYE = 1.62
OFFICER = Appearance(top=(0.1, 0.14, 0.3, 1.0), legs=(0.1, 0.12, 0.22, 1.0), hair=(0.2, 0.15, 0.1, 1.0))
HEAD_TURN = 70.0  # how far the subject's head turns toward the trainee (degrees)


class InstructorView:
    """Cameras and display regions for the monitor. ``win`` is the window, ``render`` the
    scene root, ``trainee_cam`` the camera whose display region fills the window (the
    trainee's view; ShowBase's ``cam`` on the desk)."""

    def __init__(self, win: Any, render: NodePath, trainee_cam: NodePath, names: dict[str, str], *,
                 free: NodePath | None = None) -> None:
        self.win = win
        self.free = free
        self.modes = MODES + (("free",) if free is not None else ())
        self.trainee_cam = trainee_cam
        self.names = names
        self.main = next(dr for dr in win.get_display_regions() if dr.get_camera() == trainee_cam)
        self.root = render.attach_new_node("instructor_view")
        lens = trainee_cam.node().get_lens()
        # a camera draws whatever one of its bits may see (game.engine.world.masks): the trainee's
        # gives up the instructor's and the overhead's bits, so the officer's figure stays out of its eyes
        self._trainee_mask = trainee_cam.node().get_camera_mask()
        trainee_only = trainee_mask(self._trainee_mask)
        trainee_cam.node().set_camera_mask(trainee_only)
        self.mirror = trainee_cam.attach_new_node(Camera("trainee_mirror", PerspectiveLens()))
        self.mirror.node().get_lens().set_fov(lens.get_hfov())
        self.mirror.node().get_lens().set_near_far(0.05, 250.0)
        self.mirror.node().set_camera_mask(trainee_only)
        self.overhead = self._camera("overhead", fov=55.0, near=1.0, mask=overhead_mask())  # sees through ceilings
        self.subject_eye = self._camera("subject_view", fov=70.0, near=0.22)
        self.face_cam = self._camera("subject_face", fov=28.0, near=0.1)
        self.officer = Figure(self.root, "trainee", OFFICER)
        self.officer.root.hide(trainee_only)
        # discs on the ground under the trainee (blue) and the subject on the console (amber)
        self.officer_disc = self._disc((0.2, 0.45, 1.0, 1.0), trainee_only)
        self.subject_disc = self._disc((1.0, 0.6, 0.1, 1.0), trainee_only)
        self.insets = []
        for left, right, bottom, top in INSETS:
            dr = win.make_display_region(left, right, bottom, top)
            dr.set_sort(5)
            dr.set_clear_depth_active(True)
            dr.set_clear_color_active(True)
            dr.set_clear_color((0.05, 0.05, 0.06, 1))
            self.insets.append(dr)
        self.face = win.make_display_region(*FACE_INSET)
        self.face.set_sort(5)
        self.face.set_clear_depth_active(True)
        self.face.set_clear_color_active(True)
        self.face.set_clear_color((0.05, 0.05, 0.06, 1))
        self.face.set_camera(self.face_cam)
        self.mode = MODES[0]
        self.subject = next(iter(names), "")
        self._size = (0, 0)
        self._assign()

    def _disc(self, color: tuple[float, float, float, float], hidden_from: BitMask32) -> NodePath:
        disc = self.root.attach_new_node(geometry.cylinder(0.45, 0.02, segments=24))
        disc.set_color(*color)
        disc.set_light_off()
        disc.hide(hidden_from)
        return disc

    def _camera(self, name: str, *, fov: float, near: float, mask: BitMask32 | None = None) -> NodePath:
        cam = self.root.attach_new_node(Camera(name, PerspectiveLens()))
        cam.node().get_lens().set_fov(fov)
        cam.node().get_lens().set_near_far(near, 300.0)
        cam.node().set_camera_mask(mask if mask is not None else instructor_mask())
        return cam

    # -------------------------------------------------------------- modes

    def cameras(self) -> tuple[NodePath, NodePath, NodePath]:
        """The cameras of the main region and the two insets, in the current mode."""
        if self.mode == "trainee":
            return self.trainee_cam, self.overhead, self.subject_eye
        if self.mode == "overhead":
            return self.overhead, self.mirror, self.subject_eye
        if self.mode == "free" and self.free is not None:
            return self.free, self.mirror, self.overhead
        return self.subject_eye, self.mirror, self.overhead

    def labels(self) -> tuple[str, str, str]:
        """What each region shows, for the HUD (main, inset 1, inset 2)."""
        name = self.names.get(self.subject, self.subject)
        text = {id(self.trainee_cam): "trainee", id(self.mirror): "trainee", id(self.overhead): "overhead",
                id(self.subject_eye): f"{name}'s view", id(self.free): "free camera"}
        return tuple(text[id(c)] for c in self.cameras())  # type: ignore[return-value]

    def cycle(self) -> str:
        """Switches to the next monitor view; returns its name."""
        modes = self.modes
        self.show(modes[(modes.index(self.mode) + 1) % len(modes)] if self.mode in modes else modes[0])
        return {"trainee": "trainee view", "overhead": "overhead view", "subject": "subject's view",
                "free": "free camera"}[self.mode]

    def show(self, mode: str) -> None:
        """Fills the window with ``mode``'s view (one of :attr:`modes`)."""
        if mode not in self.modes:
            raise ValueError(f"no '{mode}' view here (one of {', '.join(self.modes)})")
        self.mode = mode
        self._assign()

    def _assign(self) -> None:
        for dr, cam in zip((self.main, *self.insets), self.cameras()):
            dr.set_camera(cam)
        self._size = (0, 0)  # aspect ratios follow on the next update

    def _fit_lenses(self) -> None:
        size = (self.win.get_x_size(), self.win.get_y_size())
        if size == self._size or not all(size):
            return
        self._size = size
        for dr, cam in zip((self.main, *self.insets), self.cameras()):
            w = (dr.get_right() - dr.get_left()) * size[0]
            h = (dr.get_top() - dr.get_bottom()) * size[1]
            if h > 0:
                cam.node().get_lens().set_aspect_ratio(w / h)
        w, h = (FACE_INSET[1] - FACE_INSET[0]) * size[0], (FACE_INSET[3] - FACE_INSET[2]) * size[1]
        self.face_cam.node().get_lens().set_aspect_ratio(w / h)

    # -------------------------------------------------------------- frame

    def update(self, snap: Snapshot, pose: tuple[tuple[float, float], float, float] | None, subject: str) -> None:
        """Called once a frame after the trainee's camera is placed: the officer's figure, the
        overhead camera over the trainee and ``subject``, the subject's eyes."""
        self.subject = subject
        self._fit_lenses()
        t = snap.trainee
        position, heading = (pose[0], pose[1]) if pose is not None else (t.position, t.heading)
        self.officer.root.set_pos(position[0], position[1], 0)
        self.officer.root.set_h(heading)
        self.officer.update(0.0)
        self.officer_disc.set_pos(position[0], position[1], 0.01)
        s = snap.subject(subject)
        if s is None:
            return
        self.subject_disc.set_pos(s.position[0], s.position[1], 0.01)
        mid = ((position[0] + s.position[0]) / 2, (position[1] + s.position[1]) / 2)
        reach = distance(position, s.position) / 2 + 4.0
        height = max(10.0, reach / math.tan(math.radians(25.0)))
        self.overhead.set_pos(mid[0], mid[1] - height * 0.18, height)
        self.overhead.look_at(mid[0], mid[1], 0.0)
        eye = EYE.get(s.posture, STANDING_EYE)
        toward = (heading_to(s.position, position) - s.heading + 180.0) % 360.0 - 180.0
        look = s.heading + max(-HEAD_TURN, min(HEAD_TURN, toward))
        rad = math.radians(s.heading)
        self.subject_eye.set_pos(s.position[0] - math.sin(rad) * 0.12, s.position[1] + math.cos(rad) * 0.12, eye)
        self.subject_eye.set_hpr(look, -8.0 if eye > 1.0 else 0.0, 0)
        # the face close up: in front of where the head is turned, level with the eyes
        face = math.radians(look)
        head = (s.position[0] - math.sin(rad) * 0.05, s.position[1] + math.cos(rad) * 0.05, eye + 0.1)
        self.face_cam.set_pos(head[0] - math.sin(face) * FACE_DISTANCE, head[1] + math.cos(face) * FACE_DISTANCE,
                              head[2] + 0.03)
        self.face_cam.look_at(*head)

    def destroy(self) -> None:
        self.main.set_camera(self.trainee_cam)
        self.trainee_cam.node().set_camera_mask(self._trainee_mask)
        for dr in self.insets:
            self.win.remove_display_region(dr)
        self.insets.clear()
        self.win.remove_display_region(self.face)
        self.officer.destroy()
        self.mirror.remove_node()
        self.root.remove_node()
