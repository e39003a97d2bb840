"""The core's words: the hands, the force-option tools, tones, intents and commands, the
reactions to force and the instructor's nudge — what events, conditions, content and views
name. :mod:`game.core.events` re-exports them, so either import works."""

from __future__ import annotations

#: Hands a trainee can hold a tool in.
HANDS = ("left", "right")

from game.core.tools import KINDS  # noqa: E402 (the one table of the tools)

#: The force-option tools on the duty belt, in the order of the options ladder
#: (``flashlight``, ``oc_spray``, ``cew``, ``baton``, ``firearm``: :data:`game.core.tools.KINDS`).
TOOLS = tuple(KINDS)

#: Tools that a subject reads as a weapon when they are out (the force options).
WEAPONS = frozenset(name for name, kind in KINDS.items() if kind.force)

#: Tones of voice. ``shout`` is a stimulus of its own.
TONES = ("calm", "normal", "shout")

#: How a subject can react to a force option (``SubjectReactedToForce``).
FORCE_REACTIONS = ("incapacitated", "fall", "pain", "flinch", "flee", "none")

#: Verbal intents the trainee can use (keys now, speech later).
INTENTS = (
    "greet",
    "identify",
    "ask_name",
    "ask_what_happened",
    "listen",
    "empathise",
    "reassure",
    "offer_help",
    "give_space",
    "explain_consequences",
    "command_show_hands",
    "command_stop",
    "command_get_down",
    "command_step_back",
    "command_drop_weapon",
    "warn_force",
    "call_backup",
    "call_crisis_team",
    "gesture",
    "write_note",
    # said to a fellow officer, not to the subject (OFFICER_INTENTS below)
    "take_lead",
    "watch_hands",
    "partner_step_back",
    "intervene",
    "step_between",
    "hold_partner",
)

#: The trainee leads a partner officer: "I've got this" (``take_lead``), "watch his hands",
#: "partner, step back". A partner follows them as its tree says (game.core.partner).
LEAD_INTENTS = ("take_lead", "watch_hands", "partner_step_back")
#: The duty to intervene, when a partner escalates, crowds, insults or uses force it does not
#: need: say it (``intervene``: "that's enough"), step between the partner and the subject,
#: a hand on the partner's shoulder (``hold_partner``). The last two are done, not said: they
#: count only within reach of the partner.
INTERVENTION_INTENTS = ("intervene", "step_between", "hold_partner")
#: Intents an officer addresses to another officer: they go to the partner officers, and the
#: subjects do not answer them (a subject who sees an intervention reacts to that).
OFFICER_INTENTS = frozenset(LEAD_INTENTS + INTERVENTION_INTENTS)
#: Intents that are done with the body, not said or shown: not in the voice vocabulary.
BODILY_INTENTS = frozenset({"step_between", "hold_partner"})

#: Intents the subject takes in with the eyes, not the ears: they reach a subject who
#: cannot hear, and need the subject to be facing the trainee instead of within earshot.
VISUAL_INTENTS = frozenset({"gesture", "write_note"})

#: Intents that order the subject to do something (what ``comply`` obeys).
COMMANDS = (
    "command_show_hands",
    "command_stop",
    "command_get_down",
    "command_step_back",
    "command_drop_weapon",
)


#: How the instructor's nudges are written in ``SubjectReacted.cause`` (journal spelling).
NUDGE_CAUSES = {"instructor:escalate": "Escalate", "instructor:calm": "Calm"}
#: The instructor's nudge: how far one press of escalate or calm moves agitation.
NUDGE = 0.15
