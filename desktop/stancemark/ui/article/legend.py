"""The legend above the article: what each mark means (kinds, polarity line styles) and
which colour each actor in the open article has. Shown and hidden from View ▸ Legend.
A click (or right-click) on an actor asks for its colour menu ("Colour of China")."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QCursor, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from stancemark.core.palette import KIND_COLOURS, POLARITY_COLOURS, ActorColours

MAX_ACTORS = 24  # a legend, not a register: the first ones in reading order


def _chip(colour: str, text: str, style: str = "") -> str:
    # a square in the colour: rich text has no translucent backgrounds to match the tint
    return (f"<span style='color:{colour}'>■</span>&nbsp;"
            f"<span style='{style}'>{html.escape(text)}</span>")


def _actor_chip(uid: str, colour: str, name: str, text: str) -> str:
    # a link, so a click on the actor offers its colour menu; drawn like the other chips
    return (f"<a href='actor:{html.escape(uid, quote=True)}' style='text-decoration:none'>"
            f"<span style='color:{colour}'>■</span>&nbsp;"
            f"<span style='color:{text}'>{html.escape(name)}</span></a>")


def _line(colour: str, marks: str, label: str) -> str:
    return f"<span style='color:{colour}'><b>{marks}</b></span>&nbsp;{html.escape(label)}"


class Legend(QLabel):
    """Rich text, rebuilt only when the article's actors change (cheap, a few dozen)."""

    actor_menu_requested = Signal(str, QPoint)  # actor uid, global position

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self._hovered = ""
        self.linkHovered.connect(self._hover)
        self.linkActivated.connect(lambda link: self._ask(link, QCursor.pos()))
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setContentsMargins(16, 2, 16, 4)
        self.setObjectName("legend")
        self.actor_name: Callable[[str], str] = lambda uid: uid
        self.shown_actors: list[tuple[str, str]] = []  # (name, colour), for tests
        self.shown_uids: list[str] = []
        self.kinds: list[tuple[str, str]] = []  # the codebook's custom kinds: (name, colour)

    def _hover(self, link: str) -> None:
        self._hovered = link

    def _ask(self, link: str, at: QPoint) -> None:
        if link.startswith("actor:"):
            self.actor_menu_requested.emit(link[len("actor:"):], at)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        if self._hovered:
            self._ask(self._hovered, event.globalPos())
        else:
            super().contextMenuEvent(event)

    def set_kinds(self, kinds: list[tuple[str, str]]) -> None:
        """The custom kinds (name, colour) after the built-in ones, as tints like actors."""
        self.kinds = list(kinds)
        self.setText("")  # rebuilt by the next refresh

    def refresh(self, colours: ActorColours) -> None:
        uids = [uid for uid in colours.order[:MAX_ACTORS] if uid]
        actors = [(self.actor_name(uid) or "?", colours.colours[uid]) for uid in uids]
        if actors == self.shown_actors and uids == self.shown_uids and self.text():
            return
        self.shown_actors, self.shown_uids = actors, uids
        kinds = " ".join((
            _chip(KIND_COLOURS["actor"], "actor: tinted per actor"),
            _chip(KIND_COLOURS["date"], "date", "font-style:italic"),
            "<span style='text-decoration:underline'>stance</span>: a line by polarity",
            *(_chip(colour, name) for name, colour in self.kinds)))
        lines = " &nbsp; ".join((
            _line(POLARITY_COLOURS["support"], "────", "support"),
            _line(POLARITY_COLOURS["oppose"], "– – –", "oppose"),
            _line(POLARITY_COLOURS["neutral"], "·······", "neutral"),
            _line(POLARITY_COLOURS["neutral"], "∿∿∿", "two stances")))
        ink = self.palette().color(QPalette.ColorRole.WindowText).name()  # not link blue
        people = (" ".join(_actor_chip(u, c, n, ink) for u, (n, c) in zip(uids, actors, strict=True))
                  or "<i>no actor tagged here</i>")
        more = len(colours.order) - len(actors)
        if more > 0:
            people += f" … and {more} more"
        self.setText(f"<small>{kinds} &nbsp;|&nbsp; {lines}<br>Actors here: {people}</small>")
