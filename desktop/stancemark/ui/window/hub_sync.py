"""File ▸ Sync: the window's side of the team hub (store.hub).

A sync runs as a background job (ui.dialogs.workers: its own store connection in a
worker thread). Asked for from the menu (F9) it shows a progress dialog; the optional
sync every N minutes (File ▸ Sync settings…) runs without one, while the window is open,
and an unreachable hub only shows in the status bar until it answers again. The status
bar keeps the last sync's time and what came in. What the pull brought is shown by
reloading the views; the undo history stays (a pull never changes my own annotations).

HubSync gets the session and a parent for its dialogs; the window places its label in
the status bar and its actions in the File menu.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

from stancemark.core import settings

if TYPE_CHECKING:
    from stancemark.store.hub.sync import SyncReport
    from stancemark.store.repository import Repository
    from stancemark.ui.dialogs.exchange import JobRunner
    from stancemark.ui.dialogs.workers import Job, Progress
    from stancemark.ui.window.session import Session

SETTING_MINUTES = "hub_sync_minutes"
SETTING_URL = "hub_url"


class HubSync(QObject):
    def __init__(self, session: Session, parent: QWidget, quiet: bool = False):
        super().__init__(parent)
        self.session = session
        self.parent_widget = parent
        self.quiet = quiet  # no message boxes (tests, scripted runs)
        self.runner: JobRunner | Job | None = None  # a Job alone for a timed sync
        self.last_report: SyncReport | None = None
        self.last_error = ""
        self.label = QLabel()
        self.label.setObjectName("hub_sync_label")
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.sync(timed=True))
        # (key, text, slot) of File ▸ Sync… and Sync settings…, made into actions by the
        # window (its shortcuts and tips come from ui/window/shortcuts.py)
        self.actions: list[tuple[str, str, Callable[[], object]]] = [
            ("sync", "S&ync with the hub", lambda: self.sync()),
            ("sync_settings", "Sync se&ttings…", self.ask_settings)]
        # After the first frame (one turn of the loop, unless the window is gone by then,
        # its store closed); store/hub_state.py reads it without the hub client.
        QTimer.singleShot(0, lambda: self._show_last() if parent.isVisible() else None)
        self.set_every(int(settings.get(SETTING_MINUTES) or 0))

    # ------------------------------------------------------------------ settings
    def url(self) -> str | None:
        """The hub this store last synced with, else the one in the settings."""
        from stancemark.store.hub_state import last_sync

        last = last_sync(self.session.repo)
        return last[0] if last else settings.get(SETTING_URL)

    def set_every(self, minutes: int) -> None:
        """Sync every `minutes` while the window is open (0: only when asked)."""
        self.timer.stop()
        if minutes > 0:
            self.timer.start(minutes * 60_000)

    def ask_settings(self) -> None:
        url, ok = QInputDialog.getText(
            self.parent_widget, "Sync settings",
            "The team hub's address (no password: PostgreSQL's password file keeps it):",
            QLineEdit.EchoMode.Normal, self.url() or "postgresql://NAME@HOST/DATABASE")
        if not ok:
            return
        from stancemark.store.hub import has_password, safe_url

        if has_password(url):
            QMessageBox.information(self.parent_widget, "Sync settings",
                                    "The password was left out: save it once with\n"
                                    "stancemark hub password URL")
        settings.set_value(SETTING_URL, safe_url(url))
        minutes, ok = QInputDialog.getInt(
            self.parent_widget, "Sync settings", "Sync every N minutes while the window is open "
            "(0: only with File ▸ Sync):", int(settings.get(SETTING_MINUTES) or 0), 0, 24 * 60)
        if ok:
            settings.set_value(SETTING_MINUTES, minutes)
            self.set_every(minutes)

    # ---------------------------------------------------------------------- sync
    def sync(self, url: str | None = None, timed: bool = False) -> JobRunner | Job | None:
        """Start a sync (one at a time). Returns the runner (tests wait on it), or None."""
        if self.runner is not None or self.session.store_path is None:
            return None
        url = url or self.url()
        if not url:
            if timed:
                return None
            self.ask_settings()
            url = self.url()
            if not url:
                return None
        from stancemark.ui.dialogs import workers

        def work(repo: Repository, progress: Progress) -> SyncReport:
            from stancemark.store.hub import sync

            return sync(repo, url, progress=progress)

        job = workers.Job(self.session.store_path, self.session.repo.annotator.name, work)
        self.label.setText("⇅ syncing…")
        if timed:
            # A bound slot of this (GUI-thread) object: queued into the GUI thread.
            job.done.connect(self._timed_done)
            self.runner = job
            job.worker = workers.start(job, self)
        else:
            from stancemark.ui.dialogs.exchange import JobRunner

            runner = JobRunner(self.parent_widget, "Syncing with the hub…", job)
            runner.finished.connect(lambda r, e, c: self._done(r, e, c, timed=False))
            self.runner = runner
        return self.runner

    def wait(self, ms: int = 60_000) -> bool:
        """Tests: wait for the running sync's thread."""
        runner = self.runner
        if runner is None:
            return True
        thread = runner.worker
        return thread is None or bool(thread.wait(ms))

    @Slot(object, str, bool)
    def _timed_done(self, report: SyncReport | None, error: str, cancelled: bool) -> None:
        self._done(report, error, cancelled, timed=True)

    def _done(self, report: SyncReport | None, error: str, cancelled: bool, timed: bool) -> None:
        self.runner = None
        if cancelled:
            self._show_last()
            return
        if error:
            self.last_error = error
            self.label.setText("⇅ sync failed")
            self.label.setStyleSheet("color: #D55E00;")
            self.label.setToolTip(error)
            if not timed and not self.quiet:
                QMessageBox.warning(self.parent_widget, "Sync failed", error)
            return
        assert report is not None  # a job that neither failed nor was cancelled has one
        self.last_error = ""
        self.last_report = report
        self.label.setStyleSheet("")
        if report.pulled:
            self._refresh()
        self._show_last()
        pushed = sum(report.pushed.values())
        self.session.feedback.message(
            f"Synced: {pushed} change(s) pushed; came in: {report.came_in()}", 10000)

    def _refresh(self) -> None:
        """Show what came in: the views reload; the undo history stays."""
        self.session.reload(keep_undo=True)

    def _show_last(self) -> None:
        from stancemark.store.hub_state import last_sync

        last = last_sync(self.session.repo)
        if last is None:
            self.label.setText("")
            return
        url, at, came_in = last
        from datetime import datetime

        local = datetime.fromisoformat(at).astimezone().strftime("%H:%M")
        self.label.setText(f"⇅ synced {local} · {came_in}")
        self.label.setToolTip(f"Last sync with {url} at {at}")
