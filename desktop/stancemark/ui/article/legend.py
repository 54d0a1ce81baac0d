"""The legend above the article: what each mark means (kinds, polarity line styles) and
which colour each actor in the open article has. Shown and hidden from View ▸ Legend."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from stancemark.core.palette import KIND_COLOURS, POLARITY_COLOURS, ActorColours

MAX_ACTORS = 24  # a legend, not a register: the first ones in reading order


def _chip(colour: str, text: str, style: str = "") -> str:
    # a square in the colour: rich text has no translucent backgrounds to match the tint
    return (f"<span style='color:{colour}'>■</span>&nbsp;"
            f"<span style='{style}'>{html.escape(text)}</span>")


def _line(colour: str, marks: str, label: str) -> str:
    return f"<span style='color:{colour}'><b>{marks}</b></span>&nbsp;{html.escape(label)}"


class Legend(QLabel):
    """Rich text, rebuilt only when the article's actors change (cheap, a few dozen)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setContentsMargins(16, 2, 16, 4)
        self.setObjectName("legend")
        self.actor_name: Callable[[str], str] = lambda uid: uid
        self.shown_actors: list[tuple[str, str]] = []  # (name, colour), for tests
        self.kinds: list[tuple[str, str]] = []  # the codebook's custom kinds: (name, colour)

    def set_kinds(self, kinds: list[tuple[str, str]]) -> None:
        """The custom kinds (name, colour) after the built-in ones, as tints like actors."""
        self.kinds = list(kinds)
        self.setText("")  # rebuilt by the next refresh

    def refresh(self, colours: ActorColours) -> None:
        actors = [(self.actor_name(uid) or "?", colours.colours[uid])
                  for uid in colours.order[:MAX_ACTORS] if uid]
        if actors == self.shown_actors and self.text():
            return
        self.shown_actors = actors
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
        people = " ".join(_chip(c, n) for n, c in actors) or "<i>no actor tagged here</i>"
        more = len(colours.order) - len(actors)
        if more > 0:
            people += f" … and {more} more"
        self.setText(f"<small>{kinds} &nbsp;|&nbsp; {lines}<br>Actors here: {people}</small>")
