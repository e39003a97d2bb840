"""The subject's spoken lines as audio: which file plays for a ``SubjectSaid``.

A scenario's own recording (``audio:`` beside the line's text, relative to the scenario
file) is preferred; else the line voiced by ``tools/make_voice_lines.py`` in the subject's
voice, cached under ``assets/voices/``; else nothing (the subtitle alone). Pure: no
engine, no device.

Two synthesizers, both Debian packages with Windows builds: flite (CMU's, BSD-style
licence; its slt and rms voices) and espeak-ng (GPL-3.0, used as a program). espeak-ng is
the default because its phonemes time the subject's mouth; flite (``make_voice_lines.py
--engine flite``) is the better-understood voice: Whisper understood it better (word error 0.09
slt / 0.10 rms against 0.14 / 0.23 for espeak-ng's en-us+m3 / en-gb+f2 on twelve subject
lines; docs/benchmarks.md) and it sounds less buzzy; espeak-ng has more voices.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

#: espeak-ng voices a subject may get: (voice, pitch 0-99, words a minute).
SUBJECT_VOICES = (
    ("en-us+m3", 40, 150), ("en-us+m7", 35, 145), ("en-gb+m1", 45, 155), ("en-us+f3", 60, 150),
    ("en-gb+f2", 65, 155), ("en-us+m5", 30, 140), ("en-029+m2", 45, 150), ("en-us+f4", 55, 145),
)


#: The same subjects' voices in flite, index for index (a man stays a man): (flite voice,
#: mean pitch in Hz, duration stretch: above 1 is slower).
FLITE_VOICES = (
    ("rms", 100, 1.0), ("rms", 92, 1.05), ("awb", 112, 0.97), ("slt", 180, 1.0),
    ("slt", 195, 0.97), ("rms", 86, 1.08), ("awb", 104, 1.0), ("slt", 170, 1.04),
)


@dataclass(frozen=True, slots=True)
class SubjectVoice:
    voice: str
    pitch: int
    speed: int
    #: the same voice in flite: (voice, mean pitch Hz, duration stretch)
    flite: tuple[str, int, float] = ("rms", 100, 1.0)


#: Emotion through prosody: (words a minute, pitch, amplitude) added to the subject's
#: voice for a line said in each tone (espeak-ng's -s, -p and -a; amplitude 100 is normal).
TONE_PROSODY = {"calm": (-15, -6, -25), "normal": (0, 0, 0), "shout": (30, 14, 80)}
#: The same in flite: (duration stretch times, pitch times, gain dB).
FLITE_TONE_PROSODY = {"calm": (1.12, 0.92, -4.0), "normal": (1.0, 1.0, 0.0), "shout": (0.85, 1.25, 6.0)}
ENGINES = ("flite", "espeak")


def line_engine() -> str:
    """The synthesizer the line tool uses by default here: espeak-ng when installed (its
    phonemes move the subject's mouth, :mod:`game.voice.phonemes`), else flite."""
    from game.voice.synth import espeak, flite

    return "espeak" if espeak() is not None or flite() is None else "flite"


def prosody(voice: SubjectVoice, tone: str) -> dict[str, int]:
    """espeak-ng's speed, pitch and amplitude for ``voice`` speaking in ``tone``."""
    ds, dp, da = TONE_PROSODY.get(tone, (0, 0, 0))
    return {"voice": voice.voice, "speed": voice.speed + ds, "pitch": max(0, min(99, voice.pitch + dp)),
            "amplitude": 100 + da}


def flite_prosody(voice: SubjectVoice, tone: str) -> dict[str, object]:
    """flite's voice, mean pitch, duration stretch and gain for ``voice`` speaking in ``tone``."""
    stretch, pitch, gain = FLITE_TONE_PROSODY.get(tone, (1.0, 1.0, 0.0))
    name, f0, dur = voice.flite
    return {"voice": name, "pitch_hz": round(f0 * pitch), "stretch": round(dur * stretch, 3), "gain_db": gain}


def subject_voice(scenario_id: str, subject_id: str) -> SubjectVoice:
    """The subject's generated voice: the same for the same scenario and subject, everywhere."""
    digest = hashlib.sha256(f"{scenario_id}:{subject_id}".encode()).digest()
    k = digest[0] % len(SUBJECT_VOICES)
    return SubjectVoice(*SUBJECT_VOICES[k], FLITE_VOICES[k])


def voice_line_name(text: str, voice: SubjectVoice, tone: str = "normal", engine: str | None = None) -> str:
    """The cached file's name for ``text`` in ``voice`` by ``engine`` (None: the one the
    line tool uses here), relative to ``assets/``."""
    engine = engine or line_engine()
    if engine == "flite":
        name, f0, dur = voice.flite
        key = f"flite|{name}|{f0}|{dur}|{tone}|{text}".encode()
    else:
        key = f"{voice.voice}|{voice.pitch}|{voice.speed}|{tone}|{text}".encode()
    return f"voices/{hashlib.sha256(key).hexdigest()[:16]}.wav"


def voices_dir() -> Path:
    from game.content.library import package_dir

    return package_dir("assets")


def audio_for(event: object, scenario_id: str, scenario_source: str | os.PathLike[str],
              assets: Path | None = None) -> Path | None:
    """The file to play for a ``SubjectSaid`` ``event``, or None (subtitle only)."""
    audio = getattr(event, "audio", "")
    if audio:
        recorded = Path(scenario_source).parent / audio
        if recorded.is_file():
            return recorded
    text = getattr(event, "text", "")
    if not text or getattr(event, "narration", False):
        return None  # narration is acted and shown, never voiced
    voice = subject_voice(scenario_id, getattr(event, "subject", ""))
    folder = assets or voices_dir()
    tone = getattr(event, "tone", "normal")
    for t in dict.fromkeys((tone, "normal")):  # the line in its tone, else as said normally
        for engine in ENGINES:  # whichever synthesizer made the cache
            generated = folder / voice_line_name(text, voice, t, engine)
            if generated.is_file():
                return generated
    return None
