"""The annotation window: article list | article view | inspector, registers and history
docks and the save indicator (actions, menus and toolbar: window_menus.py).

Every edit goes through run_command: the core command is applied (one committed
transaction) BEFORE anything on screen changes; then the change record is fanned out
to the views, which redraw only what it names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.commands import DeleteAnnotation, RestoreAnnotation
from stancemark.core.errors import StancemarkError
from stancemark.core.model import Annotation, Change
from stancemark.store.annotation_spans import count_spans, span_rows
from stancemark.ui.article.article_list import ArticleList
from stancemark.ui.article.article_view import ArticleView
from stancemark.ui.inspector.inspector import Inspector
from stancemark.ui.registers.cache import RegisterCache
from stancemark.ui.registers.panel import RegistersPanel
from stancemark.ui.window.menus import (  # noqa: F401 - io_* re-exported for callers
    build_actions,
    build_menus,
    fill_history_menu,
    io_export,
    io_import,
)
from stancemark.ui.window.placement import place
from stancemark.ui.window.shortcuts import shortcuts_html
from stancemark.ui.window.status_labels import fix_label_room, set_fixed_text
from stancemark.ui.window.tagging import Tagger
from stancemark.ui.window.undo import StoreCommand

COUNT_DELTA = {"add": 1, "restore": 1, "remove": -1, "delete": -1}
EAGER_SPANS = 3000  # more tags than this: show the first screen first, then the rest
FIRST_SCREEN_CHARS = 12_000  # more than a tall window shows at the top of an article


def window_settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Stancemark", "window")


class MainWindow(QMainWindow):
    """The main window.

    Public hooks for other features (stable names):
      repo                  the stancemark.store.Repository of the open store
      undo_stack            QUndoStack of annotation edits
      menus[name]           QMenu for "file", "edit", "view", "review", "help"
      run_command(cmd)      apply a core.commands command (committed), push it on the
                            undo stack, update the views; False (and a red status) if
                            the store refused it
      store_changed         Signal(core.model.Change) after every committed change
      current_article_uid() uid of the article on screen, or None
      open_article(uid)     show an article
      reload_all()          re-read list, registers and view (after imports, merges,
                            restores of backups); clears the undo stack
    """

    store_changed = Signal(object)

    def __init__(self, repo: Any, store_path: Path | None = None,
                 settings: QSettings | None = None):
        super().__init__()
        self.repo = repo
        self.store_path = Path(store_path) if store_path else None
        self.settings = settings if settings is not None else window_settings()
        self.undo_stack = QUndoStack(self)
        self.cache = RegisterCache(repo)
        self.show_all = False
        self.setWindowTitle("Stancemark" + (f" — {self.store_path.name}" if self.store_path else ""))

        self.list = ArticleList(repo)
        self.view = ArticleView()
        self.view.text.describe = self._describe
        self.inspector = Inspector(repo, self.cache)
        self.find_bar = self._make_find_bar()
        centre = QWidget()
        cv = QVBoxLayout(centre)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.setSpacing(0)
        cv.addWidget(self.view, 1)
        cv.addWidget(self.find_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([430, 700, 400])
        self.setCentralWidget(self.splitter)

        self.registers = RegistersPanel(repo, self.cache, self.report_saved, self._selected_text)
        self.registers.changed.connect(self.registers_changed)
        self.registers_dock = self._dock("Registers", "registers_dock", self.registers,
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        self.history_dock = self._dock("Undo history", "history_dock",
                                       QUndoView(self.undo_stack),
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        self.history_dock.hide()
        self.registers_dock.hide()

        self._loading: str | None = None
        self._clicked = False  # a selection that came from a click in the text
        self.tagger = Tagger(self)
        self.actions_: dict[str, QAction] = {}
        self.menus: dict[str, Any] = {}
        build_actions(self)
        build_menus(self)
        self._build_status()
        self.view.text.menu_actions = [self.actions_[k] for k in ("tag_actor", "tag_date", "tag_stance")]

        self.list.article_chosen.connect(self.open_article)
        self.view.text.annotation_clicked.connect(self._clicked_in_text)
        self.inspector.annotation_selected.connect(self._flash_annotation)
        self.inspector.edit_requested.connect(self.edit_annotation)
        self.inspector.delete_requested.connect(self.delete_annotations)
        self.inspector.restore_requested.connect(self.restore_annotation)
        self.inspector.show_all_changed.connect(self._set_show_all)
        self.inspector.currentChanged.connect(
            lambda i: i == 1 and self.inspector.trash_dirty and self._refresh_trash(force=True))

        self.list.reload()
        self._update_counts()
        # Review mode: Review menu, docks, File ▸ Merge… (ui/review_mode.py).
        from stancemark.ui.review.mode import install as install_review

        install_review(self)
        from stancemark.ui.window.edit_actions import install as install_edits

        install_edits(self)  # undoable register edits, Set span to selection
        from stancemark.ui.window.article_actions import install as install_article_edits

        install_article_edits(self)  # article details, status, trash (list context menu)
        from stancemark.ui.window.navigation import install as install_navigation

        install_navigation(self)  # J / K between annotations, Ctrl+T into the text
        from stancemark.ui.window.hub_sync import install as install_sync

        install_sync(self)  # File ▸ Sync with the team hub, its status bar label

    # ------------------------------------------------------------------ setup
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.annotator_label = QLabel()
        self.store_label = QLabel()
        self.counts_label = QLabel()
        self.saved_label = QLabel()
        for w in (self.annotator_label, self.counts_label, self.store_label, self.saved_label):
            sb.addPermanentWidget(w)
        self._save_failed = False
        # fixed room for changing numbers, so updates do not re-lay out the status bar
        fix_label_room(self.counts_label, "000,000 articles · 00000 tag(s) here")
        fix_label_room(self.saved_label, "Saved ✓ 00:00:00 ")
        self.annotator_label.setText(f"✎ {self.repo.annotator.name}")
        if self.store_path:
            self.store_label.setText(self.store_path.name)
            self.store_label.setToolTip(str(self.store_path))

    def _make_find_bar(self) -> QWidget:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 2, 6, 2)
        self.find_edit = QLineEdit(placeholderText="Find in article (Enter: next, Esc: close)")
        self.find_edit.textChanged.connect(self._find_changed)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_count = QLabel()
        row.addWidget(QLabel("Find:"))
        row.addWidget(self.find_edit, 1)
        row.addWidget(self.find_count)
        bar.hide()
        close = QAction(bar)
        close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        close.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.triggered.connect(self.hide_find)
        bar.addAction(close)
        return bar

    # ---------------------------------------------------------------- hooks
    def current_article_uid(self) -> str | None:
        return self.view.article.uid if self.view.article else None

    def _visible(self, a: Annotation | None) -> bool:
        return (a is not None and a.deleted_at is None
                and (self.show_all or a.annotator_uid == self.repo.annotator.uid))

    def _my_uids(self) -> list[str] | None:
        return None if self.show_all else [self.repo.annotator.uid]

    def open_article(self, uid: str) -> bool:
        art = self.repo.get_article(uid)
        if art is None or art.deleted_at is not None:
            return False
        mine = self._my_uids()
        # A heavily tagged article is shown in two steps: its first screen with the tags
        # starting there, painted at once; then (next turn of the event loop) all tags.
        split = count_spans(self.repo, uid, mine) > EAGER_SPANS
        anns = span_rows(self.repo, uid, mine, before=FIRST_SCREEN_CHARS if split else None)
        self.view.show_article(art, anns)
        self.inspector.set_annotations(anns, self.repo.annotator.uid)
        self._loading = uid if split else None
        if split:
            QTimer.singleShot(0, self._finish_open)
        self._refresh_trash()
        self.list.select_uid(uid, emit=False)
        self.settings.setValue("last_article", uid)
        if self.find_bar.isVisible() and self.find_edit.text():
            self._find_changed(self.find_edit.text())
        self._update_counts()
        return True

    def _finish_open(self) -> None:
        uid, self._loading = self._loading, None
        if uid is None or uid != self.current_article_uid():
            return
        anns = span_rows(self.repo, uid, self._my_uids())
        self.view.replace_annotations(anns)
        self.inspector.set_annotations(anns, self.repo.annotator.uid)
        self._update_counts()

    def _refresh_trash(self, force: bool = False) -> None:
        """The trash list is read when its tab is shown (it costs a query on big stores)."""
        if not force and self.inspector.currentIndex() != 1:
            self.inspector.trash_dirty = True
            return
        self.inspector.trash_dirty = False
        uid = self.current_article_uid()
        me = self.repo.annotator.uid
        items = [a for a in self.repo.trash(uid) if a.annotator_uid == me] if uid else []
        self.inspector.set_trash(items)

    def reload_all(self, keep_undo: bool = False) -> None:
        """After imports, merges and restores: everything may have changed underneath.
        The undo history is cleared (its commands may no longer apply), except after an
        import (`keep_undo`), which only adds rows."""
        if not keep_undo:
            self.undo_stack.clear()
        self.cache.reload()
        self.registers.reload()
        current = self.current_article_uid()
        self.list.reload(keep_uid=current)
        if current and not self.open_article(current):
            current = None
        if current is None:
            self.open_first()
        self._update_counts()

    def open_first(self) -> None:
        uid = self.list.model.uid_at(0)
        if uid:
            self.open_article(uid)
        else:
            self.view.show_empty("No articles yet", "Use File ▸ Import… to add text, Markdown "
                                 "or JSONL files, or run `stancemark seed` for the samples.")
            self.inspector.set_annotations([], self.repo.annotator.uid)

    def restore_last(self) -> None:
        last = self.settings.value("last_article")
        if not (last and self.open_article(str(last))):
            self.open_first()

    # ---------------------------------------------------------------- edits
    def run_command(self, cmd: Any) -> bool:
        """Apply (commit) a core command, then push it for undo and show it."""
        try:
            change = cmd.apply(self.repo)
        except StancemarkError as exc:
            self.report_saved(str(exc))
            return False
        self.undo_stack.push(StoreCommand(cmd, self.repo, self._undo_reported))
        self._on_change(change)
        return True

    def _undo_reported(self, change: Change | None, error: str | None) -> None:
        if error:
            self.report_saved(error)
            return
        self._on_change(change)
        # Undoing an edit made in another article: go there, so the user sees what changed.
        current = self.current_article_uid()
        if change.article_uids and current not in change.article_uids:
            if self.open_article(change.article_uids[0]) and change.spans:
                self.view.flash(*change.spans[0])

    def _on_change(self, change: Change) -> None:
        self.report_saved(None)
        if change.entity == "annotation":
            current = self.current_article_uid()
            me = self.repo.annotator.uid
            gone = {a.uid for a in change.removed}
            delta = COUNT_DELTA.get(change.action, 0)
            for a in (*change.annotations, *change.removed):
                if current == a.article_uid:
                    shown = a.uid not in gone and self._visible(a)
                    self.view.apply_annotation(a if shown else None, a.uid)
                    if shown:
                        self.inspector.put(a)
                    else:
                        self.inspector.drop(a.uid)
                if delta and a.annotator_uid == me:
                    self.list.model.update_row(a.article_uid, delta)
            for article_uid, annotator_uid, status in change.statuses:
                if annotator_uid == me:
                    self.list.model.update_row(article_uid, status=status)
            if change.action in ("delete", "restore") and current in change.article_uids:
                self._refresh_trash()
        self._update_counts()
        self.store_changed.emit(change)

    def _set_status(self, article_uid: str, status: str) -> bool:
        try:
            self.repo.set_status(article_uid, status)
        except StancemarkError as exc:
            self.report_saved(str(exc))
            return False
        self.list.model.update_row(article_uid, status=status)
        self.store_changed.emit(Change("status", "status", (article_uid,), (article_uid,)))
        return True

    def edit_annotation(self, uid: str, changes: dict) -> bool:
        from stancemark.ui.window.edit_actions import edit_annotation  # may create a topic first

        return edit_annotation(self, uid, dict(changes))

    def delete_annotations(self, uids: list) -> None:
        if len(uids) > 1:
            self.undo_stack.beginMacro(f"Delete {len(uids)} annotations")
        try:
            for uid in uids:
                if not self.run_command(DeleteAnnotation(uid)):
                    break
        finally:
            if len(uids) > 1:
                self.undo_stack.endMacro()

    def restore_annotation(self, uid: str) -> bool:
        return self.run_command(RestoreAnnotation(uid))

    def registers_changed(self) -> None:
        self.cache.reload()
        self.registers.reload()
        self.inspector.editor.refresh_completers()
        self.inspector.model.forget_names()  # names in the "What" column
        self.store_changed.emit(Change("update", "register"))

    def report_saved(self, error: str | None) -> None:
        # Restyle only when the state flips: a style change re-lays out the whole window,
        # which would repaint everything after every tag.
        failed = error is not None
        if failed != self._save_failed:
            self._save_failed = failed
            self.saved_label.setStyleSheet(
                "color: white; background: #D55E00; padding: 0 4px" if failed else "")
        if failed:
            set_fixed_text(self.saved_label, f"NOT saved: {error}  ")  # room for the padding
        else:
            set_fixed_text(self.saved_label, f"Saved ✓ {QTime.currentTime().toString('HH:mm:ss')}")

    def _update_counts(self) -> None:
        n = len(self.inspector.model.items)
        set_fixed_text(self.counts_label, f"{self.list.model.total:,} articles · {n} tag(s) here")

    # ----------------------------------------------------------- navigation
    def step_article(self, step: int) -> bool:
        row = self.list.model.row_of(self.current_article_uid() or "")
        row = -1 if row is None else row
        uid = self.list.model.uid_at(row + step) if row + step >= 0 else None
        return bool(uid) and self.open_article(uid)

    def mark_done_and_next(self) -> None:
        current = self.current_article_uid()
        if current is None or not self._set_status(current, "done"):
            return
        model = self.list.model
        start = model.row_of(current)
        start = -1 if start is None else start
        row = start + 1
        while True:
            uid = model.uid_at(row)
            if uid is None:
                break
            if model.rows[row].status != "done":
                self.open_article(uid)
                return
            row += 1
        for row in range(0, max(start, 0)):  # wrap round to the top
            if model.rows[row].status != "done":
                self.open_article(model.rows[row].uid)
                return
        self.statusBar().showMessage("Every article in the list is done.", 5000)

    def _set_show_all(self, on: bool) -> None:
        self.show_all = on
        if self.current_article_uid():
            self.open_article(self.current_article_uid())

    def _focus_search(self) -> None:
        self.list.search.setFocus()
        self.list.search.selectAll()

    # ----------------------------------------------------------- find, help
    def show_find(self) -> None:
        # Hits are looked for from here while the needle is typed (not from each
        # partial hit, which skipped the one the user was reaching for).
        self._find_origin = self.view.text.textCursor().selectionStart()
        self.find_bar.show()
        sel = self._selected_text()
        if sel and "\n" not in sel:
            self.find_edit.setText(sel)
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def hide_find(self) -> None:
        self.find_bar.hide()
        self.view.mark_matches("")
        self.view.text.setFocus()

    def _find_changed(self, text: str) -> None:
        n = self.view.mark_matches(text, getattr(self, "_find_origin", None))
        self.find_count.setText(f"{n} hit(s)" if text else "")

    def find_next(self) -> None:
        if self.find_edit.text() and not self.view.next_match():
            self._find_changed(self.find_edit.text())
            self.view.next_match()
        self._find_origin = self.view.text.textCursor().selectionStart()

    def show_help(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts", shortcuts_html(),
                          QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        self.help_box = box
        box.open()

    def _fill_history_menu(self) -> None:
        fill_history_menu(self)

    # ---------------------------------------------------------------- misc
    def _selected_text(self) -> str:
        span = self.view.selection_span()
        art = self.view.article
        return art.text[span[0]:span[1]] if span and art else ""

    def _describe(self, uid: str) -> str:
        a = self.inspector.model.get(uid) or self.repo.get_annotation(uid)
        if a is None:
            return ""
        return f"<b>{a.kind}</b>: {self.cache.summary(a)}"

    def _clicked_in_text(self, uid: str) -> None:
        self._clicked = True
        try:
            self.inspector.select(uid)
        finally:
            self._clicked = False

    def _flash_annotation(self, uid: str) -> None:
        a = self.inspector.model.get(uid)
        if a is not None:
            self.view.flash(a.start, a.end, scroll=not self._clicked)

    def restore_state(self) -> None:
        s = self.settings
        geometry = s.value("geometry")
        # within the available screen: a saved geometry only where it still fits
        place(self, geometry if isinstance(geometry, QByteArray) else None)
        state = s.value("state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        split = s.value("splitter")
        if isinstance(split, QByteArray) and not split.isEmpty():
            self.splitter.restoreState(split)
        else:  # first run: the text gets most of the width
            w = self.width()
            self.splitter.setSizes([int(w * 0.27), int(w * 0.46), int(w * 0.27)])

    def save_state(self) -> None:
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("state", self.saveState())
        s.setValue("splitter", self.splitter.saveState())
        if self.current_article_uid():
            s.setValue("last_article", self.current_article_uid())
        s.sync()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.save_state()
        super().closeEvent(event)

