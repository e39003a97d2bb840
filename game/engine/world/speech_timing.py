"""How long a subject's line lasts and how loud it is over time, for the mouth: the audio
file's own length and loudness envelope where it has one (WAV), else an estimate from the
words at a conversational rate."""

from __future__ import annotations

import functools
import wave
from pathlib import Path

import numpy as np

HOP = 0.02  # seconds per envelope sample
CHARS_PER_SECOND = 14.0


def estimated_seconds(text: str) -> float:
    """A line's length when there is no audio: ~14 characters a second, pauses at punctuation."""
    pauses = sum(text.count(c) for c in ",;:") * 0.18 + sum(text.count(c) for c in ".!?") * 0.3
    return max(0.5, 0.25 + len(text) / CHARS_PER_SECOND + pauses)


@functools.lru_cache(maxsize=256)
def wav_timing(path: str) -> tuple[float, tuple[float, ...]]:
    """(seconds, loudness 0..1 every :data:`HOP` seconds) of a WAV file; (0, ()) if unreadable."""
    try:
        with wave.open(path, "rb") as w:
            rate, width, channels, frames = w.getframerate(), w.getsampwidth(), w.getnchannels(), w.getnframes()
            data = w.readframes(frames)
    except (OSError, EOFError, wave.Error):
        return 0.0, ()
    kind = {1: np.uint8, 2: np.int16, 4: np.int32}.get(width)
    if kind is None or rate <= 0:
        return 0.0, ()
    samples = np.frombuffer(data[: len(data) - len(data) % (width * channels)], dtype=kind).astype(np.float64)
    if width == 1:
        samples -= 128.0
    samples = samples.reshape(-1, channels).mean(axis=1)
    step = max(1, int(rate * HOP))
    n = len(samples) // step
    if n == 0:
        return frames / float(rate), ()
    levels = np.sqrt((samples[: n * step].reshape(n, step) ** 2).mean(axis=1))
    top = float(levels.max()) or 1.0
    return frames / float(rate), tuple(round(float(v) / top, 4) for v in levels)


def line_timing(audio: Path | None, spoken: str) -> tuple[float, tuple[float, ...]]:
    """(seconds, envelope) for a line: from its audio when that is a readable WAV."""
    if audio is not None and audio.suffix.lower() == ".wav":
        seconds, env = wav_timing(str(audio))
        if seconds > 0:
            return seconds, env
    return estimated_seconds(spoken), ()
