"""The phrase recogniser: pocketsphinx with a grammar made from the vocabulary, and a
rejection check so speech outside the grammar is not forced onto its nearest phrase.

Chosen by benchmark (docs/benchmarks.md, ../shared/notes/voice.md): on 2 cores the
grammar with the phone-loop check recognises an utterance in ~0.1 s and took 1 of 24
out-of-vocabulary clips for a command; Whisper tiny.en was as accurate on the same
synthetic clips (and better on paraphrase) but took ~0.5 s an utterance, too slow for
the reaction a command needs. The model (acoustic model, dictionary, phone LM) ships
inside the pocketsphinx wheel: nothing is downloaded.

The rejection check decodes the same audio again with a free phone loop. Speech the
grammar explains well scores close to the phone loop and its words cover the loop's
speech; speech outside the grammar scores far below it. Thresholds were tuned on
synthetic voices: re-tune (``margin``, ``coverage``) on real recordings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from game.voice.vocabulary import Vocabulary


class VoiceUnavailable(RuntimeError):
    """The recogniser's engine is not installed; the message says how to get it."""


def _pocketsphinx() -> Any:
    try:
        import pocketsphinx
    except ImportError:
        raise VoiceUnavailable("speech recognition needs pocketsphinx: pip install 'talkdown[voice]'") from None
    return pocketsphinx


def dictionary_words() -> set[str]:
    """Every word the recogniser's dictionary knows."""
    ps = _pocketsphinx()
    path = f"{ps.get_model_path()}/en-us/cmudict-en-us.dict"
    with open(path, encoding="utf-8") as f:
        return {line.split(maxsplit=1)[0].split("(")[0] for line in f if line.strip()}


def jsgf(vocabulary: Vocabulary) -> str:
    """The grammar: optional fillers, then any phrase of any intent."""
    phrases = sorted({p for ps in vocabulary.phrases.values() for p in ps})
    lines = ["#JSGF V1.0;", "grammar talkdown;"]
    if vocabulary.fillers:
        lines.append("<filler> = " + " | ".join(sorted(set(vocabulary.fillers))) + ";")
        lines.append("public <utterance> = [<filler>] [<filler>] <phrase>;")
    else:
        lines.append("public <utterance> = <phrase>;")
    lines.append("<phrase> = " + " | ".join(phrases) + ";")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Heard:
    """What one utterance was: the words heard (the grammar's, even when rejected, or
    Whisper's transcript: for the journal), the first intent ("" when not understood), the
    decode time in seconds, and every intent found, in order (``found``: each with its
    confidence and its own words; :class:`game.voice.understand.Found`)."""

    text: str
    intent: str
    score: float = 0.0  # ln(grammar) - ln(phone loop); higher is more certain
    coverage: float = 0.0
    seconds: float = 0.0
    found: tuple = ()
    via: str = "grammar"  # grammar or whisper: which path understood it


_SILENCE = {"<s>", "</s>", "<sil>", "SIL", "[NOISE]", "NULL", "+SPN+", "+NSN+"}


class PhraseRecogniser:
    """Recognises one utterance at a time (16 kHz mono 16-bit) against a vocabulary."""

    def __init__(self, vocabulary: Vocabulary, *, margin: float = -0.1, coverage: float = 0.7) -> None:
        ps = _pocketsphinx()
        self.vocabulary = vocabulary
        self.margin = margin
        self.coverage = coverage
        missing = sorted(vocabulary.words() - dictionary_words())
        if missing:
            raise ValueError(f"words not in the recogniser's dictionary: {', '.join(missing)}")
        self._grammar = ps.Decoder(loglevel="FATAL", jsgf=False)
        self._grammar.add_jsgf_string("talkdown", jsgf(vocabulary))
        self._grammar.activate_search("talkdown")
        self._phones = ps.Decoder(loglevel="FATAL", lm=None, allphone=f"{ps.get_model_path()}/en-us/en-us-phone.lm.bin")

    @staticmethod
    def _decode(decoder: Any, pcm: bytes) -> tuple[Any, list[Any]]:
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp()
        return hyp, list(decoder.seg()) if hyp is not None else []

    def recognise(self, pcm: bytes) -> Heard:
        import time

        t0 = time.perf_counter()
        hyp, segs = self._decode(self._grammar, pcm)
        text = hyp.hypstr.strip() if hyp is not None else ""
        if not text:
            return Heard("", "", seconds=time.perf_counter() - t0)
        phone, psegs = self._decode(self._phones, pcm)
        score = _log(hyp.score) - _log(phone.score if phone is not None else 0.0)
        spoken = sum(s.end_frame - s.start_frame + 1 for s in psegs if s.word not in _SILENCE)
        words = sum(s.end_frame - s.start_frame + 1 for s in segs if s.word not in _SILENCE)
        coverage = words / spoken if spoken else 0.0
        accepted = score > self.margin and coverage > self.coverage
        intent = self.vocabulary.intent_of(text) if accepted else ""
        found = ()
        if intent:
            from game.voice.understand import Found

            found = (Found(intent, round(min(1.0, math.exp(score)), 3), text, text),)
        return Heard(text, intent, round(score, 4), round(coverage, 3), time.perf_counter() - t0, found)


def _log(score: float) -> float:
    """The binding's scores are probabilities in 0..1 (or log scores below 0 in some builds)."""
    if score <= 0:
        return float(score) if score < 0 else -1e9
    return math.log(score)
