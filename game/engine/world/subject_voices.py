"""The subjects' lines as sound, positioned at each subject's head (Panda3D's 3D audio).

A journal sink: on ``SubjectSaid`` it picks the file (:func:`game.voice.lines.audio_for`:
the scenario's recording, else the generated line, else none: the subtitle alone) and
plays it from a node at the subject's head, heard from the camera. With Panda3D's null
audio (CI, offscreen) the sounds are silent but scheduled the same way: :attr:`played`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from panda3d.core import Filename

from game.voice.lines import audio_for

HEAD_HEIGHT = 1.6  # metres above the subject's feet


class SubjectVoices:
    def __init__(self, base: Any, figures: dict[str, Any], scenario: Any, *, assets: Path | None = None) -> None:
        from direct.showbase.Audio3DManager import Audio3DManager

        self.scenario = scenario
        self.assets = assets
        self.played: list[tuple[str, str]] = []  # (subject, file) in order, for the tests and the HUD
        self._audio = Audio3DManager(base.sfxManagerList[0], base.camera) if base.sfxManagerList else None
        self._heads = {sid: fig.root.attach_new_node(f"voice-{sid}") for sid, fig in figures.items()}
        for head in self._heads.values():
            head.set_z(HEAD_HEIGHT)
        self._sounds: dict[str, Any] = {}

    def record(self, step: int, time: float, event: Any) -> None:
        if getattr(event, "TYPE", "") != "SubjectSaid" or getattr(event, "instructor", "") == "voice":
            return  # the instructor's own voice is played by InstructorVoiceView
        head = self._heads.get(event.subject)
        path = audio_for(event, self.scenario.id, self.scenario.source, self.assets)
        if head is None or path is None:
            return
        self.played.append((event.subject, str(path)))
        if self._audio is None:
            return
        previous = self._sounds.pop(event.subject, None)
        if previous is not None:
            previous.stop()
            self._audio.detach_sound(previous)
        sound = self._audio.load_sfx(Filename.from_os_specific(str(path)))
        self._audio.attach_sound_to_object(sound, head)
        sound.play()
        self._sounds[event.subject] = sound

    def destroy(self) -> None:
        for sound in self._sounds.values():
            sound.stop()
            if self._audio is not None:
                self._audio.detach_sound(sound)
        self._sounds.clear()
        if self._audio is not None:
            self._audio.disable()
        for head in self._heads.values():
            head.remove_node()
