"""Voice-activity detection with Silero VAD (MIT), run by onnxruntime, and an endpointer
on it for the free-speech path.

The model is the one faster-whisper ships (``faster_whisper/assets/silero_vad_v6.onnx``,
1.2 MB), so the ``speech`` extra brings it and nothing is downloaded; ``TALKDOWN_VAD_MODEL``
may name another copy. (The ``silero-vad`` package itself requires PyTorch, ~800 MB, for
the same model: not used.) The grammar-only path keeps pocketsphinx's endpointer.

:class:`SileroEndpointer` has the interface of ``pocketsphinx.Endpointer`` that the
listener uses (``frame_bytes``, ``process``, ``in_speech``, ``speech_start``,
``speech_end``, ``end_stream``), and also says how long the speaker has been silent
inside an utterance (``silent_s``), so the listener can start recognising at the first
pause, before the utterance is over.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from game.voice.audio import RATE
from game.voice.understand import SpeechUnavailable

#: A pause this long inside an utterance starts recognition early (the listener's ``early``):
#: three frames, well inside the endpointer's wait of eight.
EARLY_S = 0.096
#: Samples per frame the model takes at 16 kHz (32 ms), and the context it needs before them.
FRAME = 512
CONTEXT = 64


def vad_model_path() -> Path:
    configured = os.environ.get("TALKDOWN_VAD_MODEL", "")
    if configured:
        if not Path(configured).is_file():
            raise SpeechUnavailable(f"TALKDOWN_VAD_MODEL={configured}: no such file")
        return Path(configured)
    try:
        import faster_whisper
    except ImportError:
        raise SpeechUnavailable("voice-activity detection needs faster-whisper's Silero model: "
                                "pip install 'talkdown[speech]'") from None
    path = Path(faster_whisper.__file__).parent / "assets" / "silero_vad_v6.onnx"
    if not path.is_file():
        raise SpeechUnavailable(f"faster-whisper has no Silero VAD model at {path}")
    return path


class SileroVad:
    """Speech probability per 32 ms frame of 16 kHz audio, with the model's state carried
    from frame to frame (one stream)."""

    def __init__(self) -> None:
        try:
            import onnxruntime as ort
        except ImportError:
            raise SpeechUnavailable("voice-activity detection needs onnxruntime: pip install 'talkdown[speech]'") from None
        path = vad_model_path()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(os.fspath(path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime's own error for a file it cannot read
            raise SpeechUnavailable(f"the Silero VAD model ({path}) could not be loaded") from exc
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros((1, CONTEXT), dtype=np.float32)

    def __call__(self, frame: bytes) -> float:
        """The probability (0..1) that ``frame`` (512 samples, 16-bit) is speech."""
        x = (np.frombuffer(frame, dtype="<i2").astype(np.float32) / 32768.0)[None, :]
        out, self._h, self._c = self.session.run(None, {"input": np.concatenate([self._context, x], axis=1),
                                                        "h": self._h, "c": self._c})
        self._context = x[:, -CONTEXT:]
        return float(np.ravel(out)[0])


class SileroEndpointer:
    """Where utterances start and end: speech starts after ``start_s`` of frames above
    ``on`` and ends after ``window`` seconds below ``off`` (hysteresis, so a soft syllable
    does not end it). Times are seconds of audio since this endpointer began."""

    def __init__(self, *, window: float = 0.256, start_s: float = 0.064, on: float = 0.5, off: float = 0.35,
                 vad: SileroVad | None = None) -> None:
        self.vad = vad or SileroVad()
        self.vad.reset()
        self.frame_bytes = 2 * FRAME
        self.frame_length = FRAME / RATE
        self.window, self.on, self.off = window, on, off
        self._start_frames = max(1, round(start_s / self.frame_length))
        self._end_frames = max(1, round(window / self.frame_length))
        self.in_speech = False
        self.speech_start = 0.0
        self.speech_end = 0.0
        self._frames = 0  # frames processed
        self._loud = 0  # consecutive frames above `on` (before speech)
        self._quiet = 0  # consecutive frames below `off` (in speech)
        self._held: list[bytes] = []  # frames heard before speech was sure
        #: frames of speech in the current utterance (a caller's way to see that speech resumed)
        self.speech_frames = 0

    @property
    def silent_s(self) -> float:
        """Seconds since the last speech frame, inside an utterance (0 outside one)."""
        return self._quiet * self.frame_length if self.in_speech else 0.0

    def process(self, frame: bytes) -> bytes | None:
        """One frame (``frame_bytes``); returns audio while in speech (the frames that
        started it, all at once, then each frame; the last when speech ends), else None."""
        p = self.vad(frame)
        self._frames += 1
        now = self._frames * self.frame_length
        if not self.in_speech:
            if p >= self.on:
                self._loud += 1
                self._held.append(frame)
                if self._loud >= self._start_frames:
                    self.in_speech = True
                    self.speech_frames = self._loud
                    self._quiet = 0
                    self.speech_start = now - self._loud * self.frame_length
                    out, self._held, self._loud = b"".join(self._held), [], 0
                    return out
            else:
                self._loud, self._held = 0, []
            return None
        if p < self.off:
            self._quiet += 1
        else:
            self._quiet = 0
            self.speech_frames += 1
        if self._quiet >= self._end_frames:
            self.in_speech = False
            self.speech_end = now - self._quiet * self.frame_length
            self._quiet = 0
        return frame

    def end_stream(self, frame: bytes) -> bytes | None:
        """The end of the audio (``frame``: what is left, shorter than a frame): speech
        still open ends here."""
        if not self.in_speech:
            return None
        self.in_speech = False
        self.speech_end = self._frames * self.frame_length + len(frame) / (2 * RATE)
        return frame
