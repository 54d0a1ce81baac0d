"""Review mode in the main window: the Review dock (compare and adjudicate), the
Agreement dock, File/Review ▸ Merge…, and a toolbar toggle. install(window) is the
one call the main window makes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox, QToolBar

from stancemark.ui.review.agreement_panel import AgreementPanel
from stancemark.ui.review.panel import ReviewPanel


class ReviewMode:
    def __init__(self, window: Any):
        self.window = window
        self.panel = ReviewPanel(window)
        self.agreement = AgreementPanel(window, self.panel)
        self.dock = self._dock("Review", "review_dock", self.panel)
        self.agreement_dock = self._dock("Agreement", "agreement_dock", self.agreement)
        self.toggle = self.dock.toggleViewAction()
        self.toggle.setText("&Review mode")
        self.toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.toggle.setStatusTip("Compare annotators side by side and settle a gold layer")
        self.dock.visibilityChanged.connect(self._review_toggled)
        self.agreement_toggle = self.agreement_dock.toggleViewAction()
        self.agreement_toggle.setText("&Agreement figures")
        self.agreement_dock.visibilityChanged.connect(
            lambda on: on and self.agreement.refresh())
        self.merge_action = QAction("&Merge a colleague's store…", window)
        self.merge_action.triggered.connect(self.merge_dialog)
        menu = window.menus["review"]
        menu.addAction(self.toggle)
        menu.addAction(self.agreement_toggle)
        menu.addSeparator()
        menu.addAction(self.merge_action)
        file_menu = window.menus.get("file")
        if file_menu is not None:
            quit_action = window.actions_.get("quit") if hasattr(window, "actions_") else None
            file_menu.insertAction(quit_action, self.merge_action) if quit_action else \
                file_menu.addAction(self.merge_action)
        bar = QToolBar("Review")
        bar.setObjectName("review_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.toggle)
        bar.addAction(self.agreement_toggle)
        window.addToolBar(bar)
        window.list.article_chosen.connect(self._article_chosen)
        window.store_changed.connect(self._store_changed)
        self.panel.decided.connect(self._decided)

    def _dock(self, title: str, name: str, widget: Any) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        return dock

    def _review_toggled(self, on: bool) -> None:
        # In review mode the review text replaces the article view (the list stays, to
        # choose articles); both come back when the mode ends.
        centre = self.window.view.parentWidget()
        for widget in (centre, getattr(self.window, "inspector", None)):
            if widget is not None:
                widget.setVisible(not on)
        if on:
            self.panel.reload_annotators()
            self.panel.show_article(self.window.current_article_uid())
            self.window.resizeDocks([self.dock], [max(560, self.window.width() // 2)],
                                    Qt.Orientation.Horizontal)
            self.panel.list.setFocus()

    def _article_chosen(self, uid: str) -> None:
        if self.dock.isVisible():
            self.panel.show_article(uid)
            if self.agreement_dock.isVisible():
                self.agreement.refresh()

    def _store_changed(self, change: Any) -> None:
        # Undo/redo of a decision arrives here too: redraw the list and progress.
        if self.dock.isVisible() and self.panel.article_uid in change.article_uids:
            self.panel.after_change()

    def _decided(self) -> None:
        if self.agreement_dock.isVisible():
            self.agreement.refresh()

    def merge_dialog(self, path: str | None = None) -> Any:
        """File ▸ Merge…: merge in a worker thread with a progress dialog (cancellable).
        Returns the JobRunner (tests wait on it), or None."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.window, "Merge a colleague's store",
                filter="Stancemark stores and exports (*.sqlite *.db *.stancemark *.jsonl);;"
                       "All files (*)")
            if not path:
                return None
        if self.window.store_path is None:
            self.window.statusBar().showMessage("This store has no file; cannot merge.", 8000)
            return None
        from stancemark.ui.dialogs.exchange import JobRunner
        from stancemark.ui.dialogs.workers import Job

        def work(repo: Any, progress: Any) -> Any:
            from stancemark.formats.merge_input import merge_path

            return merge_path(repo, path, progress=progress)

        job = Job(self.window.store_path, self.window.repo.annotator.name, work)
        runner = JobRunner(self.window, "Merging…", job)
        runner.finished.connect(self._merged)
        self.last_merge = runner
        return runner

    def _merged(self, report: Any, error: str, cancelled: bool) -> None:
        if cancelled:
            self.window.statusBar().showMessage("Merge cancelled; nothing was changed.", 8000)
            return
        if error:
            self.window.report_saved(error)
            if not getattr(self.window, "quiet_merge", False):
                QMessageBox.warning(self.window, "Merge failed",
                                    f"Nothing was merged.\n\n{error}")
            return
        self.last_report = report
        self.window.reload_all()
        self.panel.reload_annotators()
        self.window.statusBar().showMessage(report.summary().splitlines()[0], 10000)
        if not getattr(self.window, "quiet_merge", False):
            QMessageBox.information(self.window, "Merge", report.summary())

    def set_active(self, on: bool) -> None:
        """Review mode on or off (the menu toggle does the same)."""
        self.dock.setVisible(on)


def install(window: Any) -> ReviewMode:
    window.review_mode = ReviewMode(window)
    return window.review_mode
