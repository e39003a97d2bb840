"""The far level of detail: each body part decimated by vertex clustering (a fixed grid, so
the result is deterministic), without the face's small parts or targets. The engine shows it
beyond 8 m instead of the full character."""

from __future__ import annotations

import numpy as np

from charactergen.person import Part, vertex_normals

GRID = 0.028  # metres: cluster size
FACE_PARTS = ("eye_", "teeth.", "tongue.", "lashes.", "brows.", "mouth.")


def cluster(part: Part, grid: float = GRID) -> Part | None:
    keys = np.floor(part.positions / grid).astype(np.int64)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    n = len(first)
    pos = np.zeros((n, 3))
    np.add.at(pos, inverse, part.positions)
    pos /= np.bincount(inverse, minlength=n)[:, None]
    tris = inverse[part.triangles]
    keep = (tris[:, 0] != tris[:, 1]) & (tris[:, 1] != tris[:, 2]) & (tris[:, 0] != tris[:, 2])
    tris = tris[keep]
    if not len(tris):
        return None
    _, unique_rows = np.unique(np.sort(tris, axis=1), axis=0, return_index=True)
    tris = tris[np.sort(unique_rows)]
    used, remap = np.unique(tris, return_inverse=True)
    tris = remap.reshape(-1, 3)
    pos = pos[used]
    rep = first[used]
    return Part("lod1." + part.name, pos, vertex_normals(pos, tris), part.joints[rep], part.weights[rep], tris)


def far_parts(parts: list[Part]) -> list[Part]:
    out = []
    for p in parts:
        if p.name.startswith(FACE_PARTS) or p.name.startswith("glasses."):
            continue
        c = cluster(p)
        if c is not None:
            out.append(c)
    return out
