"""The instructor's live voice in the scene: push-to-talk speech *as a subject* (heard from
its head, its mouth moving) or *as dispatch* (over the trainee's radio).

:class:`InstructorVoice` is a device at the ``instructor`` seat, fed by the same streaming
path as the trainee's microphone (:class:`~game.voice.stream.Listener`, chunks of any size):

- :meth:`begin` (the console's speak-as key went down) starts an utterance as a voice (a
  subject's id or ``dispatch``) at the simulated time ``at``;
- :meth:`push` takes microphone audio (any thread); while talking, each chunk also goes to
  :meth:`take_live` for the engine to play at once (positional at the subject's head, or
  through :class:`~game.voice.radio.RadioFilter`) and move the mouth;
- :meth:`end` (the key let go) ends it: on the worker thread the listener recognises it, the
  audio is written to the run folder (``voice/NNNN-<voice>.wav``, owner-only like every run
  file) and a ``SpeakAs`` is queued — the words where the recogniser understood them, else
  "instructor spoke as <name>" — which :meth:`feed` submits before the next step.

Without a microphone :func:`open_instructor_voice` says so in one line and returns None: the
puppeteering menu still works. Engine-free (the playback is ``game/engine/console/voice_view.py``).
"""

from __future__ import annotations

import io
import queue
import threading
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.core.controls import Hands, events_for
from game.core.puppet import AUDIO_FOLDER, DISPATCH, spoken_as
from game.voice.audio import RATE

#: Less than this much audio (seconds) is a key tapped, not speech: nothing is journaled.
MIN_SECONDS = 0.15


def wav_bytes(pcm: bytes, rate: int = RATE) -> bytes:
    """16-bit mono PCM as a WAV file's bytes."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return out.getvalue()


def understood_words(utterances: list[Any]) -> str:
    """The words of ``utterances`` the recogniser understood: accepted phrases (an intent)
    and free-speech transcripts; a grammar's rejected guess is not understanding."""
    words = [u.text for u in utterances if u.text and (u.intent or u.found or getattr(u, "via", "grammar") != "grammar")]
    return " ".join(words).strip()


class InstructorVoice:
    """Speech as a subject or dispatch (see the module). ``run_dir`` says where the session's
    run folder is now (it changes on a restart); ``scenario`` names the subjects."""

    seat = "instructor"

    def __init__(self, listener: Any, scenario: Any, run_dir: Callable[[], Path], *,
                 log: Callable[[str], Any] = lambda line: None) -> None:
        self.listener = listener
        self.scenario = scenario
        self.run_dir = run_dir
        self.log = log
        self.voice = ""  # who is being spoken as now ("" : nobody)
        self.spoken: list[Any] = []  # every SpeakAs submitted, for the HUD and the tests
        self._count = 0
        self._work: queue.Queue[tuple[str, Any] | None] = queue.Queue()
        self._events: queue.Queue[Any] = queue.Queue()
        self._live: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="talkdown-instructor-voice", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------ any thread

    def begin(self, voice: str, at: float) -> None:
        """Push-to-talk as ``voice`` (a subject id or ``dispatch``) went down at simulated time ``at``."""
        with self._lock:
            if self.voice:
                self._work.put(("end", None))
            self.voice = voice
            self._work.put(("begin", (voice, float(at))))

    def push(self, chunk: bytes) -> None:
        """Microphone audio (PortAudio's thread, a file, a test). Counts only while talking."""
        with self._lock:
            voice = self.voice
            if not voice:
                return
            self._work.put(("audio", chunk))
        self._live.put((voice, chunk))

    def end(self) -> None:
        """Push-to-talk let go: the utterance is recognised, kept and journaled."""
        with self._lock:
            if not self.voice:
                return
            self.voice = ""
            self._work.put(("end", None))

    def take_live(self) -> list[tuple[str, bytes]]:
        """The audio pushed since the last call, as (voice, chunk): for the engine to play now."""
        out = []
        while True:
            try:
                out.append(self._live.get_nowait())
            except queue.Empty:
                return out

    def wait(self) -> None:
        """Blocks until everything pushed so far is recognised and kept (tests, closing)."""
        self._work.join()

    # ---------------------------------------------------------------- worker

    def _run(self) -> None:
        voice, at, audio = "", 0.0, bytearray()
        found: list[Any] = []
        while True:
            item = self._work.get()
            try:
                if item is None:
                    return
                kind, value = item
                if kind == "begin":
                    (voice, at), audio, found = value, bytearray(), []
                elif kind == "audio" and voice:
                    audio += value
                    found += self.listener.feed(value)
                elif kind == "end" and voice:
                    found += self.listener.release()
                    self._finish(voice, at, bytes(audio), found)
                    voice = ""
            except Exception as exc:  # a recogniser or disk failure loses one utterance, never the session
                self.log(f"talkdown: the instructor's speech could not be kept ({type(exc).__name__}: {exc})")
                voice = ""
            finally:
                self._work.task_done()

    def _finish(self, voice: str, at: float, pcm: bytes, found: list[Any]) -> None:
        seconds = len(pcm) / (2 * RATE)
        if seconds < MIN_SECONDS:
            return
        from game.files import private_dir, write_private

        self._count += 1
        name = f"{AUDIO_FOLDER}/{self._count:04d}-{voice}.wav"
        folder = private_dir(Path(self.run_dir()) / AUDIO_FOLDER)
        while (folder / Path(name).name).exists():  # a restart's new folder counts again; never overwrite
            self._count += 1
            name = f"{AUDIO_FOLDER}/{self._count:04d}-{voice}.wav"
        write_private(folder / Path(name).name, wav_bytes(pcm))
        words = understood_words(found)
        tone = next((u.tone for u in found if u.text), "normal")
        (event,) = events_for("speak_as", Hands(), voice=voice, text=words or spoken_as(self.scenario, voice),
                              understood=bool(words), tone=tone, audio=name, seconds=round(seconds, 3), at=at)
        self._events.put(event)

    # ------------------------------------------------------------- the seat

    def feed(self, sim: Any) -> None:
        """Before each step: submits what the instructor finished saying since the last."""
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return
            try:
                sim.submit(event)
            except ValueError as exc:  # e.g. spoken as a subject a restart's scenario lacks
                self.log(f"talkdown: the instructor's speech was not journaled: {exc}")
                continue
            self.spoken.append(event)

    def detach(self) -> None:
        """The session is closing (the host's teardown, before the journal closes): an utterance
        still open is ended and kept; what can no longer be journaled is said in one line."""
        self.end()
        self.wait()
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                return
            self.log(f"talkdown: the instructor's last words as {event.voice} came as the session ended: "
                     f"kept as {event.audio} in the run folder, not journaled")

    def close(self) -> None:
        """Ends any utterance still open (it is kept), then stops the worker."""
        self.end()
        self._work.put(None)
        self._thread.join(timeout=5.0)


def open_instructor_voice(scenario: Any, run_dir: Callable[[], Path], *, listener: Any = None,
                          device: int | str | None = None, keys: str = "",
                          out: Callable[[str], Any] = print) -> tuple[InstructorVoice | None, Any]:
    """The instructor's speak-as voice on the microphone and the microphone, or (None, None)
    after one line saying why not (no PortAudio, no input device, no recogniser): the
    console's other keys, puppeteering included, still work. ``keys`` names the push-to-talk
    keys for that line."""
    from game.voice.microphone import Microphone, MicrophoneUnavailable, input_devices
    from game.voice.recogniser import VoiceUnavailable

    why = "no speaking as a subject or dispatch"
    try:  # before the recogniser loads (seconds with free speech): is there a microphone at all?
        if not input_devices():
            raise MicrophoneUnavailable("no microphone found (no audio input device)")
    except MicrophoneUnavailable as exc:
        out(f"talkdown: {why} — {exc}; puppeteering lines still works")
        return None, None
    try:
        if listener is None:
            from game.voice.hear import create_listener

            listener = create_listener(note=out)
        voice = InstructorVoice(listener, scenario, run_dir, log=out)
    except (VoiceUnavailable, ValueError, OSError) as exc:
        out(f"talkdown: {why} — {exc}; puppeteering lines still works")
        return None, None
    try:
        mic = Microphone(voice.push, device)
    except MicrophoneUnavailable as exc:
        voice.close()
        out(f"talkdown: {why} — {exc}; puppeteering lines still works")
        return None, None
    out(f"talkdown: the instructor speaks as the chosen subject or dispatch while {keys or 'the speak-as keys are'} held")
    return voice, mic


__all__ = ["DISPATCH", "InstructorVoice", "open_instructor_voice", "understood_words", "wav_bytes"]
