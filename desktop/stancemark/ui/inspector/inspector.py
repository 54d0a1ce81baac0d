"""The inspector: this article's annotations in a sortable table, an in-place editor for
the selected one, and the article's trash.

It never writes: it emits requests (edit, delete, restore) that the window turns
into undoable commands. Another annotator's annotations are shown read-only.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.changes import ChangeBus
from stancemark.core.dates import granularity_of, granularity_problem, is_iso_value
from stancemark.core.model import GRANULARITIES, POLARITIES, Annotation, Change
from stancemark.core.palette import KIND_COLOURS
from stancemark.store.annotation_spans import SpanRow
from stancemark.ui.registers.cache import RegisterCache, register_completer
from stancemark.ui.widgets.activation_repaint import skip_activation_repaints
from stancemark.ui.widgets.release_later import release_later
from stancemark.ui.widgets.row_model import RowTableModel

COLUMNS = ("Kind", "Quote", "What", "At")


def span_row(a: Annotation) -> SpanRow:
    return SpanRow(a.uid, a.kind, a.start, a.end, a.quote, a.annotator_uid, a.actor_uid,
                   a.polarity)


class AnnotationSource(Protocol):
    """What the inspector reads from the store (Repository has it): one annotation, and
    an article's trash."""

    def get_annotation(self, uid: str) -> Annotation | None: ...
    def trash(self, article_uid: str | None = None) -> list[Annotation]: ...


class AnnotationModel(RowTableModel):
    """Rows are light SpanRows (kind, span, quote); the full Annotation behind a row is
    fetched when it is shown or selected, so a 20,000-annotation article opens at once.
    Sorting happens here, on plain keys (a proxy model would call data() ~300,000 times)."""

    columns = COLUMNS
    right_aligned = frozenset({3})  # the paragraph

    def __init__(self, repo: AnnotationSource, cache: RegisterCache,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.repo = repo
        self.cache = cache
        self.items: list[SpanRow] = []
        self._uids: set[str] = set()
        self._rows: dict[str, int] | None = {}  # uid -> row, rebuilt when needed
        self._full: dict[str, Annotation] = {}
        # a kind's name and colour from the codebook (the window sets them)
        self.kind_name: Callable[[str], str] = lambda kind: kind
        self.kind_colour: Callable[[str], str] = lambda kind: KIND_COLOURS.get(kind, "#999999")
        self.sort_column, self.sort_order = 3, Qt.SortOrder.AscendingOrder
        # code point -> paragraph (0-based) of the open article, set by the window: the
        # "At" column reads "¶ 12", not a raw offset cut to "2986…".
        self.locate: Callable[[int], int | None] = lambda _cp: None

    def set_items(self, items: list[SpanRow]) -> None:
        # The previous article's rows are freed after the new one is painted.
        release_later(self.items, self._full, self._rows, self._uids)
        self.beginResetModel()
        self.items = list(items)
        self._full = {}
        self._sort_items()
        self.endResetModel()

    def _reindex(self) -> None:
        # Rebuilding uid -> row costs ~10 ms at 20,000 rows: do it on demand, not per tag.
        self._uids = {a.uid for a in self.items}
        self._rows = None

    def row_of(self, uid: str) -> int | None:
        if uid not in self._uids:
            return None
        if self._rows is None:
            self._rows = {a.uid: i for i, a in enumerate(self.items)}
        return self._rows.get(uid)

    def _what(self, uid: str) -> str:
        """The "What" column: what the annotation says ("" for one gone meanwhile)."""
        a = self.get(uid)
        return self.cache.summary(a) if a else ""

    def _where(self, start: int) -> str:
        block = self.locate(start)
        return f"¶ {block + 1}" if block is not None else str(start)

    def _key(self, column: int) -> Callable[[SpanRow], Any]:
        if column == 0:
            return lambda r: (r.kind, r.start)
        if column == 1:
            return lambda r: r.quote.casefold()
        if column == 2:
            return lambda r: self._what(r.uid).casefold()
        return lambda r: (r.start, r.end)

    def _sort_items(self) -> None:
        self.items.sort(key=self._key(self.sort_column),
                        reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self._reindex()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.sort_column, self.sort_order = column, order
        self._sort_items()
        self.layoutChanged.emit()

    def put(self, a: Annotation) -> None:
        self._full[a.uid] = a
        row = self.row_of(a.uid)
        if row is None:
            # keep the default order (by position) without re-sorting everything
            at = len(self.items)
            if self.sort_column == 3 and self.sort_order == Qt.SortOrder.AscendingOrder:
                at = bisect.bisect_right(self.items, (a.start, a.end), key=lambda r: (r.start, r.end))
            self.beginInsertRows(QModelIndex(), at, at)
            self.items.insert(at, span_row(a))
            self._uids.add(a.uid)
            self._rows = None
            self.endInsertRows()
        else:
            self.items[row] = span_row(a)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def drop(self, uid: str) -> None:
        self._full.pop(uid, None)
        row = self.row_of(uid)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.items[row]
        self._uids.discard(uid)
        self._rows = None
        self.endRemoveRows()

    def get(self, uid: str) -> Annotation | None:
        """The full annotation of a row (fetched once, then kept)."""
        a = self._full.get(uid)
        if a is None and uid in self._uids:
            a = self.repo.get_annotation(uid)
            if a is not None:
                self._full[uid] = a
        return a

    def forget_names(self) -> None:
        """Register names changed: redraw the "What" column."""
        if self.items:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self.items) - 1, 2))

    def records(self) -> list[SpanRow]:
        return self.items

    def cell(self, r: SpanRow, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 2:
                return self._what(r.uid)
            if col == 3:
                return self._where(r.start)
            return (self.kind_name(r.kind), r.quote, None, r.start)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return QColor(self.kind_colour(r.kind))
        if role == Qt.ItemDataRole.ToolTipRole:
            block = self.locate(r.start)
            where = f"paragraph {block + 1}, " if block is not None else ""
            return (f"{self.kind_name(r.kind)}: “{r.quote}” → {self._what(r.uid)}\n"
                    f"{where}characters {r.start}–{r.end}")
        return None


class AnnotationEditor(QWidget):
    """Fields of the selected annotation, editable in place; Apply (or Enter) saves."""

    edit_requested = Signal(str, dict)

    def __init__(self, cache: RegisterCache, parent: QWidget | None = None):
        super().__init__(parent)
        self.cache = cache
        self.current: Annotation | None = None
        self.kind_name: Callable[[str], str] = lambda kind: kind  # the codebook's name
        self.form = QFormLayout(self)
        self.form.setContentsMargins(4, 4, 4, 4)
        self.title = QLabel("Select an annotation to edit it.")
        self.title.setWordWrap(True)
        self.actor = QLineEdit()
        self.date_value = QLineEdit()
        self.granularity = QComboBox()
        self.granularity.addItems(list(GRANULARITIES))
        # The granularity follows the value as it is typed (save refuses a contradiction).
        self.date_value.textEdited.connect(self._follow_value)
        self.polarity = QComboBox()
        self.polarity.addItems(list(POLARITIES))
        self.holder = QLineEdit()
        self.target = QLineEdit()
        self.stance_date = QLineEdit()
        self.note = QLineEdit()
        self.target.setPlaceholderText("topic or actor (a new name creates a topic)")
        self.target_hint = QLabel()
        self.target_hint.setStyleSheet("color: gray")
        self.target.textChanged.connect(self._target_hint)
        self.apply = QPushButton("Apply")
        # the window connects it (ui/edit_actions.py): select new text, then this or Ctrl+B
        self.span_button = QPushButton("Set span to selection")
        self.span_button.setToolTip("Select the new boundaries in the text, then click "
                                    "(or press Ctrl+B)")
        self.apply.clicked.connect(self.submit)
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        self.form.addRow(self.title)
        self.rows: dict[str, tuple[str, QWidget]] = {
            "actor": ("Actor", self.actor), "date_value": ("ISO value", self.date_value),
            "granularity": ("Granularity", self.granularity),
            "polarity": ("Polarity", self.polarity), "holder": ("Holder", self.holder),
            "target": ("Target", self.target), "target_hint": ("", self.target_hint),
            "stance_date": ("Date", self.stance_date),
            "note": ("Note", self.note)}
        for label, w in self.rows.values():
            self.form.addRow(label + ":" if label else "", w)
            if isinstance(w, QLineEdit):
                w.returnPressed.connect(self.submit)
        self.form.addRow(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.span_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply)
        self.button_row = QWidget()
        self.button_row.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(self.button_row)
        self._completers_stale = True
        self.show_annotation(None, True)

    def refresh_completers(self) -> None:
        """The register changed, or another article opened: the name completers are made
        again when an annotation is next shown (at once if one is shown now). Their fields
        are hidden until then, and a register of 20,000 names takes a start-up or an
        article's opening some 40 ms to list."""
        self._completers_stale = True
        if self.current is not None:
            self._make_completers()

    def _make_completers(self) -> None:
        if not self._completers_stale:
            return
        self._completers_stale = False
        self.actor.setCompleter(register_completer(self.cache, self.actor))
        self.holder.setCompleter(register_completer(self.cache, self.holder))
        self.target.setCompleter(register_completer(self.cache, self.target, topics=True))

    def _follow_value(self, value: str) -> None:
        if is_iso_value(value.strip()):
            self.granularity.setCurrentText(granularity_of(value.strip()))

    def show_annotation(self, a: Annotation | None, editable: bool) -> None:
        self.current = a
        if a is not None:
            self._make_completers()
        self.error.clear()
        visible = {"actor": ("actor",), "date": ("date_value", "granularity"),
                   "stance": ("polarity", "holder", "target", "target_hint", "stance_date",
                              "note")}
        shown = visible.get(a.kind, ()) if a else ()
        for key, (_label, w) in self.rows.items():
            self.form.setRowVisible(w, key in shown)
            w.setEnabled(editable)
        self.form.setRowVisible(self.button_row, a is not None and editable)
        if a is None:
            self.title.setText("Select an annotation to edit it.")
            return
        who = "" if editable else " (another annotator's: read-only)"
        self.title.setText(f"<b>{self.kind_name(a.kind)}</b> “{a.quote}”{who}")
        self.actor.setText(self.cache.actor_name(a.actor_uid))
        self.date_value.setText(a.date_value or "")
        self.granularity.setCurrentText(a.date_granularity or "day")
        self.polarity.setCurrentText(a.polarity or "neutral")
        self.holder.setText(self.cache.actor_name(a.holder_uid))
        self.target.setText(self.cache.target_label(a))
        self.stance_date.setText(a.stance_date or "")
        self.note.setText(a.note or "")

    def changes(self) -> dict[str, Any] | str:
        """The edited fields that differ from the annotation, or why they are invalid."""
        a = self.current
        if a is None:
            return {}
        out: dict[str, Any] = {}
        if a.kind == "actor":
            actor = self.cache.actor_by_text(self.actor.text())
            if actor is None:
                return f"No actor called “{self.actor.text()}” (add it in Registers)."
            out["actor_uid"] = actor.uid
        elif a.kind == "date":
            v = self.date_value.text().strip()
            problem = granularity_problem(v, self.granularity.currentText())
            if problem:
                return problem
            out.update(date_value=v, date_granularity=self.granularity.currentText())
        else:
            holder = self.cache.actor_by_text(self.holder.text())
            if self.holder.text().strip() and holder is None:
                return f"No actor called “{self.holder.text()}”."
            target = self.target.text().strip()
            topic = next((t for t in self.cache.topics.values()
                          if t.name.casefold() == target.casefold()), None)
            actor = None if topic else self.cache.actor_by_text(target)
            if target and not topic and not actor:
                out["new_topic"] = target  # created with the edit, one undo step
            d = self.stance_date.text().strip()
            if d and not is_iso_value(d):
                return f"“{d}” is not an ISO 8601 date."
            out.update(polarity=self.polarity.currentText(),
                       holder_uid=holder.uid if holder else None,
                       target_topic_uid=topic.uid if topic else None,
                       target_actor_uid=actor.uid if actor else None,
                       stance_date=d or None, note=self.note.text().strip())
        return {k: v for k, v in out.items() if k == "new_topic" or getattr(a, k) != v}

    def _target_hint(self) -> None:
        text = self.target.text().strip()
        low = text.casefold()
        if not text:
            hint = ""
        elif any(t.name.casefold() == low for t in self.cache.topics.values()):
            hint = "topic"
        elif self.cache.actor_by_text(text):
            hint = "actor"
        else:
            hint = "a new topic will be created"
        self.target_hint.setText(hint)

    def submit(self) -> None:
        if self.current is None:
            return
        result = self.changes()
        if isinstance(result, str):
            self.error.setText(result)
            return
        self.error.clear()
        if result:
            self.edit_requested.emit(self.current.uid, result)


class Inspector(QTabWidget):
    """Tabs: Annotations (table + editor) and Trash."""

    annotation_selected = Signal(str)
    edit_requested = Signal(str, dict)
    delete_requested = Signal(list)
    restore_requested = Signal(str)
    show_all_changed = Signal(bool)

    def __init__(self, repo: AnnotationSource, cache: RegisterCache, bus: ChangeBus | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.repo = repo
        self.cache = cache
        self.me = ""
        self.article_uid: str | None = None
        self.annotators: frozenset[str] | None = None  # whose rows it lists (None: all)
        self.trash_dirty = True
        self.model = AnnotationModel(repo, cache, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(3, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        skip_activation_repaints(self.table)  # each tag popup (de)activates the window
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        h.resizeSection(0, 70)
        # "¶ 1234" whole, with room for the sort arrow
        h.resizeSection(3, self.table.fontMetrics().horizontalAdvance("¶ 0000") + 28)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        # right-click: "Colour of China" for each actor the row names (set by the window)
        self.actor_menu: Callable[[str], QMenu | None] = lambda _uid: None
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(
            lambda pos: self._popup(self.context_menu(pos), pos))
        # Only while the table has the focus: as window shortcuts (Qt's default), Del and
        # Backspace in the article text (where Backspace rejects a suggestion) trashed
        # whatever rows were selected here.
        for keys in (QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)):
            shortcut = QShortcut(keys, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.delete_selected)
        self.show_all = QCheckBox("Show other annotators (read-only)")
        self.show_all.toggled.connect(self.show_all_changed)
        self.empty = QLabel("No annotations yet. Select text and press A (actor), "
                            "D (date) or S (stance).")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: gray")
        self.editor = AnnotationEditor(cache)
        self.editor.edit_requested.connect(self.edit_requested)
        del_btn = QPushButton("Move to trash (Del)")
        del_btn.clicked.connect(self.delete_selected)
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(2, 2, 2, 2)
        v.addWidget(self.show_all)
        v.addWidget(self.table, 3)
        v.addWidget(self.empty)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(del_btn)
        v.addLayout(row)
        v.addWidget(self.editor, 0)
        self.addTab(page, "Annotations")

        self.trash = QListWidget()
        restore = QPushButton("Restore selected")
        restore.clicked.connect(self.restore_selected)
        self.trash.itemDoubleClicked.connect(lambda _i: self.restore_selected())
        tpage = QWidget()
        tv = QVBoxLayout(tpage)
        tv.setContentsMargins(2, 2, 2, 2)
        tv.addWidget(QLabel("Deleted annotations of this article:"))
        tv.addWidget(self.trash, 1)
        tv.addWidget(restore)
        self.addTab(tpage, "Trash")
        self.currentChanged.connect(self._tab_changed)
        if bus is not None:
            bus.subscribe(self.store_changed)

    def context_menu(self, pos: QPoint) -> QMenu | None:
        """The menu of the row at `pos` (viewport coordinates): a submenu with the colour
        of each actor it names (a mention's actor, a stance's holder and target)."""
        index = self.table.indexAt(pos)
        a = self.model.get(self.model.items[index.row()].uid) if index.isValid() else None
        if a is None:
            return None
        menu = QMenu(self.table)
        for uid in dict.fromkeys(u for u in (a.actor_uid, a.holder_uid, a.target_actor_uid) if u):
            sub = self.actor_menu(uid)
            if sub is not None:
                sub.setTitle(sub.title() + "…")
                menu.addMenu(sub)
        return menu if menu.actions() else None

    def _popup(self, menu: QMenu | None, pos: QPoint) -> None:
        if menu is not None:
            menu.popup(self.table.viewport().mapToGlobal(pos))

    # ------------------------------------------------------------------- data
    def set_annotations(self, items: list[SpanRow], me: str, article_uid: str | None = None,
                        annotators: Iterable[str] | None = None) -> None:
        """List `items`, the annotations of `annotators` (None: everyone's) in the
        article `article_uid`; `me` may edit their own."""
        self.me = me
        self.article_uid = article_uid
        self.annotators = frozenset(annotators) if annotators is not None else None
        self.model.set_items(items)
        self.editor.refresh_completers()
        self.editor.show_annotation(None, True)
        self._update_empty()

    def put(self, a: Annotation) -> None:
        self.model.put(a)
        if self.editor.current and self.editor.current.uid == a.uid:
            self.editor.show_annotation(a, a.annotator_uid == self.me)
        self._update_empty()

    def drop(self, uid: str) -> None:
        self.model.drop(uid)
        if self.editor.current and self.editor.current.uid == uid:
            self.editor.show_annotation(None, True)
        self._update_empty()

    def store_changed(self, change: Change, _initiator: object = None) -> None:
        """Rows of this article's annotations a change names; register names after a
        register change (the cache, subscribed first, is fresh by now)."""
        if change.entity in ("actor", "topic"):
            self.editor.refresh_completers()
            self.model.forget_names()  # names in the "What" column
            return
        if change.entity != "annotation" or self.article_uid is None:
            return
        here = self.article_uid
        for a in change.removed:
            if a.article_uid == here:
                self.drop(a.uid)
        for a in change.annotations:
            if a.article_uid != here:
                continue
            if a.deleted_at is None and (self.annotators is None or a.annotator_uid in self.annotators):
                self.put(a)
            else:
                self.drop(a.uid)
        if change.action in ("delete", "restore") and here in change.article_uids:
            self.refresh_trash()

    def _tab_changed(self, index: int) -> None:
        if index == 1 and self.trash_dirty:
            self.refresh_trash(force=True)

    def refresh_trash(self, force: bool = False) -> None:
        """My deleted annotations of this article, read only when the Trash tab is shown
        (it costs a query on big stores)."""
        if not force and self.currentIndex() != 1:
            self.trash_dirty = True
            return
        self.trash_dirty = False
        uid = self.article_uid
        self.set_trash([a for a in self.repo.trash(uid) if a.annotator_uid == self.me]
                       if uid else [])

    def set_trash(self, items: list[Annotation]) -> None:
        self.trash.clear()
        for a in items:
            item = QListWidgetItem(f"{a.kind}: “{a.quote}” — {self.cache.summary(a)}")
            item.setData(Qt.ItemDataRole.UserRole, a.uid)
            self.trash.addItem(item)
        self.setTabText(1, f"Trash ({len(items)})" if items else "Trash")

    def _update_empty(self) -> None:
        self.empty.setVisible(not self.model.items)

    # -------------------------------------------------------------- selection
    def select(self, uid: str) -> None:
        row = self.model.row_of(uid)
        if row is None:
            return
        self.setCurrentIndex(0)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def selected_uids(self) -> list[str]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        return [self.model.items[r].uid for r in sorted(rows)]

    def _row_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        if not current.isValid():
            return
        uid = current.data(Qt.ItemDataRole.UserRole)
        a = self.model.get(uid)
        self.editor.show_annotation(a, a is not None and a.annotator_uid == self.me)
        self.annotation_selected.emit(uid)

    def delete_selected(self) -> None:
        mine = {r.uid for r in self.model.items if r.annotator_uid == self.me}
        uids = [u for u in self.selected_uids() if u in mine]
        if uids:
            self.delete_requested.emit(uids)

    def restore_selected(self) -> None:
        item = self.trash.currentItem()
        if item is not None:
            self.restore_requested.emit(item.data(Qt.ItemDataRole.UserRole))
