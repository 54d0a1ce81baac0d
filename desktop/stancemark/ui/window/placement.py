"""Where the main window opens: within the screen it will appear on.

A fixed first size (1480x900) is larger than a 1280x720 laptop screen, and a geometry
saved on a large monitor is larger than the small one the user opens it on next; both
hid the inspector and the status bar (where "NOT saved" appears) off screen. So the
first size is a share of the available area, and a saved geometry is taken only when
its frame lies inside one screen's available area; otherwise the default applies.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QDataStream, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1480, 900)  # what the window asks for on a large screen
SHARE = 0.92  # of the available area, on a smaller one (room for the frame and a margin)


def available_areas() -> list[QRect]:
    """Each screen's area without panels and docks, primary screen first."""
    primary = QGuiApplication.primaryScreen()
    ordered = sorted(QGuiApplication.screens(), key=lambda s: s is not primary)
    return [s.availableGeometry() for s in ordered]


def default_geometry(area: QRect, minimum: QSize | None = None) -> QRect:
    """The first-run window rectangle (client area) centred in `area`, never larger than
    SHARE of it, nor smaller than `minimum` where the area allows."""
    width = min(PREFERRED.width(), int(area.width() * SHARE))
    height = min(PREFERRED.height(), int(area.height() * SHARE))
    if minimum is not None:
        width = min(max(width, minimum.width()), area.width())
        height = min(max(height, minimum.height()), area.height())
    rect = QRect(0, 0, width, height)
    rect.moveCenter(area.center())
    return rect


def fits(frame: QRect, areas: list[QRect]) -> bool:
    """True when the whole frame lies inside one screen's available area."""
    return any(area.contains(frame) for area in areas)


GEOMETRY_MAGIC = 0x1D9D0CB  # the first field of QWidget.saveGeometry()'s bytes


def saved_frame(saved: QByteArray) -> tuple[QRect, bool] | None:
    """The frame rectangle and the maximised-or-full-screen flag in saveGeometry()'s
    bytes (the layout Qt has kept since 4.3: magic, version, frame, normal geometry,
    screen number, maximised, full screen ...); None when they cannot be read.
    Read here because restoreGeometry() itself squeezes an oversized window to the
    screen, which would hide that the saved size does not fit."""
    stream = QDataStream(saved)
    stream.setVersion(QDataStream.Version.Qt_4_0)
    magic = stream.readUInt32()
    stream.readUInt16()  # major version
    stream.readUInt16()  # minor version
    if magic != GEOMETRY_MAGIC:
        return None
    frame, normal = QRect(), QRect()
    stream >> frame
    stream >> normal
    stream.readInt32()  # screen number
    maximised = stream.readUInt8()
    full_screen = stream.readUInt8()
    if stream.status() != QDataStream.Status.Ok or not frame.isValid():
        return None
    return frame, bool(maximised or full_screen)


def place(window: QWidget, saved: QByteArray | None) -> bool:
    """Restore `saved` when it fits a screen, else size and centre the window on the
    primary screen. Returns True when the saved geometry was taken."""
    areas = available_areas()
    if saved is not None and not saved.isEmpty():
        read = saved_frame(saved)
        if read is not None and (not areas or read[1] or fits(read[0], areas)):
            if window.restoreGeometry(saved):
                return True
    if not areas:  # no screen at all (should not happen): the preferred size
        window.resize(PREFERRED)
        return False
    rect = default_geometry(areas[0], window.minimumSizeHint())
    window.resize(rect.size())
    window.move(rect.topLeft())
    return False
