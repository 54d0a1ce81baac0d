"""Item views that do not repaint when the window is merely (re)activated.

QAbstractItemView repaints its whole viewport on every WindowActivate and
WindowDeactivate, because selections may be drawn in other colours when the window
is inactive. Each tag opens and closes a popup window, so the inspector (thousands
of rows) and the article list repainted twice per tag, about 4 ms of a 16 ms budget.
When the viewport's palette draws the same colours active and inactive (Fusion's
does), that repaint would put the same pixels on screen: the event is dropped. With
a palette that differs (some desktop themes grey inactive selections), Qt's
behaviour is kept.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QWidget

_ACTIVATION = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)


class _SkipSameLookActivation(QObject):
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() not in _ACTIVATION or not isinstance(obj, QWidget):
            return False
        same = obj.palette().isEqual(QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
        # Children (an open item editor) still get the event and decide for themselves.
        return same and not obj.findChildren(QWidget)


def skip_activation_repaints(view: QAbstractItemView) -> None:
    """Install the filter on `view`'s viewport and on its headers' viewports."""
    guard = _SkipSameLookActivation(view)
    viewports = [view.viewport()]
    for name in ("horizontalHeader", "verticalHeader"):
        header = getattr(view, name, None)
        if header is not None:
            viewports.append(header().viewport())
    for viewport in viewports:
        viewport.installEventFilter(guard)
