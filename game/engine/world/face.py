"""The subject's face: visemes while a line is spoken, expressions from the inner state,
blinks, and the eyes' gaze, on a character's morph targets (ARKit names) and eye joints.

Everything here is view-side: timings come from the simulated ``dt`` the view is given
and blinks from a generator seeded by the subject's id, so the same journal shows the same
face and the face never feeds back into the simulation.
"""

from __future__ import annotations

import math
import random
import zlib
from dataclasses import dataclass, field
from typing import Any

#: The logical controls the face drives; a character may have each as one target
#: (``mouthSmile``) or as ARKit's two sides (``mouthSmileLeft`` + ``mouthSmileRight``).
CONTROLS = (
    "jawOpen", "jawForward", "mouthClose", "mouthFunnel", "mouthPucker", "mouthSmile", "mouthFrown", "mouthPress",
    "mouthStretch", "mouthUpperUp", "mouthLowerDown", "mouthRollLower", "mouthShrugUpper", "browDown", "browInnerUp",
    "browOuterUp", "eyeBlink", "eyeWide", "eyeSquint", "noseSneer", "cheekSquint",
)
GAZE_CONTROLS = ("eyeLookUp", "eyeLookDown", "eyeLookIn", "eyeLookOut")

#: viseme: control weights (a mouth shape).
VISEMES: dict[str, dict[str, float]] = {
    "sil": {},
    "PP": {"mouthClose": 0.5, "mouthPress": 0.5, "jawOpen": 0.04},
    "FF": {"mouthRollLower": 0.55, "mouthUpperUp": 0.25, "jawOpen": 0.1},
    "DD": {"jawOpen": 0.22, "mouthStretch": 0.2},
    "kk": {"jawOpen": 0.3, "mouthStretch": 0.15},
    "SS": {"jawOpen": 0.1, "mouthStretch": 0.45, "mouthSmile": 0.15},
    "CH": {"jawOpen": 0.18, "mouthFunnel": 0.45},
    "RR": {"jawOpen": 0.2, "mouthFunnel": 0.25, "mouthPucker": 0.2},
    "aa": {"jawOpen": 0.62, "mouthLowerDown": 0.25},
    "E": {"jawOpen": 0.38, "mouthStretch": 0.4, "mouthSmile": 0.15, "mouthLowerDown": 0.2},
    "I": {"jawOpen": 0.25, "mouthStretch": 0.5, "mouthSmile": 0.3},
    "O": {"jawOpen": 0.45, "mouthFunnel": 0.7},
    "U": {"jawOpen": 0.18, "mouthPucker": 0.85, "mouthFunnel": 0.2},
}
_DIGRAPHS = {"th": "DD", "sh": "CH", "ch": "CH", "oo": "U", "ee": "I", "ou": "O", "ph": "FF", "ng": "kk", "qu": "U"}
_LETTERS = {
    **dict.fromkeys("pbm", "PP"), **dict.fromkeys("fv", "FF"), **dict.fromkeys("tdnl", "DD"),
    **dict.fromkeys("kgcxq", "kk"), **dict.fromkeys("sz", "SS"), "j": "CH", "r": "RR", "w": "U", "h": "kk",
    "a": "aa", "e": "E", "i": "I", "y": "I", "o": "O", "u": "U",
}
VOWELS = frozenset({"aa", "E", "I", "O", "U"})

#: espeak-ng's phoneme mnemonics (English) -> visemes; a pause ("_", "_:") is silence.
PHONEME_VISEMES: dict[str, str] = {
    **dict.fromkeys(("p", "b", "m"), "PP"), **dict.fromkeys(("f", "v"), "FF"),
    **dict.fromkeys(("T", "D", "t", "d", "n", "l", "t#", "d#", "n-", "l-"), "DD"),
    **dict.fromkeys(("k", "g", "N", "x", "h", "?"), "kk"), **dict.fromkeys(("s", "z"), "SS"),
    **dict.fromkeys(("S", "Z", "tS", "dZ"), "CH"), **dict.fromkeys(("r", "r-", "R", "3", "3:", "@r"), "RR"),
    **dict.fromkeys(("w", "W"), "U"), "j": "I",
    **dict.fromkeys(("a", "aa", "a#", "A", "A:", "A@", "V", "aI", "aU", "a@"), "aa"),
    **dict.fromkeys(("@", "@2", "@5", "@L", "e", "E", "e@", "eI", "E2"), "E"),
    **dict.fromkeys(("i", "i:", "I", "I#", "I2", "i@", "i@3"), "I"),
    **dict.fromkeys(("0", "O", "O:", "O@", "oU", "o@", "OI", "o"), "O"),
    **dict.fromkeys(("u", "u:", "U", "U@"), "U"),
}


def phoneme_viseme(phoneme: str) -> str:
    """The mouth shape of one espeak-ng phoneme (silence for a pause or one it does not know)."""
    if not phoneme or phoneme[0] in "_;,.":
        return "sil"
    v = PHONEME_VISEMES.get(phoneme) or PHONEME_VISEMES.get(phoneme.rstrip(":#0123456789"))
    return v if v is not None else _LETTERS.get(phoneme[0].lower(), "sil")


def visemes(text: str) -> list[tuple[str, float]]:
    """(viseme, relative length) for a line, from its spelling: rules, not a dictionary, but
    the shapes land on the right letters and pauses on punctuation."""
    out: list[tuple[str, float]] = []
    t = text.lower()
    i = 0
    while i < len(t):
        pair = t[i:i + 2]
        if pair in _DIGRAPHS:
            v, i = _DIGRAPHS[pair], i + 2
        else:
            ch, i = t[i], i + 1
            if ch in ",;:":
                out.append(("sil", 2.5))
                continue
            if ch in ".!?":
                out.append(("sil", 3.5))
                continue
            if ch.isspace() or ch in "-'\"":
                if out and out[-1][0] != "sil":
                    out.append(("sil", 0.25))
                continue
            v = _LETTERS.get(ch)
            if v is None:
                continue
        if out and out[-1][0] == v:  # doubled letters are one sound
            continue
        out.append((v, 1.4 if v in VOWELS else 0.9))
    while out and out[-1][0] == "sil":
        out.pop()
    return out


@dataclass
class Speech:
    """One line being said: its mouth shapes over ``duration`` seconds, scaled by the audio's
    loudness envelope where there is one (``envelope``: samples per ``hop`` seconds, 0..1)."""

    text: str
    duration: float
    shout: bool = False
    envelope: list[float] = field(default_factory=list)
    hop: float = 0.02
    #: espeak-ng's phonemes of the audio, (start seconds, phoneme) in order: when given, the
    #: mouth takes each one's shape for as long as it lasts instead of spelling the text.
    phonemes: list[tuple[float, str]] = field(default_factory=list)
    elapsed: float = 0.0
    _track: list[tuple[float, float, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.phonemes:
            ends = [t for t, _ in self.phonemes[1:]] + [self.duration]
            for (start, ph), end in zip(self.phonemes, ends):
                v = phoneme_viseme(ph)
                if end > start and v != "sil":
                    self._track.append((start, min(end, self.duration), v))
            if self._track:
                return
        seq = visemes(self.text) or [("aa", 1.0)]
        total = sum(w for _, w in seq)
        t = 0.0
        for v, w in seq:
            d = self.duration * w / total
            self._track.append((t, t + d, v))
            t += d

    @property
    def done(self) -> bool:
        return self.elapsed >= self.duration

    def weights(self) -> dict[str, float]:
        """The mouth's control weights at ``elapsed``: neighbouring shapes overlap (co-articulation)."""
        if self.done:
            return {}
        t = self.elapsed
        out: dict[str, float] = {}
        for start, end, v in self._track:
            if end < t - 0.08 or start > t + 0.08:
                continue
            mid = (start + end) / 2
            half = max(0.04, (end - start) / 2) + 0.06
            k = max(0.0, 1.0 - abs(t - mid) / half)
            for c, w in VISEMES[v].items():
                out[c] = max(out.get(c, 0.0), w * k)
        gain = 1.35 if self.shout else 1.0
        if self.envelope:
            i = min(len(self.envelope) - 1, int(t / self.hop))
            gain *= 0.35 + 0.9 * self.envelope[i]
        fade = min(1.0, t / 0.05, (self.duration - t) / 0.08)
        return {c: min(1.0, w * gain * fade) for c, w in out.items()}


@dataclass(frozen=True)
class Feeling:
    """What the face shows, 0..1 each, from the subject's state (see :func:`feeling_of`)."""

    anger: float = 0.0
    fear: float = 0.0
    trust: float = 0.0
    pain: float = 0.0
    shame: float = 0.0


PAIN_TOOLS = {"oc": 40.0, "cew": 12.0, "baton": 15.0, "taser": 12.0, "spray": 40.0}


def feeling_of(state: Any, now: float, trainee: Any = None) -> Feeling:
    """Reads the subject's (and trainee's) state the way a face shows it."""
    agitation = float(getattr(state, "agitation", 0.0))
    trust = float(getattr(state, "trust", 0.0))
    posture = getattr(state, "posture", "relaxed")
    threatened = 0.0
    if trainee is not None and getattr(trainee, "pointed_tools", None) is not None:
        threatened = 0.8 if any(t in ("firearm", "cew", "taser") for t in trainee.pointed_tools()) else 0.0
    crowd = 0.45 if getattr(state, "crowded", False) else 0.0
    closing = min(1.0, max(0.0, float(getattr(state, "closing_speed", 0.0))) / 1.5)
    yielding = 0.55 if posture in ("hands_up", "kneeling", "prone") else 0.0
    fear = min(1.0, max(threatened, crowd, closing, yielding) * (0.6 + 0.4 * agitation))
    tool = getattr(state, "last_force_tool", "")
    since = now - float(getattr(state, "last_force", -1e9))
    lasts = PAIN_TOOLS.get(tool, 8.0 if tool else 0.0)
    pain = max(0.0, 1.0 - since / lasts) if lasts and since >= 0 else 0.0
    anger = max(0.0, agitation - 0.25) / 0.75 * (1.0 - 0.7 * fear)
    shame = 0.6 if posture in ("sitting", "kneeling") and agitation < 0.3 and trust < 0.5 else 0.0
    return Feeling(anger=min(1.0, anger), fear=fear, trust=max(0.0, min(1.0, trust)), pain=pain, shame=shame)


def expression(f: Feeling) -> dict[str, float]:
    """Control weights for a feeling: anger lowers the brows and sets the jaw, fear raises the
    brows and widens the eyes, trust softens, pain screws the face up."""
    out = {
        "browDown": 0.85 * f.anger + 0.4 * f.pain,
        "noseSneer": 0.45 * f.anger + 0.35 * f.pain,
        "mouthPress": 0.35 * f.anger,
        "jawForward": 0.25 * f.anger,
        "eyeSquint": 0.4 * f.anger + 0.6 * f.pain,
        "mouthFrown": 0.25 * f.anger + 0.3 * f.shame + 0.2 * f.pain,
        "browInnerUp": 0.9 * f.fear + 0.5 * f.pain + 0.4 * f.shame,
        "browOuterUp": 0.6 * f.fear,
        "eyeWide": 0.85 * f.fear,
        "mouthStretch": 0.35 * f.fear + 0.45 * f.pain,
        "mouthSmile": 0.3 * f.trust * (1.0 - f.anger) * (1.0 - f.fear),
        "cheekSquint": 0.2 * f.trust * (1.0 - f.anger) + 0.4 * f.pain,
        "eyeBlink": 0.55 * f.pain,
    }
    return {k: min(1.0, v) for k, v in out.items() if v > 1e-3}


class Blinker:
    """Blinks every 2-6 s (faster when afraid or angry), seeded by the subject's id."""

    CLOSE = 0.16  # seconds a blink takes, down and up

    def __init__(self, subject: str) -> None:
        self.rng = random.Random(zlib.crc32(subject.encode("utf-8")))
        self.t = 0.0
        self.next = self.rng.uniform(1.0, 4.0)
        self.blinks: list[float] = []  # when each blink began (view time), for the tests and the bench

    def update(self, dt: float, arousal: float) -> float:
        """The eyelids' closure now, 0..1."""
        self.t += dt
        if self.t >= self.next:
            self.blinks.append(self.next)
            base = self.rng.uniform(2.0, 6.0) * (1.0 - 0.45 * arousal)
            self.next += max(self.CLOSE + 0.3, base)
        if not self.blinks:
            return 0.0
        phase = (self.t - self.blinks[-1]) / self.CLOSE
        return math.sin(math.pi * phase) if 0.0 <= phase <= 1.0 else 0.0


def mix(*layers: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for layer in layers:
        for k, v in layer.items():
            out[k] = min(1.0, out.get(k, 0.0) + v)
    return out


def smooth(current: dict[str, float], goal: dict[str, float], dt: float, tau: float) -> dict[str, float]:
    k = 1.0 - math.exp(-dt / tau) if tau > 0 else 1.0
    out = {}
    for c in set(current) | set(goal):
        v = current.get(c, 0.0) + (goal.get(c, 0.0) - current.get(c, 0.0)) * k
        if v > 1e-4 or c in goal:
            out[c] = v
    return out
