"""A lock a running session holds on its run folder, so that others can tell it is alive.

``talkdown run`` finds run folders whose ``run.json`` still says ``running`` (the process
was killed or crashed) and closes them for the review and the records — but only when it
can take this lock, so a session running in another process (another training room on
the same machine) is never touched. The operating system drops the lock when the process
dies, however it dies. POSIX ``flock`` or Windows ``msvcrt.locking``; nothing at import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The lock file inside a run folder (removed when the session closes).
LOCK_NAME = "session.lock"


class RunLock:
    """An exclusive, non-blocking lock on ``path``. :meth:`acquire` says whether it was taken."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Takes the lock; False (and nothing held) when another open file holds it."""
        if self._fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self, *, remove: bool = True) -> None:
        """Lets go of the lock (and by default removes the file). Safe to call twice."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform == "win32":  # Windows cannot remove an open, locked file: unlock and close first
            import msvcrt

            try:
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            except OSError:
                pass
        os.close(fd)
        if remove:
            try:
                self.path.unlink()
            except OSError:
                pass

    @property
    def held(self) -> bool:
        return self._fd is not None
