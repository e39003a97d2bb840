"""The instructor's voice in ``talkdown bench``: what the radio filter costs per second of
audio streamed in 30 ms chunks, and how long after the instructor lets go of the speak-as key
the ``SpeakAs`` is ready to journal (the utterance recognised and its recording written),
on synthetic speech fed through the same path as the microphone."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

PHRASES = ("show me your hands", "step back", "the weather is nice today", "i need you to talk to me")


def radio_ms_per_second(seconds: float = 5.0, repeats: int = 5) -> float:
    """The median wall time (ms) the radio filter takes for one second of audio, 30 ms a chunk."""
    import numpy as np

    from game.voice.audio import RATE
    from game.voice.radio import RadioFilter

    pcm = (np.random.default_rng(0).normal(0, 0.1, int(seconds * RATE)) * 32767).astype("<i2").tobytes()
    times = []
    for _ in range(repeats):
        f = RadioFilter()
        t0 = time.perf_counter()
        for i in range(0, len(pcm), 960):
            f.process(pcm[i:i + 960])
        times.append((time.perf_counter() - t0) / seconds * 1000)
    return statistics.median(times)


def release_to_journal_ms(listener: Any, scenario: Any, *, quick: bool = False) -> float:
    """The median wall time (ms) from the key let go to the ``SpeakAs`` ready to journal."""
    from game.voice.instructor_voice import InstructorVoice
    from game.voice.synth import synthesize, with_noise

    # let go right at the last word (before the endpointer would end it): the recognition is in the wait
    clips = [with_noise(synthesize(p), seed=n, tail=0.0) for n, p in enumerate(PHRASES[: 2 if quick else None])]
    times = []
    with tempfile.TemporaryDirectory() as folder:
        voice = InstructorVoice(listener, scenario, lambda: Path(folder))
        try:
            for pcm in clips:
                voice.begin(scenario.subjects[0].id, 0.0)
                for i in range(0, len(pcm), 960):
                    voice.push(pcm[i:i + 960])
                voice.wait()  # the audio is in; now the key is let go
                t0 = time.perf_counter()
                voice.end()
                voice.wait()
                times.append((time.perf_counter() - t0) * 1000)
        finally:
            voice.close()
    return statistics.median(times)


def run_instructor(listener: Any, *, quick: bool = False) -> dict[str, Any]:
    from game.content.library import DEFAULT_SCENARIO, resolve
    from game.content.scenario import load_scenario

    scenario = load_scenario(resolve(DEFAULT_SCENARIO, "scenarios")).scenario
    return {"radio_ms_per_s": round(radio_ms_per_second(2.0 if quick else 5.0), 2),
            "release_to_journal_ms": round(release_to_journal_ms(listener, scenario, quick=quick), 1)}


def format_instructor(r: dict[str, Any] | None) -> list[str]:
    if not r:
        return []
    return ["instructor's voice in the scene (synthetic speech, 30 ms chunks)",
            f"  radio filter        {r['radio_ms_per_s']:.1f} ms per second of audio",
            f"  key let go → SpeakAs ready  {r['release_to_journal_ms']:.0f} ms median (recognised, recording written)"]
