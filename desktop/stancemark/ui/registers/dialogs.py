"""The Registers panel's two dialogs: Add actor (name, kind and aliases at once, with a
warning, before anything is written, when the name already belongs to another actor)
and Merge (the user picks which of the selected actors survives)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.model import ACTOR_KINDS, Actor
from stancemark.ui.registers.cache import RegisterCache, actor_label


class AddActorDialog(QDialog):
    def __init__(self, cache: RegisterCache, name: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.cache = cache
        self.setWindowTitle("Add actor")
        self.setMinimumWidth(440)
        form = QFormLayout(self)
        self.name = QLineEdit(name)
        self.kind = QComboBox()
        self.kind.addItems(list(ACTOR_KINDS))
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("other names, separated by ;")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #D55E00")
        form.addRow("Name:", self.name)
        form.addRow("Kind:", self.kind)
        form.addRow("Aliases:", self.aliases)
        form.addRow(self.warning)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.name.textChanged.connect(self._check)
        self.aliases.textChanged.connect(self._check)
        self._check()
        self.name.setFocus()
        self.name.selectAll()

    def alias_list(self) -> list[str]:
        return [a.strip() for a in self.aliases.text().split(";") if a.strip()]

    def clashes(self) -> list[tuple[str, Actor]]:
        """(name, actor) for the typed name and aliases that already mean an actor."""
        out = []
        for text in (self.name.text().strip(), *self.alias_list()):
            actor = self.cache.actor_by_text(text) if text else None
            if actor is not None:
                out.append((text, actor))
        return out

    def _check(self) -> None:
        clashes = self.clashes()
        lines = []
        for text, actor in clashes:
            what = "the name" if actor.name.casefold() == text.casefold() else "an alias"
            lines.append(f"“{text}” is already {what} of {actor_label(actor)}.")
        if clashes:
            lines.append("A second actor would answer to it: tagging would have to guess.")
        self.warning.setText("\n".join(lines))
        self.warning.setVisible(bool(lines))
        self.ok.setText("Add anyway" if clashes else "Add")
        self.ok.setEnabled(bool(self.name.text().strip()))
        # With a clash, Enter cancels: adding a second owner of a name takes a click.
        self.ok.setDefault(not clashes)
        self.ok.setAutoDefault(not clashes)
        self.cancel.setDefault(bool(clashes))
        self.adjustSize()


class MergeDialog(QDialog):
    """Which actor survives: the others' mentions and stances move to it and their
    names become its aliases."""

    def __init__(self, actors: list[Actor], mentions: dict[str, int],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Merge actors")
        self.actors = actors
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Merge these {len(actors)} actors into one. Keep:"))
        self.group = QButtonGroup(self)
        best = max(range(len(actors)), key=lambda i: mentions.get(actors[i].uid, 0))
        for i, a in enumerate(actors):
            n = mentions.get(a.uid, 0)
            b = QRadioButton(f"{actor_label(a)} · {n} mention(s)"
                             + (f" · aliases: {'; '.join(a.aliases)}" if a.aliases else ""))
            b.setChecked(i == best)
            self.group.addButton(b, i)
            layout.addWidget(b)
        note = QLabel("The others go to the trash; their names become aliases of the one "
                      "kept. Edit ▸ Undo reverses the merge.")
        note.setWordWrap(True)
        note.setStyleSheet("color: gray")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def keep(self) -> Actor:
        return self.actors[max(self.group.checkedId(), 0)]
