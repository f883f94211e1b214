"""Render the application icon from its SVG into the raster formats installers need.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icons.py

Writes, next to clinic_app/resources/icons/clinic-app.svg:
  clinic-app-<N>.png for N in 16 32 48 64 128 256 512 (Linux hicolor theme, macOS iconset)
  clinic-app.ico with 16-256 px images (Windows executable and shortcut)
macOS .icns needs Apple's iconutil: see packaging/README.md.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "clinic_app" / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 32, 48, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def write_ico(path: Path, images: list[QImage]) -> None:
    """ICO with PNG-compressed entries (supported since Windows Vista)."""
    entries = [(img.width(), png_bytes(img)) for img in images]
    header = (0).to_bytes(2, "little") + (1).to_bytes(2, "little") + len(entries).to_bytes(2, "little")
    offset = 6 + 16 * len(entries)
    directory, payload = b"", b""
    for size, data in entries:
        dim = 0 if size >= 256 else size
        directory += bytes([dim, dim, 0, 0]) + (1).to_bytes(2, "little") + (32).to_bytes(2, "little")
        directory += len(data).to_bytes(4, "little") + (offset + len(payload)).to_bytes(4, "little")
        payload += data
    path.write_bytes(header + directory + payload)


def main() -> None:
    app = QGuiApplication(sys.argv)  # noqa: F841 - QImage painting needs an application
    renderer = QSvgRenderer(str(ICONS / "clinic-app.svg"))
    if not renderer.isValid():
        raise SystemExit("the SVG icon does not parse")
    for size in SIZES:
        (ICONS / f"clinic-app-{size}.png").write_bytes(png_bytes(render(renderer, size)))
    write_ico(ICONS / "clinic-app.ico", [render(renderer, s) for s in ICO_SIZES])
    print("wrote", ", ".join(sorted(p.name for p in ICONS.iterdir())))


if __name__ == "__main__":
    main()
