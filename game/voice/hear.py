"""``talkdown hear FILE.wav...``: what the recogniser makes of recordings, so an agency
can try its own wording and microphones before a session."""

from __future__ import annotations

import sys
from pathlib import Path

from game.voice.audio import RATE, read_wav


def create_listener(vocabulary_path: str | None = None, scenario: str | None = None, baseline_db: float | None = None,
                    *, free: bool | None = None, fast: bool = True, note=None):
    """A listener on the default (or given) vocabulary plus a scenario's own phrases.

    ``free``: understand free speech (Whisper + the sentence matcher, the ``speech``
    extra) with the grammar as the fast path, Silero's endpointer, and recognition
    started at the first pause (:data:`game.voice.vad.EARLY_S`); None: when installed, else the grammar
    alone after one line to ``note`` saying why; False: the grammar alone."""
    from game.voice.recogniser import PhraseRecogniser, dictionary_words
    from game.voice.stream import DEFAULT_BASELINE_DB, Listener
    from game.content.vocabulary import load_vocabulary
    from game.voice.understand import SpeechUnavailable

    known = dictionary_words()
    vocabulary = load_vocabulary(vocabulary_path, dictionary=known)
    names: list[str] = []
    if scenario is not None:
        from game.content.scenario import load_scenario

        sc = load_scenario(scenario).scenario
        _check_scenario_words(scenario, sc.voice, known)
        vocabulary = vocabulary.extended(sc.voice)
        names = [s.name for s in sc.subjects if s.name]
    baseline = DEFAULT_BASELINE_DB if baseline_db is None else baseline_db
    if free is not False:
        from game.voice.hybrid import SpeechRecogniser

        try:
            from game.voice.vad import EARLY_S, SileroEndpointer, SileroVad

            vad = SileroVad()
            return Listener(SpeechRecogniser(vocabulary, names=names, fast=fast), baseline_db=baseline,
                            endpointer=lambda: SileroEndpointer(vad=vad), early=EARLY_S)
        except SpeechUnavailable as exc:
            if free:
                raise
            (note or (lambda line: print(line, file=sys.stderr)))(
                f"talkdown: free speech is off ({exc}); only the phrases in the vocabulary are understood")
    return Listener(PhraseRecogniser(vocabulary), baseline_db=baseline)


def hear(paths: list[str], *, vocabulary: str | None = None, scenario: str | None = None,
         calibrate: str | None = None, baseline_db: float | None = None, out=sys.stdout) -> int:
    """Prints, per recording, each utterance's words, intent (or ``unrecognised``) and tone.
    Returns 0, or 1 when a file could not be read."""
    listener = create_listener(vocabulary, scenario, baseline_db)
    if calibrate:
        level = listener.calibrate(read_wav(calibrate))
        print(f"calibrated normal level: {level:.1f} dB (from {calibrate})", file=out)
    bad = 0
    for path in paths:
        try:
            pcm = read_wav(path)
        except (OSError, ValueError) as exc:
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            bad += 1
            continue
        found = []
        for i in range(0, len(pcm), 2 * RATE // 10):  # as a microphone delivers it: 100 ms at a time
            found += listener.feed(pcm[i:i + 2 * RATE // 10])
        found += listener.release()
        name = Path(path).name
        if not found:
            print(f"{name}: (no speech heard)", file=out)
        for u in found:
            words = f'"{u.text}"' if u.text else "(no words)"
            meaning = " + ".join(u.intents) or "unrecognised"
            sure = "/".join(f"{f.confidence:.2f}" for f in u.found)
            print(f"{name} {u.start:.2f}-{u.end:.2f}s: {words} -> {meaning}, {u.tone} "
                  f"({u.level_db:+.1f} dB; {u.via}{' ' + sure if sure else ''}; {u.latency * 1000:.0f} ms)", file=out)
    return 1 if bad else 0


def _check_scenario_words(path: str, phrases, known: set[str]) -> None:
    """A scenario's ``voice:`` words the recogniser's dictionary lacks, as located problems."""
    from game.content.document import read_document
    from game.content.errors import ContentError
    from game.content.scenario import SCHEMA

    missing = {(intent, i): [w for w in p.split() if w not in known]
               for intent, ps in phrases.items() for i, p in enumerate(ps)}
    if not any(missing.values()):
        return
    loc = read_document(path, kind="scenario", schema=SCHEMA, versions=(1, 2)).locations
    raise ContentError([loc.problem(("voice", intent, i), f"not in the recogniser's dictionary: {', '.join(words)} "
                                    "(use other words, or spell a number or a name the way it is said)")
                        for (intent, i), words in missing.items() if words])
