"""Files that name trainees are owner-only (POSIX modes whatever the umask, an ACL on Windows),
exports cannot smuggle spreadsheet formulas, and temporaries never follow a planted link."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import pytest

from game.cli import main as talkdown
from game.files import icacls_command, restrict_windows, write_atomic
from game.records import to_csv
from review_support import record_run


def _row(**over):
    row = {"trainee": "Alex Doe", "instructor": "Sam Roe", "scenario": "traffic_stop", "started_at": "2026-12-02T10:00:00",
           "seed": 1, "duration": 61.5, "ending": "complied", "outcome": "resolved", "complete": 1, "score": 80,
           "force": 0, "outside_policy": 0, "look_for_met": 2, "look_for_total": 3, "time_inside_gap": -1.5,
           "first_words_time": 2.0, "instructor_actions": 0, "run_id": "r1", "software": "0.1.0", "branched_from": ""}
    row.update(over)
    return row


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_quoted_and_numbers_stay_numbers():
    hostile = {"trainee": '=HYPERLINK("http://evil.invalid","click")', "instructor": "@SUM(A1:A9)",
               "scenario": "+cmd|' /C calc'!A0", "ending": "-2+3", "outcome": "\tx", "run_id": "\r=1"}
    (row,) = list(csv.DictReader(io.StringIO(to_csv([_row(**hostile, software="-3.5")]), newline="")))
    for key, value in hostile.items():
        assert row[key] == "'" + value, key
    assert (row["time_inside_gap"], row["software"], row["score"]) == ("-1.5", "-3.5", "80"), \
        "a negative number (a float, or text that is wholly a number) must stay a number"
    (plain,) = list(csv.DictReader(io.StringIO(to_csv([_row()]))))
    assert (plain["trainee"], plain["instructor"]) == ("Alex Doe", "Sam Roe")


def test_exports_and_the_review_are_owner_only_whatever_the_umask(tmp_path):
    run = record_run(tmp_path / "run", "traffic_stop", "poor", trainee="Kim Lee")
    db, csv_out, xapi_out = tmp_path / "r.sqlite3", tmp_path / "s.csv", tmp_path / "s.json"
    old = os.umask(0)
    try:
        assert talkdown(["records", "add", str(run), "--db", str(db)]) == 0
        assert talkdown(["records", "export", "--csv", str(csv_out), "--xapi", str(xapi_out), "--db", str(db)]) == 0
        from game.cli.records import file_runs

        file_runs(tmp_path, {"run_id": "run"}, None, filing=False)
    finally:
        os.umask(old)
    for path in (csv_out, xapi_out, run / "review.html", run / "run.json", run / "journal.jsonl"):
        assert path.stat().st_mode & 0o777 == 0o600, path.name
    assert "Kim Lee" in csv_out.read_text()


def test_an_export_into_a_folder_that_cannot_be_written_is_one_line(tmp_path, capsys):
    db = tmp_path / "r.sqlite3"
    assert talkdown(["records", "export", "--csv", str(tmp_path / "no" / "such" / "s.csv"), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("talkdown: error:") and err.count("\n") == 1


def test_on_windows_the_folder_is_left_to_the_current_account_by_icacls_and_a_failure_warns_once(tmp_path, monkeypatch):
    """No Windows machine here: the command is checked as built, and run by a stand-in."""
    folder = tmp_path / "run"
    folder.mkdir()
    assert icacls_command(folder, "*S-1-5-21-1-2-3-1001", folder=True) == [
        "icacls", str(folder), "/inheritance:r", "/grant:r", "*S-1-5-21-1-2-3-1001:(OI)(CI)F", "/q"]
    assert icacls_command(folder / "s.csv", "PC\\kim", folder=False)[4] == "PC\\kim:F"
    seen, warnings = [], []

    def ok(cmd, **kw):
        seen.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, "Successfully processed 1 files", "")

    assert restrict_windows(folder, run=ok, account=lambda: "*S-1-5-21-9", warn=warnings.append)
    assert seen[0][:2] == ["icacls", str(folder)] and "*S-1-5-21-9:(OI)(CI)F" in seen[0] and not warnings

    def denied(cmd, **kw):
        return subprocess.CompletedProcess(cmd, 5, "", "Access is denied.")

    monkeypatch.setattr("game.files._warned_acl", False)
    assert not restrict_windows(folder, run=denied, account=lambda: "x", warn=warnings.append)
    assert not restrict_windows(folder, run=denied, account=lambda: "x", warn=warnings.append)
    assert len(warnings) == 1 and "Access is denied." in warnings[0] and "may read it" in warnings[0]


def test_an_atomic_write_never_follows_a_link_planted_where_its_temporary_might_be(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("theirs")
    folder = tmp_path / "assets"
    folder.mkdir()
    for name in (".manifest.yaml.tmp", ".manifest.yaml.1234.tmp", "manifest.yaml.tmp"):
        (folder / name).symlink_to(outside)
    write_atomic(folder / "manifest.yaml", "assets: {}\n", mode=0o644)
    assert outside.read_text() == "theirs"
    assert (folder / "manifest.yaml").read_text() == "assets: {}\n"
    assert (folder / "manifest.yaml").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("mode", [0o600, 0o644])
def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, mode):
    target = tmp_path / "run.json"
    target.write_text("old")
    monkeypatch.setattr(os, "replace", lambda s, d: (_ for _ in ()).throw(PermissionError(13, "held open")))
    with pytest.raises(PermissionError):
        write_atomic(target, "new", mode=mode, delays=(0.0,))
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]


def test_records_export_writes_through_a_temporary_not_a_planted_link(tmp_path):
    db = tmp_path / "r.sqlite3"
    outside = tmp_path / "outside.txt"
    outside.write_text("theirs")
    (tmp_path / "s.csv.tmp").symlink_to(outside)
    (tmp_path / ".s.csv.tmp").symlink_to(outside)
    assert talkdown(["records", "export", "--csv", str(tmp_path / "s.csv"), "--db", str(db)]) == 0
    assert outside.read_text() == "theirs" and Path(tmp_path / "s.csv").read_text().startswith("trainee,")
