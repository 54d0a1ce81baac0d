"""The article list: a lazily paged table model, a full-text search box and a status filter.

Rows come from repo.list_articles(offset, limit) one page at a time as the view
scrolls (canFetchMore/fetchMore), so a store of 100,000 articles opens at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.changes import ChangeBus
from stancemark.core.errors import StancemarkError
from stancemark.core.model import STATUSES, Annotator, ArticleRow, Change
from stancemark.core.palette import POLARITY_COLOURS
from stancemark.ui.article.two_line import LINES, SECOND_LINE_ROLE, TwoLineDelegate
from stancemark.ui.widgets.activation_repaint import skip_activation_repaints
from stancemark.ui.widgets.row_model import RowTableModel

PAGE = 200
# The source is the date cell's second line (two_line.py) and the status an icon beside
# the tag count: the title gets their width and wraps over two lines before it is cut.
COLUMNS = ("Title", "Date", "Tags")
COUNT_COLUMN = STATUS_COLUMN = COLUMNS.index("Tags")
# How a change of each kind moves an annotator's tag count.
COUNT_DELTA = {"add": 1, "restore": 1, "remove": -1, "delete": -1}
STATUS_COLOURS = {"new": None, "in progress": POLARITY_COLOURS["neutral"],
                  "done": POLARITY_COLOURS["support"]}


class ArticleRows(Protocol):
    """What the list reads from the store (Repository has it): pages of rows, counted
    and tagged for the current annotator."""

    @property
    def annotator(self) -> Annotator: ...

    def count_articles(self, query: str | None = None, status: str | None = None) -> int: ...
    def list_articles(self, query: str | None = None, status: str | None = None,
                      offset: int = 0, limit: int = -1) -> list[ArticleRow]: ...


class ArticleListModel(RowTableModel):
    columns = COLUMNS
    right_aligned = frozenset({COUNT_COLUMN})

    def __init__(self, repo: ArticleRows, parent: QObject | None = None):
        super().__init__(parent)
        self.repo = repo
        self.query: str | None = None
        self.status: str | None = None
        self.rows: list[ArticleRow] = []
        self.total = 0
        self.error: str | None = None
        self._row_of: dict[str, int] = {}

    def reload(self) -> None:
        self.beginResetModel()
        self.rows = []
        self._row_of = {}
        self.error = None
        try:
            self.total = self.repo.count_articles(self.query, self.status)
        except StancemarkError as exc:
            self.total = 0
            self.error = str(exc)
        self._fetch(PAGE)
        self.endResetModel()

    def set_filter(self, query: str | None, status: str | None) -> None:
        self.query = query or None
        self.status = status or None
        self.reload()

    def _fetch(self, n: int) -> list[ArticleRow]:
        if self.total == 0 or len(self.rows) >= self.total:
            return []
        try:
            page = self.repo.list_articles(self.query, self.status, offset=len(self.rows), limit=n)
        except StancemarkError as exc:
            self.error = str(exc)
            return []
        for i, r in enumerate(page, start=len(self.rows)):
            self._row_of[r.uid] = i
        self.rows.extend(page)
        if not page:  # the store shrank underneath us
            self.total = len(self.rows)
        return page

    # Qt model API
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: N802, B008
        if parent.isValid():
            return
        n = min(PAGE, self.total - len(self.rows))
        if n <= 0:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + n - 1)
        got = self._fetch(n)
        if len(got) < n:  # keep the announced count honest
            del self.rows[len(self.rows):]
        self.endInsertRows()

    def records(self) -> list[ArticleRow]:
        return self.rows

    def cell(self, r: ArticleRow, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (r.title or "(untitled)", r.published, r.annotation_count or "")[col]
        if role == Qt.ItemDataRole.DecorationRole and col == STATUS_COLUMN:
            return status_icon(r.status)
        if role == SECOND_LINE_ROLE and col == 1:
            return r.source
        if role == Qt.ItemDataRole.ToolTipRole and col == STATUS_COLUMN:
            return f"{r.annotation_count} tag(s) of yours · {r.status}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (r.title, " · ".join(y for y in (r.published, r.source)
                                                                 if y), r.status) if x)
        return None

    # helpers for the window
    def row_of(self, uid: str) -> int | None:
        return self._row_of.get(uid)

    def uid_at(self, row: int) -> str | None:
        while row >= len(self.rows) and self.canFetchMore():
            self.fetchMore()
        return self.rows[row].uid if 0 <= row < len(self.rows) else None

    def update_row(self, uid: str, count_delta: int = 0, status: str | None = None) -> None:
        row = self._row_of.get(uid)
        if row is None:
            return
        r = self.rows[row]
        self.rows[row] = replace(r, annotation_count=max(0, r.annotation_count + count_delta),
                                 status=status or r.status)
        # Only the cells that changed: a tag repaints one count, not the list or the row.
        first = COUNT_COLUMN if count_delta else STATUS_COLUMN
        last = STATUS_COLUMN if status and status != r.status else COUNT_COLUMN
        if count_delta or last == STATUS_COLUMN:
            self.dataChanged.emit(self.index(row, first), self.index(row, last))


ICON = 12
_ICONS: dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """new: an empty ring; in progress: a half-filled disc; done: a filled disc with a
    tick, in the status colours (the word is in the tooltip and the filter)."""
    icon = _ICONS.get(status)
    if icon is None:
        size = ICON * 2  # drawn at twice the size: crisp on high-density screens
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(STATUS_COLOURS.get(status) or "#888888")
        p.setPen(QPen(colour, 2.5))
        box = pix.rect().adjusted(2, 2, -2, -2)
        if status == "done":
            p.setBrush(colour)
            p.drawEllipse(box)
            p.setPen(QPen(QColor("white"), 3))
            p.drawPolyline([QPointF(size * 0.28, size * 0.52), QPointF(size * 0.44, size * 0.68),
                            QPointF(size * 0.72, size * 0.34)])
        elif status == "in progress":
            p.drawEllipse(box)
            p.setBrush(colour)
            p.drawPie(box, 90 * 16, 180 * 16)
        else:
            p.drawEllipse(box)
        p.end()
        icon = _ICONS[status] = QIcon(pix)
    return icon


class ArticleList(QWidget):
    """Search box, status filter and the lazily filled table. Subscribed to the change
    bus: a tag moves its article's count and status cells, a reload re-reads the list."""

    article_chosen = Signal(str)

    def __init__(self, repo: ArticleRows, bus: ChangeBus | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.repo = repo
        self.model = ArticleListModel(repo, self)
        self.search = QLineEdit(placeholderText="Search articles (full text)…", clearButtonEnabled=True)
        self.status = QComboBox()
        self.status.addItem("All", "")
        for s in STATUSES:
            self.status.addItem(s.capitalize(), s)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        # two lines a row: the title wraps before it is cut, the source sits under the date
        self.view.verticalHeader().setDefaultSectionSize(
            self.fontMetrics().lineSpacing() * LINES + 6)
        self.view.setItemDelegateForColumn(0, TwoLineDelegate(True, self.view))
        self.view.setItemDelegateForColumn(1, TwoLineDelegate(False, self.view))
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        skip_activation_repaints(self.view)  # each tag popup (de)activates the window
        h = self.view.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        fm = self.fontMetrics()
        h.resizeSection(1, fm.horizontalAdvance("0000-00-00") + 14)
        h.resizeSection(2, fm.horizontalAdvance("0000") + ICON + 16)
        self.view.setIconSize(QSize(ICON, ICON))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.empty = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty.setContentsMargins(12, 12, 12, 12)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.count)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self._quiet = False
        if bus is not None:
            bus.subscribe(self.store_changed)

    def store_changed(self, change: Change, _initiator: object = None) -> None:
        """Counts and statuses are the current annotator's: only their tags move them."""
        if change.action == "reload" or change.entity == "article":
            # an article added, edited (title, date ...), trashed or restored: rows move
            self.reload(keep_uid=self.current_uid())
            return
        me = self.repo.annotator.uid
        delta = COUNT_DELTA.get(change.action, 0)
        if delta:
            for a in (*change.annotations, *change.removed):
                if a.annotator_uid == me:
                    self.model.update_row(a.article_uid, delta)
        for article_uid, annotator_uid, status in change.statuses:
            if annotator_uid == me:
                self.model.update_row(article_uid, status=status)

    def current_uid(self) -> str | None:
        index = self.view.currentIndex()
        return self.model.rows[index.row()].uid if index.isValid() else None

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.search.text().strip(), self.status.currentData())
        self.refresh_labels()

    def reload(self, keep_uid: str | None = None) -> None:
        """Read the rows again; `keep_uid` stays selected, or when it is gone, the row
        where it was (without opening it: the window decides)."""
        row = self.model.row_of(keep_uid) if keep_uid else None
        self.model.reload()
        self.refresh_labels()
        if keep_uid and not self.select_uid(keep_uid, emit=False) and row is not None:
            uid = self.model.uid_at(min(row, max(self.model.total - 1, 0)))
            if uid:
                self.select_uid(uid, emit=False)

    def refresh_labels(self) -> None:
        m = self.model
        filtered = bool(m.query or m.status)
        if m.error:
            self.empty.setText(m.error)
        elif m.total == 0:
            self.empty.setText("No article matches." if filtered else
                               "No articles yet.\nFile ▸ Import… adds text, Markdown or JSONL files.")
        self.empty.setVisible(bool(m.error) or m.total == 0)
        self.count.setText(f"{m.total:,} article(s)" + (" match" if filtered else ""))

    def select_uid(self, uid: str, emit: bool = True) -> bool:
        row = self.model.row_of(uid)
        if row is None:
            return False
        self._quiet = not emit
        try:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        finally:
            self._quiet = False
        return True

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            self.article_chosen.emit(self.model.rows[current.row()].uid)
