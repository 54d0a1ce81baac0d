"""The versions of the current review unit side by side, as INCEpTION's curation shows
them: a column per chosen annotator (quote, kind, the actor, the date, the stance's
holder, target, polarity and date, attribute values, note), the fields where they differ
in bold, and a Take button per version (keys 1, 2, ... do the same) that adjudicates it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from stancemark.core.agreement import ReviewUnit
    from stancemark.core.model import Annotation
    from stancemark.store.repository import Repository

NOT_MARKED = "—"


def version_fields(repo: Repository, a: Annotation | None) -> dict[str, str]:
    """Field label -> shown value of one annotator's version (empty: not marked)."""
    if a is None:
        return {}

    def actor(uid: str | None) -> str:
        found = repo.get_actor(uid) if uid else None
        return found.name if found else ""

    book = repo.codebook()
    kind = book.kind(a.kind)
    out = {"Quote": f"“{' '.join(a.quote.split())}”",
           "Kind": kind.name if kind else a.kind}
    if a.kind == "actor":
        out["Actor"] = actor(a.actor_uid)
    elif a.kind == "date":
        out["Date"] = f"{a.date_value or '?'} ({a.date_granularity or '?'})"
    elif a.kind == "stance":
        topic = repo.get_topic(a.target_topic_uid) if a.target_topic_uid else None
        out["Holder"] = actor(a.holder_uid)
        out["Target"] = topic.name + " (topic)" if topic else actor(a.target_actor_uid)
        out["Polarity"] = a.polarity or ""
        out["Stance date"] = a.stance_date or ""
    for attr_uid, value in sorted(a.attributes.items()):
        attr = book.attribute(attr_uid)
        out[attr.name if attr else attr_uid] = str(value)
    if a.note:
        out["Note"] = a.note
    return out


class VersionsPanel(QScrollArea):
    """take(annotator uid) when a version's Take button is pressed."""

    take = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("review_versions")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.take_buttons: dict[str, QPushButton] = {}
        self.columns: dict[str, dict[str, str]] = {}  # annotator uid -> fields (tests)
        self.differing: set[str] = set()
        self._holder = QWidget()
        self._outer = QVBoxLayout(self._holder)
        self._outer.setContentsMargins(6, 4, 6, 4)
        self._grid: QGridLayout | None = None
        self.setWidget(self._holder)
        self.show_unit(None, [], {}, {}, lambda _uid: None)

    def show_unit(self, unit: ReviewUnit | None, annotators: list[str], names: dict[str, str],
                  colours: dict[str, str], fields_of: Callable[[str], dict[str, str] | None]
                  ) -> None:
        """`fields_of(annotation uid)`: version_fields of that annotation."""
        self._clear()
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(3)
        self._grid = grid
        self._outer.addLayout(grid)
        self._outer.addStretch(1)
        if unit is None or not annotators:
            hint = QLabel("Each annotator's version of the selected unit shows here, "
                          "side by side.")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: gray")
            grid.addWidget(hint, 0, 0)
            return
        by = {s.annotator: s.uid for s in unit.spans}
        self.columns = {a: (fields_of(by[a]) or {}) if a in by else {} for a in annotators}
        labels = list(dict.fromkeys(k for f in self.columns.values() for k in f))
        marked = [f for f in self.columns.values() if f]
        self.differing = {k for k in labels
                          if len({f.get(k, "") for f in marked}) > 1 or len(marked) < len(annotators)}
        for col, a in enumerate(annotators, start=1):
            name = names.get(a, "?")
            head = QLabel(f"<span style='background:{colours.get(a, '#999999')};color:black'>"
                          f"&nbsp;{html.escape(name)}&nbsp;</span>")
            grid.addWidget(head, 0, col)
            button = QPushButton(f"Take {name}'s ({col})")
            button.setToolTip(f"Put {name}'s version into gold (key {col})")
            button.setEnabled(a in by)
            button.clicked.connect(lambda _=False, a=a: self.take.emit(a))
            self.take_buttons[a] = button
            grid.addWidget(button, len(labels) + 1, col)
        for row, label in enumerate(labels, start=1):
            key = QLabel(html.escape(label))
            key.setStyleSheet("color: gray")
            grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)
            for col, a in enumerate(annotators, start=1):
                value = self.columns[a].get(label, NOT_MARKED if not self.columns[a] else "")
                cell = QLabel(html.escape(value))
                cell.setWordWrap(True)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                if label in self.differing:  # where they differ, at a glance
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                grid.addWidget(cell, row, col, Qt.AlignmentFlag.AlignTop)
        for col in range(1, len(annotators) + 1):
            grid.setColumnStretch(col, 1)

    def _clear(self) -> None:
        self.take_buttons = {}
        self.columns = {}
        self.differing = set()
        while self._outer.count():
            item = self._outer.takeAt(0)
            layout = item.layout() if item is not None else None
            if layout is not None:
                while layout.count():
                    child = layout.takeAt(0)
                    w = child.widget() if child is not None else None
                    if w is not None:  # hidden now: deleteLater waits for the event loop
                        w.hide()
                        w.deleteLater()
                layout.deleteLater()
