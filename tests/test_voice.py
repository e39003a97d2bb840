"""The trainee's voice: the vocabulary as data, the recogniser through the streaming
path the microphone uses, tone, the journal, ``talkdown hear``.

Audio is made here with espeak-ng in several voices and speeds, with noise mixed in at
a fixed seed (clean synthetic speech is unrepresentative). Without pocketsphinx (the
``voice`` extra) or espeak-ng these tests skip and say why.
"""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from game.content.document import display_name
from game.content.errors import ContentError
from game.core.events import SpeechHeard, input_from_record
from game.voice.stream import tone_of
from game.content.vocabulary import SPOKEN_INTENTS, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent


def _needs_engine():
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        pytest.skip("pocketsphinx is not installed (pip install 'talkdown[voice]'; bootstrap's test command does)")


def _needs_espeak():
    from game.voice.synth import espeak

    if espeak() is None:
        pytest.skip("espeak-ng is not installed (Debian: apt install espeak-ng; bootstrap's test command tries)")


@pytest.fixture(scope="module")
def listener():
    _needs_engine()
    _needs_espeak()
    from game.voice.hear import create_listener

    return create_listener(free=False)  # the grammar path (free speech: tests/test_voice_free.py)


# ------------------------------------------------------------------ vocabulary as data


def test_the_shipped_vocabulary_has_phrases_for_every_spoken_intent_and_none_for_gestures():
    v = load_vocabulary()
    assert set(v.phrases) == set(SPOKEN_INTENTS)
    assert "gesture" not in v.phrases and "write_note" not in v.phrases
    assert v.intent_of("sir show me your hands") == "command_show_hands"
    assert v.intent_of("show me your") == ""


def _write(tmp_path, text):
    p = tmp_path / "voice.yaml"
    p.write_text(text)
    return p


def test_an_unknown_intent_and_a_phrase_given_to_two_intents_are_located_problems(tmp_path):
    p = _write(tmp_path, "format_version: 1\nphrases:\n  greet: [hello]\n  wave_hello: [hi]\n  listen: [hello]\n")
    with pytest.raises(ContentError) as err:
        load_vocabulary(p)
    text = "\n".join(str(x) for x in err.value.problems)
    assert "voice.yaml:4:3: phrases.wave_hello: unknown spoken intent 'wave_hello'" in text
    assert "voice.yaml:5:12: phrases.listen[0]: 'hello' is already a phrase of 'greet'" in text


def test_a_word_the_recogniser_does_not_know_is_a_located_problem(tmp_path):
    _needs_engine()
    from game.voice.recogniser import dictionary_words

    p = _write(tmp_path, "format_version: 1\nphrases:\n  greet:\n    - hello\n    - howdy pardnerr\n")
    with pytest.raises(ContentError) as err:
        load_vocabulary(p, dictionary=dictionary_words())
    assert [str(x) for x in err.value.problems] == [
        f"{display_name(p)}:5:7: phrases.greet[1]: not in the recogniser's dictionary: pardnerr (use other words, "
        "or spell a number or a name the way it is said)"]


def test_a_scenario_adds_its_own_phrases():
    v = load_vocabulary().extended({"command_drop_weapon": ["put the bottle down"]})
    assert v.intent_of("put the bottle down") == "command_drop_weapon"
    assert "drop the knife" in v.phrases["command_drop_weapon"]


@pytest.mark.parametrize("level, tone", [(-26.0, "normal"), (-22.0, "normal"), (-16.5, "shout"), (-33.0, "calm")])
def test_tone_is_the_level_against_the_calibrated_normal_level(level, tone):
    assert tone_of(level, -26.0) == tone


def test_speech_not_understood_is_journaled_with_its_words_and_replays():
    e = SpeechHeard(text="look ma'am", tone="shout")
    record = {"step": 3, "time": 0.05, "type": "SpeechHeard", "source": "trainee", "text": "look ma'am", "tone": "shout"}
    assert input_from_record(record) == e


# ------------------------------------------------------------------ audio through the streaming path


def _spoken(text, n, *, gain_db=0.0):
    from game.voice.bench import VOICES
    from game.voice.synth import synthesize, with_noise

    voice, speed = VOICES[n % len(VOICES)]
    return with_noise(synthesize(text, voice=voice, speed=speed), snr_db=25.0, seed=100 + n, gain_db=gain_db)


def test_every_intents_phrase_spoken_is_recognised_and_out_of_vocabulary_speech_is_not_a_command(listener):
    from game.voice.bench import OUT_OF_VOCABULARY, cases_for, score

    v = listener.recogniser.vocabulary
    # one phrase per intent, the voices taking turns; and every out-of-vocabulary sentence
    cases = [(p, i) for i, ps in v.phrases.items() for p in ps[1:2] or ps[:1]]
    s = score(listener, cases + [(t, "") for t in OUT_OF_VOCABULARY], voices=(("en-us", 150),), seed=11)
    assert len(cases_for(v, 1)) == len(SPOKEN_INTENTS)
    assert s.false_accepts == 0, s.failures
    assert s.wrong == 0, s.failures
    assert s.accuracy >= 0.8, s.failures


def test_several_utterances_in_one_stream_come_out_in_order_with_their_times(listener):
    import numpy as np

    parts = [_spoken("show me your hands", 0), _spoken("the weather is nice today", 1), _spoken("drop the knife", 2)]
    pcm = b"".join(parts)
    t0 = listener.time
    found = []
    for i in range(0, len(pcm), 1234):  # odd chunk sizes: the listener re-buffers
        found += listener.feed(pcm[i:i + 1234])
    found += listener.release()
    assert [u.intent for u in found] == ["command_show_hands", "", "command_drop_weapon"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert found[0].event().TYPE == "Say" and found[1].event().TYPE == "SpeechHeard"
    assert np.isclose(listener.time - t0, len(pcm) / 32000, atol=0.04)
    assert found[0].start > t0


def test_a_shouted_command_and_a_calm_one_are_different_events(listener):
    normal_level = listener.calibrate(_spoken("what is your name", 1, gain_db=-8.0))
    assert -40 < normal_level < -10
    heard = []
    for gain in (4.0, -8.0, -18.0):
        heard += listener.feed(_spoken("show me your hands", 0, gain_db=gain)) + listener.release()
    assert [u.intent for u in heard] == ["command_show_hands"] * 3
    assert [u.tone for u in heard] == ["shout", "normal", "calm"]
    assert [e.tone for e in (u.event() for u in heard)] == ["shout", "normal", "calm"]


def test_talkdown_hear_prints_words_intent_and_tone_per_recording(tmp_path):
    _needs_engine()
    _needs_espeak()
    for name, text in (("hands.wav", "show me your hands"), ("chat.wav", "my car broke down yesterday")):
        with wave.open(str(tmp_path / name), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes(_spoken(text, 0))
    r = subprocess.run([sys.executable, "-m", "game", "hear", "hands.wav", "chat.wav"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=120,
                       env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    # the words as the path that understood them wrote them (the grammar's, or Whisper's "Show me your hands.")
    assert lines[0].startswith("hands.wav ") and '-> command_show_hands, normal' in lines[0]
    assert "show me your hands" in lines[0].lower()
    assert lines[1].startswith("chat.wav ") and "-> unrecognised" in lines[1]


def test_the_voice_benchmark_reports_accuracy_false_accepts_and_latency(listener):
    from game.bench import format_table, machine, voice_results

    r = voice_results(quick=True)
    assert set(r) >= {"accuracy", "false_accept_rate", "reaction_ms", "endpoint_ms", "decode_ms"}, r
    assert r["clips"] == len(SPOKEN_INTENTS) * 3 and r["oov_clips"] == 9
    assert 0 < r["reaction_ms"] < 5000
    table = format_table(json.loads(json.dumps({"machine": machine(), "results": [], "voice": r})))
    assert "intent accuracy" in table and "false accepts" in table and "subject reacts" in table
    assert r["instructor"]["radio_ms_per_s"] > 0 and r["instructor"]["release_to_journal_ms"] > 0
    assert "radio filter" in table and "key let go" in table


# ------------------------------------------------------------------ the microphone's path into the simulation


def test_the_voice_provider_submits_what_was_said_in_the_next_step_and_push_to_talk_ends_an_utterance(listener):
    import time

    from game.content.library import DEFAULT_SCENARIO, resolve
    from game.content.scenario import load_scenario
    from game.core.journal import MemoryJournal
    from game.core.simulation import Simulation
    from game.voice.microphone import VoiceInput

    held = [True]
    voice = VoiceInput(listener, talking=lambda: held[0])
    journal = MemoryJournal()
    sim = Simulation(load_scenario(resolve(DEFAULT_SCENARIO, "scenarios")).scenario, seed=1, journal=journal)
    pcm = _spoken("show me your hands", 0)[: -int(0.7 * 32000)]  # let go right after the last word: no pause
    for i in range(0, len(pcm), 960):
        voice.push(pcm[i:i + 960])
    held[0] = False
    voice.push(b"\0" * 960)  # the first chunk after letting go ends the utterance
    deadline = time.monotonic() + 10
    while not voice.heard and time.monotonic() < deadline:
        voice.feed(sim)
        sim.step()
        time.sleep(0.01)
    voice.close()
    said = [r for r in journal.records() if r["type"] == "Say"]
    assert said, [(u.text, u.intent) for u in voice.heard]
    assert [(r["intent"], r["text"], r["source"]) for r in said] == [("command_show_hands", "show me your hands", "trainee")]
    assert said[0]["time"] > 0


def test_without_a_microphone_run_voice_says_so_in_one_line_and_the_keys_still_work():
    import io

    from game.content.library import DEFAULT_SCENARIO, resolve
    from game.content.scenario import load_scenario
    from game.runner import RunOptions
    from game.voice.trainee_voice import open_trainee_voice
    from game.voice.microphone import input_devices, MicrophoneUnavailable

    try:
        if input_devices():
            pytest.skip("this machine has a microphone")
    except MicrophoneUnavailable:
        pass
    out = io.StringIO()
    loaded = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios"))
    assert open_trainee_voice(loaded, RunOptions(voice=True, calibrate=0), None, out) == (None, None)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("talkdown: no voice input — ") and "phrase keys still work" in lines[0]


def test_a_trainee_talks_the_welfare_check_to_a_peaceful_end_by_voice_alone(listener):
    """The good script's walking, but every word spoken: each of its ``say`` actions is a
    phrase of that intent in a synthetic voice, calm (quieter than the calibrated level),
    streamed through the listener; only what the listener understood reaches the subject.
    Not understood, the trainee says it again in other words (as one would)."""
    from dataclasses import replace

    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.content.script import load_script
    from game.core.drivers import ScriptedTrainee
    from game.core.journal import MemoryJournal
    from game.core.scenario import PEACEFUL_OUTCOMES
    from game.core.simulation import Simulation

    loaded = load_scenario(package_dir("scenarios") / "welfare_check.yaml")
    script = load_script(package_dir("scenarios") / "scripts" / "welfare_check_good.yaml")
    spoken = [a for a in script.actions if a.verb == "say"]
    walking = replace(script, actions=tuple(a for a in script.actions if a.verb != "say"))
    v = listener.recogniser.vocabulary
    listener.calibrate(_spoken("what is your name", 1))
    due = [(a.at, a.args["say"]) for a in spoken]
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    trainee = ScriptedTrainee(walking)
    while not sim.finished and sim.ending is None:
        trainee.feed(sim)
        while due and due[0][0] <= sim.now:
            _, intent = due.pop(0)
            for n, phrase in enumerate(sorted(v.phrases[intent], key=len, reverse=True)[:3]):
                heard = listener.feed(_spoken(phrase, n, gain_db=-9.0)) + listener.release()
                for u in heard:
                    sim.submit(u.event())
                if any(u.intent for u in heard):
                    break
        sim.step()
    records = sim.journal.records()
    said = [(r["intent"], r["tone"]) for r in records if r["type"] == "Say"]
    assert len([r for r in records if r["type"] == "SpeechHeard"]) <= 3
    # the subject may settle before the script's last words
    assert said == [(a.args["say"], "calm") for a in spoken][:len(said)] and len(said) >= len(spoken) - 2
    assert all(r["text"] for r in records if r["type"] == "Say")
    (ended,) = [r for r in records if r["type"] == "ScenarioEnded"]
    assert ended["outcome"] in PEACEFUL_OUTCOMES


def test_a_scenarios_own_phrases_are_heard_and_a_word_the_recogniser_lacks_is_located(tmp_path):
    _needs_engine()
    from game.content.library import DEFAULT_SCENARIO, resolve
    from game.voice.hear import create_listener

    text = "\n".join(line for line in resolve(DEFAULT_SCENARIO, "scenarios").read_text().splitlines()
                     if not line.startswith("default_script:"))
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    good = tmp_path / "good" / f"{DEFAULT_SCENARIO}.yaml"
    good.write_text(text + "\nvoice:\n  command_drop_weapon: [put the bottle down]\n")
    assert create_listener(scenario=str(good)).recogniser.vocabulary.intent_of("put the bottle down") == "command_drop_weapon"
    bad = tmp_path / "bad" / f"{DEFAULT_SCENARIO}.yaml"
    bad.write_text(text + "\nvoice:\n  command_drop_weapon:\n    - put the bottle down\n    - drop the zorblax\n")
    with pytest.raises(ContentError) as err:
        create_listener(scenario=str(bad))
    (problem,) = err.value.problems
    assert problem.path == "voice.command_drop_weapon[1]" and "zorblax" in problem.message and problem.line > 1
