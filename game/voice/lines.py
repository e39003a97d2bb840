"""The subject's spoken lines as audio: which file plays for a ``SubjectSaid``.

A scenario's own recording (``audio:`` beside the line's text, relative to the scenario
file) is preferred; else the line voiced by ``tools/make_voice_lines.py`` with espeak-ng
in the subject's voice, cached under ``assets/voices/``; else nothing (the subtitle alone).
Pure: no engine, no device.
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


@dataclass(frozen=True, slots=True)
class SubjectVoice:
    voice: str
    pitch: int
    speed: int


#: Emotion through prosody: (words a minute, pitch, amplitude) added to the subject's
#: voice for a line said in each tone (espeak-ng's -s, -p and -a; amplitude 100 is normal).
TONE_PROSODY = {"calm": (-15, -6, -25), "normal": (0, 0, 0), "shout": (30, 14, 80)}


def prosody(voice: SubjectVoice, tone: str) -> dict[str, int]:
    """espeak-ng's speed, pitch and amplitude for ``voice`` speaking in ``tone``."""
    ds, dp, da = TONE_PROSODY.get(tone, (0, 0, 0))
    return {"voice": voice.voice, "speed": voice.speed + ds, "pitch": max(0, min(99, voice.pitch + dp)),
            "amplitude": 100 + da}


def subject_voice(scenario_id: str, subject_id: str) -> SubjectVoice:
    """The subject's generated voice: the same for the same scenario and subject, everywhere."""
    digest = hashlib.sha256(f"{scenario_id}:{subject_id}".encode()).digest()
    return SubjectVoice(*SUBJECT_VOICES[digest[0] % len(SUBJECT_VOICES)])


def voice_line_name(text: str, voice: SubjectVoice, tone: str = "normal") -> str:
    """The cached file's name for ``text`` in ``voice`` (relative to ``assets/``)."""
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
        generated = folder / voice_line_name(text, voice, t)
        if generated.is_file():
            return generated
    return None
