"""The filters above the stance and mention tables: one field per column, and a line of
"chips" for what the network and the timeline asked for (a node, an edge, a period).

Typing waits for a pause (250 ms) before the table is asked again, so a filter costs
one query per word, not per key.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from stancemark.core.model import POLARITIES
from stancemark.core.stance_filter import StanceFilter

PAUSE_MS = 250


class FilterBar(QWidget):
    """Emits `changed(StanceFilter)` after the user paused typing or picked a value."""

    changed = Signal(object)

    def __init__(self, kind: str = "stance", parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self._extra = StanceFilter()  # network / timeline constraints (chips)
        self._timer = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self._timer.timeout.connect(self._emit)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)

        def edit(name: str, placeholder: str, tip: str) -> QLineEdit:
            e = QLineEdit(placeholderText=placeholder, clearButtonEnabled=True)
            e.setObjectName(f"filter_{name}")
            e.setToolTip(tip)
            e.textChanged.connect(self._later)
            e.returnPressed.connect(self._emit)
            return e

        stance = kind == "stance"
        self.holder = edit("holder", "Holder" if stance else "Actor",
                           "Actors whose name or an alias contains this text")
        self.target = edit("target", "Target", "Topics (or actors) whose name contains this")
        self.polarity = QComboBox()
        self.polarity.setObjectName("filter_polarity")
        self.polarity.addItem("Any polarity", "")
        for p in POLARITIES:
            self.polarity.addItem(p, p)
        self.polarity.currentIndexChanged.connect(self._emit)
        self.date_from = edit("date_from", "From (date)", "Stances dated on or after "
                              "(ISO: 2021, 2021-03 or 2021-03-15; a stance's own date, else "
                              "its article's)")
        self.date_to = edit("date_to", "To (date)", "Stances dated up to (inclusive: 2021 "
                            "keeps all of 2021)")
        self.annotator = QComboBox()
        self.annotator.setObjectName("filter_annotator")
        self.annotator.currentIndexChanged.connect(self._emit)
        self.search = edit("search", "Article text", "Full-text search of the articles "
                           "(every word, as a prefix)")
        self.title = edit("title", "Article title", "Words of the article's title")
        self.quote = edit("quote", "Quote", "The tagged text contains this")
        self.attribute = edit("attribute", "Attribute=value",
                              "Codebook attributes: name=value, several with ';'")
        row1: list[QWidget] = [self.holder, self.target, self.polarity, self.date_from,
                               self.date_to] if stance else [self.holder, self.date_from,
                                                             self.date_to]
        if not stance:
            self.date_from.setPlaceholderText("Published from")
            self.date_to.setPlaceholderText("Published to")
            for unused in (self.target, self.polarity, self.attribute):
                unused.hide()
        row2: list[QWidget] = [self.annotator, self.search, self.title, self.quote] + (
            [self.attribute] if stance else [])
        for col, w in enumerate(row1):
            grid.addWidget(w, 0, col)
        for col, w in enumerate(row2):
            grid.addWidget(w, 1, col)
        self.chips = QWidget()
        chip_row = QHBoxLayout(self.chips)
        chip_row.setContentsMargins(0, 0, 0, 0)
        self.chip_label = QLabel()
        self.chip_label.setObjectName("filter_chips")
        self.chip_clear = QToolButton()
        self.chip_clear.setText("✕ Clear")
        self.chip_clear.setToolTip("Drop the constraints set from the network or the timeline")
        self.chip_clear.clicked.connect(lambda: self.set_extra(StanceFilter()))
        chip_row.addWidget(self.chip_label, 1)
        chip_row.addWidget(self.chip_clear)
        grid.addWidget(self.chips, 2, 0, 1, 5)
        self.chips.hide()

    # --------------------------------------------------------------- values
    def set_annotators(self, names: list[str]) -> None:
        current = self.annotator.currentData()
        self.annotator.blockSignals(True)
        self.annotator.clear()
        self.annotator.addItem("Every annotator", "")
        for n in names:
            self.annotator.addItem(n, n)
        i = self.annotator.findData(current)
        self.annotator.setCurrentIndex(max(i, 0))
        self.annotator.blockSignals(False)

    def set_extra(self, extra: StanceFilter, labels: str = "") -> None:
        """Constraints from a click in the network or the timeline, shown as chips."""
        self._extra = extra
        self.chips.setVisible(not extra.is_empty())
        self.chip_label.setText(labels or extra.describe())
        self._emit()

    def extra(self) -> StanceFilter:
        return self._extra

    def value(self) -> StanceFilter:
        def t(e: QLineEdit) -> str:
            return e.text().strip()

        attrs = []
        for item in t(self.attribute).split(";"):
            name, sep, val = item.partition("=")
            if sep and name.strip():
                attrs.append((name.strip(), val.strip()))
        x = self._extra
        stance = self.kind == "stance"
        pol = self.polarity.currentData()
        return StanceFilter(
            holder=t(self.holder), target=t(self.target) if stance else "",
            polarity=(pol,) if pol and stance else (),
            date_from=(t(self.date_from) or x.date_from) if stance else x.date_from,
            date_to=(t(self.date_to) or x.date_to) if stance else x.date_to,
            published_from=x.published_from if stance else t(self.date_from),
            published_to=x.published_to if stance else t(self.date_to),
            annotators=(self.annotator.currentData(),) if self.annotator.currentData() else (),
            search=t(self.search), title=t(self.title), quote=t(self.quote),
            attributes=tuple(attrs) if stance else (),
            holder_uids=x.holder_uids, topic_uids=x.topic_uids)

    def clear(self) -> None:
        for e in (self.holder, self.target, self.date_from, self.date_to, self.search,
                  self.title, self.quote, self.attribute):
            e.blockSignals(True)
            e.clear()
            e.blockSignals(False)
        for c in (self.polarity, self.annotator):
            c.blockSignals(True)
            c.setCurrentIndex(0)
            c.blockSignals(False)
        self.set_extra(StanceFilter())

    # --------------------------------------------------------------- signals
    def _later(self, *_: Any) -> None:
        self._timer.start()

    def _emit(self, *_: Any) -> None:
        self._timer.stop()
        self.changed.emit(self.value())
