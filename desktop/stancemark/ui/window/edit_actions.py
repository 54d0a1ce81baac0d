"""Undoable edits beyond tagging, wired into the main window by install(window):

- register edits (Registers dock) run through window.run_command, and every register
  change record redraws the registers (and the article, when a merge moved its tags);
- Edit ▸ Set span to selection (Ctrl+B): the selected annotation takes the text
  selection as its new boundaries, through UpdateAnnotation (undoable);
- inspector edits that name a stance target not in the register create the topic
  first, in one undo step with the edit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack

from stancemark.core.commands import RestoreAnnotation, UpdateAnnotation, _short
from stancemark.core.model import Change
from stancemark.core.register_commands import AddTopic, RestoreActor, RestoreTopic
from stancemark.store import register_edits
from stancemark.ui.window.shortcuts import SHORTCUTS

NEW_TOPIC = "new_topic"  # key in an editor's changes: create this topic, then target it
# Trash entries restored as undoable commands (articles are restored by the Trash dialog
# itself, which re-reads everything).
UNDOABLE_RESTORES = {"annotation": RestoreAnnotation, "actor": RestoreActor,
                     "topic": RestoreTopic}


@contextlib.contextmanager
def undo_macro(stack: QUndoStack, label: str) -> Iterator[None]:
    """Commands run inside are one step on the undo stack."""
    stack.beginMacro(label)
    try:
        yield
    finally:
        stack.endMacro()


def install(window: Any) -> None:
    registers = window.registers
    registers.run_command = window.run_command
    registers.macro = lambda label: undo_macro(window.undo_stack, label)
    window.store_changed.connect(lambda change: register_changed(window, change))

    def recount(change: Change) -> None:
        if change.entity == "annotation":
            registers.counts_changed()

    def shown(visible: bool) -> None:
        if visible:
            fit_registers_dock(window)

    window.store_changed.connect(recount)
    window.registers_dock.visibilityChanged.connect(shown)
    act = QAction("Set span to &selection", window)
    keys, tip = SHORTCUTS["set_span"]
    act.setShortcuts([QKeySequence(k) for k in keys])
    act.setStatusTip(tip)
    act.setToolTip(f"{tip} ({keys[0]})")
    act.triggered.connect(lambda: set_span_to_selection(window))
    window.addAction(act)
    window.actions_["set_span"] = act
    edit = window.menus.get("edit")
    if edit is not None:
        edit.insertAction(window.actions_.get("find"), act)
    window.inspector.editor.span_button.clicked.connect(lambda: set_span_to_selection(window))


def fit_registers_dock(window: Any) -> None:
    """The Registers dock opens at under a third of the window's height (it took half,
    squeezing the article); a user who makes it taller keeps that until it is closed."""
    dock = window.registers_dock
    if dock.isFloating() or dock.height() <= window.height() * 0.34:
        return
    window.resizeDocks([dock], [max(170, int(window.height() * 0.28))], Qt.Orientation.Vertical)


def register_changed(window: Any, change: Change) -> None:
    """A committed register command (or its undo): redraw registers, completers and the
    "What" column; a merge or unmerge re-reads the article whose tags it moved."""
    if change.entity not in ("actor", "topic"):
        return
    window.registers_changed()
    current = window.current_article_uid()
    if change.action in ("merge", "unmerge") and current in change.article_uids:
        window.open_article(current)


def set_span_to_selection(window: Any) -> bool:
    """Move the selected annotation's boundaries to the text selection (snapped)."""
    a = window.inspector.editor.current
    art = window.view.article
    if a is None or art is None or a.article_uid != art.uid:
        window.statusBar().showMessage("Select an annotation in the inspector first.", 5000)
        return False
    if a.annotator_uid != window.repo.annotator.uid:
        window.statusBar().showMessage("That annotation is another annotator's.", 5000)
        return False
    span = window.view.selection_span()
    if span is None:
        window.statusBar().showMessage("Select the new span in the text first.", 5000)
        return False
    start, end = span
    if (start, end) == (a.start, a.end):
        return True
    quote = art.text[start:end]
    return window.run_command(UpdateAnnotation(
        a.uid, {"start": start, "end": end, "quote": quote},
        label=f"Set span of {a.kind} to “{_short(quote)}”"))


def edit_annotation(window: Any, uid: str, changes: dict[str, Any]) -> bool:
    """The inspector's edit; a NEW_TOPIC is created first, in the same undo step."""
    name = changes.pop(NEW_TOPIC, None)
    if not name:
        return window.run_command(UpdateAnnotation(uid, changes))
    stack = window.undo_stack
    stack.beginMacro(f"Edit stance (new topic “{_short(name)}”)")
    try:
        add = AddTopic(name, edits=register_edits)
        if not window.run_command(add):
            return False
        changes.update(target_topic_uid=add.uid, target_actor_uid=None)
        return window.run_command(UpdateAnnotation(uid, changes, label="Edit stance"))
    finally:
        stack.endMacro()


def restore_items(window: Any, items: list[Any]) -> bool:
    """Restore trash entries (store.trash.TrashItem) as one undo step."""
    stack = window.undo_stack
    stack.beginMacro(f"Restore {len(items)} item(s) from the trash" if len(items) > 1
                     else f"Restore {items[0].entity} “{_short(items[0].label)}” from the trash")
    try:
        return all(window.run_command(UNDOABLE_RESTORES[t.entity](t.uid)) for t in items)
    finally:
        stack.endMacro()
