"""The call's review and records (issue 19): one report from the first ring to the end on
scene, and the dispatcher filed as a trainee of their own, exported like the officers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from game.content.scenario import load_scenario
from game.core.drivers import ScriptedTrainee
from game.core.events import AnswerCall, AskCaller, DispatchUnit, FillCard
from game.live.host import RunPlan, SessionHost
from game.review.load import review_run
from game.review.report import render_html

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "dispatch"


class DispatcherAt:
    """A dispatcher's inputs at set times of the session's clock (a stand-in for the page)."""

    seat = "dispatcher"

    def __init__(self, timeline):
        self.timeline = sorted(timeline, key=lambda x: x[0])

    def feed(self, sim):
        now = sim.snapshot().time
        while self.timeline and self.timeline[0][0] <= now + 1e-9:
            sim.submit(self.timeline.pop(0)[1])


def knife_with_call(folder: Path) -> Path:
    scenarios = ROOT / "scenarios"
    (folder / "scripts").mkdir(parents=True)
    shutil.copy(scenarios / "scripts" / "knife_parking_lot_good.yaml", folder / "scripts")
    path = folder / "knife_parking_lot.yaml"
    path.write_text((scenarios / "knife_parking_lot.yaml").read_text(encoding="utf-8") + "\n"
                    + (FIXTURES / "knife_call.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def take(weapon: bool):
    d = "dispatcher"
    steps = [(0.5, AnswerCall(by=d)), (1.0, AskCaller(question="address", by=d)),
             (1.5, AskCaller(text="Can you describe him, is anyone with him?", by=d)),
             (2.5, FillCard(field="location", value="Fairway supermarket, Elm Road, back lot", by=d)),
             (2.5, FillCard(field="persons", value="One man, thirties, grey hoodie", by=d)),
             (4.0, DispatchUnit(by=d))]
    if weapon:
        steps += [(2.0, AskCaller(question="weapons", by=d)),
                  (3.0, FillCard(field="weapons", value="Large kitchen knife, held at his side", by=d))]
    return steps


@pytest.fixture(scope="module")
def knife(tmp_path_factory):
    return load_scenario(knife_with_call(tmp_path_factory.mktemp("scenario")))


def session(knife, out: Path, weapon: bool, duration: float = 60.0) -> Path:
    plan = RunPlan(knife, seed=2, out=out, trainee="Sam Ortiz", dispatcher="Jo Reyes", duration=duration)
    host = SessionHost(plan, [ScriptedTrainee(knife.default_script), DispatcherAt(take(weapon))])
    host.start()
    info = host.run()
    return out / info["run_id"]


def test_a_call_with_the_weapon_question_passes_the_knife_on_and_the_review_credits_the_officer_for_the_gap(knife, tmp_path):
    run = session(knife, tmp_path, weapon=True)
    rv = review_run(run)
    cr = rv.call
    assert cr.dispatcher == "Jo Reyes" and cr.answered_at == pytest.approx(0.5, abs=0.02)
    assert [q[1] for q in cr.questions] == ["address", "who", "weapons"]
    assert cr.fact("weapon").status == "passed on" and cr.fact("weapon").passed_on == "briefing"
    assert cr.fact("weapon").look_for_met is True
    assert (cr.knowable, cr.learned, cr.passed) == (4, 4, 3)
    assert cr.fact("nature").status == "learned but not passed on"  # the opening told it; the card never said it
    assert any(n.startswith("The officer knew of “a large kitchen knife") and "met: Kept more than 7 m" in n
               for n in cr.notes)
    assert any(n.startswith("Time to dispatch: 4 s from the first ring") for n in cr.notes)
    assert rv.scene_start == pytest.approx(cr.arrived_at) and rv.scene_start > 4.0  # the score counts the scene only
    html = render_html(rv, run)
    assert "id=call-timeline" in html and "Large kitchen knife, held at his side" in html
    assert html.index("id=call") < html.index("id=contact")  # the call comes first: it came first


def test_a_missed_weapon_question_gives_a_briefing_without_the_knife_and_the_review_says_so(knife, tmp_path):
    run = session(knife, tmp_path, weapon=False)
    journal = [json.loads(x) for x in (run / "journal.jsonl").read_text(encoding="utf-8").splitlines()]
    (briefing,) = [r for r in journal if r["type"] == "BriefingGiven"]
    assert "knife" not in json.dumps(briefing).lower()
    cr = review_run(run).call
    assert cr.fact("weapon").status == "never asked"
    assert "Never asked about weapon (weapons): the officer arrived not knowing “a large kitchen knife, held at his side”." \
        in cr.notes
    assert any(n.startswith("The officer did not know of “a large kitchen knife") for n in cr.notes)
    assert cr.score < 100


def test_the_dispatcher_is_filed_as_a_trainee_of_their_own_and_exported_the_same_way(knife, tmp_path, capsys):
    from game.live.filing import record_run
    from game.records import Records, to_csv, to_xapi

    run = session(knife, tmp_path / "runs", weapon=False, duration=20.0)
    db = tmp_path / "records.sqlite3"
    record_run(run, db=str(db))
    record_run(run, db=str(db))  # filing again replaces, never doubles
    with Records(str(db)) as records:
        people = {t["name"]: t for t in records.trainees()}
        assert set(people) == {"Sam Ortiz", "Jo Reyes"} and people["Jo Reyes"]["sessions"] == 1
        (mine,) = records.sessions("Jo Reyes")
        assert mine["role"] == "dispatcher" and mine["run_id"] == f"{run.name}:dispatcher"
        assert (mine["look_for_met"], mine["look_for_total"]) == (2, 4)  # the facts passed on, of those knowable
        assert records.sessions("Sam Ortiz")[0]["role"] == "officer"
        rows = records.sessions()
    csv_text = to_csv(rows)
    assert csv_text.splitlines()[0].endswith(",role") and ",dispatcher\r" in csv_text.replace("\n", "\r")
    roles = {s["actor"]["name"]: s["context"]["extensions"]["urn:talkdown:role"] for s in to_xapi(rows)}
    assert roles == {"Sam Ortiz": "officer", "Jo Reyes": "dispatcher"}
    from game.cli import main

    assert main(["records", "sessions", "--db", str(db), "--trainee", "Jo Reyes"]) == 0
    assert "dispatcher: facts passed on 2/4" in capsys.readouterr().out
