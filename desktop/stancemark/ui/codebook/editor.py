"""Edit ▸ Codebook…: span kinds, their attributes (and the article variables) and each
choice's vocabulary, in three lists side by side.

Add, rename, reorder, recolour and re-key kinds; add, rename and reorder attributes;
add, rename and merge vocabulary values. Every edit is one core command run through the
session (committed, audited, on the undo stack like a tag); the lists re-read the
registry when the change record comes back (ui/codebook/install.py calls reload).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QGridLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.codebook import ATTRIBUTE_TYPES, Attribute, Codebook
from stancemark.core.codebook_commands import (
    AddAttribute,
    AddKind,
    AddValue,
    MergeValues,
    RemoveAttribute,
    RemoveKind,
    RemoveValue,
    UpdateAttribute,
    UpdateKind,
    UpdateValue,
    new_attribute,
    new_kind,
)
from stancemark.core.model import new_uid

if TYPE_CHECKING:
    from stancemark.ui.window.session import Session

VARIABLES = "\u0000variables"  # the kinds list's last row: the article variables


class CodebookEditor(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Codebook")
        self.resize(900, 480)
        self.kinds = QListWidget()
        self.attrs = QListWidget()
        self.values = QListWidget()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: gray")
        grid = QGridLayout()
        for col, (title, lst, buttons) in enumerate((
                ("Span kinds", self.kinds, (("Add…", self.add_kind), ("Rename…", self.rename_kind),
                                            ("Colour…", self.recolour_kind), ("Key…", self.rekey_kind),
                                            ("Up", lambda: self.move_kind(-1)),
                                            ("Down", lambda: self.move_kind(1)),
                                            ("Describe…", self.describe_kind),
                                            ("Remove…", self.remove_kind))),
                ("Attributes (* required)", self.attrs, (("Add…", self.add_attribute),
                                            ("Rename…", self.rename_attribute),
                                            ("Required", self.toggle_required),
                                            ("Up", lambda: self.move_attribute(-1)),
                                            ("Down", lambda: self.move_attribute(1)),
                                            ("Describe…", self.describe_attribute),
                                            ("Remove…", self.remove_attribute))),
                ("Vocabulary", self.values, (("Add…", self.add_value),
                                             ("Rename…", self.rename_value),
                                             ("Merge into…", self.merge_value),
                                             ("Remove…", self.remove_value))))):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, col)
            grid.addWidget(lst, 1, col)
            box = QWidget()
            row = QGridLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            for i, (label, slot) in enumerate(buttons):
                b = QPushButton(label)
                b.setAutoDefault(False)
                b.clicked.connect(slot)
                row.addWidget(b, i // 3, i % 3)
            grid.addWidget(box, 2, col, Qt.AlignmentFlag.AlignTop)  # rows of buttons level
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.info)
        self.kinds.currentRowChanged.connect(lambda _r: self._fill_attributes())
        self.attrs.currentRowChanged.connect(lambda _r: self._fill_values())
        self.reload()

    # ------------------------------------------------------------------ lists
    def book(self) -> Codebook:
        return self.session.repo.codebook()

    def reload(self) -> None:
        """Re-read the registry, keeping the selection (by uid)."""
        kind, attr, value = self.kind_uid(), self.attribute_uid(), self.value_uid()
        book = self.book()
        self._fill(self.kinds, [(k.uid, f"{k.name}{f'  [{k.key}]' if k.key else ''}"
                                 f"{'  (built in)' if k.builtin else ''}", k.colour or "")
                                for k in book.kinds] + [(VARIABLES, "Article variables", "")], kind)
        self._fill_attributes(attr)
        self._fill_values(value)

    def _fill(self, lst: QListWidget, rows: list[tuple[str, str, str]], keep: str | None) -> None:
        lst.blockSignals(True)
        lst.clear()
        for uid, label, colour in rows:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, uid)
            if colour:
                item.setData(Qt.ItemDataRole.DecorationRole, QColor(colour))
            lst.addItem(item)
        at = next((i for i, (uid, _l, _c) in enumerate(rows) if uid == keep), 0 if rows else -1)
        lst.setCurrentRow(at)
        lst.blockSignals(False)

    def _pool(self) -> tuple[Attribute, ...]:
        kind = self.kind_uid()
        book = self.book()
        if kind == VARIABLES:
            return book.article_variables()
        return book.attributes_of(kind) if kind else ()

    def _fill_attributes(self, keep: str | None = None) -> None:
        rows = [(a.uid, f"{a.name}: {a.type}{' (multiple)' if a.multiple else ''}"
                        f"{' *' if a.required else ''}", "") for a in self._pool()]
        self._fill(self.attrs, rows, keep)
        self._fill_values()

    def _fill_values(self, keep: str | None = None) -> None:
        attr = self.attribute()
        rows = [(v.uid, v.name, v.colour) for v in attr.values] if attr else []
        self._fill(self.values, rows, keep)
        self.info.setText(attr.description if attr else "")

    @staticmethod
    def _current(lst: QListWidget) -> str | None:
        item = lst.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def kind_uid(self) -> str | None:
        return self._current(self.kinds)

    def attribute_uid(self) -> str | None:
        return self._current(self.attrs)

    def value_uid(self) -> str | None:
        return self._current(self.values)

    def attribute(self) -> Attribute | None:
        uid = self.attribute_uid()
        return self.book().attribute(uid) if uid else None

    # ------------------------------------------------------------------ edits
    def _ask(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def run(self, cmd: Any) -> bool:
        """Run an edit; a refusal is said here, in one line (the status bar is behind)."""
        ok = self.session.run(cmd, initiator=self)
        if not ok:
            self.info.setText(f"<span style='color:#D55E00'>Not saved: "
                              f"{html.escape(self.session.last_error or '')}</span>")
        return ok

    def add_kind(self) -> None:
        name = self._ask("Add span kind", "Name:")
        if name:
            self.run(AddKind(new_kind(name)))

    def _kind(self) -> Any:
        uid = self.kind_uid()
        return self.book().kind(uid) if uid and uid != VARIABLES else None

    def rename_kind(self) -> None:
        kind = self._kind()
        name = self._ask("Rename span kind", "Name:", kind.name) if kind else None
        if kind and name and name != kind.name:
            self.run(UpdateKind(kind.uid, {"name": name}, label=f"Rename kind “{name}”"))

    def recolour_kind(self) -> None:
        kind = self._kind()
        if kind is None:
            return
        colour = QColorDialog.getColor(QColor(self.book().colour(kind.uid)), self, "Colour")
        if colour.isValid():
            self.run(UpdateKind(kind.uid, {"colour": colour.name().upper()},
                                label=f"Recolour kind “{kind.name}”"))

    def rekey_kind(self) -> None:
        kind = self._kind()
        key = self._ask("Tagging key", "One character:", kind.key) if kind else None
        if kind and key is not None and key != kind.key:
            self.run(UpdateKind(kind.uid, {"key": key}, label=f"Key of “{kind.name}”"))

    def move_kind(self, step: int) -> None:
        kind = self._kind()
        if kind is None:
            return
        at = self.book().kinds.index(kind) + step
        if 0 <= at < len(self.book().kinds):
            self.run(UpdateKind(kind.uid, {"position": at}, label=f"Move kind “{kind.name}”"))

    def add_attribute(self) -> None:
        kind = self.kind_uid()
        if kind is None:
            return
        name = self._ask("Add attribute", "Name:")
        if not name:
            return
        type_, ok = QInputDialog.getItem(self, "Add attribute", "Type:", list(ATTRIBUTE_TYPES), 0, False)
        if ok:
            owner = None if kind == VARIABLES else kind
            self.run(AddAttribute(new_attribute(name, type_, owner)))

    def rename_attribute(self) -> None:
        attr = self.attribute()
        name = self._ask("Rename attribute", "Name:", attr.name) if attr else None
        if attr and name and name != attr.name:
            self.run(UpdateAttribute(attr.uid, {"name": name}, label=f"Rename attribute “{name}”"))

    def move_attribute(self, step: int) -> None:
        attr = self.attribute()
        if attr is None:
            return
        at = list(self._pool()).index(attr) + step
        if 0 <= at < len(self._pool()):
            self.run(UpdateAttribute(attr.uid, {"position": at}, label=f"Move “{attr.name}”"))

    def add_value(self) -> None:
        attr = self.attribute()
        if attr is None or attr.type != "choice":
            return
        name = self._ask("Add value", "Name:")
        if name:
            from stancemark.core.codebook import Value

            self.run(AddValue(attr.uid, Value(new_uid(), name)))

    def rename_value(self) -> None:
        attr, uid = self.attribute(), self.value_uid()
        value = attr.value(uid) if attr and uid else None
        name = self._ask("Rename value", "Name (relabels every use):", value.name) if value else None
        if value and name and name != value.name:
            self.run(UpdateValue(value.uid, {"name": name}, label=f"Rename value “{name}”"))

    def merge_value(self) -> None:
        attr, uid = self.attribute(), self.value_uid()
        if attr is None or uid is None:
            return
        others = [v for v in attr.values if v.uid != uid]
        if not others:
            return
        name, ok = QInputDialog.getItem(self, "Merge value", "Every use moves to:",
                                        [v.name for v in others], 0, False)
        keep = next((v for v in others if v.name == name), None)
        if ok and keep is not None:
            self.run(MergeValues(keep.uid, uid))

    def _describe(self, what: str, text: str) -> str | None:
        value, ok = QInputDialog.getMultiLineText(
            self, f"Describe {what}", "The codebook's text, shown to coders as help:", text)
        return value.strip() if ok and value.strip() != text else None

    def describe_kind(self) -> None:
        kind = self._kind()
        text = self._describe(f"“{kind.name}”", kind.description) if kind else None
        if kind and text is not None:
            self.run(UpdateKind(kind.uid, {"description": text}, label=f"Describe “{kind.name}”"))

    def describe_attribute(self) -> None:
        attr = self.attribute()
        text = self._describe(f"“{attr.name}”", attr.description) if attr else None
        if attr and text is not None:
            self.run(UpdateAttribute(attr.uid, {"description": text},
                                     label=f"Describe “{attr.name}”"))

    def toggle_required(self) -> None:
        attr = self.attribute()
        if attr is not None:
            self.run(UpdateAttribute(attr.uid, {"required": not attr.required},
                                     label=f"{'Optional' if attr.required else 'Required'}: "
                                           f"“{attr.name}”"))

    def remove_kind(self) -> None:
        """Remove a custom kind (one in use is refused, saying so)."""
        kind = self._kind()
        if kind is not None:
            self.run(RemoveKind(kind.uid, label=f"Remove kind “{kind.name}”"))

    def remove_attribute(self) -> None:
        """Remove an attribute; one in use asks first whether its values go with it."""
        attr = self.attribute()
        if attr is None or self.run(RemoveAttribute(attr.uid, label=f"Remove “{attr.name}”")):
            return
        answer = QMessageBox.question(
            self, "Remove attribute", f"“{attr.name}” is in use. Remove it with its values? "
            "(Undo puts both back.)")
        if answer == QMessageBox.StandardButton.Yes:
            self.run(RemoveAttribute(attr.uid, discard=True, label=f"Remove “{attr.name}”"))

    def remove_value(self) -> None:
        """Remove a value; one in use asks which value its uses move to."""
        attr, uid = self.attribute(), self.value_uid()
        value = attr.value(uid) if attr and uid else None
        if attr is None or value is None:
            return
        if self.run(RemoveValue(value.uid, label=f"Remove value “{value.name}”")):
            return
        others = [v for v in attr.values if v.uid != value.uid]
        if not others:
            return
        name, ok = QInputDialog.getItem(self, "Remove value", f"“{value.name}” is in use: "
                                        "its uses move to:", [v.name for v in others], 0, False)
        keep = next((v for v in others if v.name == name), None)
        if ok and keep is not None:
            self.run(RemoveValue(value.uid, replacement=keep.uid,
                                 label=f"Remove value “{value.name}”"))
