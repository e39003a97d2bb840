"""The instructor's voice in the 3D scene: speech as a subject comes out of its head (Panda3D's
positional audio) with its mouth moving by the audio's loudness; speech as dispatch comes over
the trainee's radio (non-positional, through :class:`game.voice.radio.RadioFilter`).

Live (``voice``: the :class:`~game.voice.instructor_voice.InstructorVoice` at the console),
:meth:`update` plays what the microphone gave since the last frame, as it comes (a
``UserDataAudio`` stream per utterance), and the journaled ``SpeakAs`` is not played again.
In a replay (no ``voice``) it is a journal sink: each recorded ``SpeakAs`` plays its kept
recording from the run folder (``run_dir``) the same way. With Panda3D's null audio (CI,
offscreen, no sound card) nothing is heard but the mouth moves the same: :attr:`played`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.core.puppet import DISPATCH, audio_problem
from game.engine.world.face import LiveSpeech
from game.voice.audio import RATE, read_wav
from game.voice.radio import RadioFilter, radio

HEAD_HEIGHT = 1.6  # metres above the subject's feet
TASK = ("talkdown:instructor-voice", -8)  # after the world is placed (-10), before the monitor (-5)


class _Stream:
    """One utterance being played: its audio stream and sound, the mouth it drives."""

    def __init__(self, audio: Any, sound: Any, speech: LiveSpeech | None, radio_filter: RadioFilter | None) -> None:
        self.audio, self.sound, self.speech, self.radio = audio, sound, speech, radio_filter

    def finish(self) -> None:
        if self.radio is not None and self.audio is not None:
            self.audio.append(self.radio.flush())
        if self.audio is not None:
            self.audio.done()
        if self.speech is not None:
            self.speech.open_ended = False


class InstructorVoiceView:
    def __init__(self, base: Any, figures: dict[str, Any], *, voice: Any = None,
                 run_dir: Callable[[], Path] | None = None, log: Callable[[str], Any] = lambda line: None) -> None:
        from direct.showbase.Audio3DManager import Audio3DManager

        self.base = base
        self.figures = figures
        self.voice = voice
        self.run_dir = run_dir
        self.log = log
        #: (voice, seconds of audio) played, in order: for the tests and the HUD
        self.played: list[tuple[str, float]] = []
        self._manager = base.sfxManagerList[0] if getattr(base, "sfxManagerList", None) else None
        self._audio3d = Audio3DManager(self._manager, base.camera, root=base.render) if self._manager is not None else None
        self._heads = {sid: fig.root.attach_new_node(f"instructor-voice-{sid}") for sid, fig in figures.items()}
        for head in self._heads.values():
            head.set_z(HEAD_HEIGHT)
        self._streams: dict[str, _Stream] = {}
        self._live_voice = ""
        self.muted = False  # a replay seeking: what is skipped over is not played

    # ------------------------------------------------------------------ live

    def start(self) -> None:
        """Adds the named frame task (live: the microphone's audio each frame)."""
        self.base.task_mgr.add(self._task, TASK[0], sort=TASK[1])

    def _task(self, task: Any) -> Any:
        self.update()
        return task.cont

    def update(self) -> None:
        """Plays the instructor's audio that arrived since the last frame (live)."""
        if self.voice is None:
            return
        for who, chunk in self.voice.take_live():
            if who != self._live_voice:
                self._end(self._live_voice)
                self._live_voice = who
            self._play(who, chunk, open_ended=True)
        if not self.voice.voice and self._live_voice:  # the key was let go
            self._end(self._live_voice)
            self._live_voice = ""

    # ---------------------------------------------------------- journal sink

    def record(self, step: int, time: float, event: Any) -> None:
        """A replay: a recorded ``SpeakAs`` plays its kept recording (live ones have played)."""
        if getattr(event, "TYPE", "") != "SpeakAs" or self.voice is not None or self.run_dir is None or self.muted:
            return
        audio = getattr(event, "audio", "")
        if not audio or audio_problem(audio):
            return
        try:
            pcm = read_wav(Path(self.run_dir()) / audio)
        except (OSError, ValueError) as exc:
            self.log(f"talkdown: the instructor's recording {audio} cannot be played ({exc}); its words are in the journal")
            return
        self._end(event.voice)
        self._play(event.voice, pcm, open_ended=False)
        self._end(event.voice)

    # --------------------------------------------------------------- playing

    def _stream(self, who: str, open_ended: bool) -> _Stream | None:
        stream = self._streams.get(who)
        if stream is not None:
            return stream
        from panda3d.core import UserDataAudio

        audio = UserDataAudio(RATE, 1)
        speech, radio_filter, sound = None, None, None
        if who == DISPATCH:
            radio_filter = RadioFilter() if open_ended else None
            if self._manager is not None:
                sound = self._manager.get_sound(audio, False)
        else:
            fig, head = self.figures.get(who), self._heads.get(who)
            if fig is None or head is None:
                return None
            if self._audio3d is not None:
                sound = self._manager.get_sound(audio, True)
                self._audio3d.attach_sound_to_object(sound, head)
            if hasattr(fig, "speech"):
                speech = LiveSpeech(open_ended=open_ended)
                fig.speech = speech
        if sound is not None:
            sound.play()
        stream = self._streams[who] = _Stream(audio, sound, speech, radio_filter)
        return stream

    def _play(self, who: str, pcm: bytes, *, open_ended: bool) -> None:
        stream = self._stream(who, open_ended)
        if stream is None:
            return
        self.played.append((who, len(pcm) / (2 * RATE)))
        if who == DISPATCH:
            stream.audio.append(stream.radio.process(pcm) if stream.radio is not None else radio(pcm))
            return
        stream.audio.append(pcm)
        fig = self.figures[who]
        if stream.speech is not None:
            if fig.speech is not stream.speech:  # an authored line interrupted it: the voice takes the mouth back
                fig.speech = stream.speech
            stream.speech.feed_audio(pcm)
            fig.talk_left = max(getattr(fig, "talk_left", 0.0), stream.speech.duration - stream.speech.elapsed)
        else:  # the placeholder figure: its head moves while it speaks
            fig.talk(len(pcm) / (2 * RATE))

    def _end(self, who: str) -> None:
        stream = self._streams.pop(who, None)
        if stream is not None:
            stream.finish()

    def destroy(self) -> None:
        self.base.task_mgr.remove(TASK[0])
        for who in list(self._streams):
            stream = self._streams.pop(who)
            if stream.sound is not None:
                stream.sound.stop()
                if self._audio3d is not None and who != DISPATCH:
                    self._audio3d.detach_sound(stream.sound)
        if self._audio3d is not None:
            self._audio3d.disable()
        for head in self._heads.values():
            head.remove_node()
