"""The microphone: sounddevice (PortAudio) capture at 16 kHz into the streaming listener,
on a worker thread, with push-to-talk or voice-activity detection, and a calibration
step for the trainee's normal speaking level.

:class:`VoiceInput` is an input provider like the keyboard: before each simulation step
it submits the ``Say`` (or ``SpeechHeard``) events of utterances finished since the
last one. Without a microphone, :func:`open_voice` raises :class:`MicrophoneUnavailable`
with one line saying why; the runner prints it and the keys still work.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from game.voice.audio import RATE


class MicrophoneUnavailable(RuntimeError):
    """No usable microphone (no PortAudio, no input device, the device would not open)."""


def _sounddevice() -> Any:
    try:
        import sounddevice
    except ImportError:
        raise MicrophoneUnavailable("sounddevice is not installed (pip install 'talkdown[voice]')") from None
    except OSError:  # the module is there but PortAudio is not
        raise MicrophoneUnavailable("PortAudio is not installed (Debian/Ubuntu: apt install libportaudio2)") from None
    return sounddevice


def input_devices() -> list[str]:
    """The names of the input devices PortAudio sees (empty without any)."""
    sd = _sounddevice()
    try:
        return [d["name"] for d in sd.query_devices() if d.get("max_input_channels", 0) > 0]
    except Exception:  # PortAudioError when the host has no audio system at all
        return []


class Microphone:
    """A 16 kHz mono 16-bit input stream; chunks of 30 ms go to ``on_audio`` (called on
    PortAudio's thread: keep it short)."""

    def __init__(self, on_audio: Callable[[bytes], Any], device: int | str | None = None) -> None:
        sd = _sounddevice()
        if not input_devices():
            raise MicrophoneUnavailable("no microphone found (no audio input device)")
        try:
            self._stream = sd.RawInputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=480, device=device,
                                             callback=lambda data, frames, t, status: on_audio(bytes(data)))
            self._stream.start()
        except Exception as exc:  # PortAudioError, or ValueError for an unknown device
            raise MicrophoneUnavailable(f"the microphone could not be opened ({exc})") from None

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class VoiceInput:
    """Listens on a worker thread and hands finished utterances to the simulation.

    ``talking``: a callable saying whether push-to-talk is held (the desk's P, the
    headset's push-to-talk action), or None for voice-activity detection alone. With
    push-to-talk, audio counts only while it is held, and letting go ends the utterance.
    """

    def __init__(self, listener: Any, *, talking: Callable[[], bool] | None = None) -> None:
        self.listener = listener
        self.talking = talking
        self.heard: list[Any] = []  # every utterance, for the HUD and the tests
        self._audio: queue.Queue[tuple[bytes, bool] | None] = queue.Queue()
        self._events: queue.Queue[Any] = queue.Queue()
        self._held = False
        self._thread = threading.Thread(target=self._work, name="talkdown-voice", daemon=True)
        self._thread.start()

    def push(self, chunk: bytes) -> None:
        """Audio from the microphone (any thread); whether push-to-talk is held is noted now,
        as the audio arrives, not when the worker gets to it."""
        self._audio.put((chunk, self.talking() if self.talking is not None else True))

    def _work(self) -> None:
        while True:
            item = self._audio.get()
            if item is None:
                return
            chunk, held = item
            found = []
            if held:
                found = self.listener.feed(chunk)
            elif self._held:
                found = self.listener.release()
            self._held = held
            for u in found:
                self._events.put(u)

    def feed(self, sim: Any) -> None:
        """Before each step: submits what was said since the last step."""
        while True:
            try:
                u = self._events.get_nowait()
            except queue.Empty:
                return
            self.heard.append(u)
            for event in u.events():
                sim.submit(event)

    def close(self) -> None:
        self._audio.put(None)
        self._thread.join(timeout=2.0)


def calibrate(listener: Any, seconds: float = 4.0, *, device: int | str | None = None,
              out: Callable[[str], Any] = print) -> float:
    """Asks the trainee to speak normally for ``seconds`` and sets the listener's normal level."""
    import time

    chunks: list[bytes] = []
    out(f"talkdown: calibrating the microphone: say a few sentences at your normal level ({seconds:.0f} s) ...")
    mic = Microphone(chunks.append, device)
    try:
        time.sleep(seconds)
    finally:
        mic.close()
    level = listener.calibrate(b"".join(chunks))
    out(f"talkdown: normal speaking level {level:.1f} dB; shouting is {listener.recogniser.vocabulary.shout_db:.0f} dB above it")
    return level


def open_voice(listener: Any, *, talking: Callable[[], bool] | None = None, device: int | str | None = None,
               calibrate_s: float = 0.0, out: Callable[[str], Any] = print) -> tuple[VoiceInput, Microphone]:
    """Calibrates (when ``calibrate_s`` > 0), opens the microphone and starts listening.
    Raises :class:`MicrophoneUnavailable` (one line) when there is no microphone."""
    if calibrate_s > 0:
        calibrate(listener, calibrate_s, device=device, out=out)
    voice = VoiceInput(listener, talking=talking)
    try:
        mic = Microphone(voice.push, device)
    except MicrophoneUnavailable:
        voice.close()
        raise
    return voice, mic
