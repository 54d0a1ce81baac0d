"""Two-line cells for the article list: the title wraps onto a second line before it is
cut (an ellipsis only after two lines), and the date carries the source under it, so at
the default list width a title shows some 55 characters instead of 15."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

SECOND_LINE_ROLE = Qt.ItemDataRole.UserRole + 1  # the grey line under a cell's text
LINES = 2


def wrap(text: str, font: QFont, width: int, lines: int = LINES) -> list[str]:
    """`text` laid out in at most `lines` lines of `width` pixels, the last one elided."""
    if width <= 0 or not text:
        return [text] if text else []
    metrics = QFontMetrics(font)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    out: list[str] = []
    layout.beginLayout()
    while len(out) < lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        start, length = line.textStart(), line.textLength()
        if len(out) == lines - 1:  # the last line takes the rest, elided
            out.append(metrics.elidedText(text[start:].strip(), Qt.TextElideMode.ElideRight,
                                          width))
            break
        out.append(text[start:start + length].rstrip())
    layout.endLayout()
    return out


class TwoLineDelegate(QStyledItemDelegate):
    """Paints a cell's text wrapped over two lines (`wrap_text`), or its text on line one
    and SECOND_LINE_ROLE in a muted colour on line two."""

    def __init__(self, wrap_text: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.wrap_text = wrap_text

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), option.fontMetrics.lineSpacing() * LINES + 6)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""  # the style draws the background and selection, we draw the text
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect.adjusted(4, 3, -4, -3)
        metrics = opt.fontMetrics
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active \
            else QPalette.ColorGroup.Inactive
        main = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected
                                 else QPalette.ColorRole.Text)
        muted = opt.palette.color(group, QPalette.ColorRole.PlaceholderText)
        if self.wrap_text:
            lines = [(line, main) for line in wrap(text, opt.font, rect.width())]
        else:
            second = index.data(SECOND_LINE_ROLE) or ""
            lines = [(metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()), main),
                     (metrics.elidedText(second, Qt.TextElideMode.ElideRight, rect.width()),
                      main if selected else muted)]
        painter.save()
        painter.setFont(opt.font)
        y = rect.top() + metrics.ascent()
        for line, colour in lines:
            painter.setPen(colour)
            painter.drawText(rect.left(), y, line)
            y += metrics.lineSpacing()
        painter.restore()
