"""Killing a running session (SIGKILL: no handler, no clean-up) loses at most its last moment:
the journal it left is reviewed, and the report says the recording stops short."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game.review.load import review_run

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.render
def test_a_session_killed_mid_run_leaves_a_journal_that_reviews_and_the_next_run_closes_and_files_it(tmp_path, records_db):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    out = tmp_path / "runs"
    proc = subprocess.Popen([sys.executable, "-m", "game", "run", "welfare_check", "--offscreen", "--realtime",
                             "--size", "160x120", "--out", str(out), "--trainee", "Alex Doe", "--no-console"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        journal = None
        while time.monotonic() < deadline:
            found = list(out.glob("*/journal.jsonl"))
            if found and b'"type":"Say"' in found[0].read_bytes():
                journal = found[0]
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.2)
        assert journal is not None, "the session never got as far as the trainee's first words"
        time.sleep(1.0)
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stderr.close()
    run = journal.parent
    info = json.loads((run / "run.json").read_text())
    assert info["status"] == "running" and info["trainee"] == "Alex Doe"  # never completed: it was killed
    rv = review_run(run)
    assert not rv.complete and rv.duration > 1.0
    assert rv.first_words_time is not None and len(rv.agitation["dale"]) >= 5
    assert any(x for x in rv.work_on if "without a clean end" in x)
    result = subprocess.run([sys.executable, "-m", "game", "review", str(run)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = (run / "review.html").read_text(encoding="utf-8")
    assert "id=incomplete" in report
    # run.json never listed the frames (it is completed at the end): the review finds them on disk
    assert "frames" not in info and rv.frames and rv.frames[0]["time"] < 0.5
    assert "data:image/png;base64," in report
    result = subprocess.run([sys.executable, "-m", "game", "replay", str(run), "--check"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "matches" in result.stdout, result.stdout + result.stderr
    # the next run in the same folder finds it, closes it from its journal and files it in the records
    result = subprocess.run([sys.executable, "-m", "game", "run", "welfare_check", "--offscreen", "--duration", "0.5",
                             "--size", "160x120", "--out", str(out), "--trainee", "Alex Doe"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"{run.name} was never closed" in result.stdout and result.stdout.count("filed in the records") == 2
    info = json.loads((run / "run.json").read_text())
    assert info["status"] == "cut short" and info["sim_seconds"] == pytest.approx(rv.duration) and info["frames"]
    assert not (run / "session.lock").exists()
    from game.records import Records

    with Records(str(records_db)) as db:
        rows = {r["run_id"]: r for r in db.sessions("Alex Doe")}
    assert run.name in rows and rows[run.name]["complete"] == 0


def test_a_live_session_is_never_taken_for_an_unclosed_one_but_a_dead_one_is(tmp_path):
    from game.content.library import package_dir
    from game.content.scenario import load_scenario
    from game.recovery import recover, unclosed_runs
    from game.session import Session

    loaded = load_scenario(package_dir("scenarios") / "welfare_check.yaml")
    live = Session(loaded, seed=1, run_dir=tmp_path / "live")
    for _ in range(30):
        live.step()
    assert list(unclosed_runs(tmp_path)) == []  # it holds its lock: another process must not touch it
    live._lock.release(remove=False)  # as if its process had died: the OS drops the lock, the file stays
    (closed,) = recover(tmp_path)
    assert closed["run_id"] == "live" and closed["status"] == "cut short" and closed["steps"] == 18  # its last journal line: the 5 Hz sample at step 18
    assert json.loads((tmp_path / "live" / "run.json").read_text())["status"] == "cut short"
    assert recover(tmp_path) == []  # closed once
    live.close()  # the Session object itself can still close without harm


@pytest.mark.render
def test_a_finished_run_is_filed_in_the_records_and_its_report_embeds_frames_of_key_moments(tmp_path, records_db):
    from game.records import Records

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    out = tmp_path / "runs"
    script = ROOT / "scenarios" / "scripts" / "knife_parking_lot_poor.yaml"
    result = subprocess.run([sys.executable, "-m", "game", "run", "knife_parking_lot", "--offscreen", "--size", "160x120",
                             "--out", str(out), "--script", str(script), "--trainee", "Robin Case"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "filed in the records: Robin Case" in result.stdout
    (run,) = [p for p in out.iterdir() if p.is_dir()]
    # the review is written as the session ends: the debrief can start at once
    assert f"the review: {run / 'review.html'}" in result.stdout
    assert "After-action review" in (run / "review.html").read_text(encoding="utf-8")
    with Records(str(records_db)) as db:
        (row,) = db.sessions("Robin Case")
    assert (row["run_id"], row["outcome"]) == (run.name, "officer_hurt")
    report = tmp_path / "report.html"
    result = subprocess.run([sys.executable, "-m", "game", "review", str(run), "--out", str(report)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    html = report.read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') >= 3 and "aaron attacked trainee" in html
    # besides one every 5 s, a frame right after each key moment: the first words at 2.0 s, the gun drawn at 5.0 s,
    # the attack at 7.9 s (9.1 s before the condition bands); the report shows those, not the periodic ones beside them
    times = [f["time"] for f in json.loads((run / "run.json").read_text())["frames"]]
    assert any(2.0 <= t <= 2.25 for t in times) and any(5.0 <= t <= 5.25 for t in times) and \
        any(7.85 <= t <= 8.1 for t in times), times
    (first,) = [c for c in re.findall(r"<figcaption>([^<]*)</figcaption>", html) if "first words" in c]
    assert 2.0 <= float(first.split(" s")[0]) <= 2.25, first
    assert all((run / f).is_file() for f in (f["file"] for f in json.loads((run / "run.json").read_text())["frames"]))
