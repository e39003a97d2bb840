"""``talkdown import-asset PATH... [--kind character|prop|environment] [--name NAME]``

Checks each model file (glTF/GLB, OBJ, PLY, STL), converts it to .bam under the assets
folder's ``imported/``, renders a thumbnail beside it, and records it in the manifest.
Per file it prints its warnings and errors with fixes; a refused file changes nothing.
Exit status: 0 when every file was imported, 1 when any was refused, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from game.cli.asset_checks import (
    Findings,
    Refused,
    check_clips,
    check_fit,
    inspect_gltf,
    measure,
)

SUFFIXES = (".glb", ".gltf", ".obj", ".ply", ".stl")
KINDS = ("character", "prop", "environment")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("import-asset", help="check, convert and register models (glTF/GLB, OBJ, PLY, STL)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="model files or folders of them")
    p.add_argument("--kind", choices=KINDS, help="default: character when the file has a skeleton, else prop")
    p.add_argument("--name", help="manifest name (one file only; default: from the file name)")
    p.add_argument("--clip-map", action="append", default=[], metavar="STANDARD=THEIRS",
                   help="use the file's clip THEIRS as the standard clip STANDARD (repeatable), e.g. idle=Idle_01")
    p.add_argument("--scale", type=float, default=1.0, help="multiply the model's size (0.01: centimetres to metres)")
    p.add_argument("--up", choices=("y", "z"), help="the source's up axis (default: y for glTF/OBJ, z for PLY/STL)")
    p.add_argument("--replace", action="store_true", help="update an entry of the same name")
    p.add_argument("--assets", metavar="DIR", help="assets folder holding manifest.yaml (default: the installed one)")


@dataclass
class Options:
    kind: str | None
    name: str | None
    clip_map: dict[str, str]
    scale: float
    up: str | None
    replace: bool
    assets: Path


def slug(stem: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", stem.lower()).strip("_")
    return s if s and s[0].isalpha() else f"asset_{s}" if s else "asset"


def collect(paths: list[str]) -> tuple[list[Path], list[str]]:
    files, problems = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not found:
                problems.append(f"{p}: error: no model files ({', '.join(SUFFIXES)}) in this folder")
            files += found
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                problems.append(f"{p}: error: not a model file Talkdown reads ({', '.join(SUFFIXES)}): export glTF (.glb)")
            else:
                files.append(p)
        else:
            problems.append(f"{p}: error: no such file or folder")
    return files, problems


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def inspect(path: Path, opts: Options) -> tuple[str, str, Findings, Any]:
    """Kind, source up axis, findings and (for OBJ/PLY/STL) the trimesh mesh. Raises Refused."""
    import trimesh

    suffix = path.suffix.lower()
    up = opts.up or ("y" if suffix in (".glb", ".gltf", ".obj") else "z")
    mesh = None
    if suffix in (".glb", ".gltf"):
        _, findings = inspect_gltf(path)
        loaded = trimesh.load(str(path), force="scene", process=False)
        geometry = loaded.to_geometry() if hasattr(loaded, "to_geometry") else loaded.dump(concatenate=True)
    else:
        findings = Findings()
        if path.stat().st_size > 512 * 2**20:
            raise Refused("larger than 512 MiB: decimate it or split it")
        geometry = mesh = trimesh.load(str(path), force="mesh", process=False)
    kind = opts.kind or ("character" if findings.has_skeleton else "prop")
    measure(geometry, kind, findings, up=up)
    check_fit(kind, findings, opts.scale, up)
    return kind, up, findings, mesh


def import_one(path: Path, opts: Options, base: Any, out: TextIO) -> bool:
    """Imports one file; True when it was recorded. Prints warnings and the outcome."""
    from game.content.errors import ContentError
    from game.content.manifest_write import ManifestBusy, add_entry
    from game.engine.world.asset_convert import convert, render_thumbnail, write_bam
    from game.files import replace_retrying

    name = opts.name or slug(path.stem)
    written: list[Path] = []
    try:
        kind, up, findings, mesh = inspect(path, opts)
        clip_map = check_clips(findings, opts.clip_map) if kind == "character" else {}
        folder = opts.assets / "imported"
        folder.mkdir(parents=True, exist_ok=True)
        bam, png = folder / f"{name}.bam", folder / f"{name}.png"
        # the new files are made in a fresh folder of our own (random name, 0700): nothing planted
        # in imported/ under a predictable temporary name can redirect a write
        work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=folder))
        written.append(work)
        tmp_bam, tmp_png = work / f"{name}.bam", work / f"{name}.png"
        model = convert(path, kind, scale=opts.scale, up=up, mesh=mesh)
        write_bam(model, tmp_bam)
        if base is not None:
            render_thumbnail(base, model, tmp_png)
        else:
            findings.warnings.append("no thumbnail: no offscreen renderer here")
        lo, hi = findings.bounds  # type: ignore[misc]
        entry: dict[str, Any] = {
            "kind": kind, "source": str(path), "file": f"imported/{name}.bam",
            "checksum": _sha256(path), "triangles": findings.triangles,
            "bounds": [[round(v * opts.scale, 4) for v in lo], [round(v * opts.scale, 4) for v in hi]],
        }
        if kind == "character":
            entry["clips"] = sorted(set(findings.clips))
            if clip_map:
                entry["clip_map"] = clip_map
        if base is not None:
            entry["thumbnail"] = f"imported/{name}.png"
        for w in findings.warnings:
            print(f"{path}: warning: {w}", file=out)
        add_entry(opts.assets / "manifest.yaml", name, entry, replace=opts.replace)
        for made in (tmp_bam, tmp_png) if base is not None else (tmp_bam,):
            os.chmod(made, 0o644)  # shared content, like the rest of the assets folder
        replace_retrying(tmp_bam, bam)
        if base is not None:
            replace_retrying(tmp_png, png)
        clips = f", {len(findings.clips)} clips" if kind == "character" else ""
        print(f"{path}: imported as '{name}' ({kind}, {findings.triangles:,} triangles{clips}) -> {bam}", file=out)
        if kind == "character":
            face = ", ".join(findings.face) if findings.face else (
                "none: no mouth movement, expressions or blinks (add ARKit-named morph targets: jawOpen, eyeBlinkLeft ...)")
            print(f"{path}: face controls: {face}", file=out)
        return True
    except Refused as err:
        print(f"{path}: error: {err}", file=out)
    except ContentError as err:
        print(f"{path}: error: {err.problems[0].message}", file=out)
    except ManifestBusy as err:
        print(f"{path}: error: {err}", file=out)
    except Exception as err:  # noqa: BLE001  (a hostile file must never end in a traceback)
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        print(f"{path}: error: could not read it ({type(err).__name__}: {reason[:200]}); "
              "export it again as glTF binary (.glb)", file=out)
    finally:
        for f in written:
            shutil.rmtree(f, ignore_errors=True)
    return False


def _offscreen() -> Any:
    from game.engine.settings import (
        EngineSettings,
        EngineUnavailable,
        create_showbase,
        default_offscreen_display,
    )

    try:
        return create_showbase(EngineSettings(offscreen=True, width=256, height=256, display=default_offscreen_display()))
    except EngineUnavailable:
        return None


def main(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    from game.content.library import package_dir

    out = out or sys.stdout
    err = err or sys.stderr

    clip_map = {}
    for item in args.clip_map:
        std, sep, theirs = item.partition("=")
        if not sep or not std or not theirs:
            print(f"talkdown: error: --clip-map wants STANDARD=THEIRS, got {item!r}", file=err)
            return 2
        clip_map[std.strip()] = theirs.strip()
    if not (0 < args.scale < 1e6):
        print(f"talkdown: error: --scale must be above 0, got {args.scale}", file=err)
        return 2
    files, problems = collect(args.paths)
    if args.name is not None and (len(files) != 1 or not re.fullmatch(r"[a-z][a-z0-9_]*", args.name)):
        print("talkdown: error: --name takes one file and a name of lower-case letters, digits and underscores",
              file=err)
        return 2
    assets = Path(args.assets) if args.assets else package_dir("assets")
    if not (assets / "manifest.yaml").is_file():
        print(f"talkdown: error: no manifest.yaml in {assets}", file=err)
        return 2
    for p in problems:
        print(p, file=out)
    opts = Options(args.kind, args.name, clip_map, args.scale, args.up, args.replace, assets)
    base = _offscreen() if files else None
    done = 0
    try:
        for i, f in enumerate(files, 1):
            if len(files) > 1:
                bar = "#" * round(20 * (i - 1) / len(files))
                print(f"[{bar:<20}] {i}/{len(files)} {f.name}", file=err)
            done += import_one(f, opts, base, out)
    finally:
        if base is not None:
            from game.engine.settings import destroy_showbase

            destroy_showbase(base)
    if len(files) > 1:
        print(f"[{'#' * 20}] {done} of {len(files)} imported", file=err)
    return 0 if done == len(files) and not problems else 1
