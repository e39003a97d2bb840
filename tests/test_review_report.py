"""The report file itself: plots with time ticks and event lines labelled in plain sight (staggered,
never overlapping, shortened only where they must be), one self-contained HTML file, and the frame
shown for a key moment taken at that moment, not the next periodic frame."""

from __future__ import annotations

import json
import re
from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st

from game.review.load import review_run
from game.review.report import render_html
from review_support import record_run

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _visible_marks(svg: str) -> list[str]:
    """The event labels' visible text (without their hover titles)."""
    return [unescape(m) for m in re.findall(r'<text class="mark"[^>]*><title>[^<]*</title>([^<]*)</text>', svg)]


def test_time_ticks_are_round_seconds_for_short_runs_and_minutes_for_long_ones():
    from game.review.plots import time_ticks

    assert [label for _, label in time_ticks(60.0)] == [f"{s} s" for s in range(0, 61, 10)]
    assert [label for _, label in time_ticks(9.2)] == [f"{s} s" for s in range(0, 10)]
    assert [label for _, label in time_ticks(240.0)] == ["0:00", "0:30", "1:00", "1:30", "2:00", "2:30", "3:00", "3:30", "4:00"]
    assert all(len(time_ticks(span)) <= 11 for span in (1.0, 7.0, 33.0, 119.0, 301.0, 3599.0))


def test_every_plot_has_time_ticks_and_every_event_line_a_visible_label(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "traffic_stop", "poor"))
    html = render_html(rv)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4
    for svg in svgs:
        ticks = re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', svg)
        assert ticks[:3] == ["0 s", "2 s", "4 s"] and ticks[-1] == "18 s", ticks  # the session lasts 19.1 s
    shown = _visible_marks(svgs[0])
    assert shown and all(x for x in shown)
    words = " · ".join(shown)
    for _, label in rv.key_moments:  # each moment readable on the plot, whole or shortened with "…"
        assert label in words or any(p.endswith("…") and label.startswith(p[:-1]) for x in shown for p in x.split(" · ")), \
            label
    assert "cew drawn" in shown and "first words" in shown


def test_event_labels_never_overlap_even_when_many_moments_crowd_together():
    from game.review.plots import CHAR_W, W, place_labels

    dense = [(10.0 + 0.2 * i, f"moment number {i} with a long name") for i in range(12)] + \
            [(59.5, "ending: a long ending name near the edge"), (0.0, "start of it all")]
    for marks, span in ((dense, 60.0), ([(8.8, "hands on"), (8.8, "neil: branch turns_belligerent"),
                                         (8.8, "neil attacked trainee"), (8.8, "ending: swung_at_officer")], 10.8)):
        labels = place_labels(marks, span)
        for a in labels:
            assert 0 <= a.left and a.right <= W, (a.text, a.left, a.right)
            assert a.text and (a.text.endswith("…") or any(a.text in m for _, m in marks) or " · " in a.text)
            for b in labels:
                if a is not b and a.row == b.row:
                    assert a.right + CHAR_W <= b.left or b.right + CHAR_W <= a.left, (a.text, b.text)
        shown = " ".join(x.text for x in labels)
        assert sum(1 for _, m in marks if m in shown) >= len(marks) // 3  # most stay whole


def test_the_report_stays_one_self_contained_file(tmp_path):
    html = render_html(review_run(record_run(tmp_path / "run", "knife_parking_lot", "poor")))
    assert "<script" not in html and not re.findall(r'(?:href|src)="(?!data:)', html)
    assert not re.findall(r"url\(", html) and html.count("<svg") == 4


def test_a_key_moment_shows_the_frame_taken_at_it_not_the_nearest_before_it(tmp_path):
    run = record_run(tmp_path / "run", "welfare_check", "good")
    rv = review_run(run)
    spoke = rv.first_words_time
    ended = next(t for t, label in rv.key_moments if label.startswith("ending"))
    assert spoke == 5.0
    frames = [(0, 0.0), (445, 4.9444), (468, 5.2), (900, 10.0), (2700, 30.0), (3150, 35.0)]
    (run / "frames").mkdir()
    listed = []
    for step, t in frames:
        (run / "frames" / f"frame_{step:06d}.png").write_bytes(PNG)
        listed.append({"file": f"frames/frame_{step:06d}.png", "step": step, "time": t})
    info = json.loads((run / "run.json").read_text())
    (run / "run.json").write_text(json.dumps({**info, "frames": listed}))
    html = render_html(review_run(run))
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", html)
    # the frame saved just after the words (as the capture saves it), not the nearer one 0.06 s before them
    assert "5.2 s — first words" in captions and not [c for c in captions if c.startswith("4.9 s")], captions
    (end,) = [c for c in captions if "ending" in c]
    assert end == f"35.0 s — ending: accepts_help (resolved_peacefully) (at {ended:.1f} s; nearest frame " \
                  f"{35.0 - ended:.1f} s later) · end"


def test_the_capture_saves_a_frame_at_the_trainees_first_words(tmp_path):
    from game.core.events import Escalate, Say
    from game.engine.capture import FrameCapture

    capture = FrameCapture(None, tmp_path / "frames", interval=5.0, limit=0)  # no periodic frames: moments only
    assert not capture.due(2.0)
    capture.record(100, 1.1, Escalate(amount=0.1))  # not a key moment
    assert not capture.due(1.2)
    capture.record(180, 2.0, Say(intent="greet", tone="calm", text="Evening, sir."))
    assert capture.due(2.0)
    capture._wanted = False  # as save() does once the frame is queued
    capture.record(300, 3.3, Say(intent="ask_name", text="What's your name?"))
    assert not capture.due(3.3)  # only the first words are a key moment


@settings(max_examples=300, deadline=None)
@given(span=st.sampled_from([5.0, 10.0, 60.0, 240.0]),
       marks=st.lists(st.tuples(st.floats(0.0, 1.0), st.text("abc :·", min_size=1, max_size=45)), min_size=1, max_size=25))
def test_event_labels_stay_inside_the_plot_and_apart_for_any_moments(span, marks):
    from game.review.plots import CHAR_W, W, place_labels

    labels = place_labels([(f * span, text) for f, text in marks], span)
    assert labels
    for a in labels:
        assert 0 <= a.left and a.right <= W
        assert all(a.right + CHAR_W <= b.left or b.right + CHAR_W <= a.left for b in labels if b is not a and b.row == a.row)
