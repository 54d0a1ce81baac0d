"""Where review mode puts things, laid out for the work and remembered per mode.

Without this the Review dock took half the window and the Agreement dock half of that,
while the article list (three rows in a review) kept the other half. In review mode the
Review dock (text beside the versions of the unit, the unit list below) takes most of
the width, full height; the Agreement dock goes under the article list (the bottom dock
area ends where the right one begins), so the figures use the list's spare height. The
sizes the reviewer gives them are kept (settings, `review_layout/...`) for next time,
and the normal layout's proportions come back when review mode ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QSplitter

if TYPE_CHECKING:
    from stancemark.ui.review.mode import ReviewMode

DOCK_SHARE = 0.74  # of the window's width: the review dock by default
AGREEMENT_SHARE = 0.55  # of the window's height: the figures under the article list
LIST_MIN = 220  # the article list never narrower (its titles wrap over two lines)


class ReviewLayout:
    def __init__(self, main: QMainWindow, splitter: QSplitter, review: ReviewMode,
                 settings: QSettings):
        self.main, self.splitter, self.review, self.settings = main, splitter, review, settings
        self.active = False
        self._normal: list[int] = []
        self._restored = False  # the review panel's own splitters, once per entry
        review.agreement_dock.visibilityChanged.connect(self._agreement_shown)

    def _int(self, key: str) -> int:
        value = self.settings.value(f"review_layout/{key}", 0)
        try:
            return int(str(value or 0))
        except ValueError:  # a hand-edited settings file
            return 0

    def enter(self) -> None:
        self.active = True
        self._restored = False
        self._normal = self.splitter.sizes()
        main = self.main
        main.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        agreement = self.review.agreement_dock
        if main.dockWidgetArea(agreement) != Qt.DockWidgetArea.BottomDockWidgetArea:
            shown = agreement.isVisible()
            main.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, agreement)
            agreement.setVisible(shown)
        # Sizes once the dock that just appeared is laid out: before that, the main
        # window's layout gives it its own share back.
        QTimer.singleShot(0, self._size)

    def _size(self) -> None:
        if not self.active:
            return
        main = self.main
        width = self._int("dock_width") or int(main.width() * DOCK_SHARE)
        width = max(320, min(width, main.width() - LIST_MIN))
        main.resizeDocks([self.review.dock], [width], Qt.Orientation.Horizontal)
        agreement = self.review.agreement_dock
        if agreement.isVisible():
            height = self._int("agreement_height") or int(main.height() * AGREEMENT_SHARE)
            height = max(120, min(height, main.height() - 200))
            main.resizeDocks([agreement], [height], Qt.Orientation.Vertical)
        if self._restored:
            return
        self._restored = True
        panel = self.review.panel
        for key, split in (("panel", panel.split), ("top", panel.top)):
            state = self.settings.value(f"review_layout/{key}")
            if isinstance(state, QByteArray) and not state.isEmpty():
                split.restoreState(state)

    def _agreement_shown(self, shown: bool) -> None:
        if self.active and shown:  # it comes in at its own width: the text's back after
            QTimer.singleShot(0, self._size)

    def leave(self) -> None:
        """Keep review mode's sizes, bring back the normal layout's."""
        if not self.active:
            return
        self.active = False
        s = self.settings
        s.setValue("review_layout/dock_width", self.review.dock.width())
        if self.review.agreement_dock.isVisible():
            s.setValue("review_layout/agreement_height", self.review.agreement_dock.height())
        s.setValue("review_layout/panel", self.review.panel.split.saveState())
        s.setValue("review_layout/top", self.review.panel.top.saveState())
        self.main.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.BottomDockWidgetArea)
        if self._normal:  # once the central widget has its width back
            sizes = self._normal
            QTimer.singleShot(0, lambda: self.splitter.setSizes(sizes))
