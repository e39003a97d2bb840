"""Playing a recording as it happened: the recorded events, step by step, with no re-simulation,
so journals of any simulation version stay viewable."""

from __future__ import annotations

import json
from pathlib import Path

from game.core.journal import MemoryJournal, read_journal
from game.core.playback import RECORDED, JournalPlayback
from game.live.session import Session
from game.review.load import scenario_of

SIM1 = Path(__file__).parent / "fixtures" / "journals" / "sim1"


def play(run: Path, records=None):
    records = records or read_journal(run / "journal.jsonl")
    journal = MemoryJournal()
    playback = JournalPlayback(scenario_of(run).scenario, records, journal)
    snaps = []
    while not playback.finished:
        snaps.append(playback.step().snapshot)
    return playback, journal, snaps


def test_playing_a_recording_writes_its_journal_again_byte_for_byte():
    for run in sorted(SIM1.iterdir()):
        playback, journal, _ = play(run)
        assert journal.text() == (run / "journal.jsonl").read_text(encoding="utf-8"), run.name


def test_a_played_snapshot_has_the_officers_recorded_pose_and_hands_and_the_subjects_between_samples():
    run = SIM1 / "domestic_instructor_s4"
    records = read_journal(run / "journal.jsonl")
    _, _, snaps = play(run, records)
    draw = next(r for r in records if r["type"] == "Draw")
    after = next(s for s in snaps if s.step > draw["step"])
    assert after.trainee.hands[draw["hand"]] == draw["tool"]
    samples = [r for r in records if r["type"] == "StateSampled"]
    a, b = samples[10], samples[11]
    middle = next(s for s in snaps if abs(s.time - (a["time"] + b["time"]) / 2) < 0.006)
    (x0, y0), (x1, y1) = a["subjects"][0]["position"], b["subjects"][0]["position"]
    x, y = middle.subjects[0].position
    assert min(x0, x1) - 1e-6 <= x <= max(x0, x1) + 1e-6 and min(y0, y1) - 1e-6 <= y <= max(y0, y1) + 1e-6
    # a pause recorded no steps of its own (the step index stood still): it plays in no time, as it replays
    assert not any(s.paused for s in snaps)
    assert all(b.refused == RECORDED for b in snaps[-1].branches)


def test_a_session_plays_a_journal_of_another_simulation_version_as_it_was_recorded(tmp_path):
    run = SIM1 / "welfare_check_poor_s7"
    lines = (run / "journal.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].rstrip("}\n") + ',"simulation":9}\n'
    records = [json.loads(line) for line in lines]
    session = Session(scenario_of(run), seed=7, run_dir=tmp_path / "played", playback=records)
    while not session.done:
        session.step()
    info = session.close("replayed")
    assert (tmp_path / "played" / "journal.jsonl").read_text(encoding="utf-8") == "".join(lines)
    assert info["ending"] == next(r["ending"] for r in records if r["type"] == "ScenarioEnded")


def test_a_played_snapshot_says_it_comes_from_a_recording():
    _, _, snaps = play(SIM1 / "welfare_check_poor_s7")
    assert all(s.recorded for s in snaps) and all(not s.subjects[0].behaviour for s in snaps)
