#!/usr/bin/env python3
"""A throwaway PostgreSQL server for the records tests (CI helper; Linux, with the Debian/Ubuntu
``postgresql`` package that ``tools/bootstrap.py test`` installs).

    python3 tools/pgserver.py            # starts one, prints its URL, stops it on Enter

:func:`start` makes a cluster in a new temporary folder (``initdb``, trust authentication,
no fsync: the data are thrown away), starts it listening only on a unix socket in that
folder, and returns a :class:`Server` whose ``url`` SQLAlchemy takes; ``stop()`` stops it and
removes the folder. PostgreSQL refuses to run as root, so as root the folder is given to the
``postgres`` user and the server runs as that user (``runuser``); the tests still connect as
the database superuser ``postgres``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


class ServerError(RuntimeError):
    """The server could not be started (the message says which step failed and why)."""


def bin_dir() -> Path:
    """The folder with ``initdb`` and ``pg_ctl``: ``PG_BIN``, else the newest ``/usr/lib/postgresql/*/bin``, else PATH."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    raise ServerError("no PostgreSQL server found (initdb): apt-get install postgresql, or set PG_BIN")


@dataclass
class Server:
    folder: Path
    as_user: list[str]
    pg_ctl: Path

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    @property
    def url(self) -> str:
        """The superuser's URL for the ``postgres`` database, over the unix socket (psycopg 3)."""
        return f"postgresql+psycopg://postgres@/postgres?host={self.socket_dir}"

    def stop(self) -> None:
        """Stops the server at once (its data are throwaway) and removes its folder."""
        subprocess.run([*self.as_user, str(self.pg_ctl), "stop", "-D", str(self.folder / "data"), "-m", "immediate", "-w"],
                       capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


def _run(cmd: list[str], what: str) -> None:
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        last = (r.stderr or r.stdout).strip().splitlines()[-1:] or [f"exit code {r.returncode}"]
        raise ServerError(f"{what} failed: {last[0]}")


def start() -> Server:
    """Starts a fresh server (a second or two); raises :class:`ServerError` saying why it could not."""
    if not sys.platform.startswith("linux"):
        raise ServerError("tools/pgserver.py starts servers on Linux only")
    bins = bin_dir()
    folder = Path(tempfile.mkdtemp(prefix="talkdown-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse root
        import pwd

        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder)
            raise ServerError("running as root needs the 'postgres' user (from the postgresql package)") from None
        os.chown(folder, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    server = Server(folder, as_user, bins / "pg_ctl")
    try:
        _run([*as_user, "mkdir", "-m", "0700", str(server.socket_dir)], "making the socket folder")
        _run([*as_user, str(bins / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--locale=C", "--no-sync"], "initdb")
        options = (f"-c listen_addresses='' -c unix_socket_directories='{server.socket_dir}' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50")
        _run([*as_user, str(server.pg_ctl), "start", "-D", str(folder / "data"), "-w", "-t", "30", "-o", options,
              "-l", str(folder / "server.log")], "starting the server (pg_ctl)")
    except (ServerError, OSError) as exc:
        log = folder / "server.log"
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
        server.stop()
        raise ServerError(f"{exc}{' — ' + tail[0] if tail else ''}") from None
    return server


if __name__ == "__main__":
    srv = start()
    print(srv.url, flush=True)
    try:
        input("PostgreSQL is running; Enter stops it\n")
    finally:
        srv.stop()
