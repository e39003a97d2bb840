"""The streaming path every source of audio goes through (the microphone, ``talkdown
hear``, the tests): voice-activity detection and endpointing, then the recogniser, then
the tone from the utterance's level against the calibrated normal level.

Audio arrives in chunks of any size (16 kHz mono 16-bit bytes); the endpointer needs
frames of exactly 30 ms, so chunks are re-buffered here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from game.core.events import Say, SpeechHeard
from game.voice.audio import RATE, speech_level_db
from game.voice.recogniser import Heard, _pocketsphinx

#: The level of normal speech before calibration (dB below full scale; a headset
#: microphone at a conversational level gives about this).
DEFAULT_BASELINE_DB = -26.0
#: Audio kept either side of the endpointer's speech for the recogniser (seconds).
PAD_S = 0.1
#: How much audio the listener keeps (bytes: 30 s) while nobody speaks.
HISTORY_BYTES = 30 * 2 * RATE


@dataclass(frozen=True, slots=True)
class Utterance:
    """One stretch of speech: what was recognised, its tone, and when (seconds of audio
    from the start of the stream), plus how long after its end the result came."""

    text: str
    intent: str
    tone: str
    level_db: float
    start: float
    end: float
    latency: float = 0.0  # seconds of wall-clock time from the end of speech to this result
    #: every intent found, in order (``Found``: intent, confidence, its own words)
    found: tuple = ()
    via: str = "grammar"

    @property
    def intents(self) -> list[str]:
        return [f.intent for f in self.found] or ([self.intent] if self.intent else [])

    def events(self) -> list[Say | SpeechHeard]:
        """The input events: one ``Say`` per intent found, in order, each with its own words
        and confidence; else one ``SpeechHeard`` with the transcript (journaled, no effect)."""
        if self.found:
            return [Say(intent=f.intent, tone=self.tone, text=f.text, confidence=f.confidence) for f in self.found]
        if self.intent:
            return [Say(intent=self.intent, tone=self.tone, text=self.text)]
        return [SpeechHeard(text=self.text, tone=self.tone)]

    def event(self) -> Say | SpeechHeard:
        """The first of :meth:`events`."""
        return self.events()[0]


def tone_of(level_db: float, baseline_db: float, shout_db: float = 9.0, calm_db: float = -6.0) -> str:
    """calm, normal or shout: the level against the trainee's calibrated normal level."""
    diff = level_db - baseline_db
    if diff >= shout_db:
        return "shout"
    if diff <= calm_db:
        return "calm"
    return "normal"


class Listener:
    """Feeds audio through an endpointer; each finished utterance is recognised and
    returned (and passed to ``on_utterance``).

    With push-to-talk the caller feeds audio only while the key is held and calls
    :meth:`release` when it is let go, which ends the utterance even if the speaker has
    not paused. Without it, the endpointer alone decides where speech starts and ends.

    ``endpointer``: makes a fresh endpointer (None: pocketsphinx's, with ``window`` and
    ``ratio``). ``early``: with an endpointer that says how long the speaker has paused
    (``silent_s``, :class:`~game.voice.vad.SileroEndpointer`), recognition starts on a
    worker thread once a pause inside an utterance is this long (seconds), while the
    endpointer still waits to be sure the utterance is over; if the speaker goes on, that
    result is dropped and the whole utterance is recognised at its end. So a slow
    recogniser's answer is ready about when the utterance is known to be over.
    """

    def __init__(self, recogniser: Any, *, baseline_db: float = DEFAULT_BASELINE_DB,
                 window: float = 0.3, ratio: float = 0.8,
                 on_utterance: Callable[[Utterance], Any] | None = None,
                 endpointer: Callable[[], Any] | None = None, early: float | None = None) -> None:
        self.recogniser = recogniser
        self.baseline_db = baseline_db
        self.on_utterance = on_utterance
        self._window, self._ratio = window, ratio
        self._make_endpointer = endpointer
        self._early = early
        self._job: _Early | None = None
        self._endpointer = self._new_endpointer()
        self._frame_bytes = self._endpointer.frame_bytes
        self._pending = b""
        self._speech: list[bytes] = []
        self._start = 0.0
        self._fed = 0  # bytes fed so far: the stream's time
        #: The last seconds of audio: the recogniser gets the endpointer's speech with some
        #: context either side (it cuts the quiet ends of words, which the grammar needs).
        self._history = bytearray()
        self._history_at = 0  # stream position (bytes) of _history[0]
        self._epoch = 0.0  # stream time at which the endpointer started

    def _new_endpointer(self) -> Any:
        if self._make_endpointer is not None:
            return self._make_endpointer()
        return _pocketsphinx().Endpointer(window=self._window, ratio=self._ratio, sample_rate=RATE)

    @property
    def time(self) -> float:
        """Seconds of audio fed so far."""
        return self._fed / (2 * RATE)

    @property
    def in_speech(self) -> bool:
        return bool(self._speech)

    def feed(self, chunk: bytes) -> list[Utterance]:
        """Takes any amount of audio; returns the utterances that ended within it."""
        data = self._pending + chunk
        out: list[Utterance] = []
        n = len(data) // self._frame_bytes * self._frame_bytes
        self._history += data[:n]
        for i in range(0, n, self._frame_bytes):
            self._fed += self._frame_bytes
            was = self._endpointer.in_speech
            speech = self._endpointer.process(data[i:i + self._frame_bytes])
            if speech is None:
                continue
            if not was:
                self._speech = []
                self._start = self._epoch + self._endpointer.speech_start
            self._speech.append(speech)
            if not self._endpointer.in_speech:
                out.append(self._finish(self._epoch + self._endpointer.speech_end))
            elif self._early is not None and getattr(self._endpointer, "silent_s", 0.0) >= self._early:
                self._start_early()
        self._pending = data[n:]
        if len(self._history) > HISTORY_BYTES and not self._speech:
            cut = len(self._history) - HISTORY_BYTES // 2
            del self._history[:cut]
            self._history_at += cut
        return out

    def release(self) -> list[Utterance]:
        """End of input (push-to-talk let go, end of a file): whatever speech is still
        open becomes an utterance."""
        out: list[Utterance] = []
        speech = self._endpointer.end_stream(self._pending) if self._endpointer.in_speech else None
        if speech is not None:
            self._speech.append(speech)
            self._history += self._pending
            self._fed += len(self._pending)
        if self._speech:
            out.append(self._finish(self._fed / (2 * RATE)))
        self._pending = b""
        self._endpointer = self._new_endpointer()
        self._epoch = self._fed / (2 * RATE)  # the new endpointer counts its time from here
        return out

    def _audio(self, start: float, end: float) -> bytes:
        """The listener's audio from ``start`` to ``end`` (stream seconds), as far as it has it."""
        a = max(self._history_at, int(start * RATE) * 2)
        b = min(self._history_at + len(self._history), int(end * RATE) * 2, self._fed)
        return bytes(self._history[a - self._history_at:b - self._history_at]) if b > a else b""

    def _start_early(self) -> None:
        """At a pause inside an utterance: recognise what was said so far on a worker
        thread (one at a time; not again until the speaker has said more)."""
        frames = self._endpointer.speech_frames
        if self._job is not None and (self._job.frames == frames or self._job.running):
            return
        pcm = self._audio(self._start - PAD_S, self._fed / (2 * RATE))
        if pcm:
            self._job = _Early(self.recogniser, pcm, frames)

    def _finish(self, end: float) -> Utterance:
        t0 = time.perf_counter()
        pcm = self._audio(self._start - PAD_S, end + PAD_S) or b"".join(self._speech)
        self._speech = []
        job, self._job = self._job, None
        heard: Heard | None = None
        if job is not None:
            got = job.result()  # waits: the recogniser takes one utterance at a time
            if job.frames == getattr(self._endpointer, "speech_frames", -1):  # nothing said since it began
                heard = got
        if heard is None:
            heard = self.recogniser.recognise(pcm)
        level = speech_level_db(pcm)
        v = self.recogniser.vocabulary
        u = Utterance(heard.text, heard.intent, tone_of(level, self.baseline_db, v.shout_db, v.calm_db),
                      round(level, 1), round(self._start, 3), round(end, 3), time.perf_counter() - t0,
                      tuple(heard.found), heard.via)
        if self.on_utterance is not None:
            self.on_utterance(u)
        return u

    def calibrate(self, pcm: bytes) -> float:
        """Sets the normal level from a recording of the trainee speaking normally (a few
        sentences); returns it in dB. Only the speech in it counts, not the pauses."""
        from game.voice.audio import level_db

        speech = [pcm[i:i + 960] for i in range(0, len(pcm) - 959, 960)]
        floor = min((level_db(f) for f in speech), default=-120.0)
        loud = b"".join(f for f in speech if level_db(f) > floor + 10.0)
        self.baseline_db = round(speech_level_db(loud or pcm), 1)
        return self.baseline_db


class _Early:
    """One recognition started at a pause, on its own thread."""

    def __init__(self, recogniser: Any, pcm: bytes, frames: int) -> None:
        self.frames = frames
        self._heard: Heard | None = None
        self._thread = threading.Thread(target=self._run, args=(recogniser, pcm), name="talkdown-voice-early",
                                        daemon=True)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self, recogniser: Any, pcm: bytes) -> None:
        try:
            self._heard = recogniser.recognise(pcm)
        except Exception:  # recognised again at the utterance's end, where an error is the caller's
            self._heard = None

    def result(self) -> Heard | None:
        self._thread.join()
        return self._heard
