"""The instructor's console: its keys (``instructor.py``), the HUD and the monitor's cameras."""
