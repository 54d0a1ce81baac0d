"""Errors the user sees as one line."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


class StancemarkError(Exception):
    """An expected failure, shown to the user as one line (no traceback)."""


class InputError(StancemarkError):
    """Bad input: names the file and, where known, the line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.reason = message
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        # One line whatever the input holds: parsers quote multi-line text in their
        # errors, and a file name may itself contain a line break.
        super().__init__(_one_line(f"{where}{message}"))


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\r", "\\r").replace("\n", " ")


class IntegrityError(StancemarkError):
    """An annotation or reference that would break the store's invariants."""


def existing(current: T | None, what: str, uid: str) -> T:
    """`current` (an annotation, actor or topic just read by uid); one that is gone
    raises IntegrityError("unknown <what> <uid>")."""
    if current is None:
        raise IntegrityError(f"unknown {what} {uid}")
    return current


class StoreError(StancemarkError):
    """The store cannot be opened or written (foreign file, newer schema, disk)."""


class Cancelled(StancemarkError):
    """A long operation was cancelled by the user; nothing was changed."""
