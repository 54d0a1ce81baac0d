"""Article ▸ Details…: edit an article's title, date, source, URL, author and language.

The dialog only collects the changed fields and checks each with the same rule the store
applies (core.article_commands.article_field_problem), refusing a bad value in one line;
the window runs the UpdateArticle command (undoable, audited).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from stancemark.core.article_commands import article_field_problem
from stancemark.core.model import Article

FIELDS = (("title", "Title", ""), ("published", "Date", "YYYY-MM-DD, YYYY-MM or YYYY"),
          ("source", "Source", "e.g. Reuters"), ("url", "URL", "https://…"),
          ("author", "Author", ""), ("language", "Language", "code: en, zh, ar, pt-BR …"))


class ArticleDetailsDialog(QDialog):
    def __init__(self, article: Article, parent: QWidget | None = None):
        super().__init__(parent)
        self.article = article
        self.setWindowTitle("Article details")
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLineEdit] = {}
        for name, label, hint in FIELDS:
            edit = QLineEdit(getattr(article, name) or "")
            edit.setPlaceholderText(hint)
            edit.setCursorPosition(0)
            form.addRow(f"{label}:", edit)
            self.fields[name] = edit
        note = QLabel(f"{len(article.text):,} characters · added {article.added_at[:10]} · "
                      f"uid {article.uid}\nThe text itself cannot change: tags point into it.")
        note.setStyleSheet("color: gray")
        form.addRow(note)
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        title = self.fields["title"]
        title.setFocus()
        title.setSelection(len(title.text()), -len(title.text()))  # selected, start in view

    def changes(self) -> dict[str, Any] | str:
        """The fields that differ from the article, or why one of them cannot be saved."""
        out: dict[str, Any] = {}
        for name, edit in self.fields.items():
            value = edit.text().strip()
            if value == (getattr(self.article, name) or ""):
                continue
            problem = article_field_problem(name, value)
            if problem:
                return problem[0].upper() + problem[1:] + "."
            out[name] = value
        return out

    def try_accept(self) -> None:
        result = self.changes()
        if isinstance(result, str):
            self.error.setText(result)
            self.error.show()
            return
        self.accept()
