"""Starting the window: application, style, first run, store, seed, last article.

`build_window(repo, store_path)` makes a ready MainWindow without running the event
loop (tests and the screenshot script use it); `run()` is what `stancemark` calls.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from stancemark.core import settings
from stancemark.core.errors import StancemarkError
from stancemark.ui.dialogs.about import app_icon
from stancemark.ui.window.main_window import MainWindow
from stancemark.ui.window.theme import apply_theme, dark_palette, follow_desktop, wants_dark  # noqa: F401

if TYPE_CHECKING:  # the store is imported when a window opens one
    from stancemark.store.repository import Repository


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)  # the one made here, or a test's (widgets need it)
    app.setOrganizationName("Stancemark")
    app.setApplicationName("Stancemark")
    app.setStyle("Fusion")
    app.setWindowIcon(app_icon())
    # Lets Wayland and the task bar match the window to the installed .desktop entry.
    app.setDesktopFileName("io.github.stancemark.Stancemark")
    apply_theme(app)  # STANCEMARK_THEME, or the desktop's scheme (ui/window/theme.py)
    follow_desktop(app)
    return app


def ask_annotator(default: str) -> str | None:
    name, ok = QInputDialog.getText(
        None, "Welcome to Stancemark",
        "Your name as annotator (it is stored with every tag you make):", text=default)
    return name.strip() if ok and name.strip() else None


def open_repo(store_path: Path, annotator: str) -> Repository:
    """Open (or create) the store; seed a brand-new empty one with the samples."""
    from stancemark.store import Repository, open_store

    repo = Repository(open_store(store_path), annotator)
    # A rolling backup when the store changed since the last one, copied in the
    # background a few seconds after start-up (a large store takes seconds; the first
    # paint must not wait or compete) on a connection of its own; a failure to back up
    # must not keep the window from opening (it says so on stderr).
    import threading

    timer = threading.Timer(BACKUP_DELAY_S, _backup_on_open, args=(Path(store_path),))
    timer.daemon = True
    timer.name = "backup-on-open"
    timer.start()
    if repo.count_articles() == 0 and not repo.list_actors():
        from stancemark.formats.seed import seed

        seed(repo)
    return repo


BACKUP_DELAY_S = 3.0


def _backup_on_open(store_path: Path) -> None:
    from stancemark.store.backups import backup_on_open_file

    warning = backup_on_open_file(store_path)
    if warning:
        print(f"stancemark: warning: {warning}", file=sys.stderr)


def build_window(repo: Repository, store_path: Path | None = None,
                 window_settings: QSettings | None = None) -> MainWindow:
    """A ready main window (state restored, an article open); not shown."""
    application()
    window = MainWindow(repo, store_path, window_settings)
    window.restore_state()
    window.restore_last()
    return window


def settle_heap() -> None:
    """Once the window is up: what start-up made (modules, Qt's wrappers, the register's
    matcher, the article list) is moved out of the cyclic garbage collector's sight.
    Most of it lives as long as the window does, yet every full collection walked all
    of it again: a long article's opening (tens of thousands of new rows and
    suggestions) set one off in the middle of its work, 45-90 ms, 4-6 ms after this.
    Reference counting still frees what start-up made and later drops; only a cycle
    among those objects would now stay (gc.freeze)."""
    gc.freeze()


def run(store_path: Path, annotator: str | None, explicit_store: bool = False,
        smoke: bool = False) -> int:
    app = application()
    if not annotator and smoke:  # no dialog may wait for a person in a smoke test
        from stancemark.store.repository import os_user_name

        annotator = os_user_name()
    if not annotator:
        from stancemark.store.repository import os_user_name

        annotator = ask_annotator(os_user_name())
        if not annotator:
            return 1
        settings.set_value("annotator", annotator)
    try:
        repo = open_repo(store_path, annotator)
    except StancemarkError as exc:
        if smoke:
            raise
        QMessageBox.critical(None, "Stancemark", str(exc))
        return 1
    window = build_window(repo, store_path)
    window.show()
    settle_heap()
    if smoke:  # stancemark --smoke-test: proves a build can show its window, then exits
        from stancemark.ui.window.smoke import quit_after_first_paint

        quit_after_first_paint(app, window)
    try:
        return app.exec()
    finally:
        repo.close()
