"""A voiced line's phonemes and when each begins: espeak-ng's own, written beside the line's
audio when the voice-line cache is built, so the subject's mouth shapes the sounds it makes.

:func:`voice_with_phonemes` speaks a line through the espeak-ng library (``libespeak-ng``,
through ctypes) and keeps both the audio and the phoneme events it reports (espeak-ng's
``espeakINITIALIZE_PHONEME_EVENTS``), so the times are those of the very samples written.
The track is a small JSON file beside the WAV (:func:`phonemes_path`); :func:`read_phonemes`
reads it back. Without the library (another platform, espeak-ng missing) the cache holds
the audio alone and the face falls back to the audio's loudness and the line's spelling.

Phonemes are espeak-ng's mnemonics (``m``, ``0``, ``O:``, ``aI``, ``_:`` a pause ...), as
``espeak-ng -x`` prints them.
"""

from __future__ import annotations

import array
import ctypes
import ctypes.util
import functools
import json
import os
import sys
import threading
import wave
from pathlib import Path

FORMAT = 1
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_PHONEME_EVENTS = 0x0001
_INITIALIZE_DONT_EXIT = 0x8000
_EVENT_LIST_TERMINATED, _EVENT_PHONEME = 0, 7
_RATE, _VOLUME, _PITCH = 1, 2, 3


class _Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


class _Engine:
    """The espeak-ng library, initialised once for synchronous synthesis with phoneme events."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None,
                                          _INITIALIZE_PHONEME_EVENTS | _INITIALIZE_DONT_EXIT)
        if self.rate <= 0:
            raise OSError("espeak-ng did not start")
        self.samples: list[int] = []
        self.events: list[tuple[int, str]] = []
        self._callback = _CALLBACK(self._heard)  # kept alive as long as the library may call it
        lib.espeak_SetSynthCallback(self._callback)
        self.lock = threading.Lock()

    def _heard(self, wav, count, events) -> int:
        if count > 0:
            self.samples.extend(wav[:count])
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            e = events[i]
            if e.type == _EVENT_PHONEME:
                self.events.append((int(e.sample), e.id.decode("ascii", "replace").rstrip("\x00")))
            i += 1
        return 0

    def speak(self, text: str, voice: str, speed: int, pitch: int, amplitude: int) -> tuple[list[int], list[tuple[int, str]]]:
        with self.lock:
            self.samples, self.events = [], []
            if self.lib.espeak_SetVoiceByName(voice.encode("utf-8")) != 0:
                raise ValueError(f"espeak-ng has no voice {voice!r}")
            self.lib.espeak_SetParameter(_RATE, int(speed), 0)
            self.lib.espeak_SetParameter(_PITCH, int(pitch), 0)
            self.lib.espeak_SetParameter(_VOLUME, int(amplitude), 0)
            data = text.encode("utf-8")
            self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, 0, None, None)
            self.lib.espeak_Synchronize()
            return self.samples, self.events


@functools.lru_cache(maxsize=1)
def _engine() -> _Engine | None:
    names = [ctypes.util.find_library("espeak-ng"), "libespeak-ng.so.1", "libespeak-ng.dll", "libespeak-ng.dylib"]
    for name in names:
        if not name:
            continue
        try:
            return _Engine(ctypes.CDLL(name))
        except (OSError, AttributeError):
            continue
    return None


def available() -> bool:
    """Whether the espeak-ng library can be loaded here (phoneme timings can be made)."""
    return _engine() is not None


def phonemes_path(audio: str | os.PathLike[str]) -> Path:
    """Where the phoneme track of the line in ``audio`` (a WAV) is kept: beside it."""
    p = Path(audio)
    return p.with_name(p.stem + ".phonemes.json")


def voice_with_phonemes(text: str, path: str | os.PathLike[str], *, voice: str = "en-us", speed: int = 150,
                        pitch: int = 50, amplitude: int = 100) -> list[tuple[float, str]]:
    """Writes ``text`` spoken by espeak-ng to the WAV ``path`` and its phoneme track beside it;
    returns the track ((start seconds, phoneme), in order). Raises ``RuntimeError`` without
    the library (use :func:`game.voice.synth.synthesize_wav` then)."""
    engine = _engine()
    if engine is None:
        raise RuntimeError("the espeak-ng library (libespeak-ng) cannot be loaded")
    samples, events = engine.speak(text, voice, speed, pitch, amplitude)
    path = Path(path)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(engine.rate)
        pcm = array.array("h", samples)
        if sys.byteorder == "big":
            pcm.byteswap()
        w.writeframes(pcm.tobytes())
    track = [(round(sample / engine.rate, 4), ph) for sample, ph in events]
    doc = {"format": FORMAT, "text": text, "seconds": round(len(samples) / engine.rate, 4),
           "phonemes": [[t, ph] for t, ph in track]}
    phonemes_path(path).write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    return track


@functools.lru_cache(maxsize=256)
def _read(path: str, mtime: float) -> tuple[tuple[float, str], ...]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT:
            return ()
        out = tuple((float(t), str(ph)) for t, ph in doc["phonemes"])
    except (OSError, ValueError, KeyError, TypeError):
        return ()
    return out if all(a[0] <= b[0] for a, b in zip(out, out[1:])) else ()


def read_phonemes(audio: str | os.PathLike[str] | None) -> tuple[tuple[float, str], ...]:
    """The phoneme track kept beside ``audio``: ((start seconds, phoneme), ...) in order; empty
    when there is none or it cannot be read (the face then follows the loudness)."""
    if audio is None:
        return ()
    p = phonemes_path(audio)
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return ()
    return _read(str(p), mtime)
