"""Replay in 3D: the player, its keys and free camera, the timeline, branching from a moment."""
