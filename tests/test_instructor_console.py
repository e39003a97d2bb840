"""The instructor's console at the monitor: hotkeys sent through Panda3D's messenger act
in the very next step, are journaled as the instructor's, and show on the HUD, which is
rendered offscreen for real and read back as pixels."""

from __future__ import annotations

import numpy as np
import pytest

from game.content import load_scenario
from game.content.bindings import load_bindings
from game.content.library import package_dir
from game.core import MemoryJournal, Simulation
from game.core.journal import TeeJournal
from game.engine.desk.desktop import DesktopTrainee
from game.engine.console.hud import InstructorHud, key_name
from game.engine.console.instructor import CONFIRM_SECONDS, InstructorConsole, KeyboardFocus
from game.engine.console.instructor_view import InstructorView
from game.engine.world.world_view import WorldView, prepare_view

from engine_support import offscreen_base, render_rgb

pytestmark = pytest.mark.render
SCENARIOS = package_dir("scenarios")
INPUT = package_dir("input")


@pytest.fixture(scope="module")
def base():
    with offscreen_base(480, 270) as b:
        yield b


class Wall:
    """A wall clock the test moves (confirmations and messages use wall time)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Station:
    """Everything at the monitor, wired as the runner wires it (without the task loop)."""

    def __init__(self, base, scenario_name: str) -> None:
        loaded = load_scenario(SCENARIOS / f"{scenario_name}.yaml")
        self.base = base
        self.scenario = loaded.scenario
        self.memory = MemoryJournal()
        self.tee = TeeJournal(self.memory)
        self.sim = Simulation(self.scenario, seed=3, journal=self.tee)
        self.wall = Wall()
        desktop_keys = load_bindings(INPUT / "desktop.yaml", device="desktop")
        keys = load_bindings(INPUT / "instructor.yaml", device="instructor", shared_with=desktop_keys)
        self.focus = KeyboardFocus()
        self.trainee = DesktopTrainee(base, desktop_keys, position=self.scenario.trainee_position,
                                      heading=self.scenario.trainee_heading, focus=self.focus)
        quality = prepare_view(base, loaded.scene, "low")  # the lens and sky, as the runner sets them
        self.world = WorldView(base.render, base.camera, loaded.scene, self.scenario, quality=quality)
        self.monitor = InstructorView(base.win, base.render, base.cam, {s.id: s.name for s in self.scenario.subjects})
        self.console = InstructorConsole(base, keys, self.scenario, focus=self.focus, on_switch_view=self.monitor.cycle,
                                         clock=self.wall)
        self.console.attach(self.sim)
        self.hud = InstructorHud(base.win, self.console, labels=self.monitor.labels, wall_clock=self.wall)
        self.tee.sinks = (*self.tee.sinks, self.hud, self.world)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.base.messenger.send(key)

    def step(self, n: int = 1) -> None:
        """One frame's worth: the console's frame poll, then ``n`` steps with the providers fed."""
        self.console.poll()
        for _ in range(n):
            self.trainee.feed(self.sim)
            self.console.feed(self.sim)
            self.sim.step()

    def frame(self) -> np.ndarray:
        self.world.update(self.sim.snapshot(), 0.0, None)
        self.monitor.update(self.sim.snapshot(), None, self.console.state.subject)
        self.hud.update(self.sim.snapshot())
        return render_rgb(self.base)

    def records(self, *types):
        return [r for r in self.memory.records() if r["type"] in types]

    def messages(self) -> list[str]:
        return [m.text for m in self.console.state.messages]

    def close(self) -> None:
        self.console.detach()
        self.trainee.detach()
        self.hud.destroy()
        self.monitor.destroy()
        self.world.destroy()


@pytest.fixture
def station(base, request):
    s = Station(base, getattr(request, "param", "welfare_check"))
    s.step(45)
    yield s
    s.close()


def crop(image, box):
    x0, y0, x1, y1 = box
    return image[y0:y1, x0:x1]


# ----------------------------------------------------------------- escalate


def test_the_escalate_key_acts_in_the_next_step_as_the_instructor_and_moves_the_gauge_pixels(station):
    box = station.hud.gauge_pixels("agitation")
    before_pixels = crop(station.frame(), box)
    before = station.sim.minds[0].state.agitation
    station.press("page_up")
    step = station.sim.clock.step
    station.step()
    (line,) = station.records("Escalate")
    assert (line["step"], line["source"], line["subject"], line["amount"]) == (step, "instructor", "dale", 0.15)
    assert station.sim.minds[0].state.agitation == pytest.approx(before + 0.15, abs=0.01)
    after_pixels = crop(station.frame(), box)
    changed = np.abs(after_pixels - before_pixels).max(axis=2) > 0.1
    assert changed.any(axis=0).sum() >= 0.1 * (box[2] - box[0]), "the bar's fill grew by about a seventh"


def test_escalating_at_the_maximum_and_calming_at_the_minimum_say_so_on_the_hud(station):
    for _ in range(8):
        station.press("page_up")
        station.step()
    assert station.sim.minds[0].state.agitation > 0.99
    assert any("agitation already at maximum" in m for m in station.messages())
    for _ in range(9):
        station.press("page_down")
        station.step()
    assert any("agitation already at minimum" in m for m in station.messages())
    station.frame()
    assert any("at minimum" in line.text for line in station.hud.messages)


# ---------------------------------------------------------------- pausing


def test_the_pause_key_freezes_the_clock_and_the_subject_and_a_second_press_resumes(station):
    station.press("f9")
    station.step()
    (pause,) = station.records("Pause")
    assert pause["source"] == "instructor" and station.sim.paused
    frozen = (station.sim.clock.step, station.sim.minds[0].state.position, station.sim.minds[0].state.agitation)
    station.press("w")  # the trainee walks on the shared keyboard: held until resume
    station.trainee.poll(1.0)
    station.step(90)
    assert (station.sim.clock.step, station.sim.minds[0].state.position, station.sim.minds[0].state.agitation) == frozen
    station.frame()
    assert station.hud.paused.text.startswith("PAUSED")
    station.base.messenger.send("w-up")
    station.press("f9")
    station.step()
    assert not station.sim.paused and station.sim.clock.step == frozen[0] + 1
    assert station.records("Resume")[0]["step"] == pause["step"]
    assert station.records("Move")[-1]["step"] == pause["step"], "the held pose is journaled right after resume"


def test_a_paused_session_can_be_ended_with_the_end_key_pressed_twice(station):
    station.press("f9")
    station.step()
    station.press("f12")
    station.step()
    assert not station.sim.finished and "press F12 again to end the session" in station.messages()
    station.wall.now += CONFIRM_SECONDS / 2
    station.press("f12")
    station.step()
    assert station.sim.finished and station.sim.finish_reason == "ended by instructor"
    assert [r["type"] for r in station.memory.records()[-3:]] == ["Pause", "EndSession", "SessionEnded"]


def test_a_second_press_after_the_confirmation_has_lapsed_asks_again(station):
    station.press("f11")
    station.step()
    station.wall.now += CONFIRM_SECONDS + 0.5
    station.press("f11")
    station.step()
    assert not station.sim.finished and station.console.state.confirm == "restart"
    station.press("f11")
    station.step()
    assert station.sim.finish_reason == "restart" and station.records("Restart")[0]["source"] == "instructor"


# --------------------------------------------------------------- branches


@pytest.mark.parametrize("station", ["knife_parking_lot"], indirect=True)
def test_branch_keys_force_the_numbered_branch_and_a_disabled_one_is_refused_with_the_reason(station):
    station.press("alt-4")  # pleads_from_ground, the fourth branch in the file
    station.step()
    assert station.sim.minds[0].state.branch == station.scenario.branches[3].id == "pleads_from_ground"
    station.sim.minds[0].drop_weapon()
    station.frame()
    line = station.hud.branch_lines[0]
    assert "no longer has a weapon" in line.text and line.color[0] < 0.7, "drops knife shows greyed, with why"
    station.press("alt-1")
    station.step()
    (refused,) = station.records("BranchRefused")
    assert refused["branch"] == "drops_knife" and station.records("ForceBranch")[-1]["source"] == "instructor"
    assert "branch 1 (drops_knife) refused: Aaron Kessler no longer has a weapon" in station.messages()
    assert station.sim.minds[0].state.branch == "pleads_from_ground"


def test_a_branch_key_beyond_the_scenarios_branches_says_there_is_none(station):
    station.press("alt-9")
    station.step()
    assert station.records("ForceBranch") == []
    assert "no branch 9: this scenario has 3" in station.messages()


# ------------------------------------------------------------------- marks


def test_the_mark_key_opens_a_note_whose_typing_reaches_no_hotkey_and_enter_journals_it(station):
    pressed_at = station.sim.now
    station.press("f8")
    station.step(20)
    for char in "too close":
        station.press(char)  # the button events a window sends too: the trainee's keys must not act
        station.base.messenger.send("keystroke", [char])
    station.press("page_up", "escape")  # escape cancels the note only, it does not end the session
    station.step()
    assert station.console.state.note is None and not station.sim.finished
    assert station.records("Say", "Escalate", "Mark", "EndSession") == []
    station.step()
    station.press("f8")
    for char in "stood in the gap":
        station.base.messenger.send("keystroke", [char])
    station.base.messenger.send("backspace")
    station.frame()
    assert "note: stood in the ga_" in station.hud.note_text.text
    station.press("enter")
    station.step()
    (mark,) = station.records("Mark")
    assert (mark["note"], mark["source"]) == ("stood in the ga", "instructor")
    assert pressed_at < mark["at"] < mark["time"] + 1e-9
    station.step(2)
    station.press("page_up")
    station.step()
    assert len(station.records("Escalate")) == 1, "hotkeys work again once the note is closed"


# ------------------------------------------------------ views and subjects


def test_the_view_key_cycles_the_monitor_between_trainee_overhead_and_subject_views(station):
    trainee = station.frame()
    assert station.monitor.labels() == ("trainee", "overhead", "Dale Porter's view")
    station.press("f6")
    overhead = station.frame()
    assert station.monitor.labels()[0] == "overhead" and station.monitor.main.get_camera() == station.monitor.overhead
    station.press("f6")
    assert station.monitor.labels()[0] == "Dale Porter's view"
    station.frame()
    assert station.hud.main_label.text == "monitor: Dale Porter's view", "no \"view view\" under the main view"
    station.press("f6")
    assert station.monitor.main.get_camera() == station.base.cam
    h, w, _ = trainee.shape
    centre = (slice(h // 4, 3 * h // 4), slice(w // 3, 2 * w // 3))
    assert np.abs(trainee[centre] - overhead[centre]).mean() > 0.02
    assert station.records("Mark", "Escalate") == [], "switching views is not journaled"


@pytest.mark.parametrize("station", ["domestic_disturbance"], indirect=True)
def test_the_subject_key_chooses_whom_the_hud_shows_and_the_nudges_reach(station):
    ids = [s.id for s in station.scenario.subjects]
    station.press("f7")
    assert station.console.state.subject == ids[1]
    station.press("page_up")
    station.step()
    assert station.records("Escalate")[0]["subject"] == ids[1]
    station.frame()
    assert station.hud.header.text.startswith(station.scenario.subjects[1].name)


def test_the_hud_lists_branches_with_their_keys_and_a_legend_of_every_hotkey(station):
    station.frame()
    texts = [line.text for line in station.hud.branch_lines if line.text]
    assert len(texts) == 3 and texts[0].startswith("Alt+1") and "accepts help" in texts[0]
    legend = station.hud.legend.text
    for key in ("PgUp", "PgDn", "Alt+1", "F9", "F8", "F6", "F7", "F11", "F12"):
        assert key in legend
    assert key_name("page_down") == "PgDn" and key_name("control-f5") == "Control+F5"


@pytest.mark.parametrize("name", [p.stem for p in sorted(SCENARIOS.glob("*.yaml"))])
def test_every_shipped_scenario_can_be_run_from_the_console_keys_alone(base, name):
    station = Station(base, name)
    try:
        station.step(30)
        count = len(station.scenario.branches)
        for number in range(1, min(count, 9) + 1):
            station.press("page_up", "page_down", f"alt-{number}", "f7", "f6")
            station.step(10)
            station.frame()
        station.press("f9")
        station.step(5)
        station.press("f12", "f12")
        station.step()
        forced = station.records("ForceBranch")
        assert [r["branch"] for r in forced] == [b.id for b in station.scenario.branches[:9]]
        answered = station.records("BranchEntered", "BranchRefused")
        assert {r["branch"] for r in answered if r.get("cause", "instructor") == "instructor"} >= {
            r["branch"] for r in forced}, "every forced branch started or was refused with a reason"
        assert station.sim.finished and station.sim.finish_reason == "ended by instructor"
    finally:
        station.close()


@pytest.mark.parametrize("station", ["domestic_disturbance"], indirect=True)
def test_the_overhead_view_looks_into_a_room_through_its_ceiling(station):
    station.press("f6")
    overhead = station.frame()
    h, w, _ = overhead.shape
    main = overhead[h // 6: 5 * h // 6, w // 3:]  # right of the insets, clear of the HUD's edges
    r, g, b = main[..., 0], main[..., 1], main[..., 2]
    amber = (r > 0.85) & (g > 0.4) & (g < 0.75) & (b < 0.3)  # the subject's disc on the floor
    assert amber.sum() > 20, "the overhead camera sees the ceiling, not the room"
    assert main.std() > 0.05
    station.monitor.show("trainee")  # the trainee's own view still has the ceiling above it
    station.base.cam.set_p(80.0)  # look straight up
    up = station.frame()
    station.base.cam.set_p(0.0)
    ceiling = up[h // 3: 2 * h // 3, w // 2 - 20: w // 2 + 20]
    assert ceiling.std() < 0.05 and ceiling.mean() > 0.1, "looking up, the trainee sees the ceiling"


def test_the_hud_panel_is_opaque_over_a_bright_scene(station):
    station.frame()
    station.world.root.set_color_scale(8, 8, 8, 1)  # the scene behind the panel as bright as it gets
    bright = station.frame()
    station.world.root.clear_color_scale()
    dark = station.frame()
    h, w, _ = bright.shape
    x0, y0, x1, y1 = station.hud.gauge_pixels("agitation")
    edge = (slice(h // 2 - 4, h // 2 + 4), slice(x1 + 2, x1 + 4))  # the panel's right margin, beside the gauges
    assert np.abs(bright[edge] - dark[edge]).max() < 0.02, "the scene shows through the HUD's panel"
    assert bright[edge].max() < 0.1, "the panel is not dark"


def test_the_face_inset_shows_the_chosen_subjects_face_close_up(station):
    from game.engine.console.instructor_view import FACE_INSET

    with_face = station.frame()
    fig = station.world.figures[station.console.state.subject]
    fig.root.hide()
    without = station.frame()
    fig.root.show()
    h, w, _ = with_face.shape
    left, right, bottom, top = FACE_INSET
    box = (slice(int((1 - top) * h) + 14, int((1 - bottom) * h) - 2), slice(int(left * w) + 2, int(right * w) - 2))
    changed = np.abs(with_face[box] - without[box]).max(axis=2) > 0.08
    assert changed.mean() > 0.4, "the face inset does not fill with the subject's head"
    assert station.hud.face_label.text.endswith("'s face")
