"""`stancemark --smoke-test`: show the window, wait for its first paint, exit.

A frozen build can start and still be broken (a missing Qt platform plugin, image
plugin or bundled data folder only shows once the window paints), so the packaging
test runs the real window headless and waits for a real paint event rather than
quitting right after show().
"""

from __future__ import annotations

import gc
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

TIMEOUT_MS = 60_000  # a first paint takes well under a second; this only stops a hang


class _FirstPaint(QObject):
    def __init__(self, app: QApplication, window: QWidget):
        super().__init__(app)
        # `main`, not `window`: a QWidget.window() of the same name would be hidden
        self.app, self.main, self.painted = app, window, False
        self.started = time.perf_counter()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if (not self.painted and event.type() == QEvent.Type.Paint
                and isinstance(obj, QWidget) and obj.window() is self.main):
            self.painted = True
            ms = (time.perf_counter() - self.started) * 1000
            size = self.main.size()
            print(f"smoke test: first paint {ms:.0f} ms after show, window "
                  f"{size.width()}x{size.height()}, platform {self.app.platformName()}, "
                  f"{bundled_resources()}, start-up heap frozen: {gc.get_freeze_count()} "
                  "objects", flush=True)
            QTimer.singleShot(0, lambda: self.app.exit(0))
        return False


def bundled_resources() -> str:
    """What Help > About and the window icon will find: proof the data folders shipped."""
    from stancemark.ui.dialogs.about import app_icon, load_components

    return (f"licences {len(load_components())}, "
            f"icon sizes {len(app_icon().availableSizes())}")


def quit_after_first_paint(app: QApplication, window: QWidget) -> None:
    watcher = _FirstPaint(app, window)
    app.installEventFilter(watcher)

    def give_up() -> None:
        if not watcher.painted:
            print("smoke test: the window never painted", file=sys.stderr, flush=True)
            app.exit(1)

    QTimer.singleShot(TIMEOUT_MS, give_up)
