"""A subject whose behaviour wants past an officer in its way does not stop at arm's length:
fleeing it pushes past, attacking someone else it grapples the officer, then breaks through;
both journaled, the same every time. An officer who is the attack's target is struck as before."""

from __future__ import annotations

import json
import math
from dataclasses import replace

from game.core import MemoryJournal, Simulation
from game.core.events import Move
from game.core.presence import GRAPPLE_SECONDS, PASSING_SPACE, PERSONAL_SPACE
from game.core.scenario import EndingDef, Profile, ScenarioDef, SubjectDef

OFFICER = (0.0, 3.0)


def _scenario(*subjects: SubjectDef) -> ScenarioDef:
    return ScenarioDef(id="meet", title="Meet", scene="none", subjects=subjects,
                       endings=(EndingDef(id="end", outcome="resolved_peacefully"),),
                       trainee_position=OFFICER, trainee_heading=180.0, bounds=((-10.0, -10.0), (10.0, 12.0)))


def _run(scenario: ScenarioDef, seconds: float, seed: int = 1):
    sim = Simulation(scenario, seed=seed, journal=MemoryJournal())
    tracks: dict[str, list[tuple[float, float]]] = {s.id: [] for s in scenario.subjects}
    for i in range(int(seconds * sim.clock.hz)):
        if i % 30 == 0:  # the officer stands still and says so now and then, as a device does
            sim.submit(Move(position=OFFICER, heading=180.0))
        sim.step()
        for m in sim.minds:
            tracks[m.state.id].append(m.state.position)
    events = [json.loads(line) for line in sim.journal.lines]
    return sim, tracks, events


RUNNER = SubjectDef(id="ty", name="Ty", position=(0.1, 0.0), heading=0.0,
                    tree={"sequence": [{"goal": "flee"}, {"flee": {"to": [0.0, 10.0], "speed": "run"}}]},
                    profile=Profile(goals=("stay", "flee")))


def test_a_fleeing_subject_with_the_officer_in_its_way_pushes_past_instead_of_stopping():
    _, tracks, events = _run(_scenario(RUNNER), 6.0)
    pushed = [e for e in events if e["type"] == "SubjectPushedPast"]
    assert [(e["subject"], e["officer"]) for e in pushed][:1] == [("ty", "officer:1")]
    track = tracks["ty"]
    assert track[-1][1] > 9.0  # it got where it was running to, beyond the officer
    closest = min(math.dist(p, OFFICER) for p in track)
    assert PASSING_SPACE - 1e-6 <= closest < PERSONAL_SPACE  # shoulder to shoulder, never through


def test_a_subject_walking_somewhere_with_the_officer_in_its_way_still_stops_at_arms_length():
    walker = replace(RUNNER, tree={"move_to": [0.0, 10.0]}, position=(0.0, 0.0))
    _, tracks, events = _run(_scenario(walker), 6.0)
    assert not [e for e in events if e["type"] in ("SubjectPushedPast", "SubjectGrappled")]
    assert min(math.dist(p, OFFICER) for p in tracks["ty"]) >= PERSONAL_SPACE - 1e-6
    assert tracks["ty"][-1][1] < OFFICER[1]  # held up on the near side


ROB = SubjectDef(id="rob", name="Rob", position=(0.1, 0.0), heading=0.0,
                 tree={"sequence": [{"goal": "attack"}, {"attack": {"target": "dana"}}, {"idle": True}]},
                 profile=Profile(goals=("stay", "attack")))
DANA = SubjectDef(id="dana", name="Dana", position=(0.0, 6.0), tree={"idle": True})


def test_a_subject_attacking_someone_else_grapples_the_officer_between_them_then_breaks_through():
    sim, tracks, events = _run(_scenario(ROB, DANA), 8.0)
    grappled = [e for e in events if e["type"] == "SubjectGrappled"]
    assert grappled and (grappled[0]["subject"], grappled[0]["officer"], grappled[0]["seconds"]) == \
        ("rob", "officer:1", GRAPPLE_SECONDS)
    start = grappled[0]["step"]
    held = tracks["rob"][start:start + int(GRAPPLE_SECONDS * sim.clock.hz) - 1]
    assert max(math.dist(p, held[0]) for p in held) < 0.05  # it holds on to the officer, standing
    assert all(math.dist(p, OFFICER) >= 0.55 - 1e-6 for p in held)  # at arm's length
    assert all(math.dist(p, OFFICER) >= PASSING_SPACE - 1e-6 for p in tracks["rob"])
    attacked = [e for e in events if e["type"] == "SubjectAttacked"]
    assert attacked and attacked[0]["target"] == "dana" and attacked[0]["step"] > start + GRAPPLE_SECONDS * sim.clock.hz


def test_an_officer_who_is_the_target_of_the_attack_is_struck_not_grappled():
    rob = replace(ROB, tree={"sequence": [{"goal": "attack"}, {"attack": "trainee"}, {"idle": True}]})
    _, _, events = _run(_scenario(rob), 4.0)
    kinds = [e["type"] for e in events]
    assert "SubjectAttacked" in kinds and "SubjectGrappled" not in kinds and "SubjectPushedPast" not in kinds


def test_pushing_past_and_grappling_journal_the_same_bytes_every_time():
    def lines():
        sim, _, _ = _run(_scenario(ROB, DANA, replace(RUNNER, position=(-0.2, -1.0))), 6.0, seed=4)
        return sim.journal.lines

    first = lines()
    assert first == lines()
    assert any('"type":"SubjectGrappled"' in line for line in first)


def test_the_review_names_the_grapple_and_the_push_past_among_its_key_moments(tmp_path):
    from game.content.policy import load_policy
    from game.review.analysis import analyse

    scenario = _scenario(ROB, DANA, replace(RUNNER, position=(-0.2, -1.0)))
    sim, _, _ = _run(scenario, 6.0, seed=4)
    sim.finish("completed")
    (tmp_path / "journal.jsonl").write_text("\n".join(sim.journal.lines) + "\n", encoding="utf-8")
    moments = [text for _, text in analyse(tmp_path, scenario, load_policy()).key_moments]
    assert "rob grappled officer:1 (2 s)" in moments
    assert "ty pushed past officer:1" in moments
