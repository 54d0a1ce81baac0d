"""The small keyboard-first popups behind A (actor), D (date) and S (stance).

Each popup is opened non-modally with open() and emits accepted(); the window
then reads `values()` and runs the command. Enter accepts, Escape cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.codebook import CodebookError
from stancemark.core.dates import granularity_of, granularity_problem, is_iso_value
from stancemark.core.model import ACTOR_KINDS, GRANULARITIES, POLARITIES
from stancemark.core.palette import POLARITY_COLOURS
from stancemark.core.text import is_right_to_left, italic_suits
from stancemark.ui.codebook.editors import AttributeForm
from stancemark.ui.registers.cache import RegisterCache, actor_label, register_completer

if TYPE_CHECKING:
    from stancemark.core.codebook import Codebook

POLARITY_KEYS: dict[int, str] = {  # by QKeyEvent.key(), an int
    Qt.Key.Key_Plus: "support", Qt.Key.Key_Equal: "support", Qt.Key.Key_Minus: "oppose",
    Qt.Key.Key_Underscore: "oppose", Qt.Key.Key_0: "neutral"}
POLARITY_LABELS = {"support": "+ support", "oppose": "− oppose", "neutral": "0 neutral"}


def quote_label(quote: str) -> QLabel:
    """The selection as the popup's first line, in any script: the widget font the name
    field uses (so Qt's fallback finds Arabic or CJK glyphs as it does there), italic only
    for scripts that have italics, laid out and aligned by the quote's own direction."""
    head = QLabel(f"“{quote if len(quote) < 80 else quote[:79] + '…'}”")
    head.setWordWrap(True)
    head.setTextFormat(Qt.TextFormat.PlainText)  # a quote like "<b>" is text, not markup
    font = head.font()
    font.setItalic(italic_suits(quote))
    head.setFont(font)
    rtl = is_right_to_left(quote)
    head.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl
                            else Qt.LayoutDirection.LeftToRight)
    # With the direction set, AlignLeading is the right edge for Arabic and Hebrew.
    head.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
    head.setObjectName("quote")
    return head


class _Popup(QDialog):
    def __init__(self, title: str, quote: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel()
        self.error.setStyleSheet("color: #D55E00")
        self.error.hide()
        self.quote = quote_label(quote)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        # the codebook's attributes of the kind being tagged (add_attributes), if any
        self.attrs: AttributeForm | None = None
        self._required: Callable[[dict[str, Any]], list[str]] = lambda _values: []

    def fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.setWordWrap(True)
        self.error.show()
        self.adjustSize()  # grow to the message rather than cut it

    def check(self) -> str | None:
        return None

    def add_attributes(self, book: Codebook, kind_uid: str, cache: RegisterCache | None) -> None:
        """Editors for the codebook's attributes of this kind (built in or custom), under
        the popup's own fields, defaults filled in; required ones are asked for."""
        attrs = book.attributes_of(kind_uid)
        if not attrs:
            return
        self.attrs = AttributeForm(attrs, cache)
        self.attrs.set_values(book.with_defaults(kind_uid, {}))
        self.form.addRow(self.attrs)
        self._required = lambda values: [a.name for a in book.missing_required(kind_uid, values)]

    def attribute_values(self) -> dict[str, Any]:
        """{attribute uid: stored value} of the attributes given (none unset)."""
        if self.attrs is None:
            return {}
        return {k: v for k, v in self.attrs.values().items() if v is not None}

    def attributes_problem(self) -> str | None:
        if self.attrs is None:
            return None
        try:
            values = self.attrs.values()
        except CodebookError as exc:
            return str(exc)
        missing = self._required(values)
        return "Required: " + ", ".join(missing) + "." if missing else None

    def try_accept(self) -> None:
        problem = self.check() or self.attributes_problem()
        if problem:
            self.fail(problem)
            return
        self.accept()


class ActorPopup(_Popup):
    """Name with completion over names and aliases. Enter tags an actor of the register;
    a name that matches none is refused until the user asks for a new actor (the "New
    actor" button, Ctrl+N), which shows a kind and turns OK into "Create and tag": one
    Enter on a sloppy selection never adds a register entry."""

    def __init__(self, cache: RegisterCache, quote: str, preselect: str = "",
                 parent: QWidget | None = None):
        super().__init__("Tag actor", quote, parent)
        self.cache = cache
        self.name = QLineEdit(preselect or quote)
        self.name.setCompleter(register_completer(cache, self.name))
        self.name.selectAll()
        self.match = QLabel()
        self.match.setWordWrap(True)
        self.new_actor = QPushButton("&New actor…")
        self.new_actor.setCheckable(True)
        self.new_actor.setToolTip("Add this name to the register as a new actor (Ctrl+N)")
        self.new_actor.setAutoDefault(False)
        self.new_actor.toggled.connect(self._update)
        self.kind = QComboBox()
        self.kind.addItems(list(ACTOR_KINDS))
        self.kind_label = QLabel("New actor’s kind:")
        self.kind_label.setStyleSheet("font-weight: bold")
        self.form.addRow("Actor:", self.name)
        self.form.addRow("", self.match)
        self.form.addRow(self.kind_label, self.kind)
        self.buttons.addButton(self.new_actor, QDialogButtonBox.ButtonRole.ActionRole)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(self._update)
        self._update()
        self.name.setFocus()

    def is_new(self) -> bool:
        return self.new_actor.isChecked()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Ctrl+N from any field (the line edit passes it up): a key event, not a
        # QShortcut, so it works while the popup is opening and never fires twice.
        if event.matches(QKeySequence.StandardKey.New):
            self.new_actor.toggle()
            return
        super().keyPressEvent(event)

    def _update(self) -> None:
        text = self.name.text().strip()
        actor = self.cache.actor_by_text(text)
        new = self.is_new()
        self.kind.setVisible(new)
        self.kind_label.setVisible(new)
        self.ok.setText("Create and tag" if new else "Tag")
        self.new_actor.setText("✓ &New actor" if new else "&New actor…")
        if new:
            self.match.setText(f"＋ A new register entry “{text}” will be created."
                               if text and actor is None else "")
            self.match.setStyleSheet("color: #D55E00; font-weight: bold")
        elif actor is not None:
            self.match.setText(actor_label(actor, text))
            self.match.setStyleSheet("color: gray")
        else:
            self.match.setText("No actor or alias has this name." if text else "")
            self.match.setStyleSheet("color: gray")
        self.error.hide()
        self.adjustSize()

    def check(self) -> str | None:
        text = self.name.text().strip()
        if not text:
            return "Type an actor name."
        actor = self.cache.actor_by_text(text)
        if self.is_new() and actor is not None:
            where = "the name" if actor.name.casefold() == text.casefold() else "an alias"
            return f"“{text}” is already {where} of {actor.name}: untick New actor to tag it."
        if not self.is_new() and actor is None:
            return f"No actor called “{text}”: pick one from the list, or New actor… (Ctrl+N)."
        return None

    def values(self) -> dict[str, Any]:
        actor = None if self.is_new() else self.cache.actor_by_text(self.name.text())
        return {"actor_uid": actor.uid if actor else None, "name": self.name.text().strip(),
                "kind": self.kind.currentText(), "new": self.is_new()}


class DatePopup(_Popup):
    """ISO value pre-filled from the text relative to the article's date; `note` says why
    it is not (an undated article cannot resolve "yesterday")."""

    def __init__(self, quote: str, value: str, granularity: str, parent: QWidget | None = None,
                 note: str = ""):
        super().__init__("Tag date", quote, parent)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #D55E00")
        self.note.setVisible(bool(note))
        self.form.addRow(self.note)
        self.value = QLineEdit(value)
        self.value.setPlaceholderText("YYYY, YYYY-MM, YYYY-MM-DD or A/B")
        self.granularity = QComboBox()
        self.granularity.addItems(list(GRANULARITIES))
        self.granularity.setCurrentText(granularity or "day")
        self.form.addRow("ISO value:", self.value)
        self.form.addRow("Granularity:", self.granularity)
        self.value.textEdited.connect(self._follow_value)
        self.value.selectAll()
        self.value.setFocus()

    def _follow_value(self, value: str) -> None:
        if is_iso_value(value):
            self.granularity.setCurrentText(granularity_of(value))

    def check(self) -> str | None:
        return granularity_problem(self.value.text().strip(), self.granularity.currentText())

    def values(self) -> dict[str, Any]:
        return {"date_value": self.value.text().strip(),
                "date_granularity": self.granularity.currentText()}


class PolarityPicker(QWidget):
    """Three toggles; + - 0 pick one from the keyboard."""

    picked = Signal(str)

    def __init__(self, value: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.group = QButtonGroup(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        for p in POLARITIES:
            b = QPushButton(POLARITY_LABELS[p])
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setStyleSheet(f"QPushButton:checked {{ background: {POLARITY_COLOURS[p]}; "
                            "color: black; font-weight: bold }")
            self.group.addButton(b)
            b.clicked.connect(lambda _=False, p=p: self.set_value(p))
            row.addWidget(b)
            self.buttons[p] = b
        if value:
            self.set_value(value, emit=False)

    def value(self) -> str:
        for p, b in self.buttons.items():
            if b.isChecked():
                return p
        return ""

    def set_value(self, p: str, emit: bool = True) -> None:
        self.buttons[p].setChecked(True)
        if emit:
            self.picked.emit(p)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        p = POLARITY_KEYS.get(event.key())
        if p:
            self.set_value(p)
            return
        super().keyPressEvent(event)


class StancePopup(_Popup):
    """Polarity first (one key), then target, holder, date and an optional note."""

    def __init__(self, cache: RegisterCache, quote: str, holder: str = "", date: str = "",
                 target: str = "", polarity: str = "", parent: QWidget | None = None):
        super().__init__("Tag stance", quote, parent)
        self.cache = cache
        self.polarity = PolarityPicker(polarity)
        self.target = QLineEdit(target)
        self.target.setPlaceholderText("topic or actor (a new name creates a topic)")
        self.target.setCompleter(register_completer(cache, self.target, topics=True))
        self.holder = QLineEdit(holder)
        self.holder.setCompleter(register_completer(cache, self.holder))
        self.date = QLineEdit(date)
        self.date.setPlaceholderText("ISO date (empty: none)")
        self.note = QLineEdit()
        self.note.setPlaceholderText("optional")
        self.target_hint = QLabel()
        self.target_hint.setStyleSheet("color: gray")
        self.form.addRow("Polarity (+ − 0):", self.polarity)
        self.form.addRow("Target:", self.target)
        self.form.addRow("", self.target_hint)
        self.form.addRow("Holder:", self.holder)
        self.form.addRow("Date:", self.date)
        self.form.addRow("Note:", self.note)
        self.polarity.picked.connect(lambda _p: self.target.setFocus())
        self.target.textChanged.connect(self._hint)
        self._hint()
        self.polarity.setFocus()

    def _target(self) -> tuple[str, str | None]:
        """('topic'|'actor'|'new'|'', uid)."""
        text = self.target.text().strip()
        if not text:
            return "", None
        low = text.casefold()
        for t in self.cache.topics.values():
            if t.name.casefold() == low:
                return "topic", t.uid
        actor = self.cache.actor_by_text(text)
        if actor:
            return "actor", actor.uid
        return "new", None

    def _hint(self) -> None:
        kind, _ = self._target()
        self.target_hint.setText({"new": "a new topic will be created", "topic": "topic",
                                  "actor": "actor", "": ""}[kind])

    def check(self) -> str | None:
        if not self.polarity.value():
            return "Pick a polarity: + support, − oppose, 0 neutral."
        if self.holder.text().strip() and self.cache.actor_by_text(self.holder.text()) is None:
            return f"No actor called “{self.holder.text().strip()}”: tag it with A first."
        d = self.date.text().strip()
        if d and not is_iso_value(d):
            return f"“{d}” is not an ISO 8601 date."
        return None

    def values(self) -> dict[str, Any]:
        kind, uid = self._target()
        holder = self.cache.actor_by_text(self.holder.text())
        return {"polarity": self.polarity.value(), "target_kind": kind, "target_uid": uid,
                "target_text": self.target.text().strip(),
                "holder_uid": holder.uid if holder else None,
                "stance_date": self.date.text().strip() or None, "note": self.note.text().strip()}
