"""The gestures a subject's body can play for a described action, and how a line's words
name one. Authors can name it on a line (``gesture: tap_ear``); otherwise a line that
describes an action ("He taps his ear", "(She sits on the bench.)") is matched by words.

The character clips of the same names are written by ``tools/make_character.py``.
"""

from __future__ import annotations

import re

#: gesture: what it shows
GESTURES: dict[str, str] = {
    "sign": "signs with both hands in front of the chest",
    "tap_ear": "points at / taps an ear",
    "show_phone": "holds a phone out to show it",
    "hands_on_head": "both hands on the head",
    "sway": "sways on the spot (drunk, dizzy)",
    "cover_face": "covers the face with both hands",
    "reach_pocket": "reaches into a pocket",
    "kneel_down": "goes down on the knees",
    "lie_down": "lies down on the back",
    "sit_down": "sits (on a seat where the scene has one)",
}

#: (pattern, gesture), first match wins: what the words of a described action show.
RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), g) for p, g in (
    (r"\b(phone|screen)\b", "show_phone"),
    (r"\bsign(s|ing|ed)?\b|\bmimes?\b|\bshape with (his|her|their) hands\b", "sign"),
    (r"\b(ear|ears)\b", "tap_ear"),
    (r"\bhands? (on|over|behind) (his|her|their) head\b|\bhands on head\b", "hands_on_head"),
    (r"\bcover(s|ing)? (his|her|their) face\b|\bface in (his|her|their) hands\b|\bburies (his|her|their) face\b",
     "cover_face"),
    (r"\b(reach(es)?|digs?|hand) (quickly )?into (his|her|their) (jacket |coat |trouser )?pocket", "reach_pocket"),
    (r"\bpocket\b", "reach_pocket"),
    (r"\bkneel(s|ing)?\b|\bon (his|her|their) knees\b", "kneel_down"),
    (r"\b(lies|lying|lays) down\b|\bon (his|her|their) back\b", "lie_down"),
    (r"\bsits?\b|\bsitting\b|\bsat down\b", "sit_down"),
    (r"\bsway(s|ing)?\b|\bstaggers?\b|\bunsteady\b|\bwobbl", "sway"),
))
_DESCRIBED = re.compile(r"^\s*[\(\*\[]|^\s*(he|she|they|the man|the woman|the boy|the girl)\b", re.IGNORECASE)


def describes_action(text: str) -> bool:
    """Whether a line reads as a described action rather than words said: "(He sits.)",
    "*taps his ear*", "He points at his ears ..."."""
    return bool(_DESCRIBED.match(text))


def gesture_for(text: str, explicit: str = "", narration: bool | None = None) -> str:
    """The gesture a line plays: the author's, else one its words describe, else ''."""
    if explicit:
        return explicit
    if narration is False or (narration is None and not describes_action(text)):
        return ""
    for pattern, gesture in RULES:
        if pattern.search(text):
            return gesture
    return ""


def spoken_part(text: str, narration: bool | None = None) -> str:
    """What of a line is said aloud (the mouth moves for it): none of a described action,
    except words quoted in it ("He shouts: 'Get back!'")."""
    if narration is False or (narration is None and not describes_action(text)):
        return text
    quoted = re.findall(r"[\"“]([^\"”]+)[\"”]", text)
    return " ".join(quoted)
