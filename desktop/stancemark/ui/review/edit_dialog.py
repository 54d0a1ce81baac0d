"""The "Edit into gold" dialog: start from one annotator's version of a unit and change
its span, label or codebook attributes before it goes into the gold layer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from stancemark.core.agreement import ReviewUnit
from stancemark.core.codebook import CodebookError
from stancemark.core.dates import granularity_of, granularity_problem, is_iso_value
from stancemark.core.errors import existing
from stancemark.core.model import GRANULARITIES, POLARITIES
from stancemark.ui.codebook.editors import AttributeForm

if TYPE_CHECKING:
    from stancemark.store.repository import Repository


class EditVersionDialog(QDialog):
    def __init__(self, parent: QWidget | None, repo: Repository, unit: ReviewUnit,
                 names: dict[str, str], text: str):
        super().__init__(parent)
        self.setWindowTitle("Edit into gold")
        self.repo = repo
        self.unit = unit
        self.text = text
        self.versions = {s.annotator: existing(repo.get_annotation(s.uid), "annotation", s.uid)
                         for s in unit.spans}
        form = QFormLayout(self)
        self.version = QComboBox()
        for uid in self.versions:
            self.version.addItem(names.get(uid, uid), uid)
        form.addRow("Start from", self.version)
        self.start = QSpinBox()
        self.end = QSpinBox()
        for spin in (self.start, self.end):
            spin.setRange(0, len(text))
        form.addRow("Start (character)", self.start)
        form.addRow("End (character)", self.end)
        self.quote = QLineEdit()
        self.quote.setReadOnly(True)
        form.addRow("Text", self.quote)
        self.actor = QComboBox()
        self.holder = QComboBox()
        for box in (self.actor, self.holder):
            box.addItem("(none)", None)
            for a in repo.list_actors():
                box.addItem(a.name, a.uid)
        self.date_value = QLineEdit()
        self.granularity = QComboBox()
        self.granularity.addItems(GRANULARITIES)
        self.date_value.textEdited.connect(self._follow_value)
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        self.error.hide()
        self.polarity = QComboBox()
        self.polarity.addItems(POLARITIES)
        self.target = QComboBox()
        self.target.addItem("(none)", None)
        for t in repo.list_topics():
            self.target.addItem(t.name, f"topic:{t.uid}")
        for a in repo.list_actors():
            self.target.addItem(f"actor: {a.name}", f"actor:{a.uid}")
        if unit.kind == "actor":
            form.addRow("Actor", self.actor)
        elif unit.kind == "date":
            form.addRow("Date (ISO)", self.date_value)
            form.addRow("Granularity", self.granularity)
        elif unit.kind == "stance":
            form.addRow("Holder", self.holder)
            form.addRow("Polarity", self.polarity)
            form.addRow("Target", self.target)
        # The codebook's attributes of the kind, by the same editors as the inspector's
        # (references to actors and topics are kept from the version: no register here).
        attrs = tuple(a for a in repo.codebook().attributes_of(unit.kind)
                      if a.type not in ("actor", "topic"))
        self.attrs = AttributeForm(attrs, None) if attrs else None
        if self.attrs is not None:
            form.addRow(self.attrs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        form.addRow(self.error)
        form.addRow(buttons)
        self.version.currentIndexChanged.connect(self._load)
        self.start.valueChanged.connect(self._quote)
        self.end.valueChanged.connect(self._quote)
        self._load()

    def _follow_value(self, value: str) -> None:
        """The granularity follows the value as it is typed."""
        if is_iso_value(value.strip()):
            self.granularity.setCurrentText(granularity_of(value.strip()))

    def try_accept(self) -> None:
        """Refuse, in one line, a date whose granularity contradicts its value or an
        attribute value that does not fit."""
        if self.attrs is not None:
            try:
                self.attrs.values()
            except CodebookError as exc:
                self.error.setText(str(exc))
                self.error.show()
                return
        if self.unit.kind == "date":
            problem = granularity_problem(self.date_value.text().strip(),
                                          self.granularity.currentText())
            if problem:
                self.error.setText(problem)
                self.error.show()
                return
        self.accept()

    def _load(self, *_: Any) -> None:
        a = self.versions[self.version.currentData()]
        self.start.setValue(a.start)
        self.end.setValue(a.end)
        self._select(self.actor, a.actor_uid)
        self._select(self.holder, a.holder_uid)
        self.date_value.setText(a.date_value or "")
        if a.date_granularity:
            self.granularity.setCurrentText(a.date_granularity)
        if a.polarity:
            self.polarity.setCurrentText(a.polarity)
        # "topic:<uid>" / "actor:<uid>": a QComboBox finds strings, not Python tuples
        target = (f"topic:{a.target_topic_uid}" if a.target_topic_uid else
                  f"actor:{a.target_actor_uid}" if a.target_actor_uid else None)
        self._select(self.target, target)
        if self.attrs is not None:
            self.attrs.set_values(a.attributes or {})
        self._quote()

    @staticmethod
    def _select(box: QComboBox, data: Any) -> None:
        i = box.findData(data)
        box.setCurrentIndex(max(i, 0))

    def _quote(self, *_: Any) -> None:
        self.quote.setText(self.text[self.start.value():self.end.value()])

    def result_changes(self) -> tuple[str, dict[str, Any]]:
        """(annotator whose version is the base, the fields that differ from it)."""
        uid = self.version.currentData()
        a = self.versions[uid]
        fields: dict[str, Any] = {"start": self.start.value(), "end": self.end.value()}
        if self.unit.kind == "actor":
            fields["actor_uid"] = self.actor.currentData()
        elif self.unit.kind == "date":
            fields["date_value"] = self.date_value.text().strip()
            fields["date_granularity"] = self.granularity.currentText()
        elif self.unit.kind == "stance":
            data = self.target.currentData()
            target = data.split(":", 1) if data else None
            fields["holder_uid"] = self.holder.currentData()
            fields["polarity"] = self.polarity.currentText()
            fields["target_topic_uid"] = target[1] if target and target[0] == "topic" else None
            fields["target_actor_uid"] = target[1] if target and target[0] == "actor" else None
        if self.attrs is not None:
            attributes = dict(a.attributes or {})
            for key, value in self.attrs.values().items():
                if value is None:
                    attributes.pop(key, None)
                else:
                    attributes[key] = value
            fields["attributes"] = attributes
        return uid, {k: v for k, v in fields.items() if getattr(a, k) != v}
