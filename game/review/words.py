"""Small wording helpers the review's modules share (no review state)."""

from __future__ import annotations


def metres(d: float, *limits: float) -> str:
    """``d`` as "7.2 m", with more decimals where one would round it across a limit it is compared
    with (6.38 m is inside a 6.4 m gap: never "closest 6.4 m" beside "inside the 6.4 m gap")."""
    for places in (1, 2, 3):
        text = f"{d:.{places}f}"
        if all((d < lim) == (float(text) < lim) for lim in limits):
            break
    return f"{text} m"
