"""What the window's helpers get instead of the window: the open store, the undo stack,
the change bus and a place to say what happened.

Every edit goes through Session.run: the core command is applied (one committed
transaction) BEFORE anything on screen changes, pushed on the undo stack, and its change
record published on the bus, where each view redraws what it names. Undo and redo
publish theirs the same way, with core.changes.UNDO as initiator.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QUndoStack

from stancemark.core.changes import RELOAD, UNDO, ChangeBus
from stancemark.core.errors import StancemarkError
from stancemark.core.model import Change
from stancemark.ui.window.undo import StoreCommand

if TYPE_CHECKING:
    from stancemark.core.commands import Command
    from stancemark.store.repository import Repository


class Feedback(Protocol):
    """Where a helper says how it went (the window's status bar)."""

    def saved(self, error: str | None) -> None:
        """After a write: "Saved ✓", or why it was NOT saved."""
        ...

    def message(self, text: str, ms: int = 5000) -> None:
        """A passing note ("Select some text first.")."""
        ...


class Session:
    def __init__(self, repo: Repository, store_path: Path | None, undo_stack: QUndoStack,
                 bus: ChangeBus, feedback: Feedback):
        self.repo = repo
        self.store_path = store_path
        self.undo_stack = undo_stack
        self.bus = bus
        self.feedback = feedback
        self.last_error: str | None = None  # why the last run was refused (None: it was not)

    def run(self, command: Command, initiator: object = None) -> bool:
        """Apply (commit) a core command, push it for undo and publish its change; False
        (and "NOT saved" in the status bar) when the store refused it."""
        try:
            change = command.apply(self.repo)
        except StancemarkError as exc:
            self.last_error = str(exc)
            self.feedback.saved(str(exc))
            return False
        self.last_error = None
        self.undo_stack.push(StoreCommand(command, self.repo, self._undone))
        self.feedback.saved(None)
        self.bus.publish(change, initiator)
        return True

    def _undone(self, change: Change | None, error: str | None) -> None:
        self.feedback.saved(error)
        if change is not None:
            self.bus.publish(change, UNDO)

    @contextmanager
    def one_step(self, label: str) -> Iterator[None]:
        """Commands run inside are one step on the undo stack (Ctrl+Z undoes all)."""
        self.undo_stack.beginMacro(label)
        try:
            yield
        finally:
            self.undo_stack.endMacro()

    def publish(self, change: Change, initiator: object = None) -> None:
        """A change made outside the undo stack (a status set, a register edit applied
        directly): the views redraw it all the same."""
        self.bus.publish(change, initiator)

    def reload(self, initiator: object = None, keep_undo: bool = False) -> None:
        """After imports, merges, restores: anything may have changed underneath, so every
        view re-reads what it shows, and the undo history (which names rows that may be
        gone) is cleared, unless the caller knows its steps still hold (a hub pull never
        changes my own rows)."""
        if not keep_undo:
            self.undo_stack.clear()
        self.bus.publish(RELOAD, initiator)
