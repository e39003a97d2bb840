"""What both voice benchmarks share (the grammar's, :mod:`game.voice.bench`, and free
speech's, :mod:`game.voice.bench_free`): the synthetic speakers and the streaming feed.

Its own module so the two benchmarks do not import each other: ``bench`` includes the
free-speech rows (it imports ``bench_free``), and ``bench_free`` takes only these from here.
"""

from __future__ import annotations

import time
from typing import Any

#: (espeak-ng voice, words a minute): the speakers of the benchmark and the tests.
VOICES = (("en-us", 150), ("en-us+m3", 130), ("en-gb", 170))


def stream(listener: Any, pcm: bytes, *, realtime: bool = False) -> tuple[list[Any], list[float]]:
    """Feeds ``pcm`` 30 ms at a time; returns the utterances and, for each, how long after
    its end (in audio time) the endpointer let it go. ``realtime``: no faster than a
    microphone delivers it (so work started while the speaker talks is measured as such)."""
    out, delays, chunk = [], [], 960
    t0 = time.perf_counter()
    for i in range(0, len(pcm), chunk):
        if realtime:
            ahead = i / (2 * 16000) - (time.perf_counter() - t0)
            if ahead > 0:
                time.sleep(ahead)
        for u in listener.feed(pcm[i:i + chunk]):
            out.append(u)
            delays.append(max(0.0, listener.time - u.end))
    for u in listener.release():
        out.append(u)
        delays.append(0.0)
    return out, delays
