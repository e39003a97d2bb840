"""Installed scenes (``*.yaml``, format 1) and their schema. Data only."""
