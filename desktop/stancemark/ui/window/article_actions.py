"""Article edits in the window:

- Edit ▸ Article details… (F2) and the article list's context menu (right click, or the
  menu key): details, Mark as new / in progress / done, Move to trash (Del in the list);
- each runs a core.article_commands command through the session (committed, audited,
  one step on the undo stack); the views redraw from its change record on the bus.

ArticleActions gets the session, the article list and a way to ask which article is
open; the window places its actions in its menus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from stancemark.core.article_commands import DeleteArticle, SetStatus, UpdateArticle
from stancemark.core.model import STATUSES
from stancemark.ui.dialogs.article_details import ArticleDetailsDialog
from stancemark.ui.window.shortcuts import SHORTCUTS

if TYPE_CHECKING:
    from stancemark.ui.article.article_list import ArticleList
    from stancemark.ui.window.session import Session


class ArticleActions(QObject):
    def __init__(self, session: Session, article_list: ArticleList,
                 current_uid: Callable[[], str | None], parent: QWidget):
        super().__init__(parent)
        self.session = session
        self.list = article_list
        self.current_uid = current_uid
        self.parent_widget = parent
        self.list_menu: QMenu | None = None  # the last context menu (tests, screenshots)
        self.details_dialog: ArticleDetailsDialog | None = None
        self.details = QAction("Article &details…", parent)
        keys, tip = SHORTCUTS["article_details"]
        self.details.setShortcuts([QKeySequence(k) for k in keys])
        self.details.setStatusTip(tip)
        self.details.triggered.connect(lambda: self.edit_details(current_uid()))
        parent.addAction(self.details)
        self.trash = QAction("Move article to &trash", parent)
        self.trash.triggered.connect(lambda: self.delete_article(current_uid()))
        view = article_list.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.menu_at)
        # Del in the list trashes the current row's article. The inspector's Del (its tags)
        # is a window-wide shortcut; a second shortcut on the same key would make both
        # ambiguous, so the list claims the key itself while it has the focus.
        self._delete_key = _ListDelete(self, view)
        view.installEventFilter(self._delete_key)

    def add_to_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction(self.details)
        self.status_menu(menu, self.current_uid)
        menu.addAction(self.trash)

    def status_menu(self, parent: QMenu, uid_of: Callable[[], str | None]) -> QMenu:
        """New / In progress / Done, the article's present status ticked when shown."""
        menu = parent.addMenu("&Mark as")
        for status in STATUSES:
            act = menu.addAction(status.capitalize())
            act.setCheckable(True)
            act.triggered.connect(lambda _=False, s=status: self.set_status(uid_of(), s))

        def tick() -> None:
            uid = uid_of()
            now = self.session.repo.get_status(uid) if uid else ""
            for act, status in zip(menu.actions(), STATUSES, strict=True):
                act.setChecked(status == now)
                act.setEnabled(bool(uid))

        menu.aboutToShow.connect(tick)
        return menu

    def row_uid(self) -> str | None:
        index = self.list.view.currentIndex()
        return self.list.model.uid_at(index.row()) if index.isValid() else None

    def menu_at(self, pos: QPoint) -> QMenu | None:
        """The context menu of the row under `pos` (it acts on that row, open or not)."""
        view = self.list.view
        index = view.indexAt(pos)
        if not index.isValid():
            return None
        uid = self.list.model.uid_at(index.row())
        title = self.list.model.rows[index.row()].title or "(untitled)"
        menu = QMenu(view)
        menu.setObjectName("article_list_menu")
        head = menu.addAction(title if len(title) < 50 else title[:49] + "…")
        head.setEnabled(False)
        if uid:
            menu.addAction("Open", lambda: self.list.article_chosen.emit(uid))
        menu.addAction("Details…", lambda: self.edit_details(uid))
        self.status_menu(menu, lambda: uid)
        menu.addSeparator()
        menu.addAction("Move to trash", lambda: self.delete_article(uid))
        self.list_menu = menu
        menu.popup(view.viewport().mapToGlobal(pos))
        return menu

    def edit_details(self, uid: str | None) -> ArticleDetailsDialog | None:
        art = self.session.repo.get_article(uid) if uid else None
        if art is None:
            self.session.feedback.message("Open or pick an article first.", 4000)
            return None
        dialog = ArticleDetailsDialog(art, self.parent_widget)
        self.details_dialog = dialog

        def save() -> None:
            changes = dialog.changes()
            if isinstance(changes, dict) and changes:
                self.session.run(UpdateArticle(art.uid, changes), initiator=self)

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def set_status(self, uid: str | None, status: str) -> bool:
        repo = self.session.repo
        if not uid or repo.get_status(uid) == status:
            return False
        return self.session.run(SetStatus(uid, status, repo.annotator.uid), initiator=self)

    def delete_article(self, uid: str | None) -> bool:
        art = self.session.repo.get_article(uid) if uid else None
        if art is None:
            return False
        ok = self.session.run(DeleteArticle(art.uid, art.title), initiator=self)
        if ok:
            self.session.feedback.message(
                f"Moved “{art.title or '(untitled)'}” to the trash (Ctrl+Z or File ▸ Trash… "
                "brings it back).", 8000)
        return ok


class _ListDelete(QObject):
    def __init__(self, actions: ArticleActions, parent: QObject):
        super().__init__(parent)
        self.actions = actions

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(
                event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Delete):
            event.accept()
            if kind == QEvent.Type.KeyPress:
                self.actions.delete_article(self.actions.row_uid())
            return True
        return False
