"""A flat table of records that each carry a uid: the Qt model plumbing written once
(row and column counts, header labels, the uid under UserRole, right-aligned number
columns), so a table model says only what its cells show (`cell`). The article list
and the inspector's annotation table are two of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class RowTableModel(QAbstractTableModel):
    columns: tuple[str, ...] = ()  # header labels, one per column
    right_aligned: frozenset[int] = frozenset()  # columns of numbers

    def records(self) -> Sequence[Any]:
        """The rows shown, in order; each has a `uid`."""
        raise NotImplementedError

    def cell(self, record: Any, column: int, role: int) -> Any:
        """What `record` shows in `column` for `role` (None: nothing)."""
        return None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.records())

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records()[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return record.uid
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.right_aligned:
            return RIGHT
        return self.cell(record, index.column(), role)
