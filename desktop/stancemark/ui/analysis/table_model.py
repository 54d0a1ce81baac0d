"""The lazy model behind the stance and mention tables (Anki's browser: ids, rows on demand).

The model knows how many rows match and fetches row ids a page at a time, and rows a
block at a time, only for what the view asks to draw. In the default order (as
tagged) a page is a short walk of a covering index; another sort order asks the store
for every id once (a sort of all matches) and pages through that list.

After a change record the model forgets the pages and the rows it names, and counts
again: one query, then the view asks again for the rows it shows.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from stancemark.core.codebook import Attribute
from stancemark.core.palette import POLARITY_COLOURS
from stancemark.core.stance_filter import StanceFilter
from stancemark.store import stance_query as q

if TYPE_CHECKING:
    from stancemark.store.repository import Repository

PAGE = 500  # ids per page
ROW_CACHE = 4_000  # rows kept (a few screens either way)


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    sort: str = ""  # the store's sort key; "" = not sortable
    tip: str = ""


def _date_text(r: Any) -> str:
    return r.date if not r.stance_date else r.stance_date


STANCE_COLUMNS: tuple[Column, ...] = (
    Column("Holder", lambda r: r.holder or "—", "holder", "The actor who takes the stance"),
    Column("Target", lambda r: r.target or "—", "target", "The topic (or actor) it is about"),
    Column("Polarity", lambda r: r.polarity, "polarity"),
    Column("Date", _date_text, "date",
           "The stance's own date, else (in grey) its article's date"),
    Column("Article", lambda r: r.title, "title"),
    Column("Published", lambda r: r.published, "published", "The article's date"),
    Column("Quote", lambda r: " ".join(r.quote.split()), "quote"),
    Column("Annotator", lambda r: r.annotator, "annotator"),
)
MENTION_COLUMNS: tuple[Column, ...] = (
    Column("Actor", lambda r: r.actor or "—", "actor", "The register entry the text is linked to"),
    Column("Kind", lambda r: r.actor_kind),
    Column("Quote", lambda r: " ".join(r.quote.split()), "quote", "The text as tagged"),
    Column("Article", lambda r: r.title, "title"),
    Column("Published", lambda r: r.published, "published"),
    Column("Annotator", lambda r: r.annotator, "annotator"),
)


def attribute_column(attr: Attribute) -> Column:
    """A column of a codebook attribute of stances: its values as the codebook shows
    them (vocabulary names, yes/no)."""
    return Column(attr.name, lambda r: attr.show(r.attributes[attr.uid])
                  if attr.uid in r.attributes else "", "",
                  attr.description or f"Codebook attribute “{attr.name}” ({attr.type})")


class LazyTableModel(QAbstractTableModel):
    """Stances (kind "stance") or actor mentions (kind "actor") matching a filter."""

    def __init__(self, repo: Repository, kind: str = "stance", parent: QObject | None = None):
        super().__init__(parent)
        self.repo = repo
        self.kind = kind
        self.base_columns = STANCE_COLUMNS if kind == "stance" else MENTION_COLUMNS
        self.columns: list[Column] = list(self.base_columns)
        self._attributes: tuple[Attribute, ...] = ()
        self.filter = StanceFilter()
        self.sort_key = ""
        self.descending = False
        self.total = 0
        self._all: array | None = None  # every id, when sorted by something else than "as tagged"
        self._pages: dict[int, array] = {}
        self._rows: OrderedDict[int, Any] = OrderedDict()
        self._fetch = q.stance_rows if kind == "stance" else q.mention_rows

    # ------------------------------------------------------------------ loading
    def set_filter(self, f: StanceFilter, sort: str | None = None,
                   descending: bool | None = None) -> None:
        """Show the rows matching `f` (raises StancemarkError on a bad filter, keeping
        what is shown)."""
        sort = self.sort_key if sort is None else sort
        descending = self.descending if descending is None else descending
        total = q.count(self.repo, f, self.kind)
        everything = q.ids(self.repo, f, self.kind, sort, descending) if sort else None
        self.beginResetModel()
        self.filter, self.sort_key, self.descending = f, sort, descending
        self.total = total if everything is None else len(everything)
        self._all = everything
        self._pages.clear()
        self._rows.clear()
        self.endResetModel()

    def attributes(self) -> tuple[Attribute, ...]:
        return self._attributes

    def set_attributes(self, attributes: Iterable[Attribute]) -> None:
        """A column per codebook attribute of stances, after the stance's own."""
        self._attributes = tuple(attributes)
        self.beginResetModel()
        self.columns = [*self.base_columns[:4], *map(attribute_column, self._attributes),
                        *self.base_columns[4:]] if self.kind == "stance" else list(
            self.base_columns)
        self.endResetModel()

    def refresh(self, changed_ids: Iterable[int] = ()) -> None:
        """After a change: count again, forget the pages and the rows named, and tell
        the view (rows added or removed at the end, every shown row to be read again)."""
        for i in changed_ids:
            self._rows.pop(i, None)
        total = q.count(self.repo, self.filter, self.kind)
        everything = (q.ids(self.repo, self.filter, self.kind, self.sort_key, self.descending)
                      if self.sort_key else None)
        old, new = self.total, total if everything is None else len(everything)
        if new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
        elif new < old:
            self.beginRemoveRows(QModelIndex(), new, old - 1)
        self.total, self._all = new, everything
        self._pages.clear()
        if new > old:
            self.endInsertRows()
        elif new < old:
            self.endRemoveRows()
        if new:
            self.dataChanged.emit(self.index(0, 0), self.index(new - 1, len(self.columns) - 1))

    def forget_rows(self) -> None:
        """Names changed (a register edit): every row is read again when drawn."""
        self._rows.clear()
        if self.total:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.total - 1, len(self.columns) - 1))

    def id_at(self, row: int) -> int | None:
        if not 0 <= row < self.total:
            return None
        if self._all is not None:
            return self._all[row]
        page, at = divmod(row, PAGE)
        ids = self._pages.get(page)
        if ids is None:
            ids = self._pages[page] = q.ids(self.repo, self.filter, self.kind, "", False,
                                            page * PAGE, PAGE)
        return ids[at] if at < len(ids) else None

    def ids_of_rows(self, rows: Iterable[int]) -> list[int]:
        out = []
        for r in sorted(set(rows)):
            i = self.id_at(r)
            if i is not None:
                out.append(i)
        return out

    def row_at(self, row: int) -> Any:
        rid = self.id_at(row)
        if rid is None:
            return None
        got = self._rows.get(rid)
        if got is not None:
            self._rows.move_to_end(rid)
            return got
        # fetch the block around this row: the view draws its neighbours next
        start = row - row % 100
        ids = [i for i in (self.id_at(r) for r in range(start, min(start + 100, self.total)))
               if i is not None and i not in self._rows]
        for r in self._fetch(self.repo, ids):
            self._rows[r.id] = r
        while len(self._rows) > ROW_CACHE:
            self._rows.popitem(last=False)
        return self._rows.get(rid)

    def row_of_id(self, rid: int) -> int | None:
        """The table row of an id among the loaded ones (None if not loaded)."""
        if self._all is not None:
            try:
                return self._all.index(rid)
            except ValueError:
                return None
        for page, ids in self._pages.items():
            if rid in ids:
                return page * PAGE + ids.index(rid)
        return None

    # ---------------------------------------------------------------- Qt model
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tip or None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = self.columns[index.column()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole):
            return None
        r = self.row_at(index.row())
        if r is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return col.value(r)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col.title == "Polarity":
                return QColor(POLARITY_COLOURS.get(r.polarity, "#999999"))
            if col.title == "Date" and not r.stance_date:
                return QColor("#999999")
            return None
        if col.title == "Quote":
            return r.quote
        if self.kind == "stance" and col.title in ("Holder", "Target") and r.note:
            return f"Note: {r.note}"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column < 0:  # no sort indicator: as tagged
            if self.sort_key:
                self.set_filter(self.filter, "", False)
            return
        if column >= len(self.columns) or not self.columns[column].sort:
            return
        key = self.columns[column].sort
        descending = order == Qt.SortOrder.DescendingOrder
        if key == "created":
            key = ""
        self.set_filter(self.filter, key, descending)
