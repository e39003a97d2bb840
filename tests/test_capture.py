"""Frames for the review: copied out of the engine on the main thread, encoded and written in
the background without touching Panda3D, owner-only, and never listed when not on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from panda3d.core import Filename, PNMImage

from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.scenario import load_scenario
from game.engine.capture import FrameCapture
from game.engine.world.world_view import WorldView, prepare_view
from game.live.session import Session

from engine_support import offscreen_base, render_rgb

pytestmark = pytest.mark.render
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def loaded():
    return load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))


@pytest.fixture(scope="module")
def scene(loaded):
    """An offscreen engine showing the default scene (sky above, lit ground below: not symmetric)."""
    with offscreen_base(160, 120) as base:
        prepare_view(base, loaded.scene)
        view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
        yield base, view
        view.destroy()


def _session(loaded, tmp_path: Path) -> Session:
    return Session(loaded, seed=3, run_dir=tmp_path / "run", duration=5.0)


def _frame(base, view, session) -> np.ndarray:
    session.step()
    view.update(session.snapshot, session.sim.clock.dt)
    return render_rgb(base)


def _read_png(path: Path) -> np.ndarray:
    """Panda3D's own PNG reader (libpng): an independent decoder of what the writer made."""
    image = PNMImage()
    assert image.read(Filename.from_os_specific(str(path))), f"{path} does not read as an image"
    w, h = image.get_x_size(), image.get_y_size()
    return np.array([[image.get_xel(x, y) for x in range(w)] for y in range(h)], dtype=np.float32)


def test_a_saved_frame_holds_exactly_the_pixels_that_were_rendered_top_row_first(scene, loaded, tmp_path):
    base, view = scene
    session = _session(loaded, tmp_path)
    capture = FrameCapture(base.win, session.run_dir / "frames", interval=0.0)
    rendered = _frame(base, view, session)
    name = capture.save(session)
    capture.flush()
    session.close()
    saved = _read_png(session.run_dir / "frames" / name)
    assert saved.shape == rendered.shape
    assert rendered.std() > 0.01, "the frame is a flat colour: nothing to compare"
    assert np.abs(saved - rendered).max() < 1 / 255 + 1e-6, "the PNG is not the rendered frame (flipped or swapped?)"


def test_the_frame_writer_thread_never_calls_into_panda3d(scene, loaded, tmp_path):
    """Panda3D must not be used off the main thread while it renders (the old writer encoded a
    Texture there and crashed a run in 12-25). Every C function the writer thread calls is seen."""
    base, view = scene
    session = _session(loaded, tmp_path)
    calls: list[str] = []

    def profile(frame, event, arg):
        if event == "c_call" and threading.current_thread().name == "talkdown-frames":
            owner = getattr(arg, "__self__", None)
            calls.append(f"{getattr(arg, '__module__', None) or type(owner).__module__}.{arg.__name__}")

    capture = FrameCapture(base.win, session.run_dir / "frames", interval=0.0)
    threading.setprofile(profile)
    try:
        for _ in range(3):
            _frame(base, view, session)
            capture.save(session)
        capture.flush()
    finally:
        threading.setprofile(None)
    session.close()
    assert any("compress" in c for c in calls), f"the profiler saw the writer encode nothing: {calls[:20]}"
    engine = [c for c in calls if "panda3d" in c or "Texture" in c or "PNMImage" in c]
    assert not engine, f"the frame writer called Panda3D: {sorted(set(engine))}"


def test_frames_and_their_folder_are_owner_only_whatever_the_umask(scene, loaded, tmp_path):
    base, view = scene
    old = os.umask(0o000)
    try:
        session = _session(loaded, tmp_path)
        capture = FrameCapture(base.win, session.run_dir / "frames", interval=0.0)
        _frame(base, view, session)
        name = capture.save(session)
        capture.flush()
        session.close()
    finally:
        os.umask(old)
    run = session.run_dir
    assert (run / "frames").stat().st_mode & 0o777 == 0o700
    for path in (run / "frames" / name, run / "journal.jsonl", run / "run.json"):
        assert path.stat().st_mode & 0o777 == 0o600, path.name
    assert run.stat().st_mode & 0o777 == 0o700


def test_a_frame_rename_blocked_a_few_times_is_retried_and_written(scene, loaded, tmp_path, monkeypatch):
    """Windows: a viewer or a virus scanner holding the file makes os.replace raise PermissionError."""
    base, view = scene
    session = _session(loaded, tmp_path)
    capture = FrameCapture(base.win, session.run_dir / "frames", interval=0.0)
    real, blocked = os.replace, {"left": 3}

    def replace(src, dst):
        if str(dst).endswith(".png") and blocked["left"]:
            blocked["left"] -= 1
            raise PermissionError(13, "The process cannot access the file because it is being used by another process")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    _frame(base, view, session)
    name = capture.save(session)
    capture.flush()
    info = session.close()
    assert blocked["left"] == 0 and capture.failed == 0
    assert (session.run_dir / "frames" / name).is_file()
    assert [f["file"] for f in info["frames"]] == [f"frames/{name}"]


def test_a_frame_that_cannot_be_written_is_not_listed_and_later_frames_still_are(scene, loaded, tmp_path, monkeypatch):
    base, view = scene
    session = _session(loaded, tmp_path)
    warnings: list[str] = []
    capture = FrameCapture(base.win, session.run_dir / "frames", interval=0.0, warn=warnings.append)
    real = os.replace
    monkeypatch.setattr("game.files.REPLACE_DELAYS", (0.0, 0.0))
    names = []
    for i in range(3):
        _frame(base, view, session)
        if i == 1:  # the second frame's file is held open for good
            held = f"frame_{session.sim.clock.step:06d}.png"
            monkeypatch.setattr(os, "replace", lambda s, d, held=held: (_ for _ in ()).throw(PermissionError(13, "held open"))
                                if str(d).endswith(held) else real(s, d))
        names.append(capture.save(session))
    capture.flush()
    info = session.close()
    listed = [f["file"] for f in info["frames"]]
    assert listed == [f"frames/{names[0]}", f"frames/{names[2]}"]
    on_disk = sorted(p.name for p in (session.run_dir / "frames").iterdir())
    assert on_disk == [names[0], names[2]], "a temporary was left behind, or a frame is missing"
    saved = json.loads((session.run_dir / "run.json").read_text())
    assert [f["file"] for f in saved["frames"]] == listed
    assert len(warnings) == 1 and "1 frame(s) could not be saved" in warnings[0] and "\n" not in warnings[0]


def test_run_json_blocked_for_a_while_is_still_written_and_blocked_for_good_is_one_line(loaded, tmp_path, monkeypatch,
                                                                                         capsys):
    session = _session(loaded, tmp_path)
    real, blocked = os.replace, {"left": 2}

    def replace(src, dst):
        if str(dst).endswith("run.json") and blocked["left"]:
            blocked["left"] -= 1
            raise PermissionError(13, "being used by another process")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    session.pause("headset removed")
    assert blocked["left"] == 0
    assert json.loads((session.run_dir / "run.json").read_text())["pauses"][0]["reason"] == "headset removed"
    monkeypatch.setattr("game.files.REPLACE_DELAYS", (0.0,))
    blocked["left"] = 10**6
    session.close()  # no traceback: the journal has the session, recovery completes it later
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "could not write" in err and "run.json" in err
    assert json.loads((session.run_dir / "run.json").read_text())["status"] == "running"
    assert sorted(p.name for p in session.run_dir.iterdir() if p.name.startswith(".")) == []


def test_repeated_short_offscreen_runs_never_crash_the_frame_writer(tmp_path):
    """The issue's reproduction (`talkdown run --offscreen --seed 11 --duration 3`, which crashed
    about one run in 12-25 with the old writer), repeated in fresh processes."""
    for i in range(12):
        out = tmp_path / f"runs{i}"
        done = subprocess.run([sys.executable, "-X", "faulthandler", "-m", "game", "run", "--offscreen", "--seed", "11",
                               "--duration", "3", "--frame-interval", "0.5", "--no-records", "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"run {i} ended with {done.returncode}:\n{done.stderr[-3000:]}"
        (run,) = out.iterdir()
        listed = {f["file"] for f in json.loads((run / "run.json").read_text())["frames"]}
        assert listed and listed == {f"frames/{p.name}" for p in (run / "frames").iterdir()}
