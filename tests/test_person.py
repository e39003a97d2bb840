"""The built-in people, rendered offscreen at 1280x720 from 2 m: a mouth that opens with each
spoken line and only then, expressions, blinks, gaze, gestures for described actions, looks
that differ without changing the journal, and the triangle budget."""

from __future__ import annotations

import json
import math
import struct
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from game.content.gestures import GESTURES, gesture_for, spoken_part
from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.manifest import load_manifest
from game.content.scenario import load_scenario
from game.core.journal import MemoryJournal
from game.core.simulation import Simulation
from game.engine.world.character import CharacterView
from game.engine.world.world_view import WorldView, prepare_view

from engine_support import offscreen_base, project, render_rgb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
pytestmark = pytest.mark.render
CHARACTERS = ROOT / "assets" / "characters"


@dataclass
class SubjectSaid:  # the core's event, as its type name and fields
    subject: str
    line: str
    text: str
    tone: str = "normal"
    audio: str = ""
    TYPE: str = "SubjectSaid"


def _glb_json(path: Path) -> dict:
    data = path.read_bytes()
    length = struct.unpack("<I", data[12:16])[0]
    return json.loads(data[20:20 + length])


def _built_looks() -> list[str]:
    return sorted({Path(e.file).stem for e in load_manifest().values()
                   if e.kind == "character" and e.file.startswith("characters/") and e.file != "characters/humanoid.glb"})


def test_every_built_in_person_keeps_to_30k_triangles_and_the_files_stay_small():
    total = 0
    for name in _built_looks():
        gltf = _glb_json(CHARACTERS / f"{name}.glb")
        tris = sum(gltf["accessors"][p["indices"]]["count"] // 3 for m in gltf["meshes"] for p in m["primitives"]
                   if not m["name"].startswith("lod1."))
        far = sum(gltf["accessors"][p["indices"]]["count"] // 3 for m in gltf["meshes"] for p in m["primitives"]
                  if m["name"].startswith("lod1."))
        assert 15000 < tris <= 30000, (name, tris)
        assert 2000 < far <= tris / 4, (name, far)
        total += (CHARACTERS / f"{name}.glb").stat().st_size
    assert total < 40 * 2**20, f"{total / 2**20:.1f} MiB of characters"


def test_the_face_targets_are_sparse_and_named_as_arkit_names_them():
    gltf = _glb_json(CHARACTERS / "adult_man.glb")
    head = next(m for m in gltf["meshes"] if m["name"] == "head.look.skin")
    names = head["extras"]["targetNames"]
    assert {"jawOpen", "mouthFunnel", "browDown", "eyeBlink", "eyeWide", "mouthSmile"} <= set(names)
    for t in head["primitives"][0]["targets"]:
        acc = gltf["accessors"][t["POSITION"]]
        assert "sparse" in acc and "bufferView" not in acc and acc["sparse"]["count"] < acc["count"]


# ------------------------------------------------------------------ the world at 2 m, 1280x720


@pytest.fixture(scope="module")
def base():
    with offscreen_base(1280, 720) as b:
        yield b


@pytest.fixture(scope="module")
def world(base):
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    s = sim.minds[0].state
    prepare_view(base, loaded.scene)
    view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
    _face_the_subject(sim, 2.0)
    view.update(sim.snapshot(), 0.0)
    assert isinstance(view.figures[s.id], CharacterView)
    yield sim, view
    view.destroy()


def _face_the_subject(sim, distance: float, side: float = 0.0) -> None:
    s = sim.minds[0].state
    s.heading = 180.0  # facing south, toward the trainee
    s.posture, s.speed, s.agitation, s.trust = "relaxed", 0.0, 0.0, 0.0
    sim.trainee.position = (s.position[0] + side, s.position[1] - distance)
    sim.trainee.heading = math.degrees(math.atan2(-side, distance)) if side else 0.0
    sim.trainee.pitch = -3.0


def _run(view, sim, seconds: float, dt: float = 1 / 30) -> None:
    for _ in range(round(seconds / dt)):
        view.update(sim.snapshot(), dt)


def _joint(view, sim, joint: str):
    fig = view.figures[sim.minds[0].state.id]
    np_ = fig.actor.expose_joint(None, "modelRoot", joint)
    fig.actor.update(force=True)
    return np_.get_pos(view.root)


def _crop(base, view, sim, joint: str, up: float, half: int) -> tuple[slice, slice]:
    """Pixel rows and columns around a point ``up`` metres above a joint."""
    p = _joint(view, sim, joint)
    x, y = project(base, (p.x, p.y, p.z + up))
    return slice(y - half, y + half), slice(x - half, x + half)


def _mouth(base, view, sim):
    return _crop(base, view, sim, "Jaw", 0.0, 14)


def _face(base, view, sim):
    return _crop(base, view, sim, "Head", 0.09, 60)


def _wav(path: Path, seconds: float) -> Path:
    rate = 16000
    t = np.arange(int(rate * seconds)) / rate
    voice = np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 3 * t)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((voice * 12000).astype("<i2").tobytes())
    return path


MOUTH = ("jawOpen", "mouthFunnel", "mouthPucker", "mouthLowerDown", "mouthStretch", "mouthClose", "mouthPress",
         "mouthRollLower", "mouthUpperUp", "mouthSmile")


def _mouth_open(base, view, sim) -> float:
    """How much the mouth shows open: the frame as it is against the same frame with the
    mouth's targets at rest (same pose, same light), around the mouth."""
    fig = view.figures[sim.minds[0].state.id]
    rows, cols = _mouth(base, view, sim)
    now = render_rgb(base)[rows, cols]
    fig.face_rig.set({k: v for k, v in fig.face_now.items() if k not in MOUTH})
    fig.face_rig.apply(fig.gaze_now)
    shut = render_rgb(base)[rows, cols]
    fig.face_rig.set(fig.face_now)
    fig.face_rig.apply(fig.gaze_now)
    return float((np.abs(now - shut).max(axis=2) > 0.1).mean())


def test_the_mouth_opens_during_a_spoken_line_and_follows_its_audio_to_its_end(base, world, tmp_path):
    sim, view = world
    s = sim.minds[0].state
    _face_the_subject(sim, 2.0)
    _run(view, sim, 1.0)
    audio = _wav(tmp_path / "line.wav", 5.3)  # longer than the old 4-second cap
    view.record(1, 0.0, SubjectSaid(s.id, "reply", "Well, I have been out here all night and nobody came.",
                                    audio=str(audio)))
    dt, opened = 0.1, []
    for _ in range(70):
        view.update(sim.snapshot(), dt)
        opened.append(_mouth_open(base, view, sim))
    opened = np.array(opened)
    speaking = opened[:52] > 0.05
    assert speaking.mean() > 0.5, f"the mouth barely opens while the line is said: {opened.round(2)}"
    assert opened[48:53].max() > 0.05, "the mouth stopped before the line's last half second"
    last = (np.nonzero(opened > 0.05)[0].max() + 1) * dt
    assert abs(last - 5.3) <= 0.2, f"the mouth stopped at {last:.1f} s, the line lasts 5.3 s"
    assert opened[56:].max() == 0.0, "the mouth keeps moving after the line"


def test_the_mouth_shuts_on_m_and_opens_on_a_as_espeaks_phonemes_of_the_line_say(base, world, tmp_path):
    from game.voice import phonemes as ph

    if not ph.available():
        pytest.skip("the espeak-ng library is not installed (Debian: apt install espeak-ng)")
    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]
    _face_the_subject(sim, 2.0)
    _run(view, sim, 1.0)
    audio = tmp_path / "mama.wav"
    track = ph.voice_with_phonemes("Mama, my mom! Ma, papa.", audio, voice="en-us+m3", speed=110)
    view.record(1, 0.0, SubjectSaid(s.id, "reply", "Mama, my mom! Ma, papa.", audio=str(audio)))
    ends = [t for t, _ in track[1:]] + [fig.speech.duration]
    spans = [(a, b, p) for (a, p), b in zip(track, ends)]
    shut, open_ = [], []
    while fig.speech is not None and not fig.speech.done:
        view.update(sim.snapshot(), 0.02)
        if fig.speech is None:
            break
        t = fig.speech.elapsed
        here = next(((a, b, p) for a, b, p in spans if a <= t < b), None)
        if here is None or min(t - here[0], here[1] - t) < 0.025:
            continue  # near a boundary the shapes blend
        if here[2] in ("m", "p", "b") and len(shut) < 6:
            shut.append(_mouth_open(base, view, sim))
        elif here[2] in ("a", "A:", "aI", "0") and len(open_) < 6:
            open_.append(_mouth_open(base, view, sim))
    assert shut and open_, (shut, open_)
    assert np.mean(open_) > 0.05 and np.mean(open_) > 2.5 * np.mean(shut), (np.round(shut, 3), np.round(open_, 3))


def test_a_described_action_plays_its_gesture_with_the_mouth_shut(base, world):
    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]
    _face_the_subject(sim, 2.0)
    _run(view, sim, 1.0)
    start = _joint(view, sim, "RightHand")
    view.record(1, 0.0, SubjectSaid(s.id, "cannot_hear", "He taps his ear, shakes his head: he can't hear you."))
    assert fig.speech is None, "a described action is not said"
    moved = 0.0
    for _ in range(15):
        _run(view, sim, 0.1)
        moved = max(moved, (_joint(view, sim, "RightHand") - start).length())
        assert fig.face_now.get("jawOpen", 0.0) == 0.0
    assert moved >= 0.15, f"the hand moved {moved:.2f} m"
    assert view.gestures[-1] == (s.id, "tap_ear")
    _run(view, sim, 3.0)


@dataclass
class BodiesMet:  # the core's SubjectGrappled / SubjectPushedPast, as their type name and fields
    subject: str
    officer: str
    TYPE: str


@pytest.mark.parametrize("kind, clip, hand", [("SubjectGrappled", "grapple", "LeftHand"),
                                              ("SubjectPushedPast", "push", "LeftHand")])
def test_a_grapple_or_a_push_past_plays_its_clip_with_the_hands_thrust_toward_the_officer(base, world, kind, clip, hand):
    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]
    _face_the_subject(sim, 2.0)
    _run(view, sim, 1.0)
    start = _joint(view, sim, hand)
    view.record(1, 0.0, BodiesMet(s.id, "officer:1", kind))
    assert fig.one_shot is not None and fig.one_shot[0] == clip
    forward = 0.0
    for _ in range(8):
        _run(view, sim, 0.05)
        moved = _joint(view, sim, hand) - start
        forward = max(forward, -moved.y)  # the subject faces south (-y), toward the officer
    assert forward >= 0.15, f"the {hand} went {forward:.2f} m toward the officer"
    _run(view, sim, 2.5)


@pytest.mark.parametrize("text, gesture", [
    ("He signs rapidly and points at the bushes, then at his ears.", "sign"),
    ("He frowns at your moving lips and points at his ear.", "tap_ear"),
    ("He makes a small shape with his hands, a dog.", "sign"),
    ("He holds out his phone. On the screen: 'I AM DEAF.'", "show_phone"),
    ("He reaches quickly into his jacket pocket.", "reach_pocket"),
    ("(She sits down on the bench.)", "sit_down"),
    ("She puts her hands on her head.", "hands_on_head"),
    ("He buries his face in his hands.", "cover_face"),
    ("Leave me alone!", ""),
])
def test_the_words_of_a_described_action_name_its_gesture(text, gesture):
    assert gesture_for(text) == gesture
    assert gesture == "" or spoken_part(text) == ""
    assert gesture in GESTURES or gesture == ""


def test_every_gesture_is_a_clip_of_every_built_in_person():
    from charactergen.clips import GESTURE_CLIPS, STANDARD_CLIPS

    assert set(GESTURE_CLIPS) == set(GESTURES) and len(STANDARD_CLIPS) == 21
    for name in _built_looks():
        clips = {a["name"] for a in _glb_json(CHARACTERS / f"{name}.glb")["animations"]}
        assert set(GESTURES) | set(STANDARD_CLIPS) <= clips, name


def _face_after(base, view, sim, seconds: float = 1.5):
    _run(view, sim, seconds)
    rows, cols = _face(base, view, sim)
    return render_rgb(base)[rows, cols]


def test_anger_and_fear_show_in_the_face_and_differently(base, world):
    sim, view = world
    s = sim.minds[0].state
    _face_the_subject(sim, 2.0)
    neutral = _face_after(base, view, sim)
    s.agitation = 0.95
    angry = _face_after(base, view, sim)
    s.agitation = 0.5
    sim.trainee.hands["right"] = "firearm"
    sim.trainee.low_ready["right"] = False
    afraid = _face_after(base, view, sim)
    sim.trainee.hands["right"] = ""
    s.agitation = 0.0

    def differ(a, b):
        return float((np.abs(a - b).max(axis=2) > 0.08).mean())

    assert differ(neutral, angry) > 0.01, "high agitation does not change the face"
    assert differ(neutral, afraid) > 0.01, "fear does not change the face"
    assert differ(angry, afraid) > 0.01, "fear looks like anger"
    _run(view, sim, 1.0)


def test_the_eyes_blink_every_few_seconds(base, world):
    sim, view = world
    fig = view.figures[sim.minds[0].state.id]
    _face_the_subject(sim, 2.0)
    _run(view, sim, 1.0)
    before = len(fig.blinker.blinks)
    closed = []
    rows, cols = _crop(base, view, sim, "LeftEye", 0.0, 8)
    for _ in range(30 * 30):
        view.update(sim.snapshot(), 1 / 30)
        if fig.face_now.get("eyeBlink", 0.0) > 0.9 and len(closed) < 1:
            closed.append(render_rgb(base)[rows, cols])
    times = fig.blinker.blinks[before:]
    gaps = np.diff(times)
    assert 5 <= len(times) <= 16, f"{len(times)} blinks in 30 s"
    assert gaps.min() >= 0.4 and gaps.max() <= 8.0 and 2.0 <= gaps.mean() <= 6.0, gaps
    _run(view, sim, 0.5)
    opened = render_rgb(base)[rows, cols]
    assert closed and np.abs(closed[0] - opened).mean() > 0.03, "a blink does not close the eye"


def test_the_eyes_turn_toward_the_trainee_as_the_trainee_moves(world):
    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]
    eye = fig.actor.expose_joint(None, "modelRoot", "LeftEye")
    head = fig.actor.expose_joint(None, "modelRoot", "Head")
    turned = {}
    for side in (-1.5, 1.5):
        _face_the_subject(sim, 2.0, side)
        _run(view, sim, 1.5)
        fig.actor.update(force=True)
        turned[side] = eye.get_h(view.root) - head.get_h(view.root)
    assert turned[1.5] - turned[-1.5] > 10.0, turned
    _face_the_subject(sim, 2.0)
    _run(view, sim, 1.0)


def test_beyond_8_m_the_far_level_of_detail_shows_and_looks_the_same_from_there(base, world):
    sim, view = world
    fig = view.figures[sim.minds[0].state.id]
    s = sim.minds[0].state
    _face_the_subject(sim, 10.0)
    _run(view, sim, 0.5)
    assert fig.far and fig._far_parts and all(np_.is_hidden() for np_ in fig._face_parts)
    assert not any(np_.is_hidden() for np_ in fig._far_parts)
    top, bottom = project(base, (*s.position, 1.9)), project(base, (*s.position, -0.05))
    rows, cols = slice(top[1], bottom[1]), slice(top[0] - 40, top[0] + 40)
    far = render_rgb(base)[rows, cols]
    fig.set_distance(2.0)  # the full character, seen from the same place
    full = render_rgb(base)[rows, cols]
    fig.set_distance(10.0)
    background = np.median(full.reshape(-1, 3), axis=0)
    body_far = (np.abs(far - background).max(axis=2) > 0.1)
    body_full = (np.abs(full - background).max(axis=2) > 0.1)
    assert body_full.sum() > 200 and abs(int(body_far.sum()) - int(body_full.sum())) < 0.2 * body_full.sum()
    _face_the_subject(sim, 2.0)
    _run(view, sim, 0.2)
    assert not fig.far and not any(np_.is_hidden() for np_ in fig._face_parts)
    assert all(np_.is_hidden() for np_ in fig._far_parts)


def test_every_shipped_look_differs_visibly_from_the_others(base):
    from game.engine.world.character import CharacterModels

    models = CharacterModels(base.loader)
    manifest = load_manifest()
    base.camera.set_pos(0, 3.2, 1.1)
    base.camera.look_at(0, 0, 1.0)
    images = {}
    for name in _built_looks():
        entry = next(e for e in manifest.values() if e.file == f"characters/{name}.glb")
        view = models.create(base.render, name, entry)
        view.update(1 / 30)
        images[name] = render_rgb(base)[::4, ::4]
        view.destroy()
    names = sorted(images)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert (np.abs(images[a] - images[b]).max(axis=2) > 0.1).mean() > 0.004, (a, b)


def test_the_look_a_scenario_gives_its_subject_does_not_change_the_journal():
    import dataclasses

    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    journals = []
    for look in ("adult_man", "elderly_woman"):
        subjects = tuple(dataclasses.replace(s, appearance=look) for s in loaded.scenario.subjects)
        scenario = dataclasses.replace(loaded.scenario, subjects=subjects)
        journal = MemoryJournal()
        sim = Simulation(scenario, seed=3, journal=journal)
        for _ in range(300):
            sim.step()
        journals.append([r for r in journal.records() if r.get("type") != "SessionStarted"])
    assert journals[0] == journals[1]


def test_an_unknown_gesture_on_a_line_is_an_error_at_that_line(tmp_path):
    import shutil

    from game.content.errors import ContentError

    src = resolve(DEFAULT_SCENARIO, "scenarios")
    shutil.copytree(src.parent / "scripts", tmp_path / "scripts")
    text = src.read_text(encoding="utf-8")
    old = '      greet: ["...Evening.", "What? Yeah, hi."]'
    assert text.count(old) == 1
    good = text.replace(old, '      greet: [{text: "He taps his ear.", gesture: tap_ear, narration: true}]')
    (tmp_path / "ok").mkdir()
    shutil.copytree(src.parent / "scripts", tmp_path / "ok" / "scripts")
    (tmp_path / "ok" / src.name).write_text(good, encoding="utf-8")
    line = load_scenario(tmp_path / "ok" / src.name).scenario.subjects[0].lines["greet"][0]
    assert (line.gesture, line.narration) == ("tap_ear", True)
    bad = text.replace(old, '      greet: [{text: "He waves.", gesture: wave}]')
    (tmp_path / src.name).write_text(bad, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_scenario(tmp_path / src.name)
    (problem,) = [p for p in caught.value.problems if p.severity == "error"]
    assert problem.line == bad.splitlines().index('      greet: [{text: "He waves.", gesture: wave}]') + 1
    assert "gesture" in problem.path and "wave" in problem.message


def test_an_author_named_gesture_plays_for_a_line_that_says_nothing_of_it(base, world):
    from game.core.scenario import Line

    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]
    _face_the_subject(sim, 2.0)
    _run(view, sim, 0.5)
    view._lines[s.id] = {**view._lines[s.id], "greet": (Line("Hey.", gesture="hands_on_head"),)}
    try:
        view.record(1, 0.0, SubjectSaid(s.id, "greet", "Hey."))
        assert view.gestures[-1] == (s.id, "hands_on_head") and fig.speech is not None  # said and done
        _run(view, sim, 1.2)
        assert _joint(view, sim, "RightHand").z > _joint(view, sim, "Head").z
    finally:
        _run(view, sim, 3.0)


def test_the_khronos_gltf_validator_finds_no_errors_or_warnings_in_any_built_in_character():
    import shutil
    import subprocess

    script = ROOT / "tools" / "gltf_validator" / "validate.js"
    if shutil.which("node") is None:
        pytest.skip("node is not installed (apt install nodejs npm)")
    if not (script.parent / "node_modules" / "gltf-validator").is_dir():
        pytest.skip("gltf-validator is not installed: cd tools/gltf_validator && npm install (bootstrap does it)")
    files = sorted(CHARACTERS.glob("*.glb"))
    run = subprocess.run(["node", str(script), *map(str, files)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    reports = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(reports) == len(files) >= 12
    for r in reports:
        assert (r["errors"], r["warnings"]) == (0, 0), r


def test_the_camera_never_enters_a_subject_when_the_trainee_walks_into_it(base):
    from game.core.events import Move

    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    s = sim.minds[0].state
    view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
    try:
        fig = view.figures[s.id]
        head = fig.actor.expose_joint(None, "modelRoot", "Head")
        x, y = s.position
        closest = math.inf
        for i in range(160):
            sim.submit(Move(position=(x + 0.1, y - 3.0 + 0.04 * i), heading=0.0))
            sim.step()
            view.update(sim.snapshot(), sim.clock.dt)
            fig.actor.update(force=True)
            p = head.get_pos(base.render)
            eye = base.camera.get_pos(base.render)
            closest = min(closest, math.dist((p.x, p.y, p.z + 0.1), (eye.x, eye.y, eye.z)))  # the head's middle
        assert closest >= 0.35, f"the camera came within {closest:.2f} m of the subject's head"
    finally:
        view.destroy()


def test_pain_after_oc_spray_screws_the_face_up_and_trust_softens_it(base, world):
    sim, view = world
    s = sim.minds[0].state
    fig = view.figures[s.id]
    _face_the_subject(sim, 2.0)
    neutral = _face_after(base, view, sim)
    s.last_force_tool, s.last_force = "oc", sim.now
    hurt = _face_after(base, view, sim, 1.0)
    assert fig.face_now.get("eyeBlink", 0.0) > 0.4 and fig.face_now.get("browDown", 0.0) > 0.3
    s.last_force_tool, s.last_force = "", -1e9
    s.trust = 1.0
    soft = _face_after(base, view, sim)
    s.trust = 0.0
    assert fig.face_now.get("mouthSmile", 0.0) > 0.2

    def differ(a, b):
        return float((np.abs(a - b).max(axis=2) > 0.08).mean())

    assert differ(neutral, hurt) > 0.01, "pain does not show"
    assert differ(neutral, soft) > 0.002, "trust does not soften the face"
    _run(view, sim, 1.0)


def test_a_subject_that_sits_by_a_bench_sits_on_it_with_the_pelvis_at_the_seat(base):
    from game.content.library import installed
    from game.content.scene import load_scene

    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    park = load_scene(next(p for p in installed("scenes") if p.stem == "park"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    s = sim.minds[0].state
    view = WorldView(base.render, base.camera, park, loaded.scenario, loader=base.loader)
    try:
        bench = next(seat for seat in view.seats if seat.name == "bench_north_east")
        assert bench.height == pytest.approx(0.47, abs=0.01)
        s.position, s.heading, s.posture = (3.2, 1.45), 180.0, "sitting"  # just in front of the bench, facing away
        sim.trainee.position = (3.2, -1.0)
        _run(view, sim, 2.0)
        hips = _joint(view, sim, "Hips")
        assert abs(hips.z - bench.height) <= 0.05, f"pelvis at {hips.z:.2f} m, the seat at {bench.height:.2f} m"
        assert bench.nearest((hips.x, hips.y)) == pytest.approx((hips.x, hips.y), abs=0.02), "not over the seat"
        s.position = (6.0, -1.5)  # sitting with no seat near: on the ground as before
        _run(view, sim, 2.0)
        assert _joint(view, sim, "Hips").z < 0.2
    finally:
        view.destroy()
