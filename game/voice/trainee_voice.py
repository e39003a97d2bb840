"""Opening the trainee's microphone for a session (desk or headset)."""

from __future__ import annotations

from typing import Any, TextIO


def open_trainee_voice(loaded: Any, options: Any, desktop: Any, out: TextIO) -> tuple[Any, Any]:
    """The microphone and its listener, or (None, None) after one line saying why not:
    the keys still say everything."""
    from game.voice.hear import create_listener
    from game.voice.microphone import MicrophoneUnavailable, open_voice
    from game.voice.recogniser import VoiceUnavailable

    try:
        listener = create_listener(options.vocabulary, loaded.path, note=lambda line: print(line, file=out))
        talking = (lambda: desktop.talking) if options.push_to_talk and desktop is not None else None
        voice, mic = open_voice(listener, talking=talking, calibrate_s=options.calibrate,
                                out=lambda line: print(line, file=out))
    except (VoiceUnavailable, MicrophoneUnavailable, ValueError) as exc:
        print(f"talkdown: no voice input — {exc}; the phrase keys still work", file=out)
        return None, None
    how = "while P is held" if talking is not None else "when you speak (voice activity)"
    print(f"talkdown: listening to the microphone {how}", file=out)
    return voice, mic
