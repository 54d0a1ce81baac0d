"""Actor and topic registers: a cache the other views read names from, and the
Registers panel (edit actors and topics, merge two actors, add an alias).

Register edits go straight to the repository (one transaction each) and are
reported through the window's save indicator; they are not on the undo stack,
which holds annotation edits.
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
from stancemark.core.model import ACTOR_KINDS, Actor, Annotation, Topic


class RegisterCache:
    """Actors and topics by uid, refreshed after any register change."""

    def __init__(self, repo: Any):
        self.repo = repo
        self.actors: dict[str, Actor] = {}
        self.topics: dict[str, Topic] = {}
        self.reload()

    def reload(self) -> None:
        self.actors = {a.uid: a for a in self.repo.list_actors()}
        self.topics = {t.uid: t for t in self.repo.list_topics()}

    def actor_name(self, uid: str | None) -> str:
        if not uid:
            return ""
        a = self.actors.get(uid) or self.repo.get_actor(uid)
        return a.name if a else "?"

    def topic_name(self, uid: str | None) -> str:
        if not uid:
            return ""
        t = self.topics.get(uid) or self.repo.get_topic(uid)
        return t.name if t else "?"

    def completions(self) -> list[str]:
        """Actor names and aliases, for the actor completer."""
        out: dict[str, None] = {}
        for a in self.actors.values():
            out[a.name] = None
            for alias in a.aliases:
                out[alias] = None
        return sorted(out, key=str.casefold)

    def actor_by_text(self, text: str) -> Actor | None:
        text = text.strip()
        if not text:
            return None
        low = text.casefold()
        for a in self.actors.values():
            if a.name.casefold() == low:
                return a
        for a in self.actors.values():
            if any(x.casefold() == low for x in a.aliases):
                return a
        return None

    def target_label(self, a: Annotation) -> str:
        if a.target_topic_uid:
            return self.topic_name(a.target_topic_uid)
        if a.target_actor_uid:
            return self.actor_name(a.target_actor_uid)
        return ""

    def summary(self, a: Annotation) -> str:
        """One line saying what an annotation is (tables, tooltips)."""
        if a.kind == "actor":
            return self.actor_name(a.actor_uid)
        if a.kind == "date":
            return f"{a.date_value} ({a.date_granularity})"
        sign = {"support": "+", "oppose": "−", "neutral": "0"}.get(a.polarity or "", "?")
        holder = self.actor_name(a.holder_uid) or "?"
        target = self.target_label(a) or "?"
        when = f" @ {a.stance_date}" if a.stance_date else ""
        return f"{holder} {sign} {target}{when}"


class RegistersPanel(QTabWidget):
    """Two tabs: Actors and Topics. Emits `changed` after a committed edit."""

    changed = Signal()

    def __init__(self, repo: Any, cache: RegisterCache, report: Callable[[str | None], None],
                 selected_text: Callable[[], str], parent: QWidget | None = None):
        super().__init__(parent)
        self.repo = repo
        self.cache = cache
        self.report = report  # report(error or None) after each write
        self.selected_text = selected_text
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
        buttons = QHBoxLayout()
        for b in (add, merge, alias):
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
        tb = QHBoxLayout()
        tb.addWidget(add_t)
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
                    lambda kind, uid=a.uid: self._write(self.repo.update_actor, uid, kind=kind))
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
    def _write(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
        except StancemarkError as exc:
            self.report(str(exc))
            self.cache.reload()
            self.reload()
            return None
        self.report(None)
        self.cache.reload()
        self.changed.emit()
        return result

    def _actor_edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        uid = self._uid(self.actors, item.row())
        col = item.column()
        if col == 0:
            self._write(self.repo.update_actor, uid, name=item.text().strip())
        elif col == 2:
            self._write(self.repo.update_actor, uid, country=item.text().strip())
        elif col == 3:
            aliases = [x.strip() for x in item.text().split(";") if x.strip()]
            self._write(self.repo.update_actor, uid, aliases=aliases)

    def _topic_edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        uid = self._uid(self.topics, item.row())
        field = "name" if item.column() == 0 else "description"
        self._write(self.repo.update_topic, uid, **{field: item.text().strip()})

    def add_actor(self) -> None:
        name, ok = QInputDialog.getText(self, "Add actor", "Name:", text=self.selected_text())
        if ok and name.strip():
            kind, ok = QInputDialog.getItem(self, "Add actor", f"Kind of “{name}”:",
                                            list(ACTOR_KINDS), 0, False)
            if ok:
                self._write(self.repo.add_actor, name.strip(), kind)
                self.reload()

    def add_topic(self) -> None:
        name, ok = QInputDialog.getText(self, "Add topic", "Topic:")
        if ok and name.strip():
            self._write(self.repo.add_topic, name.strip())
            self.reload()

    def selected_actor_uids(self) -> list[str]:
        rows = sorted({i.row() for i in self.actors.selectedIndexes()})
        return [self._uid(self.actors, r) for r in rows]

    def merge(self, keep_uid: str, drop_uid: str) -> bool:
        ok = self._write(self.repo.merge_actors, keep_uid, drop_uid) is not None
        self.reload()
        return ok

    def merge_selected(self) -> None:
        uids = self.selected_actor_uids()
        if len(uids) != 2:
            QMessageBox.information(self, "Merge actors", "Select exactly two actors.")
            return
        keep, drop = (self.cache.actors[u] for u in uids)
        answer = QMessageBox.question(
            self, "Merge actors",
            f"Fold “{drop.name}” into “{keep.name}”? Its mentions and stances move to "
            f"“{keep.name}” and its names become aliases.")
        if answer == QMessageBox.StandardButton.Yes:
            self.merge(keep.uid, drop.uid)

    def add_selection_as_alias(self) -> None:
        text = self.selected_text().strip()
        uids = self.selected_actor_uids()
        if not text or len(uids) != 1:
            QMessageBox.information(self, "Add alias",
                                    "Select text in the article and one actor here.")
            return
        self._write(self.repo.add_alias, uids[0], text)
        self.reload()
