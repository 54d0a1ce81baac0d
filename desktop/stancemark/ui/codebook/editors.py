"""Editors built from attribute types: one field per codebook attribute, whatever its type.

The tagging popup, the inspector's attribute panel and the article-variables panel all
use `AttributeForm`, so an attribute looks and behaves the same everywhere. Each field
reads and writes the attribute's *stored* form (core/codebook.py: a choice's value uid,
an int within the range, True/False, an ISO date, a register uid); the attribute's
description is shown as help beside the field, as the codebook's text for the coder.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from stancemark.core.codebook import Attribute, CodebookError
from stancemark.ui.registers.cache import RegisterCache, register_completer

UNSET = "—"  # what an unset field shows
INT_LIMIT = 2_000_000_000  # QSpinBox holds a C int


class AttributeField:
    """One attribute's editor: `widget`, `value()` (stored form, None when unset; raises
    CodebookError when the text does not fit), `set_value(stored)`; `committed` is
    called when the user finishes an edit (a choice picked, Enter or focus left)."""

    def __init__(self, attr: Attribute, cache: RegisterCache | None):
        self.attr = attr
        self.cache = cache
        self.committed: Any = None  # callable(uid) set by the form
        self.widget = self._build()

    # ----------------------------------------------------------------- build
    def _build(self) -> QWidget:
        a = self.attr
        if a.type == "choice" and a.multiple:
            box = QListWidget()
            for v in a.values:
                item = QListWidgetItem(v.name)
                item.setData(Qt.ItemDataRole.UserRole, v.uid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                if v.description:
                    item.setToolTip(v.description)
                box.addItem(item)
            box.setMaximumHeight(min(6, max(2, len(a.values))) * 22 + 6)
            box.itemChanged.connect(lambda _i: self._commit())
            return box
        if a.type in ("choice", "boolean"):
            combo = QComboBox()
            combo.addItem(UNSET, None)
            if a.type == "boolean":
                combo.addItem("yes", True)
                combo.addItem("no", False)
            for v in a.values:
                combo.addItem(f"{v.name}  ({v.key})" if v.key else v.name, v.uid)
            combo.activated.connect(lambda _i: self._commit())
            return combo
        if a.type == "integer":
            spin = QSpinBox()
            low = int(a.minimum) if a.minimum is not None else -INT_LIMIT
            spin.setRange(low - 1, int(a.maximum) if a.maximum is not None else INT_LIMIT)
            return self._spin(spin, low - 1)
        if a.type == "number":
            dspin = QDoubleSpinBox()
            dspin.setDecimals(3)
            low_f = float(a.minimum) if a.minimum is not None else -1e12
            dspin.setRange(low_f - 1, float(a.maximum) if a.maximum is not None else 1e12)
            return self._spin(dspin, low_f - 1)
        edit = QLineEdit()
        if a.type == "date":
            edit.setPlaceholderText("YYYY, YYYY-MM, YYYY-MM-DD or A/B")
        elif a.type in ("actor", "topic") and self.cache is not None:
            edit.setPlaceholderText(f"{a.type} name")
            edit.setCompleter(register_completer(self.cache, edit, topics=a.type == "topic"))
        edit.editingFinished.connect(self._commit)
        return edit

    def _spin(self, spin: QSpinBox | QDoubleSpinBox, unset: float) -> QWidget:
        # One below the range is "unset" (Qt shows the special text there), so an optional
        # number can be left empty and a required one is visibly not given yet.
        spin.setSpecialValueText(UNSET)
        spin.setValue(unset)  # type: ignore[arg-type]
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.editingFinished.connect(self._commit)
        return spin

    def _commit(self) -> None:
        if self.committed is not None:
            self.committed(self.attr.uid)

    # ----------------------------------------------------------------- values
    def value(self) -> Any:
        a, w = self.attr, self.widget
        if isinstance(w, QListWidget):
            chosen = [w.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.count())
                      if w.item(i).checkState() == Qt.CheckState.Checked]
            return chosen or None
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QSpinBox | QDoubleSpinBox):
            if w.value() == w.minimum():
                return None
            return a.check(w.value())
        assert isinstance(w, QLineEdit)
        text = w.text().strip()
        if not text:
            return None
        if a.type in ("actor", "topic"):
            return self._reference(text)
        return a.parse(text)

    def _reference(self, text: str) -> str:
        cache = self.cache
        if cache is not None:
            if self.attr.type == "actor":
                actor = cache.actor_by_text(text)
                if actor is not None:
                    return actor.uid
            else:
                folded = text.casefold()
                topic = next((t for t in cache.topics.values() if t.name.casefold() == folded), None)
                if topic is not None:
                    return topic.uid
        raise CodebookError(f"{self.attr.name}: no {self.attr.type} called “{text}”")

    def set_value(self, stored: Any) -> None:
        w = self.widget
        w.blockSignals(True)
        try:
            if isinstance(w, QListWidget):
                chosen = set(stored or ())
                for i in range(w.count()):
                    item = w.item(i)
                    on = item.data(Qt.ItemDataRole.UserRole) in chosen
                    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            elif isinstance(w, QComboBox):
                at = w.findData(stored) if stored is not None else 0
                w.setCurrentIndex(max(at, 0))
            elif isinstance(w, QSpinBox):
                w.setValue(int(stored) if stored is not None else w.minimum())
            elif isinstance(w, QDoubleSpinBox):
                w.setValue(float(stored) if stored is not None else w.minimum())
            else:
                assert isinstance(w, QLineEdit)
                w.setText(self._show(stored))
        finally:
            w.blockSignals(False)

    def _show(self, stored: Any) -> str:
        if stored is None:
            return ""
        if self.cache is not None and self.attr.type == "actor":
            return self.cache.actor_name(stored) or str(stored)
        if self.cache is not None and self.attr.type == "topic":
            topic = self.cache.topics.get(stored)
            return topic.name if topic else str(stored)
        return self.attr.show(stored)


class AttributeForm(QWidget):
    """A form of attribute fields with their help. `edited(uid)` when the user finishes
    editing one field (the inspector and the variables panel save each as one step)."""

    edited = Signal(str)

    def __init__(self, attrs: tuple[Attribute, ...], cache: RegisterCache | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, AttributeField] = {}
        self.helps: dict[str, QLabel] = {}
        for a in attrs:
            f = AttributeField(a, cache)
            f.committed = self.edited.emit
            self.fields[a.uid] = f
            label = QLabel(f"{a.name}{' *' if a.required else ''}:")
            label.setBuddy(f.widget)
            if a.required:
                label.setToolTip("required")
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            h.addWidget(f.widget, 1)
            help_ = QLabel(a.description)
            help_.setWordWrap(True)
            help_.setStyleSheet("color: gray")
            help_.setVisible(bool(a.description))
            help_.setMaximumWidth(240)
            f.widget.setToolTip(a.description)
            h.addWidget(help_, 1)
            self.helps[a.uid] = help_
            self.form.addRow(label, row)

    def field(self, name_or_uid: str) -> AttributeField | None:
        return self.fields.get(name_or_uid) or next(
            (f for f in self.fields.values() if f.attr.name == name_or_uid), None)

    def set_values(self, values: Mapping[str, Any]) -> None:
        for uid, f in self.fields.items():
            f.set_value(values.get(uid))

    def values(self) -> dict[str, Any]:
        """{uid: stored value or None}; CodebookError names the first field that does not fit."""
        return {uid: f.value() for uid, f in self.fields.items()}

    def set_editable(self, on: bool) -> None:
        for f in self.fields.values():
            f.widget.setEnabled(on)

    def first_widget(self) -> QWidget | None:
        return next((f.widget for f in self.fields.values()), None)
