"""The free-speech benchmark: the held-out set (``game/voice/sets/heldout.yaml``:
paraphrases, fillers and false starts, two-intent sentences, out-of-domain talk) spoken
by espeak-ng in three voices with noise at 25 dB SNR (fixed seeds), through the
microphone's streaming path into the hybrid recogniser (grammar fast path, else
Whisper + the sentence matcher). Nothing in that set was tuned on; the development set
(``dev.yaml``) is what the exemplars and thresholds were tuned on, and
``talkdown bench --json`` reports it too, for comparison, when not ``--quick``.

A line is right when the intents heard are exactly the ones labelled, in order; wrong
when an intent was heard that is not labelled; out of domain accepted when anything was
heard for a line labelled with none. Latency: end of speech -> the subject's reaction
(the endpointer's wait, the recognition, one simulation step), median over utterances,
for short lines (four words or fewer) and longer ones.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import yaml

SETS = Path(__file__).resolve().parent / "sets"


def load_set(name: str) -> list[dict[str, Any]]:
    """The labelled lines of ``game/voice/sets/<name>.yaml``: {text, intents}."""
    with open(SETS / f"{name}.yaml", encoding="utf-8") as f:
        return [{"text": str(x["text"]), "intents": list(x.get("intents") or [])} for x in yaml.safe_load(f)["lines"]]


def kind_of(line: dict[str, Any]) -> str:
    if not line["intents"]:
        return "out_of_domain"
    if len(line["intents"]) > 1:
        return "two_intents"
    words = line["text"].lower().replace(",", " ").split()
    return "fillers" if any(w in ("uh", "um", "so") for w in words) or _repeats(words) else "paraphrase"


def _repeats(words: list[str]) -> bool:
    return any(words[i] == words[i + 1] or words[i:i + 2] == words[i + 2:i + 4] for i in range(len(words) - 1))


def score_lines(listener: Any, lines: list[dict[str, Any]], *, voices=None, snr_db: float = 25.0, seed: int = 11,
                step_s: float = 1 / 90, realtime: bool = False) -> dict[str, Any]:
    from game.voice.bench_audio import VOICES, stream
    from game.voice.synth import synthesize, with_noise

    voices = voices or VOICES
    by: dict[str, dict[str, int]] = {}
    short, long_, failures = [], [], []
    grammar = utterances = 0
    for n, line in enumerate(lines):
        kind = kind_of(line)
        for k, (voice, speed) in enumerate(voices):
            pcm = with_noise(synthesize(line["text"], voice=voice, speed=speed), snr_db=snr_db, seed=seed + 31 * n + k)
            found, delays = stream(listener, pcm, realtime=realtime)
            got = [i for u in found for i in u.intents]
            for u, d in zip(found, delays):
                utterances += 1
                grammar += u.via == "grammar"
                (short if len(line["text"].split()) <= 4 else long_).append(d + u.latency + step_s)
            b = by.setdefault(kind, {"clips": 0, "right": 0, "wrong": 0, "missed": 0, "accepted": 0})
            b["clips"] += 1
            expected = line["intents"]
            if not expected:
                if got:
                    b["accepted"] += 1
                    failures.append(f"out of domain {line['text']!r} ({voice}) -> {got} {[u.text for u in found]}")
            elif got == expected:
                b["right"] += 1
            elif any(g not in expected for g in got):
                b["wrong"] += 1
                failures.append(f"{line['text']!r} ({voice}) -> {got} {[u.text for u in found]}")
            else:
                b["missed"] += 1
                failures.append(f"{line['text']!r} ({voice}) -> missed {got} {[u.text for u in found]}")
    said = {k: v for k, v in by.items() if k != "out_of_domain"}
    clips = sum(v["clips"] for v in said.values())
    ood = by.get("out_of_domain", {"clips": 0, "accepted": 0})
    return {
        "clips": clips, "right": sum(v["right"] for v in said.values()),
        "wrong": sum(v["wrong"] for v in said.values()), "missed": sum(v["missed"] for v in said.values()),
        "accuracy": round(sum(v["right"] for v in said.values()) / clips, 4) if clips else 0.0,
        "wrong_rate": round(sum(v["wrong"] for v in said.values()) / clips, 4) if clips else 0.0,
        "ood_clips": ood["clips"], "ood_accepted": ood["accepted"],
        "ood_rate": round(ood["accepted"] / ood["clips"], 4) if ood["clips"] else 0.0,
        "by_kind": by, "grammar_share": round(grammar / utterances, 3) if utterances else 0.0,
        "reaction_short_ms": round(statistics.median(short) * 1000, 1) if short else 0.0,
        "reaction_long_ms": round(statistics.median(long_) * 1000, 1) if long_ else 0.0,
        "failures": failures,
    }


def run_free(*, quick: bool = False, hz: int | None = None) -> dict[str, Any]:
    """The free-speech rows, or {"error": why} when the ``speech`` extra is missing.

    Accuracy: both held-out sets in three voices, fed as fast as the recogniser takes
    them (the results are the same as in real time: the early recognition is waited
    for). Reaction times: the second held-out set in one voice, fed in real time, so
    recognition started at a pause runs while the endpointer waits, as it does with a
    microphone. ``quick``: every sixth line, one voice."""
    from game.core.clock import DEFAULT_HZ
    from game.voice.bench_audio import VOICES
    from game.voice.hear import create_listener
    from game.voice.understand import SpeechUnavailable

    hz = hz or DEFAULT_HZ
    t0 = time.perf_counter()
    try:
        listener = create_listener(free=True)
    except SpeechUnavailable as exc:
        return {"error": str(exc)}
    load_s = time.perf_counter() - t0
    voices = VOICES[:1] if quick else VOICES
    sets = {name: load_set(name)[::6] if quick else load_set(name) for name in ("heldout2", "heldout")}
    r: dict[str, Any] = {"recogniser": "hybrid: grammar fast path, else Whisper tiny.en + MiniLM-L6 exemplar matcher; "
                                       "Silero endpointer, recognition from the first pause",
                         "load_s": round(load_s, 2)}
    for name, lines in sets.items():
        r[name] = score_lines(listener, lines, voices=voices, step_s=1 / hz)
    timed = score_lines(listener, sets["heldout2"], voices=VOICES[:1], step_s=1 / hz, realtime=True)
    r["timing"] = {k: timed[k] for k in ("reaction_short_ms", "reaction_long_ms", "grammar_share", "accuracy")}
    if not quick:
        r["dev"] = {k: v for k, v in score_lines(listener, load_set("dev"), voices=VOICES[:1], step_s=1 / hz).items()
                    if k != "failures"}
    return r


def format_free(r: dict[str, Any] | None) -> list[str]:
    if not r:
        return []
    if "error" in r:
        return [f"free speech: not measured ({r['error']})"]

    def part(by: dict[str, Any], kind: str) -> str:
        b = by.get(kind)
        return f"{kind.replace('_', ' ')} {b['right']}/{b['clips']}" if b else ""

    rows = [f"free speech ({r['recogniser']}; synthetic voices, noise 25 dB SNR; load {r['load_s']:.1f} s)"]
    for name in ("heldout2", "heldout"):
        x = r.get(name)
        if not x:
            continue
        rows += [
            f"  {name}: right intent(s) {x['accuracy']:.1%} of {x['clips']} clips ({x['wrong']} wrong = "
            f"{x['wrong_rate']:.1%}, {x['missed']} missed; "
            + ", ".join(p for p in (part(x["by_kind"], k) for k in ("paraphrase", "fillers", "two_intents")) if p)
            + f"); out of domain {x['ood_accepted']}/{x['ood_clips']} accepted ({x['ood_rate']:.1%})"]
    t = r.get("timing")
    if t:
        rows.append(f"  end of speech → subject reacts (real time, heldout2, one voice)  {t['reaction_short_ms']:.0f} ms "
                    f"median (≤ 4 words), {t['reaction_long_ms']:.0f} ms (longer); grammar fast path "
                    f"{t['grammar_share']:.0%} of utterances")
    if "dev" in r:
        d = r["dev"]
        rows.append(f"  (development set, tuned on: {d['accuracy']:.1%} right, {d['wrong_rate']:.1%} wrong, "
                    f"{d['ood_accepted']}/{d['ood_clips']} out of domain accepted)")
    return rows
