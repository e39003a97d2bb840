"""The built-in looks to build: every manifest character whose ``source`` is this tool and
whose ``file`` is ``characters/NAME.glb`` (the old one-file humanoid is built separately)."""

from __future__ import annotations

from pathlib import Path

from charactergen.person import Look
from charactergen.shape import ANCESTRIES

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "tools/make_character.py"


def look_from(appearance) -> Look:
    return Look(gender=0.0 if appearance.body == "female" else 1.0, age=appearance.age, build=appearance.build,
                ancestry=ANCESTRIES[appearance.ancestry], hair=appearance.hair, sleeves=appearance.sleeves,
                items=tuple(sorted(appearance.items)))


def manifest_looks(manifest_path: Path | None = None) -> dict[str, tuple[Path, Look]]:
    """file path (relative to assets/) and build look, by the file's name, in manifest order."""
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from game.content.manifest import load_manifest

    out: dict[str, tuple[Path, Look]] = {}
    for entry in load_manifest(manifest_path).values():
        if entry.kind != "character" or entry.source != SOURCE or entry.appearance is None:
            continue
        if not entry.file or entry.file == "characters/humanoid.glb":
            continue
        out.setdefault(Path(entry.file).stem, (Path(entry.file), look_from(entry.appearance)))
    return out
