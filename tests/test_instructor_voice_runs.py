"""``talkdown run`` and ``talkdown replay`` with the instructor's voice in the scene: without a
microphone ``--instructor-voice`` is one line and the run goes on with a scripted puppet line;
a recording with the instructor's speech (real audio through the voice device, kept in the run
folder) replays in 3D byte for byte, playing the kept recording."""

from __future__ import annotations

import pytest

from game.cli import main as talkdown_main
from game.core import read_journal
from review_support import record_run
from test_cli import only_run_dir, talkdown

SCRIPT = """format_version: 1
title: Welfare check with an instructor who puppets the subject
scenario: welfare_check
actions:
  - {at: 0.5, walk_to: [0.0, -6.0]}
  - {at: 1.5, instructor: puppet, subject: dale, line: ask_what_happened, variant: 1}
"""


@pytest.mark.render
def test_run_with_the_instructors_voice_and_no_microphone_says_so_in_one_line_and_puppets_from_the_script(tmp_path):
    from game.voice.microphone import MicrophoneUnavailable, input_devices

    try:
        if input_devices():
            pytest.skip("this machine has a microphone")
    except MicrophoneUnavailable:
        pass
    script = tmp_path / "puppet.yaml"
    script.write_text(SCRIPT, encoding="utf-8")
    result = talkdown("run", "welfare_check", "--offscreen", "--console", "--instructor-voice", "--script", str(script),
                      "--duration", "3", "--size", "160x90", "--no-records", "--out", str(tmp_path / "runs"),
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [x for x in result.stdout.splitlines() if "speaking as" in x]
    assert len(lines) == 1 and lines[0].startswith("talkdown: no speaking as a subject or dispatch — "), result.stdout
    records = read_journal(only_run_dir(tmp_path / "runs") / "journal.jsonl")
    said = [r for r in records if r["type"] == "SubjectSaid" and r.get("instructor") == "puppet"]
    assert [r["text"] for r in said] == ["Nothing happened. Everything happened."]


@pytest.mark.render
def test_a_recording_with_the_instructor_speaking_as_the_subject_replays_in_3d_byte_for_byte(tmp_path, capsys):
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        pytest.skip("pocketsphinx is not installed (pip install 'talkdown[voice]')")
    from game.voice.synth import espeak, synthesize, with_noise

    if espeak() is None:
        pytest.skip("espeak-ng is not installed")
    from game.voice.hear import create_listener
    from game.voice.instructor_voice import InstructorVoice

    run = tmp_path / "run"
    pcm = with_noise(synthesize("show me your hands"), seed=2)
    holder = {}

    def feed(sim):
        voice = holder.get("voice")
        if voice is None:
            voice = holder["voice"] = InstructorVoice(create_listener(free=False), sim.scenario, lambda: run)
            voice.begin("dale", sim.now)
            for i in range(0, len(pcm), 960):
                voice.push(pcm[i:i + 960])
            voice.end()
            voice.wait()
        voice.feed(sim)

    record_run(run, "welfare_check", "good", duration=4.0, feed=feed)
    holder["voice"].close()
    (spoke,) = [r for r in read_journal(run / "journal.jsonl") if r["type"] == "SpeakAs"]
    assert (run / spoke["audio"]).is_file()
    from engine_support import offscreen_base
    from game.engine.replay.player import Replay
    from game.review.load import scenario_of

    with offscreen_base(160, 120) as base:
        replay = Replay(base, scenario_of(run), run, realtime=False)
        try:
            replay.seek(spoke["time"] + 0.5)  # skipped over: not played
            assert replay.voices.played == []
            replay.seek(0.0)
            result = replay.run()  # played through: the kept recording plays from Dale's head
        finally:
            replay.destroy()
    assert result["matched"]
    assert replay.voices.played == [("dale", pytest.approx(spoke["seconds"], abs=0.01))]
    assert talkdown_main(["replay", str(run), "--offscreen", "--size", "160x120", "--speed", "2"]) == 0
    out = capsys.readouterr().out
    assert "matches the recording byte for byte" in out and "cannot be played" not in out


def test_a_journal_whose_speak_as_names_a_file_outside_the_run_folder_is_refused_in_one_line(tmp_path, capsys):
    import json

    run = record_run(tmp_path / "run", "welfare_check", "good", duration=3.0)
    lines = (run / "journal.jsonl").read_text().splitlines()
    at = json.loads(lines[5])
    lines.insert(6, json.dumps({"step": at["step"], "time": at["time"], "type": "SpeakAs", "source": "instructor",
                                "voice": "dale", "text": "x", "understood": False, "tone": "normal",
                                "audio": "../../../etc/passwd", "seconds": 1.0, "at": None}))
    (run / "journal.jsonl").write_text("\n".join(lines) + "\n")
    assert talkdown_main(["replay", str(run), "--check"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot be re-simulated (a SpeakAs recording is 'voice/NAME.wav'" in err[0]
