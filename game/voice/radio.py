"""The police radio's sound: what a voice sounds like over the trainee's radio (the
instructor speaking as dispatch; the dispatcher's briefing later).

A land-mobile radio passes speech only, roughly 300-3400 Hz, through a compressor (every
word arrives at about the same loudness) with a little hiss and a squelch tail. Here:

- a linear-phase FIR band-pass (windowed sinc, Blackman, :data:`TAPS` taps: ~74 dB down in
  the stop bands, ~0.35 kHz transitions), run by overlap so audio can stream in chunks;
- a feed-forward compressor on 10 ms frames (threshold, ratio, attack/release, make-up);
- white hiss at :data:`HISS_DB` below full scale, band-limited by the same filter, from a
  seeded generator (the same input gives the same output).

Pure numpy, no device: :class:`RadioFilter` streams (the live microphone), :func:`radio`
does a whole recording (a replay, the tests). 16 kHz mono 16-bit, as the rest of ``game.voice``.
"""

from __future__ import annotations

import math

import numpy as np

from game.voice.audio import RATE

LOW_HZ = 300.0
HIGH_HZ = 3400.0
TAPS = 511
#: The compressor: above THRESHOLD_DB (dBFS) the level rises 1/RATIO as fast; MAKEUP_DB after.
THRESHOLD_DB = -30.0
RATIO = 4.0
MAKEUP_DB = 12.0
ATTACK_S = 0.005
RELEASE_S = 0.12
FRAME = 160  # 10 ms at 16 kHz
HISS_DB = -50.0


def band_pass(taps: int = TAPS, low: float = LOW_HZ, high: float = HIGH_HZ, rate: int = RATE) -> np.ndarray:
    """The FIR band-pass's coefficients (odd length, linear phase, unity gain mid-band)."""
    n = np.arange(taps) - (taps - 1) / 2

    def low_pass(fc: float) -> np.ndarray:
        return 2 * fc / rate * np.sinc(2 * fc / rate * n)

    h = (low_pass(high) - low_pass(low)) * np.blackman(taps)
    mid = 2 * math.pi * math.sqrt(low * high) / rate
    gain = abs(np.sum(h * np.exp(-1j * mid * np.arange(taps))))
    return h / gain


class RadioFilter:
    """Streams audio through the radio: :meth:`process` takes any chunk of 16-bit bytes and
    returns as many bytes (delayed by half the filter, ~16 ms); :meth:`flush` the rest."""

    def __init__(self, *, seed: int = 0, hiss_db: float = HISS_DB) -> None:
        self.h = band_pass()
        self._tail = np.zeros(len(self.h) - 1)
        self._rng = np.random.default_rng(seed)
        self._hiss = 32768.0 * 10 ** (hiss_db / 20)
        self._level = -120.0  # the compressor's envelope, dBFS
        self._pending = np.zeros(0)  # filtered samples not yet a whole compressor frame
        self._attack = math.exp(-FRAME / RATE / ATTACK_S)
        self._release = math.exp(-FRAME / RATE / RELEASE_S)

    def _filter(self, x: np.ndarray) -> np.ndarray:
        x = x + self._rng.normal(0.0, self._hiss, len(x))
        y = np.convolve(np.concatenate([self._tail, x]), self.h, mode="valid")
        self._tail = np.concatenate([self._tail, x])[-(len(self.h) - 1):]
        return y

    def _compress(self, y: np.ndarray) -> np.ndarray:
        data = np.concatenate([self._pending, y])
        n = len(data) // FRAME * FRAME
        out = np.empty(n)
        for i in range(0, n, FRAME):
            frame = data[i:i + FRAME]
            rms = math.sqrt(float(np.mean(frame * frame))) / 32768.0
            level = 20 * math.log10(rms) if rms > 1e-6 else -120.0
            k = self._attack if level > self._level else self._release
            self._level = k * self._level + (1 - k) * level
            over = max(0.0, self._level - THRESHOLD_DB)
            gain_db = MAKEUP_DB - over * (1 - 1 / RATIO)
            out[i:i + FRAME] = frame * 10 ** (gain_db / 20)
        self._pending = data[n:]
        return out

    def process(self, chunk: bytes) -> bytes:
        """``chunk`` (16 kHz mono 16-bit) over the radio; whole 10 ms frames come out, the
        rest with the next chunk."""
        x = np.frombuffer(chunk, dtype="<i2").astype(np.float64)
        out = self._compress(self._filter(x))
        return np.clip(np.round(out), -32768, 32767).astype("<i2").tobytes()

    def flush(self) -> bytes:
        """What the filter still holds (its delay and a partial frame), as if silence followed."""
        return self.process(np.zeros(len(self.h) // 2 + FRAME, dtype="<i2").tobytes())


def radio(pcm: bytes, *, seed: int = 0, hiss_db: float = HISS_DB) -> bytes:
    """A whole recording over the radio, aligned with the input (the filter's delay taken
    out) and as long as it."""
    f = RadioFilter(seed=seed, hiss_db=hiss_db)
    out = f.process(pcm) + f.flush()
    delay = 2 * (len(f.h) // 2)
    return out[delay:delay + len(pcm) - len(pcm) % 2]
