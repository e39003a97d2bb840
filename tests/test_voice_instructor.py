"""The instructor's voice in the scene, through the streaming path the microphone uses: real
audio (espeak-ng with noise at a fixed seed, written to a WAV and read back as a microphone
would deliver it) spoken as a subject or as dispatch, journaled with its words or "instructor
spoke as …", the recording kept owner-only in the run folder; the radio filter's spectrum;
no microphone is one line."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from game.content import load_scenario
from game.content.library import package_dir
from game.core import MemoryJournal, Simulation
from game.voice.audio import RATE, read_wav

SCENARIOS = package_dir("scenarios")


def _needs_voice():
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        pytest.skip("pocketsphinx is not installed (pip install 'talkdown[voice]'; bootstrap's test command does)")
    from game.voice.synth import espeak

    if espeak() is None:
        pytest.skip("espeak-ng is not installed (Debian: apt install espeak-ng; bootstrap's test command tries)")


@pytest.fixture(scope="module")
def listener():
    _needs_voice()
    from game.voice.hear import create_listener

    return create_listener(free=False)


@pytest.fixture(scope="module")
def welfare():
    return load_scenario(SCENARIOS / "welfare_check.yaml").scenario


def spoken_wav(tmp_path, text, seed=7):
    """``text`` spoken by espeak-ng with noise at 25 dB SNR, as a WAV file (what a test feeds)."""
    from game.voice.synth import synthesize, with_noise
    from game.voice.instructor_voice import wav_bytes

    path = tmp_path / f"said-{seed}.wav"
    path.write_bytes(wav_bytes(with_noise(synthesize(text, voice="en-us", speed=150), snr_db=25.0, seed=seed)))
    return path


def speak(voice, who, wav, at=1.0, chunk=960):
    """Push-to-talk down, the file's audio in microphone-sized chunks, let go."""
    pcm = read_wav(wav)
    voice.begin(who, at)
    for i in range(0, len(pcm), chunk):
        voice.push(pcm[i:i + chunk])
    voice.end()
    voice.wait()
    return pcm


@pytest.fixture
def session(tmp_path, listener, welfare):
    from game.voice.instructor_voice import InstructorVoice

    sim = Simulation(welfare, seed=3, journal=MemoryJournal())
    sim.run_for(0.5)
    run = tmp_path / "run"
    run.mkdir()
    logged = []
    voice = InstructorVoice(listener, welfare, lambda: run, log=logged.append)
    yield sim, voice, run, logged
    voice.close()


def test_words_spoken_as_the_subject_are_journaled_as_its_line_with_the_recording_kept_owner_only(tmp_path, session):
    sim, voice, run, logged = session
    pcm = speak(voice, "dale", spoken_wav(tmp_path, "show me your hands"))
    live = voice.take_live()
    assert {who for who, _ in live} == {"dale"} and b"".join(c for _, c in live) == pcm  # played as it came
    voice.feed(sim)
    sim.step()
    (spoke,) = [r for r in sim.journal.records() if r["type"] == "SpeakAs"]
    assert (spoke["source"], spoke["voice"], spoke["understood"], spoke["text"]) == ("instructor", "dale", True,
                                                                                    "show me your hands")
    assert spoke["at"] == 1.0 and spoke["seconds"] == pytest.approx(len(pcm) / (2 * RATE), abs=0.001)
    said = [r for r in sim.journal.records() if r["type"] == "SubjectSaid" and r.get("instructor") == "voice"]
    assert [(r["subject"], r["text"]) for r in said] == [("dale", "show me your hands")]
    kept = run / spoke["audio"]
    assert spoke["audio"] == "voice/0001-dale.wav" and kept.stat().st_mode & 0o777 == 0o600
    assert (run / "voice").stat().st_mode & 0o777 == 0o700
    with wave.open(str(kept)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 1, 2)
        assert w.readframes(w.getnframes()) == pcm
    assert not logged


def test_speech_the_recogniser_does_not_understand_is_journaled_as_instructor_spoke_as_the_subject(tmp_path, session):
    sim, voice, run, _ = session
    speak(voice, "dale", spoken_wav(tmp_path, "the weather was lovely at the seaside last summer", seed=11))
    voice.feed(sim)
    sim.step()
    (spoke,) = [r for r in sim.journal.records() if r["type"] == "SpeakAs"]
    assert (spoke["text"], spoke["understood"]) == ("instructor spoke as Dale Porter", False)
    assert (run / spoke["audio"]).is_file()
    assert not [r for r in sim.journal.records() if r["type"] == "SubjectSaid" and r.get("instructor")]


def test_speaking_as_dispatch_is_journaled_the_same_way_and_no_subject_says_it(tmp_path, session):
    sim, voice, run, _ = session
    speak(voice, "dispatch", spoken_wav(tmp_path, "step back", seed=5))
    assert {who for who, _ in voice.take_live()} == {"dispatch"}
    voice.feed(sim)
    sim.step()
    (spoke,) = [r for r in sim.journal.records() if r["type"] == "SpeakAs"]
    assert (spoke["voice"], spoke["audio"]) == ("dispatch", "voice/0001-dispatch.wav")
    assert spoke["text"] in ("step back", "instructor spoke as dispatch")
    assert not [r for r in sim.journal.records() if r["type"] == "SubjectSaid" and r.get("instructor")]


def test_a_tap_of_the_key_and_audio_while_nobody_is_spoken_as_journal_nothing(session):
    sim, voice, run, _ = session
    voice.push(b"\1\0" * 16000)  # not talking: ignored
    voice.begin("dale", 0.5)
    voice.push(b"\0\0" * 800)  # 50 ms: a tap
    voice.end()
    voice.wait()
    voice.feed(sim)
    sim.step()
    assert not [r for r in sim.journal.records() if r["type"] == "SpeakAs"]
    assert not (run / "voice").exists()


def test_without_a_microphone_speaking_as_says_so_in_one_line_and_returns_nothing(tmp_path, listener, welfare):
    from game.voice.instructor_voice import open_instructor_voice
    from game.voice.microphone import MicrophoneUnavailable, input_devices

    try:
        if input_devices():
            pytest.skip("this machine has a microphone")
    except MicrophoneUnavailable:
        pass  # no PortAudio at all: the same one line
    lines = []
    voice, mic = open_instructor_voice(welfare, lambda: tmp_path, listener=listener, out=lines.append)
    assert (voice, mic) == (None, None)
    assert len(lines) == 1 and lines[0].startswith("talkdown: no speaking as a subject or dispatch — ")
    assert "puppeteering lines still works" in lines[0] and "Traceback" not in lines[0]


# ------------------------------------------------------------------ the radio


def _band_db(pcm, low, high):
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    power = np.abs(np.fft.rfft(x * np.hanning(len(x)))) ** 2
    f = np.fft.rfftfreq(len(x), 1 / RATE)
    return 10 * np.log10(power[(f >= low) & (f < high)].sum() + 1e-12)


def test_the_radio_keeps_speech_between_300_and_3400_hz_and_cuts_what_lies_outside():
    from game.voice.radio import radio

    rng = np.random.default_rng(1)
    noise = (rng.normal(0, 0.15, 3 * RATE) * 32767).astype("<i2").tobytes()  # white: every band alike
    out = radio(noise)
    assert len(out) == len(noise)
    inside = _band_db(out, 500, 3000) - _band_db(noise, 500, 3000)
    for low, high in ((20, 150), (4200, 8000)):
        outside = _band_db(out, low, high) - _band_db(noise, low, high)
        assert outside < inside - 40, (low, high, outside, inside)


def test_the_radio_compresses_a_shout_and_a_murmur_toward_one_level_and_adds_hiss_to_silence():
    from game.voice.audio import level_db
    from game.voice.radio import radio

    t = np.arange(RATE) / RATE
    tone = np.sin(2 * np.pi * 1000 * t)
    loud, quiet = (0.5 * tone * 32767).astype("<i2").tobytes(), (0.02 * tone * 32767).astype("<i2").tobytes()
    before = level_db(loud) - level_db(quiet)
    after = level_db(radio(loud)[RATE:]) - level_db(radio(quiet)[RATE:])  # the second half: settled
    assert before == pytest.approx(28, abs=0.5) and after < before / 2
    hiss = level_db(radio(b"\0\0" * RATE))
    assert -70 < hiss < -30


def test_the_radio_streams_in_microphone_chunks_exactly_as_it_filters_a_whole_recording():
    from game.voice.radio import RadioFilter

    pcm = (np.random.default_rng(2).normal(0, 0.1, RATE) * 32767).astype("<i2").tobytes()
    whole = RadioFilter(seed=4)
    streamed = RadioFilter(seed=4)
    a = whole.process(pcm) + whole.flush()
    b = b"".join(streamed.process(pcm[i:i + 962]) for i in range(0, len(pcm), 962)) + streamed.flush()
    assert a == b


def test_words_still_held_when_the_session_closes_are_kept_and_said_in_one_line(tmp_path, session):
    sim, voice, run, logged = session
    pcm = read_wav(spoken_wav(tmp_path, "step back", seed=9))
    voice.begin("dale", 0.5)
    voice.push(pcm)
    voice.detach()  # the host's teardown: the key is still down
    assert (run / "voice" / "0001-dale.wav").is_file()
    assert logged == ["talkdown: the instructor's last words as dale came as the session ended: "
                      "kept as voice/0001-dale.wav in the run folder, not journaled"]
