"""The simulation's fixed-step clock.

The core never reads the wall clock: time is ``step * dt``, so the same inputs
at the same steps give the same results on any machine, at any frame rate.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_HZ = 90


@dataclass(slots=True)
class FixedClock:
    """Counts simulation steps at a fixed rate (90 Hz by default, a VR frame)."""

    hz: int = DEFAULT_HZ
    step: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.hz, int) or self.hz <= 0:
            raise ValueError(f"clock rate must be a positive whole number of Hz, got {self.hz!r}")

    @property
    def dt(self) -> float:
        """Seconds one step advances the simulation."""
        return 1.0 / self.hz

    @property
    def time(self) -> float:
        """Simulated seconds since the session started, rounded to the microsecond."""
        return round(self.step / self.hz, 6)

    def steps_for(self, seconds: float) -> int:
        """How many steps cover ``seconds`` of simulated time (rounded to the nearest step)."""
        return max(0, int(round(seconds * self.hz)))

    def advance(self) -> None:
        """Called once by the simulation at the end of each step."""
        self.step += 1
