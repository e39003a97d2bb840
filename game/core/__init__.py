"""The pure simulation core.

Imports nothing from the engine or from devices (a test enforces this): it can run
in a test, a benchmark, a replay or a server exactly as it runs under the renderer.
"""

from game.core.clock import DEFAULT_HZ, FixedClock
from game.core.journal import JOURNAL_FORMAT, FileJournal, MemoryJournal, read_journal
from game.core.simulation import Simulation

__all__ = [
    "DEFAULT_HZ",
    "FixedClock",
    "JOURNAL_FORMAT",
    "FileJournal",
    "MemoryJournal",
    "Simulation",
    "read_journal",
]
