"""Speech from text with espeak-ng (Debian's ``espeak-ng``; on Windows and macOS the
eSpeak NG installer or Homebrew): the subject's default voice lines, and the test audio.

Clean synthetic audio is unrepresentative of a microphone (digital silence, no room):
:func:`with_noise` mixes noise at a fixed seed, as the tests and the benchmark do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

import numpy as np

from game.voice.audio import RATE, read_wav


def espeak() -> str | None:
    """The espeak-ng program, or None when it is not installed."""
    return shutil.which("espeak-ng") or shutil.which("espeak")


def synthesize_wav(text: str, path: str | os.PathLike[str], *, voice: str = "en-us", speed: int = 150,
                   pitch: int = 50, amplitude: int = 100) -> None:
    """Writes ``text`` spoken by espeak-ng to the WAV file ``path``. Raises ``RuntimeError`` without espeak-ng."""
    exe = espeak()
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (Debian/Ubuntu: apt install espeak-ng)")
    subprocess.run([exe, "-v", voice, "-s", str(speed), "-p", str(pitch), "-a", str(amplitude), "-w",
                    os.fspath(path), text], check=True, capture_output=True, timeout=30)


def flite() -> str | None:
    """The flite program (Debian's ``flite``), or None when it is not installed."""
    return shutil.which("flite")


def synthesize_flite_wav(text: str, path: str | os.PathLike[str], *, voice: str = "rms", pitch_hz: int | None = None,
                         stretch: float = 1.0, gain_db: float = 0.0) -> None:
    """Writes ``text`` spoken by flite (``voice``: slt, rms, awb, kal16; mean pitch in Hz,
    duration stretch, gain in dB, kept below clipping) to the 16 kHz WAV file ``path``."""
    from game.voice.audio import write_wav

    exe = flite()
    if exe is None:
        raise RuntimeError("flite is not installed (Debian/Ubuntu: apt install flite)")
    fd, raw = tempfile.mkstemp(suffix=".wav")
    os.close(fd)
    try:
        cmd = [exe, "-voice", voice, "--setf", f"duration_stretch={stretch}"]
        if pitch_hz:
            cmd += ["--setf", f"int_f0_target_mean={pitch_hz}"]
        subprocess.run(cmd + ["-t", text, "-o", raw], check=True, capture_output=True, timeout=30)
        x = np.frombuffer(read_wav(raw), dtype="<i2").astype(np.float64)
        peak = np.abs(x).max() if len(x) else 0.0
        if peak > 0:  # every line at the same peak (-8.7 dBFS, headroom for a shout), then the tone's gain
            x *= min(32000.0, 12000.0 * 10 ** (gain_db / 20)) / peak
        write_wav(path, x.astype("<i2").tobytes())
    finally:
        os.unlink(raw)


def synthesize(text: str, **kwargs) -> bytes:
    """``text`` spoken by espeak-ng as 16 kHz mono 16-bit audio."""
    fd, path = tempfile.mkstemp(suffix=".wav")
    os.close(fd)
    try:
        synthesize_wav(text, path, **kwargs)
        return read_wav(path)
    finally:
        os.unlink(path)


def with_noise(pcm: bytes, *, snr_db: float = 25.0, seed: int = 0, gain_db: float = 0.0,
               lead: float = 0.5, tail: float = 0.8, noise_db: float = -60.0) -> bytes:
    """``pcm`` scaled by ``gain_db``, with ``lead``/``tail`` seconds around it, and white
    noise mixed in at ``snr_db`` below the speech (and at least ``noise_db`` dBFS, so the
    pauses are never digital silence). Deterministic for a ``seed``."""
    rng = np.random.default_rng(seed)
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64) * 10 ** (gain_db / 20)
    voiced = x[np.abs(x) > 0.01 * (np.abs(x).max() or 1)]
    power = float(np.mean(voiced ** 2)) if len(voiced) else 1.0
    sigma = max(np.sqrt(power / 10 ** (snr_db / 10)), 32768 * 10 ** (noise_db / 20))
    x = np.concatenate([np.zeros(int(lead * RATE)), x, np.zeros(int(tail * RATE))])
    x = x + rng.normal(0.0, sigma, len(x))
    return np.clip(x, -32768, 32767).astype("<i2").tobytes()
