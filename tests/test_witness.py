"""The review's key frames see the encounter: when the trainee's own view shows no subject (here
the side of a parked van between them), the frame comes from a witness camera that sees both the
trainee (drawn as an officer for that camera alone) and the subject; when it does show one, the
trainee's view is kept. Rendered offscreen for real."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.scenario import load_scenario
from game.core.events import Mark
from game.engine.capture import FrameCapture
from game.engine.witness import SIZE, Witness
from game.engine.world.world_view import WorldView, prepare_view
from game.live.session import Session

from engine_support import offscreen_base, render_rgb

pytestmark = pytest.mark.render
VAN = (9.0, -6.0)  # the parking lot's panel van, its long side facing west


@pytest.fixture(scope="module")
def loaded():
    return load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))


@pytest.fixture()
def world(loaded, tmp_path):
    with offscreen_base(320, 240) as base:
        prepare_view(base, loaded.scene, "low")
        view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
        session = Session(loaded, seed=3, run_dir=tmp_path / "run", duration=30.0)
        yield base, view, session
        view.destroy()


def _stand(base, view, session, trainee, heading, subject):
    session.step()
    sim = session.sim
    sim.trainee.position, sim.trainee.heading, sim.trainee.pitch = trainee, heading, 0.0
    mind = sim.minds[0].state
    mind.position = subject
    session.step()
    view.update(session.snapshot, sim.clock.dt)
    assert view.figures[mind.id].root.get_pos(view.root).x == pytest.approx(subject[0], abs=0.3)


def _pixels(texture) -> np.ndarray:
    w, h = texture.get_x_size(), texture.get_y_size()
    return np.frombuffer(bytes(texture.get_ram_image_as("RGB")), np.uint8).reshape(h, w, 3)[::-1].astype(np.float32) / 255


def _seen(base, witness, node) -> float:
    """How much of ``node`` the witness camera shows: the changed share of its frame when hidden."""
    assert witness.arm()
    base.graphics_engine.render_frame()
    shown = _pixels(witness.take())
    node.hide()
    assert witness.arm()
    base.graphics_engine.render_frame()
    hidden = _pixels(witness.take())
    node.show()
    return float((np.abs(shown - hidden).max(axis=2) > 0.05).mean())


def test_with_a_van_between_them_the_witness_camera_sees_both_the_trainee_and_the_subject(world):
    base, view, session = world
    _stand(base, view, session, trainee=(VAN[0] - 2.5, VAN[1]), heading=-90.0, subject=(VAN[0] + 2.6, VAN[1] + 0.5))
    witness = Witness(base.win, view)
    try:
        assert not witness.trainee_sees_a_subject()
        trainee_view = render_rgb(base)
        subject = next(iter(view.figures.values())).root
        subject.hide()
        assert np.abs(render_rgb(base) - trainee_view).max() < 0.02, "the van should hide the subject"
        subject.show()
        assert _seen(base, witness, subject) > 0.01, "the subject is not in the witness's frame"
        assert _seen(base, witness, witness.officer.root) > 0.01, "the trainee is not in the witness's frame"
        # the trainee's own camera never draws the witness's officer figure
        assert np.abs(render_rgb(base) - trainee_view).max() < 0.02
    finally:
        witness.destroy()


def test_facing_the_subject_in_the_open_keeps_the_trainees_own_view(world):
    base, view, session = world
    _stand(base, view, session, trainee=(0.0, -4.0), heading=0.0, subject=(0.0, 0.0))
    witness = Witness(base.win, view)
    try:
        assert witness.trainee_sees_a_subject()
        assert not witness.arm() and witness.take() is None
    finally:
        witness.destroy()


def test_a_key_moment_the_trainee_cannot_see_is_saved_from_the_witness_camera(world, tmp_path):
    base, view, session = world
    capture = FrameCapture(base.win, tmp_path / "frames")
    capture.watch(view)
    _stand(base, view, session, trainee=(VAN[0] - 2.5, VAN[1]), heading=-90.0, subject=(VAN[0] + 2.6, VAN[1] + 0.5))
    base.graphics_engine.render_frame()
    capture.save(session)  # the first frame: the trainee's view, as ever
    session.listen(capture)
    session.sim.submit(Mark(note="behind the van"))
    session.step()  # the instructor's mark is a key moment
    base.graphics_engine.render_frame()
    assert capture.due(session.sim.now)
    name = capture.save(session)
    capture.flush()
    assert capture.witnessed == 1 and name is not None
    from panda3d.core import Filename, PNMImage

    image = PNMImage()
    assert image.read(Filename.from_os_specific(str(Path(tmp_path / "frames" / name))))
    assert (image.get_x_size(), image.get_y_size()) == SIZE
    first = PNMImage()
    assert first.read(Filename.from_os_specific(str(tmp_path / "frames" / Path(session.frames[0]["file"]).name)))
    assert (first.get_x_size(), first.get_y_size()) == (320, 240)
