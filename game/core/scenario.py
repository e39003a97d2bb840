"""What a scenario is, as the core sees it: plain, frozen data.

The content loader (:mod:`game.content`) builds these from YAML files and checks
them; the core only reads them. Defaults here are the documented defaults of
scenario format 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

#: Postures a subject can take; the engine has a pose for each.
POSTURES = (
    "relaxed",
    "arms_crossed",
    "agitated",
    "fists",
    "hands_up",
    "kneeling",
    "sitting",
    "prone",
    "running",
    "attacking",
)

#: Goals a subject can pursue; an ending sets one.
GOALS = ("stay", "comply", "flee", "attack")

#: Outcomes an ending can have (the review groups sessions by these).
OUTCOMES = (
    "resolved_peacefully",
    "subject_detained",
    "subject_fled",
    "force_used",
    "officer_hurt",
    "subject_hurt",
)

#: Effect of each verbal intent on (agitation, trust) when said in a normal tone.
DEFAULT_INTENT_EFFECTS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "greet": (-0.02, 0.05),
        "identify": (-0.01, 0.04),
        "ask_name": (-0.02, 0.05),
        "ask_what_happened": (-0.04, 0.06),
        "listen": (-0.05, 0.06),
        "empathise": (-0.07, 0.08),
        "reassure": (-0.06, 0.05),
        "offer_help": (-0.05, 0.08),
        "give_space": (-0.05, 0.04),
        "explain_consequences": (0.02, -0.02),
        "command_show_hands": (0.04, -0.03),
        "command_stop": (0.05, -0.03),
        "command_get_down": (0.07, -0.05),
        "command_step_back": (0.03, -0.02),
        "command_drop_weapon": (0.04, -0.03),
        "warn_force": (0.09, -0.07),
        "call_backup": (0.0, 0.0),
    }
)

#: Posture ladder by agitation (the first whose threshold is reached wins).
DEFAULT_POSTURES: tuple[tuple[float, str], ...] = (
    (0.8, "fists"),
    (0.6, "agitated"),
    (0.4, "arms_crossed"),
    (0.0, "relaxed"),
)


@dataclass(frozen=True, slots=True)
class Profile:
    """How a subject feels and moves: sensitivities in agitation per second or per event."""

    baseline_agitation: float = 0.4
    baseline_trust: float = 0.2
    comfort_distance: float = 3.0  # metres; closer is crowding
    crowding: float = 0.25  # per second, at full intrusion into the comfort distance
    approach: float = 0.12  # per second, per m/s of closing speed above a slow walk
    weapon_drawn: float = 0.03  # per second per weapon out
    weapon_aimed: float = 0.09  # per second per weapon pointed at the subject
    flashlight: float = 0.02  # per second with a light in the eyes
    shout: float = 0.12  # per shouted phrase, on top of the phrase's own effect
    repeat_damping: float = 0.5  # each repeat of the same intent within 10 s counts this much less
    recovery: float = 0.02  # per second back toward the resting level when nothing stresses
    walk_speed: float = 1.3
    run_speed: float = 4.2  # ~6.4 m in 1.5 s: the reactionary gap
    pace_radius: float = 1.5
    intent_effects: Mapping[str, tuple[float, float]] = field(default_factory=lambda: DEFAULT_INTENT_EFFECTS)
    postures: tuple[tuple[float, str], ...] = DEFAULT_POSTURES


@dataclass(frozen=True, slots=True)
class SubjectDef:
    id: str
    name: str
    position: tuple[float, float]
    heading: float = 180.0  # facing south, toward a trainee who approaches from the south
    appearance: str = "placeholder_humanoid"
    profile: Profile = field(default_factory=Profile)
    lines: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class EndingDef:
    """An ending: when ``when`` holds for a subject, it takes up ``goal``; reaching it ends the scenario."""

    id: str
    outcome: str
    goal: str
    when: Mapping[str, Any]
    subject: str = ""  # empty: any subject
    description: str = ""


@dataclass(frozen=True, slots=True)
class ScenarioDef:
    id: str
    title: str
    scene: str
    subjects: tuple[SubjectDef, ...]
    endings: tuple[EndingDef, ...]
    briefing: str = ""
    trainee_position: tuple[float, float] = (0.0, -10.0)
    trainee_heading: float = 0.0
    time_limit: float = 300.0
    default_script: str = ""
    format_version: int = 1
    source: str = ""
    sha256: str = ""

