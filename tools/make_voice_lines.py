#!/usr/bin/env python3
"""Voices every subject line of the installed scenarios (or the given scenario files) with
espeak-ng, in each subject's own voice, into ``assets/voices/`` (cached: a line already
voiced is skipped). A line with a recording of its own (``audio:``) is left to it.

Where the espeak-ng library loads (``libespeak-ng``), each line's phonemes and their times
go beside its WAV (``NAME.phonemes.json``, :mod:`game.voice.phonemes`): the subject's mouth
shapes them. A line voiced before without them is voiced again with them.

    python3 tools/make_voice_lines.py [SCENARIO.yaml...] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.content.library import installed  # noqa: E402
from game.content.scenario import load_scenario  # noqa: E402
from game.voice.lines import flite_prosody, line_engine, prosody, subject_voice, voice_line_name, voices_dir  # noqa: E402
from game.voice.phonemes import available as phonemes_available, phonemes_path, voice_with_phonemes  # noqa: E402
from game.voice.synth import espeak, flite, synthesize_flite_wav, synthesize_wav  # noqa: E402


def lines_of(scenario) -> list[tuple[str, str]]:
    """(subject id, text) of every spoken line without a recording of its own (narration,
    ``narration: true``, describes what the subject does: it is acted, not voiced), and of
    every answer the subject can give to a question (``knows:``)."""
    out = []
    for s in scenario.subjects:
        for variants in s.lines.values():
            for v in variants:
                text, audio = (v, "") if isinstance(v, str) else (v.text, v.audio)
                if text and not audio and not getattr(v, "narration", False):
                    out.append((s.id, text))
        for f in s.knows:
            if f.narration:
                continue
            out += [(s.id, t) for t in (f.tells, f.refuses, f.lie, f.doesnt_know) if t]
    return list(dict.fromkeys(out))


def tones_of(scenario) -> dict[tuple[str, str], set[str]]:
    """(subject id, line key) -> the tones its behaviours say it in besides normal
    (``say: {line: K, tone: shout}``): those are voiced in that tone too."""
    out: dict[tuple[str, str], set[str]] = {}

    def walk(subject: str, node) -> None:
        if isinstance(node, Mapping):
            say = node.get("say")
            if isinstance(say, Mapping) and say.get("tone", "normal") != "normal":
                out.setdefault((subject, say["line"]), set()).add(say["tone"])
            for v in node.values():
                walk(subject, v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(subject, v)

    for s in scenario.subjects:
        walk(s.id, s.tree)
    for b in scenario.branches:
        walk(b.subject, b.tree)
    return out


def make(paths: list[Path], out: Path, engine: str | None = None) -> tuple[int, int]:
    """Returns (made, already there). Each line in the subject's voice, and again in each
    tone its behaviours say it in (faster, higher and louder shouted; slower, lower, softer calm).
    ``engine``: "espeak" (with phonemes for the mouth where libespeak-ng loads) or "flite"
    (better understood, no phonemes yet); None: :func:`game.voice.lines.line_engine`."""
    made = cached = 0
    engine = engine or line_engine()
    timed = engine == "espeak" and phonemes_available()
    for path in paths:
        scenario = load_scenario(path).scenario
        tones = tones_of(scenario)
        keyed = {(s.id, v if isinstance(v, str) else v.text): k for s in scenario.subjects
                 for k, vs in s.lines.items() for v in vs}
        for subject, text in lines_of(scenario):
            voice = subject_voice(scenario.id, subject)
            for tone in ("normal", *sorted(tones.get((subject, keyed.get((subject, text), "")), ()))):
                target = out / voice_line_name(text, voice, tone, engine)
                if target.is_file() and (not timed or phonemes_path(target).is_file()):
                    cached += 1
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                if engine == "flite":
                    synthesize_flite_wav(text, target, **flite_prosody(voice, tone))
                elif timed:
                    voice_with_phonemes(text, target, **prosody(voice, tone))
                else:
                    synthesize_wav(text, target, **prosody(voice, tone))
                made += 1
    return made, cached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="assets folder (default: the installed assets/)")
    parser.add_argument("--engine", choices=("espeak", "flite"), default=None,
                        help="espeak-ng (default where installed: its phonemes move the mouth) or flite")
    args = parser.parse_args(argv)
    engine = args.engine or line_engine()
    if (flite() if engine == "flite" else espeak()) is None:
        print(f"make_voice_lines: {'flite' if engine == 'flite' else 'espeak-ng'} is not installed "
              f"(Debian/Ubuntu: apt install {'flite' if engine == 'flite' else 'espeak-ng'})", file=sys.stderr)
        return 1
    made, cached = make(args.scenarios or installed("scenarios"), args.out or voices_dir(), engine)
    print(f"make_voice_lines: {made} line(s) voiced, {cached} already there ({engine})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
