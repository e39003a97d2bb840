"""The headset: Talkdown's own OpenXR adapter (over pyopenxr) and the trainee it drives.

- :mod:`game.xr.poses` — OpenXR's stage space (y up, -z forward) to the world (z up, +y
  forward), and a pose's heading, pitch and roll; pure.
- :mod:`game.xr.trainee` — :class:`~game.xr.trainee.XrTrainee`, the input provider: head,
  hands, trigger, grip at the belt, tool select, push-to-talk → the core's events; pure.
- :mod:`game.xr.runtime` — instance, session, actions, frame loop and teardown (imports
  pyopenxr, inside functions of the caller's choosing; never at import time of the game).
- :mod:`game.xr.stereo` — Panda3D: one buffer and camera per eye into the runtime's swapchains.
"""
