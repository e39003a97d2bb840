"""Wiring the instructor's speak-as microphone into a session at the desk or beside the
headset: the device at the ``instructor`` seat, the console's speak-as keys, and the view that
plays it in the scene — or one line saying why not (no microphone, no sound card, no
recogniser), after which the console (puppeteering included) works as before."""

from __future__ import annotations

from typing import Any, Callable

from game.engine.console.hud import key_name


def add_instructor_voice(base: Any, host: Any, console: Any, figures: dict[str, Any], *,
                         device: int | str | None = None, listener: Any = None,
                         out: Callable[[str], Any] = print) -> Any:
    """Opens the instructor's microphone for ``console`` (an InstructorConsole run by
    ``host``, a :class:`~game.live.host.SessionHost`) and plays it from ``figures`` (the
    world view's). Returns the :class:`InstructorVoiceView`, or None after one line."""
    from game.engine.world.instructor_voice_view import InstructorVoiceView
    from game.voice.instructor_voice import open_instructor_voice

    b = console.bindings
    keys = f"{key_name(b.first_key('speak_as_subject'))} (as the subject) or {key_name(b.first_key('speak_as_dispatch'))} " \
           "(as dispatch) is"
    voice, mic = open_instructor_voice(console.scenario, lambda: host.session.run_dir, listener=listener,
                                       device=device, keys=keys, out=out)
    if voice is None:
        return None
    console.voice = voice
    host.add_device(voice)
    host.own(mic, close=True)
    host.own(voice, close=True)
    view = host.own(InstructorVoiceView(base, figures, voice=voice, log=out), destroy=True)
    view.start()
    return view
