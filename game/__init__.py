"""Talkdown: an open, offline simulator for de-escalation and use-of-force training.

Nothing happens at import time: the engine, the devices and the content are
only touched by the functions that are called to use them.
"""

__version__ = "0.1.0"
