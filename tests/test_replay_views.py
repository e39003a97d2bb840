"""``talkdown replay`` in 3D, rendered offscreen for real: the instructor's HUD shows the
replayed moment (read-only), the free camera flies, the timeline seeks, and a branch
from a moment goes on as a new run whose journal is the recording's up to there."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from engine_support import offscreen_base, render_rgb
from game.cli import main as talkdown
from game.content.library import package_dir
from game.core.events import Escalate, Mark
from review_support import record_run

pytestmark = pytest.mark.render
SCRIPTS = package_dir("scenarios") / "scripts"


def record_with_the_instructor(path):
    """A domestic disturbance handled poorly, with the instructor escalating at 3 s and 4 s
    and marking 5 s with a note (calm-ish at 0.5 s, agitation at its maximum from 3 s)."""
    done = []

    def feed(sim):
        for at, event in ((3.0, Escalate(amount=0.3)), (4.0, Escalate(amount=0.3)),
                          (5.0, Mark(note="closing the gap"))):
            if sim.now >= at and at not in done:
                sim.submit(event)
                done.append(at)

    return record_run(path, "domestic_disturbance", "poor", feed=feed)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    return record_with_the_instructor(tmp_path_factory.mktemp("rec") / "run")


@pytest.fixture
def replay(recording):
    from game.engine.replay.player import Replay
    from game.review.load import scenario_of

    with offscreen_base(480, 270) as base:
        r = Replay(base, scenario_of(recording), recording, realtime=False)
        try:
            yield r
        finally:
            r.destroy()


def frame(replay) -> np.ndarray:
    replay.draw()
    return render_rgb(replay.base)


def crop(image, box):
    x0, y0, x1, y1 = box
    return image[y0:y1, x0:x1]


def test_the_replays_hud_shows_the_moment_and_the_instructors_inputs_as_they_happened(replay):
    replay.seek(0.5)
    calm = frame(replay)
    box = replay.hud.gauge_pixels("agitation")
    assert replay.hud.instructor_log == []
    replay.seek(3.05)
    agitated = frame(replay)
    assert replay.session.snapshot.subjects[0].agitation > 0.95
    assert np.abs(crop(calm, box) - crop(agitated, box)).mean() > 0.01, "the gauge did not move with the moment"
    assert "00:03.0  escalate everyone +0.30" in replay.hud.legend.text
    assert any("instructor: escalate" in line.text for line in replay.hud.messages), "shown as it happens"
    replay.seek(6.0)
    frame(replay)
    assert "mark at 00:05.0: closing the gap" in replay.hud.legend.text
    assert len(replay.hud.history["rob"]) == 30, "every 0.2 s sample before 6 s, the jumped ones too"
    replay.seek(1.0)  # back: re-simulated; the HUD forgets what has not happened yet
    frame(replay)
    assert replay.hud.instructor_log == [] and "nothing" in replay.hud.legend.text
    assert len(replay.hud.history["rob"]) == 5
    for key in ("f9", "alt-1", "f8", "f12", "f12"):  # the live console's keys do nothing here
        replay.base.messenger.send(key)
    result = replay.run()
    assert result["matched"], "with the HUD on, the replay still matches the recording byte for byte"


def test_the_hud_key_hides_the_hud_and_shows_it_again(replay):
    replay.seek(4.2)
    shown = frame(replay)
    box = replay.hud.gauge_pixels("agitation")
    replay.base.messenger.send("h")
    hidden = frame(replay)
    assert not replay.hud.visible
    assert np.abs(crop(shown, box) - crop(hidden, box)).mean() > 0.01
    replay.base.messenger.send("h")
    assert replay.hud.visible


def test_the_free_camera_flies_by_its_actions_and_the_image_follows(replay):
    replay.seek(2.0)
    replay.pacer.paused = True
    replay.base.messenger.send("c")  # the free camera, from the trainee's eyes
    assert replay.monitor.mode == "free" and replay.hud.labels()[0] == "free camera"
    start = replay.free.pose()
    before = frame(replay)
    for key in ("w", "e", "arrow_left"):  # forward, up, turn left: held for a second
        replay.base.messenger.send(key)
    replay.free.poll(1.0, replay.keys.held)
    for key in ("w", "e", "arrow_left"):
        replay.base.messenger.send(f"{key}-up")
    after = frame(replay)
    (x0, y0, z0), h0, _ = start
    (x1, y1, z1), h1, _ = replay.free.pose()
    assert np.hypot(x1 - x0, y1 - y0) > 3.0 and z1 > z0 + 3.0 and (h1 - h0) % 360 > 45
    assert np.abs(before - after).mean() > 0.02, "the rendered image did not change"
    replay.free.poll(1.0, replay.keys.held)  # keys up: it stays
    assert replay.free.pose() == ((x1, y1, z1), h1, replay.free.pose()[2])
    replay.base.messenger.send("v")  # the views cycle on from the free camera
    assert replay.monitor.mode == "trainee"


def test_a_click_on_the_timeline_seeks_to_the_time_under_it_forward_and_back(replay):
    w, h = replay.base.win.get_x_size(), replay.base.win.get_y_size()
    step = replay.total / w * 3  # three pixels' worth of time

    def click_at(t: float) -> bool:
        px, py = replay.timeline.pixel_of(t)
        return replay.click(px / w * 2 - 1, 1 - py / h * 2)

    assert click_at(6.0)
    assert abs(replay.now - 6.0) < step
    assert click_at(2.5)  # back: re-simulated from the start
    assert abs(replay.now - 2.5) < step
    assert not replay.click(0.0, 0.5), "a click above the bar does not seek"
    image = frame(replay)
    x, y = replay.timeline.pixel_of(3.0)  # the instructor's escalation: a red tick on the bar
    tick = image[y - 5:y + 6, x - 1:x + 2].reshape(-1, 3)
    assert any(r > 0.7 and g < 0.4 and b < 0.4 for r, g, b in tick)
    # 8.8 before the condition bands, 8.7 before the apartment had footprints (Dana backs off round the furniture)
    assert replay.timeline.time.text.startswith("00:02.5 / 00:08.5"), replay.timeline.time.text


def test_the_seek_keys_jump_a_second_ten_seconds_to_the_start_and_the_end(replay):
    send = replay.base.messenger.send
    send("."), send(".")
    assert abs(replay.now - 2.0) < 0.02
    send(",")
    assert abs(replay.now - 1.0) < 0.02
    send("page_up")
    assert replay.now == pytest.approx(replay.total, abs=0.02)
    send("home")
    assert replay.now == 0.0


def test_a_branch_with_another_script_shares_the_recordings_journal_up_to_the_branch_and_then_diverges(
        recording, tmp_path, capsys):
    script = SCRIPTS / "domestic_disturbance_good.yaml"
    args = ["replay", str(recording), "--offscreen", "--size", "160x120", "--branch-at", "2.0", "--script", str(script),
            "--duration", "15"]
    assert talkdown([*args, "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert "matches the recording up to the branch" in out and "filed in the records" in out
    (branch,) = (tmp_path / "a").iterdir()
    info = json.loads((branch / "run.json").read_text())
    assert info["branched_from"] == {"run_id": "run", "step": 180, "time": 2.0}
    mine, theirs = (branch / "journal.jsonl").read_bytes(), (recording / "journal.jsonl").read_bytes()
    lines, recorded = mine.splitlines(keepends=True), theirs.splitlines(keepends=True)
    shared = next(i for i, (a, b) in enumerate(zip(lines, recorded)) if a != b)
    assert all(json.loads(x)["step"] < 180 for x in recorded[:shared]), "identical up to the branch step"
    assert json.loads(lines[shared])["step"] >= 180
    assert b'"ending":"officer_assaulted"' in theirs and b'"ending":"officer_assaulted"' not in mine
    assert info["finish_reason"] == "duration" and info["sim_seconds"] == pytest.approx(17.0, abs=0.05)
    assert talkdown(["review", str(branch)]) == 0
    report = (branch / "review.html").read_text(encoding="utf-8")
    assert "<p id=branched>A replay branch: the session of run replayed to 2.0 s" in report
    assert "<td>2.0</td><td>sim</td><td>Branched</td>" in report
    assert talkdown(["replay", str(branch), "--check"]) == 0
    assert "matches the recording" in capsys.readouterr().out
    # deterministic: the same branch again gives the same journal (without --out: beside the recording)
    assert talkdown([*args, "--no-records"]) == 0
    (again,) = [p for p in recording.parent.iterdir() if p != recording]
    assert (again / "journal.jsonl").read_bytes() == mine
    shutil.rmtree(again)


def test_quitting_before_the_end_says_the_replay_matched_as_far_as_it_went(replay):
    replay.seek(3.0)
    replay.base.messenger.send("escape")
    result = replay.run()
    assert result["stopped"] and result["matched"] and result["sim_seconds"] < 3.1


def test_at_starts_the_replay_at_that_moment(recording, tmp_path, capsys):
    assert talkdown(["replay", str(recording), "--offscreen", "--size", "160x120", "--at", "5",
                     "--frames", str(tmp_path / "frames")]) == 0
    first = min(int(p.stem.split("_")[1]) for p in (tmp_path / "frames").glob("*.png"))
    assert first >= 450, "the first frame is at 5 s (step 450 at 90 Hz), not before"
    assert "matches the recording byte for byte" in capsys.readouterr().out


def test_the_free_camera_looks_with_the_mouse_while_its_button_is_held_and_stays_above_the_ground():
    from panda3d.core import NodePath

    from game.engine.replay.controls import FreeCamera

    cam = FreeCamera(NodePath("render"))
    (_, _, z), heading, pitch = cam.pose()
    cam.poll(0.1, set(), mouse=(0.0, 0.0))
    cam.poll(0.1, set(), mouse=(0.1, 0.05))  # right and up
    _, h1, p1 = cam.pose()
    assert h1 == pytest.approx(heading - 8.0) and p1 == pytest.approx(pitch + 4.0)
    cam.poll(0.1, set(), mouse=None)  # button let go: the next press starts afresh
    cam.poll(0.1, set(), mouse=(0.9, 0.9))
    assert cam.pose()[1:] == (h1, p1)
    cam.poll(10.0, {"fly_down"})
    assert cam.pose()[0][2] == pytest.approx(0.2)


def test_the_free_view_from_the_command_line_starts_above_the_scene(recording):
    from game.engine.replay.player import Replay
    from game.review.load import scenario_of

    with offscreen_base(160, 120) as base:
        r = Replay(base, scenario_of(recording), recording, realtime=False, view="free")
        try:
            assert r.monitor.mode == "free" and r.free.pose()[0][2] > 5.0
        finally:
            r.destroy()


@pytest.mark.parametrize("size", [(320, 240), (1280, 720)])
def test_the_timelines_key_hints_never_run_into_the_time_on_its_left(size):
    from game.engine.replay.timeline import Timeline

    legend = "Space play/pause  [ ] speed  , . ±1 s  PgDn PgUp ±10 s  V view  C free camera  H HUD  B take the controls  Esc quit"
    with offscreen_base(*size) as base:
        timeline = Timeline(base.win, 60.0, [], legend=legend)
        try:
            timeline.update(12.0, "1x playing   trainee view")
            x0, x1 = timeline.span()
            if not timeline.legend.np.is_hidden():
                lo, hi = timeline.legend.np.get_tight_bounds(timeline.root)
                assert lo.x >= (x0 + x1) / 2 - 1e-3 and hi.x <= x1 + 0.01  # (its drop shadow sticks out a little)
            t_lo, t_hi = timeline.time.np.get_tight_bounds(timeline.root)
            assert t_hi.x < (x0 + x1) / 2, "the time and status fit the left half"
        finally:
            timeline.destroy()


def test_a_journal_of_another_simulation_version_plays_as_recorded_and_a_branch_from_it_says_so(tmp_path, capsys):
    fixture = Path(__file__).parent / "fixtures" / "journals" / "sim1" / "welfare_check_poor_s7"
    run = tmp_path / "old"
    shutil.copytree(fixture, run)
    lines = (run / "journal.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].rstrip("}\n") + ',"simulation":9}\n'
    (run / "journal.jsonl").write_text("".join(lines), encoding="utf-8")
    assert talkdown(["replay", str(run), "--offscreen", "--size", "160x120"]) == 0
    assert "(played from the recording's events) matches the recording byte for byte" in capsys.readouterr().out
    args = ["replay", str(run), "--offscreen", "--size", "160x120", "--branch-at", "2.0", "--script",
            str(SCRIPTS / "welfare_check_good.yaml"), "--duration", "2", "--no-records", "--out", str(tmp_path / "b")]
    talkdown(args)
    out = capsys.readouterr().out
    from game.core.simulation import SIMULATION_VERSION

    assert f"this journal was recorded by simulation 9, this is {SIMULATION_VERSION}: " in out
    assert "DIFFERS" not in out
