"""Edit the selected rows of the stance (or mention) table at once.

Every field starts as "leave as it is"; what the analyst sets is applied to every
selected row as one command (core.commands.UpdateAnnotations): one transaction, one
step on the undo stack, each row's change in the audit log.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.codebook import Attribute
from stancemark.core.errors import StancemarkError
from stancemark.core.model import POLARITIES
from stancemark.ui.registers.cache import RegisterCache, register_completer

KEEP = "— leave as it is —"


class MultiEditDialog(QDialog):
    def __init__(self, cache: RegisterCache, count: int, kind: str = "stance",
                 attributes: tuple[Attribute, ...] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.cache = cache
        self.kind = kind
        self.setWindowTitle(f"Edit {count:,} {'stance' if kind == 'stance' else 'mention'}(s)")
        layout = QVBoxLayout(self)
        intro = QLabel(f"Set the fields to change on all {count:,} selected row(s); empty "
                       "fields stay as they are. One step to undo (Ctrl+Z).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.polarity = QComboBox()
        self.polarity.addItem(KEEP, "")
        for p in POLARITIES:
            self.polarity.addItem(p, p)
        self.holder = QLineEdit(placeholderText=KEEP)
        self.holder.setCompleter(register_completer(cache, self.holder))
        self.target = QLineEdit(placeholderText=KEEP)
        self.target.setCompleter(register_completer(cache, self.target, topics=True))
        self.attributes = {a.uid: a for a in attributes}
        self.attr_name = QComboBox()
        self.attr_name.addItem(KEEP, "")
        for a in attributes:
            self.attr_name.addItem(a.name, a.uid)
        self.attr_value = QLineEdit(placeholderText="value (empty: unset it)")
        self.attr_name.currentIndexChanged.connect(self._attribute_hint)
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        if kind == "stance":
            form.addRow("Polarity:", self.polarity)
            form.addRow("Holder:", self.holder)
            form.addRow("Target:", self.target)
            form.addRow("Attribute:", self.attr_name)
            form.addRow("Value:", self.attr_value)
        else:
            form.addRow("Actor:", self.holder)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.result_changes: dict[str, Any] = {}

    def changes(self) -> dict[str, Any] | str:
        """The field changes to apply, or a one-line reason they cannot be."""
        out: dict[str, Any] = {}
        holder = self.holder.text().strip()
        if holder:
            actor = self.cache.actor_by_text(holder)
            if actor is None:
                return f"no actor called “{holder}” in the register"
            out["actor_uid" if self.kind == "actor" else "holder_uid"] = actor.uid
        if self.kind != "stance":
            return out
        if self.polarity.currentData():
            out["polarity"] = self.polarity.currentData()
        target = self.target.text().strip()
        if target:
            topic = next((t for t in self.cache.topics.values()
                          if t.name.casefold() == target.casefold()), None)
            actor = None if topic else self.cache.actor_by_text(target)
            if topic is None and actor is None:
                return f"no topic or actor called “{target}” (add it in the Registers first)"
            out["target_topic_uid"] = topic.uid if topic else None
            out["target_actor_uid"] = actor.uid if actor else None
        attr = self.attributes.get(self.attr_name.currentData() or "")
        if attr is not None:
            try:
                out["attribute"] = (attr, attr.parse(self.attr_value.text()))
            except StancemarkError as exc:  # a value the codebook's type refuses
                return str(exc)
        return out

    def _attribute_hint(self) -> None:
        attr = self.attributes.get(self.attr_name.currentData() or "")
        if attr is None:
            self.attr_value.setPlaceholderText("value (empty: unset it)")
        elif attr.values:
            self.attr_value.setPlaceholderText(" / ".join(v.name for v in attr.values[:8]))
        else:
            self.attr_value.setPlaceholderText(f"{attr.type} (empty: unset it)")

    def _accept(self) -> None:
        got = self.changes()
        if isinstance(got, str):
            self.error.setText(got)
            return
        if not got:
            self.error.setText("Nothing to change: set at least one field.")
            return
        self.result_changes = got
        self.accept()
