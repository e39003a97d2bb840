"""The built-in rigged humanoid: regenerable, loads as an Actor with every clip, animates
smoothly, blends postures, tracks the trainee, talks, shows weapons; variants differ."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from panda3d.core import Filename

from game.content.errors import ContentError
from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.manifest import load_manifest
from game.content.scenario import load_scenario
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation
from game.core.world import heading_to
from game.engine.world.character import CharacterModels, CharacterView
from game.engine.world.figure import Figure
from game.engine.world.world_view import WorldView, prepare_view

from engine_support import offscreen_base, project, render_rgb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))  # the generator: tools/make_character.py, tools/charactergen

pytestmark = pytest.mark.render
HUMANOID = ROOT / "assets" / "characters" / "humanoid.glb"


def test_the_shipped_characters_are_what_the_generator_writes_today():
    import make_character
    from charactergen.human_data import MissingHumanData

    try:
        files = make_character.character_files()
    except MissingHumanData as exc:
        pytest.skip(f"the character build's data is not installed ({exc})")
    assert len(files) >= 9
    stale = [str(rel) for rel, data in files.items() if (ROOT / "assets" / rel).read_bytes() != data]
    assert not stale, f"run tools/make_character.py and commit the result: {stale}"


def test_every_appearance_on_the_one_file_humanoid_names_pieces_it_has():
    from charactergen.body import build_pieces

    pieces = {n.rsplit(".", 1)[0] for n in build_pieces()}
    for name, entry in load_manifest().items():
        if entry.appearance is not None and entry.file == "characters/humanoid.glb":
            assert entry.appearance.pieces() <= pieces, name


@pytest.fixture(scope="module")
def base():
    with offscreen_base(320, 240) as b:
        yield b


@pytest.fixture(scope="module")
def world(base):
    """The default scenario's world with rigged characters, the trainee 4 m south of the subject."""
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    s = sim.minds[0].state
    sim.trainee.position = (s.position[0], s.position[1] - 4.0)
    sim.trainee.heading = 0.0
    prepare_view(base, loaded.scene)
    view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
    view.update(sim.snapshot(), 0.0)
    yield sim, view
    view.destroy()


def _run(view, sim, seconds: float, dt: float = 1 / 30) -> None:
    for _ in range(round(seconds / dt)):
        view.update(sim.snapshot(), dt)


def _joint(view, sim, joint: str):
    fig = view.figures[sim.minds[0].state.id]
    np_ = fig.actor.expose_joint(None, "modelRoot", joint)
    fig.actor.update(force=True)
    return np_.get_pos(view.root)


def test_the_humanoid_loads_as_an_actor_with_every_standard_clip(base):
    from charactergen.clips import STANDARD_CLIPS

    model = CharacterModels(base.loader).model(HUMANOID)
    assert model is not None
    entry = load_manifest()["adult_man"]
    view = CharacterView(base.render, "probe", model, entry)
    try:
        assert set(STANDARD_CLIPS) <= set(view.actor.get_anim_names())
        assert len(STANDARD_CLIPS) == 21
    finally:
        view.destroy()


def test_subjects_are_rigged_characters_named_by_their_appearance(world):
    sim, view = world
    fig = view.figures[sim.minds[0].state.id]
    assert isinstance(fig, CharacterView)


def test_walking_changes_the_rendered_pixels_smoothly_over_time(base, world):
    sim, view = world
    s = sim.minds[0].state
    s.posture, s.speed = "relaxed", 1.3
    _run(view, sim, 1.0)
    rows = slice(*sorted(p[1] for p in (project(base, (*s.position, 2.0)), project(base, (*s.position, 0.0)))))
    x = project(base, (*s.position, 1.0))[0]
    cols = slice(x - 40, x + 40)
    frames = []
    for _ in range(100):  # one walk cycle (1.1 s) at 90 frames a second: finer than the clip's 30
        view.update(sim.snapshot(), 1 / 90)
        frames.append(render_rgb(base)[rows, cols])
    s.speed = 0.0
    steps = np.array([np.abs(a - b).mean() for a, b in pairwise(frames)])
    span = max(np.abs(f - frames[0]).mean() for f in frames)
    assert span > 4 * np.median(steps), "the walk barely moves the body"
    assert steps.max() < 0.45 * span, "a frame jumps: the clip snaps instead of moving smoothly"
    assert (steps > 0).mean() > 0.9, "frames repeat: the clip is not playing every frame"


def test_a_new_posture_blends_in_over_a_fraction_of_a_second_instead_of_snapping(world):
    sim, view = world
    s = sim.minds[0].state
    s.posture, s.speed = "relaxed", 0.0
    _run(view, sim, 2.0)
    start = _joint(view, sim, "RightHand").z
    s.posture = "hands_up"
    view.update(sim.snapshot(), 1 / 30)
    first = _joint(view, sim, "RightHand").z
    _run(view, sim, 1.5)
    end = _joint(view, sim, "RightHand").z
    assert end > start + 0.6, "the hands did not go up"
    assert 0.0 < (first - start) / (end - start) < 0.3, "the posture snapped in one frame"
    s.posture = "relaxed"
    _run(view, sim, 2.0)


def test_kneeling_lowers_the_head_and_collapsing_ends_on_the_ground(world):
    sim, view = world
    s = sim.minds[0].state
    standing = _joint(view, sim, "Head").z
    for posture, below in (("kneeling", 1.3), ("collapsed", 0.5)):
        s.posture = posture
        _run(view, sim, 2.5)
        assert _joint(view, sim, "Head").z < below, posture
    s.posture = "relaxed"
    _run(view, sim, 2.0)
    assert _joint(view, sim, "Head").z == pytest.approx(standing, abs=0.05)


def test_the_head_turns_toward_the_trainee(world):
    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]
    head = fig.actor.expose_joint(None, "modelRoot", "Head")
    try:
        for side in (1.0, -1.0):
            sim.trainee.position = (s.position[0] + 3.0 * side, s.position[1] - 3.0)
            _run(view, sim, 1.5)
            fig.actor.update(force=True)
            # the model faces its -y: its head's heading is the body's plus 180 plus the turn
            turned = (head.get_h(view.root) - 180.0 - s.heading + 180) % 360 - 180
            wanted = (heading_to(s.position, sim.trainee.position) - s.heading + 180) % 360 - 180
            assert np.sign(turned) == np.sign(wanted) and abs(turned) > 10, (side, turned, wanted)
    finally:
        sim.trainee.position = (s.position[0], s.position[1] - 4.0)
        _run(view, sim, 1.5)


def test_saying_a_line_moves_the_jaw_and_shouting_opens_it_wider(world):
    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]

    @dataclass
    class SubjectSaid:  # the core's event, as its type name and fields
        subject: str
        line: str
        text: str
        tone: str = "normal"

    def widest(tone):
        view.record(1, 0.0, SubjectSaid(s.id, "greet", "Leave me alone, I said I'm fine!", tone))
        out = []
        for _ in range(30):
            view.update(sim.snapshot(), 1 / 30)
            out.append(fig.jaw.get_p())
        return max(out)

    silent = fig.jaw.get_p()
    assert silent == pytest.approx(0.0, abs=1e-3)
    talking, shouting = widest("normal"), widest("shout")
    assert talking > 4.0 and shouting > talking
    view.record(1, 0.0, object())  # unknown events are ignored
    _run(view, sim, 4.0)
    assert fig.jaw.get_p() == pytest.approx(0.0, abs=1e-3)


def test_a_drawn_knife_shows_in_the_right_hand(base, world):
    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]

    @dataclass
    class SubjectWeaponChanged:
        subject: str
        weapon: str
        out: bool

    view.update(sim.snapshot(), 1 / 30)
    hand = _joint(view, sim, "RightHand")
    rows, cols = (slice(y - 14, y + 14) for y in reversed(project(base, (hand.x, hand.y, hand.z))))
    empty = render_rgb(base)
    view.record(1, 0.0, SubjectWeaponChanged(s.id, "knife", True))
    assert fig.prop is not None and fig.one_shot is not None and fig.one_shot[0] == "draw_weapon"
    fig.one_shot = None
    armed = render_rgb(base)
    assert np.abs(armed[rows, cols] - empty[rows, cols]).max() > 0.15, "the knife does not show"
    view.record(2, 0.0, SubjectWeaponChanged(s.id, "knife", False))
    assert fig.prop is None


def test_two_variants_look_visibly_different(base):
    models = CharacterModels(base.loader)
    manifest = load_manifest()
    base.camera.set_pos(0, -4, 1.2)
    base.camera.look_at(0, 0, 0.9)
    images = {}
    for name in ("adult_man", "heavyset_man", "older_woman"):
        view = models.create(base.render, name, manifest[name])
        view.update(1 / 30)
        images[name] = render_rgb(base)
        view.destroy()
    a, b, c = images.values()
    for one, other in ((a, b), (a, c), (b, c)):
        assert (np.abs(one - other).max(axis=2) > 0.1).mean() > 0.01


def test_a_character_file_that_cannot_load_falls_back_to_the_placeholder(base, tmp_path):
    (tmp_path / "characters").mkdir()
    (tmp_path / "characters" / "broken.glb").write_bytes(b"glTF\x02\x00\x00\x00garbage")
    (tmp_path / "manifest.yaml").write_text(
        "format_version: 1\nassets:\n  adult_man:\n    kind: character\n    source: x\n"
        "    file: characters/broken.glb\n")
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader,
                     manifest=load_manifest(tmp_path / "manifest.yaml"))
    try:
        assert all(isinstance(f, Figure) for f in view.figures.values())
        assert any("broken.glb" in e for e in view.models.errors.values())
    finally:
        view.destroy()


@pytest.mark.parametrize("appearance, path, words", [
    ("{skin: greenish}", "assets.man.appearance.skin", "greenish"),
    ("{items: [monocle]}", "assets.man.appearance.items[0]", "monocle"),
    ("{height: 17}", "assets.man.appearance.height", "2.3"),
])
def test_a_bad_appearance_is_reported_where_it_is(tmp_path, appearance, path, words):
    (tmp_path / "manifest.yaml").write_text(
        f"format_version: 1\nassets:\n  man:\n    kind: character\n    source: x\n    appearance: {appearance}\n")
    with pytest.raises(ContentError) as caught:
        load_manifest(tmp_path / "manifest.yaml")
    (problem,) = caught.value.problems
    assert problem.path == path and words in problem.message and problem.line == 6


def test_a_manifest_file_path_that_leaves_the_assets_folder_is_refused(tmp_path):
    (tmp_path / "manifest.yaml").write_text(
        "format_version: 1\nassets:\n  van:\n    kind: prop\n    source: x\n    file: ../../etc/passwd\n")
    with pytest.raises(ContentError) as caught:
        load_manifest(tmp_path / "manifest.yaml")
    assert "leaves the manifest's folder" in caught.value.problems[0].message


def test_loading_the_humanoid_twice_reads_the_file_once(base):
    models = CharacterModels(base.loader)
    assert models.model(HUMANOID) is models.model(HUMANOID)
    assert models.model(Path(Filename("/nonexistent/x.glb").to_os_specific())) is None


@pytest.mark.parametrize("look", ["heavyset_man", "heavyset_woman", "adult_woman", "teenager"])
def test_crossed_arms_rest_on_the_chest_without_sinking_into_it(look):
    from charactergen.clips import frames
    from charactergen.looks import manifest_looks
    from charactergen.outfit import build_parts
    from charactergen.posing import sunk

    builder, parts = build_parts(manifest_looks()[look][1])
    forearms = ("LeftLowerArm", "LeftHand", "RightLowerArm", "RightHand")
    depth = sunk(parts, builder.joint_positions, frames("arms_crossed")[0], forearms, ("Chest", "Spine", "Hips"))
    assert depth.max() <= 0.01, f"{look}: a forearm sinks {depth.max() * 100:.1f} cm into the torso"
    # the check sees the old pose's clipping (its forearms went 3-5 cm into every torso)
    old = {"LeftUpperArm": (-25, -62, 14), "RightUpperArm": (-25, 62, -14), "LeftLowerArm": (-100, 0, 0),
           "RightLowerArm": (-100, 0, 0), "Spine": (-2, 0, 0)}
    assert sunk(parts, builder.joint_positions, old, forearms, ("Chest", "Spine", "Hips")).max() > 0.02
