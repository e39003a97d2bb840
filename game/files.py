"""Writing files safely: owner-only where they hold trainees' data, temporaries that no planted
link can redirect, and replacements that survive a Windows program holding the file open.

Standard library only, so every layer may use it (the core's journal opens its file the same
way with ``os.open``).

- :func:`private_dir` / :func:`restrict`: a folder 0700 and a file 0600 on POSIX, whatever the
  umask; on Windows (where modes are ignored) an ACL granting only the current account, set
  with ``icacls``. Where that fails, one warning says so, once per process.
- :func:`write_atomic`: the new contents go into a fresh temporary beside the target (made
  with exclusive create, so a link planted under a predictable name is never followed), are
  flushed to disk and then replace the target: readers see the old file or the new, never half.
- :func:`replace_retrying`: ``os.replace`` retried for about a second while it raises
  ``PermissionError`` (Windows: a virus scanner, an indexer or an open viewer holds the file).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

#: Pauses between tries of a replacement that another program blocks (about 1.3 s in all).
REPLACE_DELAYS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.3, 0.3)

_warned_acl = False


def replace_retrying(src: str | os.PathLike[str], dst: str | os.PathLike[str], *,
                     delays: tuple[float, ...] = REPLACE_DELAYS, sleep: Callable[[float], Any] = time.sleep) -> None:
    """``os.replace(src, dst)``, tried again after each of ``delays`` while it raises
    ``PermissionError``; the last error is raised when every try failed."""
    for delay in delays:
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            sleep(delay)
    os.replace(src, dst)


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, mode: int = 0o600,
                 delays: tuple[float, ...] = REPLACE_DELAYS) -> None:
    """Writes ``data`` to ``path`` through a temporary beside it, then replaces ``path``.

    The file gets ``mode`` (default owner-only; POSIX only, whatever the umask). The temporary
    is created exclusively under a random name and removed when anything fails; a failure
    raises ``OSError`` and leaves ``path`` as it was."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if os.name == "posix":
                os.fchmod(f.fileno(), mode)
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        replace_retrying(tmp, path, delays=delays)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_private(path: str | os.PathLike[str], data: bytes | str) -> None:
    """An export or report that names trainees: written atomically, owner-only (see :func:`restrict`)."""
    write_atomic(path, data, mode=0o600)
    restrict(path)


def private_dir(path: str | os.PathLike[str], *, exist_ok: bool = True) -> Path:
    """Creates ``path`` (parents as needed) and makes it owner-only (see :func:`restrict`)."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=exist_ok)
    restrict(path)
    return path


def restrict(path: str | os.PathLike[str]) -> None:
    """Makes ``path`` readable by its owner alone: 0700 (a folder) or 0600 (a file) on POSIX;
    on Windows an ACL for the current account (files created inside a folder inherit it)."""
    path = Path(path)
    if os.name == "nt":
        restrict_windows(path)
    else:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)


def windows_account() -> str:
    """The current Windows account for ``icacls``: its SID (``*S-1-5-...``) from ``whoami``,
    else ``DOMAIN\\user`` from the environment."""
    try:
        done = subprocess.run(["whoami", "/user", "/fo", "csv", "/nh"], capture_output=True, text=True, timeout=10,
                              creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        sid = done.stdout.strip().rsplit(",", 1)[-1].strip('"')
        if done.returncode == 0 and sid.startswith("S-1-"):
            return "*" + sid
    except (OSError, subprocess.SubprocessError):
        pass
    user = os.environ.get("USERNAME") or os.getlogin()
    domain = os.environ.get("USERDOMAIN")
    return f"{domain}\\{user}" if domain else user


def icacls_command(path: Path, account: str, *, folder: bool) -> list[str]:
    """``icacls`` arguments that leave ``path`` to ``account`` alone: inherited entries removed,
    full control granted (to a folder's files and subfolders too)."""
    grant = f"{account}:(OI)(CI)F" if folder else f"{account}:F"
    return ["icacls", str(path), "/inheritance:r", "/grant:r", grant, "/q"]


def restrict_windows(path: Path, *, run: Callable[..., Any] = subprocess.run,
                     account: Callable[[], str] = windows_account, warn: Callable[[str], Any] | None = None) -> bool:
    """Sets the owner-only ACL on ``path``; on failure warns once per process (the folder stays
    readable by whoever may read its parent) and returns False."""
    global _warned_acl
    try:
        done = run(icacls_command(path, account(), folder=path.is_dir()), capture_output=True, text=True, timeout=30,
                   creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        if done.returncode == 0:
            return True
        reason = (done.stdout or done.stderr or f"exit status {done.returncode}").strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError) as exc:
        reason = str(exc)
    if not _warned_acl:
        _warned_acl = True
        (warn or _stderr)(f"talkdown: warning: could not restrict {path} to your Windows account (icacls: {reason}); "
                          "other accounts on this PC may read it: keep runs and exports in a folder only you can open")
    return False


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)
