"""PNG encoding with the standard library (zlib) and numpy: safe on any thread.

Panda3D's own image writers must not run off the main thread while it renders (a frame
writer doing so crashed one offscreen run in 12–25); pixels are copied out of the engine on
the main thread and encoded here. Rows are filtered with PNG's "Sub" filter (each byte minus
the one a pixel to its left), which suits rendered frames; zlib releases the GIL while it
compresses.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOUR_TYPE = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> grey, grey+alpha, RGB, RGBA


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(pixels: bytes | memoryview | np.ndarray, width: int, height: int, *, channels: int = 3,
               bottom_up: bool = False, level: int = 6) -> bytes:
    """A PNG of 8-bit ``pixels`` (``height`` rows of ``width`` x ``channels`` bytes, top row
    first, or bottom row first when ``bottom_up`` as OpenGL and Panda3D store frames)."""
    if channels not in _COLOUR_TYPE:
        raise ValueError(f"a PNG has 1 to 4 channels, not {channels}")
    if width <= 0 or height <= 0:
        raise ValueError(f"a PNG is at least 1x1, not {width}x{height}")
    stride = width * channels
    rows = np.frombuffer(pixels, dtype=np.uint8) if not isinstance(pixels, np.ndarray) else pixels.astype(np.uint8, copy=False)
    if rows.size != stride * height:
        raise ValueError(f"{rows.size} bytes are not {width}x{height}x{channels}")
    rows = rows.reshape(height, stride)
    if bottom_up:
        rows = rows[::-1]
    filtered = np.empty((height, stride + 1), dtype=np.uint8)
    filtered[:, 0] = 1  # filter type Sub
    filtered[:, 1:channels + 1] = rows[:, :channels]
    np.subtract(rows[:, channels:], rows[:, :-channels], out=filtered[:, channels + 1:])  # wraps modulo 256
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOUR_TYPE[channels], 0, 0, 0)
    return (_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(filtered.tobytes(), level))
            + _chunk(b"IEND", b""))
