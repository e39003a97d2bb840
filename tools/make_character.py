"""Writes the built-in rigged humanoid, ``assets/characters/humanoid.glb``: a skeleton,
skinned body pieces for every build, hair style and item, and the standard clips.

    python tools/make_character.py            # rewrite the shipped file
    python tools/make_character.py --check    # exit 1 if the shipped file is out of date
    python tools/make_character.py --out my.glb

The output is deterministic: the same code gives the same bytes on every machine.
Appearance variants (build, height, skin, hair, clothes) are chosen at load time from
``assets/manifest.yaml``; see docs/assets.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

DEFAULT_OUT = ROOT / "assets" / "characters" / "humanoid.glb"


def humanoid_glb() -> bytes:
    from charactergen.gltf import build_gltf, to_glb

    return to_glb(*build_gltf())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="only compare with the file at --out")
    args = parser.parse_args(argv)
    data = humanoid_glb()
    if args.check:
        same = args.out.is_file() and args.out.read_bytes() == data
        print(f"{args.out}: {'up to date' if same else 'out of date: run tools/make_character.py'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from game.files import write_atomic

    write_atomic(args.out, data, mode=0o644)  # a fresh temporary (no planted link followed), then a rename
    print(f"wrote {args.out} ({len(data) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
