"""The mouth follows the sounds of a voiced line: espeak-ng's phonemes and their times, kept in
the voice-line cache beside each line's audio, give the mouth its shapes — lips shut on
/m b p/, jaw open on /a/ — and without them the face falls back to the line's spelling."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.world.face import Speech, phoneme_viseme
from game.voice import phonemes as ph

ROOT = Path(__file__).resolve().parent.parent
needs_espeak = pytest.mark.skipif(not ph.available(), reason="the espeak-ng library is not installed (Debian: apt install espeak-ng)")


def _at(speech: Speech, t: float) -> dict[str, float]:
    speech.elapsed = t
    return speech.weights()


def test_a_phoneme_track_shuts_the_lips_on_m_b_p_and_opens_the_jaw_on_a():
    track = [(0.0, "m"), (0.2, "A:"), (0.45, "b"), (0.6, "a"), (0.85, "p"), (1.0, "aI"), (1.25, "_:")]
    speech = Speech("Ma ba pie.", 1.3, phonemes=track)
    for start, end in ((0.0, 0.2), (0.45, 0.6), (0.85, 1.0)):  # m, b, p
        w = _at(speech, (start + end) / 2)
        assert w.get("mouthClose", 0.0) >= 0.3 and w.get("jawOpen", 0.0) <= 0.15, w
    for start, end in ((0.2, 0.45), (0.6, 0.85)):  # A:, a
        w = _at(speech, (start + end) / 2)
        assert w.get("jawOpen", 0.0) >= 0.45 and w.get("mouthClose", 0.0) <= 0.1, w
    assert _at(speech, 1.28) == {} or max(_at(speech, 1.28).values()) < 0.1  # the pause at the end is still


def test_espeaks_mnemonics_map_to_the_mouth_shapes_they_make():
    assert [phoneme_viseme(p) for p in ("m", "b", "p", "f", "v", "s", "S", "tS", "r", "w")] == \
        ["PP", "PP", "PP", "FF", "FF", "SS", "CH", "CH", "RR", "U"]
    assert [phoneme_viseme(p) for p in ("a", "A:", "aI", "0", "O:", "oU", "u:", "i:", "I", "@", "e")] == \
        ["aa", "aa", "aa", "O", "O", "O", "U", "I", "I", "E", "E"]
    assert phoneme_viseme("_:") == phoneme_viseme("_") == phoneme_viseme(";") == "sil"


def test_without_a_phoneme_track_the_mouth_spells_the_words_as_before():
    spelled = Speech("Mama", 1.0)
    assert _at(spelled, 0.05).get("mouthClose", 0.0) > 0.2  # the first m, from the letters
    assert Speech("Mama", 1.0, phonemes=[(0.0, "_")])._track == spelled._track  # a pause alone is no track


def test_a_broken_or_missing_phoneme_file_reads_as_no_track(tmp_path):
    audio = tmp_path / "line.wav"
    assert ph.read_phonemes(audio) == ()
    ph.phonemes_path(audio).write_text("{not json", encoding="utf-8")
    assert ph.read_phonemes(audio) == ()
    ph.phonemes_path(audio).write_text(json.dumps({"format": 1, "phonemes": [[0.5, "m"], [0.1, "a"]]}), encoding="utf-8")
    assert ph.read_phonemes(audio) == ()  # out of order: not trusted
    assert ph.read_phonemes(None) == ()


@needs_espeak
def test_espeak_voices_a_line_with_its_phonemes_timed_to_the_audio_written(tmp_path):
    import wave

    audio = tmp_path / "mom.wav"
    track = ph.voice_with_phonemes("Mom bought a pie.", audio, voice="en-us+m3", pitch=40)
    with wave.open(str(audio), "rb") as w:
        seconds = w.getnframes() / w.getframerate()
    names = [p for _, p in track]
    assert names[:3] == ["m", "0", "m"] and "b" in names and "p" in names and "aI" in names
    assert all(0.0 <= t <= seconds + 1e-3 for t, _ in track) and track == sorted(track, key=lambda x: x[0])
    assert ph.read_phonemes(audio) == tuple(track)
    speech = Speech("Mom bought a pie.", seconds, phonemes=list(track))
    ends = [t for t, _ in track[1:]] + [seconds]
    for (start, p), end in zip(track, ends):
        w = _at(speech, (start + end) / 2)
        if p == "m" and end - start >= 0.06:
            assert w.get("mouthClose", 0.0) >= 0.3 and w.get("jawOpen", 0.0) <= 0.15, (p, start, w)
        if p in ("aI", "O:") and end - start >= 0.1:
            assert w.get("jawOpen", 0.0) >= 0.3, (p, start, w)


@needs_espeak
def test_the_voice_line_tool_keeps_each_lines_phonemes_beside_its_audio(tmp_path):
    scenario = ROOT / "tests" / "fixtures" / "journals" / "scenarios" / "juvenile_shoplifter_short.yaml"
    run = [sys.executable, str(ROOT / "tools" / "make_voice_lines.py"), str(scenario), "--out", str(tmp_path / "assets")]
    done = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    wavs = sorted((tmp_path / "assets" / "voices").glob("*.wav"))
    assert wavs and all(ph.read_phonemes(w) for w in wavs)
    ph.phonemes_path(wavs[0]).unlink()  # a line voiced before phonemes were kept: voiced again, with them
    again = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert "1 line(s) voiced" in again.stdout and ph.read_phonemes(wavs[0])
