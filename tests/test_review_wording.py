"""The review's words an instructor would otherwise question, read from scripted runs of the shipped
scenarios (headless: the simulation and the journal, no rendering): a shout or a force option "within
policy" on a confused, elderly or deaf subject is not praise; standing outside the reactionary gap is
no fault; an escalation that followed the trainee's own action says so; the subject's weapon is called
what the scenario says it is."""

from __future__ import annotations

from pathlib import Path

from game.content.library import package_dir
from game.content.scenario import load_scenario
from game.content.script import load_script
from game.core import MemoryJournal
from game.core.drivers import ScriptedTrainee
from game.core.simulation import Simulation
from game.review.load import review_run
from game.review.report import render_html
from game.session import Session
from review_support import record_run

SCENARIOS = package_dir("scenarios")


def run_actions(run_dir: Path, scenario: str | Path, actions: list[str], *, duration: float = 60.0) -> Path:
    """Runs a scenario (a shipped id or a file) with a trainee script of ``actions`` to its end."""
    path = Path(scenario) if isinstance(scenario, Path) else SCENARIOS / f"{scenario}.yaml"
    loaded = load_scenario(path)
    script_file = run_dir.parent / f"{run_dir.name}-script.yaml"
    script_file.write_text(f"format_version: 1\nscenario: {loaded.scenario.id}\nactions:\n"
                           + "".join(f"  - {a}\n" for a in actions), encoding="utf-8")
    session = Session(loaded, seed=1, run_dir=run_dir, providers=[ScriptedTrainee(load_script(script_file))],
                      duration=duration, trainee="Alex Doe", meta={"mode": "test"})
    while not session.done:
        session.step()
    session.close("completed")
    return run_dir


def screwdriver_scenario(folder: Path) -> Path:
    """knife_parking_lot with Aaron holding a screwdriver (``weapon: knife`` for its reach, named so)."""
    text = (SCENARIOS / "knife_parking_lot.yaml").read_text(encoding="utf-8")
    assert text.count("      weapon: knife\n") == 1
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "library").mkdir(exist_ok=True)
    (folder / "library" / "common.yaml").write_text((SCENARIOS / "library" / "common.yaml").read_text(encoding="utf-8"),
                                                    encoding="utf-8")
    (folder / "scripts").mkdir(exist_ok=True)
    for kind in ("good", "poor"):
        name = f"knife_parking_lot_{kind}.yaml"
        (folder / "scripts" / name).write_text((SCENARIOS / "scripts" / name).read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "knife_parking_lot.yaml"
    path.write_text(text.replace("      weapon: knife\n", "      weapon: knife\n      weapon_name: screwdriver\n"),
                    encoding="utf-8")
    return path


# ------------------------------------------------------------ a: restraint, not praise


def test_a_poor_run_on_a_confused_old_man_does_not_praise_its_shouts_or_its_hands_on(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "dementia_welfare", "poor"))
    good, work = " | ".join(rv.went_well), " | ".join(rv.work_on)
    assert "Stop right there" not in good and "within policy" not in good
    assert "First words after 3.0 s were shouted, at Walter Hughes (elderly and confused): “Sir! Stop right there!”" in work
    assert "Shouted 6 time(s); the first at 3.0 s, at Walter Hughes (elderly and confused)" in work
    (hands,) = [x for x in rv.work_on if x.startswith("hands on at 15.5 s")]
    assert "within the letter of the policy" in hands and "Walter is elderly and confused" in hands
    assert "necessary and proportionate" in hands and "sanctity of life" in hands
    (touch,) = rv.force
    assert touch.allowed and touch.caution == "elderly and confused"
    assert rv.icat[3] == ["15.5 s: hands on at passive resistance — within policy, but the subject is elderly and confused: "
                          "necessary and proportionate?"]
    # the look-for point "asked his name … kindly" is met by a shouted question: not praised either
    assert "Asked for and used his name" not in good
    assert "Asked for and used his name; kept sentences short and repeated kindly when he forgot — met only in its words " \
        "at 8.0 s: they were shouted (ask name: “What's your name? Where do you live?”)." in rv.work_on


def test_oc_spray_drawn_on_a_confused_man_is_within_policy_but_its_necessity_is_questioned(tmp_path):
    rv = review_run(run_actions(tmp_path / "run", "dementia_welfare", [
        "{at: 0.5, walk_to: [0.8, -4.0], speed: 1.2}",
        "{at: 4.0, say: command_stop, tone: shout, text: \"DROP IT!\"}",
        "{at: 5.0, draw: oc_spray, hand: right}",
    ], duration=12.0))
    (oc,) = rv.force
    assert (oc.tool, oc.action, oc.allowed) == ("oc_spray", "drawn", True)
    assert not [x for x in rv.went_well if "DROP IT" in x or "within policy" in x]
    assert any(x.startswith("oc spray drawn at 5.0 s on Walter Hughes was within the letter of the policy")
               and "but Walter is elderly and confused: was it necessary and proportionate?" in x for x in rv.work_on)
    assert any("within policy, but the subject is elderly and confused" in x for x in rv.icat[3])
    html = render_html(rv)
    assert "within policy — but elderly and confused: necessary and proportionate?" in html


def test_a_deaf_mans_shouted_commands_are_named_as_what_he_cannot_hear(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "deaf_subject", "poor"))
    assert not [x for x in rv.went_well if "First words" in x]
    assert any("at Daniel Mensah (deaf)" in x for x in rv.work_on)
    assert any(x.startswith("cew drawn at 9.0 s on Daniel Mensah was within the letter of the policy") for x in rv.work_on)
    assert not [x for x in rv.went_well if "within policy" in x]


def test_calm_first_words_and_force_on_an_armed_man_within_policy_are_still_noted_as_good(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "knife_parking_lot", "poor"))
    assert "First words after 2.0 s: “Police!”." in rv.went_well  # said, not shouted
    assert "All 1 force decision(s) were within policy." in rv.went_well  # a gun drawn on a man with a knife


# ------------------------------------------------------------ b: distances


def test_standing_seven_metres_from_a_man_with_a_knife_is_praised_not_faulted(tmp_path):
    from game.review.analysis import metres

    rv = review_run(run_actions(tmp_path / "run", "knife_parking_lot", [
        "{at: 0.5, walk_to: [3.2, -8.3], speed: 1.2}",
        "{at: 9.0, say: call_backup, tone: calm, text: \"Start me a second unit.\"}",
        "{at: 12.0, say: greet, tone: calm, text: \"Hi, I'm Alex. I'm staying right here.\"}",
    ], duration=25.0))
    assert rv.armed_present and 6.4 < rv.closest_armed < 7.5 and rv.armed_inside_gap == 0.0
    assert rv.time_inside_armed_gap > 0  # inside the gap plus its margin, outside the gap
    distance_words = ("gap", " m;", "comfort distance", "closest")
    assert not [x for x in rv.work_on if any(w in x for w in distance_words) and not x.startswith("Not seen: ")], rv.work_on
    (line,) = [x for x in rv.went_well if "reactionary gap" in x]
    assert line.startswith("With the knife out, the trainee stayed outside the 6.4 m reactionary gap throughout "
                           f"(closest {metres(rv.closest_armed, 6.4, 7.5)}).")
    assert "more distance or cover would buy more time" in line
    assert any("outside the 6.4 m reactionary gap throughout" in x for x in rv.icat[2])


def test_a_good_run_with_an_unarmed_subject_is_not_faulted_for_the_reactionary_gap(tmp_path):
    for scenario in ("dementia_welfare", "traffic_stop", "welfare_check", "juvenile_shoplifter"):
        rv = review_run(record_run(tmp_path / scenario, scenario, "good"))
        assert not [x for x in rv.work_on if "gap" in x or "comfort distance" in x], (scenario, rv.work_on)
        assert any(x.startswith("Gave ") and "space (never inside" in x for x in rv.went_well), (scenario, rv.went_well)
        assert "reactionary gap" not in " ".join(rv.icat[2])


def test_a_distance_never_rounds_across_the_limit_it_is_compared_with(tmp_path):
    from game.review.analysis import metres

    assert (metres(6.38, 6.4), metres(6.4, 6.4), metres(7.24, 6.4, 7.5), metres(6.3999, 6.4)) == \
        ("6.38 m", "6.4 m", "7.2 m", "6.400 m")
    rv = review_run(record_run(tmp_path / "run", "bridge_crisis", "poor"))
    (crowded,) = [x for x in rv.work_on if "comfort distance" in x]
    assert crowded.startswith("11.0 s inside Claire's comfort distance (4 m; closest 1.1 m)")


# ------------------------------------------------------------ c: what the trainee's action set off


def test_an_escalation_right_after_the_trainees_shout_says_so_in_icat_step_5_and_the_summary(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "traffic_stop", "poor"))
    (line,) = [x for x in rv.icat[5] if x.startswith("17.0 s: kevin escalated (attacking)")]
    assert "agitation rose 2.0 s after the trainee shouted “You want to get tased? Keep it up!”" in line
    assert "Kevin escalated (attacking) at 17.0 s: agitation rose 2.0 s after the trainee shouted " \
        "“You want to get tased? Keep it up!”." in rv.work_on
    calm = review_run(record_run(tmp_path / "good", "traffic_stop", "good"))
    assert not calm.provocations and not [x for x in calm.icat[5] if "after the trainee" in x]


def test_an_escalation_after_the_trainee_drew_a_weapon_names_the_weapon_and_the_agitation(tmp_path):
    rv = review_run(record_run(tmp_path / "run", "welfare_check", "poor"))
    (p,) = rv.provocations
    assert p.subject == "dale" and p.agitation[1] > p.agitation[0]
    assert p.acts == ((2.47, "shouted “Hey! Stop right there!”"), (0.97, "drew the firearm"))
    assert any(x.startswith("4.0 s: dale escalated (fists) — agitation rose (") and "drew the firearm (1.0 s before)" in x
               for x in rv.icat[5])


# ------------------------------------------------------------ f: the weapon's own name


def test_a_screwdriver_is_called_a_screwdriver_in_the_review_and_on_the_hud(tmp_path):
    from game.engine.hud import weapon_text

    path = screwdriver_scenario(tmp_path / "scenarios")
    loaded = load_scenario(path)
    assert loaded.scenario.subjects[0].profile.weapon_name == "screwdriver"
    actions = [line.strip()[2:] for line in (SCENARIOS / "scripts" / "knife_parking_lot_poor.yaml").read_text().splitlines()
               if line.strip().startswith("- {")]
    rv = review_run(run_actions(tmp_path / "run", path, actions, duration=120.0))
    assert rv.armed_names == ["screwdriver"]
    assert "0.0 s: aaron's screwdriver out, 13.5 m away" in rv.icat[2]
    assert any(x.startswith("screwdriver out: closest") for x in rv.icat[2])
    assert any(x.startswith("With the screwdriver out, ") for x in rv.work_on)
    assert any(label == "aaron attacked trainee with the screwdriver" for _, label in rv.key_moments)
    html = render_html(rv)
    assert "With the screwdriver out: closest" in html and "struck at trainee with the screwdriver" in html
    generated = [*rv.went_well, *rv.work_on, *rv.icat[2], *rv.icat[5],
                 *(label for _, label in rv.key_moments if ": branch " not in label)]  # branch ids are the author's
    authored = [x["text"] for x in rv.look_for]  # the scenario's own words
    assert not [x for x in generated if "knife" in x and x not in authored and "Not seen: " + x not in authored
                and not any(a in x for a in authored) and "“" not in x], generated
    sim = Simulation(loaded.scenario, seed=1, journal=MemoryJournal())
    assert weapon_text(sim.minds[0]) == "screwdriver in hand"
    plain = Simulation(load_scenario(SCENARIOS / "knife_parking_lot.yaml").scenario, seed=1, journal=MemoryJournal())
    assert weapon_text(plain.minds[0]) == "knife in hand"


def test_a_weapon_name_is_checked_like_any_scenario_key(tmp_path):
    from game.content.errors import ContentError
    import pytest

    path = screwdriver_scenario(tmp_path / "scenarios")
    path.write_text(path.read_text(encoding="utf-8").replace("weapon_name: screwdriver", "weapon_name: ''"), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_scenario(path)
    (problem,) = err.value.problems
    assert (problem.path, problem.message, problem.line) == ("subjects[0].profile.weapon_name", "must not be empty", 34)
    path.write_text(path.read_text(encoding="utf-8").replace("      weapon: knife\n", "").replace("weapon_name: ''", "weapon_name: awl")
                    .replace("      - once: draw_weapon\n", ""), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_scenario(path)
    (problem,) = [p for p in err.value.problems if "weapon_name" in p.message]
    assert problem.path == "subjects[0].profile.weapon_name" and problem.line == 33
    assert "names a weapon the subject does not carry: set 'weapon:'" in problem.message
