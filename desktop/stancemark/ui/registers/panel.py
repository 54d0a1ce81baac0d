"""Actor and topic registers: a cache the other views read names from, and the
Registers panel (edit actors and topics, merge two actors, add an alias).

Register edits are core.register_commands run through `run_command` (the window's,
so each is one committed transaction AND one named step on the undo stack); the
window redraws the registers from the change record it gets back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.errors import StancemarkError
from stancemark.core.model import ACTOR_KINDS
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
from stancemark.ui.registers.cache import RegisterCache


class RegistersPanel(QTabWidget):
    """Two tabs: Actors and Topics. Edits run as commands through `run_command`
    (set by the window to its own, so they are undoable); without one they are applied
    directly and `changed` is emitted."""

    changed = Signal()

    def __init__(self, repo: Any, cache: RegisterCache, report: Callable[[str | None], None],
                 selected_text: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.repo = repo
        self.cache = cache
        self.report = report  # report(error or None) after each write
        self.selected_text = selected_text
        self.run_command: Callable[[Any], bool] | None = None
        self._loading = False

        self.actors = QTableWidget(0, 4)
        self.actors.setHorizontalHeaderLabels(["Name", "Kind", "Country", "Aliases (; separated)"])
        self.actors.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actors.setSortingEnabled(True)
        self.actors.verticalHeader().hide()
        self.actors.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.actors.itemChanged.connect(self._actor_edited)
        add = QPushButton("Add actor…")
        add.clicked.connect(self.add_actor)
        merge = QPushButton("Merge selected…")
        merge.setToolTip("Select two actors: the second is folded into the first "
                         "(its mentions move, its names become aliases)")
        merge.clicked.connect(self.merge_selected)
        alias = QPushButton("Add selected text as alias")
        alias.clicked.connect(self.add_selection_as_alias)
        trash = QPushButton("Move to trash")
        trash.setToolTip("Move the selected actor(s) to the trash (File ▸ Trash… restores)")
        trash.clicked.connect(self.trash_selected_actors)
        buttons = QHBoxLayout()
        for b in (add, merge, alias, trash):
            buttons.addWidget(b)
        buttons.addStretch(1)
        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(2, 2, 2, 2)
        v.addWidget(self.actors, 1)
        v.addLayout(buttons)
        self.addTab(page, "Actors")

        self.topics = QTableWidget(0, 2)
        self.topics.setHorizontalHeaderLabels(["Topic", "Description"])
        self.topics.setSortingEnabled(True)
        self.topics.verticalHeader().hide()
        self.topics.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.topics.itemChanged.connect(self._topic_edited)
        add_t = QPushButton("Add topic…")
        add_t.clicked.connect(self.add_topic)
        page_t = QWidget()
        vt = QVBoxLayout(page_t)
        vt.setContentsMargins(2, 2, 2, 2)
        vt.addWidget(self.topics, 1)
        trash_t = QPushButton("Move to trash")
        trash_t.clicked.connect(self.trash_selected_topics)
        tb = QHBoxLayout()
        tb.addWidget(add_t)
        tb.addWidget(trash_t)
        tb.addStretch(1)
        vt.addLayout(tb)
        self.addTab(page_t, "Topics")
        self.reload()

    # ------------------------------------------------------------------ views
    def reload(self) -> None:
        self._loading = True
        try:
            self.actors.setSortingEnabled(False)
            actors = list(self.cache.actors.values())
            self.actors.setRowCount(len(actors))
            for row, a in enumerate(actors):
                name = QTableWidgetItem(a.name)
                name.setData(Qt.ItemDataRole.UserRole, a.uid)
                self.actors.setItem(row, 0, name)
                self.actors.setItem(row, 2, QTableWidgetItem(a.country))
                self.actors.setItem(row, 3, QTableWidgetItem("; ".join(a.aliases)))
                combo = QComboBox()
                combo.addItems(list(ACTOR_KINDS))
                combo.setCurrentText(a.kind)
                combo.currentTextChanged.connect(
                    lambda kind, a=a: self._run(UpdateActor(
                        a.uid, {"kind": kind}, label=f"Set kind of {a.name} to {kind}")))
                kind_item = QTableWidgetItem(a.kind)
                kind_item.setFlags(kind_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.actors.setItem(row, 1, kind_item)
                self.actors.setCellWidget(row, 1, combo)
            self.actors.setSortingEnabled(True)
            self.actors.sortItems(0)
            self.actors.resizeColumnToContents(0)
            self.topics.setSortingEnabled(False)
            topics = list(self.cache.topics.values())
            self.topics.setRowCount(len(topics))
            for row, t in enumerate(topics):
                item = QTableWidgetItem(t.name)
                item.setData(Qt.ItemDataRole.UserRole, t.uid)
                self.topics.setItem(row, 0, item)
                self.topics.setItem(row, 1, QTableWidgetItem(t.description))
            self.topics.setSortingEnabled(True)
            self.topics.resizeColumnToContents(0)
        finally:
            self._loading = False

    def _uid(self, table: QTableWidget, row: int) -> str:
        return table.item(row, 0).data(Qt.ItemDataRole.UserRole)

    # ----------------------------------------------------------------- writes
    def _run(self, cmd: Any) -> bool:
        """Apply one register command (undoable through the window's run_command)."""
        if self.run_command is not None:
            ok = self.run_command(cmd)
            if not ok:  # the window reported why; put the edited cell back
                self.cache.reload()
                self.reload()
            return ok
        try:
            cmd.apply(self.repo)
        except StancemarkError as exc:
            self.report(str(exc))
            self.cache.reload()
            self.reload()
            return False
        self.report(None)
        self.cache.reload()
        self.changed.emit()
        return True

    def _actor_edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        uid = self._uid(self.actors, item.row())
        name = self.cache.actors[uid].name if uid in self.cache.actors else ""
        col = item.column()
        if col == 0:
            self._run(UpdateActor(uid, {"name": item.text().strip()}, label=f"Rename actor {name}"))
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

    def add_actor(self) -> None:
        name, ok = QInputDialog.getText(self, "Add actor", "Name:", text=self.selected_text())
        if ok and name.strip():
            kind, ok = QInputDialog.getItem(self, "Add actor", f"Kind of “{name}”:",
                                            list(ACTOR_KINDS), 0, False)
            if ok:
                self._run(AddActor(name.strip(), kind, edits=register_edits))

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

    def merge_selected(self) -> None:
        uids = self.selected_actor_uids()
        if len(uids) != 2:
            QMessageBox.information(self, "Merge actors", "Select exactly two actors.")
            return
        keep, drop = (self.cache.actors[u] for u in uids)
        answer = QMessageBox.question(
            self, "Merge actors",
            f"Fold “{drop.name}” into “{keep.name}”? Its mentions and stances move to "
            f"“{keep.name}” and its names become aliases. (Edit ▸ Undo reverses it.)")
        if answer == QMessageBox.StandardButton.Yes:
            self.merge(keep.uid, drop.uid)

    def add_selection_as_alias(self) -> bool:
        text = self.selected_text().strip()
        uids = self.selected_actor_uids()
        if not text or len(uids) != 1:
            QMessageBox.information(self, "Add alias",
                                    "Select text in the article and one actor here.")
            return False
        actor = self.cache.actors[uids[0]]
        if text == actor.name or text in actor.aliases:
            self.report(None)
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
