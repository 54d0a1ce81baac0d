"""The colour of an actor's mentions, set by the user: one menu shared by the Registers
panel, the legend above the article and the inspector's context menu.

The colour-blind-safe choices (core.palette.ACTOR_CHOICES) come first, then
"Automatic" (the tint the article picks so neighbours differ) and "Other colour…" (any
colour, from Qt's dialog). Each choice is one SetActorColour command: one undo step,
audited, carried by merge and the hub like the actor's other fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QColorDialog, QMenu, QWidget

from stancemark.core.commands import Command
from stancemark.core.model import Actor, Change
from stancemark.core.palette import ACTOR_CHOICES
from stancemark.core.register_commands import SetActorColour

if TYPE_CHECKING:
    from stancemark.ui.article.article_view import ArticleView
    from stancemark.ui.registers.cache import RegisterCache
    from stancemark.ui.window.session import Session


def swatch(colour: str, size: int = 14) -> QIcon:
    """A square of the colour, for menus and the register's rows."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def colour_menu(actor: Actor, run: Callable[[Command], object],
                parent: QWidget | None = None) -> QMenu:
    """"Colour of China": the choices, Automatic, Other colour…; the current one checked."""
    menu = QMenu(f"Colour of {actor.name}", parent)
    menu.setObjectName("actor_colour_menu")
    current = actor.colour.upper()

    def choose(colour: str) -> None:
        if colour.upper() != current:
            run(SetActorColour(actor, colour))

    for colour, name in ACTOR_CHOICES:
        act = menu.addAction(swatch(colour), name)
        act.setCheckable(True)
        act.setChecked(colour == current)
        act.setData(colour)
        act.triggered.connect(lambda _c=False, colour=colour: choose(colour))
    menu.addSeparator()
    auto = menu.addAction("Automatic (apart from its neighbours)")
    auto.setCheckable(True)
    auto.setChecked(not current)
    auto.setData("")
    auto.triggered.connect(lambda _c=False: choose(""))

    def other() -> None:
        picked = QColorDialog.getColor(QColor(current or ACTOR_CHOICES[0][0]), parent,
                                       f"Colour of {actor.name}")
        if picked.isValid():
            choose(picked.name().upper())

    custom = menu.addAction("Other colour…")
    custom.setData("other")
    custom.triggered.connect(lambda _c=False: other())
    return menu


class ActorColourMenus:
    """The window's side: the article view follows the register's chosen colours (after
    any actor change, its undo and redo), and a request from the legend or the inspector
    (actor uid, where) pops up that actor's menu. Subscribe after the register cache."""

    def __init__(self, session: Session, cache: RegisterCache, view: ArticleView,
                 parent: QWidget):
        self.session, self.cache, self.view, self.parent = session, cache, view, parent
        self.last: QMenu | None = None  # the menu shown last (tests trigger its actions)
        view.set_chosen_colours(cache.chosen_colours())
        session.bus.subscribe(self.store_changed)

    def store_changed(self, change: Change, _initiator: object = None) -> None:
        if change.entity == "actor" or change.action == "reload":
            self.view.set_chosen_colours(self.cache.chosen_colours())

    def menu(self, actor_uid: str) -> QMenu | None:
        actor = self.cache.actors.get(actor_uid)
        if actor is None:
            return None
        self.last = colour_menu(actor, self.session.run, self.parent)
        return self.last

    def popup(self, actor_uid: str, at: QPoint) -> QMenu | None:
        menu = self.menu(actor_uid)
        if menu is not None:
            menu.popup(at)
        return menu
