"""The Registers panel: edit actors and topics, merge actors (the user picks the one
kept), add the selected text as an alias; a search box over names, aliases and
countries, and how many live annotations use each entry (read when the panel is shown,
refreshed a moment after edits while it stays open).

Register edits are core.register_commands run through the session (so each is one
committed transaction AND one named step on the undo stack); the panel redraws from
the change records on the bus (its own edits, undos and redos alike), and recounts
after annotation changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.model import ACTOR_KINDS, Change
from stancemark.core.register_commands import (
    AddActor,
    AddAlias,
    AddTopic,
    MergeActors,
    SoftDeleteActor,
    SoftDeleteTopic,
    UpdateActor,
    UpdateTopic,
)
from stancemark.store import register_edits
from stancemark.ui.registers.actor_colour import colour_menu, swatch
from stancemark.ui.registers.cache import RegisterCache
from stancemark.ui.registers.dialogs import AddActorDialog, MergeDialog

if TYPE_CHECKING:
    from stancemark.core.commands import Command
    from stancemark.ui.window.session import Session

ACTOR_COLUMNS = ["Name", "Kind", "Country", "Aliases (; separated)", "Mentions"]
MENTIONS = ACTOR_COLUMNS.index("Mentions")
TOPIC_COLUMNS = ["Topic", "Description", "Stances"]


def _count_item(n: int, tip: str) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.DisplayRole, n)  # an int: sorts as a number
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    item.setToolTip(tip)
    return item


def _buttons_beside(table: QTableWidget, buttons: list[QPushButton]) -> QWidget:
    """The table with its buttons in a column on its right: the panel needs few rows of
    height, so the article above keeps its room."""
    page = QWidget()
    row = QHBoxLayout(page)
    row.setContentsMargins(2, 2, 2, 2)
    row.addWidget(table, 1)
    column = QVBoxLayout()
    for b in buttons:
        column.addWidget(b)
    column.addStretch(1)
    row.addLayout(column)
    return page


class KindDelegate(QStyledItemDelegate):
    """The actor kind column: a combo box of the kinds, opened when the cell is edited
    (double-click, F2 or typing) and committed as soon as a kind is chosen."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(list(ACTOR_KINDS))

        def chosen() -> None:
            self.commitData.emit(combo)
            self.closeEditor.emit(combo)

        combo.activated.connect(chosen)
        return combo

    def setEditorData(self, editor: QWidget,  # noqa: N802
                      index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data() or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox) and editor.currentText() != index.data():
            model.setData(index, editor.currentText())


class RegistersPanel(QTabWidget):
    """Two tabs: Actors and Topics. Edits run as commands through the session (each one
    committed transaction and one named step on the undo stack); the tables redraw from
    the change records on the bus."""

    def __init__(self, session: Session, cache: RegisterCache,
                 selected_text: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.repo = session.repo
        self.cache = cache
        self.selected_text = selected_text
        self._loading = False
        self.counts: tuple[dict[str, tuple[int, int]], dict[str, int]] | None = None
        self._recount = QTimer(self, singleShot=True, interval=800)
        self._recount.timeout.connect(self.refresh_counts)

        self.actors = QTableWidget(0, len(ACTOR_COLUMNS))
        self.actors.setHorizontalHeaderLabels(ACTOR_COLUMNS)
        self.actors.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actors.setSortingEnabled(True)
        self.actors.verticalHeader().hide()
        self.actors.setMinimumHeight(90)
        self.actors.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.actors.itemChanged.connect(self._actor_edited)
        self.actors.setItemDelegateForColumn(1, KindDelegate(self.actors))
        add = QPushButton("Add actor…")
        add.clicked.connect(self.add_actor)
        self.merge_button = QPushButton("Merge selected…")
        self.merge_button.setToolTip("Select two or more actors, then choose the one to keep "
                                     "(the others' mentions move to it, their names become "
                                     "its aliases)")
        self.merge_button.clicked.connect(self.merge_selected)
        self.merge_button.setEnabled(False)
        alias = QPushButton("Add selected text as alias")
        alias.clicked.connect(self.add_selection_as_alias)
        trash = QPushButton("Move to trash")
        trash.setToolTip("Move the selected actor(s) to the trash (File ▸ Trash… restores)")
        trash.clicked.connect(self.trash_selected_actors)
        self.colour_button = QPushButton("Colour…")
        self.colour_button.setToolTip("The colour of the selected actor's mentions in the "
                                      "article (Automatic: a tint apart from its neighbours)")
        self.colour_button.clicked.connect(self._colour_clicked)
        self.colour_button.setEnabled(False)
        self.actors.itemSelectionChanged.connect(self._actor_selection_changed)
        self.actors.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.actors.customContextMenuRequested.connect(self._actor_context_menu)
        self.addTab(_buttons_beside(self.actors, [add, self.merge_button, alias,
                                                  self.colour_button, trash]), "Actors")

        self.topics = QTableWidget(0, len(TOPIC_COLUMNS))
        self.topics.setHorizontalHeaderLabels(TOPIC_COLUMNS)
        self.topics.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.topics.setSortingEnabled(True)
        self.topics.verticalHeader().hide()
        self.topics.setMinimumHeight(90)
        self.topics.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.topics.itemChanged.connect(self._topic_edited)
        add_t = QPushButton("Add topic…")
        add_t.clicked.connect(self.add_topic)
        trash_t = QPushButton("Move to trash")
        trash_t.clicked.connect(self.trash_selected_topics)
        self.addTab(_buttons_beside(self.topics, [add_t, trash_t]), "Topics")

        self.search = QLineEdit(placeholderText="Search names, aliases, countries…",
                                clearButtonEnabled=True)
        self.search.setMinimumWidth(280)
        self.search.textChanged.connect(self.apply_search)
        # In a holder with a layout: QTabWidget places a corner widget by its size hint,
        # which for a bare line edit ignores the minimum width (it ran off the panel).
        corner = QWidget()
        holder = QHBoxLayout(corner)
        holder.setContentsMargins(0, 0, 2, 2)
        holder.addWidget(self.search)
        self.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        # The tables are filled when the panel is first shown (its dock starts hidden):
        # 5,000 actors' rows took a quarter of a second of every start.
        self._stale = True
        session.bus.subscribe(self.store_changed)

    # ------------------------------------------------------------------ views
    def reload(self) -> None:
        self._stale = False
        self._loading = True
        try:
            self.actors.setSortingEnabled(False)
            actors = list(self.cache.actors.values())
            self.actors.setRowCount(len(actors))
            for row, a in enumerate(actors):
                name = QTableWidgetItem(a.name)
                name.setData(Qt.ItemDataRole.UserRole, a.uid)
                if a.colour:  # the colour the user chose; none: automatic
                    name.setIcon(swatch(a.colour))
                    name.setToolTip(f"Colour {a.colour} (Colour… to change)")
                self.actors.setItem(row, 0, name)
                self.actors.setItem(row, 2, QTableWidgetItem(a.country))
                self.actors.setItem(row, 3, QTableWidgetItem("; ".join(a.aliases)))
                # The kind is chosen in a combo box the delegate opens on edit: a combo
                # per row (a widget each) took 3 s to build for a register of 5,000.
                self.actors.setItem(row, 1, QTableWidgetItem(a.kind))
                self.actors.setItem(row, MENTIONS, _count_item(0, ""))
            self.actors.setSortingEnabled(True)
            self.actors.sortItems(0)
            self.actors.resizeColumnToContents(0)
            # The kind is edited in a combo box: size the column for the longest kind
            # ("organisation") and the combo's arrow, so the editor covers it whole.
            probe = QComboBox()
            probe.addItems(list(ACTOR_KINDS))
            self.actors.setColumnWidth(1, probe.sizeHint().width() + 4)
            self.topics.setSortingEnabled(False)
            topics = list(self.cache.topics.values())
            self.topics.setRowCount(len(topics))
            for row, t in enumerate(topics):
                item = QTableWidgetItem(t.name)
                item.setData(Qt.ItemDataRole.UserRole, t.uid)
                self.topics.setItem(row, 0, item)
                self.topics.setItem(row, 1, QTableWidgetItem(t.description))
                self.topics.setItem(row, 2, _count_item(0, ""))
            self.topics.setSortingEnabled(True)
            self.topics.resizeColumnToContents(0)
        finally:
            self._loading = False
        self.counts = None  # the rows are new: fill their counts
        if self.isVisible():
            self.refresh_counts()
        self.apply_search(self.search.text())

    # ------------------------------------------------------------ counts, search
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:  # filled when first seen, and again after changes made meanwhile
            self.reload()
        if self.counts is None:
            self.refresh_counts()  # read when first seen: a hidden panel costs nothing

    def counts_changed(self) -> None:
        """Annotations changed: recount a moment later if shown, else when next shown."""
        if self.isVisible():
            self._recount.start()
        else:
            self.counts = None

    def refresh_counts(self) -> None:
        self._recount.stop()
        self.counts = self.repo.register_counts()
        actor_counts, topic_counts = self.counts
        self._loading = True
        sorting = self.actors.isSortingEnabled()
        self.actors.setSortingEnabled(False)  # rows stay put while their cells change
        self.topics.setSortingEnabled(False)
        try:
            for row in range(self.actors.rowCount()):
                mentions, stances = actor_counts.get(self._uid(self.actors, row), (0, 0))
                item = self._cell(self.actors, row, MENTIONS)
                item.setData(Qt.ItemDataRole.DisplayRole, mentions)
                item.setToolTip(f"{mentions} mention(s) tagged; in {stances} stance(s) as "
                                "holder or target (every annotator, trash excluded)")
            for row in range(self.topics.rowCount()):
                n = topic_counts.get(self._uid(self.topics, row), 0)
                item = self._cell(self.topics, row, 2)
                item.setData(Qt.ItemDataRole.DisplayRole, n)
                item.setToolTip(f"{n} stance(s) aimed at this topic")
        finally:
            self.actors.setSortingEnabled(sorting)
            self.topics.setSortingEnabled(sorting)
            self._loading = False

    def apply_search(self, text: str) -> None:
        """Hide the rows of both tabs whose names, aliases, country, kind or description
        do not contain `text` (ignoring case)."""
        needle = text.strip().casefold()
        for row in range(self.actors.rowCount()):
            a = self.cache.actors.get(self._uid(self.actors, row))
            hay = " ".join((a.name, a.kind, a.country, *a.aliases)) if a else ""
            self.actors.setRowHidden(row, bool(needle) and needle not in hay.casefold())
        for row in range(self.topics.rowCount()):
            t = self.cache.topics.get(self._uid(self.topics, row))
            hay = f"{t.name} {t.description}" if t else ""
            self.topics.setRowHidden(row, bool(needle) and needle not in hay.casefold())

    def _actor_selection_changed(self) -> None:
        n = len(self.selected_actor_uids())
        self.merge_button.setEnabled(n >= 2)
        self.colour_button.setEnabled(n == 1)

    def colour_menu(self) -> QMenu | None:
        """"Colour of China" for the one selected actor."""
        uids = self.selected_actor_uids()
        actor = self.cache.actors.get(uids[0]) if len(uids) == 1 else None
        return colour_menu(actor, self._run, self) if actor is not None else None

    def _colour_clicked(self) -> None:
        menu = self.colour_menu()
        if menu is not None:
            menu.popup(self.colour_button.mapToGlobal(self.colour_button.rect().bottomLeft()))

    def _actor_context_menu(self, pos: QPoint) -> None:
        menu = self.colour_menu()
        if menu is not None:
            menu.popup(self.actors.viewport().mapToGlobal(pos))

    def select_actor(self, uid: str) -> bool:
        """Select and scroll to an actor's row (clearing a search that hides it)."""
        row = next((r for r in range(self.actors.rowCount())
                    if self._uid(self.actors, r) == uid), None)
        if row is None:
            return False
        if self.actors.isRowHidden(row):
            self.search.clear()
        self.setCurrentIndex(0)
        # Not selectRow(): it reads the keyboard modifiers held at the time (Shift or Ctrl
        # extend or toggle instead of selecting this row alone).
        index = self.actors.model().index(row, 0)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.actors.selectionModel().setCurrentIndex(index, flags)
        self.actors.scrollToItem(self._cell(self.actors, row, 0),
                                 QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    @staticmethod
    def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
        item = table.item(row, column)
        assert item is not None  # reload() fills every cell of every row
        return item

    def _uid(self, table: QTableWidget, row: int) -> str:
        uid: str = self._cell(table, row, 0).data(Qt.ItemDataRole.UserRole)
        return uid

    # ----------------------------------------------------------------- writes
    def _run(self, cmd: Command) -> bool:
        """Apply one register command (undoable); a refused one puts the edited cell back."""
        ok = self.session.run(cmd, initiator=self)
        if not ok:  # the status bar says why
            self.cache.reload()
            self.reload()
        return ok

    def store_changed(self, change: Change, _initiator: object = None) -> None:
        if change.entity in ("actor", "topic") or change.action == "reload":
            if self.isVisible():
                self.reload()
            else:  # refilled when next shown
                self._stale = True
        elif change.entity == "annotation":
            self.counts_changed()

    def _actor_edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        uid = self._uid(self.actors, item.row())
        name = self.cache.actors[uid].name if uid in self.cache.actors else ""
        col = item.column()
        if col == 0:
            self._run(UpdateActor(uid, {"name": item.text().strip()}, label=f"Rename actor {name}"))
        elif col == 1:
            kind = item.text()
            if kind in ACTOR_KINDS and uid in self.cache.actors and kind != self.cache.actors[uid].kind:
                self._run(UpdateActor(uid, {"kind": kind}, label=f"Set kind of {name} to {kind}"))
        elif col == 2:
            self._run(UpdateActor(uid, {"country": item.text().strip()},
                                  label=f"Set country of {name}"))
        elif col == 3:
            aliases = [x.strip() for x in item.text().split(";") if x.strip()]
            self._run(UpdateActor(uid, {"aliases": aliases}, label=f"Edit aliases of {name}"))

    def _topic_edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        uid = self._uid(self.topics, item.row())
        field = "name" if item.column() == 0 else "description"
        name = self.cache.topics[uid].name if uid in self.cache.topics else ""
        self._run(UpdateTopic(uid, {field: item.text().strip()},
                              label=f"Edit {field} of topic {name}"))

    def add_actor(self) -> AddActorDialog:
        """Add actor…: one dialog (name, kind, aliases) that warns when a name already
        means another actor; the new actor is then selected and scrolled to."""
        dialog = AddActorDialog(self.cache, self.selected_text(), self)
        self.add_dialog = dialog

        def add() -> None:
            cmd = AddActor(dialog.name.text().strip(), dialog.kind.currentText(),
                           aliases=tuple(dialog.alias_list()), edits=register_edits)
            if self._run(cmd) and cmd.uid:
                self.select_actor(cmd.uid)

        dialog.accepted.connect(add)
        dialog.open()
        return dialog

    def add_topic(self) -> None:
        name, ok = QInputDialog.getText(self, "Add topic", "Topic:")
        if ok and name.strip():
            self._run(AddTopic(name.strip(), edits=register_edits))

    def selected_actor_uids(self) -> list[str]:
        rows = sorted({i.row() for i in self.actors.selectedIndexes()})
        return [self._uid(self.actors, r) for r in rows]

    def selected_topic_uids(self) -> list[str]:
        rows = sorted({i.row() for i in self.topics.selectedIndexes()})
        return [self._uid(self.topics, r) for r in rows]

    def merge(self, keep_uid: str, drop_uid: str) -> bool:
        keep, drop = self.cache.actor_name(keep_uid), self.cache.actor_name(drop_uid)
        return self._run(MergeActors(keep_uid, drop_uid, register_edits,
                                     label=f"Merge “{drop}” into “{keep}”"))

    def merge_selected(self) -> MergeDialog | None:
        """Merge the selected actors (two or more) into the one the user keeps, as one
        undo step."""
        actors = [self.cache.actors[u] for u in self.selected_actor_uids()
                  if u in self.cache.actors]
        if len(actors) < 2:
            QMessageBox.information(self, "Merge actors", "Select two or more actors.")
            return None
        mentions = {uid: n for uid, (n, _s) in (self.counts or ({}, {}))[0].items()}
        dialog = MergeDialog(actors, mentions, self)
        self.merge_dialog = dialog

        def merge() -> None:
            keep = dialog.keep()
            drops = [a for a in actors if a.uid != keep.uid]
            with self.session.one_step(f"Merge {len(drops) + 1} actors into “{keep.name}”"):
                for drop in drops:
                    if not self.merge(keep.uid, drop.uid):
                        break
            self.select_actor(keep.uid)

        dialog.accepted.connect(merge)
        dialog.open()
        return dialog

    def add_selection_as_alias(self) -> bool:
        text = self.selected_text().strip()
        uids = self.selected_actor_uids()
        if not text or len(uids) != 1:
            QMessageBox.information(self, "Add alias",
                                    "Select text in the article and one actor here.")
            return False
        actor = self.cache.actors[uids[0]]
        if text == actor.name or text in actor.aliases:
            self.session.feedback.saved(None)
            return True
        return self._run(AddAlias(actor, text))

    def trash_selected_actors(self) -> None:
        for uid in self.selected_actor_uids():
            name = self.cache.actor_name(uid)
            if not self._run(SoftDeleteActor(uid, label=f"Move actor {name} to the trash")):
                break

    def trash_selected_topics(self) -> None:
        for uid in self.selected_topic_uids():
            name = self.cache.topic_name(uid)
            if not self._run(SoftDeleteTopic(uid, label=f"Move topic {name} to the trash")):
                break
