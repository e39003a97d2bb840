"""At the desk (issue 19): the officer sees the dispatcher's briefing — exactly the card — and
the radio, on the trainee's overlay; without a dispatcher the written briefing, as before."""

from __future__ import annotations

import pytest

pytest.importorskip("panda3d")

from panda3d.core import NodePath  # noqa: E402

from game.core.events import BriefingGiven, OfficerArrived, RadioAnswered, UnitArrived  # noqa: E402
from game.engine.desk.overlay import Overlay  # noqa: E402

HANDS = {"left": "", "right": ""}


def overlay(briefing: str, dispatched: bool) -> Overlay:
    root = NodePath("aspect2d")
    return Overlay(root, root.attach_new_node("top_left"), root.attach_new_node("bottom_left"), title="Bridge",
                   briefing=briefing, legend="", names={}, dispatched=dispatched)


def test_without_a_dispatcher_the_written_briefing_shows_for_eight_seconds_as_before():
    o = overlay("19:52, Ferry Street bridge.", dispatched=False)
    o.update(7.9, HANDS)
    assert o.briefing.getText() == "19:52, Ferry Street bridge."
    o.update(8.1, HANDS)
    assert o.briefing.getText() == ""


def test_with_a_dispatcher_the_officer_waits_then_reads_exactly_the_card_until_ten_seconds_on_scene():
    o = overlay("Waiting for dispatch…", dispatched=True)
    o.update(40.0, HANDS)
    assert o.briefing.getText() == "Waiting for dispatch…"
    o.record(4000, 44.0, BriefingGiven(text="Location: Ferry Street bridge. Weapons: None seen.",
                                       card={"location": "Ferry Street bridge", "weapons": "None seen"}))
    o.update(50.0, HANDS)
    assert o.briefing.getText() == "Dispatch: Location: Ferry Street bridge. Weapons: None seen."
    o.record(5300, 59.0, OfficerArrived())
    o.update(68.9, HANDS)
    assert o.briefing.getText().startswith("Dispatch: Location")
    o.update(69.1, HANDS)
    assert o.briefing.getText() == ""
    o.record(6000, 70.0, RadioAnswered(number=1, request="backup", text="Unit 22 on the way", eta=160.0))
    assert o.subtitle.getText() == "Dispatch: Unit 22 on the way"
    o.record(14400, 160.0, UnitArrived(request="backup", number=1))
    assert o.subtitle.getText() == "Dispatch: backup on scene"
