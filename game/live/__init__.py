"""The session host: everything of a live session's lifecycle that needs no engine.

Run folders, the journal and ``run.json`` (:mod:`~game.live.session`), the lock a running
session holds (:mod:`~game.live.runlock`), closing sessions whose process died
(:mod:`~game.live.recovery`), the journal comparison (:mod:`~game.live.check`).
"""
