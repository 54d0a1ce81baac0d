"""Render resources/icons/stancemark.svg to the PNG sizes desktops and installers use,
plus a Windows .ico and a macOS .icns built from those PNGs (both formats are plain
containers of PNG images, written here byte by byte so no platform tool is needed).

Run with the project's virtual environment (PySide6 ships the QtSvg renderer, so no
system tool is needed):  .venv/bin/python packaging/render_icons.py
The PNGs are committed; re-run this after editing the SVG.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

SIZES = (16, 32, 48, 64, 128, 256, 512)
ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(svg: Path, size: int, out: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"{out}: could not write")


def write_ico(pngs: dict[int, bytes], out: Path) -> None:
    """ICO with PNG-compressed entries (Windows Vista and later read these)."""
    sizes = [s for s in sorted(pngs) if s <= 256]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size == 256 else size  # 0 means 256 in the ICO directory
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    out.write_bytes(header + entries + blobs)


# ICNS element types holding PNG data, by pixel size.
ICNS_TYPES = ((16, b"icp4"), (32, b"icp5"), (64, b"icp6"), (128, b"ic07"), (256, b"ic08"),
              (512, b"ic09"), (32, b"ic11"), (64, b"ic12"), (256, b"ic13"), (512, b"ic14"))


def write_icns(pngs: dict[int, bytes], out: Path) -> None:
    body = b""
    for size, kind in ICNS_TYPES:
        if size in pngs:
            body += kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
    out.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    svg = ICONS / "stancemark.svg"
    for size in SIZES:
        out = ICONS / f"stancemark-{size}.png"
        render(svg, size, out)
        print(out.relative_to(ICONS.parents[1]))
    pngs = {size: (ICONS / f"stancemark-{size}.png").read_bytes() for size in SIZES}
    write_ico(pngs, ICONS / "stancemark.ico")
    write_icns(pngs, ICONS / "stancemark.icns")
    print("resources/icons/stancemark.ico, resources/icons/stancemark.icns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
