"""A run folder that cannot be written (a read-only share, an archive copy, a burned disc) is still
reviewed: ``talkdown review`` says in one line that it cannot write there and writes elsewhere with
``--out``; the session's end files the run and keeps its journal when its review.html cannot be written.

The tests run as root on CI, where a chmod does not stop a write. So the command-line test makes the
folder truly read-only the way that holds for everyone: as an ordinary user by chmod, as root by a
read-only bind mount inside a user namespace (``unshare``; the write then fails with EROFS). Where
neither is possible it is skipped; the session-end test makes the write itself fail (EACCES from
``os.open`` for files in the run folder) and so runs everywhere."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli.records import file_runs
from game.records import Records
from review_support import record_run

ROOT = Path(__file__).resolve().parent.parent


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _talkdown_on_read_only(run: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m game review RUN ARGS`` with RUN read-only for the process, whoever runs the tests."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    cmd = [sys.executable, "-m", "game", "review", str(run), *args]
    if os.name != "posix" or os.geteuid() != 0:
        mode = run.stat().st_mode
        run.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        finally:
            run.chmod(mode)
    unshare = shutil.which("unshare")
    probe = subprocess.run([unshare, "--user", "--map-root-user", "--mount", "true"], capture_output=True) if unshare else None
    if probe is None or probe.returncode != 0:
        pytest.skip("running as root without user namespaces: no way to make a folder read-only for this process")
    script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
    return subprocess.run([unshare, "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", str(run), *cmd],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_review_of_a_read_only_run_folder_says_so_in_one_line_and_writes_elsewhere_with_out(tmp_path):
    run = record_run(tmp_path / "run", "welfare_check", "good")
    before = _digest(run)
    result = _talkdown_on_read_only(run)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"talkdown: error: cannot write the report into the run folder {run} (")
    assert "give --out FILE to write it elsewhere" in result.stderr
    assert not (run / "review.html").exists() and _digest(run) == before
    out = tmp_path / "elsewhere" / "review.html"
    out.parent.mkdir()
    result = _talkdown_on_read_only(run, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"talkdown: wrote {out}" in result.stdout and "After-action review" in out.read_text(encoding="utf-8")
    assert _digest(run) == before and [p.name for p in out.parent.iterdir()] == ["review.html"]


def test_an_unwritable_out_file_is_one_line_and_a_non_zero_exit(tmp_path, capsys):
    from game.cli import main as talkdown

    run = record_run(tmp_path / "run", "welfare_check", "good")
    assert talkdown(["review", str(run), "--out", str(tmp_path / "no-such-folder" / "r.html")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("talkdown: error: cannot write the report to ") and "No such file" in err


def test_a_session_ending_in_a_read_only_run_folder_is_filed_and_keeps_its_journal(tmp_path, monkeypatch, capsys):
    run = record_run(tmp_path / "runs" / "r1", "welfare_check", "good", trainee="Read Only")
    before = _digest(run)
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if Path(path).parent == run and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    db = str(tmp_path / "records.sqlite3")
    file_runs(run.parent, {"run_id": "r1"}, db)
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"talkdown: warning: the review could not be written into {run} (Permission denied)")
    assert f"'talkdown review {run} --out FILE' writes it elsewhere" in err
    assert _digest(run) == before and not (run / "review.html").exists()
    with Records(db) as records:
        (row,) = records.sessions("Read Only")
    assert (row["run_id"], row["outcome"]) == ("r1", "resolved_peacefully")


def test_the_report_is_written_whole_and_owner_only(tmp_path):
    from game.review.load import review_run
    from game.review.report import render_html, write_report

    run = record_run(tmp_path / "run", "welfare_check", "good")
    write_report(render_html(review_run(run)), run / "review.html")
    assert (run / "review.html").read_text(encoding="utf-8").endswith("</html>")
    assert not [p for p in run.iterdir() if p.name.endswith(".tmp")]
    if os.name == "posix":
        assert stat.S_IMODE((run / "review.html").stat().st_mode) == 0o600


def test_an_unclosed_run_in_a_read_only_folder_is_kept_and_the_others_are_still_closed(tmp_path, monkeypatch, capsys):
    import game.recovery
    from game.cli import _recover
    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.session import Session

    loaded = load_scenario(package_dir("scenarios") / "welfare_check.yaml")
    dead = {}
    for name in ("a-readonly", "b-writable"):
        dead[name] = Session(loaded, seed=1, run_dir=tmp_path / name, trainee="Cut Short")
        for _ in range(30):
            dead[name].step()
        dead[name]._lock.release(remove=False)  # as if its process had died
    journal = (tmp_path / "a-readonly" / "journal.jsonl").read_bytes()
    real_write = game.recovery.write_json_atomic

    def refusing(path, data):
        if Path(path).parent.name == "a-readonly":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real_write(path, data)

    monkeypatch.setattr(game.recovery, "write_json_atomic", refusing)
    db = str(tmp_path / "records.sqlite3")
    _recover(tmp_path, db, filing=True)
    monkeypatch.undo()
    err = capsys.readouterr().err
    warnings = [x for x in err.splitlines() if "a-readonly" in x]
    assert warnings == [f"talkdown: warning: a-readonly was never closed, and its folder cannot be written (Permission denied); "
                        f"its journal is kept: 'talkdown review {tmp_path / 'a-readonly'} --out FILE' reviews it"]
    assert "Traceback" not in err and (tmp_path / "a-readonly" / "journal.jsonl").read_bytes() == journal
    with Records(db) as records:
        assert [r["run_id"] for r in records.sessions("Cut Short")] == ["b-writable"]
    for session in dead.values():
        session.close()
