"""The voice benchmark: intent accuracy, false-accept rate and latency, on synthetic
speech (espeak-ng, several voices and speeds, noise mixed at a fixed seed) fed through
the same streaming path as the microphone, 30 ms at a time.

Latency is from the end of speech to the subject's reaction: the endpointer's wait for
silence (in audio time), the recognition (wall clock on this machine), and the
simulation step in which the subject hears it (at most one step: the ``Say`` is applied
at the start of the next step and the subject reacts within it).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from game.voice.bench_audio import VOICES, stream  # noqa: F401 (the tests take them from here too)

#: Sentences outside any vocabulary: none may be taken for a command.
OUT_OF_VOCABULARY = (
    "i like turtles and sandwiches",
    "the weather is nice today",
    "my car broke down yesterday",
    "where is the nearest bus station",
    "can you believe the game last night",
    "i forgot my keys at home again",
    "the coffee machine is broken",
    "we should paint the fence green",
)


@dataclass
class VoiceScore:
    clips: int = 0
    correct: int = 0
    wrong: int = 0  # understood as another intent: the worst error
    missed: int = 0  # not understood (journaled as SpeechHeard)
    oov: int = 0
    false_accepts: int = 0
    endpoint_s: list[float] = field(default_factory=list)
    decode_s: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.clips if self.clips else 0.0

    @property
    def false_accept_rate(self) -> float:
        return self.false_accepts / self.oov if self.oov else 0.0


def score(listener: Any, cases: list[tuple[str, str]], *, snr_db: float = 25.0, seed: int = 7,
          voices: tuple[tuple[str, int], ...] = VOICES) -> VoiceScore:
    """Speaks each (text, expected intent or "") in ``voices`` with noise and scores the listener."""
    from game.voice.synth import synthesize, with_noise

    s = VoiceScore()
    for n, (text, expected) in enumerate(cases):
        for k, (voice, speed) in enumerate(voices):
            pcm = with_noise(synthesize(text, voice=voice, speed=speed), snr_db=snr_db, seed=seed + 31 * n + k)
            found, delays = stream(listener, pcm)
            intents = [u.intent for u in found if u.intent]
            s.endpoint_s += delays
            s.decode_s += [u.latency for u in found]
            if expected:
                s.clips += 1
                if intents == [expected]:
                    s.correct += 1
                elif intents:
                    s.wrong += 1
                    s.failures.append(f"{text!r} ({voice} {speed}) -> {intents}")
                else:
                    s.missed += 1
                    s.failures.append(f"{text!r} ({voice} {speed}) -> unrecognised {[u.text for u in found]}")
            else:
                s.oov += 1
                if intents:
                    s.false_accepts += 1
                    s.failures.append(f"out of vocabulary {text!r} ({voice} {speed}) -> {intents}")
    return s


def cases_for(vocabulary: Any, per_intent: int | None = None) -> list[tuple[str, str]]:
    """(phrase, intent) for every intent, its first ``per_intent`` phrases (all for None)."""
    return [(p, intent) for intent, ps in vocabulary.phrases.items() for p in ps[:per_intent]]


def free_speech(*, quick: bool = False, hz: int | None = None) -> dict[str, Any]:
    from game.voice.bench_free import run_free

    return run_free(quick=quick, hz=hz)


def run(*, quick: bool = False, hz: int | None = None) -> dict[str, Any]:
    """The voice rows for ``talkdown bench``."""
    from game.core.clock import DEFAULT_HZ
    from game.voice.hear import create_listener

    hz = hz or DEFAULT_HZ
    t0 = time.perf_counter()
    listener = create_listener(free=False)
    load_s = time.perf_counter() - t0
    cases = cases_for(listener.recogniser.vocabulary, 1 if quick else None)
    cases += [(t, "") for t in OUT_OF_VOCABULARY[: 3 if quick else None]]
    s = score(listener, cases)
    endpoint = statistics.median(s.endpoint_s) if s.endpoint_s else 0.0
    decode = statistics.median(s.decode_s) if s.decode_s else 0.0
    return {
        "recogniser": "pocketsphinx JSGF grammar + phone-loop rejection",
        "load_s": round(load_s, 3), "clips": s.clips, "accuracy": round(s.accuracy, 4), "wrong_intent": s.wrong,
        "missed": s.missed, "oov_clips": s.oov, "false_accept_rate": round(s.false_accept_rate, 4),
        "endpoint_ms": round(endpoint * 1000, 1), "decode_ms": round(decode * 1000, 1),
        "step_ms": round(1000 / hz, 1), "reaction_ms": round((endpoint + decode) * 1000 + 1000 / hz, 1),
        "failures": s.failures,
        "free": free_speech(quick=quick, hz=hz),
    }


def format_rows(r: dict[str, Any]) -> list[str]:
    from game.voice.bench_free import format_free

    return format_free(r.get("free")) + [
        f"voice ({r['recogniser']}; synthetic voices, noise 25 dB SNR)",
        f"  intent accuracy     {r['accuracy']:.1%} of {r['clips']} clips ({r['wrong_intent']} wrong intent, "
        f"{r['missed']} not understood)",
        f"  false accepts       {r['false_accept_rate']:.1%} of {r['oov_clips']} out-of-vocabulary clips",
        f"  end of speech → subject reacts  {r['reaction_ms']:.0f} ms median (endpointer {r['endpoint_ms']:.0f} ms "
        f"+ recognition {r['decode_ms']:.0f} ms + one {r['step_ms']:.0f} ms step); recogniser load {r['load_s']:.2f} s",
    ]
