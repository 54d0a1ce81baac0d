"""Qt helpers shared by the window probe and the Qt yardstick: both sides of a paint
figure must be timed the same way.

A paint is "done" when the event queue has been processed and the viewport has
received at least one Paint event since the clock started; PaintCounter checks that
the queue really painted (if it did not, the caller forces a synchronous repaint so a
figure never reports a paint that did not happen).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QWidget


class PaintCounter(QObject):
    def __init__(self, widget: QWidget):
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def settle_painted(app: QCoreApplication, viewport: QWidget, counter: PaintCounter,
                   before: int) -> bool:
    """Process pending events (layout, update requests, paints); make sure the viewport
    painted since the counter read `before`. Returns False if a synchronous repaint had
    to be forced."""
    app.processEvents()
    if counter.count > before:
        return True
    viewport.repaint()
    return False


def first_paint(viewport: QWidget) -> None:
    """Paint `viewport` as the event loop's next turn would: pending layout requests
    (a header growing, a scroll bar appearing) first, then the paint; deferred work
    (timers) stays queued."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    viewport.repaint()
