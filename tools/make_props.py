"""Writes the built-in props: one ``assets/props/NAME.glb`` per model in ``tools/propgen/models.py``
(cars, a van, benches, a sofa, tables, a chair, a door, bins, a tree), modelled from lofts, boxes
and cylinders with metallic-roughness materials, and prints each one's manifest entry.

    python tools/make_props.py            # rewrite the shipped files
    python tools/make_props.py --check    # exit 1 if a shipped file is out of date
    python tools/make_props.py --only sofa --entries

Build-time only, numpy alone; deterministic: the same code writes the same bytes. Scenes place
the props by their manifest names (``asset: patrol_car``); ``talkdown import-asset``'s checks and
the Khronos glTF validator pass on every file (tests check both).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

ASSETS = ROOT / "assets"


def prop_files(only: set[str] | None = None) -> dict[str, bytes]:
    """Every built-in prop's name and GLB bytes."""
    from propgen.glb import to_glb
    from propgen.models import PROPS

    out = {}
    for name, (build, description, _seat) in PROPS.items():
        if only and name not in only:
            continue
        mesh = build(name)
        out[name] = to_glb(mesh, {"prop": name, "description": description, "triangles": mesh.triangles()})
    return out


def manifest_entry(name: str, path: Path) -> str:
    """The manifest lines for prop ``name``: what import-asset's checks measure of its file."""
    from propgen.models import PROPS

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from game.cli.asset_checks import inspect_gltf, measure
    import trimesh

    _, findings = inspect_gltf(path)
    loaded = trimesh.load(str(path), force="scene", process=False)
    measure(loaded.to_geometry(), "prop", findings, up="y")
    lo, hi = findings.bounds
    _, description, seat = PROPS[name]
    lines = [f"  {name}:", "    kind: prop", "    source: tools/make_props.py", f"    file: props/{name}.glb",
             f"    description: {description}", "    forward: +y",
             f"    bounds: [{list(lo)}, {list(hi)}]", f"    triangles: {findings.triangles}"]
    if seat:
        h, a, b = seat
        lines.append(f"    seat: {{height: {h}, from: [{a[0]}, {a[1]}], to: [{b[0]}, {b[1]}]}}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the shipped files")
    parser.add_argument("--only", action="append", help="build only this prop (repeatable)")
    parser.add_argument("--entries", action="store_true", help="print each prop's manifest entry")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from game.files import write_atomic

    stale = 0
    for name, data in prop_files(set(args.only) if args.only else None).items():
        out = ASSETS / "props" / f"{name}.glb"
        if args.check:
            same = out.is_file() and out.read_bytes() == data
            stale += not same
            print(f"props/{name}.glb: {'up to date' if same else 'out of date: run tools/make_props.py'}")
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, data, mode=0o644)
        print(f"wrote props/{name}.glb ({len(data) // 1024} KiB)", file=sys.stderr if args.entries else sys.stdout)
        if args.entries:
            print(manifest_entry(name, out))
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
