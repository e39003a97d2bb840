"""The network (issue 18): a second trainee on another machine.

``talkdown host`` runs the authoritative session through the session host
(:mod:`game.live.host`) with a :class:`~game.net.server.NetService` as one more seat device;
``talkdown join`` connects a trainee station (:mod:`game.net.client`) that renders the host's
snapshots from its own officer's view and sends its officer's inputs. The messages are in
:mod:`game.net.protocol`. Nothing happens at import time; ``websockets`` is imported inside
the functions that use it.
"""
