"""The Teams app icons, drawn with the standard library: a white light bulb on the accent colour
(192x192, ``color.png``) and the same bulb as a white outline on transparency (32x32,
``outline.png``), as Teams requires. ``python -m handlers.teams.icons`` redraws the files
shipped next to this module."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

ACCENT = (15, 118, 110)  # teal, also the manifest's accentColor
WHITE = (255, 255, 255)
COLOR_SIZE = 192
OUTLINE_SIZE = 32
HERE = Path(__file__).resolve().parent
COLOR_FILE = "color.png"
OUTLINE_FILE = "outline.png"

Pixel = tuple[int, int, int, int]


def png(width: int, height: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """An RGBA PNG whose pixel at (x, y) is ``pixel(x, y)``."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _bulb(x: float, y: float, *, outline: float | None = None) -> bool:
    """A light bulb in a unit square: a glass (circle), a neck and a screw base."""
    cx, cy, r = 0.5, 0.42, 0.24
    d = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
    neck = 0.40 <= x <= 0.60 and cy + r * 0.7 <= y <= 0.74
    base = 0.42 <= x <= 0.58 and 0.76 <= y <= 0.84
    if outline is None:
        return d <= r or neck or base
    ring = r - outline <= d <= r
    neck_edge = neck and (x <= 0.40 + outline or x >= 0.60 - outline)
    return ring or neck_edge or base


def color_icon(size: int = COLOR_SIZE) -> bytes:
    radius = size * 0.18

    def pixel(px: int, py: int) -> Pixel:
        x, y = (px + 0.5) / size, (py + 0.5) / size
        if _bulb(x, y):
            return (*WHITE, 255)
        # rounded-square background
        nx, ny = min(px, size - 1 - px), min(py, size - 1 - py)
        if nx < radius and ny < radius and (radius - nx) ** 2 + (radius - ny) ** 2 > radius**2:
            return (0, 0, 0, 0)
        return (*ACCENT, 255)

    return png(size, size, pixel)


def outline_icon(size: int = OUTLINE_SIZE) -> bytes:
    def pixel(px: int, py: int) -> Pixel:
        x, y = (px + 0.5) / size, (py + 0.5) / size
        return (*WHITE, 255) if _bulb(x, y, outline=2.2 / size) else (0, 0, 0, 0)

    return png(size, size, pixel)


def icon_files() -> dict[str, bytes]:
    """The two icons: the shipped files when present, else drawn now."""
    drawn = {COLOR_FILE: color_icon, OUTLINE_FILE: outline_icon}
    files: dict[str, bytes] = {}
    for name, draw in drawn.items():
        path = HERE / name
        files[name] = path.read_bytes() if path.exists() else draw()
    return files


def png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


if __name__ == "__main__":
    (HERE / COLOR_FILE).write_bytes(color_icon())
    (HERE / OUTLINE_FILE).write_bytes(outline_icon())
    print(f"Wrote {HERE / COLOR_FILE} and {HERE / OUTLINE_FILE}")
