"""Plain audio helpers (numpy only): reading WAV files as 16 kHz mono 16-bit, levels."""

from __future__ import annotations

import math
import os
import wave

import numpy as np

#: What the recogniser hears: 16 kHz, mono, 16-bit signed.
RATE = 16000


def to_pcm16(samples: np.ndarray, rate: int) -> bytes:
    """``samples`` (float in -1..1 or int16; mono, or frames × channels) as 16 kHz mono 16-bit bytes."""
    x = np.asarray(samples)
    if x.dtype == np.int16:
        x = x.astype(np.float64) / 32768.0
    x = x.astype(np.float64)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if rate != RATE and len(x):
        n = int(round(len(x) * RATE / rate))
        x = np.interp(np.arange(n) * (rate / RATE), np.arange(len(x)), x)
    return (np.clip(x, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def read_wav(path: str | os.PathLike[str]) -> bytes:
    """A WAV file (8/16/32-bit PCM, any rate, any channels) as 16 kHz mono 16-bit bytes.
    Raises ``ValueError`` with the reason for a file it cannot read."""
    from game.content.located import not_plain_file

    refused = not_plain_file(path)  # a FIFO or a device would block or never end
    if refused:
        raise ValueError(refused)
    try:
        with wave.open(os.fspath(path), "rb") as w:
            width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"not a PCM WAV file ({exc})") from None
    dtype = {1: np.uint8, 2: np.int16, 4: np.int32}.get(width)
    if dtype is None:
        raise ValueError(f"{8 * width}-bit samples are not supported (8, 16 or 32-bit PCM)")
    x = np.frombuffer(raw, dtype=dtype).astype(np.float64)
    x = (x - 128.0) / 128.0 if width == 1 else x / float(2 ** (8 * width - 1))
    return to_pcm16(x.reshape(-1, channels) if channels > 1 else x, rate)


def write_wav(path: str | os.PathLike[str], pcm: bytes) -> None:
    """Writes 16 kHz mono 16-bit ``pcm`` as a WAV file."""
    with wave.open(os.fspath(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm)


def level_db(pcm: bytes) -> float:
    """The RMS level of 16-bit audio in dB below full scale (-120 for silence)."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    if not len(x):
        return -120.0
    rms = math.sqrt(float(np.mean(x * x))) / 32768.0
    return 20.0 * math.log10(rms) if rms > 1e-6 else -120.0


def speech_level_db(pcm: bytes, frame: int = 480) -> float:
    """The level of the loud part of an utterance: the mean of its loudest half of 30 ms
    frames, so pauses between words do not make a shout sound calm."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    n = len(x) // frame
    if n == 0:
        return level_db(pcm)
    power = (x[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    loud = np.sort(power)[n // 2:]
    rms = math.sqrt(float(loud.mean())) / 32768.0
    return 20.0 * math.log10(rms) if rms > 1e-6 else -120.0
