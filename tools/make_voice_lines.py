#!/usr/bin/env python3
"""Voices every subject line of the installed scenarios (or the given scenario files) with
espeak-ng, in each subject's own voice, into ``assets/voices/`` (cached: a line already
voiced is skipped). A line with a recording of its own (``audio:``) is left to it.

    python3 tools/make_voice_lines.py [SCENARIO.yaml...] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.content.library import installed  # noqa: E402
from game.content.scenario import load_scenario  # noqa: E402
from game.voice.lines import subject_voice, voice_line_name, voices_dir  # noqa: E402
from game.voice.synth import espeak, synthesize_wav  # noqa: E402


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
            out += [(s.id, t) for t in (f.tells, f.refuses, f.lie, f.doesnt_know) if t]
    return list(dict.fromkeys(out))


def make(paths: list[Path], out: Path) -> tuple[int, int]:
    """Returns (made, already there)."""
    made = cached = 0
    for path in paths:
        scenario = load_scenario(path).scenario
        for subject, text in lines_of(scenario):
            voice = subject_voice(scenario.id, subject)
            target = out / voice_line_name(text, voice)
            if target.is_file():
                cached += 1
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            synthesize_wav(text, target, voice=voice.voice, speed=voice.speed, pitch=voice.pitch)
            made += 1
    return made, cached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=None, help="assets folder (default: the installed assets/)")
    args = parser.parse_args(argv)
    if espeak() is None:
        print("make_voice_lines: espeak-ng is not installed (Debian/Ubuntu: apt install espeak-ng)", file=sys.stderr)
        return 1
    made, cached = make(args.scenarios or installed("scenarios"), args.out or voices_dir())
    print(f"make_voice_lines: {made} line(s) voiced, {cached} already there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
