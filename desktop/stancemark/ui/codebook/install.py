"""The codebook in the window: custom kinds' tagging keys and colours, the attribute
panel under the inspector, the Article variables dock and Edit ▸ Codebook….

Everything here reads the registry (Repository.codebook()) and rebuilds itself when a
change record on the bus says the codebook changed (an edit, its undo, an import or a
merge), so a kind added in the editor (or imported from the command line before the
window opened) is taggable and drawn at once. It gets the session and the views it
fills, not the window; the window places its actions in the menus and calls
`article_opened` when it shows another article.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow

from stancemark.core.model import Change
from stancemark.ui.codebook.panels import AttributePanel, VariablesPanel, scrolled
from stancemark.ui.codebook.tagging import KindActions, KindTagger

if TYPE_CHECKING:
    from stancemark.ui.article.article_view import ArticleView
    from stancemark.ui.codebook.editor import CodebookEditor
    from stancemark.ui.inspector.inspector import Inspector
    from stancemark.ui.registers.cache import RegisterCache
    from stancemark.ui.window.session import Session
    from stancemark.ui.window.tagging import Tagger


class CodebookUi:
    """`kinds` (the custom kinds' actions), `attributes` (the selected annotation's),
    `variables` and its `variables_dock`, `editor_action` (Edit ▸ Codebook…)."""

    def __init__(self, session: Session, view: ArticleView, inspector: Inspector,
                 cache: RegisterCache, tagger: Tagger, window: QMainWindow,
                 reopen: Callable[[], object]):
        self.session = session
        self.view = view
        self.inspector = inspector
        self.window = window
        self.reopen = reopen  # show the open article again (colours and names changed)
        self.kinds = KindActions(KindTagger(session, view, tagger, cache, window), window)
        self.attributes = AttributePanel(session, cache)
        page = inspector.widget(0)
        layout = page.layout() if page is not None else None
        if layout is not None:
            layout.addWidget(self.attributes)
        self.variables = VariablesPanel(session, cache)
        dock = QDockWidget("Article variables", window)
        dock.setObjectName("variables_dock")
        dock.setWidget(scrolled(self.variables))
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.variables_dock = dock
        dock.setVisible(bool(session.repo.codebook().article_variables()))
        self.editor_action = QAction("Code&book…", window)
        self.editor_action.setStatusTip(
            "Edit the codebook: span kinds, attributes, vocabularies, article variables")
        self.editor_action.triggered.connect(self.open_editor)
        self.editor_dialog: CodebookEditor | None = None
        self.apply_registry()
        inspector.annotation_selected.connect(self._selected)
        session.bus.subscribe(self.store_changed)

    def apply_registry(self) -> None:
        """Names and colours of kinds, from the codebook, wherever the window shows them."""
        book = self.session.repo.codebook()
        self.view.set_kind_colours({k.uid: book.colour(k.uid) for k in book.custom_kinds()},
                                   [(k.name, book.colour(k.uid)) for k in book.custom_kinds()])
        model = self.inspector.model
        model.kind_name = book.name
        model.kind_colour = book.colour
        self.inspector.editor.kind_name = book.name

    def _selected(self, uid: str) -> None:
        self.attributes.show_annotation(self.inspector.model.get(uid))

    def article_opened(self, uid: str | None) -> None:
        self.attributes.show_annotation(None)
        self.variables.show_article(uid)

    def store_changed(self, change: Change, _initiator: object = None) -> None:
        if change.entity == "codebook" or change.action == "reload":
            self.apply_registry()
            self.kinds.rebuild()
            if change.entity == "codebook":  # (a reload reopens the article itself)
                selected = self.attributes.current
                self.reopen()  # colours, names and forms all follow the registry
                if selected is not None:
                    self.inspector.select(selected.uid)
            else:
                self.variables.show_article(self.variables.article_uid)
            if self.editor_dialog is not None:
                self.editor_dialog.reload()
            return
        if change.entity == "variables":
            if self.variables.article_uid in change.article_uids:
                self.variables.show_article(self.variables.article_uid)
            return
        if change.entity == "annotation":
            self.attributes.refresh(change.uids)

    def open_editor(self) -> None:
        from stancemark.ui.codebook.editor import CodebookEditor

        dialog = self.editor_dialog or CodebookEditor(self.session, self.window)
        self.editor_dialog = dialog
        dialog.reload()
        dialog.show()
        dialog.raise_()
