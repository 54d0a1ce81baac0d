"""The timeline pane: stances per week, month or year, stacked by polarity, for all the
filtered stances or one actor's or one topic's; a click on a period filters the table
and the network to it (a second click on it, or on the background, lets go).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolTip, QVBoxLayout, QWidget

from stancemark.core.network import OPEN_END
from stancemark.core.palette import POLARITY_COLOURS
from stancemark.core.periods import UNITS, iso, period_label
from stancemark.core.timeline import Timeline, timeline

ORDER = ("support", "oppose", "neutral")  # bottom to top
TOP_CHOICES = 40  # actors and topics offered in the "Show" list (the most active)


class TimelineChart(QWidget):
    """Stacked bars; emits period_clicked(index) or period_clicked(-1) (background)."""

    period_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("timeline_chart")
        self.setMouseTracking(True)
        self.setMinimumHeight(140)
        self.data: Timeline | None = None
        self.selected = -1
        self._bars: list[QRectF] = []

    def set_timeline(self, t: Timeline) -> None:
        """New counts; a selected period stays selected if it is still there."""
        old = self.data
        start = old.periods[self.selected] if old and 0 <= self.selected < len(old.periods) \
            else None
        self.data = t
        self.selected = t.periods.index(start) if start in t.periods and \
            (old is None or old.unit == t.unit) else -1
        self.update()

    def _plot(self) -> QRectF:
        m = QFontMetricsF(self.font())
        return QRectF(m.horizontalAdvance("00000") + 8, 8,
                      self.width() - m.horizontalAdvance("00000") - 16,
                      self.height() - 2 * m.height() - 12)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        painter = QPainter(self)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        text = pal.color(QPalette.ColorRole.Text)
        t = self.data
        self._bars = []
        if t is None or not t.periods:
            painter.setPen(text)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             "No dated stances in the filter")
            return
        plot = self._plot()
        metrics = QFontMetricsF(self.font())
        top = max(1, max(sum(c) for c in t.counts))
        grid = QColor(text)
        grid.setAlpha(50)
        painter.setPen(QPen(grid, 1))
        for frac in (0.25, 0.5, 0.75, 1.0):
            y = plot.bottom() - frac * plot.height()
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(text)
        for frac in (0.5, 1.0):
            y = plot.bottom() - frac * plot.height()
            painter.drawText(QRectF(0, y - metrics.height() / 2, plot.left() - 4,
                                    metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{round(top * frac):,}")
        n = len(t.periods)
        step = plot.width() / n
        gap = 1.0 if step > 3 else 0.0
        colours = [QColor(POLARITY_COLOURS[p]) for p in ORDER]
        for i, counts in enumerate(t.counts):
            x = plot.left() + i * step
            bar = QRectF(x, plot.top(), step, plot.height())
            self._bars.append(bar)
            if i == self.selected:
                hl = pal.color(QPalette.ColorRole.Highlight)
                hl.setAlpha(60)
                painter.fillRect(bar, hl)
            y = plot.bottom()
            for c, colour in zip(counts, colours, strict=True):
                h = c / top * plot.height()
                if h > 0:
                    painter.fillRect(QRectF(x + gap / 2, y - h, max(step - gap, 1.0), h), colour)
                    y -= h
        painter.setPen(text)
        label_w = metrics.horizontalAdvance("0000-W00") + 8
        every = max(1, int(label_w // max(step, 1e-6)) + 1)
        for i in range(0, n, every):
            label = period_label(t.periods[i], t.unit)
            x = min(plot.left() + i * step, self.width() - metrics.horizontalAdvance(label) - 2)
            painter.drawText(QPointF(x, plot.bottom() + metrics.ascent() + 4), label)
        legend_y = self.height() - 4
        x = plot.left()
        for name, colour in zip(ORDER, colours, strict=True):
            painter.fillRect(QRectF(x, legend_y - metrics.ascent() + 2, 10, 10), colour)
            painter.drawText(QPointF(x + 14, legend_y), name)
            x += 24 + metrics.horizontalAdvance(name)
        if t.undated:
            painter.drawText(QPointF(x + 12, legend_y), f"({t.undated:,} without a date)")

    def bar_at(self, pos: QPointF) -> int:
        for i, bar in enumerate(self._bars):
            if bar.left() <= pos.x() < bar.right() and bar.top() <= pos.y() <= bar.bottom():
                return i
        return -1

    def mouseMoveEvent(self, event: Any) -> None:  # noqa: N802
        i = self.bar_at(event.position())
        if i < 0 or self.data is None:
            QToolTip.hideText()
            return
        s, o, n = self.data.counts[i]
        first, last = self.data.bounds(i)
        QToolTip.showText(event.globalPosition().toPoint(),
                          f"<b>{period_label(first, self.data.unit)}</b> ({iso(first)} – "
                          f"{iso(last)})<br>support {s:,} · oppose {o:,} · neutral {n:,}", self)

    def mouseReleaseEvent(self, event: Any) -> None:  # noqa: N802
        i = self.bar_at(event.position())
        self.selected = -1 if i == self.selected else i
        self.update()
        self.period_clicked.emit(self.selected)


class TimelinePanel(QWidget):
    """Emits period(first_day, last_day) for a clicked period, or (0, 0) to let go."""

    period = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.data: Any = None
        self.holders: set[int] | None = None  # from a network click (the table's chips)
        self.topics: set[int] | None = None
        self.unit = QComboBox()
        self.unit.setObjectName("timeline_unit")
        for u in UNITS:
            self.unit.addItem(f"per {u}", u)
        self.unit.setCurrentIndex(1)
        self.show_ = QComboBox()
        self.show_.setObjectName("timeline_show")
        self.chart = TimelineChart()
        self.note = QLabel()
        row = QHBoxLayout()
        row.addWidget(QLabel("Stances"))
        row.addWidget(self.unit)
        row.addWidget(QLabel("of"))
        row.addWidget(self.show_, 1)
        row.addWidget(self.note)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addLayout(row)
        box.addWidget(self.chart, 1)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.show_.currentIndexChanged.connect(lambda *_: self.redraw())
        self.chart.period_clicked.connect(self._clicked)

    def set_data(self, data: Any, holders: set[int] | None = None,
                 topics: set[int] | None = None) -> None:
        self.data, self.holders, self.topics = data, holders, topics
        st = data.statements
        current = self.show_.currentData()
        self.show_.blockSignals(True)
        self.show_.clear()
        self.show_.addItem("all filtered stances", None)
        from collections import Counter

        for kind, column in (("actor", st.holder), ("topic", st.topic)):
            for rid, n in Counter(column).most_common(TOP_CHOICES):
                if rid and (kind, rid) in data.names:
                    self.show_.addItem(f"{kind}: {data.names[(kind, rid)][1]} ({n:,})",
                                       (kind, rid))
        self.show_.setCurrentIndex(max(self.show_.findData(current), 0))
        self.show_.blockSignals(False)
        self.redraw()

    def choose(self, unit: str | None = None, show: tuple[str, int] | None = None) -> None:
        if unit:
            self.unit.setCurrentIndex(self.unit.findData(unit))
        if show is not None:
            self.show_.setCurrentIndex(max(self.show_.findData(show), 0))

    def redraw(self) -> None:
        if self.data is None:
            return
        holders, topics = self.holders, self.topics
        pick = self.show_.currentData()
        if pick:
            kind, rid = pick
            if kind == "actor":
                holders = {rid} if holders is None else holders & {rid}
            else:
                topics = {rid} if topics is None else topics & {rid}
        t = timeline(self.data.statements, self.unit.currentData(), holders, topics, 0, OPEN_END)
        self.chart.set_timeline(t)
        self.note.setText(f"{t.total():,} dated")

    def _unit_changed(self, *_: Any) -> None:
        if self.chart.selected >= 0:  # a month is no year: let the period go
            self.chart.selected = -1
            self.period.emit(0, 0)
        self.redraw()

    def _clicked(self, i: int) -> None:
        t = self.chart.data
        if i < 0 or t is None:
            self.period.emit(0, 0)
            return
        first, last = t.bounds(i)
        self.period.emit(first, last)
