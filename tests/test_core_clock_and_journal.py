"""The fixed-step clock and the session journal: the two things replay stands on."""

from __future__ import annotations

import json

import pytest

from game.core.clock import DEFAULT_HZ, FixedClock
from game.core.events import (
    INPUT_TYPES,
    AnswerCall,
    AskCaller,
    DispatchUnit,
    FillCard,
    Radio,
    RadioAnswer,
    Calm,
    Draw,
    HandMove,
    EndSession,
    Escalate,
    ForceBranch,
    Holster,
    LowReady,
    Mark,
    Move,
    OfficerJoined,
    OfficerLeft,
    Pause,
    Restart,
    Resume,
    Say,
    SpeechHeard,
    SubjectReacted,
    SubjectSaid,
    Touch,
    Use,
    input_from_record,
)
from game.core.journal import FileJournal, MemoryJournal, TeeJournal, encode, read_journal

# ------------------------------------------------------------------------ clock


def test_a_step_lasts_one_over_the_rate():
    assert FixedClock().hz == DEFAULT_HZ == 90
    assert FixedClock(hz=90).dt == pytest.approx(1 / 90)
    assert FixedClock(hz=60).dt == pytest.approx(1 / 60)


@pytest.mark.parametrize(
    ("hz", "step", "time"),
    [(90, 0, 0.0), (90, 1, 0.011111), (90, 2, 0.022222), (90, 90, 1.0), (90, 3105, 34.5), (60, 7, 0.116667)],
)
def test_time_is_the_step_over_the_rate_rounded_to_the_microsecond(hz, step, time):
    assert FixedClock(hz=hz, step=step).time == time


def test_advancing_moves_time_on_by_exactly_one_step():
    clock = FixedClock(hz=90)
    for _ in range(180):
        clock.advance()
    assert clock.step == 180
    assert clock.time == 2.0


@pytest.mark.parametrize(
    ("seconds", "steps"), [(1.0, 90), (0.5, 45), (2.5, 225), (0.0, 0), (0.0056, 1), (0.0055, 0), (-3.0, 0)]
)
def test_steps_for_rounds_to_the_nearest_step_and_never_goes_negative(seconds, steps):
    assert FixedClock(hz=90).steps_for(seconds) == steps


@pytest.mark.parametrize("hz", [0, -90, 90.0, "90", None])
def test_a_clock_refuses_a_rate_that_is_not_a_positive_whole_number(hz):
    with pytest.raises(ValueError, match="positive whole number"):
        FixedClock(hz=hz)


# ------------------------------------------------------------------- encoding


def test_every_journal_line_starts_with_step_time_type_and_source_then_the_event_fields():
    line = encode(12, 0.133333, Say(intent="greet", tone="calm", text="Evening."))
    record = json.loads(line)
    assert list(record) == ["step", "time", "type", "source", "intent", "tone", "text", "to"]
    assert record == {
        "step": 12, "time": 0.133333, "type": "Say", "source": "trainee",
        "intent": "greet", "tone": "calm", "text": "Evening.", "to": "",
    }


def test_a_field_added_later_is_left_out_at_its_default_so_older_lines_read_as_they_were():
    assert "confidence" not in json.loads(encode(0, 0.0, Say(intent="greet")))
    assert json.loads(encode(0, 0.0, Say(intent="greet", confidence=0.72)))["confidence"] == 0.72
    assert "narration" not in json.loads(encode(0, 0.0, SubjectSaid(subject="dale", line="hi", text="Hi.")))
    assert json.loads(encode(0, 0.0, SubjectSaid(subject="dale", line="hi", text="(He nods.)", narration=True)))["narration"]


def test_an_output_line_has_source_sim_and_its_floats_rounded_to_four_decimals():
    event = SubjectReacted(subject="dale", cause="crowded", agitation=0.123456789, trust=0.5,
                           delta_agitation=0.03, delta_trust=-0.02)
    record = json.loads(encode(3, 0.033333, event))
    assert list(record)[:4] == ["step", "time", "type", "source"]
    assert record["source"] == "sim"
    assert record["agitation"] == 0.1235


def test_whoever_ends_the_session_is_its_source_and_is_not_repeated_as_a_field():
    record = json.loads(encode(0, 0.0, EndSession(by="trainee", reason="done")))
    assert record["source"] == "trainee"
    assert "by" not in record
    assert json.loads(encode(0, 0.0, Escalate()))["source"] == "instructor"


def test_a_line_is_compact_and_keeps_non_ascii_text_readable():
    line = encode(0, 0.0, Say(intent="identify", text="Evening, sir — police."))
    assert line == (
        '{"step":0,"time":0.0,"type":"Say","source":"trainee",'
        '"intent":"identify","tone":"normal","text":"Evening, sir — police.","to":""}'
    )


# ---------------------------------------------------------------- file journal


def _lines_on_disk(path) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def test_a_file_journal_has_each_line_on_disk_as_soon_as_it_is_recorded(tmp_path):
    path = tmp_path / "journal.jsonl"
    journal = FileJournal(path)
    try:
        assert _lines_on_disk(path) == []
        journal.record(0, 0.0, Mark(note="one"))
        assert [json.loads(x)["note"] for x in _lines_on_disk(path)] == ["one"]
        journal.record(1, 0.011111, Mark(note="two"))
        assert [json.loads(x)["note"] for x in _lines_on_disk(path)] == ["one", "two"]
        assert journal.count == 2
    finally:
        journal.close()
    assert path.read_bytes().endswith(b"\n")


def test_a_file_journal_closes_once_however_often_it_is_closed(tmp_path):
    with FileJournal(tmp_path / "j.jsonl", fsync_every=1) as journal:
        journal.record(0, 0.0, Mark())
    journal.close()
    assert len(read_journal(tmp_path / "j.jsonl")) == 1


def test_memory_and_file_journals_given_the_same_events_hold_the_same_text(tmp_path):
    memory = MemoryJournal()
    with FileJournal(tmp_path / "j.jsonl") as file:
        tee = TeeJournal(memory, file)
        tee.record(0, 0.0, Say(intent="listen"))
        tee.record(5, 0.055556, Draw(tool="cew", hand="left"))
    assert (tmp_path / "j.jsonl").read_text(encoding="utf-8") == memory.text()
    assert read_journal(tmp_path / "j.jsonl") == memory.records()


# --------------------------------------------------------------- reading back


def _write_journal(path, count: int = 3) -> list[str]:
    with FileJournal(path) as journal:
        for i in range(count):
            journal.record(i, round(i / 90, 6), Say(intent="listen", text=f"line {i} — ok"))
    return path.read_text(encoding="utf-8").splitlines()


def test_reading_a_journal_cut_short_by_a_crash_skips_only_the_broken_last_line(tmp_path):
    path = tmp_path / "j.jsonl"
    lines = _write_journal(path)
    path.write_text("\n".join(lines[:2]) + "\n" + lines[2][: len(lines[2]) // 2], encoding="utf-8")
    records = read_journal(path)
    assert [r["text"] for r in records] == ["line 0 — ok", "line 1 — ok"]


def test_reading_a_journal_with_a_broken_line_in_the_middle_says_which_line(tmp_path):
    path = tmp_path / "j.jsonl"
    lines = _write_journal(path, count=4)
    lines[1] = lines[1][:10]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"j\.jsonl:2: journal line is not valid JSON"):
        read_journal(path)


def test_blank_lines_in_a_journal_are_ignored(tmp_path):
    path = tmp_path / "j.jsonl"
    lines = _write_journal(path, count=2)
    path.write_text(lines[0] + "\n\n" + lines[1] + "\n\n", encoding="utf-8")
    assert len(read_journal(path)) == 2


def test_a_crash_in_the_middle_of_a_multi_byte_character_loses_only_the_last_line(tmp_path):
    path = tmp_path / "j.jsonl"
    _write_journal(path)
    raw = path.read_bytes()
    cut = raw.rindex("—".encode("utf-8")) + 1  # one byte into the three-byte dash
    path.write_bytes(raw[:cut])
    assert [r["text"] for r in read_journal(path)] == ["line 0 — ok", "line 1 — ok"]


# ------------------------------------------------------------------ replaying

EVERY_INPUT = [
    Move(position=(1.25, -3.5), heading=-12.5, pitch=4.0),
    HandMove(hand="right", position=(0.3, -9.5, 1.25), heading=5.5, pitch=-3.0, roll=12.0),
    HandMove(hand="left", tracked=False),
    Say(intent="offer_help", tone="calm", text="Can I call someone for you?"),
    SpeechHeard(text="look ma'am", tone="shout"),
    Draw(tool="oc_spray", hand="left"),
    Holster(hand="left"),
    LowReady(hand="right", low=True),
    Touch(hand="left", subject="dale"),
    Use(hand="right"),
    ForceBranch(branch="draws_knife", subject="dale"),
    Escalate(amount=0.3, subject="dale"),
    Calm(amount=0.05, subject=""),
    Mark(note="good use of distance"),
    Mark(note="typed later", at=12.3456),
    Pause(),
    Resume(),
    Restart(),
    EndSession(by="trainee", reason="walked away"),
    EndSession(by="instructor", reason="time"),
    AnswerCall(),
    AskCaller(question="weapons"),
    AskCaller(text="Is he holding anything?", tone="shout"),
    FillCard(field="weapons", value="a kitchen knife"),
    DispatchUnit(),
    RadioAnswer(request=2, send=True, text="Unit 22 on the way"),
    Radio(request="crisis_team", text="Dispatch, start the crisis team"),
    Radio(request="backup", by="officer:2"),
    OfficerLeft(officer="officer:2", reason="connection lost"),
    OfficerJoined(officer="officer:2", name="Sam Ortiz"),
]


def test_the_round_trip_list_covers_every_input_type():
    assert {type(e).TYPE for e in EVERY_INPUT} == set(INPUT_TYPES)


@pytest.mark.parametrize("event", EVERY_INPUT, ids=lambda e: f"{e.TYPE}-{e.source}")
def test_every_input_rebuilt_from_its_journal_line_equals_the_original(event):
    record = json.loads(encode(7, 0.077778, event))
    rebuilt = input_from_record(record)
    assert rebuilt == event
    assert type(rebuilt) is type(event)
    assert encode(7, 0.077778, rebuilt) == encode(7, 0.077778, event)


def test_a_move_by_a_hair_below_zero_is_journaled_as_zero_not_minus_zero():
    from game.core import MemoryJournal, Simulation
    from game.core.scenario import ScenarioDef, SubjectDef

    sc = ScenarioDef(id="z", title="z", scene="none", subjects=(SubjectDef(id="s", name="S", position=(0.0, 0.0)),),
                     endings=())
    sim = Simulation(sc, seed=1, journal=MemoryJournal())
    sim.submit(Move(position=(-0.00001, 1.0), heading=-0.00002, pitch=-0.00001))
    sim.step()
    line = next(line for line in sim.journal.text().splitlines() if '"Move"' in line)
    assert "-0.0" not in line
