"""Article edits in the window, wired by install(window):

- Edit ▸ Article details… (F2) and the article list's context menu (right click, or the
  menu key): details, Mark as new / in progress / done, Move to trash (Del in the list);
- each runs a core.article_commands command through window.run_command (committed,
  audited, one step on the undo stack), and this module redraws what its change record
  names: the list row, the article header, or the next article when the open one went
  to the trash.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMenu

from stancemark.core.article_commands import DeleteArticle, SetStatus, UpdateArticle
from stancemark.core.model import STATUSES, Change
from stancemark.ui.dialogs.article_details import ArticleDetailsDialog
from stancemark.ui.window.shortcuts import SHORTCUTS


def install(window: Any) -> None:
    acts = window.actions_
    edit = QAction("Article &details…", window)
    keys, tip = SHORTCUTS["article_details"]
    edit.setShortcuts([QKeySequence(k) for k in keys])
    edit.setStatusTip(tip)
    edit.triggered.connect(lambda: edit_details(window, window.current_article_uid()))
    window.addAction(edit)
    acts["article_details"] = edit
    trash = QAction("Move article to &trash", window)
    trash.triggered.connect(lambda: delete_article(window, window.current_article_uid()))
    acts["article_trash"] = trash
    menu = window.menus.get("edit")
    if menu is not None:
        menu.addSeparator()
        menu.addAction(edit)
        status_menu(window, menu, window.current_article_uid)
        menu.addAction(trash)
    view = window.list.view
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(lambda pos: list_menu(window, pos))
    # Del in the list trashes the current row's article. The inspector's Del (its tags)
    # is a window-wide shortcut; a second shortcut on the same key would make both
    # ambiguous, so the list claims the key itself while it has the focus.
    window.list_delete_filter = _ListDelete(window, view)
    view.installEventFilter(window.list_delete_filter)
    window.store_changed.connect(lambda change: article_changed(window, change))


class _ListDelete(QObject):
    def __init__(self, window: Any, parent: QObject):
        super().__init__(parent)
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
                event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Delete):
            event.accept()
            if kind == QEvent.Type.KeyPress:
                delete_article(self.window, _current_row_uid(self.window))
            return True
        return False


def _current_row_uid(window: Any) -> str | None:
    index = window.list.view.currentIndex()
    return window.list.model.uid_at(index.row()) if index.isValid() else None


def status_menu(window: Any, parent: QMenu, uid_of: Any) -> QMenu:
    """New / In progress / Done, the article's present status ticked when shown."""
    menu = parent.addMenu("&Mark as")
    for status in STATUSES:
        act = menu.addAction(status.capitalize())
        act.setCheckable(True)
        act.triggered.connect(lambda _=False, s=status: set_status(window, uid_of(), s))

    def tick() -> None:
        uid = uid_of()
        now = window.repo.get_status(uid) if uid else ""
        for act, status in zip(menu.actions(), STATUSES, strict=True):
            act.setChecked(status == now)
            act.setEnabled(bool(uid))

    menu.aboutToShow.connect(tick)
    return menu


def list_menu(window: Any, pos: QPoint) -> QMenu | None:
    """The context menu of the row under `pos` (it acts on that row, open or not)."""
    view = window.list.view
    index = view.indexAt(pos)
    if not index.isValid():
        return None
    uid = window.list.model.uid_at(index.row())
    title = window.list.model.rows[index.row()].title or "(untitled)"
    menu = QMenu(view)
    menu.setObjectName("article_list_menu")
    head = menu.addAction(title if len(title) < 50 else title[:49] + "…")
    head.setEnabled(False)
    menu.addAction("Open", lambda: window.open_article(uid))
    menu.addAction("Details…", lambda: edit_details(window, uid))
    status_menu(window, menu, lambda: uid)
    menu.addSeparator()
    menu.addAction("Move to trash", lambda: delete_article(window, uid))
    window.list_menu = menu  # tests and screenshots reach the open menu here
    menu.popup(view.viewport().mapToGlobal(pos))
    return menu


def edit_details(window: Any, uid: str | None) -> ArticleDetailsDialog | None:
    art = window.repo.get_article(uid) if uid else None
    if art is None:
        window.statusBar().showMessage("Open or pick an article first.", 4000)
        return None
    dialog = ArticleDetailsDialog(art, window)
    window.details_dialog = dialog

    def save() -> None:
        changes = dialog.changes()
        if isinstance(changes, dict) and changes:
            window.run_command(UpdateArticle(art.uid, changes))

    dialog.accepted.connect(save)
    dialog.open()
    return dialog


def set_status(window: Any, uid: str | None, status: str) -> bool:
    if not uid or window.repo.get_status(uid) == status:
        return False
    return bool(window.run_command(SetStatus(uid, status)))


def delete_article(window: Any, uid: str | None) -> bool:
    art = window.repo.get_article(uid) if uid else None
    if art is None:
        return False
    ok = bool(window.run_command(DeleteArticle(art.uid, art.title)))
    if ok:
        window.statusBar().showMessage(
            f"Moved “{art.title or '(untitled)'}” to the trash (Ctrl+Z or File ▸ Trash… "
            "brings it back).", 8000)
    return ok


def article_changed(window: Any, change: Change) -> None:
    """Redraw what an article or status change names (also on its undo and redo)."""
    if change.entity == "status":
        for uid in change.article_uids:
            window.list.model.update_row(uid, status=window.repo.get_status(uid))
        return
    if change.entity != "article":
        return
    current = window.current_article_uid()
    if change.action == "update":
        for uid in change.uids:
            art = window.repo.get_article(uid)
            if art is not None and uid == current:
                window.view.set_article_details(art)
        window.list.reload(keep_uid=current)
        return
    if change.action == "delete" and current in change.uids:
        row = window.list.model.row_of(current) or 0
        window.list.reload()
        nxt = window.list.model.uid_at(min(row, max(window.list.model.total - 1, 0)))
        if nxt:
            window.open_article(nxt)
        else:
            window.open_first()
    else:
        window.list.reload(keep_uid=current)
    window._update_counts()
