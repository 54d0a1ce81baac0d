"""Find in article: the bar under the text (Ctrl+F), its hits marked in the view.

It needs the article view and a way to read the selected text, nothing of the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from stancemark.ui.article.article_view import ArticleView


class FindBar(QWidget):
    def __init__(self, view: ArticleView, selected_text: Callable[[], str],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        self.selected_text = selected_text
        self.origin: int | None = None  # where hits are looked for while typing (UTF-16)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        self.edit = QLineEdit(placeholderText="Find in article (Enter: next, Esc: close)")
        self.edit.textChanged.connect(self._changed)
        self.edit.returnPressed.connect(self.find_next)
        self.count = QLabel()
        row.addWidget(QLabel("Find:"))
        row.addWidget(self.edit, 1)
        row.addWidget(self.count)
        self.hide()
        close = QAction(self)
        close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        close.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.triggered.connect(self.close_bar)
        self.addAction(close)

    def open_bar(self) -> None:
        # Hits are looked for from here while the needle is typed (not from each
        # partial hit, which skipped the one the user was reaching for).
        self.origin = self.view.text.textCursor().selectionStart()
        self.show()
        sel = self.selected_text()
        if sel and "\n" not in sel:
            self.edit.setText(sel)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.view.mark_matches("")
        self.view.text.setFocus()

    def refind(self) -> None:
        """Mark the hits again (another article was opened)."""
        if self.isVisible() and self.edit.text():
            self._changed(self.edit.text())

    def _changed(self, text: str) -> None:
        n = self.view.mark_matches(text, self.origin)
        self.count.setText(f"{n} hit(s)" if text else "")

    def find_next(self) -> None:
        if self.edit.text() and not self.view.next_match():
            self._changed(self.edit.text())
            self.view.next_match()
        self.origin = self.view.text.textCursor().selectionStart()
