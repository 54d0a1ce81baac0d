"""What the views know of the registers: actors and topics by uid (refreshed after any
register change), their one-line labels, and the completer every name field uses.

Labels say what a name is: `alias → actor (actor, kind)` for an alias, `name (actor,
kind)` for an actor, `name (topic)` for a topic, so "Taipei", "Taiwan" and "Taiwan
independence" are never three bare words in one list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QCompleter, QWidget

from stancemark.core.changes import ChangeBus
from stancemark.core.model import Actor, Annotation, Change, Topic

if TYPE_CHECKING:
    from stancemark.store.repository import Repository


def actor_label(actor: Actor, via: str = "") -> str:
    """"Taiwan (actor, state)", or "Taipei → Taiwan (actor, state)" reached by an alias."""
    own = f"{actor.name} (actor, {actor.kind})"
    if via and via.strip().casefold() != actor.name.casefold():
        return f"{via.strip()} → {own}"
    return own


def topic_label(topic: Topic) -> str:
    return f"{topic.name} (topic)"


class RegisterCache:
    """Actors and topics by uid, refreshed after any register change. Subscribe it to
    the change bus before the views that read names from it, so it is fresh for them."""

    def __init__(self, repo: Repository, bus: ChangeBus | None = None):
        self.repo = repo
        self.actors: dict[str, Actor] = {}
        self.topics: dict[str, Topic] = {}
        self.reload()
        if bus is not None:
            bus.subscribe(self.store_changed)

    def store_changed(self, change: Change, _initiator: object = None) -> None:
        if change.entity in ("actor", "topic") or change.action == "reload":
            self.reload()

    def reload(self) -> None:
        self.actors = {a.uid: a for a in self.repo.list_actors()}
        self.topics = {t.uid: t for t in self.repo.list_topics()}
        self._rows: dict[bool, list[tuple[str, str]]] = {}

    def chosen_colours(self) -> dict[str, str]:
        """Actor uid -> the colour the user set (actors on automatic are left out)."""
        return {uid: a.colour for uid, a in self.actors.items() if a.colour}

    def completion_rows(self, topics: bool = False) -> list[tuple[str, str]]:
        """(label, text to insert) for every actor name and alias (and topic), labelled so
        a list never mixes them without saying which: "Taipei → Taiwan (actor, state)",
        "Taiwan (actor, state)", "Taiwan independence (topic)". Built once per reload:
        a popup opens at once with 20,000 aliases."""
        rows = self._rows.get(topics)
        if rows is None:
            rows = []
            for a in self.actors.values():
                rows.append((actor_label(a), a.name))
                rows.extend((actor_label(a, alias), a.name) for alias in a.aliases
                            if alias.casefold() != a.name.casefold())
            if topics:
                rows.extend((topic_label(t), t.name) for t in self.topics.values())
            rows.sort(key=lambda r: r[0].casefold())
            self._rows[topics] = rows
        return rows

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
        if a.kind != "stance":  # a custom kind says what its attributes say
            readable = self.repo.codebook().readable(a.attributes)
            return "; ".join(f"{k}: {v}" for k, v in readable.items())
        sign = {"support": "+", "oppose": "−", "neutral": "0"}.get(a.polarity or "", "?")
        holder = self.actor_name(a.holder_uid) or "?"
        target = self.target_label(a) or "?"
        when = f" @ {a.stance_date}" if a.stance_date else ""
        return f"{holder} {sign} {target}{when}"


class _Rows(QAbstractListModel):
    """(label, insert) pairs as a list model: no item objects for 20,000 aliases."""

    def __init__(self, rows: list[tuple[str, str]], parent: QObject):
        super().__init__(parent)
        self.rows = rows

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][0]
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()][1]
        return None


class RegisterCompleter(QCompleter):
    """Matches anywhere in the label (typing "Taiwan" finds "Taipei → Taiwan ...") and
    inserts the actor's or topic's own name, which resolves without doubt."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget):
        super().__init__(parent)
        self.setModel(_Rows(rows, self))
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        # A long alias loses its middle, never the "(actor, kind)" that says what it is.
        popup = self.popup()  # made on first request
        if popup is not None:
            popup.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        return index.data(Qt.ItemDataRole.UserRole) or ""


def register_completer(cache: RegisterCache, parent: QWidget, topics: bool = False) -> QCompleter:
    return RegisterCompleter(cache.completion_rows(topics), parent)
