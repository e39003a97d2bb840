"""The review lists the instructor's voice in the scene: puppeted lines and speech as a subject
or dispatch are the instructor's interventions in the timeline, and the report plays the kept
recordings."""

from __future__ import annotations

from game.core.events import Puppet, SpeakAs
from game.review.load import review_run
from game.review.report import render_html
from review_support import record_run


def test_puppeted_lines_and_speech_as_a_subject_or_dispatch_are_the_instructors_interventions(tmp_path):
    sent = []

    def feed(sim):
        if sim.now >= 3.0 and "puppet" not in sent:
            sim.submit(Puppet(subject="dale", line="ask_name"))
            sent.append("puppet")
        if sim.now >= 4.0 and "voice" not in sent:
            sim.submit(SpeakAs(voice="dale", text="instructor spoke as Dale Porter", audio="voice/0001-dale.wav",
                               seconds=1.5, at=3.9))
            sim.submit(SpeakAs(voice="dispatch", text="units be advised", understood=True,
                               audio="voice/0002-dispatch.wav", seconds=2.0))
            sent.append("voice")

    rv = review_run(record_run(tmp_path / "run", "welfare_check", "good", feed=feed))
    mine = [(e.kind, e.text) for e in rv.timeline if e.who == "instructor"]
    assert mine == [
        ("Puppet", "made Dale Porter say its line 'ask_name'"),
        ("SpeakAs", "instructor spoke as Dale Porter (1.5 s, recording voice/0001-dale.wav)"),
        ("SpeakAs", "spoke as dispatch (the radio): “units be advised” (2.0 s, recording voice/0002-dispatch.wav)"),
    ]
    said = [e.text for e in rv.timeline if e.kind == "SubjectSaid" and "instructor" in e.text]
    assert said == ["“Dale. It's Dale.” (the instructor's pick)"]
    assert rv.instructor_actions == 3
    html = render_html(rv)
    assert "<h2>The instructor in the scene</h2>" in html
    assert '<audio controls preload=none src="voice/0001-dale.wav"></audio>' in html
    assert "<tr class=instructor><td>3.0</td><td>INSTRUCTOR</td><td>Puppet</td>" in html
