"""The recogniser for free speech: the phrase grammar as the fast path, Whisper and the
sentence matcher for everything else.

pocketsphinx's grammar answers in ~0.1 s but knows only its phrasings; when it accepts
an utterance with a clear margin (``fast_margin``, ``fast_coverage``: stricter than its
own rejection, since just inside its margin it misreads paraphrases), that is the
answer. Otherwise Whisper transcribes (~0.5-1 s on two cores) and the matcher finds the
intents in the transcript, several in order when one sentence holds several.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from game.voice.exemplars import generate
from game.voice.recogniser import Heard, PhraseRecogniser
from game.voice.understand import IntentMatcher
from game.content.vocabulary import Vocabulary
from game.voice.whisper import Transcriber

#: Below this probability of being speech at all (Whisper's), an utterance is noise.
MIN_SPEECH = 0.35
#: The grammar's answer is taken without Whisper only this far above the phone loop
#: (ln). Measured on the development set's clips (2 voices): at 0.0, 17 of 94 fast answers
#: were not a labelled intent, among them "who are you looking for" -> "or you will get
#: hurt" (warn_force); at 0.1, 4 of 38, each a labelling gap ("Police! Stop right there!").
FAST_MARGIN = 0.1
#: ... and only with fewer fillers than this in it: on noise or talk the grammar fills its
#: phrase out with them (development set: "the elevator is out of order" -> "buddy ma'am
#: i'm a police officer", "here's what happens" -> "hey um what happened").
FAST_FILLERS = 2


class SpeechRecogniser:
    """Grammar first, then Whisper + the sentence matcher. Same interface as
    :class:`~game.voice.recogniser.PhraseRecogniser` (``vocabulary``, ``recognise``)."""

    def __init__(self, vocabulary: Vocabulary, *, names: Iterable[str] = (), fast: bool = True,
                 fast_margin: float = FAST_MARGIN, fast_coverage: float = 0.85, threads: int = 2) -> None:
        self.vocabulary = vocabulary
        self.grammar = PhraseRecogniser(vocabulary) if fast else None
        self.fast_margin, self.fast_coverage = fast_margin, fast_coverage
        names = tuple(names)
        self.matcher = IntentMatcher(generate(vocabulary.phrases, vocabulary.examples), fillers=vocabulary.fillers,
                                     talk=vocabulary.talk, names=names)
        self.transcriber = Transcriber(threads=threads, names=names)

    def recognise(self, pcm: bytes) -> Heard:
        t0 = time.perf_counter()
        if self.grammar is not None:
            g = self.grammar.recognise(pcm)
            fillers = sum(w in self.vocabulary.fillers for w in g.text.split())
            if g.intent and g.score > self.fast_margin and g.coverage > self.fast_coverage and fillers < FAST_FILLERS:
                return Heard(g.text, g.intent, g.score, g.coverage, time.perf_counter() - t0, g.found, "grammar")
        text, speech = self.transcriber(pcm)
        if not text or speech < MIN_SPEECH:
            return Heard(text if speech >= MIN_SPEECH else "", "", seconds=time.perf_counter() - t0, via="whisper")
        found = tuple(self.matcher.match(text))
        conf = found[0].confidence if found else 0.0
        return Heard(text, found[0].intent if found else "", round(math.log(max(conf, 1e-9)), 4), 1.0,
                     time.perf_counter() - t0, found, "whisper")
