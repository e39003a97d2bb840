"""The instructor speaking as a subject, rendered offscreen: real audio (espeak-ng with noise,
a WAV fed in microphone-sized chunks through the instructor's voice device) comes out of the
subject's head and its mouth opens while it plays and only then; the journal's recorded
``SpeakAs`` plays the kept recording again in a replay with the same mouth; dispatch comes
over the radio and moves no mouth."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.scenario import load_scenario
from game.core.journal import MemoryJournal
from game.core.playback import event_from_record
from game.core.simulation import Simulation
from game.engine.world.character import CharacterView
from game.engine.world.world_view import WorldView, prepare_view

from engine_support import offscreen_base, project, render_rgb

pytestmark = pytest.mark.render
FPS = 30
CHUNK = 2 * 16000 // FPS  # bytes of 16 kHz 16-bit audio a frame
MOUTH = ("jawOpen", "mouthFunnel", "mouthPucker", "mouthLowerDown", "mouthStretch", "mouthClose", "mouthPress",
         "mouthRollLower", "mouthUpperUp", "mouthSmile")


@pytest.fixture(scope="module")
def base():
    with offscreen_base(640, 360) as b:
        yield b


@pytest.fixture(scope="module")
def listener():
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        pytest.skip("pocketsphinx is not installed (pip install 'talkdown[voice]')")
    from game.voice.synth import espeak

    if espeak() is None:
        pytest.skip("espeak-ng is not installed (Debian: apt install espeak-ng)")
    from game.voice.hear import create_listener

    return create_listener(free=False)


@pytest.fixture
def world(base):
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    s = sim.minds[0].state
    s.heading, s.posture, s.speed, s.agitation, s.trust = 180.0, "relaxed", 0.0, 0.0, 0.0
    sim.trainee.position = (s.position[0], s.position[1] - 1.2)
    sim.trainee.heading, sim.trainee.pitch = 0.0, -3.0
    prepare_view(base, loaded.scene)
    view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
    view.update(sim.snapshot(), 0.0)
    assert isinstance(view.figures[s.id], CharacterView)
    yield sim, view
    view.destroy()


def mouth_open(base, view, sim) -> float:
    """How much of the mouth's square shows open: the frame against the same frame with the
    mouth's targets at rest."""
    fig = view.figures[sim.minds[0].state.id]
    joint = fig.actor.expose_joint(None, "modelRoot", "Jaw")
    fig.actor.update(force=True)
    p = joint.get_pos(view.root)
    x, y = project(base, (p.x, p.y, p.z))
    rows, cols = slice(y - 10, y + 10), slice(x - 10, x + 10)
    now = render_rgb(base)[rows, cols]
    fig.face_rig.set({k: v for k, v in fig.face_now.items() if k not in MOUTH})
    fig.face_rig.apply(fig.gaze_now)
    shut = render_rgb(base)[rows, cols]
    fig.face_rig.set(fig.face_now)
    fig.face_rig.apply(fig.gaze_now)
    return float((np.abs(now - shut).max(axis=2) > 0.1).mean())


def frame(base, view, voice_view, sim):
    voice_view.update()
    view.update(sim.snapshot(), 1 / FPS)
    return mouth_open(base, view, sim)


def spoken(text, seed):
    from game.voice.synth import synthesize, with_noise

    return with_noise(synthesize(text, voice="en-us", speed=140), snr_db=25.0, seed=seed, lead=0.4, tail=0.6)


def test_the_subjects_mouth_opens_while_the_instructors_voice_plays_from_its_head_and_again_in_the_replay(
        base, world, listener, tmp_path):
    from game.engine.world.instructor_voice_view import InstructorVoiceView
    from game.voice.instructor_voice import InstructorVoice

    sim, view = world
    sid = sim.minds[0].state.id
    voice = InstructorVoice(listener, sim.scenario, lambda: tmp_path)
    live = InstructorVoiceView(base, view.figures, voice=voice)
    pcm = spoken("show me your hands", seed=4)
    loud = [math.sqrt(np.mean(np.frombuffer(pcm[i:i + CHUNK], "<i2").astype(float) ** 2)) / 32768
            for i in range(0, len(pcm), CHUNK)]
    try:
        before = [frame(base, view, live, sim) for _ in range(4)]
        voice.begin(sid, sim.now)
        during = []
        for i in range(0, len(pcm), CHUNK):  # the microphone's chunks, a frame's worth at a time
            voice.push(pcm[i:i + CHUNK])
            during.append(frame(base, view, live, sim))
        voice.end()
        after = [frame(base, view, live, sim) for _ in range(12)]
        voice.wait()
        voice.feed(sim)
        sim.step()
    finally:
        live.destroy()
        voice.close()
    during, speech = np.array(during), np.array(loud) > 0.02
    assert max(before) == 0.0, "the mouth moved before the instructor spoke"
    assert (during[speech] > 0.05).mean() > 0.5, f"the mouth barely opens while the voice plays: {during.round(2)}"
    assert (during[~speech][:8] > 0.05).mean() < 0.3, f"the mouth moves in the silence before the words: {during.round(2)}"
    assert max(after[3:]) == 0.0, "the mouth keeps moving after the voice"
    assert live.played and {who for who, _ in live.played} == {sid}
    assert sum(s for _, s in live.played) == pytest.approx(len(pcm) / 32000, abs=0.01)

    (spoke,) = [r for r in sim.journal.records() if r["type"] == "SpeakAs"]
    assert (tmp_path / spoke["audio"]).is_file()
    for r in sim.journal.records():  # the journal's SubjectSaid of those words starts no second, text-timed mouth
        event = event_from_record(r)
        if event is not None:
            view.record(r["step"], r["time"], event)
    assert view.figures[sid].speech is None

    replay = InstructorVoiceView(base, view.figures, run_dir=lambda: tmp_path)
    try:
        replay.record(spoke["step"], spoke["time"], event_from_record(spoke))
        again = np.array([frame(base, view, replay, sim) for _ in range(len(during) + 10)])
    finally:
        replay.destroy()
    assert replay.played == [(sid, pytest.approx(spoke["seconds"], abs=0.01))]
    assert (again[: len(during)][speech] > 0.05).mean() > 0.5, f"the replay's mouth barely opens: {again.round(2)}"
    assert max(again[len(during) + 3:]) == 0.0


def test_speaking_as_dispatch_plays_over_the_radio_and_moves_no_mouth(base, world, listener, tmp_path):
    from game.engine.world.instructor_voice_view import InstructorVoiceView
    from game.voice.instructor_voice import InstructorVoice

    sim, view = world
    voice = InstructorVoice(listener, sim.scenario, lambda: tmp_path)
    live = InstructorVoiceView(base, view.figures, voice=voice)
    pcm = spoken("step back", seed=6)
    try:
        voice.begin("dispatch", sim.now)
        opened = []
        for i in range(0, len(pcm), CHUNK):
            voice.push(pcm[i:i + CHUNK])
            opened.append(frame(base, view, live, sim))
        voice.end()
        frame(base, view, live, sim)
    finally:
        live.destroy()
        voice.close()
    assert max(opened) == 0.0
    assert {who for who, _ in live.played} == {"dispatch"}
