"""The subject speaks: lines voiced with espeak-ng in a per-subject voice (cached), a
scenario's recording preferred, and the sound scheduled at the subject's head when it
says the line (Panda3D's null audio here: the scheduling is tested, not the speakers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.content.library import DEFAULT_SCENARIO, resolve
from game.content.scenario import load_scenario
from game.core.events import SubjectSaid
from game.voice.lines import audio_for, subject_voice, voice_line_name
from game.voice.synth import espeak

ROOT = Path(__file__).resolve().parent.parent


def test_each_subject_has_its_own_stable_voice():
    assert subject_voice("welfare_check", "man") == subject_voice("welfare_check", "man")
    voices = {subject_voice("s", f"subject{i}") for i in range(12)}
    assert len(voices) > 3


def test_a_recording_is_preferred_then_the_generated_line_then_none(tmp_path):
    scenario = tmp_path / "sc.yaml"
    scenario.write_text("")
    (tmp_path / "hello.wav").write_bytes(b"RIFF")
    said = SubjectSaid(subject="man", line="greet", text="Hello officer.", audio="hello.wav")
    assert audio_for(said, "sc", scenario, tmp_path / "assets") == tmp_path / "hello.wav"
    plain = SubjectSaid(subject="man", line="greet", text="Hello officer.")
    assert audio_for(plain, "sc", scenario, tmp_path / "assets") is None
    generated = tmp_path / "assets" / voice_line_name("Hello officer.", subject_voice("sc", "man"))
    generated.parent.mkdir(parents=True)
    generated.write_bytes(b"RIFF")
    assert audio_for(plain, "sc", scenario, tmp_path / "assets") == generated


def test_the_tool_voices_a_scenarios_lines_once_and_then_uses_the_cache(tmp_path):
    if espeak() is None:
        pytest.skip("espeak-ng is not installed (Debian: apt install espeak-ng)")
    path = resolve(DEFAULT_SCENARIO, "scenarios")
    run = [sys.executable, str(ROOT / "tools" / "make_voice_lines.py"), str(path), "--out", str(tmp_path)]
    first = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    made = int(first.stdout.split(":")[1].split()[0])
    assert made > 0 and len(list((tmp_path / "voices").glob("*.wav"))) == made
    second = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert f"0 line(s) voiced, {made} already there" in second.stdout


@pytest.mark.render
def test_a_line_is_played_at_the_subjects_head_when_it_is_said(tmp_path):
    from engine_support import offscreen_base

    from game.engine.world.subject_voices import HEAD_HEIGHT, SubjectVoices
    from game.engine.world.world_view import WorldView, prepare_view

    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    sid = loaded.scenario.subjects[0].id
    text = "Leave me alone."
    target = tmp_path / voice_line_name(text, subject_voice(loaded.scenario.id, sid))
    target.parent.mkdir(parents=True)
    if espeak() is not None:
        from game.voice.synth import synthesize_wav

        synthesize_wav(text, target)
    else:
        target.write_bytes(b"")
    with offscreen_base() as base:
        prepare_view(base, loaded.scene)
        view = WorldView(base.render, base.camera, loaded.scene, loaded.scenario, loader=base.loader)
        voices = SubjectVoices(base, view.figures, loaded.scenario, assets=tmp_path)
        voices.record(10, 1.0, SubjectSaid(subject=sid, line="greet", text=text))
        voices.record(11, 1.1, SubjectSaid(subject=sid, line="greet", text="A line nobody voiced."))
        assert voices.played == [(sid, str(target))]
        head = view.figures[sid].root.find(f"voice-{sid}")
        assert not head.is_empty() and head.get_z() == pytest.approx(HEAD_HEIGHT)
        voices.destroy()
        view.destroy()


def test_the_instructors_hud_subtitles_both_sides_of_the_conversation():
    from types import SimpleNamespace

    from game.core.events import Say, SpeechHeard
    from game.engine.console.hud import InstructorHud

    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    said = []
    console = SimpleNamespace(say=lambda text, kind="info": said.append((text, kind)), scenario=loaded.scenario)
    hud = SimpleNamespace(console=console, _names=lambda: {s.id: s.name for s in loaded.scenario.subjects})
    sid = loaded.scenario.subjects[0].id
    for event in (Say(intent="greet", tone="calm", text="hello there"), SpeechHeard(text="look ma'am", tone="shout"),
                  SubjectSaid(subject=sid, line="greet", text="Leave me alone.")):
        InstructorHud.record(hud, 1, 0.1, event)
    name = loaded.scenario.subjects[0].name
    assert said == [('trainee: "hello there" (greet, calm)', "said"),
                    ("trainee: \"look ma'am\" (not understood, shout)", "said"),
                    (f'{name}: "Leave me alone."', "said")]


def test_a_line_its_behaviour_shouts_is_voiced_shouted_louder_and_a_tone_not_voiced_falls_back_to_normal(tmp_path):
    if espeak() is None:
        pytest.skip("espeak-ng is not installed (Debian: apt install espeak-ng)")
    from game.content.scenario import load_scenario
    from game.voice.audio import read_wav, speech_level_db
    from game.voice.lines import subject_voice, voice_line_name

    path = ROOT / "scenarios" / "bridge_crisis.yaml"
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "make_voice_lines.py"), str(path), "--out", str(tmp_path)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    sc = load_scenario(path).scenario
    claire = sc.subjects[0]
    text = claire.lines["climbing"][0]
    text = text if isinstance(text, str) else text.text
    voice = subject_voice(sc.id, "claire")
    normal, shouted = (tmp_path / voice_line_name(text, voice, t) for t in ("normal", "shout"))
    assert normal.is_file() and shouted.is_file()
    assert speech_level_db(read_wav(shouted)) > speech_level_db(read_wav(normal)) + 2.0
    calm = SubjectSaid(subject="claire", line="climbing", text=text, tone="calm")
    assert audio_for(calm, sc.id, path, tmp_path) == normal
    loud = SubjectSaid(subject="claire", line="climbing", text=text, tone="shout")
    assert audio_for(loud, sc.id, path, tmp_path) == shouted


def test_with_flite_a_subject_speaks_in_its_flite_voice_shouts_faster_and_louder_and_an_espeak_cache_still_plays(tmp_path):
    from game.voice.audio import read_wav, speech_level_db
    from game.voice.lines import flite_prosody
    from game.voice.synth import flite, synthesize_flite_wav

    if flite() is None:
        pytest.skip("flite is not installed (Debian: apt install flite)")
    from game.voice.lines import FLITE_VOICES, SUBJECT_VOICES

    # a woman's espeak-ng voice is a woman's in flite too (slt), a man's a man's (rms, awb)
    assert [v[0].split("+")[1][0] for v in SUBJECT_VOICES] == ["f" if f[0] == "slt" else "m" for f in FLITE_VOICES]
    man = next(v for v in (subject_voice("sc", f"s{i}") for i in range(40)) if v.flite[0] == "rms")
    normal, shout = tmp_path / "normal.wav", tmp_path / "shout.wav"
    synthesize_flite_wav("Get away from me!", normal, **flite_prosody(man, "normal"))
    synthesize_flite_wav("Get away from me!", shout, **flite_prosody(man, "shout"))
    a, b = read_wav(normal), read_wav(shout)
    assert len(b) < len(a) and speech_level_db(b) > speech_level_db(a) + 3.0
    # a cache voiced by espeak-ng (a machine without flite) is found all the same
    said = SubjectSaid(subject="man", line="x", text="Hello officer.")
    old = tmp_path / "assets" / voice_line_name("Hello officer.", man, engine="espeak")
    old.parent.mkdir(parents=True)
    old.write_bytes(b"RIFF")
    scenario = tmp_path / "sc.yaml"
    scenario.write_text("")
    assert audio_for(said, "sc", scenario, tmp_path / "assets") == old
