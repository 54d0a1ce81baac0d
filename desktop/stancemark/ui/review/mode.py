"""Review mode: the Review dock (compare and adjudicate), the Agreement dock, Merge…, and
a toolbar toggle. The main window creates one, places its actions in its menus and
toolbars, and hides its own text and inspector while `active_changed(True)`.

It gets the session (store, undo, change bus, feedback) and the QMainWindow that holds
its docks, nothing else of the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from stancemark.core.model import Change
from stancemark.ui.review.agreement_panel import AgreementPanel
from stancemark.ui.review.panel import ReviewPanel

if TYPE_CHECKING:
    from stancemark.store.merge import MergeReport
    from stancemark.store.repository import Repository
    from stancemark.ui.dialogs.exchange import JobRunner
    from stancemark.ui.dialogs.workers import Progress
    from stancemark.ui.window.session import Session


class ReviewMode(QObject):
    active_changed = Signal(bool)  # the Review dock shown (True) or hidden

    def __init__(self, session: Session, main: QMainWindow, quiet: bool = False):
        super().__init__(main)
        self.session = session
        self.main = main
        self.quiet = quiet  # no message boxes after a merge (tests, scripted runs)
        self.last_merge: JobRunner | None = None
        self.last_report: MergeReport | None = None
        self.panel = ReviewPanel(session)
        self.agreement = AgreementPanel(self.panel)
        self.dock = self._dock("Review", "review_dock", self.panel)
        self.agreement_dock = self._dock("Agreement", "agreement_dock", self.agreement)
        self.toggle = self.dock.toggleViewAction()
        self.toggle.setText("&Review mode")
        self.toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.toggle.setStatusTip("Compare annotators side by side and settle a gold layer")
        self.dock.visibilityChanged.connect(self._review_toggled)
        self.agreement_toggle = self.agreement_dock.toggleViewAction()
        self.agreement_toggle.setText("&Agreement figures")
        self.agreement_dock.visibilityChanged.connect(self._agreement_toggled)
        self.merge_action = QAction("&Merge a colleague's store…", main)
        self.merge_action.triggered.connect(lambda: self.merge_dialog())
        self.toolbar = QToolBar("Review")
        self.toolbar.setObjectName("review_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.toggle)
        self.toolbar.addAction(self.agreement_toggle)
        session.bus.subscribe(self.store_changed)
        self.panel.decided.connect(self._decided)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self.main)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.main.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        return dock

    def _agreement_toggled(self, on: bool) -> None:
        if on:
            self.agreement.refresh()

    def _review_toggled(self, on: bool) -> None:
        if on:
            self.panel.reload_annotators()
        self.active_changed.emit(on)
        if on:
            self.panel.list.setFocus()

    def show_article(self, uid: str | None) -> None:
        self.panel.show_article(uid)

    def article_chosen(self, uid: str) -> None:
        if self.dock.isVisible():
            self.panel.show_article(uid)
            if self.agreement_dock.isVisible():
                self.agreement.refresh()

    def store_changed(self, change: Change, initiator: object = None) -> None:
        if change.action == "reload":
            self.panel.reload_annotators()  # a merge may have brought annotators
        elif (initiator is not self.panel and self.dock.isVisible()
              and self.panel.article_uid in change.article_uids):
            # An undo/redo of a decision, or a tag: redraw the list and progress. The
            # panel's own decisions it redraws itself (initiator), once.
            self.panel.after_change()

    def _decided(self) -> None:
        if self.agreement_dock.isVisible():
            self.agreement.refresh()

    def merge_dialog(self, path: str | None = None) -> JobRunner | None:
        """Merge…: merge in a worker thread with a progress dialog (cancellable).
        Returns the JobRunner (tests wait on it), or None."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.main, "Merge a colleague's store",
                filter="Stancemark stores and exports (*.sqlite *.db *.stancemark *.jsonl);;"
                       "All files (*)")
            if not path:
                return None
        session = self.session
        if session.store_path is None:
            session.feedback.message("This store has no file; cannot merge.", 8000)
            return None
        from stancemark.ui.dialogs.exchange import JobRunner
        from stancemark.ui.dialogs.workers import Job

        chosen = path

        def work(repo: Repository, progress: Progress) -> MergeReport:
            from stancemark.formats.merge_input import merge_path

            return merge_path(repo, chosen, progress=progress)

        job = Job(session.store_path, session.repo.annotator.name, work)
        runner = JobRunner(self.main, "Merging…", job)
        runner.finished.connect(self._merged)
        self.last_merge = runner
        return runner

    def _merged(self, report: MergeReport | None, error: str, cancelled: bool) -> None:
        feedback = self.session.feedback
        if cancelled:
            feedback.message("Merge cancelled; nothing was changed.", 8000)
            return
        if error:
            feedback.saved(error)
            if not self.quiet:
                QMessageBox.warning(self.main, "Merge failed", f"Nothing was merged.\n\n{error}")
            return
        assert report is not None  # a job that neither failed nor was cancelled has one
        self.last_report = report
        self.session.reload()
        feedback.message(report.summary().splitlines()[0], 10000)
        if not self.quiet:
            QMessageBox.information(self.main, "Merge", report.summary())

    def set_active(self, on: bool) -> None:
        """Review mode on or off (the menu toggle does the same)."""
        self.dock.setVisible(on)
