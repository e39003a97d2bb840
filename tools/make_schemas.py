"""Writes the JSON Schemas of the scenario, library and trainee-script formats from the
core's vocabularies (intents, tools, postures, conditions, actions), so the files that
editors use and the loader checks against never drift from the code.

    python tools/make_schemas.py          # rewrite scenarios/*.schema.json
    python tools/make_schemas.py --check  # exit 1 if a committed schema is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.content.gestures import GESTURES  # noqa: E402
from game.core.actions import ACTIONS, FLAG_ACTIONS  # noqa: E402
from game.core.behaviour import COMPOSITES  # noqa: E402
from game.core.call import CALLER_PROFILES, CARD_FIELDS, RADIO_REQUESTS, RESOURCES  # noqa: E402
from game.core.drivers import INSTRUCTOR_COMMANDS  # noqa: E402
from game.core.events import BODILY_INTENTS, HANDS, INTENTS, TONES, TOOLS  # noqa: E402
from game.core.partner import FORCE_KINDS, PARTNER_ACTIONS, PARTNER_FLAG_ACTIONS  # noqa: E402
from game.core.scenario import (  # noqa: E402
    ACTIVITIES,
    CALMERS,
    DEFAULT_SENSITIVITY,
    GOALS,
    OUTCOMES,
    POSTURES,
    SUBJECT_WEAPONS,
    TRIGGERS,
)

ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$",
      "description": "lower-case letters, digits and underscores, starting with a letter"}
POINT = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
         "description": "[x, y] metres on the ground; +y is north"}
UNIT = {"type": "number", "minimum": 0, "maximum": 1}
SECONDS = {"type": "number", "exclusiveMinimum": 0, "maximum": 3600}
DISTANCE = {"type": "number", "minimum": 0, "maximum": 500}
SPEED = {"oneOf": [{"type": "string", "enum": ["walk", "run", "slow"]},
                   {"type": "number", "exclusiveMinimum": 0, "maximum": 10}],
         "description": "walk, run, slow, or metres per second"}
TRUE = {"type": "boolean", "const": True}
OFFICER_NUMBER = {"type": "integer", "minimum": 1, "maximum": 8, "description": "an officer's number (1: the trainee)"}
OFFICER_GAP = {"type": "object", "additionalProperties": False, "required": ["officer", "distance"],
               "properties": {"officer": OFFICER_NUMBER, "distance": DISTANCE}}
#: The scenario formats this Talkdown reads (2 adds ``officers:``).
SCENARIO_VERSION = {"type": "integer", "enum": [1, 2],
                    "description": "format version of this file: 1 (one trainee, 'trainee:') or 2 ('officers:')"}


def enum(values: Any, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string", "enum": list(values)}
    if description:
        out["description"] = description
    return out


def one_or_many(item: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [item, {"type": "array", "minItems": 1, "items": item}]}


def copy_said(intents: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [intents, {"type": "object", "additionalProperties": False, "properties": {
        "intents": one_or_many(intents), "intent": intents,
        "seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": 600}}}]}


def condition_properties() -> dict[str, Any]:
    intents = enum([*INTENTS, "any"])
    tools = enum([*TOOLS, "any", "weapon"])
    ref = {"$ref": "#/$defs/condition"}
    return {
        "agitation_above": UNIT, "agitation_below": UNIT, "trust_above": UNIT, "trust_below": UNIT,
        "trainee_within": DISTANCE, "trainee_beyond": DISTANCE,
        "said_within": {"oneOf": [intents, {"type": "object", "additionalProperties": False, "properties": {
            "intents": one_or_many(intents), "intent": intents,
            "seconds": {"type": "number", "exclusiveMinimum": 0, "maximum": 600}}}]},
        "tool_drawn": tools, "tool_aimed": tools,
        "after": {"type": "number", "minimum": 0, "description": "seconds since the start"},
        "closing_faster_than": {"type": "number", "minimum": 0, "description": "m/s the trainee closes in at"},
        "trainee_said": {**copy_said(intents), "description": "like said_within, for anything the trainee said, heard or not"},
        "lit": {"type": "boolean", "description": "a flashlight is on the subject"},
        "touched_within": SECONDS,
        "force_used": {"oneOf": [tools, {"type": "object", "additionalProperties": False, "required": ["tool"],
                                          "properties": {"tool": tools, "within": SECONDS}}],
                       "description": "the trainee used a force option (ever, or within seconds)"},
        "hit_by": tools,
        "in_branch": one_or_many(ID), "posture": one_or_many(enum(POSTURES)),
        "activity": one_or_many(enum(ACTIVITIES)), "goal": one_or_many(enum(GOALS)),
        "flag": one_or_many(ID), "weapon_out": {"type": "boolean"}, "attacked": {"type": "boolean"},
        "hurt": {"type": "boolean", "description": "another subject's blow landed on this one"},
        "subject_within": {"type": "object", "additionalProperties": False, "required": ["subject", "distance"],
                           "properties": {"subject": ID, "distance": DISTANCE}},
        "officer_within": {**OFFICER_GAP, "description": "officer N is within this distance of the subject"},
        "officer_beyond": {**OFFICER_GAP, "description": "officer N is farther than this from the subject"},
        "intervened": {"oneOf": [{"type": "boolean"}, SECONDS],
                       "description": "an officer has stepped in on a misbehaving partner officer: true (ever), "
                                      "false (never), or within this many seconds"},
        "misconduct": {"oneOf": [{"type": "boolean"}, SECONDS],
                       "description": "a partner officer has crowded, insulted or used unneeded force: true (ever), "
                                      "false (never), or within this many seconds"},
        "all": {"type": "array", "minItems": 1, "items": ref},
        "any": {"type": "array", "minItems": 1, "items": ref},
        "not": ref,
        "for": {"type": "number", "exclusiveMinimum": 0,
                "description": "seconds the rest of this mapping must hold without a break"},
    }


def condition_defs() -> dict[str, Any]:
    props = condition_properties()
    other = {"type": "object", "additionalProperties": False, "required": ["subject"], "minProperties": 2,
             "description": "the rest of this mapping, seen from another subject",
             "properties": {"subject": ID, **props}}
    props["other"] = other
    props["officer"] = {"type": "object", "additionalProperties": False, "required": ["number"],
                        "description": "the rest of this mapping with officer 'number' in the trainee's place "
                                       "(false while that officer is not on scene)",
                        "properties": {"number": OFFICER_NUMBER, **condition_properties()}}
    return {"condition": {"type": "object", "additionalProperties": False, "minProperties": 1,
                          "description": "A condition: every key in the mapping must hold.",
                          "properties": props}}


def node_def() -> dict[str, Any]:
    node = {"$ref": "#/$defs/node"}
    nodes = {"type": "array", "minItems": 1, "items": node}
    who = {"type": "string", "pattern": "^([a-z][a-z0-9_]*|officer:[1-8])$",
           "description": "'trainee' (the contact officer), 'officer:N' or a subject id"}
    say = {"oneOf": [ID, {"type": "object", "additionalProperties": False, "required": ["line"], "properties": {
        "line": ID, "tone": enum(("normal", "shout", "calm")), "cooldown": {"type": "number", "minimum": 0}}}],
        "description": "a key of the subject's lines"}
    props: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1, "description": "what to call this node on the HUD"},
        "selector": nodes, "sequence": nodes, "loop": nodes, "random": nodes, "once": node,
        "when": {"$ref": "#/$defs/condition"}, "do": node,
        "check": {"$ref": "#/$defs/condition"},
        "use": {**ID, "description": "a subtree by name (this file's subtrees or an included library's)"},
        "idle": TRUE, "comply": TRUE, "draw_weapon": TRUE, "drop_weapon": TRUE, "collapse": TRUE,
        "wait": SECONDS,
        "posture": enum([*POSTURES, "auto"]),
        "say": say,
        "face": {"oneOf": [who, POINT]},
        "move_to": {"oneOf": [POINT, {"type": "object", "additionalProperties": False, "required": ["to"],
                                      "properties": {"to": POINT, "speed": SPEED}}]},
        "approach": {"oneOf": [DISTANCE, {"type": "object", "additionalProperties": False, "properties": {
            "distance": DISTANCE, "speed": SPEED, "target": who}}]},
        "retreat": {"oneOf": [DISTANCE, {"type": "object", "additionalProperties": False, "properties": {
            "distance": DISTANCE, "speed": SPEED, "from": who}}]},
        "flee": {"oneOf": [DISTANCE, {"type": "object", "additionalProperties": False, "properties": {
            "distance": DISTANCE, "speed": SPEED, "from": who, "to": POINT}}]},
        "pace": {"oneOf": [TRUE, DISTANCE, {"type": "object", "additionalProperties": False, "properties": {
            "radius": DISTANCE, "speed": SPEED}}]},
        "attack": {"oneOf": [TRUE, who, {"type": "object", "additionalProperties": False, "properties": {
            "target": who, "speed": SPEED}}]},
        "goal": enum(GOALS), "branch": ID, "end": ID, "flag": ID, "unflag": ID,
        "feel": {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
            "agitation": {"type": "number", "minimum": -1, "maximum": 1},
            "trust": {"type": "number", "minimum": -1, "maximum": 1}}},
    }
    missing = set(ACTIONS) - set(props)
    assert not missing, f"actions without a schema: {missing}"
    assert set(COMPOSITES) <= set(props)
    return {"oneOf": [enum(FLAG_ACTIONS, "an action that takes no value"),
                      {**nodes, "description": "a sequence: these nodes in order"},
                      {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": props}],
            "description": "a behaviour-tree node: a composite, a guard (when/do), a check, a subtree (use) or an action"}


def profile_def() -> dict[str, Any]:
    positive = {"type": "number", "minimum": 0}
    return {"type": "object", "additionalProperties": False, "properties": {
        "extends": {**ID, "description": "a profile from an included library to start from"},
        "baseline_agitation": UNIT, "baseline_trust": UNIT,
        "comfort_distance": {"type": "number", "exclusiveMinimum": 0, "maximum": 20},
        "sensitivity": {"type": "object", "additionalProperties": False,
                        "properties": {k: positive for k in DEFAULT_SENSITIVITY}},
        "triggers": {"type": "array", "uniqueItems": True, "items": enum(TRIGGERS)},
        "calmed_by": {"type": "array", "uniqueItems": True, "items": enum([*INTENTS, *CALMERS])},
        "weapon": enum(SUBJECT_WEAPONS), "concealed": {"type": "boolean"},
        "weapon_name": {"type": "string", "minLength": 1, "maxLength": 40, "pattern": "\\S",
                        "description": "what the weapon is called in the HUD and the review (a screwdriver: "
                                       "weapon: knife, weapon_name: screwdriver); default: the kind's name"},
        "goals": {"type": "array", "minItems": 1, "uniqueItems": True, "items": enum(GOALS)},
        "repeat_damping": UNIT, "recovery": positive,
        "memory": {"type": "number", "exclusiveMinimum": 0, "maximum": 3600},
        "walk_speed": {"type": "number", "exclusiveMinimum": 0, "maximum": 3},
        "run_speed": {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
        "pace_radius": {"type": "number", "minimum": 0, "maximum": 10},
        "intent_effects": {"type": "object", "propertyNames": enum(INTENTS), "additionalProperties": {
            "type": "array", "items": {"type": "number", "minimum": -1, "maximum": 1}, "minItems": 2, "maxItems": 2,
            "description": "[agitation change, trust change]"}},
        "postures": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["from", "posture"],
            "properties": {"from": UNIT, "posture": enum(POSTURES)}},
            "description": "posture ladder: the first entry whose 'from' agitation is reached wins; list from high to low"},
    }}


def partner_node_def() -> dict[str, Any]:
    """A partner officer's tree node: the same composites and guards, its own actions."""
    node = {"$ref": "#/$defs/partner_node"}
    nodes = {"type": "array", "minItems": 1, "items": node}
    who = {"type": "string", "pattern": "^[a-z][a-z0-9_:]*$",
           "description": "'subject' (the one it watches), 'trainee', 'officer:N' or a subject id"}
    line = {"oneOf": [ID, {"type": "object", "additionalProperties": False, "required": ["line"], "properties": {
        "line": ID, "tone": enum(TONES), "cooldown": {"type": "number", "minimum": 0},
        "intent": {**enum(INTENTS), "description": "what the subjects take the line as (a command, a greeting)"},
        "to": {**ID, "description": "the subject spoken to (slur: the one insulted)"}}}],
        "description": "a key of the partner's lines"}
    gap = lambda short: {"oneOf": [TRUE, DISTANCE, {"type": "object", "additionalProperties": False, "properties": {  # noqa: E731
        short: DISTANCE, "speed": SPEED, "target": who}}]}
    props: dict[str, Any] = {
        "name": {"type": "string", "minLength": 1, "description": "what to call this node on the HUD"},
        "selector": nodes, "sequence": nodes, "loop": nodes, "random": nodes, "once": node,
        "when": {"$ref": "#/$defs/condition"}, "do": node, "check": {"$ref": "#/$defs/condition"},
        "idle": TRUE, "holster": TRUE, "wait": SECONDS,
        "say": line, "slur": {**line, "description": "an abusive line (misconduct): the subjects who hear it are hurt by it"},
        "face": {"oneOf": [who, POINT]},
        "move_to": {"oneOf": [POINT, {"type": "object", "additionalProperties": False, "required": ["to"],
                                      "properties": {"to": POINT, "speed": SPEED}}]},
        "approach": gap("distance"),
        "crowd": {**gap("distance"), "description": "walks into the subject's space and stays there (misconduct)"},
        "cover": {"oneOf": [TRUE, DISTANCE, {"type": "object", "additionalProperties": False, "properties": {
            "distance": DISTANCE, "angle": {"type": "number", "minimum": 0, "maximum": 180}, "speed": SPEED}}]},
        "step_back": {"oneOf": [DISTANCE, {"type": "object", "additionalProperties": False, "properties": {
            "distance": DISTANCE, "speed": SPEED}}]},
        "force": {"oneOf": [enum(FORCE_KINDS), {"type": "object", "additionalProperties": False, "properties": {
            "how": enum(FORCE_KINDS), "target": who}}], "description": "unneeded hands-on force (misconduct)"},
        "draw": {"oneOf": [enum(TOOLS), {"type": "object", "additionalProperties": False, "required": ["tool"],
                                         "properties": {"tool": enum(TOOLS), "hand": enum(HANDS),
                                                        "low_ready": {"type": "boolean"}}}]},
        "point": {"type": "boolean", "description": "raise the drawn tool at the subject (true) or lower it"},
    }
    missing = set(PARTNER_ACTIONS) - set(props)
    assert not missing, f"partner actions without a schema: {missing}"
    return {"oneOf": [enum(PARTNER_FLAG_ACTIONS, "an action that takes no value"),
                      {**nodes, "description": "a sequence: these nodes in order"},
                      {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": props}],
            "description": "a partner officer's behaviour-tree node: a composite, a guard (when/do), a check or an action"}


def defs() -> dict[str, Any]:
    return {**condition_defs(), "node": node_def(), "partner_node": partner_node_def(), "profile": profile_def(),
            "subtrees": {"type": "object", "propertyNames": ID, "additionalProperties": {"$ref": "#/$defs/node"}}}


def header(name: str, title: str) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://talkdown.invalid/schemas/{name}-1.json", "title": title, "type": "object",
            "additionalProperties": False}


VERSION = {"type": "integer", "const": 1, "description": "format version of this file"}
INCLUDE = {"type": "array", "items": {"type": "string", "minLength": 1},
           "description": "shared libraries (profiles, subtrees): a name under scenarios/library/ or a path relative to this file"}


def scenario_schema() -> dict[str, Any]:
    text = {"type": "string", "minLength": 1}
    recorded = {"type": "object", "additionalProperties": False, "required": ["text"], "properties": {
        "text": text, "audio": {"type": "string", "minLength": 1,
                                "description": "a recording (.wav or .ogg), relative to this file"},
        "gesture": {"type": "string", "enum": sorted(GESTURES),
                    "description": "what the body does with the line: " + "; ".join(f"{k}: {v}" for k, v in sorted(GESTURES.items()))},
        "narration": {"type": "boolean", "description": "the line describes what the subject does (shown and "
                                                        "acted, never voiced)"}}}
    lines = {"type": "object", "propertyNames": {
        "pattern": ID["pattern"], "description": "a line's key is an id: an intent, a reply trigger or a line a behaviour "
                                                 "says (lower-case letters, digits and underscores, starting with a letter)"},
        "additionalProperties": {"oneOf": [
        text, recorded, {"type": "array", "minItems": 1, "items": {"oneOf": [text, recorded]}}]},
        "description": "what the subject says: keys are intents it replies to, 'reply', 'reply_agitated', "
                       "'cannot_hear', or keys that its behaviours say"}
    fact = {"type": "object", "additionalProperties": False, "required": ["id"], "properties": {
        "id": {**ID, "description": "a topic (name, what_happened, others, medications, weapon, wants, hurt) "
                                    "or an id of your own with 'asked_by' or 'words'"},
        "tells": {**text, "description": "what the subject says when it tells"},
        "asked_by": {"type": "array", "items": enum([i for i in INTENTS if i not in ("gesture", "write_note")]),
                     "description": "intents that ask it (a topic has its own)"},
        "words": {"type": "array", "items": text, "description": "words in the trainee's sentence that ask it"},
        "trust": {**UNIT, "description": "tells from this trust up (default 0)"},
        "calm": {**UNIT, "description": "... and only below this agitation (default 1)"},
        "refuses": {**text, "description": "said when it will not tell yet"},
        "lie": {**text, "description": "said instead of refusing: a lie"},
        "doesnt_know": {**text, "description": "the subject does not know: it says this"},
        "narration": {"type": "boolean", "description": "the answers describe what the subject does (types on a "
                                                        "phone, shakes its head): acted, not voiced"}}}
    subject = {"type": "object", "additionalProperties": False, "required": ["id", "position"], "properties": {
        "id": ID, "name": {"type": "string", "minLength": 1}, "appearance": {"type": "string", "minLength": 1},
        "position": POINT, "heading": {"type": "number"},
        "profile": {"oneOf": [{**ID, "description": "a profile of an included library"}, {"$ref": "#/$defs/profile"}]},
        "tree": {"$ref": "#/$defs/node"}, "lines": lines,
        "knows": {"type": "array", "items": fact, "description": "what the subject knows and tells when asked "
                  "(its name, what happened, who else is there, medications, a weapon, what it wants ...)"},
        "facts": {"type": "array", "uniqueItems": True, "items": ID,
                  "description": "facts for the use-of-force policy (elevated, elderly, juvenile ...): "
                                 "its conditions rule options out by them"}}}
    branch = {"type": "object", "additionalProperties": False, "required": ["id", "subject", "tree"], "properties": {
        "id": ID, "subject": ID, "description": {"type": "string"},
        "when": {"$ref": "#/$defs/condition"},
        "from": {"type": "array", "minItems": 1, "items": ID,
                 "description": "where 'when' may take the subject from: 'main', 'any' or branch ids (default: main)"},
        "until": {"$ref": "#/$defs/condition"},
        "forced_only": {"type": "boolean", "description": "only an instructor starts this branch"},
        "tree": {"$ref": "#/$defs/node"}}}
    ending = {"type": "object", "additionalProperties": False, "required": ["id", "outcome"], "properties": {
        "id": ID, "outcome": enum(OUTCOMES), "subject": ID, "description": {"type": "string"},
        "when": {"$ref": "#/$defs/condition"}}}
    look_for = {"type": "object", "additionalProperties": False, "required": ["id", "text"], "properties": {
        "id": ID, "text": {"type": "string", "minLength": 1}, "subject": ID,
        "expect": {"$ref": "#/$defs/condition"}}}
    partner = {"type": "object", "additionalProperties": False, "properties": {
        "tree": {"$ref": "#/$defs/partner_node"}, "lines": lines,
        "watches": {**ID, "description": "the subject it covers (default: the nearest)"},
        "arrives": {"type": "object", "additionalProperties": False, "properties": {
            "at": {"type": "number", "minimum": 0, "maximum": 7200, "description": "seconds after the start"},
            "on_call": one_or_many(enum([i for i in INTENTS if i not in BODILY_INTENTS])),
            "after": {"type": "number", "minimum": 0, "maximum": 3600,
                      "description": "seconds from the trainee's call to the arrival"}},
            "description": "when it comes: at a time (default 0: with the trainee), or after the trainee's radio call"}},
        "description": "the simulation drives this officer: its behaviour tree, lines and arrival"}
    officer = {"type": "object", "additionalProperties": False, "required": ["position"], "properties": {
        "position": POINT, "heading": {"type": "number"}, "name": {"type": "string", "minLength": 1},
        "appearance": {"type": "string", "minLength": 1}, "partner": partner}}
    out = header("scenario", "Talkdown scenario, format 1 or 2")
    out["required"] = ["format_version", "id", "title", "scene", "subjects", "endings"]
    out["properties"] = {
        "format_version": SCENARIO_VERSION, "id": ID, "title": {"type": "string", "minLength": 1},
        "briefing": {"type": "string", "description": "what dispatch tells the trainee before the call"},
        "scene": {"type": "string", "minLength": 1,
                  "description": "a scene's name (scenes/NAME.yaml) or a path relative to this file"},
        "time_limit": {"type": "number", "exclusiveMinimum": 0, "maximum": 7200},
        "voice": {"type": "object", "description": "phrases this scenario adds to the voice vocabulary, per spoken intent",
                  "propertyNames": enum([i for i in INTENTS if i not in ("gesture", "write_note")]),
                  "additionalProperties": {"type": "array", "minItems": 1,
                                           "items": {"type": "string", "pattern": "^[a-z']+( [a-z']+)*$"}}},
        "default_script": {"type": "string", "minLength": 1,
                           "description": "trainee script used by offscreen runs, relative to this file"},
        "include": INCLUDE,
        "trainee": {"type": "object", "additionalProperties": False,
                    "properties": {"position": POINT, "heading": {"type": "number"}},
                    "description": "format 1: where the one officer starts"},
        "officers": {"type": "array", "minItems": 1, "maxItems": 8, "items": officer,
                     "description": "format 2: the officers, officer 1 (the trainee) first; one with 'partner:' is "
                                    "driven by the simulation (partners come after the officers trainees play)"},
        "subjects": {"type": "array", "minItems": 1, "maxItems": 16, "items": subject},
        "subtrees": {"$ref": "#/$defs/subtrees"},
        "branches": {"type": "array", "items": branch},
        "endings": {"type": "array", "minItems": 1, "items": ending},
        "review": {"type": "object", "additionalProperties": False, "properties": {
            "look_for": {"type": "array", "items": look_for}}},
        "call": call_schema(),
    }
    out["$defs"] = defs()
    return out


def call_schema() -> dict[str, Any]:
    """The ``call:`` section (issue 19; game.content.call checks what this cannot)."""
    text = {"type": "string", "minLength": 1}
    texts = {"oneOf": [text, {"type": "array", "minItems": 1, "items": text}]}
    words = {"type": "array", "minItems": 1, "items": text}
    ids = {"type": "array", "items": ID}
    caller = {"type": "object", "additionalProperties": False, "properties": {
        "name": text, "profile": enum(CALLER_PROFILES, "who is calling"),
        "voice": {"type": "string", "description": "an espeak-ng voice for the caller's lines"},
        "agitation": {**UNIT, "description": "how upset the caller is when the call is answered (default 0.5)"},
        "sensitivity": {"type": "object", "additionalProperties": False, "properties": {
            k: {"type": "number", "minimum": -1, "maximum": 1} for k in ("question", "calm", "reassure", "shout",
                                                                          "silence")},
            "description": "how the dispatcher's words move the caller's agitation (silence: per second)"},
        "lines": {"type": "object", "propertyNames": {"pattern": ID["pattern"]}, "additionalProperties": texts,
                  "description": "opening, refuses, unknown, panic, reassured, hang_up, or lines the tree says"},
        "tree": {"description": "the caller's behaviour tree (the subjects' composites; actions say, wait, "
                                "hang_up, idle)"}}}
    fact = {"type": "object", "additionalProperties": False, "required": ["id", "card", "says"], "properties": {
        "id": ID, "card": enum([f for f in CARD_FIELDS if f != "priority"], "the incident card field it belongs on"),
        "says": {**text, "description": "what the caller says when asked"},
        "value": {"type": "string", "description": "what it means, for the review"},
        "words": {**words, "description": "words that, on the card or over the radio, pass it on"},
        "calm": {**UNIT, "description": "told only below this agitation (default 1)"},
        "look_for": {**ID, "description": "a review point that shows the officer used it"}}}
    question = {"type": "object", "additionalProperties": False, "required": ["id", "text", "reveals"], "properties": {
        "id": ID, "text": text, "reveals": {**ids, "minItems": 1},
        "words": {**words, "description": "words of a free question that ask it"}}}
    return {"type": "object", "additionalProperties": False, "required": ["caller", "facts", "questions"],
            "description": "the call a dispatcher takes before the scene (without one: the briefing)",
            "properties": {
                "caller": caller, "facts": {"type": "array", "minItems": 1, "items": fact},
                "questions": {"type": "array", "minItems": 1, "items": question},
                "opening_reveals": {**ids, "description": "facts the caller's opening line tells"},
                "default_briefing": {"type": "string", "description": "what the officer is told when no dispatcher "
                                                                      "takes part (default: briefing)"},
                "travel": {**SECONDS, "description": "seconds from Dispatch to on scene (default 20)"},
                "time_limit": {**SECONDS, "description": "the unit goes with what the card says after this (default 300)"},
                "records": {"type": "object", "additionalProperties": False, "required": ["says"], "properties": {
                    "says": text, "reveals": ids}, "description": "what a records check finds"},
                "units": {"type": "object", "additionalProperties": False,
                          "properties": {r: SECONDS for r in RESOURCES},
                          "description": "seconds until a resource the dispatcher sends is on scene"}}}


def library_schema() -> dict[str, Any]:
    out = header("library", "Talkdown scenario library (shared profiles and subtrees), format 1")
    out["required"] = ["format_version"]
    out["properties"] = {
        "format_version": VERSION, "description": {"type": "string"}, "include": INCLUDE,
        "profiles": {"type": "object", "propertyNames": ID, "additionalProperties": {"$ref": "#/$defs/profile"}},
        "subtrees": {"$ref": "#/$defs/subtrees"},
    }
    out["$defs"] = defs()
    return out


def script_schema() -> dict[str, Any]:
    out = header("script", "Talkdown trainee script, format 1")
    out["required"] = ["format_version", "actions"]
    who = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "description": "'subject' (the first) or a subject id"}
    out["properties"] = {
        "format_version": VERSION, "title": {"type": "string"}, "scenario": ID,
        "actions": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["at"], "minProperties": 2, "properties": {
                "at": {"type": "number", "minimum": 0, "description": "seconds after the start"},
                "walk_to": POINT, "speed": {"type": "number", "exclusiveMinimum": 0, "maximum": 8},
                "face": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$",
                         "description": "'subject', 'path' or a subject id"},
                "turn_to": {"oneOf": [{"type": "number"}, who]},
                "say": enum(INTENTS), "tone": enum(TONES), "text": {"type": "string"},
                "to": {**ID, "description": "the subject spoken to (the others overhear but do not answer)"},
                "draw": enum(TOOLS), "hand": enum(HANDS), "holster": enum([*HANDS, "all"]),
                "low_ready": {"type": "boolean", "description": "draw it held low, not pointed at anybody"},
                "ready": enum(("low", "aim"), "hold the tool in this hand low, or point it where you look"),
                "touch": {"oneOf": [TRUE, who], "description": "true (the nearest subject in reach) or a subject id"},
                "use": enum(HANDS, "use the tool in this hand"),
                "radio": enum(RADIO_REQUESTS, "ask dispatch over the radio (answered when a dispatcher takes part)"),
                "instructor": enum(INSTRUCTOR_COMMANDS, "what the instructor's console does"),
                "amount": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "subject": ID,
                "branch": {"oneOf": [ID, {"type": "integer", "minimum": 1}],
                           "description": "a branch id, or its number (1 = the first branch in the scenario file)"},
                "note": {"type": "string", "maxLength": 500},
                "line": {"type": "string", "minLength": 1, "description": "instructor: puppet: the subject's authored line"},
                "variant": {"type": "integer", "minimum": 0,
                            "description": "instructor: puppet: which of the line's texts (0: the first)"},
                "end": {"type": "boolean"}, "reason": {"type": "string"},
            }}},
    }
    return out


def tools_schema() -> dict[str, Any]:
    """input/tools.schema.json from the core's ToolSpecs: a figure's range is its field's
    metadata (game.core.tools.figure), a tool's description its spec class's docstring."""
    from dataclasses import fields, is_dataclass

    from game.core.tools import ToolSpecs

    def number(meta: dict[str, Any]) -> dict[str, Any]:
        low = "exclusiveMinimum" if meta.get("above", True) else "minimum"
        return {"type": "number", low: meta.get("low", 0), "maximum": meta["high"]}

    def mapping(meta: dict[str, Any], keys: Any = None) -> dict[str, Any]:
        lo, hi = meta["each"]
        each = number({"low": lo, "high": hi, "above": meta.get("above", False)})
        if keys is None:
            return {"type": "object", "additionalProperties": each, "description": meta["about"]}
        return {"type": "object", "additionalProperties": False, "description": meta["about"],
                "properties": {k: dict(each) for k in keys}}

    props: dict[str, Any] = {"format_version": {"type": "integer", "const": 1,
                                                "description": "format version of this file"}}
    for f in fields(ToolSpecs):
        if f.name in TOOLS:
            spec = f.default_factory()  # type: ignore[misc]
            assert is_dataclass(spec), f.name
            inner = {g.name: mapping(dict(g.metadata)) if "each" in g.metadata else number(dict(g.metadata))
                     for g in fields(spec)}
            props[f.name] = {"type": "object", "additionalProperties": False,
                             "description": (type(spec).__doc__ or "").strip(), "properties": inner}
        elif "each" in f.metadata:
            props[f.name] = mapping(dict(f.metadata), TOOLS)
        else:
            props[f.name] = number(dict(f.metadata))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://talkdown.invalid/schemas/tools-1.json", "title": "Talkdown force-option figures, format 1",
            "type": "object", "additionalProperties": False, "required": ["format_version"], "properties": props}


SCHEMAS = {
    "scenarios/schema.json": scenario_schema,
    "scenarios/library.schema.json": library_schema,
    "scenarios/script.schema.json": script_schema,
    "input/tools.schema.json": tools_schema,
}


def render(fn: Any) -> str:
    return json.dumps(fn(), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report schemas that are out of date")
    args = parser.parse_args(argv)
    stale = []
    for rel, fn in SCHEMAS.items():
        path = ROOT / rel
        text = render(fn)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(rel)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("out of date (run python tools/make_schemas.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    for rel in stale:
        print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
