"""QUndoCommand adapters: redo/undo only call a core command's apply/revert.

The first apply happens before the command is pushed (so a failed commit never
enters the stack); the adapter skips that first redo. A later undo or redo that
fails (read-only store, disk full) is reported and the command made obsolete, so
the stack never claims a state the store does not have.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from stancemark.core.commands import Command
from stancemark.core.errors import StancemarkError
from stancemark.core.model import Change
from stancemark.core.protocols import CommandRepo

# on_done(change or None, error message or None)
Reporter = Callable[[Change | None, str | None], None]


class StoreCommand(QUndoCommand):
    def __init__(self, command: Command, repo: CommandRepo, report: Reporter):
        super().__init__(command.label)
        self.command = command
        self.repo = repo
        self.report = report
        self._applied = True  # Session.run applied it already

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._run(self.command.apply)

    def undo(self) -> None:
        self._run(self.command.revert)

    def _run(self, step: Callable[[CommandRepo], Change]) -> None:
        try:
            change = step(self.repo)
        except StancemarkError as exc:
            self.setObsolete(True)
            self.report(None, str(exc))
            return
        self.report(change, None)
