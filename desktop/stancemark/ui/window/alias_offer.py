"""Learning from the analyst's tags: tagging a text that is not yet a name or alias of
the chosen actor offers to add it as one, in the status bar's button and by a key
(Ctrl+Shift+A); the addition is one undoable command. Its own module: the offer needs
only the register, not the suggestions it then changes (the Suggestions own it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from stancemark.core.builtin_kinds import ACTOR
from stancemark.core.commands import _short
from stancemark.core.model import Change
from stancemark.core.register_commands import AddAlias
from stancemark.core.suggest import alias_problem
from stancemark.core.suggest.matcher import normal_key
from stancemark.ui.window.shortcuts import SHORTCUTS

if TYPE_CHECKING:
    from stancemark.ui.registers.cache import RegisterCache
    from stancemark.ui.window.session import Session


class AliasOffer:
    def __init__(self, session: Session, cache: RegisterCache, parent: QWidget,
                 initiator: object):
        self.session = session
        self.cache = cache
        self._initiator = initiator  # who the alias's addition is run by
        self.offer: tuple[str, str] | None = None  # (actor uid, alias) to add
        self.button = QPushButton()
        self.button.setFlat(True)
        self.button.hide()
        self.button.clicked.connect(self.add)
        self.action = QAction("Add the tagged text as an &alias", parent)
        self.action.setShortcuts([QKeySequence(k) for k in SHORTCUTS["add_alias"][0]])
        self.action.setStatusTip(SHORTCUTS["add_alias"][1])
        self.action.setEnabled(False)
        self.action.triggered.connect(self.add)
        parent.addAction(self.action)

    def consider(self, change: Change) -> None:
        """A tag of an actor by a text that is not yet one of its names: offer the alias."""
        self.clear()
        if len(change.annotations) != 1:
            return
        a = change.annotations[0]
        actor = self.cache.actors.get(a.actor_uid or "") if a.kind == ACTOR else None
        if actor is None or alias_problem(a.quote) is not None:
            return
        known = {normal_key(n) for n in (actor.name, *actor.aliases)}
        if normal_key(a.quote) in known:
            return
        self.offer = (actor.uid, a.quote.strip())
        key = SHORTCUTS["add_alias"][0][0]
        self.button.setText(f"Add “{_short(a.quote)}” as an alias of {actor.name} ({key})")
        self.button.show()
        self.action.setEnabled(True)

    def clear(self) -> None:
        self.offer = None
        self.button.hide()
        self.action.setEnabled(False)

    def add(self) -> bool:
        if self.offer is None:
            return False
        actor = self.cache.actors.get(self.offer[0])
        alias = self.offer[1]
        self.clear()
        if actor is None:
            return False
        return self.session.run(AddAlias(actor, alias), initiator=self._initiator)
