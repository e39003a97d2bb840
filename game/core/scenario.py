"""What a scenario is, as the core sees it: plain, frozen data.

The content loader (:mod:`game.content`) builds these from YAML files, checks them
and resolves their references (shared profiles, subtrees); the core only reads them.
Defaults here are the documented defaults of scenario format 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from game.core.navigation import Footprint

#: Postures a subject can take; the engine has a pose or clip for each.
POSTURES = (
    "relaxed",
    "arms_crossed",
    "agitated",
    "fists",
    "hands_up",
    "kneeling",
    "sitting",
    "prone",
    "attacking",
    "collapsed",
)

#: What a subject is busy with; the engine picks walk, run or stand from it and the speed.
ACTIVITIES = ("idle", "move_to", "approach", "retreat", "flee", "pace", "attack", "comply", "collapse")

#: What a subject wants. A profile lists its goals (the first is where it starts);
#: behaviours change the current one with ``goal:``.
GOALS = ("stay", "be_heard", "comply", "flee", "attack", "self_harm")

#: Weapons a subject can carry.
SUBJECT_WEAPONS = ("none", "knife", "bat", "firearm")

#: Outcomes an ending can have (the review groups sessions by these).
OUTCOMES = (
    "resolved_peacefully",
    "subject_detained",
    "subject_fled",
    "force_used",
    "officer_hurt",
    "subject_hurt",
)

#: Outcomes that count as a peaceful resolution (the validator wants one reachable).
PEACEFUL_OUTCOMES = frozenset({"resolved_peacefully", "subject_detained"})

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
        "call_backup": (0.01, -0.01),
        "call_crisis_team": (-0.02, 0.03),
        "gesture": (-0.03, 0.04),
        "write_note": (-0.04, 0.06),
    }
)

#: Stimulus channels a profile's ``sensitivity`` weighs (rates per second, or per event).
DEFAULT_SENSITIVITY: Mapping[str, float] = MappingProxyType(
    {
        "crowding": 0.25,  # per second, at full intrusion into the comfort distance
        "approach": 0.12,  # per second, per m/s of closing speed above a slow walk
        "weapon_drawn": 0.03,  # per second per weapon out
        "weapon_aimed": 0.09,  # per second per weapon pointed at the subject
        "flashlight": 0.02,  # per second with a light in the eyes
        "shout": 0.12,  # per shouted phrase, on top of the phrase's own effect
        "touch": 0.15,  # per touch
        "others": 0.04,  # per second, per unit of another subject's agitation above one's own, nearby
        "words": 1.0,  # multiplier on what non-command words do
        "commands": 1.0,  # multiplier on what commands and warnings do
        "trust_gain": 1.0,  # multiplier on trust gained
        "hearing": 1.0,  # scales the hearing ranges; 0: hears nothing (spoken words and shouts do not reach)
        "voices": 0.0,  # size of spontaneous agitation surges (hearing voices), ~every 20 s
    }
)

#: Named triggers: multipliers a trigger applies to the profile's sensitivities.
TRIGGERS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "hates_touch": MappingProxyType({"touch": 3.0}),
        "hears_voices": MappingProxyType({"words": 0.6, "voices": 1.0}),
        "cannot_hear": MappingProxyType({"hearing": 0.0}),
        "distrusts_police": MappingProxyType({"trust_gain": 0.5, "weapon_drawn": 1.5}),
        "intoxicated": MappingProxyType({"words": 0.7, "commands": 0.7}),
        "confused": MappingProxyType({"commands": 1.8, "words": 0.8}),
        "startles": MappingProxyType({"approach": 2.5, "touch": 2.0}),
        "light_sensitive": MappingProxyType({"flashlight": 3.0}),
        "fears_weapons": MappingProxyType({"weapon_drawn": 2.0, "weapon_aimed": 2.0}),
    }
)
#: Size of a "voices" surge when the sensitivity is 1.
VOICES_SURGE = 0.08

#: Things besides intents that can calm a subject (``calmed_by``): while one holds,
#: agitation settles this many times faster.
CALMERS = ("space", "quiet", "light_off", "weapons_away", "time")
CALMER_RECOVERY = 2.5

#: Posture ladder by agitation (the first whose threshold is reached wins).
DEFAULT_POSTURES: tuple[tuple[float, str], ...] = (
    (0.8, "fists"),
    (0.6, "agitated"),
    (0.4, "arms_crossed"),
    (0.0, "relaxed"),
)


@dataclass(frozen=True, slots=True)
class Profile:
    """Who a subject is: resting state, what moves them and how much, what they carry."""

    baseline_agitation: float = 0.4
    baseline_trust: float = 0.2
    comfort_distance: float = 3.0  # metres; closer is crowding
    sensitivity: Mapping[str, float] = field(default_factory=lambda: DEFAULT_SENSITIVITY)
    triggers: tuple[str, ...] = ()
    calmed_by: tuple[str, ...] = ()  # intents, or CALMERS
    weapon: str = "none"
    #: What the weapon is called in the HUD and the review ("screwdriver", "broken bottle"); the
    #: behaviour follows its kind, ``weapon``. Empty: the kind's own name.
    weapon_name: str = ""
    concealed: bool = True  # the weapon is not seen until drawn; False: in hand, openly, from the start
    goals: tuple[str, ...] = ("stay",)
    repeat_damping: float = 0.5  # each repeat of the same intent within 10 s counts this much less
    recovery: float = 0.02  # per second back toward the resting level when nothing stresses
    memory: float = 600.0  # seconds the subject remembers what was said (short for confusion)
    walk_speed: float = 1.3
    run_speed: float = 4.2  # ~6.4 m in 1.5 s: the reactionary gap
    pace_radius: float = 1.5
    intent_effects: Mapping[str, tuple[float, float]] = field(default_factory=lambda: DEFAULT_INTENT_EFFECTS)
    postures: tuple[tuple[float, str], ...] = DEFAULT_POSTURES

    def weight(self, channel: str) -> float:
        """The sensitivity of ``channel`` after the profile's triggers."""
        w = self.sensitivity.get(channel, DEFAULT_SENSITIVITY[channel])
        for trigger in self.triggers:
            w *= TRIGGERS[trigger].get(channel, 1.0)
        if channel == "voices" and "hears_voices" in self.triggers and w == 0.0:
            w = 1.0
        return w


@dataclass(frozen=True, slots=True)
class Line:
    """One way of saying a line: its text and, optionally, a recording of it, the gesture
    its body plays (a name of game.content.gestures.GESTURES) and whether the text is a
    described action rather than words said (``narration``)."""

    text: str
    audio: str = ""
    gesture: str = ""
    #: the line describes what the subject does ("He frowns at your moving lips"): shown and
    #: acted by the body, never voiced
    narration: bool = False


@dataclass(frozen=True, slots=True)
class SubjectDef:
    id: str
    name: str
    position: tuple[float, float]
    heading: float = 180.0  # facing south, toward a trainee who approaches from the south
    appearance: str = "placeholder_humanoid"
    profile: Profile = field(default_factory=Profile)
    #: What the subject can say, by key: texts (or :class:`Line` with a recording), one picked at random.
    lines: Mapping[str, tuple[str | Line, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: The subject's main behaviour tree, as checked data with subtrees inlined; None: the
    #: default behaviour (stand, face the trainee, take the posture the ladder gives).
    tree: Mapping[str, Any] | None = None
    #: Facts about the subject that an agency's use-of-force policy may rule options out by
    #: (``elevated``, ``elderly``, ``juvenile``, ``pregnant`` ...): plain names the policy's
    #: ``conditions`` recognise with ``when: {facts: [...]}``. The subject does not act on them.
    facts: tuple[str, ...] = ()
    #: What the subject knows and will tell when asked (:mod:`game.core.knowledge`).
    knows: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class BranchDef:
    """A named behaviour a subject can switch to: forced by the instructor, entered when
    ``when`` holds (an automatic transition) or led to by another behaviour's ``branch:``.
    It runs ``tree`` instead of the main tree until ``until`` holds (then back to the main
    tree) or the tree ends the scenario or leads to another branch."""

    id: str
    subject: str
    tree: Mapping[str, Any]
    description: str = ""
    when: Mapping[str, Any] | None = None
    until: Mapping[str, Any] | None = None
    #: Where ``when`` may take the subject from: ``main`` (the main tree) and/or branch ids.
    entered_from: tuple[str, ...] = ("main",)
    forced_only: bool = False  # reached only when an instructor forces it (the validator accepts that)


@dataclass(frozen=True, slots=True)
class EndingDef:
    """An ending: reached when ``when`` holds for a subject, or when a behaviour says ``end:``."""

    id: str
    outcome: str
    when: Mapping[str, Any] | None = None
    subject: str = ""  # empty: any subject
    description: str = ""


@dataclass(frozen=True, slots=True)
class LookFor:
    """What the review should look for: ``text`` for people; ``expect`` (a condition),
    when given, is watched during the session and journaled the first time it holds."""

    id: str
    text: str
    expect: Mapping[str, Any] | None = None
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Arrival:
    """When a partner officer comes on scene: at ``at`` seconds (None: only when called), or
    ``after`` seconds after the trainee says one of ``on_call`` (a radio call for backup),
    whichever comes first."""

    at: float | None = 0.0
    on_call: tuple[str, ...] = ()
    after: float = 0.0


@dataclass(frozen=True, slots=True)
class PartnerDef:
    """What drives a partner officer (scenario format 2, ``officers: [..., {partner: ...}]``):
    its behaviour tree (checked data, the partner's actions of :mod:`game.core.partner`; None:
    the default cover officer), its lines by key, when it arrives and which subject it
    watches (empty: the nearest)."""

    tree: Mapping[str, Any] | None = None
    lines: Mapping[str, tuple[str | Line, ...]] = field(default_factory=lambda: MappingProxyType({}))
    arrives: Arrival = field(default_factory=Arrival)
    watches: str = ""


@dataclass(frozen=True, slots=True)
class OfficerDef:
    """One officer of a format-2 scenario's ``officers:``: ``number`` 1 is the trainee; an
    officer with ``partner`` is driven by the simulation, the others by trainees' seats."""

    number: int
    position: tuple[float, float]
    heading: float = 0.0
    name: str = ""
    #: A character of the asset manifest; empty: the simple officer figure in uniform colours.
    appearance: str = ""
    partner: PartnerDef | None = None


@dataclass(frozen=True, slots=True)
class ScenarioDef:
    id: str
    title: str
    scene: str
    subjects: tuple[SubjectDef, ...]
    endings: tuple[EndingDef, ...]
    branches: tuple[BranchDef, ...] = ()
    look_for: tuple[LookFor, ...] = ()
    briefing: str = ""
    trainee_position: tuple[float, float] = (0.0, -10.0)
    trainee_heading: float = 0.0
    time_limit: float = 300.0
    default_script: str = ""
    #: Phrases this scenario adds to the voice vocabulary: intent -> phrasings.
    voice: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    #: The walkable area ((x0, y0), (x1, y1)) from the scene: subjects do not leave it.
    bounds: tuple[tuple[float, float], tuple[float, float]] | None = None
    #: Format 2's officers, officer 1 (the trainee, also ``trainee_position``) first; empty in
    #: format 1, where the one officer starts at ``trainee_position``.
    officers: tuple[OfficerDef, ...] = ()
    #: The scene's collision footprints (cars, furniture, walls): subjects walk around them.
    obstacles: tuple[Footprint, ...] = ()
    format_version: int = 1
    source: str = ""
    sha256: str = ""
    #: The call before the scene (``call:``, a :class:`game.core.call.CallDef`), if it has one.
    call: Any = None

    @property
    def partners(self) -> tuple[OfficerDef, ...]:
        """The officers the simulation drives (format 2's ``partner:`` officers)."""
        return tuple(o for o in self.officers if o.partner is not None)

    def human_officers(self) -> list[tuple[tuple[float, float], float]]:
        """Where the officers trainees play start, officer 1 first (format 1: the trainee)."""
        humans = [(o.position, o.heading) for o in self.officers if o.partner is None]
        return humans or [(self.trainee_position, self.trainee_heading)]

    def branch(self, branch_id: str) -> BranchDef | None:
        return next((b for b in self.branches if b.id == branch_id), None)

    def ending(self, ending_id: str) -> EndingDef | None:
        return next((e for e in self.endings if e.id == ending_id), None)
